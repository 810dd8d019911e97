//! Signatures: SHA-256 over `PAYLOAD_PART "_" SECRET`, written as lowercase
//! hex when we sign and read as hex (any case) or base64 (either alphabet,
//! padded or not) when we verify, since the vendor leaves the encoding open.
//! Received and expected digests are compared in constant time.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{
    STANDARD, STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT,
};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use crate::error::quoted;
use crate::{Error, Secret};

/// How a signature's 32 bytes are written as text.
///
/// ```
/// use gpwh_webhooks::SignatureEncoding;
///
/// assert_eq!(SignatureEncoding::Hex.name(), "hex");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureEncoding {
    /// 64 hex digits; gpwh writes lowercase and reads either case.
    Hex,
    /// Base64 of the 32 bytes; gpwh writes standard padded and reads either
    /// alphabet, padded or not.
    Base64,
}

impl SignatureEncoding {
    /// `"hex"` or `"base64"`.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// // printf '%s_%s' 'e30=' 'demo' | openssl dgst -sha256 -binary | base64
    /// let body = b"e30=.BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2a4A=";
    /// let webhook = Verifier::new([Secret::from("demo")]).verify(body)?;
    /// assert_eq!(webhook.encoding().name(), "base64");
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            SignatureEncoding::Hex => "hex",
            SignatureEncoding::Base64 => "base64",
        }
    }
}

/// The SHA-256 digest that signs a payload part with a secret: what a
/// signature part carries, for tests that need a body signed in another
/// form than [`crate::sign`] writes (uppercase hex, base64).
///
/// It has no `==`: compare digests in constant time, as the [`Verifier`](crate::Verifier) does.
///
/// ```
/// use gpwh_webhooks::{Digest, Secret, SignatureEncoding};
///
/// // printf '%s_%s' 'e30=' 'demo' | sha256sum
/// let digest = Digest::of(b"e30=", &Secret::from("demo"));
/// assert_eq!(
///     digest.encode(SignatureEncoding::Hex),
///     "06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80"
/// );
/// ```
#[derive(Clone)]
pub struct Digest([u8; 32]);

impl Digest {
    /// SHA-256 over `payload_part`, `_`, and the secret.
    ///
    /// ```
    /// use gpwh_webhooks::{Digest, Secret, SignatureEncoding, Verifier};
    ///
    /// // A body signed in uppercase hex, which `sign` does not write.
    /// let digest = Digest::of(b"e30=", &Secret::from("demo"));
    /// let body = format!("e30=.{}", digest.encode(SignatureEncoding::Hex).to_uppercase());
    /// assert!(Verifier::new([Secret::from("demo")]).verify(body.as_bytes()).is_ok());
    /// ```
    #[cfg(not(feature = "ring"))]
    pub fn of(payload_part: &[u8], secret: &Secret) -> Self {
        use sha2::{Digest as _, Sha256};

        let mut hasher = Sha256::new();
        hasher.update(payload_part);
        hasher.update(b"_");
        hasher.update(secret.expose_secret());
        Digest(hasher.finalize().into())
    }

    /// SHA-256 over `payload_part`, `_`, and the secret, with ring's
    /// assembly (the `ring` feature).
    ///
    /// ```
    /// use gpwh_webhooks::{Digest, Secret, SignatureEncoding, Verifier};
    ///
    /// // A body signed in uppercase hex, which `sign` does not write.
    /// let digest = Digest::of(b"e30=", &Secret::from("demo"));
    /// let body = format!("e30=.{}", digest.encode(SignatureEncoding::Hex).to_uppercase());
    /// assert!(Verifier::new([Secret::from("demo")]).verify(body.as_bytes()).is_ok());
    /// ```
    #[cfg(feature = "ring")]
    pub fn of(payload_part: &[u8], secret: &Secret) -> Self {
        let mut context = ring::digest::Context::new(&ring::digest::SHA256);
        context.update(payload_part);
        context.update(b"_");
        context.update(secret.expose_secret());
        let mut digest = [0u8; 32];
        digest.copy_from_slice(context.finish().as_ref());
        Digest(digest)
    }

