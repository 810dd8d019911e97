//! Batch mode's fast path: `verify --lines` and `decode --lines` meet a
//! million bodies, nearly all of them in the form GamePush sends (padded
//! standard base64, a compact JSON object, 64 hex digits). For those, this
//! module reaches gpwh-webhooks' verdict with less work: base64 decoded with
//! SIMD (base64-simd), the JSON walked once without building it
//! (`outline.rs`), the digest read sixteen hex digits per step (wide).
//!
//! It only ever says "valid" (or, for decode, "this is the payload"), and
//! only when gpwh-webhooks would say the same: anything else, any doubt, and
//! every failure go to gpwh-webhooks itself, which gives the verdict and its
//! words. So the fast path can make batch mode faster, never different; the
//! tests below and the conformance vectors hold it to that.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use wide::{bytemuck, i16x8, u8x16, u16x8};

use std::time::SystemTime;

use gpwh_webhooks::{Digest, Secret, SignatureEncoding, Verifier, sign};

use crate::capture::trim;
use crate::outline::{Kind, outline};

/// A body the fast path vouches for: gpwh-webhooks would accept it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valid<'a> {
    /// The payload's top-level `event` string.
    pub event: Option<&'a str>,
    /// Which secret signed it, from 0.
    pub secret_index: usize,
}

/// The verdict on `line` when it is one the fast path can give: `Some` only
/// for a body `verifier` accepts. `None` means "ask gpwh-webhooks": the body
/// may still be valid, in a form this path leaves alone.
///
/// With a replay window, the payload's time is measured against `now`.
pub fn verify<'s>(
    verifier: &Verifier,
    line: &[u8],
    now: SystemTime,
    scratch: &'s mut Vec<u8>,
) -> Option<Valid<'s>> {
    if line.len() > verifier.max_body() {
        return None;
    }
    let (payload_part, signature_part) = split(line)?;
    let signature = decode_hex_digest(signature_part)?;
    decode(payload_part, scratch)?;
    let payload: &'s [u8] = scratch;
    let found = outline(payload).filter(|found| found.kind == Kind::Object)?;
    let secret_index = matching_secret(&signature, payload_part, verifier.secrets())?;
    if verifier.max_age().is_some() && !in_window(verifier, secret_index, found.time?, now) {
        return None;
    }
    Some(Valid {
        event: found.event,
        secret_index,
    })
}

/// Whether `verifier`'s window takes `time`, the one check left once the
/// signature matched: asked of gpwh-webhooks itself, which reads times
/// strictly (RFC 3339 as section 5.6 writes it), on a body of that time
/// alone signed with the key that signed the line, so that the fast path
/// reads a time exactly as gpwh-webhooks does, without a second reader.
/// `time` is as `outline.rs` found it: a string without escapes, so it is
/// written into JSON as it is.
fn in_window(verifier: &Verifier, secret_index: usize, time: &str, now: SystemTime) -> bool {
    let Some(secret) = verifier.secrets().get(secret_index) else {
        return false;
    };
    let json = [br#"{"time":""#, time.as_bytes(), br#""}"#].concat();
    let body = sign(&json, secret, SignatureEncoding::Hex);
    verifier.verify_at(body.as_bytes(), now).is_ok()
}

/// The decoded payload of `line` into `scratch`, when the fast path can
/// vouch that gpwh-webhooks reads the same bytes as one JSON value. `None`
/// means "ask gpwh-webhooks".
pub fn payload(line: &[u8], scratch: &mut Vec<u8>) -> Option<()> {
    let payload_part = match split(line) {
        Some((payload_part, _)) => payload_part,
        None => trim(line),
    };
    decode(payload_part, scratch)?;
    outline(scratch).map(drop)
}

/// `line` less the whitespace around it, split at its last `.`.
fn split(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let body = trim(line);
    let dot = memchr::memrchr(b'.', body)?;
    Some((&body[..dot], &body[dot + 1..]))
}

/// Decodes `part` with SIMD when it is exactly padded standard base64 with
/// no stray bits, the form GamePush sends. Every text it takes,
/// gpwh-webhooks' careful decoder takes too, into the same bytes (tested).
fn decode(part: &[u8], buffer: &mut Vec<u8>) -> Option<()> {
    buffer.clear();
    if part.is_empty() {
        return None;
    }
    base64_simd::STANDARD.decode_append(part, buffer).ok()?;
    Some(())
}

/// The index of the first secret whose digest of `payload_part` is
/// `signature`. Every secret is hashed and compared in constant time, as
/// gpwh-webhooks does.
fn matching_secret(signature: &[u8; 32], payload_part: &[u8], secrets: &[Secret]) -> Option<usize> {
    let mut found: u64 = 0;
    for (index, secret) in secrets.iter().enumerate().rev() {
        let candidate = Digest::of(payload_part, secret);
        let position = u64::try_from(index + 1).unwrap_or(u64::MAX);
        found = u64::conditional_select(
            &found,
            &position,
            same_digest(signature, candidate.as_bytes()),
        );
    }
    usize::try_from(found).ok().and_then(|n| n.checked_sub(1))
}

/// Whether two digests are equal, in constant time: the differences are
/// folded into one word, and subtle compares only that word with zero.
pub fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> Choice {
    let mut difference = 0u64;
    for (a, b) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let a = u64::from_le_bytes(a.try_into().expect("chunks of 8"));
        let b = u64::from_le_bytes(b.try_into().expect("chunks of 8"));
        difference |= a ^ b;
    }
    difference.ct_eq(&0)
}

