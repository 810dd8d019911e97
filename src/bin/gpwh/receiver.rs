//! What `gpwh listen` does with one request: judge the body as verify
//! does, forward it to the user's app if asked, record everything received
//! in the log before answering, show a line (or an NDJSON record), and
//! answer.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::sync::Mutex;

use base64::Engine as _;
use gpwh::Verifier;
use serde_json::{Value, json};

use crate::client;
use crate::commands::verify;
use crate::output::{Layout, Output};

/// Headers that belong to one connection, not to the message: never
/// forwarded.
const HOP_BY_HOP: [&str; 9] = [
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "expect",
];

/// Where valid (or all) bodies go on to.
pub struct Forward {
    /// The app's URL.
    pub url: String,
    /// Whether invalid and malformed bodies go too.
    pub invalid: bool,
    /// The client that carries them.
    pub agent: ureq::Agent,
}

/// Everything a request is judged, answered and recorded with.
pub struct Receiver {
    /// How bodies are judged: keys, replay window, size limit.
    pub verifier: Verifier,
    /// The app to forward to, if any.
    pub forward: Option<Forward>,
    /// The log, if any.
    pub log: Option<Mutex<File>>,
    /// Whether to show NDJSON records instead of lines.
    pub json: bool,
    /// How to show payloads.
    pub out: Output,
}

/// What became of one request.
struct Handled {
    status: u16,
    reply: Vec<u8>,
    reply_headers: Vec<(String, Vec<u8>)>,
    /// `valid`, or the failure's code.
    verdict: String,
    message: Option<String>,
    hint: Option<String>,
    payload: Option<Value>,
    body: Option<Vec<u8>>,
    forwarded: Option<Value>,
}

impl Handled {
    fn refused(status: u16, verdict: &str, message: String) -> Handled {
        Handled {
            status,
            reply: format!("{message}\n").into_bytes(),
            reply_headers: Vec::new(),
            verdict: verdict.to_owned(),
            message: Some(message),
            hint: None,
            payload: None,
            body: None,
            forwarded: None,
        }
    }
}

