//! The deliveries listen keeps for the inspector: the last N requests it
//! received (or replayed, or was sent as a test), each with everything the
//! page can open it into, and a live feed of new ones for the pages that
//! are open. The receiver adds to them and the inspector reads them, so
//! they sit below both. Nothing here holds a secret: a delivery records
//! which secret matched by its number, never its value.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;
use tokio::sync::{broadcast, watch};

use super::budget::Budget;
use super::delivery::{Delivery, Judgement};

/// A delivery as the inspector keeps it: numbered, and for a refused one,
/// only the start of its body.
#[derive(Debug, Clone)]
pub struct Stored {
    /// Its number, counting from 1 in the order received.
    pub id: u64,
    /// The delivery; its body cut to [`REFUSED_BODY_KEPT`] bytes when it
    /// was refused, and its payload kept only when it is no larger than
    /// [`PAYLOAD_KEPT`] as compact JSON (a larger one is decoded again from
    /// the body when its row is opened).
    pub delivery: Delivery,
    /// How long the body was, when only its start is kept.
    pub body_cut: Option<usize>,
}

impl Stored {
    /// What the inspector keeps of `delivery`: a refused body's payload is
    /// decoded (without a check) only when the body is small, as anyone
    /// can send one, and only its start is kept.
    pub fn of(mut delivery: Delivery) -> Stored {
        let mut body_cut = None;
        if !delivery.verdict.is_valid()
            && let Some(body) = &mut delivery.body.0
        {
            if body.len() <= REFUSED_BODY_KEPT {
                delivery.payload = payload_of(body);
            } else {
                body_cut = Some(body.len());
                body.truncate(REFUSED_BODY_KEPT);
                body.shrink_to_fit();
            }
        }
        delivery.payload = small(delivery.payload);
        Stored {
            id: 0,
            delivery,
            body_cut,
        }
    }

    /// The verdict in words, and the group it is counted in.
    fn words(&self) -> (&'static str, &'static str) {
        match self.delivery.verdict.code() {
            "valid" => ("valid", "valid"),
            "signature-mismatch" => ("signature mismatch", "mismatch"),
            "stale" => ("stale", "stale"),
            "too-large" => ("too large", "refused"),
            "method-not-allowed" => ("not a POST", "refused"),
            "from-a-web-page" => ("from a web page", "refused"),
            "read-timeout" => ("timed out", "refused"),
            "busy" => ("busy: no room", "refused"),
            "unreadable" => ("cut off", "refused"),
            "not-http" => ("not HTTP", "refused"),
            _ => ("malformed", "malformed"),
        }
    }

    /// What it holds, in bytes, counted against the budget: the
    /// body, the answer, the headers, the texts and the payload (at eight
    /// times its JSON, for what a parsed value costs).
    fn size(&self) -> usize {
        let d = &self.delivery;
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        d.body().map_or(0, <[u8]>::len)
            + text(&d.answer)
            + d.headers
                .iter()
                .map(|(name, value)| name.len() + value.len())
                .sum::<usize>()
            + d.path.len()
            + text(&d.message)
            + text(&d.hint)
            + text(&d.on_purpose)
            + d.payload.as_ref().map_or(0, |p| 8 * p.to_string().len())
    }

    /// What a row of the list shows.
    pub fn summary(&self) -> Value {
        serde_json::to_value(self.row(self.delivery.payload.as_ref())).unwrap_or_default()
    }

    fn row<'a>(&'a self, payload: Option<&'a Value>) -> Row<'a> {
        let (words, group) = self.words();
        let d = &self.delivery;
        Row {
            id: self.id,
            source: d.source.name(),
            received: d.received.to_string(),
            method: &d.method,
            path: &d.path,
            status: d.status,
            verdict: d.verdict,
            words,
            group,
            event: payload.and_then(|p| p.get("event")).and_then(Value::as_str),
            player: payload.and_then(|p| p.pointer("/player/id")),
            forwarded: d.forwarded.is_some(),
            payload,
        }
    }

