//! `gpwh facts --json`: the facts as a record for scripts, one type per
//! object, whose JSON Schema is generated from these types
//! (docs/schemas/facts.json). It borrows from [`Facts`] and adds nothing:
//! the counts are the analysis's, durations in seconds.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::Facts;

impl Facts {
    /// The `--json` report.
    pub fn report(&self) -> FactsReport<'_> {
        let seconds = |d: &Duration| d.as_secs_f64();
        FactsReport {
            requests: self.requests,
            events: self
                .events
                .iter()
                .map(|(event, &(deliveries, valid, refused))| EventCount {
                    event,
                    deliveries,
                    valid,
                    refused,
                })
                .collect(),
            refusals: &self.refusals,
            digest_forms: self
                .digest_forms
                .iter()
                .map(|(&form, &(deliveries, valid))| FormCount {
                    form,
                    deliveries,
                    valid,
                })
                .collect(),
            headers: self
                .headers
                .iter()
                .map(|(name, (requests, values))| HeaderSeen {
                    name,
                    requests: *requests,
                    values: values.as_ref(),
                })
                .collect(),
            delay_seconds: self.delay_summary().map(|[min, median, p95, max]| Delays {
                count: self.delays.len(),
                min: seconds(&min),
                median: seconds(&median),
                p95: seconds(&p95),
                max: seconds(&max),
            }),
            repeats: Repeats {
                same_body: self.body_repeats.iter().map(seconds).collect(),
                same_purchase: self
                    .purchase_repeats
                    .iter()
                    .map(|r| PurchaseRepeated {
                        id: &r.id,
                        after_seconds: seconds(&r.after),
                        time_changed: r.time_changed,
                        signature_changed: r.signature_changed,
                    })
                    .collect(),
            },
            unknown_fields: &self.unknown_fields,
            unknown_events: &self.unknown_events,
            addresses: &self.addresses,
        }
    }
}

/// `gpwh facts --json`: what the logged deliveries tell
/// (docs/schemas/facts.json).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FactsReport<'a> {
    /// Every request logged.
    requests: usize,
    /// By event (`-` for a body with none).
    events: Vec<EventCount<'a>>,
    /// Why deliveries were refused: each code, with its count.
    refusals: &'a BTreeMap<String, usize>,
    /// How the signatures were written.
    digest_forms: Vec<FormCount>,
    /// Each header name (lower case) seen.
    headers: Vec<HeaderSeen<'a>>,
    /// From the payload's `time` to arrival, valid deliveries only; null
    /// when there are none.
    delay_seconds: Option<Delays>,
    /// The same body, or the same purchase, more than once.
    repeats: Repeats<'a>,
    /// Fields (dotted paths) not in gpwh's template of their event, with counts.
    unknown_fields: &'a BTreeMap<String, usize>,
    /// Events not in gpwh's catalog, with counts.
    unknown_events: &'a BTreeMap<String, usize>,
    /// Client addresses (without the port), with counts.
    addresses: &'a BTreeMap<String, usize>,
}

/// One event's deliveries.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct EventCount<'a> {
    /// The event's name, or `-`.
    event: &'a str,
    /// Deliveries of it.
    deliveries: usize,
    /// Of which valid.
    valid: usize,
    /// Of which refused.
    refused: usize,
}

/// One way of writing the signature.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct FormCount {
    /// How the signature was written, in words: `hex, lowercase`, ...
    form: &'static str,
    /// Deliveries signed so.
    deliveries: usize,
    /// Of which valid.
    valid: usize,
}

/// One header name.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct HeaderSeen<'a> {
    /// Its name, lower case.
    name: &'a str,
    /// In how many requests.
    requests: usize,
    /// Its values with counts; null when the name looks like a secret's.
    values: Option<&'a BTreeMap<String, usize>>,
}

/// Delays in seconds.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct Delays {
    /// How many.
    count: usize,
    /// The shortest.
    min: f64,
    /// The median.
    median: f64,
    /// The 95th percentile, nearest rank.
    p95: f64,
    /// The longest.
    max: f64,
}

/// Bodies and purchases seen more than once.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct Repeats<'a> {
    /// Each repeat of a body: seconds since the one before.
    same_body: Vec<f64>,
    /// Each purchase `_id` seen again in another body.
    same_purchase: Vec<PurchaseRepeated<'a>>,
}

/// A purchase `_id` seen again.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct PurchaseRepeated<'a> {
    /// The purchase's `_id`.
    id: &'a str,
    /// Seconds since the body before with the same `_id`.
    after_seconds: f64,
    /// Whether the payload's `time` differs from the body before.
    time_changed: bool,
    /// Whether the signature differs from the body before.
    signature_changed: bool,
}