impl Receiver {
    /// Reads, judges, records, shows and answers one request.
    pub fn handle(&self, mut request: tiny_http::Request) {
        let received = jiff::Timestamp::now();
        let remote = request
            .remote_addr()
            .map(ToString::to_string)
            .unwrap_or_default();
        let method = request.method().to_string();
        let path = request.url().to_owned();
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_owned(),
                    h.value.as_str().to_owned(),
                )
            })
            .collect();
        let mut handled = if method != "POST" {
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
            match self.read_body(&mut request) {
                Ok(body) => self.judge(body, &headers),
                Err(refused) => *refused,
            }
        };
        let record = self.record(&received, &remote, &method, &path, &headers, &handled);
        // The log line is written before the answer, so nothing answered is
        // missing from it; when it cannot be written, the sender is told to
        // try again rather than told all is well.
        if let Err(error) = self.append_to_log(&record) {
            let message = format!("cannot write the log: {error}");
            let _ = writeln!(std::io::stderr(), "gpwh: {message}");
            handled.status = 500;
            handled.reply = format!("{message}\n").into_bytes();
            handled.reply_headers.clear();
        }
        self.show(&received, &method, &path, &handled, &record);
        let mut response =
            tiny_http::Response::from_data(handled.reply).with_status_code(handled.status);
        for (name, value) in &handled.reply_headers {
            if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_slice()) {
                response.add_header(header);
            }
        }
        let _ = request.respond(response);
    }

    /// Appends one line to --log, if it was given.
    fn append_to_log(&self, record: &Value) -> std::io::Result<()> {
        let Some(log) = &self.log else {
            return Ok(());
        };
        let mut line = serde_json::to_vec(record).expect("a JSON value serializes");
        line.push(b'\n');
        // A handler that panicked while holding the lock left nothing half
        // written that matters: go on with the file.
        let mut file = log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(&line)?;
        file.flush()
    }

    /// The body, or why it was not read.
    fn read_body(&self, request: &mut tiny_http::Request) -> Result<Vec<u8>, Box<Handled>> {
        let too_large = || {
            Box::new(Handled::refused(
                413,
                "too-large",
                format!(
                    "body too large: more than {} bytes",
                    self.verifier.body_limit()
                ),
            ))
        };
        if request
            .body_length()
            .is_some_and(|length| length > self.verifier.body_limit())
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        let limit = self.verifier.body_limit() as u64 + 1;
        if let Err(error) = request.as_reader().take(limit).read_to_end(&mut body) {
            return Err(Box::new(Handled::refused(
                400,
                "unreadable",
                format!("could not read the body: {error}"),
            )));
        }
        if body.len() > self.verifier.body_limit() {
            return Err(too_large());
        }
        Ok(body)
    }

    fn judge(&self, body: Vec<u8>, headers: &[(String, String)]) -> Handled {
        let (verdict, hint) = verify::judge(&body, &self.verifier);
        let hint = hint.map(|hint| hint.to_string());
        let mut handled = match &verdict {
            Ok(verified) => Handled {
                status: 200,
                reply: b"OK".to_vec(),
                reply_headers: Vec::new(),
                verdict: "valid".into(),
                message: None,
                hint: None,
                payload: Some(verified.payload().json().clone()),
                body: None,
                forwarded: None,
            },
            Err(error) => {
                let mut refused = Handled::refused(400, error.code(), error.to_string());
                refused.hint = hint;
                refused
            }
        };
        if let Some(forward) = &self.forward
            && (verdict.is_ok() || forward.invalid)
        {
            self.forward(forward, &body, headers, &mut handled);
        }
        handled.body = Some(body);
        handled
    }

    /// Sends the body on to the app and answers with what it answered.
    fn forward(
        &self,
        forward: &Forward,
        body: &[u8],
        headers: &[(String, String)],
        handled: &mut Handled,
    ) {
        let headers: Vec<(String, Vec<u8>)> = headers
            .iter()
            .filter(|(name, _)| !HOP_BY_HOP.contains(&name.to_ascii_lowercase().as_str()))
            .map(|(name, value)| (name.clone(), value.clone().into_bytes()))
            .collect();
        match client::post(&forward.agent, &forward.url, &headers, body) {
            Ok(answer) => {
                handled.status = answer.status;
                handled.reply = answer.body;
                handled.reply_headers = answer
                    .headers
                    .into_iter()
                    .filter(|(name, _)| {
                        let name = name.to_ascii_lowercase();
                        !HOP_BY_HOP.contains(&name.as_str()) && name != "date" && name != "server"
                    })
                    .collect();
                handled.forwarded = Some(json!({"url": forward.url, "status": answer.status}));
            }
            Err(undelivered) => {
                handled.status = 502;
                handled.reply = format!("{undelivered}\n").into_bytes();
                handled.reply_headers.clear();
                handled.forwarded =
                    Some(json!({"url": forward.url, "error": undelivered.to_string()}));
            }
        }
    }

    /// The log's record of a request: everything received, and the verdict.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        received: &jiff::Timestamp,
        remote: &str,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        handled: &Handled,
    ) -> Value {
        let mut record = json!({
            "received": received.to_string(),
            "remote": remote,
            "method": method,
            "path": path,
            "headers": headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
            "status": handled.status,
            "verdict": handled.verdict,
            "event": handled.payload.as_ref().and_then(|p| p.get("event")).cloned().unwrap_or(Value::Null),
        });
        match &handled.body {
            Some(body) => match std::str::from_utf8(body) {
                Ok(text) => record["body"] = json!(text),
                Err(_) => {
                    record["body_base64"] =
                        json!(base64::engine::general_purpose::STANDARD.encode(body))
                }
            },
            None => record["body"] = Value::Null,
        }
        if let Some(forwarded) = &handled.forwarded {
            record["forwarded"] = forwarded.clone();
        }
        record
    }

    /// One line per request and, for a valid one, its payload; or one
    /// NDJSON record with --json.
    fn show(
        &self,
        received: &jiff::Timestamp,
        method: &str,
        path: &str,
        handled: &Handled,
        record: &Value,
    ) {
        let mut text = Vec::new();
        let player = handled
            .payload
            .as_ref()
            .and_then(|p| p.get("player"))
            .and_then(|p| p.get("id"))
            .cloned();
        if self.json {
            let mut line = json!({
                "received": record["received"],
                "remote": record["remote"],
                "method": method,
                "path": path,
                "status": handled.status,
                "valid": handled.verdict == "valid",
                "event": record["event"],
                "player": player,
            });
            if handled.verdict != "valid" {
                line["error"] = json!(handled.verdict);
                line["message"] = json!(handled.message);
                if let Some(hint) = &handled.hint {
                    line["hint"] = json!(hint);
                }
            }
            if let Some(payload) = &handled.payload {
                line["payload"] = payload.clone();
            }
            let _ = self.out.render_json(&line, Layout::Compact, &mut text);
        } else {
            let time = received.to_string();
            let time = time
                .split('.')
                .next()
                .map_or(time.clone(), |t| format!("{}Z", t.trim_end_matches('Z')));
            let event = record["event"].as_str().unwrap_or("-");
            let _ = write!(
                text,
                "{time} {method} {path} {} {}",
                handled.status, handled.verdict
            );
            if handled.verdict == "valid" {
                let player = player.map_or_else(|| "-".to_owned(), |p| p.to_string());
                let _ = writeln!(text, " {event} player {player}");
            } else {
                let _ = writeln!(text, ": {}", handled.message.as_deref().unwrap_or(""));
            }
            if let Some(payload) = &handled.payload {
                let _ = self.out.render_json(payload, Layout::Pretty, &mut text);
            }
        }
        let _ = std::io::stdout().lock().write_all(&text);
    }
}