    /// Everything the page can open a row into.
    pub fn detail(&self, secrets: usize) -> Value {
        let d = &self.delivery;
        let decoded = match &d.payload {
            Some(_) => None,
            None => d.body().and_then(payload_of),
        };
        let payload = d.payload.as_ref().or(decoded.as_ref());
        let (words, group) = self.words();
        let opened = Opened {
            id: self.id,
            words,
            group,
            player: payload.and_then(|p| p.pointer("/player/id")),
            payload,
            body_cut: self.body_cut,
            secret: d.matched.map(|(n, _)| n),
            secrets,
            encoding: d.matched.map(|(_, e)| e),
            answer: d.answer.as_deref(),
            delivery: d,
        };
        serde_json::to_value(opened).unwrap_or_default()
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
    received: String,
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
/// (docs/schemas/inspector-delivery.json): the delivery as the log records
/// it, with what the inspector adds. Its body is the start of the body
/// when `body_cut` says so.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Opened<'a> {
    /// Its number, counting from 1 in the order received.
    id: u64,
    /// The verdict in words.
    words: &'static str,
    /// The group it is counted in: `valid`, `mismatch`, `stale`, `refused`
    /// or `malformed`.
    group: &'static str,
    /// The delivery, as a line of the log holds it
    /// (docs/schemas/listen-log.json).
    #[serde(flatten)]
    delivery: &'a Delivery,
    /// The payload's `player.id`, or null.
    player: Option<&'a Value>,
    /// The payload, decoded without a check unless the verdict is `valid`;
    /// null when the body does not decode.
    payload: Option<&'a Value>,
    /// How long the body was, when only its start is kept.
    body_cut: Option<usize>,
    /// Which secret matched, counting from 1.
    secret: Option<usize>,
    /// How many secrets listen holds.
    secrets: usize,
    /// How the signature was written.
    encoding: Option<&'static str>,
    /// The app's answer, as text, or null.
    answer: Option<&'a str>,
}

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
    let payload = crate::verdict::claimed(body, crate::capture::Reading::Network).ok()?;
    Some(payload.into_json())
}

/// `payload` if it is small enough to keep parsed.
pub fn small(payload: Option<Value>) -> Option<Value> {
    payload.filter(|p| p.to_string().len() <= PAYLOAD_KEPT)
}

/// The last deliveries, and the feed of new ones.
pub struct Deliveries {
    kept: Mutex<Kept>,
    /// listen's memory budget: the deliveries kept (bodies, answers,
    /// headers, payloads) fit in what the requests in flight leave of it,
    /// whatever N is; at 1 MiB a body, 500 bodies would otherwise hold
    /// 500 MiB. The oldest go first.
    budget: Arc<Budget>,
    live: broadcast::Sender<Value>,
    closed: watch::Sender<bool>,
}

struct Kept {
    next: u64,
    keep: usize,
    bytes: usize,
    items: VecDeque<Stored>,
}