    /// The digest's 32 bytes.
    ///
    /// ```
    /// use gpwh_webhooks::{Digest, Secret};
    ///
    /// // printf '%s_%s' 'e30=' 'demo' | sha256sum: 06e0b399...
    /// let digest = Digest::of(b"e30=", &Secret::from("demo"));
    /// assert_eq!(digest.as_bytes()[..4], [0x06, 0xe0, 0xb3, 0x99]);
    /// ```
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The digest as text in `encoding`: lowercase hex, or standard padded
    /// base64.
    ///
    /// ```
    /// use gpwh_webhooks::{Digest, Secret, SignatureEncoding};
    ///
    /// let digest = Digest::of(b"e30=", &Secret::from("demo"));
    /// // printf '%s_%s' 'e30=' 'demo' | openssl dgst -sha256 -binary | base64
    /// assert_eq!(
    ///     digest.encode(SignatureEncoding::Base64),
    ///     "BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2a4A="
    /// );
    /// ```
    pub fn encode(&self, encoding: SignatureEncoding) -> String {
        match encoding {
            SignatureEncoding::Hex => hex::encode(self.0),
            SignatureEncoding::Base64 => STANDARD.encode(self.0),
        }
    }
}

/// SHA-256 of `bytes`, with the same implementation as [`Digest::of`].
#[cfg(not(feature = "ring"))]
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::{Digest as _, Sha256};

    Sha256::digest(bytes).into()
}

/// SHA-256 of `bytes`, with the same implementation as [`Digest::of`].
#[cfg(feature = "ring")]
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut digest = [0u8; 32];
    digest.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref());
    digest
}

impl fmt::Debug for Digest {
    // A digest made with the real secret is the right answer for a body:
    // keep it out of debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Digest(..)")
    }
}

/// A signature as received: its 32 bytes and how they were written.
#[derive(Clone)]
pub(crate) struct Signature {
    digest: [u8; 32],
    encoding: SignatureEncoding,
}

impl Signature {
    /// Reads a received signature part.
    ///
    /// # Errors
    /// [`Error::SignatureFormat`] unless the text is 64 hex digits or the
    /// base64 encoding of exactly 32 bytes.
    pub(crate) fn parse(text: &[u8]) -> Result<Self, Error> {
        if let Some(digest) = decode_hex_digest(text) {
            return Ok(Signature {
                digest,
                encoding: SignatureEncoding::Hex,
            });
        }
        if let Some(bytes) = decode_base64_digest(text) {
            return Ok(Signature {
                digest: bytes,
                encoding: SignatureEncoding::Base64,
            });
        }
        Err(Error::SignatureFormat {
            found: describe(text),
        })
    }

    /// How the signature was written.
    pub(crate) fn encoding(&self) -> SignatureEncoding {
        self.encoding
    }

    /// The index (from 0) of the first secret whose digest of
    /// `payload_part` equals this signature, if any.
    ///
    /// Every secret is hashed and compared in constant time, so the time
    /// taken says nothing about which secret matched or how closely.
    pub(crate) fn matching_secret(&self, payload_part: &[u8], secrets: &[Secret]) -> Option<usize> {
        let mut found: u64 = 0;
        for (index, secret) in secrets.iter().enumerate().rev() {
            let candidate = Digest::of(payload_part, secret);
            let position = u64::try_from(index + 1).unwrap_or(u64::MAX);
            found =
                u64::conditional_select(&found, &position, same_digest(&self.digest, &candidate.0));
        }
        usize::try_from(found).ok().and_then(|n| n.checked_sub(1))
    }
}

