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
use gpwh::Verifier;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use serde_json::Value;

use crate::inert::inert;
use crate::messages::say;
use crate::output::{Layout, Output};
use crate::verdict;

use super::deliveries::{Deliveries, Delivery, Origin, REFUSED_BODY_KEPT, payload_of, small};
use super::forward::Forward;
use super::log::Log;
use super::on_purpose::OnPurpose;
use super::record::{Forwarded, JsonLine, Judgement, LogRecord, LoggedBody};

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

/// What became of one request.
struct Handled {
    status: u16,
    reply: Vec<u8>,
    reply_headers: Vec<(String, Vec<u8>)>,
    verdict: Judgement,
    message: Option<String>,
    hint: Option<String>,
    payload: Option<Value>,
    /// Which secret matched, and how the signature was written.
    matched: Option<(usize, &'static str)>,
    body: Option<Vec<u8>>,
    forwarded: Option<Forwarded>,
    /// The app's answer, as text, for the inspector.
    answer: Option<String>,
    /// Why the status is not the usual one, when it was given on purpose.
    on_purpose: Option<String>,
}

/// A request as it arrived, before what became of it.
struct Incoming {
    received: jiff::Timestamp,
    remote: String,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    source: Origin,
}

impl Handled {
    fn refused(status: u16, code: &'static str, message: String) -> Handled {
        Handled {
            status,
            reply: format!("{message}\n").into_bytes(),
            reply_headers: Vec::new(),
            verdict: Judgement::Refused(code),
            message: Some(message),
            hint: None,
            payload: None,
            matched: None,
            body: None,
            forwarded: None,
            answer: None,
            on_purpose: None,
        }
    }
}

impl Receiver {
    /// Reads, judges, records, shows and answers one request.
    pub async fn handle(&self, remote: SocketAddr, request: Request) -> Response {
        let received = jiff::Timestamp::now();
        let (parts, body) = request.into_parts();
        let method = parts.method.to_string();
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), ToString::to_string);
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
        let headers: Vec<(String, String)> = raw_headers
            .iter()
            .map(|(name, value)| (name.clone(), String::from_utf8_lossy(value).into_owned()))
            .collect();
        let from_a_page = parts.headers.contains_key("origin")
            || parts
                .headers
                .get("sec-fetch-site")
                .is_some_and(|site| site.as_bytes().eq_ignore_ascii_case(b"cross-site"));
        let handled = if from_a_page {
            // A web page in the user's browser can post here; GamePush's
            // server sends neither header. Refused before reading a byte.
            Handled::refused(
                403,
                "from-a-web-page",
                "a request from a web page (it carries Origin or Sec-Fetch-Site: cross-site) is \
                 not a webhook"
                    .to_owned(),
            )
        } else if parts.method != Method::POST {
            let mut refused = Handled::refused(
                405,
                "method-not-allowed",
                format!("only POST is accepted, not {method}"),
            );
            refused
                .reply_headers
                .push(("Allow".into(), b"POST".to_vec()));
            refused
        } else {
            let declared = parts
                .headers
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            match self.read_body(declared, body).await {
                Ok(body) => {
                    let mut handled = self
                        .judge(body, &raw_headers, Some(remote.ip()), false)
                        .await;
                    self.answer_on_purpose(&mut handled);
                    handled
                }
                Err(refused) => *refused,
            }
        };
        let delivered = handled.body.is_some();
        let incoming = Incoming {
            received,
            remote: remote.to_string(),
            method,
            path,
            headers,
            source,
        };
        let (handled, _) = self.finish(incoming, handled);
        // Late on purpose, after the log has it: a sender that gives up
        // first is what --delay is there to find out.
        if let Some(delay) = self.on_purpose.delay
            && delivered
        {
            tokio::time::sleep(delay).await;
        }
        answer(handled)
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
        let mut handled = Handled::refused(
            status,
            "not-http",
            format!(
                "not a valid HTTP/1.1 request ({error}); answered {status} before it was judged, and kept as read (at most {} bytes)",
                super::wire::KEPT
            ),
        );
        handled.body = Some(read.body);
        let incoming = Incoming {
            received: jiff::Timestamp::now(),
            remote: remote.to_string(),
            method: read.method,
            path: read.path,
            headers: read.headers,
            source: Origin::Received,
        };
        self.finish(incoming, handled);
    }

    /// Puts the status asked for on purpose in place of the usual answer,
    /// when the flags ask for one; the app, if any, has been given the body
    /// all the same.
    fn answer_on_purpose(&self, handled: &mut Handled) {
        let Some(purposed) = handled
            .body
            .as_deref()
            .and_then(|body| self.on_purpose.answer(body))
        else {
            return;
        };
        handled.status = purposed.status;
        handled.reply = format!("{} on purpose ({})\n", purposed.status, purposed.why).into_bytes();
        handled.reply_headers.clear();
        handled.on_purpose = Some(purposed.why);
    }

    /// Forwards a stored delivery's body to the app again, whatever its
    /// verdict, and records the result as a new delivery. Returns its
    /// number and the status the app's answer came to.
    ///
    /// # Errors
    /// When there is no app to forward to, or no body was read.
    pub async fn replay(&self, stored: &Delivery) -> Result<(u64, u16), String> {
        if self.forward.is_none() {
            return Err(
                "replay forwards to the app, and listen was started without --forward-to".into(),
            );
        }
        let Some(body) = stored.body.clone() else {
            return Err(format!("delivery {} has no body to replay", stored.id));
        };
        if let Some(length) = stored.body_cut {
            return Err(format!(
                "delivery {} was refused, and only the first {REFUSED_BODY_KEPT} of its {length} bytes were kept: there is no whole body to replay",
                stored.id
            ));
        }
        let headers: Vec<(String, Vec<u8>)> = stored
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone().into_bytes()))
            .collect();
        let handled = self.judge(body, &headers, None, true).await;
        let incoming = Incoming {
            received: jiff::Timestamp::now(),
            remote: "inspector".into(),
            method: stored.method.clone(),
            path: stored.path.clone(),
            headers: stored.headers.clone(),
            source: Origin::Replay,
        };
        let (handled, id) = self.finish(incoming, handled);
        Ok((id.unwrap_or(0), handled.status))
    }

    /// Logs, shows and hands to the inspector what became of a request;
    /// the answer to give, and the inspector's number for it.
    fn finish(&self, incoming: Incoming, mut handled: Handled) -> (Handled, Option<u64>) {
        // The log line is written before the answer, so nothing answered is
        // missing from it; when it cannot be written, the sender is told to
        // try again rather than told all is well.
        if let Err(error) = self.append_to_log(&self.record(&incoming, &handled)) {
            let message = format!("cannot write the log: {error}");
            say!("{message}");
            handled.status = 500;
            handled.reply = format!("{message}\n").into_bytes();
            handled.reply_headers.clear();
        }
        self.show(&incoming, &handled);
        let id = self.inspector.as_ref().map(|inspector| {
            let valid = handled.verdict.is_valid();
            let payload = handled.payload.clone().or_else(|| {
                // Refused: parsed only when it is small, as anyone can send one.
                handled
                    .body
                    .as_deref()
                    .filter(|body| body.len() <= REFUSED_BODY_KEPT)
                    .and_then(payload_of)
            });
            let (body, body_cut) = match &handled.body {
                Some(body) if !valid && body.len() > REFUSED_BODY_KEPT => {
                    (Some(body[..REFUSED_BODY_KEPT].to_vec()), Some(body.len()))
                }
                body => (body.clone(), None),
            };
            inspector.add(Delivery {
                id: 0,
                source: incoming.source,
                received: incoming.received.to_string(),
                remote: incoming.remote,
                method: incoming.method,
                path: incoming.path,
                headers: incoming.headers,
                body,
                body_cut,
                status: handled.status,
                verdict: handled.verdict,
                message: handled.message.clone(),
                hint: handled.hint.clone(),
                event: payload
                    .as_ref()
                    .and_then(|p| p.get("event"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                player: payload
                    .as_ref()
                    .and_then(|p| p.pointer("/player/id"))
                    .cloned(),
                payload: small(payload),
                matched: handled.matched,
                forwarded: handled.forwarded.clone(),
                answer: handled.answer.clone(),
            })
        });
        (handled, id)
    }

    /// Appends one line to --log, if it was given.
    fn append_to_log(&self, record: &LogRecord<'_>) -> std::io::Result<()> {
        match &self.log {
            Some(log) => log.append(record),
            None => Ok(()),
        }
    }

    /// The body, or why it was not read: too large (413), not all there
    /// within --read-timeout (408), or cut off (400).
    async fn read_body(&self, declared: Option<u64>, body: Body) -> Result<Vec<u8>, Box<Handled>> {
        let limit = self.verifier.body_limit();
        let too_large = || {
            Box::new(Handled::refused(
                413,
                "too-large",
                gpwh::Error::TooLarge { limit }.to_string(),
            ))
        };
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(too_large());
        }
        let read = tokio::time::timeout(self.read_timeout, Limited::new(body, limit).collect());
        match read.await {
            Ok(Ok(collected)) => Ok(collected.to_bytes().to_vec()),
            Ok(Err(error)) if error.is::<LengthLimitError>() => Err(too_large()),
            Ok(Err(error)) => Err(Box::new(Handled::refused(
                400,
                "unreadable",
                format!("could not read the body: {error}"),
            ))),
            Err(_) => {
                let mut refused = Handled::refused(
                    408,
                    "read-timeout",
                    format!(
                        "the body did not arrive within {}",
                        gpwh::durations::human(self.read_timeout)
                    ),
                );
                refused
                    .reply_headers
                    .push(("Connection".into(), b"close".to_vec()));
                Err(Box::new(refused))
            }
        }
    }

    /// Judges a body and, when asked for, forwards it with `headers` and the
    /// `client`'s address; `always_forward` forwards whatever the verdict (a
    /// replay).
    async fn judge(
        &self,
        body: Vec<u8>,
        headers: &[(String, Vec<u8>)],
        client: Option<IpAddr>,
        always_forward: bool,
    ) -> Handled {
        let (verdict, hint) = verdict::judge(&body, &self.verifier);
        let hint = hint.map(|hint| hint.to_string());
        let mut handled = match &verdict {
            Ok(verified) => Handled {
                status: 200,
                reply: b"OK".to_vec(),
                reply_headers: Vec::new(),
                verdict: Judgement::Valid,
                message: None,
                hint: None,
                payload: Some(verified.payload().json().clone()),
                matched: Some((verified.secret(), verified.encoding().name())),
                body: None,
                forwarded: None,
                answer: None,
                on_purpose: None,
            },
            Err(error) => {
                let mut refused = Handled::refused(400, error.code(), error.to_string());
                refused.hint = hint;
                refused
            }
        };
        if let Some(forward) = &self.forward
            && (verdict.is_ok() || forward.invalid || always_forward)
        {
            let relayed = forward.relay(&body, headers, client).await;
            handled.status = relayed.status;
            handled.reply = relayed.reply;
            handled.reply_headers = relayed.reply_headers;
            handled.answer = relayed.answer;
            handled.forwarded = Some(relayed.record);
        }
        handled.body = Some(body);
        handled
    }

    /// The log's record of a request: everything received, and the verdict.
    fn record<'a>(&self, incoming: &'a Incoming, handled: &'a Handled) -> LogRecord<'a> {
        LogRecord {
            received: incoming.received.to_string(),
            remote: &incoming.remote,
            method: &incoming.method,
            path: &incoming.path,
            headers: incoming
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect(),
            status: handled.status,
            verdict: handled.verdict,
            event: handled.payload.as_ref().and_then(|p| p.get("event")),
            body: LoggedBody::of(handled.body.as_deref()),
            forwarded: handled.forwarded.as_ref(),
            source: (incoming.source != Origin::Received).then(|| incoming.source.name()),
            on_purpose: handled.on_purpose.as_deref(),
            delay_ms: self
                .on_purpose
                .delay
                .filter(|_| handled.body.is_some())
                .map(|delay| u64::try_from(delay.as_millis()).unwrap_or(u64::MAX)),
        }
    }

    /// One line per request and, for a valid one, its payload; or one
    /// NDJSON record with --json.
    fn show(&self, incoming: &Incoming, handled: &Handled) {
        let received = &incoming.received;
        let event = handled.payload.as_ref().and_then(|p| p.get("event"));
        // Inert, as a request hyper refused is read as it came.
        let (method, path) = (inert(&incoming.method), inert(&incoming.path));
        let mut text = Vec::new();
        let player = handled
            .payload
            .as_ref()
            .and_then(|p| p.get("player"))
            .and_then(|p| p.get("id"));
        if self.json {
            let valid = handled.verdict.is_valid();
            let line = JsonLine {
                received: &received.to_string(),
                remote: &incoming.remote,
                method: &method,
                path: &path,
                status: handled.status,
                valid,
                event,
                player,
                error: (!valid).then(|| handled.verdict.code()),
                message: handled.message.as_deref().filter(|_| !valid),
                hint: handled.hint.as_deref().filter(|_| !valid),
                on_purpose: handled.on_purpose.as_deref(),
                payload: handled.payload.as_ref(),
            };
            let line = serde_json::to_value(&line).unwrap_or_default();
            let _ = self.out.render_json(&line, Layout::Compact, &mut text);
        } else {
            let time = crate::time::to_the_second(*received);
            let event = event.and_then(Value::as_str).unwrap_or("-");
            let _ = write!(
                text,
                "{time} {method} {path} {} {}",
                handled.status,
                handled.verdict.code()
            );
            if handled.verdict.is_valid() {
                let player = player.map_or_else(|| "-".to_owned(), |p| p.to_string());
                let _ = write!(text, " {event} player {player}");
            } else {
                let _ = write!(text, ": {}", handled.message.as_deref().unwrap_or(""));
            }
            match &handled.on_purpose {
                Some(why) => {
                    let _ = writeln!(text, " (answered on purpose: {why})");
                }
                None => {
                    let _ = writeln!(text);
                }
            }
            if let Some(payload) = &handled.payload {
                let _ = self.out.render_json(payload, Layout::Pretty, &mut text);
            }
        }
        let _ = std::io::stdout().lock().write_all(&text);
    }
}

/// The HTTP answer for what became of a request.
fn answer(handled: Handled) -> Response {
    let mut response = Response::new(Body::from(handled.reply));
    *response.status_mut() =
        StatusCode::from_u16(handled.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in handled.reply_headers {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}