impl Deliveries {
    /// A store that keeps the last `keep` deliveries, in what `budget`
    /// leaves.
    pub fn new(keep: usize, budget: Arc<Budget>) -> Deliveries {
        Deliveries {
            budget,
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

    /// Numbers and keeps what the inspector keeps of a delivery, drops the
    /// oldest past the limit, and tells the open pages. Returns its number.
    pub fn add(&self, delivery: Delivery) -> u64 {
        let mut stored = Stored::of(delivery);
        let (id, summary);
        {
            let mut kept = self.kept();
            id = kept.next;
            stored.id = id;
            kept.next += 1;
            summary = stored.summary();
            kept.bytes += stored.size();
            kept.items.push_back(stored);
            self.let_go(&mut kept);
        }
        // No page open is no one to tell.
        let _ = self.live.send(summary);
        id
    }

    /// Lets the oldest go until the rest fit in what the requests in flight
    /// leave of the budget: called when a request takes more of it.
    pub fn fit(&self) {
        let mut kept = self.kept();
        self.let_go(&mut kept);
    }

    /// Drops the oldest past N, or past the room the budget leaves; the
    /// newest stays whatever its size.
    fn let_go(&self, kept: &mut Kept) {
        let room = self.budget.left();
        while kept.items.len() > kept.keep || (kept.bytes > room && kept.items.len() > 1) {
            if let Some(oldest) = kept.items.pop_front() {
                kept.bytes -= oldest.size();
            }
        }
    }

    /// The summaries of the kept deliveries, oldest first, and a feed of the
    /// ones to come; taken together, so that none falls between.
    pub fn subscribe(&self) -> (Vec<Value>, broadcast::Receiver<Value>) {
        let kept = self.kept();
        let feed = self.live.subscribe();
        (kept.items.iter().map(Stored::summary).collect(), feed)
    }

    /// The summaries of the kept deliveries, oldest first: the rows
    /// `/api/deliveries` lists.
    pub fn summaries(&self) -> Vec<Value> {
        self.kept().items.iter().map(Stored::summary).collect()
    }

    /// A kept delivery.
    pub fn get(&self, id: u64) -> Option<Stored> {
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

    use super::super::delivery::{Origin, ReceivedBody};
    use super::*;

    fn store(keep: usize) -> Deliveries {
        Deliveries::new(keep, Budget::new(64 << 20))
    }

    fn delivery(verdict: &'static str) -> Delivery {
        let mut delivery = super::super::delivery::tests::delivery();
        delivery.body = ReceivedBody(Some(b"e30=.00".to_vec()));
        if verdict == "valid" {
            delivery.accept(json!({}), (1, "hex"));
        } else {
            delivery.refuse(400, verdict, String::new());
        }
        delivery
    }

    #[test]
    fn keeps_the_last_n_and_numbers_them() {
        let store = store(2);
        for verdict in ["valid", "stale", "no-signature"] {
            store.add(delivery(verdict));
        }
        let (kept, _) = store.subscribe();
        let ids: Vec<u64> = kept.iter().map(|s| s["id"].as_u64().unwrap()).collect();
        assert_eq!(ids, [2, 3]);
        assert_eq!(
            store.summaries(),
            kept,
            "the list is what the stream starts with"
        );
        assert!(store.get(1).is_none());
        assert_eq!(
            store.get(3).unwrap().delivery.verdict.code(),
            "no-signature"
        );
    }

    #[test]
    fn large_bodies_are_let_go_before_n_is_reached() {
        let store = store(500);
        for _ in 0..100 {
            let mut big = delivery("valid");
            big.body = ReceivedBody(Some(vec![b'A'; 1 << 20]));
            store.add(big);
        }
        let (kept, _) = store.subscribe();
        // 64 MiB hold 63 of them with their headers and path.
        assert_eq!(kept.len(), 63);
        assert_eq!(kept[0]["id"], 38, "the oldest went first");
    }

    #[test]
    fn requests_in_flight_take_the_room_first() {
        let budget = Budget::new(64 << 20);
        let store = Deliveries::new(500, Arc::clone(&budget));
        let add = |n| {
            for _ in 0..n {
                let mut big = delivery("valid");
                big.body = ReceivedBody(Some(vec![b'A'; 1 << 20]));
                store.add(big);
            }
        };
        add(40);
        assert_eq!(store.summaries().len(), 40);
        let mut in_flight = budget.share();
        assert!(in_flight.grow_to(32 << 20));
        store.fit();
        // 32 MiB left hold 31 with their headers and path.
        assert_eq!(store.summaries().len(), 31);
        add(10);
        assert_eq!(store.summaries().len(), 31, "new ones fit in what is left");
        assert!(in_flight.grow_to(64 << 20));
        store.fit();
        assert_eq!(store.summaries().len(), 1, "the newest stays");
        drop(in_flight);
        add(2);
        assert_eq!(store.summaries().len(), 3, "the room is back");
    }

    #[test]
    fn a_refused_body_is_kept_only_in_part() {
        let mut big = delivery("too-large");
        big.body = ReceivedBody(Some(vec![b'A'; 10_000]));
        let stored = Stored::of(big);
        assert_eq!(
            stored.delivery.body().map(<[u8]>::len),
            Some(REFUSED_BODY_KEPT)
        );
        assert_eq!(stored.body_cut, Some(10_000));
        assert_eq!(stored.detail(1)["body_cut"], 10_000);
    }

    #[test]
    fn verdicts_in_words_and_groups() {
        let summary = Stored::of(delivery("payload-not-base64")).summary();
        assert_eq!(
            (summary["words"].as_str(), summary["group"].as_str()),
            (Some("malformed"), Some("malformed"))
        );
        let summary = Stored::of(delivery("signature-mismatch")).summary();
        assert_eq!(summary["words"], "signature mismatch");
    }

    #[test]
    fn a_body_that_is_not_text_is_shown_as_base64() {
        let mut binary = delivery("no-signature");
        binary.body = ReceivedBody(Some(vec![0xff, 0x00]));
        let detail = Stored::of(binary).detail(1);
        assert_eq!(detail["body"], Value::Null);
        assert_eq!(detail["body_base64"], "/wA=");
    }

    #[test]
    fn the_opened_delivery_is_the_log_record_and_the_inspectors_fields() {
        let mut valid = delivery("valid");
        valid.source = Origin::Test;
        valid.on_purpose = Some("--respond 503".into());
        let record = serde_json::to_value(&valid).unwrap();
        let detail = Stored::of(valid).detail(2);
        for (key, value) in record.as_object().unwrap() {
            assert_eq!(&detail[key], value, "{key}");
        }
        assert_eq!(
            (&detail["secret"], &detail["secrets"]),
            (&json!(1), &json!(2))
        );
        assert_eq!(detail["encoding"], "hex");
    }

    #[test]
    fn a_payload_counts_against_the_limit_and_a_large_one_is_not_kept_parsed() {
        let parsed = Stored::of(delivery("valid"));
        let before = parsed.size();
        let mut larger = delivery("valid");
        larger.payload = Some(json!({"event": "GivePlayerReward"}));
        assert!(Stored::of(larger).size() > before + 8 * 20);
        let large = json!({"list": vec![1; 10_000]});
        assert_eq!(small(Some(large)), None);
        assert!(small(Some(json!({"event": "x"}))).is_some());
    }

    #[tokio::test]
    async fn open_pages_hear_of_new_deliveries() {
        let store = store(10);
        let (_, mut feed) = store.subscribe();
        store.add(delivery("valid"));
        assert_eq!(feed.recv().await.unwrap()["verdict"], "valid");
    }
}
