//! One request and what became of it: the one type a delivery is, from
//! the moment listen receives it to the log, the `--json` line and the
//! inspector.
//!
//! The receiver fills a [`Delivery`] as it reads, judges, forwards and
//! answers. Serialized, it is the log's line, whole
//! (docs/schemas/listen-log.json), and the inspector's opened delivery is
//! that line with the inspector's own fields beside it. So a new fact
//! about a delivery is one field here, and it reaches the log, `gpwh
//! facts`, `gpwh replay` and the page's opened delivery. The `--json` line
//! and the inspector's row are summaries, built from a delivery in
//! [`super::line`] and [`super::deliveries`], that name the fields they
//! show.

use serde::{Serialize, Serializer};
use serde_json::Value;

/// One request and what became of it: everything received, the answer and
/// the verdict. A line of the log is one of these.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Delivery {
    /// When it arrived, RFC 3339, UTC.
    #[serde(serialize_with = "as_text")]
    #[cfg_attr(test, schemars(with = "String"))]
    pub received: jiff::Timestamp,
    /// Who sent it: address and port.
    pub remote: String,
    /// The request method, as received.
    pub method: String,
    /// The path and query, as received.
    pub path: String,
    /// The headers, in order, each `[name, value]`.
    pub headers: Vec<(String, String)>,
    /// The status answered.
    pub status: u16,
    /// `valid`, or the code of what is wrong.
    #[cfg_attr(test, schemars(with = "String"))]
    pub verdict: Judgement,
    /// The `event` of an authentic body's payload, or null.
    pub event: Option<Value>,
    /// The body: `body` (text, or null when not read) or `body_base64`.
    #[serde(flatten)]
    #[cfg_attr(test, schemars(with = "LoggedBody<'static>"))]
    pub body: ReceivedBody,
    /// What became of it with `--forward-to`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forwarded: Option<Forwarded>,
    /// `test` or `replay` when the inspector sent it; absent for a request
    /// received.
    #[serde(skip_serializing_if = "Origin::was_received")]
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub source: Origin,
    /// Why the status was given on purpose (`--respond`, `--fail-first`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_purpose: Option<String>,
    /// How long the answer was held back (`--delay`), in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// What is wrong, in words, when something is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Which common mistake fits, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,

    // What the log leaves out: it follows from the body and the secrets,
    // or it is the app's to keep.
    /// The payload: verified when the verdict is `valid`. The inspector
    /// puts a refused body's payload here, decoded without a check, and
    /// keeps none that is large.
    #[serde(skip)]
    pub payload: Option<Value>,
    /// Which secret matched, counting from 1, and how the signature was
    /// written.
    #[serde(skip)]
    pub matched: Option<(usize, &'static str)>,
    /// The app's answer, as text.
    #[serde(skip)]
    pub answer: Option<String>,
}

impl Delivery {
    /// A request as it arrived, before it is judged: answered 500 until it
    /// is.
    pub fn arrived(
        source: Origin,
        remote: String,
        method: String,
        path: String,
        headers: Vec<(String, String)>,
    ) -> Delivery {
        Delivery {
            received: jiff::Timestamp::now(),
            remote,
            method,
            path,
            headers,
            status: 500,
            verdict: Judgement::Refused("unjudged"),
            event: None,
            body: ReceivedBody(None),
            forwarded: None,
            source,
            on_purpose: None,
            delay_ms: None,
            message: None,
            hint: None,
            payload: None,
            matched: None,
            answer: None,
        }
    }

    /// Refuses it with `status`, the code of why, and why in words.
    pub fn refuse(&mut self, status: u16, code: &'static str, message: String) {
        self.status = status;
        self.verdict = Judgement::Refused(code);
        self.message = Some(message);
    }

    /// Accepts it as authentic, with its verified payload.
    pub fn accept(&mut self, payload: Value, matched: (usize, &'static str)) {
        self.status = 200;
        self.verdict = Judgement::Valid;
        self.event = payload.get("event").cloned();
        self.payload = Some(payload);
        self.matched = Some(matched);
    }

    /// The body, exactly as received (or as kept); none when it was not read.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.0.as_deref()
    }

    /// The payload's `player.id`, when there is a payload and it has one.
    pub fn player(&self) -> Option<&Value> {
        self.payload.as_ref()?.pointer("/player/id")
    }
}

fn as_text<S: Serializer>(
    value: &impl std::fmt::Display,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// How a delivery came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A request to the listener.
    Received,
    /// A test event the inspector signed and sent to the listener.
    Test,
    /// A stored body forwarded to the app again from the inspector.
    Replay,
}

impl Origin {
    /// `received`, `test` or `replay`, as the log and the page say it.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Received => "received",
            Origin::Test => "test",
            Origin::Replay => "replay",
        }
    }

    fn was_received(&self) -> bool {
        *self == Origin::Received
    }
}

