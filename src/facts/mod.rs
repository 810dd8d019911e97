//! What the deliveries in listen's logs tell about their sender, which
//! GamePush does not document: how it writes the digest, which headers it
//! sends, how late deliveries arrive, whether and when it sends one again,
//! which fields and events its payloads carry beyond gpwh's templates, and
//! from which addresses. A function of the logged deliveries: it reads
//! nothing and prints nothing. The facts are told as tables ([`table`]) or
//! as the `--json` record ([`report`]).

pub mod report;
pub mod table;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;

use crate::log_file::read::Logged;

/// Everything the logs tell.
#[derive(Debug, Default)]
pub struct Facts {
    /// Every request logged.
    pub requests: usize,
    /// By event (`-` for none): deliveries, valid, refused.
    pub events: BTreeMap<String, (usize, usize, usize)>,
    /// Why deliveries were refused, with counts.
    pub refusals: BTreeMap<String, usize>,
    /// How the signatures were written: every delivery's, and the valid
    /// ones'.
    pub digest_forms: BTreeMap<&'static str, (usize, usize)>,
    /// By header name (lower case): in how many requests, and its values
    /// with counts, or none when the name looks like a secret's.
    pub headers: BTreeMap<String, (usize, Option<BTreeMap<String, usize>>)>,
    /// From the payload's `time` to arrival, for valid deliveries, sorted.
    pub delays: Vec<Duration>,
    /// The same body more than once: each repeat's interval from the one
    /// before.
    pub body_repeats: Vec<Duration>,
    /// The same purchase `_id` in another body: each interval, and whether
    /// `time` and the signature changed.
    pub purchase_repeats: Vec<PurchaseRepeat>,
    /// Fields (dotted paths) not in gpwh's template of their event, with
    /// counts.
    pub unknown_fields: BTreeMap<String, usize>,
    /// Events not in gpwh's catalog, with counts.
    pub unknown_events: BTreeMap<String, usize>,
    /// Client addresses (without the port), with counts.
    pub addresses: BTreeMap<String, usize>,
}

/// A purchase `_id` seen again in another body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseRepeat {
    /// The purchase's `_id`.
    pub id: String,
    /// Since the body before with the same `_id`.
    pub after: Duration,
    /// Whether the payload's `time` differs from the body before.
    pub time_changed: bool,
    /// Whether the signature differs from the body before.
    pub signature_changed: bool,
}

/// Whether a header's value may be a secret, and is not shown.
fn looks_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || name.contains("token")
        || name.contains("key")
        || name.contains("secret")
        || name.contains("signature")
}

/// What the deliveries tell.
pub fn of(deliveries: &[Logged]) -> Facts {
    let mut facts = Facts {
        requests: deliveries.len(),
        ..Facts::default()
    };
    let mut last_of_body: HashMap<&[u8], Timestamp> = HashMap::new();
    let mut last_of_purchase: HashMap<String, (Timestamp, Option<String>, &[u8])> = HashMap::new();
    for logged in deliveries {
        let valid = logged.verdict == "valid";
        let event = logged.event.clone().unwrap_or_else(|| "-".to_owned());
        let counts = facts.events.entry(event).or_default();
        counts.0 += 1;
        if valid {
            counts.1 += 1;
        } else {
            counts.2 += 1;
            *facts.refusals.entry(logged.verdict.clone()).or_default() += 1;
        }
        if let Some((address, _)) = logged.remote.rsplit_once(':') {
            *facts.addresses.entry(address.to_owned()).or_default() += 1;
        }
        let mut named = BTreeSet::new();
        for (name, value) in &logged.headers {
            let name = name.to_ascii_lowercase();
            if !named.insert(name.clone()) {
                continue;
            }
            let entry = facts
                .headers
                .entry(name.clone())
                .or_insert_with(|| (0, (!looks_secret(&name)).then(BTreeMap::new)));
            entry.0 += 1;
            if let Some(values) = &mut entry.1 {
                *values.entry(value.clone()).or_default() += 1;
            }
        }
        let Some(body) = &logged.body else { continue };
        let parsed = crate::capture::Body::find(body).ok();
        if let Some(signature) = parsed
            .as_ref()
            .and_then(crate::capture::Body::signature_part)
        {
            let form = digest_form(signature);
            let seen = facts.digest_forms.entry(form).or_default();
            seen.0 += 1;
            seen.1 += usize::from(valid);
        }
        if let Some(before) = last_of_body.insert(body, logged.received) {
            facts.body_repeats.push(since(before, logged.received));
        }
        let Ok(payload) = crate::verdict::claimed(body, crate::capture::Reading::File) else {
            continue;
        };
        let json = payload.json();
        let time = json["time"].as_str().map(str::to_owned);
        if valid && let Some(sent) = time.as_deref().and_then(|t| t.parse::<Timestamp>().ok()) {
            facts.delays.push(since(sent, logged.received));
        }
        let name = json["event"].as_str();
        match name.and_then(gpwh_webhooks::Event::find) {
            Some(listed) => {
                let template = listed.template(gpwh_webhooks::EXAMPLE_TIME);
                for path in unknown_paths(json, &template, "") {
                    *facts.unknown_fields.entry(path).or_default() += 1;
                }
            }
            None => {
                if let Some(name) = name {
                    *facts.unknown_events.entry(name.to_owned()).or_default() += 1;
                }
            }
        }
        let id = match &json["result"]["purchase"]["_id"] {
            Value::String(id) => Some(id.clone()),
            Value::Number(id) => Some(id.to_string()),
            _ => None,
        };
        if let Some(id) = id
            && let Some((before, before_time, before_body)) =
                last_of_purchase.insert(id.clone(), (logged.received, time.clone(), body))
            && before_body != body.as_slice()
        {
            facts.purchase_repeats.push(PurchaseRepeat {
                id,
                after: since(before, logged.received),
                time_changed: before_time != time,
                signature_changed: signature_of(before_body) != signature_of(body),
            });
        }
    }
    facts.delays.sort_unstable();
    facts
}

