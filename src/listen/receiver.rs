//! What `gpwh listen` does with one request: judge the body as verify
//! does, forward it to the user's app if asked, answer on purpose if asked,
//! record everything received in the log before answering, show a line (or
//! an NDJSON record), hand it to the inspector, and answer. A replay from the inspector takes the same
//! path, but for the HTTP request.

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use gpwh_webhooks::Verifier;
use http_body_util::BodyExt as _;

use crate::log_file::write::Log;
use crate::messages::say;
use crate::output::{Layout, Output};
use crate::verdict;

use super::budget::{Budget, Held};
use super::deliveries::{Deliveries, REFUSED_BODY_KEPT, Stored};
use super::delivery::{Delivery, Origin, ReceivedBody};
use super::forward::Forward;
use super::line::JsonLine;
use super::on_purpose::OnPurpose;

/// Everything a request is judged, answered and recorded with.
pub struct Receiver {
    /// How bodies are judged: keys, replay window, size limit.
    pub verifier: Verifier,
    /// How long a body may take to arrive once its headers are in.
    pub read_timeout: Duration,
    /// The app to forward to, if any.
    pub forward: Option<Forward>,
    /// The log, if any.
    pub log: Option<Log>,
    /// Whether to show NDJSON records instead of lines.
    pub json: bool,
    /// How to show payloads.
    pub out: Output,
    /// The inspector's deliveries, with --ui.
    pub inspector: Option<Arc<Deliveries>>,
    /// The bytes of requests listen may hold at once (--max-buffered),
    /// which the inspector's deliveries share.
    pub budget: Arc<Budget>,
    /// What to answer deliveries on purpose (--respond, --fail-first,
    /// --delay), whatever became of them.
    pub on_purpose: OnPurpose,
    /// The value of [`TEST_EVENT_HEADER`] that marks the inspector's test
    /// events: random each run, known to listen alone, so that no client
    /// can pass a delivery off as a test.
    pub test_marker: String,
}

/// The header with which the inspector marks the test events it sends, so
/// that their rows say so; only with the receiver's `test_marker` as its
/// value, and taken off before the request is logged or forwarded.
pub const TEST_EVENT_HEADER: &str = "x-gpwh-inspector";

/// How long a sender answered 503 for want of room (`busy`) is asked to
/// wait: the requests holding the room are answered within seconds, or
/// within --read-timeout at worst.
const RETRY_AFTER_SECONDS: u64 = 5;

/// How much room a chunked body takes at first, and at least each time
/// it grows (doubling, as a vector does, up to --max-body).
const CHUNKED_STEP: usize = 16 << 10;

/// Why a body could not be read whole.
enum Unread {
    /// Past --max-body.
    TooLarge,
    /// Past what the budget has room for.
    NoRoom,
    /// The connection failed or was cut.
    Cut(axum::Error),
}

/// The HTTP answer to a request, beside the status its delivery records.
struct Reply {
    body: Vec<u8>,
    headers: Vec<(String, Vec<u8>)>,
}

impl Reply {
    /// An answer that says `text`.
    fn saying(text: &str) -> Reply {
        Reply {
            body: format!("{text}\n").into_bytes(),
            headers: Vec::new(),
        }
    }

    /// `delivery` refused with `status`, the code of why and why in words,
    /// and the answer that says so.
    fn refusing(
        delivery: &mut Delivery,
        status: u16,
        code: &'static str,
        message: String,
    ) -> Reply {
        let reply = Reply::saying(&message);
        delivery.refuse(status, code, message);
        reply
    }
}

