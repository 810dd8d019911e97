//! The deliveries listen keeps for the inspector: the last N requests it
//! received (or replayed, or was sent as a test), each with everything the
//! page can open it into, and a live feed of new ones for the pages that
//! are open. The receiver adds to them and the inspector reads them, so
//! they sit below both. Nothing here holds a secret: a delivery records
//! which secret matched by its number, never its value.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::{broadcast, watch};

use super::record::{Forwarded, Judgement};

/// How a delivery came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

/// One request and what became of it.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Its number, counting from 1 in the order received.
    pub id: u64,
    /// How it came to be.
    pub source: Origin,
    /// When it was received, RFC 3339.
    pub received: String,
    /// Who sent it.
    pub remote: String,
    /// The request method.
    pub method: String,
    /// The request path and query.
    pub path: String,
    /// The request headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body, exactly as received, or for a refused one its first
    /// [`REFUSED_BODY_KEPT`] bytes; none when it was not read.
    pub body: Option<Vec<u8>>,
    /// How long the body was, when only its start is kept.
    pub body_cut: Option<usize>,
    /// The status answered.
    pub status: u16,
    /// `valid`, or the failure's code.
    pub verdict: Judgement,
    /// What is wrong, when something is.
    pub message: Option<String>,
    /// Which common mistake fits, when one does.
    pub hint: Option<String>,
    /// The payload's event, when it has one.
    pub event: Option<String>,
    /// The payload's player id, when it has one.
    pub player: Option<Value>,
    /// The payload, when it is no larger than [`PAYLOAD_KEPT`] as compact
    /// JSON: verified when the verdict is `valid`, else as decoded without a
    /// check. A larger one is decoded again from the body when its row is
    /// opened.
    pub payload: Option<Value>,
    /// Which secret matched, counting from 1, and how the signature was
    /// written.
    pub matched: Option<(usize, &'static str)>,
    /// What forwarding to the app gave: its URL and status or error.
    pub forwarded: Option<Forwarded>,
    /// The app's answer, as text.
    pub answer: Option<String>,
}

impl Delivery {
    /// The verdict in words, and the group it is counted in.
    fn words(&self) -> (&'static str, &'static str) {
        match self.verdict.code() {
            "valid" => ("valid", "valid"),
            "signature-mismatch" => ("signature mismatch", "mismatch"),
            "stale" => ("stale", "stale"),
            "too-large" => ("too large", "refused"),
            "method-not-allowed" => ("not a POST", "refused"),
            "from-a-web-page" => ("from a web page", "refused"),
            "read-timeout" => ("timed out", "refused"),
            "unreadable" => ("cut off", "refused"),
            "not-http" => ("not HTTP", "refused"),
            _ => ("malformed", "malformed"),
        }
    }

    /// What it holds, in bytes, counted against the store's limit: the
    /// body, the answer, the headers and the payload (at eight times its
    /// JSON, for what a parsed value costs).
    fn size(&self) -> usize {
        let text = |s: &str| s.len();
        self.body.as_ref().map_or(0, Vec::len)
            + self.answer.as_deref().map_or(0, text)
            + self
                .headers
                .iter()
                .map(|(name, value)| name.len() + value.len())
                .sum::<usize>()
            + self.path.len()
            + self.message.as_deref().map_or(0, text)
            + self.hint.as_deref().map_or(0, text)
            + self.payload.as_ref().map_or(0, |p| 8 * p.to_string().len())
    }

    fn event(&self) -> Option<&str> {
        self.event.as_deref()
    }

    /// What a row of the list shows.
    pub fn summary(&self) -> Value {
        serde_json::to_value(self.row(self.payload.as_ref())).unwrap_or_default()
    }

    fn row<'a>(&'a self, payload: Option<&'a Value>) -> Row<'a> {
        let (words, group) = self.words();
        Row {
            id: self.id,
            source: self.source.name(),
            received: &self.received,
            method: &self.method,
            path: &self.path,
            status: self.status,
            verdict: self.verdict,
            words,
            group,
            event: self.event(),
            player: self.player.as_ref(),
            forwarded: self.forwarded.is_some(),
            payload,
        }
    }

    /// Everything the page can open a row into.
    pub fn detail(&self, secrets: usize) -> Value {
        use base64::Engine as _;
        let decoded = match &self.payload {
            Some(_) => None,
            None => self.body.as_deref().and_then(payload_of),
        };
        let text = self.body.as_deref().map(std::str::from_utf8);
        let detail = Opened {
            row: self.row(self.payload.as_ref().or(decoded.as_ref())),
            remote: &self.remote,
            headers: &self.headers,
            message: self.message.as_deref(),
            hint: self.hint.as_deref(),
            body_cut: self.body_cut,
            secret: self.matched.map(|(n, _)| n),
            secrets,
            encoding: self.matched.map(|(_, e)| e),
            forward: self.forwarded.as_ref(),
            answer: self.answer.as_deref(),
            body: text.and_then(Result::ok),
            body_base64: match (text, &self.body) {
                (Some(Err(_)), Some(body)) => {
                    Some(base64::engine::general_purpose::STANDARD.encode(body))
                }
                _ => None,
            },
        };
        serde_json::to_value(detail).unwrap_or_default()
    }
}