/// What follows a body's last `.`.
fn signature_of(body: &[u8]) -> &[u8] {
    body.rsplit(|&b| b == b'.').next().unwrap_or_default()
}

/// From `earlier` to `later`, or zero when `later` is not later.
fn since(earlier: Timestamp, later: Timestamp) -> Duration {
    Duration::try_from(later.duration_since(earlier)).unwrap_or_default()
}

/// How a signature part is written.
fn digest_form(signature: &[u8]) -> &'static str {
    let hex = signature.len() == 64 && signature.iter().all(u8::is_ascii_hexdigit);
    if hex {
        let upper = signature.iter().any(u8::is_ascii_uppercase);
        let lower = signature.iter().any(u8::is_ascii_lowercase);
        return match (lower, upper) {
            (_, false) => "hex, lowercase",
            (false, true) => "hex, uppercase",
            (true, true) => "hex, mixed case",
        };
    }
    let padded = signature.ends_with(b"=");
    let unpadded = signature.strip_suffix(b"=").unwrap_or(signature);
    let alphabet = |extra: &[u8]| {
        unpadded.len() == 43
            && unpadded
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || extra.contains(b))
    };
    match (alphabet(b"+/"), alphabet(b"-_"), padded) {
        (true, _, true) => "base64, padded",
        (true, _, false) => "base64, unpadded",
        (_, true, true) => "base64url, padded",
        (_, true, false) => "base64url, unpadded",
        _ => "other",
    }
}

/// The dotted paths of `payload`'s object fields that `template` lacks;
/// arrays are not walked.
fn unknown_paths(payload: &Value, template: &Value, prefix: &str) -> Vec<String> {
    let (Value::Object(fields), Value::Object(known)) = (payload, template) else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    for (name, value) in fields {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match known.get(name) {
            None => paths.push(path),
            Some(known) => paths.extend(unknown_paths(value, known, &path)),
        }
    }
    paths
}

/// The value at `fraction` (0 to 1) of sorted durations, nearest rank.
fn quantile(sorted: &[Duration], fraction: f64) -> Option<Duration> {
    let last = sorted.len().checked_sub(1)?;
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "a rank among at most usize::MAX values, rounded"
    )]
    let rank = (fraction * last as f64).round() as usize;
    sorted.get(rank.min(last)).copied()
}

impl Facts {
    /// min, median, p95 and max of the delays, if any.
    pub fn delay_summary(&self) -> Option<[Duration; 4]> {
        Some([
            *self.delays.first()?,
            quantile(&self.delays, 0.5)?,
            quantile(&self.delays, 0.95)?,
            *self.delays.last()?,
        ])
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn digest_forms_are_told_apart() {
        let hex = "06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80";
        assert_eq!(digest_form(hex.as_bytes()), "hex, lowercase");
        assert_eq!(digest_form(hex.to_uppercase().as_bytes()), "hex, uppercase");
        let base64 = "BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2a4A=";
        assert_eq!(digest_form(base64.as_bytes()), "base64, padded");
        assert_eq!(digest_form(&base64.as_bytes()[..43]), "base64, unpadded");
        let url = base64.replace('+', "-");
        assert_eq!(digest_form(&url.as_bytes()[..43]), "base64url, unpadded");
        assert_eq!(digest_form(b"nope"), "other");
    }

    #[test]
    fn unknown_paths_are_those_the_template_lacks() {
        let payload = json!({"event": "x", "player": {"id": 1, "locale": "en"}, "extra": [1]});
        let template = json!({"event": "x", "player": {"id": 1}});
        assert_eq!(
            unknown_paths(&payload, &template, ""),
            ["player.locale", "extra"]
        );
    }

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let sorted: Vec<Duration> = (1..=20).map(Duration::from_secs).collect();
        assert_eq!(quantile(&sorted, 0.5), Some(Duration::from_secs(11)));
        assert_eq!(quantile(&sorted, 0.95), Some(Duration::from_secs(19)));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn secret_looking_headers_are_not_shown() {
        for name in ["Authorization", "Cookie", "X-Api-Key", "x-auth-token"] {
            assert!(looks_secret(name), "{name}");
        }
        assert!(!looks_secret("User-Agent") && !looks_secret("Content-Type"));
    }
}