impl Receiver {
    /// Reads, judges, records, shows and answers one request.
    pub async fn handle(&self, remote: SocketAddr, request: Request) -> Response {
        // The request's share of the budget, given back once it is
        // answered: after --delay, which holds it longer.
        let mut held = self.budget.share();
        let (parts, body) = request.into_parts();
        let source = if parts
            .headers
            .get(TEST_EVENT_HEADER)
            .is_some_and(|marker| marker.as_bytes() == self.test_marker.as_bytes())
        {
            Origin::Test
        } else {
            Origin::Received
        };
        // As received, byte for byte, for the app; as text, for the log and
        // the inspector. The inspector's marker goes to neither.
        let raw_headers: Vec<(String, Vec<u8>)> = parts
            .headers
            .iter()
            .filter(|(name, _)| source != Origin::Test || name.as_str() != TEST_EVENT_HEADER)
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
            .collect();
        let mut delivery = Delivery::arrived(
            source,
            remote.to_string(),
            parts.method.to_string(),
            parts
                .uri
                .path_and_query()
                .map_or_else(|| parts.uri.path().to_owned(), ToString::to_string),
            raw_headers
                .iter()
                .map(|(name, value)| (name.clone(), String::from_utf8_lossy(value).into_owned()))
                .collect(),
        );
        let from_a_page = parts.headers.contains_key("origin")
            || parts
                .headers
                .get("sec-fetch-site")
                .is_some_and(|site| site.as_bytes().eq_ignore_ascii_case(b"cross-site"));
        let reply = if from_a_page {
            // A web page in the user's browser can post here; GamePush's
            // server sends neither header. Refused before reading a byte.
            Reply::refusing(
                &mut delivery,
                403,
                "from-a-web-page",
                "a request from a web page (it carries Origin or Sec-Fetch-Site: cross-site) is \
                 not a webhook"
                    .to_owned(),
            )
        } else if parts.method != Method::POST {
            let message = format!("only POST is accepted, not {}", parts.method);
            let mut reply = Reply::refusing(&mut delivery, 405, "method-not-allowed", message);
            reply.headers.push(("Allow".into(), b"POST".to_vec()));
            reply
        } else {
            let declared = parts
                .headers
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            match self
                .read_body(&mut delivery, declared, body, &mut held)
                .await
            {
                Ok(body) => {
                    let reply = self
                        .judge(&mut delivery, body, &raw_headers, Some(remote.ip()), false)
                        .await;
                    self.answer_on_purpose(&mut delivery, reply)
                }
                Err(refused) => refused,
            }
        };
        // Only a body read is held back: a refusal before it goes at once.
        let delay = self.on_purpose.delay.filter(|_| delivery.body().is_some());
        delivery.delay_ms = delay.map(|delay| u64::try_from(delay.as_millis()).unwrap_or(u64::MAX));
        let (status, reply, _) = self.finish(delivery, reply);
        // Late on purpose, after the log has it: a sender that gives up
        // first is what --delay is there to find out.
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        drop(held);
        answer(status, reply)
    }

    /// Logs, shows and hands to the inspector a request that hyper refused
    /// (and answered `status`) before it reached [`Receiver::handle`], from
    /// the `bytes` that were read of it.
    pub fn refused_by_http(
        &self,
        remote: SocketAddr,
        bytes: &[u8],
        status: u16,
        error: &hyper::Error,
    ) {
        let read = super::wire::leniently(bytes);
        let mut delivery = Delivery::arrived(
            Origin::Received,
            remote.to_string(),
            read.method,
            read.path,
            read.headers,
        );
        let reply = Reply::refusing(
            &mut delivery,
            status,
            "not-http",
            format!(
                "not a valid HTTP/1.1 request ({error}); answered {status} before it was judged, and kept as read (at most {} bytes)",
                super::wire::KEPT
            ),
        );
        delivery.body = ReceivedBody(Some(read.body));
        self.finish(delivery, reply);
    }

    /// Puts the status asked for on purpose in place of the usual answer,
    /// when the flags ask for one; the app, if any, has been given the body
    /// all the same.
    fn answer_on_purpose(&self, delivery: &mut Delivery, reply: Reply) -> Reply {
        let Some(purposed) = delivery
            .body()
            .and_then(|body| self.on_purpose.answer(body))
        else {
            return reply;
        };
        delivery.status = purposed.status;
        let reply = Reply::saying(&format!(
            "{} on purpose ({})",
            purposed.status, purposed.why
        ));
        delivery.on_purpose = Some(purposed.why);
        reply
    }

