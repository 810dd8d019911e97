//! The bodies that `gpwh probe` sends, each with what a correct handler
//! does with it. They are built from the event templates, so a handler sees
//! what GamePush would send, and only the one thing a case is about is
//! wrong with each refused body.

use gpwh_webhooks::{Digest, EVENTS, Event, Secret, SignatureEncoding};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::case::{Case, ContentType, Expect, Grade};
use crate::purchase;

/// The event name of the `unknown-event` case: not in the vendor's table,
/// and plainly a test when it shows up in a handler's log.
pub const UNLISTED_EVENT: &str = "GpwhProbeUnlistedOperation";

/// How old the `delayed-delivery` case's body is: a delivery sent again
/// after an hour of downtime carries the operation's time.
pub const DELAY_AGE: SignedDuration = SignedDuration::from_hours(1);

/// How old the `replayed-body` case's body is: past any plausible
/// redelivery schedule, and past the 72-hour window the recipes keep.
pub const REPLAY_AGE: SignedDuration = SignedDuration::from_hours(30 * 24);

/// Why a signature form that is refused is a warning, and what to do.
const UNSEEN_ENCODING: &str = "until you have seen a real delivery, a refused encoding may be \
     every real delivery: read the digest as hex in either case or as base64 in either alphabet, \
     and compare its 32 bytes";

/// The Content-Types a valid body is sent with besides the run's own
/// (`text/plain`), each a case: GamePush does not document its type, and
/// these are what HTTP libraries put on a string body by default (fetch
/// sends text/plain, curl and PHP a form, Python's requests none) or what
/// a sender of JSON-ish data may declare.
pub const CONTENT_TYPES: [(&str, ContentType); 4] = [
    ("content-type-json", ContentType::Set("application/json")),
    (
        "content-type-form",
        ContentType::Set("application/x-www-form-urlencoded"),
    ),
    (
        "content-type-octet-stream",
        ContentType::Set("application/octet-stream"),
    ),
    ("no-content-type", ContentType::Absent),
];

/// Why refusing a valid body under some Content-Type fails, and the fix.
const BODY_PARSER: &str = "GamePush does not document the Content-Type it sends, so this may be \
     every real delivery: read the raw body whatever the header says, and keep JSON and form \
     parsers (express.json(), express.urlencoded(), bodyParser, request.get_json()) off the \
     webhook's route";

/// What the players of a run's bodies are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Players {
    /// Test players (`player.test: true`), so that a handler can tell
    /// probe's deliveries from real ones: the default.
    Test,
    /// The templates' players, as a real player is (`player.test: false`).
    Real,
}

/// Every case, in the order they are sent: the valid body first, so that a
/// handler that cannot be reached is found at once.
///
/// `event` is the valid body's event; with `all_events`, a valid body of each
/// listed event follows it. Every valid body has its own time, a nanosecond
/// apart from `now`, and every purchase its own id, so that no two are the
/// same body or the same purchase, and a handler that handles each
/// delivery once still accepts and handles each.
pub fn cases(
    event: &Event,
    all_events: bool,
    players: Players,
    secret: &Secret,
    now: Timestamp,
) -> Vec<Case> {
    let mut battery = Battery {
        secret,
        now,
        players,
        issued: 0,
        cases: Vec::new(),
    };
    battery.valid_bodies(event, all_events);
    battery.content_types(event);
    battery.forgeries(event);
    battery.malformed(event);
    battery.what_senders_do(event);
    battery.signature_forms(event);
    battery.cases
}

/// The battery as it is built.
struct Battery<'a> {
    secret: &'a Secret,
    now: Timestamp,
    players: Players,
    /// How many distinct times have been handed out.
    issued: i64,
    cases: Vec<Case>,
}