/// What became of a request: `valid`, or the code of what is wrong (the
/// codes of `verify`, and listen's own: `too-large`, `busy`,
/// `read-timeout`, `unreadable`, `not-http`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// An authentic body.
    Valid,
    /// Refused, with the code of why.
    Refused(&'static str),
}

impl Judgement {
    /// `valid`, or the code.
    pub fn code(self) -> &'static str {
        match self {
            Judgement::Valid => "valid",
            Judgement::Refused(code) => code,
        }
    }

    pub fn is_valid(self) -> bool {
        self == Judgement::Valid
    }
}

impl Serialize for Judgement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// What became of a body passed on with `--forward-to`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Forwarded {
    /// The app answered.
    Answered {
        /// Where the body went.
        url: String,
        /// The app's status.
        status: u16,
        /// Why the app's answer could not be read whole, when it could not.
        #[serde(skip_serializing_if = "Option::is_none")]
        body_error: Option<String>,
    },
    /// The app could not be reached, or did not answer in time.
    Undelivered {
        /// Where the body was to go.
        url: String,
        /// What went wrong.
        error: String,
        /// What went wrong, without the URL, for the line listen prints.
        #[serde(skip)]
        why: String,
    },
}

/// The body exactly as received; none when it was not read. Written as
/// [`LoggedBody`] says.
#[derive(Debug, Clone, Default)]
pub struct ReceivedBody(pub Option<Vec<u8>>);

impl Serialize for ReceivedBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        LoggedBody::of(self.0.as_deref()).serialize(serializer)
    }
}

/// The body as the log keeps it: exactly, as text when it is UTF-8, else in
/// base64; null when it was not read.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub enum LoggedBody<'a> {
    /// The body, when it is UTF-8 (null when it was not read).
    #[serde(rename = "body")]
    Text(Option<&'a str>),
    /// The body in standard base64, when it is not UTF-8.
    #[serde(rename = "body_base64")]
    Base64(String),
}

impl<'a> LoggedBody<'a> {
    fn of(body: Option<&'a [u8]>) -> LoggedBody<'a> {
        use base64::Engine as _;
        match body.map(std::str::from_utf8) {
            None => LoggedBody::Text(None),
            Some(Ok(text)) => LoggedBody::Text(Some(text)),
            Some(Err(_)) => LoggedBody::Base64(
                base64::engine::general_purpose::STANDARD.encode(body.unwrap_or_default()),
            ),
        }
    }
}

#[cfg(test)]
pub mod tests {
    use serde_json::json;

    use super::*;

    /// A POST to `/hook` received at a fixed time, not yet judged: for the
    /// tests of the modules that take a delivery.
    pub fn delivery() -> Delivery {
        let mut delivery = Delivery::arrived(
            Origin::Received,
            "127.0.0.1:5".into(),
            "POST".into(),
            "/hook".into(),
            vec![("content-type".into(), "text/plain".into())],
        );
        delivery.received = "2026-12-05T10:00:00Z".parse().unwrap();
        delivery
    }

    #[test]
    fn the_log_record_is_the_delivery_in_the_order_of_its_fields() {
        let mut valid = delivery();
        valid.body = ReceivedBody(Some(b"e30=.ab".to_vec()));
        valid.accept(
            json!({"event": "GivePlayerReward", "player": {"id": 7}}),
            (1, "hex"),
        );
        assert_eq!(
            serde_json::to_string(&valid).unwrap(),
            r#"{"received":"2026-12-05T10:00:00Z","remote":"127.0.0.1:5","method":"POST","path":"/hook","headers":[["content-type","text/plain"]],"status":200,"verdict":"valid","event":"GivePlayerReward","body":"e30=.ab"}"#
        );
        assert_eq!(valid.player(), Some(&json!(7)));
    }

    #[test]
    fn a_refused_delivery_says_why_and_how_it_came() {
        let mut refused = delivery();
        refused.source = Origin::Replay;
        refused.body = ReceivedBody(Some(vec![0xff, 0x00]));
        refused.refuse(400, "no-signature", "no dot".into());
        refused.hint = Some("a hint".into());
        let record = serde_json::to_value(&refused).unwrap();
        assert_eq!(record["verdict"], "no-signature");
        assert_eq!(record["event"], Value::Null);
        assert_eq!(record["body_base64"], "/wA=");
        assert!(record.get("body").is_none());
        assert_eq!(record["source"], "replay");
        assert_eq!(
            (&record["message"], &record["hint"]),
            (&json!("no dot"), &json!("a hint"))
        );
    }

    #[test]
    fn a_body_not_read_is_null() {
        let record = serde_json::to_value(delivery()).unwrap();
        assert_eq!(record["body"], Value::Null);
        assert!(
            record.get("source").is_none(),
            "absent for a request received"
        );
    }
}