    /// Forwards a stored delivery's body to the app again, whatever its
    /// verdict, and records the result as a new delivery. Returns its
    /// number and the status the app's answer came to.
    ///
    /// # Errors
    /// When there is no app to forward to, or no body was read.
    pub async fn replay(&self, stored: &Stored) -> Result<(u64, u16), String> {
        if self.forward.is_none() {
            return Err(
                "replay forwards to the app, and listen was started without --forward-to".into(),
            );
        }
        let Some(body) = stored.delivery.body() else {
            return Err(format!("delivery {} has no body to replay", stored.id));
        };
        if let Some(length) = stored.body_cut {
            return Err(format!(
                "delivery {} was refused, and only the first {REFUSED_BODY_KEPT} of its {length} bytes were kept: there is no whole body to replay",
                stored.id
            ));
        }
        let was = &stored.delivery;
        let headers: Vec<(String, Vec<u8>)> = was
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone().into_bytes()))
            .collect();
        let mut delivery = Delivery::arrived(
            Origin::Replay,
            "inspector".into(),
            was.method.clone(),
            was.path.clone(),
            was.headers.clone(),
        );
        let reply = self
            .judge(&mut delivery, body.to_vec(), &headers, None, true)
            .await;
        let (status, _, id) = self.finish(delivery, reply);
        Ok((id.unwrap_or(0), status))
    }

    /// Logs, shows and hands to the inspector what became of a request;
    /// the status and answer to give, and the inspector's number for it.
    fn finish(&self, mut delivery: Delivery, mut reply: Reply) -> (u16, Reply, Option<u64>) {
        // The log line is written before the answer, so nothing answered is
        // missing from it; when it cannot be written, the sender is told to
        // try again rather than told all is well.
        if let Some(log) = &self.log
            && let Err(error) = log.append(&delivery)
        {
            let message = format!("cannot write the log: {error}");
            say!("{message}");
            delivery.status = 500;
            reply = Reply::saying(&message);
        }
        self.show(&delivery);
        let status = delivery.status;
        let id = self
            .inspector
            .as_ref()
            .map(|inspector| inspector.add(delivery));
        (status, reply, id)
    }

    /// The body; or, when it cannot be read, `delivery` refused and the
    /// answer that says why: too large (413), no room for it in the budget
    /// (503, `busy`), not all there within --read-timeout (408, and the
    /// connection closed), or cut off (400). The request's head and body
    /// are counted in `held`: a declared length before a byte of the body
    /// is read, a chunked body as it arrives.
    async fn read_body(
        &self,
        delivery: &mut Delivery,
        declared: Option<u64>,
        body: Body,
        held: &mut Held,
    ) -> Result<Vec<u8>, Reply> {
        let limit = self.verifier.max_body();
        let too_large = crate::size::too_large("body", limit);
        let declared = match declared.map(usize::try_from) {
            Some(Ok(length)) if length <= limit => Some(length),
            Some(_) => return Err(Reply::refusing(delivery, 413, "too-large", too_large)),
            None => None,
        };
        let head = head_size(delivery);
        if !self.hold(held, head + declared.unwrap_or(0)) {
            return Err(self.busy(delivery));
        }
        let read = tokio::time::timeout(
            self.read_timeout,
            self.collect(body, limit, declared, head, held),
        );
        Err(match read.await {
            Ok(Ok(bytes)) => return Ok(bytes),
            Ok(Err(Unread::TooLarge)) => Reply::refusing(delivery, 413, "too-large", too_large),
            Ok(Err(Unread::NoRoom)) => self.busy(delivery),
            Ok(Err(Unread::Cut(error))) => Reply::refusing(
                delivery,
                400,
                "unreadable",
                format!("could not read the body: {error}"),
            ),
            Err(_) => {
                let mut reply = Reply::refusing(
                    delivery,
                    408,
                    "read-timeout",
                    format!(
                        "the body did not arrive within {}",
                        crate::duration::human(self.read_timeout)
                    ),
                );
                reply.headers.push(("Connection".into(), b"close".to_vec()));
                reply
            }
        })
    }

    /// Reads the body into one buffer, never larger than what `held` holds
    /// beside the `head`: a declared length is held already; a chunked body
    /// takes more room as it arrives, or stops for want of it.
    async fn collect(
        &self,
        mut body: Body,
        limit: usize,
        declared: Option<usize>,
        head: usize,
        held: &mut Held,
    ) -> Result<Vec<u8>, Unread> {
        let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
        while let Some(frame) = body.frame().await {
            let Ok(chunk) = frame.map_err(Unread::Cut)?.into_data() else {
                // Trailers: not the body.
                continue;
            };
            let length = bytes.len() + chunk.len();
            if length > limit {
                return Err(Unread::TooLarge);
            }
            if length > bytes.capacity() {
                let grown = length
                    .max(bytes.capacity() * 2)
                    .max(CHUNKED_STEP)
                    .min(limit);
                if !self.hold(held, head + grown) && !self.hold(held, head + length) {
                    return Err(Unread::NoRoom);
                }
                bytes.reserve_exact(held.bytes().saturating_sub(head + bytes.len()));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    /// Grows a request's share to `bytes`, if the budget has room, and
    /// makes the inspector's deliveries fit in what is left.
    fn hold(&self, held: &mut Held, bytes: usize) -> bool {
        let grew = bytes > held.bytes();
        if !held.grow_to(bytes) {
            return false;
        }
        if grew && let Some(inspector) = &self.inspector {
            inspector.fit();
        }
        true
    }

    /// `delivery` refused for want of room in the budget: 503, with when to
    /// try again.
    fn busy(&self, delivery: &mut Delivery) -> Reply {
        let mut reply = Reply::refusing(
            delivery,
            503,
            "busy",
            format!(
                "listen holds as many requests at once as --max-buffered allows ({}): \
                 try again in {RETRY_AFTER_SECONDS} s",
                crate::size::human(self.budget.total())
            ),
        );
        reply.headers.push((
            "Retry-After".into(),
            RETRY_AFTER_SECONDS.to_string().into_bytes(),
        ));
        reply.headers.push(("Connection".into(), b"close".to_vec()));
        reply
    }

    /// Judges a body and, when asked for, forwards it with `headers` and the
    /// `client`'s address; `always_forward` forwards whatever the verdict (a
    /// replay).
    async fn judge(
        &self,
        delivery: &mut Delivery,
        body: Vec<u8>,
        headers: &[(String, Vec<u8>)],
        client: Option<IpAddr>,
        always_forward: bool,
    ) -> Reply {
        let (verdict, hint) =
            verdict::judge(&body, &self.verifier, crate::capture::Reading::Network);
        let mut reply = match &verdict {
            Ok(verified) => {
                delivery.accept(
                    verified.payload().json().clone(),
                    (verified.secret_index() + 1, verified.encoding().name()),
                );
                Reply {
                    body: b"OK".to_vec(),
                    headers: Vec::new(),
                }
            }
            Err(error) => {
                let reply = Reply::refusing(delivery, 400, error.code(), error.to_string());
                delivery.hint = hint.map(|hint| hint.to_string());
                reply
            }
        };
        if let Some(forward) = &self.forward
            && (verdict.is_ok() || forward.invalid || always_forward)
        {
            let relayed = forward.relay(&body, headers, client).await;
            delivery.status = relayed.status;
            delivery.answer = relayed.answer;
            delivery.forwarded = Some(relayed.record);
            reply = Reply {
                body: relayed.reply,
                headers: relayed.reply_headers,
            };
        }
        delivery.body = ReceivedBody(Some(body));
        reply
    }

    /// One line per request and, for a valid one, its payload; or one
    /// NDJSON record with --json.
    fn show(&self, delivery: &Delivery) {
        let mut text = Vec::new();
        if self.json {
            let line = serde_json::to_value(JsonLine::of(delivery)).unwrap_or_default();
            let _ = self.out.render_json(&line, Layout::Compact, &mut text);
        } else {
            text.extend_from_slice(super::line::text(delivery).as_bytes());
            if let Some(payload) = delivery
                .payload
                .as_ref()
                .filter(|_| delivery.verdict.is_valid())
            {
                let _ = self.out.render_json(payload, Layout::Pretty, &mut text);
            }
        }
        let _ = std::io::stdout().lock().write_all(&text);
    }
}

/// What a request's head holds, in bytes: counted with its body, as the
/// log and the inspector keep a copy of it.
fn head_size(delivery: &Delivery) -> usize {
    delivery.method.len()
        + delivery.path.len()
        + delivery
            .headers
            .iter()
            .map(|(name, value)| name.len() + value.len())
            .sum::<usize>()
}

/// The HTTP answer: `status`, and what `reply` says.
fn answer(status: u16, reply: Reply) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}
