//! Properties over generated inputs (proptest), of gpwh-webhooks as the
//! tool uses it and of the tool's own readers: what signs verifies, what is
//! changed does not, the fast path and `outline.rs` never say other than
//! gpwh-webhooks and serde_json, and no input makes anything panic.

use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, Webhook, sign};
use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::capture::Reading;
use crate::fast;
use crate::hint::diagnose;
use crate::json_input::JsonInput;
use crate::outline::{Kind, outline};
use crate::refusal::Refusal;
use crate::verdict::judge;

/// gpwh-webhooks' verdict, as `gpwh verify` asks it of a file.
fn verify(input: &[u8], secrets: &[Secret]) -> Result<Webhook, Refusal> {
    judge(input, &verifier(secrets), Reading::File).0
}

fn verifier(secrets: &[Secret]) -> Verifier {
    Verifier::new(secrets.to_vec()).with_max_body(crate::size::MAX_BODY)
}

/// JSON values up to a few levels deep, with any Unicode in strings and
/// keys, and integers past 64 bits.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        "-?[1-9][0-9]{19,39}"
            .prop_map(|digits| serde_json::from_str(&digits).expect("digits are a JSON number")),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Value> {
    prop::collection::vec((any::<String>(), json_value()), 0..8)
        .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>()))
}

/// Object text as a webhook payload might be written: `event`, `time` and
/// other keys, repeated at times, with values of every kind, and any JSON
/// whitespace between the tokens.
fn payload_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("event".to_owned()),
        Just("time".to_owned()),
        Just("player".to_owned()),
        any::<String>(),
    ];
    let space = "[ \t\r\n]{0,2}";
    prop::collection::vec((key, json_value(), space, space), 0..8).prop_map(|entries| {
        let fields: Vec<String> = entries
            .iter()
            .map(|(key, value, before, after)| {
                let key = serde_json::to_string(key).expect("a key serializes");
                let value = serde_json::to_string(value).expect("a value serializes");
                format!("{before}{key}{after}:{before}{value}{after}")
            })
            .collect();
        format!("{{{}}}", fields.join(","))
    })
}

fn secret() -> impl Strategy<Value = String> {
    any::<String>().prop_filter("a secret is never empty", |s| !s.is_empty())
}

fn signed(json: &Value, secret: &str) -> String {
    let text = serde_json::to_vec(json).expect("a JSON value serializes");
    let compact = JsonInput::parse(&text).expect("an object parses").compact();
    sign(&compact, &Secret::from(secret), SignatureEncoding::Hex)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn what_is_signed_verifies(json in json_object(), secret in secret()) {
        let body = signed(&json, &secret);
        let verified = verify(body.as_bytes(), &[Secret::from(secret.as_str())]).expect("a signed body verifies");
        prop_assert_eq!(verified.payload().json(), &json);
        prop_assert_eq!(verified.secret_index(), 0);
        let mut scratch = Vec::new();
        let checked = fast::verify(&verifier(&[Secret::from(secret.as_str())]), body.as_bytes(), std::time::SystemTime::now(), &mut scratch);
        // Vouched for, unless outline.rs leaves the payload to serde_json.
        if outline(body.as_bytes()).is_some() {
            prop_assert!(checked.is_some());
        }
    }

    #[test]
    fn changing_any_byte_breaks_it(
        json in json_object(),
        secret in secret(),
        at in any::<prop::sample::Index>(),
        replacement in any::<u8>(),
    ) {
        let mut body = signed(&json, &secret).into_bytes();
        let dot = body.iter().rposition(|&b| b == b'.').unwrap();
        // Any byte but the dot itself.
        let mut position = at.index(body.len() - 1);
        if position >= dot {
            position += 1;
        }
        let original = body[position];
        prop_assume!(replacement != original);
        // Hex digits may change case and still say the same.
        prop_assume!(!(position > dot && replacement.eq_ignore_ascii_case(&original)));
        body[position] = replacement;
        let secrets = [Secret::from(secret.as_str())];
        prop_assert!(verify(&body, &secrets).is_err(), "changed byte {} to {}", position, replacement);
        let mut scratch = Vec::new();
        prop_assert!(fast::verify(&verifier(&secrets), &body, std::time::SystemTime::now(), &mut scratch).is_none());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512), secret in secret()) {
        let secrets = [Secret::from(secret.as_str())];
        let verdict = verify(&bytes, &secrets);
        if let Err(error) = &verdict {
            let _ = diagnose(&bytes, &secrets, error, Reading::File);
        }
        let _ = crate::verdict::claimed(&bytes, Reading::File);
        let _ = fast::verify(&verifier(&secrets), &bytes, std::time::SystemTime::now(), &mut Vec::new());
        let _ = fast::payload(&bytes, &mut Vec::new());
        let _ = JsonInput::parse(&bytes);
    }

    #[test]
    fn body_like_bytes_never_panic(text in "[A-Za-z0-9+/=_\\-. \"\r\n{}]{0,200}", secret in secret()) {
        let secrets = [Secret::from(secret.as_str())];
        if let Err(error) = verify(text.as_bytes(), &secrets) {
            let _ = diagnose(text.as_bytes(), &secrets, &error, Reading::File);
        }
    }

    #[test]
    fn scanning_agrees_with_parsing_on_payloads(text in payload_text(), cut in any::<prop::sample::Index>(), junk in "[\\[\\]{}\",:\\\\u0-9a-fe. ]{0,3}") {
        same_answer(text.as_bytes())?;
        let pretty = serde_json::from_str::<Value>(&text)
            .map(|value| serde_json::to_string_pretty(&value).expect("a value serializes"));
        if let Ok(pretty) = pretty {
            same_answer(pretty.as_bytes())?;
        }
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let broken = format!("{}{junk}{}", &text[..at], &text[at..]);
        same_answer(broken.as_bytes())?;
    }

    #[test]
    fn scanning_agrees_with_parsing(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        same_answer(&bytes)?;
    }

    #[test]
    fn scanning_agrees_with_parsing_on_near_json(json in json_value(), cut in any::<prop::sample::Index>(), junk in "[\\[\\]{}\",:\\\\u0-9a-f ]{0,3}") {
        let text = serde_json::to_string(&json).unwrap();
        same_answer(text.as_bytes())?;
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let broken = format!("{}{junk}{}", &text[..at], &text[at..]);
        same_answer(broken.as_bytes())?;
    }
}

/// The batch walk and the full parse accept the same payloads, find the
/// same event and time, and say the same thing when they refuse one.
/// `outline.rs` answers only as serde_json reads the same bytes: one JSON
/// value of the same kind, with the same top-level `event` and `time`.
fn same_answer(bytes: &[u8]) -> Result<(), TestCaseError> {
    let Some(found) = outline(bytes) else {
        return Ok(());
    };
    let parsed = serde_json::from_slice::<Value>(bytes);
    prop_assert!(
        parsed.is_ok(),
        "{:?}: outline answered, serde_json refused",
        String::from_utf8_lossy(bytes)
    );
    let value = parsed.expect("checked");
    let kind = match &value {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Boolean,
        Value::Number(_) => Kind::Number,
        Value::String(_) => Kind::String,
        Value::Array(_) => Kind::Array,
        Value::Object(_) => Kind::Object,
    };
    prop_assert_eq!(found.kind, kind);
    prop_assert_eq!(found.event, value.get("event").and_then(Value::as_str));
    prop_assert_eq!(found.time, value.get("time").and_then(Value::as_str));
    Ok(())
}
