//! Any bytes, as a body, through gpwh-webhooks: verifying, reading a body
//! unverified, reading the payload into a type, and signing must never
//! panic; what verifies reads the same unverified; and what is signed
//! verifies. The tool's fast path is held to gpwh-webhooks by its property
//! tests (src/properties.rs, src/fast.rs).

#![no_main]

use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks how many bytes of the rest are the secret.
    let Some((&split, rest)) = data.split_first() else { return };
    let split = usize::from(split).min(rest.len());
    let (secret, input) = rest.split_at(split);
    let secret = Secret::new(if secret.is_empty() { &b"demo"[..] } else { secret });
    let verifier = Verifier::new([secret.clone()]);

    let verified = verifier.verify(input);
    let claimed = verifier.read_unverified(input);
    if let Ok(webhook) = &verified {
        let claimed = claimed.expect("what verifies reads unverified");
        assert_eq!(webhook.payload().bytes(), claimed.bytes());
        let _ = webhook.payload().parse::<serde_json::Value>();
        assert!(!webhook.delivery_key().is_empty());
    }
    if serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(input).is_ok() {
        let body = sign(input, &secret, SignatureEncoding::Hex);
        assert!(verifier.with_max_body(usize::MAX).verify(body.as_bytes()).is_ok(), "a signed body must verify");
    }
});
