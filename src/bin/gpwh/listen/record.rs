//! What listen writes for scripts: a record per request in the log
//! (`--log`; read back by `gpwh facts` and `gpwh replay`:
//! docs/schemas/listen-log.json) and a line per request on stdout with
//! `--json` (docs/schemas/listen-line.json); and the verdict both carry.

use serde::{Serialize, Serializer};
use serde_json::Value;

/// What became of a request: `valid`, or the code of what is wrong (the
/// codes of `verify`, and listen's own: `too-large`, `read-timeout`,
/// `unreadable`, `not-http`, ...).
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
    },
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
    pub fn of(body: Option<&'a [u8]>) -> LoggedBody<'a> {
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

/// One request in the log: everything received, and the verdict.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct LogRecord<'a> {
    /// When it arrived, RFC 3339, UTC.
    pub received: String,
    /// Who sent it: address and port.
    pub remote: &'a str,
    /// The request method, as received.
    pub method: &'a str,
    /// The path and query, as received.
    pub path: &'a str,
    /// The headers, in order, each `[name, value]`.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The status answered.
    pub status: u16,
    /// `valid`, or the code of what is wrong.
    #[cfg_attr(test, schemars(with = "String"))]
    pub verdict: Judgement,
    /// The payload's `event`, or null.
    pub event: Option<&'a Value>,
    /// The body: `body` (text, or null when not read) or `body_base64`.
    #[serde(flatten)]
    pub body: LoggedBody<'a>,
    /// What became of it with `--forward-to`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forwarded: Option<&'a Forwarded>,
    /// `test` or `replay` when the inspector sent it; absent for a request
    /// received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'static str>,
    /// Why the status was given on purpose (`--respond`, `--fail-first`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_purpose: Option<&'a str>,
    /// How long the answer was held back (`--delay`), in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

/// One request as `--json` prints it.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct JsonLine<'a> {
    /// When it arrived, RFC 3339, UTC.
    pub received: &'a str,
    /// Who sent it: address and port.
    pub remote: &'a str,
    /// The request method, made inert (control characters escaped).
    pub method: &'a str,
    /// The path and query, made inert.
    pub path: &'a str,
    /// The status answered.
    pub status: u16,
    /// Whether the body is authentic.
    pub valid: bool,
    /// The payload's `event`, or null.
    pub event: Option<&'a Value>,
    /// The payload's `player.id`, or null.
    pub player: Option<&'a Value>,
    /// The code of what is wrong, when something is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    /// What is wrong, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'a str>,
    /// Which common mistake fits, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<&'a str>,
    /// Why the status was given on purpose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_purpose: Option<&'a str>,
    /// The payload of an authentic body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<&'a Value>,
}