impl Battery<'_> {
    fn valid_bodies(&mut self, event: &Event, all_events: bool) {
        let body = self.fresh_body(event);
        self.push(
            "valid-body",
            format!("a valid {} body, time now", event.name()),
            body,
            Expect::Accept(
                "a correct handler accepts it: hash the payload part exactly as received, then '_' \
                 and the secret key, with SHA-256, and compare that digest with the signature \
                 (hex, or base64)",
            ),
            Grade::Fail,
        );
        if !all_events {
            return;
        }
        for listed in EVENTS {
            let body = self.fresh_body(listed);
            self.push(
                &format!("event-{}", kebab(listed.name())),
                format!("a valid {} body", listed.name()),
                body,
                Expect::Accept(
                    "GamePush sends this event when you tick it: answer 2xx even to events you do \
                     not act on",
                ),
                Grade::Fail,
            );
        }
    }

    /// The valid body under each Content-Type of [`CONTENT_TYPES`].
    fn content_types(&mut self, event: &Event) {
        for (name, content_type) in CONTENT_TYPES {
            let body = self.fresh_body(event);
            let sends = match content_type {
                ContentType::Set(value) => format!("a valid body, as {value}"),
                _ => "a valid body, with no Content-Type".to_owned(),
            };
            self.push(name, sends, body, Expect::Accept(BODY_PARSER), Grade::Fail);
            self.cases
                .last_mut()
                .expect("a case was just pushed")
                .content_type = content_type;
        }
    }

    /// Bodies whose signature does not fit their payload.
    fn forgeries(&mut self, event: &Event) {
        let payload = self.fresh(event);
        let (encoded, signature) = self.parts(&payload);

        let mut changed = signature.clone().into_bytes();
        let last = changed.len() - 1;
        changed[last] = if changed[last] == b'0' { b'1' } else { b'0' };
        self.push(
            "signature-digit-changed",
            "a valid body with the last hex digit of its signature changed".into(),
            join(&encoded, &changed),
            Expect::Refuse(
                "the signature is not checked, or not all of it: compare the whole digest",
            ),
            Grade::Fail,
        );

        let other = other_key(self.secret);
        let body =
            gpwh_webhooks::sign(&compact(&self.fresh(event)), &other, SignatureEncoding::Hex);
        self.push(
            "signed-with-other-key",
            "a body signed with a key that is not yours".into(),
            body.into_bytes(),
            Expect::Refuse("the signature is not checked against your secret key"),
            Grade::Fail,
        );

        let mut tampered = payload.clone();
        tampered["player"]["id"] = json!(1);
        let (tampered_encoded, _) = self.parts(&tampered);
        self.push(
            "payload-changed",
            "a valid body whose player id was then changed, its signature kept".into(),
            join(&tampered_encoded, signature.as_bytes()),
            Expect::Refuse(
                "the signature is not checked over the payload as received: anyone can change \
                 the player or the purchase",
            ),
            Grade::Fail,
        );

        let json = compact(&self.fresh(event));
        let (json_encoded, _) = self.parts_of(&json);
        let over_json = Digest::of(&json, self.secret).encode(SignatureEncoding::Hex);
        self.push(
            "signature-over-json",
            "a body signed over its decoded JSON instead of its base64 text".into(),
            join(&json_encoded, over_json.as_bytes()),
            Expect::Refuse(
                "the digest must cover the base64 payload part as received, not the decoded JSON",
            ),
            Grade::Fail,
        );
    }

    /// Bodies that are not webhook bodies at all.
    fn malformed(&mut self, event: &Event) {
        let payload = self.fresh(event);
        let (encoded, _) = self.parts(&payload);
        self.push(
            "no-signature",
            "the payload part alone, with no '.' and no signature".into(),
            encoded.clone().into_bytes(),
            Expect::Refuse("a body without '.SIGNATURE' must be refused"),
            Grade::Fail,
        );
        self.push(
            "empty-body",
            "an empty body".into(),
            Vec::new(),
            Expect::Refuse("an empty body must be refused"),
            Grade::Fail,
        );
        // Signed correctly, so that only decoding can catch it.
        let mut garbled = encoded.into_bytes();
        let middle = garbled.len() / 2;
        garbled[middle] = b'!';
        let signature = Digest::of(&garbled, self.secret).encode(SignatureEncoding::Hex);
        self.push(
            "payload-not-base64",
            "a correctly signed payload part with a byte that is not base64".into(),
            join_bytes(&garbled, signature.as_bytes()),
            Expect::Refuse(
                "a payload that is not base64 must be refused: decode strictly, as lenient \
                 decoders skip bad bytes and read something else",
            ),
            Grade::Fail,
        );
    }

    /// Valid bodies of the kinds a real sender makes over time.
    fn what_senders_do(&mut self, event: &Event) {
        let mut unlisted = self.fresh(event);
        unlisted["event"] = json!(UNLISTED_EVENT);
        let body = self.signed(&unlisted);
        self.push(
            "unknown-event",
            format!("a valid body of event {UNLISTED_EVENT}, which is not in the vendor's table"),
            body,
            Expect::Accept(
                "GamePush adds operations: answer 2xx to events you do not know, and ignore them",
            ),
            Grade::Warn,
        );

        let mut extended = self.fresh(event);
        extended["player"]["locale"] = json!("en");
        extended["deliveryAttempt"] = json!(1);
        let body = self.signed(&extended);
        self.push(
            "extra-fields",
            "a valid body with fields the vendor does not document".into(),
            body,
            Expect::Accept("payloads gain fields: ignore keys you do not know"),
            Grade::Warn,
        );

        let delayed = self.now - DELAY_AGE;
        let body = self.signed(&self.template(event, delayed));
        self.push(
            "delayed-delivery",
            "a valid body whose time is one hour old".into(),
            body,
            Expect::Accept(
                "a delivery repeated after downtime carries the operation's time: keep a window of \
                 hours, such as 72, and let a delivery key, not the window, stop replays",
            ),
            Grade::Warn,
        );

        let old = self.now - REPLAY_AGE;
        let body = self.signed(&self.template(event, old));
        self.push(
            "replayed-body",
            "a valid body whose time is 30 days old".into(),
            body,
            Expect::Refuse(
                "a captured body stays validly signed forever: refuse one older than any \
                 redelivery schedule (72 hours), and handle each delivery key once",
            ),
            Grade::Warn,
        );

        let body = self.fresh_body(event);
        self.push(
            "redelivery",
            "the same valid body, twice".into(),
            body,
            Expect::Accept(
                "a webhook may arrive more than once: answer 2xx to a repeat, and make its \
                 effect happen once",
            ),
            Grade::Warn,
        );
        self.cases
            .last_mut()
            .expect("a case was just pushed")
            .deliveries = 2;
    }

    /// Valid bodies whose signature is written in the other ways a
    /// SHA-256 digest is written: nobody outside GamePush knows which one
    /// it sends.
    fn signature_forms(&mut self, event: &Event) {
        let payload = self.fresh(event);
        let (encoded, signature) = self.parts(&payload);
        self.push(
            "uppercase-hex",
            "a valid body with its signature in uppercase hex".into(),
            join(&encoded, signature.to_ascii_uppercase().as_bytes()),
            Expect::Accept(UNSEEN_ENCODING),
            Grade::Warn,
        );
        let body = gpwh_webhooks::sign(
            &compact(&self.fresh(event)),
            self.secret,
            SignatureEncoding::Base64,
        );
        self.push(
            "base64-digest",
            "a valid body with its signature as a base64 digest".into(),
            body.into_bytes(),
            Expect::Accept(UNSEEN_ENCODING),
            Grade::Warn,
        );
    }

    /// The template of `event` at a time no other body of this battery has.
    fn fresh(&mut self, event: &Event) -> Value {
        self.issued += 1;
        let time = self.now + SignedDuration::from_nanos(self.issued);
        self.template(event, time)
    }

    /// The template of `event` at `time`, with the run's players and a
    /// purchase of its own.
    fn template(&self, event: &Event, time: Timestamp) -> Value {
        let mut payload = event.template(&time.to_string());
        purchase::renew(&mut payload);
        if self.players == Players::Test
            && let Some(player) = payload.get_mut("player").and_then(Value::as_object_mut)
        {
            player.insert("test".to_owned(), Value::Bool(true));
        }
        payload
    }

    /// A valid body of `event` at a time of its own.
    fn fresh_body(&mut self, event: &Event) -> Vec<u8> {
        let payload = self.fresh(event);
        self.signed(&payload)
    }

    /// The payload signed with the user's key, as a body.
    fn signed(&self, payload: &Value) -> Vec<u8> {
        gpwh_webhooks::sign(&compact(payload), self.secret, SignatureEncoding::Hex).into_bytes()
    }

    /// The payload part and the hex signature of the signed payload.
    fn parts(&self, payload: &Value) -> (String, String) {
        self.parts_of(&compact(payload))
    }

    fn parts_of(&self, json: &[u8]) -> (String, String) {
        let body = gpwh_webhooks::sign(json, self.secret, SignatureEncoding::Hex);
        let (encoded, signature) = body
            .rsplit_once('.')
            .expect("a signed body has a '.' between its parts");
        (encoded.to_owned(), signature.to_owned())
    }

    fn push(&mut self, name: &str, sends: String, body: Vec<u8>, expect: Expect, otherwise: Grade) {
        self.cases.push(Case {
            name: name.to_owned(),
            sends,
            body,
            content_type: ContentType::Run,
            deliveries: 1,
            expect,
            otherwise,
        });
    }
}

