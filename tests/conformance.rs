//! The Rust library against conformance/vectors.json: every vector's body,
//! judged by a [`Verifier`] with the vector's secrets, clock, window and
//! size limit, gets the verdict the vector expects, through both the full
//! check and the fast one. The vectors were computed outside gpwh
//! (conformance/generate.py, Python's hashlib and base64); the npm and PyPI
//! packages and the Go, PHP and Java receivers run the same file, so a
//! verdict here is the verdict everywhere.

use std::path::Path;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gpwh_webhooks::{Secret, Verifier};
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
        Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/vectors.json"),
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
        .max_body(vector.max_body);
    match vector.max_age_seconds {
        Some(seconds) => verifier.max_age(Duration::from_secs(seconds)),
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
    let mut scratch = Vec::new();
    let found = match verifier.judge_at(&body, now) {
        Err(error) => format!("refused: {}", error.code()),
        Ok(verified) => {
            let payload = verified.payload();
            format!(
                "valid: payload {:?}, event {:?}, delivery key {}, secret index {}, encoding {}",
                String::from_utf8_lossy(payload.bytes()),
                payload.event(),
                payload.delivery_key(),
                verified.secret() - 1,
                verified.encoding().name(),
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
    // The fast path gives the same verdict: the same code, or the same
    // event, secret and encoding.
    let fast = match verifier.check_at(&body, now, &mut scratch) {
        Err(error) => format!("refused: {}", error.code()),
        Ok(checked) => format!(
            "valid: event {:?}, secret index {}, encoding {}",
            checked.event(),
            checked.secret() - 1,
            checked.encoding().name(),
        ),
    };
    let fast_wanted = if expect.valid {
        format!(
            "valid: event {:?}, secret index {}, encoding {}",
            expect.event.as_deref(),
            expect.secret_index.unwrap_or_default(),
            expect.encoding.as_deref().unwrap_or_default(),
        )
    } else {
        wanted.clone()
    };
    if found != wanted {
        Some(format!(
            "{:?}:\n  expected {wanted}\n  found    {found}",
            vector.name
        ))
    } else if fast != fast_wanted {
        Some(format!(
            "{:?} (Verifier::check_at):\n  expected {fast_wanted}\n  found    {fast}",
            vector.name
        ))
    } else {
        None
    }
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

/// The committed file is what conformance/generate.py writes: a change to
/// the generator without regenerating, or a hand edit, fails.
#[test]
#[cfg_attr(not(gpwh_test_all), ignore = "needs python3: GPWH_TEST_ALL=1 runs it")]
fn the_vectors_file_is_what_the_generator_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new("python3")
        .arg(root.join("conformance/generate.py"))
        .arg("--check")
        .current_dir(root)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
