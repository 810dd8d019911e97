//! The line listen prints for a request with `--json`
//! (docs/schemas/listen-line.json): a summary of a [`Delivery`], for a
//! script reading stdout, with the request line made inert.

use serde::Serialize;
use serde_json::Value;

use crate::inert::inert;

use super::delivery::Delivery;

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
    /// The payload of an authentic body.
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<&'a Value>,
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
            payload,
        }
    }
}