/// Whether two digests are equal, in constant time: every byte is compared,
/// the differences are folded into one word, and subtle compares only that
/// word with zero. subtle's `ct_eq` on the arrays hides each of the 32
/// bytes from the optimizer one by one, which cost as much as a tenth of
/// checking a body.
fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> Choice {
    let mut difference = 0u64;
    for (a, b) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let a = u64::from_le_bytes(a.try_into().expect("chunks of 8"));
        let b = u64::from_le_bytes(b.try_into().expect("chunks of 8"));
        difference |= a ^ b;
    }
    difference.ct_eq(&0)
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

/// 64 hex digits in either case as 32 bytes.
fn decode_hex_digest(text: &[u8]) -> Option<[u8; 32]> {
    let mut digest = [0u8; 32];
    hex::decode_to_slice(text, &mut digest).ok()?;
    Some(digest)
}

fn decode_base64_digest(text: &[u8]) -> Option<[u8; 32]> {
    if !(43..=44).contains(&text.len()) {
        return None;
    }
    let url_safe = text.iter().any(|&b| b == b'-' || b == b'_');
    let engine = if url_safe {
        &URL_SAFE_PAD_INDIFFERENT
    } else {
        &STANDARD_PAD_INDIFFERENT
    };
    let mut digest = [0u8; 32];
    match engine.decode_slice(text, &mut digest) {
        Ok(32) => Some(digest),
        _ => None,
    }
}