fn compact(payload: &Value) -> Vec<u8> {
    serde_json::to_vec(payload).expect("a JSON value always serializes")
}

fn join(encoded: &str, signature: &[u8]) -> Vec<u8> {
    join_bytes(encoded.as_bytes(), signature)
}

fn join_bytes(encoded: &[u8], signature: &[u8]) -> Vec<u8> {
    [encoded, b".", signature].concat()
}

/// A key that is certainly not the user's.
fn other_key(secret: &Secret) -> Secret {
    let candidate = Secret::from("gpwh-probe-not-your-key");
    if candidate.expose_secret() == secret.expose_secret() {
        Secret::from("gpwh-probe-not-your-key-either")
    } else {
        candidate
    }
}

/// `PurchasePlayerPurchase` as `purchase-player-purchase`.
fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use gpwh_webhooks::{Error, Verifier, Webhook};

    use super::*;

    fn battery(all_events: bool) -> Vec<Case> {
        let event = Event::find("GivePlayerReward").unwrap();
        cases(
            event,
            all_events,
            Players::Test,
            &Secret::from("probe-key"),
            Timestamp::now(),
        )
    }

    fn case<'a>(cases: &'a [Case], name: &str) -> &'a Case {
        cases.iter().find(|c| c.name == name).unwrap()
    }

    /// As a receiver judges the case's body.
    fn check(case: &Case) -> Result<Webhook, Error> {
        Verifier::new([Secret::from("probe-key")]).verify(&case.body)
    }

    /// What the case's body claims, unverified.
    fn claimed(body: &[u8]) -> Result<gpwh_webhooks::Payload, Error> {
        Verifier::new([]).read_unverified(body)
    }

    #[test]
    fn names_are_unique_stable_and_kebab_case() {
        let all = battery(true);
        assert_eq!(all.len(), 19 + 33);
        let mut names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
        assert!(names.iter().all(|n| {
            n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }));
        assert!(names.contains(&"event-purchase-player-purchase"));
        assert_eq!(names[0], "valid-body");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 52);
        assert_eq!(battery(false).len(), 19);
    }

    #[test]
    fn every_body_that_should_be_accepted_verifies_and_no_two_are_alike() {
        let all = battery(true);
        let mut bodies = Vec::new();
        for case in all
            .iter()
            .filter(|c| !matches!(c.expect, Expect::Refuse(_)))
        {
            check(case).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            bodies.push(&case.body);
        }
        let count = bodies.len();
        bodies.sort_unstable();
        bodies.dedup();
        assert_eq!(bodies.len(), count, "every valid body is distinct");
    }

    #[test]
    fn each_refused_body_fails_for_its_own_reason() {
        let all = battery(false);
        for name in [
            "signature-digit-changed",
            "signed-with-other-key",
            "payload-changed",
            "signature-over-json",
        ] {
            let error = check(case(&all, name)).unwrap_err();
            assert!(error.is_mismatch(), "{name}: {error}");
        }
        assert!(matches!(
            check(case(&all, "no-signature")),
            Err(Error::NoSignature)
        ));
        assert!(matches!(
            check(case(&all, "empty-body")),
            Err(Error::EmptyBody)
        ));
        assert!(matches!(
            check(case(&all, "payload-not-base64")),
            Err(Error::Base64(_))
        ));
        // Signed with the key, and only stale.
        let replay = case(&all, "replayed-body");
        let time = check(replay).unwrap().payload().json()["time"]
            .as_str()
            .unwrap()
            .parse::<Timestamp>()
            .unwrap();
        let age = Timestamp::now().duration_since(time);
        assert!(age >= REPLAY_AGE && age < REPLAY_AGE + SignedDuration::from_mins(1));
    }

    #[test]
    fn a_72_hour_window_takes_the_delayed_body_and_refuses_the_replayed_one() {
        let all = battery(false);
        let window = gpwh_webhooks::Verifier::new([Secret::from("probe-key")])
            .with_max_age(std::time::Duration::from_secs(72 * 3600));
        assert!(window.verify(&case(&all, "delayed-delivery").body).is_ok());
        let replayed = window.verify(&case(&all, "replayed-body").body);
        assert_eq!(replayed.unwrap_err().code(), "stale");
        // A window of ten minutes refuses the delayed one: the bet probe warns about.
        let minutes = gpwh_webhooks::Verifier::new([Secret::from("probe-key")])
            .with_max_age(std::time::Duration::from_secs(600));
        let delayed = minutes.verify(&case(&all, "delayed-delivery").body);
        assert_eq!(delayed.unwrap_err().code(), "stale");
    }

    #[test]
    fn the_changed_payload_differs_only_in_the_player_id() {
        let all = battery(false);
        let body = &case(&all, "payload-changed").body;
        let payload = claimed(body).unwrap();
        assert_eq!(payload.json()["player"]["id"], 1);
        assert_eq!(payload.json()["player"]["name"], "Alex");
    }

    #[test]
    fn the_other_signature_forms_are_the_same_digest() {
        let all = battery(false);
        let upper = case(&all, "uppercase-hex");
        let signature = upper.body.rsplit(|&b| b == b'.').next().unwrap();
        assert!(signature.iter().any(u8::is_ascii_uppercase));
        assert_eq!(check(upper).unwrap().encoding(), SignatureEncoding::Hex);
        let base64 = case(&all, "base64-digest");
        assert_eq!(check(base64).unwrap().encoding(), SignatureEncoding::Base64);
    }

    #[test]
    fn players_are_test_players_and_purchases_are_each_new() {
        let purchase = Event::find("PurchasePlayerPurchase").unwrap();
        let secret = Secret::from("probe-key");
        let mut ids = Vec::new();
        for players in [Players::Test, Players::Real] {
            for case in cases(purchase, true, players, &secret, Timestamp::now()) {
                let Ok(payload) = claimed(&case.body) else {
                    continue;
                };
                let json = payload.json();
                // It changes the body of signature-digit-changed.
                if case.name == "payload-changed" {
                    continue;
                }
                assert_eq!(
                    json["player"]["test"],
                    players == Players::Test,
                    "{}",
                    case.name
                );
                if let Some(id) = json.pointer("/result/purchase/_id")
                    && players == Players::Test
                {
                    ids.push((case.name.clone(), id.as_str().unwrap().to_owned()));
                }
            }
        }
        // Every body is a purchase of its own.
        assert!(ids.len() > 15, "{ids:?}");
        let mut distinct: Vec<&String> = ids.iter().map(|(_, id)| id).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), ids.len(), "{ids:?}");
    }

    #[test]
    fn the_content_type_cases_set_theirs_and_the_rest_keep_the_runs() {
        let all = battery(false);
        let set: Vec<(&str, ContentType)> = all
            .iter()
            .filter(|c| c.content_type != ContentType::Run)
            .map(|c| (c.name.as_str(), c.content_type))
            .collect();
        assert_eq!(set, CONTENT_TYPES);
        for (name, _) in CONTENT_TYPES {
            assert!(check(case(&all, name)).is_ok(), "{name}");
        }
    }

    #[test]
    fn the_other_key_is_never_the_users() {
        let theirs = Secret::from("gpwh-probe-not-your-key");
        assert_ne!(other_key(&theirs).expose_secret(), theirs.expose_secret());
    }

    #[test]
    fn kebab_case_of_event_names() {
        assert_eq!(kebab("GivePlayerReward"), "give-player-reward");
        assert_eq!(kebab("SyncPlayer"), "sync-player");
    }
}
