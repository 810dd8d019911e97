//! The Rust library against conformance/vectors.json: every vector's body,
//! judged by a [`Verifier`] with the vector's secrets, clock, window and
//! size limit, gets the verdict the vector expects. The vectors were computed outside gpwh
//! (conformance/generate.py, Python's hashlib and base64); the npm and PyPI
//! packages and the Go, PHP and Java receivers run the same file, so a
//! verdict here is the verdict everywhere.

use std::path::Path;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
use serde::Deserialize;

/// Every error code a refusal can carry, in the order the checks run.
const CODES: [&str; 12] = [
    "too-large",
    "empty-body",
    "no-signature",
    "empty-payload",
    "payload-not-base64",
    "payload-not-json",
    "payload-not-object",
    "signature-format",
    "signature-mismatch",
    "stale",
    "time-missing",
    "time-format",
];

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    body_base64: String,
    secrets: Vec<String>,
    now: String,
    max_age_seconds: Option<u64>,
    max_body: usize,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    valid: bool,
    error: Option<String>,
    payload: Option<String>,
    event: Option<String>,
    delivery_key: Option<String>,
    secret_index: Option<usize>,
    encoding: Option<String>,
}

fn vectors() -> Vec<Vector> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance/vectors.json"),
    )
    .expect("conformance/vectors.json is readable");
    serde_json::from_str::<Vectors>(&text)
        .expect("conformance/vectors.json has the vectors' format")
        .vectors
}

/// A vector's clock, from its RFC 3339 text.
fn clock(now: &str) -> SystemTime {
    let now: jiff::Timestamp = now.parse().expect("a vector's now is RFC 3339");
    let seconds = u64::try_from(now.as_second()).expect("a vector's now is after 1970");
    SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
}

fn verifier(vector: &Vector) -> Verifier {
    let verifier = Verifier::new(vector.secrets.iter().map(|s| Secret::from(s.as_str())))
        .with_max_body(vector.max_body);
    match vector.max_age_seconds {
        Some(seconds) => verifier.with_max_age(Duration::from_secs(seconds)),
        None => verifier,
    }
}

/// What the library says of one vector, in the vector's terms; where it
/// differs from what the vector expects, why.
fn disagreement(vector: &Vector) -> Option<String> {
    let body = STANDARD
        .decode(&vector.body_base64)
        .expect("body_base64 is standard base64");
    let now = clock(&vector.now);
    let verifier = verifier(vector);
    let expect = &vector.expect;
    let found = match verifier.verify_at(&body, now) {
        Err(error) => format!("refused: {}", error.code()),
        Ok(webhook) => {
            let payload = webhook.payload();
            assert_eq!(webhook.delivery_key(), payload.delivery_key());
            format!(
                "valid: payload {:?}, event {:?}, delivery key {}, secret index {}, encoding {}",
                String::from_utf8_lossy(payload.bytes()),
                payload.event(),
                payload.delivery_key(),
                webhook.secret_index(),
                webhook.encoding().name(),
            )
        }
    };
    let wanted = if expect.valid {
        format!(
            "valid: payload {:?}, event {:?}, delivery key {}, secret index {}, encoding {}",
            expect.payload.as_deref().unwrap_or_default(),
            expect.event.as_deref(),
            expect.delivery_key.as_deref().unwrap_or_default(),
            expect.secret_index.unwrap_or_default(),
            expect.encoding.as_deref().unwrap_or_default(),
        )
    } else {
        format!("refused: {}", expect.error.as_deref().unwrap_or_default())
    };
    (found != wanted).then(|| {
        format!(
            "{:?}:\n  expected {wanted}\n  found    {found}",
            vector.name
        )
    })
}

#[test]
fn every_vector_gets_its_verdict() {
    let vectors = vectors();
    let disagreements: Vec<String> = vectors.iter().filter_map(disagreement).collect();
    assert!(
        disagreements.is_empty(),
        "{} of {} vectors of conformance/vectors.json disagree with the library:\n{}",
        disagreements.len(),
        vectors.len(),
        disagreements.join("\n")
    );
}

#[test]
fn the_vectors_cover_every_code_and_both_encodings() {
    let vectors = vectors();
    let mut names: Vec<&str> = vectors.iter().map(|v| v.name.as_str()).collect();
    names.sort_unstable();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "two vectors share a name");
    let missing: Vec<&str> = CODES
        .into_iter()
        .filter(|code| {
            !vectors
                .iter()
                .any(|v| v.expect.error.as_deref() == Some(*code))
        })
        .collect();
    assert!(missing.is_empty(), "no vector is refused with {missing:?}");
    for vector in &vectors {
        if let Some(code) = &vector.expect.error {
            assert!(
                CODES.contains(&code.as_str()),
                "{:?} expects {code}, which is not one of the codes",
                vector.name
            );
        }
    }
    for encoding in ["hex", "base64"] {
        assert!(
            vectors
                .iter()
                .any(|v| v.expect.encoding.as_deref() == Some(encoding)),
            "no valid vector's digest is {encoding}"
        );
    }
    assert!(
        vectors.iter().any(|v| v.expect.secret_index > Some(0)),
        "no vector is signed with a secret other than the first"
    );
}

/// conformance/delivery-keys.json: payloads and the keys every
/// implementation gives them, computed outside gpwh (sha256sum, Python's
/// hashlib and urllib.parse.quote; the file says how), each signed here and
/// verified.
#[test]
fn every_shared_delivery_key_vector_gives_its_key() {
    #[derive(Deserialize)]
    struct Keys {
        vectors: Vec<Key>,
    }
    #[derive(Deserialize)]
    struct Key {
        name: String,
        payload: String,
        key: String,
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance/delivery-keys.json");
    let keys: Keys =
        serde_json::from_str(&std::fs::read_to_string(path).expect("delivery-keys.json"))
            .expect("delivery-keys.json parses");
    assert!(keys.vectors.len() >= 30);
    let secret = Secret::from("k");
    let verifier = Verifier::new([secret.clone()]);
    for vector in keys.vectors {
        let body = sign(vector.payload.as_bytes(), &secret, SignatureEncoding::Hex);
        let webhook = verifier.verify(body.as_bytes()).expect(&vector.name);
        assert_eq!(webhook.delivery_key(), vector.key, "{}", vector.name);
    }
}
