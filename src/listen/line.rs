//! The line listen prints for a request: the `--json` record
//! (docs/schemas/listen-line.json) for a script reading stdout, or the
//! line of text for a person; each a summary of a [`Delivery`], with what
//! came from the wire made inert.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::inert::inert;

use super::delivery::{Delivery, Forwarded};

/// How much of the app's answer a line shows, in characters.
const APP_SAID: usize = 60;

/// One request as `--json` prints it.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct JsonLine<'a> {
    /// When it arrived, RFC 3339, UTC.
    received: String,
    /// Who sent it: address and port.
    remote: &'a str,
    /// The request method, made inert (control characters escaped).
    method: String,
    /// The path and query, made inert.
    path: String,
    /// The status answered.
    status: u16,
    /// Whether the body is authentic.
    valid: bool,
    /// The payload's `event`, or null.
    event: Option<&'a Value>,
    /// The payload's `player.id`, or null.
    player: Option<&'a Value>,
    /// The code of what is wrong, when something is.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
    /// What is wrong, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    /// Which common mistake fits, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
    /// Why the status was given on purpose.
    #[serde(skip_serializing_if = "Option::is_none")]
    on_purpose: Option<&'a str>,
    /// What the app answered, with `--forward-to`, when the body went to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    app: Option<App<'a>>,
    /// The payload of an authentic body.
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<&'a Value>,
}

/// What became of a body passed on to the app, in short.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum App<'a> {
    /// The app answered.
    Answered {
        /// The app's status (what listen answered, unless on purpose).
        status: u16,
        /// The start of the app's answer: its first line, at most 60
        /// characters, made inert; empty when it answered no body.
        answer: String,
    },
    /// The app could not be reached, or did not answer in time.
    Undelivered {
        /// Why, with the app's URL.
        error: &'a str,
    },
}