/// A row of the inspector's list, as `/api/stream` sends each
/// (docs/schemas/inspector-row.json).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Row<'a> {
    /// Its number, counting from 1 in the order received.
    id: u64,
    /// `received`, `test` (sent from the page) or `replay`.
    source: &'static str,
    /// When it arrived, RFC 3339, UTC.
    received: &'a str,
    /// The request method.
    method: &'a str,
    /// The path and query.
    path: &'a str,
    /// The status answered.
    status: u16,
    /// `valid`, or the code of what is wrong.
    #[cfg_attr(test, schemars(with = "String"))]
    verdict: Judgement,
    /// The verdict in words.
    words: &'static str,
    /// The group it is counted in: `valid`, `mismatch`, `stale`, `refused`
    /// or `malformed`.
    group: &'static str,
    /// The payload's `event`, or null.
    event: Option<&'a str>,
    /// The payload's `player.id`, or null.
    player: Option<&'a Value>,
    /// Whether it was forwarded to the app.
    forwarded: bool,
    /// The payload when it is small, else null (decoded without a check
    /// unless the verdict is `valid`).
    payload: Option<&'a Value>,
}

/// A delivery opened, as `/api/deliveries/ID` answers
/// (docs/schemas/inspector-delivery.json): its row, and the rest.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Opened<'a> {
    /// The row's fields; `payload` decoded from the body when the row had none.
    #[serde(flatten)]
    row: Row<'a>,
    /// Who sent it: address and port.
    remote: &'a str,
    /// The headers, in order, each `[name, value]`.
    headers: &'a [(String, String)],
    /// What is wrong, when something is.
    message: Option<&'a str>,
    /// Which common mistake fits, when one does.
    hint: Option<&'a str>,
    /// How long the body was, when only its start is kept.
    body_cut: Option<usize>,
    /// Which secret matched, counting from 1.
    secret: Option<usize>,
    /// How many secrets listen holds.
    secrets: usize,
    /// How the signature was written.
    encoding: Option<&'static str>,
    /// What forwarding gave, or null.
    forward: Option<&'a Forwarded>,
    /// The app's answer, as text, or null.
    answer: Option<&'a str>,
    /// The body as text; null when it is not UTF-8 or was not read.
    body: Option<&'a str>,
    /// The body in standard base64, when it is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    body_base64: Option<String>,
}

/// The most bytes kept in all (bodies, answers, headers, payloads),
/// whatever N is: at 1 MiB a body, 500 bodies would otherwise hold 500 MiB.
/// The oldest go first.
const MAX_KEPT_BYTES: usize = 64 << 20;

/// How much of a refused body is kept: enough to see what it was. Anyone
/// can send one, so a refused body is never kept whole.
pub const REFUSED_BODY_KEPT: usize = 4096;

/// The largest payload kept parsed, as compact JSON; rows and the live feed
/// carry it, so that the page can search it.
pub const PAYLOAD_KEPT: usize = 8192;

/// How many new rows the live feed holds for a page that reads slowly;
/// past it, that page is told to catch up (`resync`) instead.
const FEED: usize = 256;

/// A body's payload, decoded without a check, when it decodes.
pub fn payload_of(body: &[u8]) -> Option<Value> {
    let payload = gpwh::Body::parse_exact(body).ok()?.payload().ok()?;
    Some(payload.into_json())
}

/// `payload` if it is small enough to keep parsed.
pub fn small(payload: Option<Value>) -> Option<Value> {
    payload.filter(|p| p.to_string().len() <= PAYLOAD_KEPT)
}

/// The last deliveries, and the feed of new ones.
pub struct Deliveries {
    kept: Mutex<Kept>,
    live: broadcast::Sender<Value>,
    closed: watch::Sender<bool>,
}

struct Kept {
    next: u64,
    keep: usize,
    bytes: usize,
    items: VecDeque<Delivery>,
}