/// Says what a malformed signature looks like without repeating it.
fn describe(text: &[u8]) -> String {
    if text.is_empty() {
        return "nothing after the last '.'".to_owned();
    }
    let in_either_alphabet =
        |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=');
    let count = if text.len() == 1 {
        "character"
    } else {
        "characters"
    };
    match text.iter().position(|b| !in_either_alphabet(b)) {
        Some(offset) => format!(
            "{} {count} with {} at offset {offset}",
            text.len(),
            quoted(text[offset])
        ),
        None => format!("{} {count}", text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_the_same_only_when_every_byte_is() {
        let digest = [7u8; 32];
        assert!(bool::from(same_digest(&digest, &digest)));
        for byte in 0..32 {
            for bit in 0..8 {
                let mut other = digest;
                other[byte] ^= 1 << bit;
                assert!(!bool::from(same_digest(&digest, &other)), "{byte}/{bit}");
            }
        }
    }

    // printf '%s_%s' 'e30=' 'demo' | sha256sum
    const E30_DEMO_HEX: &str = "06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80";
    // printf '%s_%s' 'e30=' 'demo' | openssl dgst -sha256 -binary | base64
    const E30_DEMO_BASE64: &str = "BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2a4A=";

    #[test]
    fn digest_matches_sha256sum() {
        let digest = Digest::of(b"e30=", &Secret::from("demo"));
        assert_eq!(digest.encode(SignatureEncoding::Hex), E30_DEMO_HEX);
        assert_eq!(digest.encode(SignatureEncoding::Base64), E30_DEMO_BASE64);
    }

    #[test]
    fn reads_hex_in_either_case() {
        let upper = E30_DEMO_HEX.to_ascii_uppercase();
        for text in [E30_DEMO_HEX, upper.as_str()] {
            let signature = Signature::parse(text.as_bytes()).unwrap();
            assert_eq!(signature.encoding(), SignatureEncoding::Hex);
            assert_eq!(
                signature.matching_secret(b"e30=", &[Secret::from("demo")]),
                Some(0)
            );
        }
    }

    #[test]
    fn hex_decoding_takes_only_hex_digits() {
        let digits = b"0123456789abcdefABCDEF";
        let mut text = [b'0'; 64];
        for (i, &d) in digits.iter().enumerate() {
            text[i] = d;
        }
        let decoded = decode_hex_digest(&text).unwrap();
        assert_eq!(
            decoded[..11],
            [
                0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef
            ]
        );
        for bad in [b'g', b'G', b'/', b':', b'@', b'`', b' ', 0xff, 0x00] {
            let mut text = [b'a'; 64];
            text[17] = bad;
            assert_eq!(decode_hex_digest(&text), None, "{bad}");
        }
        assert_eq!(decode_hex_digest(&[b'a'; 63]), None);
    }

    #[test]
    fn hex_decoding_agrees_with_the_hex_crate_on_every_byte_at_every_place() {
        let valid = *b"00112233445566778899aAbBcCdDeEfF0123456789abcdefABCDEF0f1e2d3c4b";
        for place in 0..64 {
            for byte in 0..=255u8 {
                let mut text = valid;
                text[place] = byte;
                let expected = hex::decode(text)
                    .ok()
                    .map(|bytes| <[u8; 32]>::try_from(bytes).expect("64 hex digits are 32 bytes"));
                assert_eq!(decode_hex_digest(&text), expected, "{byte:#x} at {place}");
            }
        }
    }

    #[test]
    fn reads_base64_in_all_four_flavours() {
        let url_safe = E30_DEMO_BASE64.replace('+', "-").replace('/', "_");
        for text in [
            E30_DEMO_BASE64,
            E30_DEMO_BASE64.trim_end_matches('='),
            url_safe.as_str(),
            url_safe.trim_end_matches('='),
        ] {
            let signature = Signature::parse(text.as_bytes()).unwrap();
            assert_eq!(signature.encoding(), SignatureEncoding::Base64, "{text}");
            assert_eq!(
                signature.matching_secret(b"e30=", &[Secret::from("demo")]),
                Some(0)
            );
        }
    }

    #[test]
    fn refuses_every_other_length_and_a_mixed_alphabet() {
        // '-' from the URL-safe alphabet, '+' from the standard one.
        let mixed = E30_DEMO_BASE64.replacen('B', "-", 1);
        assert!(mixed.contains('+'));
        let hex_65 = format!("{E30_DEMO_HEX}0");
        for text in [
            &E30_DEMO_HEX[..63],
            hex_65.as_str(),
            // 31 and 33 bytes, and the 32 with a second '='.
            "BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2aw==",
            "BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2a4AA",
            "BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2a4A==",
            // Both alphabets in one text.
            mixed.as_str(),
            "",
            "not a digest",
        ] {
            let error = Signature::parse(text.as_bytes()).unwrap_err();
            assert_eq!(error.code(), "signature-format", "{text:?}");
        }
    }

    #[test]
    fn reports_the_first_matching_secret_from_0() {
        let signature = Signature::parse(E30_DEMO_HEX.as_bytes()).unwrap();
        let secrets = [
            Secret::from("old"),
            Secret::from("demo"),
            Secret::from("demo"),
        ];
        assert_eq!(signature.matching_secret(b"e30=", &secrets), Some(1));
        assert_eq!(signature.matching_secret(b"e30=", &secrets[..1]), None);
        assert_eq!(signature.matching_secret(b"e30=", &[]), None);
    }

    #[test]
    fn a_changed_payload_part_does_not_match() {
        let signature = Signature::parse(E30_DEMO_HEX.as_bytes()).unwrap();
        assert_eq!(
            signature.matching_secret(b"e30", &[Secret::from("demo")]),
            None
        );
    }

    #[test]
    fn describes_malformed_signatures_without_echoing_them() {
        let err = Signature::parse(b"").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("found nothing after the last '.'")
        );
        let err = Signature::parse(&E30_DEMO_HEX.as_bytes()[..63]).unwrap_err();
        assert!(err.to_string().ends_with("found 63 characters"), "{err}");
        let quoted = format!("\"{E30_DEMO_HEX}\"");
        let err = Signature::parse(quoted.as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("found 66 characters with '\"' at offset 0"),
            "{err}"
        );
        assert!(!err.to_string().contains(E30_DEMO_HEX));
    }

    #[test]
    fn debug_output_hides_digests() {
        let digest = Digest::of(b"e30=", &Secret::from("demo"));
        assert_eq!(format!("{digest:?}"), "Digest(..)");
        let signature = Signature::parse(E30_DEMO_HEX.as_bytes()).unwrap();
        assert!(!format!("{signature:?}").contains("06e0"));
    }
}
