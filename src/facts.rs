//! What the deliveries in listen's logs tell about their sender, which
//! GamePush does not document: how it writes the digest, which headers it
//! sends, how late deliveries arrive, whether and when it sends one again,
//! which fields and events its payloads carry beyond gpwh's templates, and
//! from which addresses, and the same as text tables or Markdown, with
//! text from the wire made inert. A function of the logged deliveries: it
//! reads nothing and prints nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::inert::{inert, markdown_cell};
use crate::logged::Logged;

/// How many distinct values of one header are listed; the rest are counted.
const VALUES_LISTED: usize = 5;

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
        let Ok(payload) = crate::verdict::claimed(body, crate::verdict::Origin::File) else {
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

    /// The report as tables: a title, a header row, and rows.
    pub fn tables(&self) -> Vec<Table> {
        let human = |d: &Duration| {
            if d.as_secs() == 0 {
                format!("{} ms", d.as_millis())
            } else {
                crate::duration::human(*d)
            }
        };
        let mut tables = vec![Table::new(
            "Deliveries",
            &["event", "deliveries", "valid", "refused"],
            self.events
                .iter()
                .map(|(event, (all, valid, refused))| {
                    vec![
                        event.clone(),
                        all.to_string(),
                        valid.to_string(),
                        refused.to_string(),
                    ]
                })
                .collect(),
        )];
        tables.push(Table::new(
            "Refused, and why",
            &["verdict", "deliveries"],
            counted(&self.refusals),
        ));
        tables.push(Table::new(
            "Digest forms",
            &["form", "deliveries", "valid"],
            self.digest_forms
                .iter()
                .map(|(form, (all, valid))| {
                    vec![(*form).to_owned(), all.to_string(), valid.to_string()]
                })
                .collect(),
        ));
        tables.push(Table::new(
            "Headers",
            &["header", "requests", "values"],
            self.headers
                .iter()
                .map(|(name, (count, values))| {
                    vec![name.clone(), count.to_string(), listed(values.as_ref())]
                })
                .collect(),
        ));
        tables.push(Table::new(
            "Delay from the payload's time to arrival (valid deliveries)",
            &["deliveries", "min", "median", "p95", "max"],
            self.delay_summary()
                .map(|quantiles| {
                    let mut row = vec![self.delays.len().to_string()];
                    row.extend(quantiles.iter().map(human));
                    vec![row]
                })
                .unwrap_or_default(),
        ));
        let mut repeats: Vec<Vec<String>> = self
            .body_repeats
            .iter()
            .map(|after| {
                vec![
                    "the same body".to_owned(),
                    human(after),
                    "no".to_owned(),
                    "no".to_owned(),
                ]
            })
            .collect();
        repeats.extend(self.purchase_repeats.iter().map(|r| {
            vec![
                format!("purchase {}", r.id),
                human(&r.after),
                yes_no(r.time_changed),
                yes_no(r.signature_changed),
            ]
        }));
        tables.push(Table::new(
            "Repeats",
            &["what", "after", "time changed", "signature changed"],
            repeats,
        ));
        tables.push(Table::new(
            "Fields not in gpwh's templates",
            &["field", "deliveries"],
            counted(&self.unknown_fields),
        ));
        tables.push(Table::new(
            "Events not in gpwh's catalog",
            &["event", "deliveries"],
            counted(&self.unknown_events),
        ));
        tables.push(Table::new(
            "Client addresses",
            &["address", "requests"],
            counted(&self.addresses),
        ));
        tables
    }
}

fn yes_no(yes: bool) -> String {
    if yes { "yes" } else { "no" }.to_owned()
}

fn counted(counts: &BTreeMap<String, usize>) -> Vec<Vec<String>> {
    counts
        .iter()
        .map(|(what, count)| vec![what.clone(), count.to_string()])
        .collect()
}

/// `text/plain (3), application/json (1)`, at most a few, or `(not shown)`
/// for a header that may hold a secret.
fn listed(values: Option<&BTreeMap<String, usize>>) -> String {
    let Some(values) = values else {
        return "(not shown: may be a secret)".to_owned();
    };
    let mut by_count: Vec<(&String, &usize)> = values.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut text: Vec<String> = by_count
        .iter()
        .take(VALUES_LISTED)
        .map(|(value, count)| format!("{value} ({count})"))
        .collect();
    if by_count.len() > VALUES_LISTED {
        text.push(format!("{} more", by_count.len() - VALUES_LISTED));
    }
    text.join(", ")
}

/// One table of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// What it shows.
    pub title: &'static str,
    /// The column names.
    pub header: Vec<&'static str>,
    /// Its rows, as text from the wire (not yet made inert).
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(title: &'static str, header: &[&'static str], rows: Vec<Vec<String>>) -> Table {
        Table {
            title,
            header: header.to_vec(),
            rows,
        }
    }
}

/// Each table under its title, columns aligned; `(none)` for an empty one.
pub fn text(requests: usize, tables: &[Table]) -> String {
    let mut report = format!("{requests} requests logged\n");
    for table in tables {
        report.push_str(&format!("\n{}\n", table.title));
        if table.rows.is_empty() {
            report.push_str("  (none)\n");
            continue;
        }
        let rows: Vec<Vec<String>> =
            std::iter::once(table.header.iter().map(|h| (*h).to_owned()).collect())
                .chain(
                    table
                        .rows
                        .iter()
                        .map(|row| row.iter().map(|cell| inert(cell)).collect()),
                )
                .collect();
        let widths: Vec<usize> = (0..table.header.len())
            .map(|column| {
                rows.iter()
                    .map(|row| row[column].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            report.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
        }
    }
    report
}

/// Each table as a Markdown table under a heading; `none` for an empty one.
pub fn markdown(requests: usize, tables: &[Table]) -> String {
    let mut report = format!("**{requests} requests logged** (gpwh facts)\n");
    for table in tables {
        report.push_str(&format!("\n#### {}\n\n", table.title));
        if table.rows.is_empty() {
            report.push_str("none\n");
            continue;
        }
        report.push_str(&format!("| {} |\n", table.header.join(" | ")));
        report.push_str(&format!("|{}\n", "---|".repeat(table.header.len())));
        for row in &table.rows {
            let cells: Vec<String> = row.iter().map(|cell| markdown_cell(cell)).collect();
            report.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    report
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

    #[test]
    fn wire_text_is_inert_in_text_and_markdown() {
        assert_eq!(
            inert("a\u{1b}[2Jb\u{202e}c\u{85}"),
            "a\\u{1b}[2Jb\\u{202e}c\\u{85}"
        );
        assert_eq!(
            markdown_cell("![x](https://e.example/i.png) | y"),
            "\\!\\[x\\]\\(https:&#8203;//e.example/i.png\\) \\| y"
        );
    }
}
