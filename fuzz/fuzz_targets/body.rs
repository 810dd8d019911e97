//! Any bytes, as a body: parsing, decoding, the full and the batch
//! verification, hints, and signing must never panic, and the two
//! verifications must always agree.

#![no_main]

use gpwh_webhooks::{Body, JsonInput, Payload, Secret, scan, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks how many bytes of the rest are the secret.
    let Some((&split, rest)) = data.split_first() else { return };
    let split = usize::from(split).min(rest.len());
    let (secret, input) = rest.split_at(split);
    let secrets = [Secret::new(if secret.is_empty() { &b"demo"[..] } else { secret })];

    let full = verify(input, &secrets);
    if let Err(error) = &full {
        let _ = gpwh_webhooks::diagnose(input, &secrets, error);
    }
    if let Ok(body) = Body::parse(input) {
        let mut scratch = Vec::new();
        let lean = body.check(&secrets, &mut scratch);
        match (&full, &lean) {
            (Ok(full), Ok(lean)) => assert_eq!(full.payload().event(), lean.event()),
            (Err(full), Err(lean)) => assert_eq!(full.to_string(), lean.to_string()),
            _ => panic!("verify and check disagree: {full:?} / {lean:?}"),
        }
        if let Ok(bytes) = body.payload_bytes() {
            let parsed = Payload::from_bytes(bytes.clone());
            let scanned = scan(&bytes);
            assert_eq!(parsed.is_ok(), scanned.is_ok(), "parse and scan disagree");
        }
    }
    if let Ok(json) = JsonInput::parse(input) {
        let body = gpwh_webhooks::sign(&json.compact(), &secrets[0], gpwh_webhooks::SignatureEncoding::Hex);
        assert!(verify(body.as_bytes(), &secrets).is_ok(), "a signed body must verify");
    }
});