impl<'a> App<'a> {
    /// What the app made of `delivery`, when it was forwarded.
    fn of(delivery: &'a Delivery) -> Option<App<'a>> {
        Some(match delivery.forwarded.as_ref()? {
            Forwarded::Answered { status, .. } => App::Answered {
                status: *status,
                answer: gist(delivery.answer.as_deref().unwrap_or("")),
            },
            Forwarded::Undelivered { error, .. } => App::Undelivered { error },
        })
    }
}

impl<'a> JsonLine<'a> {
    /// The line for `delivery`.
    pub fn of(delivery: &'a Delivery) -> JsonLine<'a> {
        let valid = delivery.verdict.is_valid();
        let payload = delivery.payload.as_ref().filter(|_| valid);
        JsonLine {
            received: delivery.received.to_string(),
            remote: &delivery.remote,
            // Inert, as a request hyper refused is read as it came.
            method: inert(&delivery.method),
            path: inert(&delivery.path),
            status: delivery.status,
            valid,
            event: delivery.event.as_ref(),
            player: delivery.player().filter(|_| valid),
            error: (!valid).then(|| delivery.verdict.code()),
            message: delivery.message.as_deref().filter(|_| !valid),
            hint: delivery.hint.as_deref().filter(|_| !valid),
            on_purpose: delivery.on_purpose.as_deref(),
            app: App::of(delivery),
            payload,
        }
    }
}

/// The line of text for `delivery`, with its line end: time, method, path,
/// status and verdict; then the event and player of a valid body, or why
/// it was refused (the hint when one fits, it says more than the error);
/// then what the app answered, and why the status was given on purpose.
/// Everything from the wire is made inert.
pub fn text(delivery: &Delivery) -> String {
    let mut text = String::new();
    let time = crate::time::to_the_second(delivery.received);
    // Inert, as a request hyper refused is read as it came.
    let (method, path) = (inert(&delivery.method), inert(&delivery.path));
    let _ = write!(
        text,
        "{time} {method} {path} {} {}",
        delivery.status,
        delivery.verdict.code()
    );
    if delivery.verdict.is_valid() {
        let event = delivery
            .event
            .as_ref()
            .and_then(Value::as_str)
            .map_or_else(|| "-".to_owned(), inert);
        let player = delivery
            .player()
            .map_or_else(|| "-".to_owned(), |id| inert(&id.to_string()));
        let _ = write!(text, " {event} player {player}");
    } else {
        let why = delivery
            .hint
            .as_deref()
            .or(delivery.message.as_deref())
            .unwrap_or("");
        let _ = write!(text, ": {}", inert(why));
    }
    match &delivery.forwarded {
        Some(Forwarded::Answered { status, .. }) => {
            // The status is the app's unless it was replaced on purpose.
            let status = if *status == delivery.status {
                String::new()
            } else {
                format!(" {status}")
            };
            let answer = gist(delivery.answer.as_deref().unwrap_or(""));
            let answer = if answer.is_empty() {
                "(no body)".to_owned()
            } else {
                answer
            };
            let _ = write!(text, " · app{status}: {answer}");
        }
        Some(Forwarded::Undelivered { url, why, .. }) => {
            let _ = write!(text, " · app not reached at {}: {}", inert(url), inert(why));
        }
        None => {}
    }
    if let Some(why) = &delivery.on_purpose {
        let _ = write!(text, " (answered on purpose: {why})");
    }
    text.push('\n');
    text
}

/// The start of an answer, for a line: its first line that is not blank,
/// at most [`APP_SAID`] characters, with `…` when there is more, made
/// inert.
fn gist(answer: &str) -> String {
    let answer = answer.trim();
    let first = answer.lines().next().unwrap_or("").trim_end();
    let mut gist: String = first.chars().take(APP_SAID).collect();
    if gist.len() < answer.len() {
        gist.push('…');
    }
    inert(&gist)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::delivery::tests::delivery;
    use super::*;

    fn answered(status: u16, answer: &str) -> Delivery {
        let mut forwarded = delivery();
        forwarded.accept(
            json!({"event": "PurchasePlayerPurchase", "player": {"id": 42}}),
            (1, "hex"),
        );
        forwarded.status = status;
        forwarded.answer = Some(answer.to_owned());
        forwarded.forwarded = Some(Forwarded::Answered {
            url: "http://127.0.0.1:3000/hook".into(),
            status,
            body_error: None,
        });
        forwarded
    }

    #[test]
    fn the_line_says_what_the_app_answered() {
        let line = text(&answered(400, "body is too old\n"));
        assert!(
            line.ends_with(
                "POST /hook 400 valid PurchasePlayerPurchase player 42 · app: body is too old\n"
            ),
            "{line}"
        );
        let line = text(&answered(200, ""));
        assert!(line.ends_with(" · app: (no body)\n"), "{line}");
        let mut on_purpose = answered(200, "granted");
        on_purpose.status = 503;
        on_purpose.on_purpose = Some("--respond 503".into());
        let line = text(&on_purpose);
        assert!(
            line.ends_with(" · app 200: granted (answered on purpose: --respond 503)\n"),
            "{line}"
        );
    }

    #[test]
    fn the_start_of_an_answer_is_one_inert_line_of_60_characters() {
        assert_eq!(gist("  already handled \n"), "already handled");
        assert_eq!(gist("first\nsecond"), "first…");
        assert_eq!(gist(&"é".repeat(61)), format!("{}…", "é".repeat(60)));
        assert_eq!(gist(&"é".repeat(60)), "é".repeat(60));
        assert_eq!(gist("a\u{1b}[2Jb\u{202e}"), "a\\u{1b}[2Jb\\u{202e}");
        assert_eq!(gist(""), "");
    }

    #[test]
    fn an_app_not_reached_is_said_with_why_and_where() {
        let mut down = answered(502, "");
        down.answer = None;
        down.forwarded = Some(Forwarded::Undelivered {
            url: "http://127.0.0.1:3000/".into(),
            error: "could not deliver to http://127.0.0.1:3000/: connection refused".into(),
            why: "connection refused: is the server running?".into(),
        });
        let line = text(&down);
        assert!(
            line.ends_with(
                " 502 valid PurchasePlayerPurchase player 42 · app not reached at \
                 http://127.0.0.1:3000/: connection refused: is the server running?\n"
            ),
            "{line}"
        );
        let record = serde_json::to_value(JsonLine::of(&down)).unwrap();
        assert_eq!(
            record["app"],
            json!({"error": "could not deliver to http://127.0.0.1:3000/: connection refused"})
        );
    }

    #[test]
    fn a_refused_line_gives_the_hint_when_one_fits() {
        let mut refused = delivery();
        refused.refuse(400, "payload-not-base64", "invalid byte '{'".into());
        assert!(text(&refused).ends_with(" 400 payload-not-base64: invalid byte '{'\n"));
        refused.hint = Some("this is JSON, not a body".into());
        assert!(text(&refused).ends_with(" 400 payload-not-base64: this is JSON, not a body\n"));
    }

    #[test]
    fn event_and_player_from_the_wire_are_made_inert() {
        let mut valid = delivery();
        valid.accept(
            json!({"event": "Give\u{1b}[2J", "player": {"id": "\u{202e}7\u{85}"}}),
            (1, "hex"),
        );
        let line = text(&valid);
        assert!(
            line.ends_with(concat!(
                r#" valid Give\u{1b}[2J player "\u{202e}7\u{85}""#,
                "\n"
            )),
            "{line}"
        );
    }
}