impl Deliveries {
    /// A store that keeps the last `keep` deliveries.
    pub fn new(keep: usize) -> Deliveries {
        Deliveries {
            kept: Mutex::new(Kept {
                next: 1,
                keep,
                bytes: 0,
                items: VecDeque::with_capacity(keep.min(1024)),
            }),
            live: broadcast::channel(FEED).0,
            closed: watch::channel(false).0,
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // Nothing is left half done under the lock: go on after a panic.
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Numbers and keeps a delivery, drops the oldest past the limit, and
    /// tells the open pages. Returns its number.
    pub fn add(&self, mut delivery: Delivery) -> u64 {
        let summary;
        {
            let mut kept = self.kept();
            delivery.id = kept.next;
            kept.next += 1;
            summary = delivery.summary();
            kept.bytes += delivery.size();
            kept.items.push_back(delivery);
            while kept.items.len() > kept.keep
                || (kept.bytes > MAX_KEPT_BYTES && kept.items.len() > 1)
            {
                if let Some(oldest) = kept.items.pop_front() {
                    kept.bytes -= oldest.size();
                }
            }
        }
        let id = summary["id"].as_u64().unwrap_or(0);
        // No page open is no one to tell.
        let _ = self.live.send(summary);
        id
    }

    /// The summaries of the kept deliveries, oldest first, and a feed of the
    /// ones to come; taken together, so that none falls between.
    pub fn subscribe(&self) -> (Vec<Value>, broadcast::Receiver<Value>) {
        let kept = self.kept();
        let feed = self.live.subscribe();
        (kept.items.iter().map(Delivery::summary).collect(), feed)
    }

    /// A kept delivery.
    pub fn get(&self, id: u64) -> Option<Delivery> {
        self.kept().items.iter().find(|d| d.id == id).cloned()
    }

    /// Ends every feed, so open pages let go when gpwh stops.
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Becomes true when the store is closed.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closed.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn delivery(verdict: &'static str) -> Delivery {
        Delivery {
            id: 0,
            source: Origin::Received,
            received: "2026-11-28T12:00:00Z".into(),
            remote: "127.0.0.1:5".into(),
            method: "POST".into(),
            path: "/".into(),
            headers: vec![("content-type".into(), "text/plain".into())],
            body: Some(b"e30=.00".to_vec()),
            body_cut: None,
            status: 400,
            verdict: if verdict == "valid" {
                Judgement::Valid
            } else {
                Judgement::Refused(verdict)
            },
            message: None,
            hint: None,
            event: None,
            player: None,
            payload: None,
            matched: None,
            forwarded: None,
            answer: None,
        }
    }

    #[test]
    fn keeps_the_last_n_and_numbers_them() {
        let store = Deliveries::new(2);
        for verdict in ["valid", "stale", "no-signature"] {
            store.add(delivery(verdict));
        }
        let (kept, _) = store.subscribe();
        let ids: Vec<u64> = kept.iter().map(|s| s["id"].as_u64().unwrap()).collect();
        assert_eq!(ids, [2, 3]);
        assert!(store.get(1).is_none());
        assert_eq!(store.get(3).unwrap().verdict.code(), "no-signature");
    }

    #[test]
    fn large_bodies_are_let_go_before_n_is_reached() {
        let store = Deliveries::new(500);
        for _ in 0..100 {
            let mut big = delivery("too-large");
            big.body = Some(vec![b'A'; 1 << 20]);
            store.add(big);
        }
        let (kept, _) = store.subscribe();
        // 64 MiB hold 63 of them with their headers and path.
        assert_eq!(kept.len(), 63);
        assert_eq!(kept[0]["id"], 38, "the oldest went first");
    }

    #[test]
    fn verdicts_in_words_and_groups() {
        let summary = delivery("payload-not-base64").summary();
        assert_eq!(
            (summary["words"].as_str(), summary["group"].as_str()),
            (Some("malformed"), Some("malformed"))
        );
        let summary = delivery("signature-mismatch").summary();
        assert_eq!(summary["words"], "signature mismatch");
    }

    #[test]
    fn a_body_that_is_not_text_is_shown_as_base64() {
        let mut binary = delivery("no-signature");
        binary.body = Some(vec![0xff, 0x00]);
        let detail = binary.detail(1);
        assert_eq!(detail["body"], Value::Null);
        assert_eq!(detail["body_base64"], "/wA=");
    }

    #[test]
    fn a_payload_counts_against_the_limit_and_a_large_one_is_not_kept_parsed() {
        let mut parsed = delivery("valid");
        let before = parsed.size();
        parsed.payload = Some(json!({"event": "GivePlayerReward"}));
        assert!(parsed.size() > before + 8 * 20);
        let large = json!({"list": vec![1; 10_000]});
        assert_eq!(small(Some(large)), None);
        assert!(small(Some(json!({"event": "x"}))).is_some());
    }

    #[tokio::test]
    async fn open_pages_hear_of_new_deliveries() {
        let store = Deliveries::new(10);
        let (_, mut feed) = store.subscribe();
        store.add(delivery("valid"));
        assert_eq!(feed.recv().await.unwrap()["verdict"], "valid");
    }
}