/// 64 hex digits in either case as 32 bytes, sixteen digits per SIMD
/// step: this runs once per body, and a table lookup per digit cost some
/// 500 instructions, a fourteenth of checking one.
fn decode_hex_digest(text: &[u8]) -> Option<[u8; 32]> {
    let text: &[u8; 64] = text.try_into().ok()?;
    let quarters: &[[u8; 16]; 4] = text.as_chunks::<16>().0.try_into().ok()?;
    let mut valid = true;
    // Each digit's value, or anything at all when `valid` turns false.
    let values = quarters.map(|quarter| {
        let digits = u8x16::new(quarter);
        let as_digit = digits - u8x16::splat(b'0');
        let as_letter = (digits | u8x16::splat(0x20)) - u8x16::splat(b'a');
        valid &= (as_digit.min(u8x16::splat(9)).simd_eq(as_digit)
            | as_letter.min(u8x16::splat(5)).simd_eq(as_letter))
        .to_bitmask()
            == 0xffff;
        // A digit read as a letter wraps past 0xcf, and a letter read as a
        // digit is 0x11 or more: the smaller reading is the value.
        as_digit.min(as_letter + u8x16::splat(10))
    });
    // Two digits to a byte: in each 16-bit lane, the first digit is the
    // low byte and goes high.
    let pairs = |values: u8x16| {
        let lanes: u16x8 = bytemuck::cast(values);
        bytemuck::cast::<u16x8, i16x8>(((lanes << 4) & u16x8::splat(0xf0)) | (lanes >> 8))
    };
    let low = u8x16::narrow_i16x8(pairs(values[0]), pairs(values[1]));
    let high = u8x16::narrow_i16x8(pairs(values[2]), pairs(values[3]));
    let mut digest = [0u8; 32];
    digest[..16].copy_from_slice(low.as_array());
    digest[16..].copy_from_slice(high.as_array());
    valid.then_some(digest)
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    use super::*;

    /// The fast path's answer agrees with gpwh-webhooks' on `line`: when it
    /// vouches, gpwh-webhooks accepts, with the same event and secret.
    fn agrees(verifier: &Verifier, line: &[u8], now: SystemTime) -> Result<(), String> {
        let mut scratch = Vec::new();
        let Some(valid) = verify(verifier, line, now, &mut scratch) else {
            return Ok(());
        };
        match verifier.verify_at(line, now) {
            Ok(webhook)
                if webhook.payload().event() == valid.event
                    && webhook.secret_index() == valid.secret_index =>
            {
                Ok(())
            }
            other => Err(format!(
                "{:?}: fast path {valid:?}, gpwh-webhooks {other:?}",
                String::from_utf8_lossy(line)
            )),
        }
    }

    #[test]
    fn vouches_for_the_form_gamepush_sends() {
        let secrets = [Secret::from("old"), Secret::from("k")];
        let verifier = Verifier::new(secrets.clone());
        let body = sign(
            br#"{"event":"GivePlayerReward","time":"x"}"#,
            &secrets[1],
            SignatureEncoding::Hex,
        );
        let mut scratch = Vec::new();
        let valid = verify(
            &verifier,
            format!(" {body}\r\n").as_bytes(),
            SystemTime::now(),
            &mut scratch,
        )
        .expect("vouched");
        assert_eq!(valid.event, Some("GivePlayerReward"));
        assert_eq!(valid.secret_index, 1);
        // Another key, a window without a readable time, a limit or an
        // array: left to gpwh-webhooks. An uppercase digest is vouched for.
        let upper = {
            let (part, digest) = body.rsplit_once('.').unwrap();
            format!("{part}.{}", digest.to_ascii_uppercase())
        };
        assert!(verify(&verifier, upper.as_bytes(), SystemTime::now(), &mut scratch).is_some());
        let cases: [(Verifier, String); 4] = [
            (Verifier::new([Secret::from("other")]), body.clone()),
            (
                verifier.clone().with_max_age(Duration::from_secs(60)),
                body.clone(),
            ),
            (verifier.clone().with_max_body(body.len() - 1), body.clone()),
            (
                verifier.clone(),
                sign(b"[1]", &secrets[1], SignatureEncoding::Hex),
            ),
        ];
        // A window reads the time as gpwh-webhooks does: in it, vouched for;
        // out of it, or unreadable ("x" above), left to gpwh-webhooks.
        let noon = r#"{"event":"GivePlayerReward","time":"2024-04-26T12:00:00Z"}"#;
        let at_noon = sign(noon.as_bytes(), &secrets[1], SignatureEncoding::Hex);
        let window = verifier.clone().with_max_age(Duration::from_secs(600));
        let noon = SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_132_800);
        for (seconds, vouched) in [(0, true), (600, true), (601, false)] {
            let now = noon + Duration::from_secs(seconds);
            let found = verify(&window, at_noon.as_bytes(), now, &mut scratch);
            assert_eq!(found.is_some(), vouched, "{seconds} s after");
            assert!(agrees(&window, at_noon.as_bytes(), now).is_ok());
        }
        for (verifier, line) in cases {
            assert_eq!(
                verify(&verifier, line.as_bytes(), SystemTime::now(), &mut scratch),
                None,
                "{line}"
            );
        }
    }

    /// serde_json's private number key, which arbitrary_precision (on in
    /// the tool) reads as a number at any depth: never vouched for, so
    /// gpwh-webhooks, built as the tool builds it, judges it.
    #[test]
    fn a_private_number_key_at_any_depth_is_left_to_gpwh_webhooks() {
        let secret = Secret::from("k");
        let verifier = Verifier::new([secret.clone()]);
        for json in [
            r#"{"event":"Give","$serde_json::private::Number":"1"}"#,
            r#"{"event":"Give","a":{"$serde_json::private::Number":"x"}}"#,
            r#"{"event":"Give","a":[{"b":{"$serde_json::private::Number":"1","c":2}}]}"#,
        ] {
            let body = sign(json.as_bytes(), &secret, SignatureEncoding::Hex);
            assert_eq!(
                verify(
                    &verifier,
                    body.as_bytes(),
                    SystemTime::now(),
                    &mut Vec::new()
                ),
                None,
                "{json}"
            );
            assert!(agrees(&verifier, body.as_bytes(), SystemTime::now()).is_ok());
        }
    }

    /// Every conformance vector: the fast path vouches only for bodies the
    /// vectors call valid, with their event and secret. Most vectors set a
    /// window, which the fast path leaves to gpwh-webhooks: those whose
    /// verdict has nothing to do with time run once more without it.
    #[test]
    fn vouches_only_for_what_the_vectors_call_valid() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/vectors.json");
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut vouched = 0;
        for vector in file["vectors"].as_array().unwrap() {
            let body = STANDARD
                .decode(vector["body_base64"].as_str().unwrap())
                .unwrap();
            let secrets = vector["secrets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| Secret::from(s.as_str().unwrap()));
            let mut verifier = Verifier::new(secrets);
            if let Some(limit) = vector["max_body"].as_u64() {
                verifier = verifier.with_max_body(usize::try_from(limit).unwrap());
            }
            let now: jiff::Timestamp = vector["now"].as_str().unwrap().parse().unwrap();
            let now = SystemTime::UNIX_EPOCH
                + Duration::from_secs(u64::try_from(now.as_second()).unwrap())
                + Duration::from_nanos(u64::try_from(now.subsec_nanosecond()).unwrap());
            let expect = &vector["expect"];
            let timeless = !matches!(
                expect["error"].as_str(),
                Some("stale" | "time-missing" | "time-format")
            );
            let mut verifiers = vec![];
            if let Some(seconds) = vector["max_age_seconds"].as_u64() {
                verifiers.push(verifier.clone().with_max_age(Duration::from_secs(seconds)));
                if timeless {
                    verifiers.push(verifier);
                }
            } else {
                verifiers.push(verifier);
            }
            for verifier in verifiers {
                let mut scratch = Vec::new();
                if let Some(valid) = verify(&verifier, &body, now, &mut scratch) {
                    vouched += 1;
                    assert_eq!(expect["valid"], true, "{}", vector["name"]);
                    assert_eq!(valid.event, expect["event"].as_str(), "{}", vector["name"]);
                    assert_eq!(
                        Some(valid.secret_index as u64),
                        expect["secret_index"].as_u64(),
                        "{}",
                        vector["name"]
                    );
                }
            }
        }
        assert!(
            vouched > 20,
            "the fast path vouched for {vouched} vectors only"
        );
    }

    proptest! {
        /// The SIMD decoder takes a subset of what gpwh-webhooks takes, and
        /// gives the same bytes.
        #[test]
        fn the_fast_decoder_agrees_with_the_careful_one(
            text in "[A-Za-z0-9+/=_-]{0,64}",
            bytes in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let encoded = STANDARD.encode(&bytes);
            let flipped = {
                let mut e = encoded.clone().into_bytes();
                if let Some(last) = e.iter().rposition(|&b| b != b'=') {
                    e[last] ^= 1;
                }
                e
            };
            let reader = Verifier::new([]);
            for part in [text.as_bytes(), encoded.as_bytes(), &flipped[..]] {
                let mut fast = Vec::new();
                if decode(part, &mut fast).is_some() {
                    let careful = reader.read_unverified(part);
                    // Decoded bytes that are not JSON are refused after
                    // decoding: compare the bytes only when both decoded.
                    if let Ok(careful) = careful {
                        prop_assert_eq!(&fast, careful.bytes());
                    } else {
                        prop_assert!(!careful.unwrap_err().code().contains("base64"), "{:?}", part);
                    }
                }
            }
            let mut fast = Vec::new();
            prop_assert!(encoded.is_empty() || decode(encoded.as_bytes(), &mut fast).is_some());
            prop_assert_eq!(fast, bytes);
        }

        /// Signed bodies, altered anywhere: whenever the fast path vouches,
        /// gpwh-webhooks agrees.
        #[test]
        fn whatever_it_vouches_for_gpwh_webhooks_accepts(
            event in "[A-Za-z]{0,12}",
            at in any::<prop::sample::Index>(),
            replacement in any::<u8>(),
        ) {
            let secret = Secret::from("k");
            let verifier = Verifier::new([secret.clone()]);
            let json = format!(r#"{{"event":"{event}","n":[1,2.5,"x"]}}"#);
            let body = sign(json.as_bytes(), &secret, SignatureEncoding::Hex).into_bytes();
            let now = SystemTime::now();
            prop_assert!(agrees(&verifier, &body, now).is_ok());
            let mut altered = body.clone();
            let position = at.index(altered.len());
            altered[position] = replacement;
            let verdict = agrees(&verifier, &altered, now);
            prop_assert!(verdict.is_ok(), "{}", verdict.unwrap_err());
        }
    }
}
