//! When a body fails verification, the common mistake that explains it, if
//! one does. Every hint is a yes-or-no finding about the body and secrets
//! the user gave; none prints, or lets anyone work out, the signature a
//! body should carry.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

use crate::{Body, Error, Secret, Signature, decoding};

/// A likely cause of a failed verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hint {
    /// The signature has whitespace or a line break inside.
    SignatureWrapped,
    /// The signature is in quotes.
    SignatureQuoted,
    /// The signature is hex, but fewer than 64 digits.
    SignatureTruncated,
    /// The signature is hex, but more than 64 digits.
    SignatureTooLong,
    /// The payload has whitespace or a line break inside.
    BodyWrapped,
    /// The whole body is in quotes.
    BodyQuoted,
    /// More than one `.`: bodies run together, or not a body.
    ManyDots,
    /// JSON where a body belongs.
    JsonNotBody,
    /// A secret matches once the whitespace around it is removed.
    SecretWhitespace,
    /// A secret matches once the quotes around it are removed.
    SecretQuoted,
    /// The signature was made over the decoded JSON, not the base64 text.
    SignedDecodedJson,
    /// The signature matches the payload written in the other base64
    /// alphabet, or with other padding: it was re-encoded after signing.
    ReEncodedPayload,
}

impl Hint {
    /// A short, stable, kebab-case name for the hint.
    pub fn code(self) -> &'static str {
        match self {
            Hint::SignatureWrapped => "signature-wrapped",
            Hint::SignatureQuoted => "signature-quoted",
            Hint::SignatureTruncated => "signature-truncated",
            Hint::SignatureTooLong => "signature-too-long",
            Hint::BodyWrapped => "body-wrapped",
            Hint::BodyQuoted => "body-quoted",
            Hint::ManyDots => "many-dots",
            Hint::JsonNotBody => "json-not-body",
            Hint::SecretWhitespace => "secret-whitespace",
            Hint::SecretQuoted => "secret-quoted",
            Hint::SignedDecodedJson => "signed-decoded-json",
            Hint::ReEncodedPayload => "re-encoded-payload",
        }
    }
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Hint::SignatureWrapped => {
                "the signature has whitespace or a line break inside: was the body wrapped when it was copied?"
            }
            Hint::SignatureQuoted => "the signature is in quotes: remove them",
            Hint::SignatureTruncated => "the signature has fewer than 64 hex digits: was the body cut short?",
            Hint::SignatureTooLong => {
                "the signature has more than 64 hex digits: is something stuck to the end of the body?"
            }
            Hint::BodyWrapped => {
                "the payload has whitespace or a line break inside: was the body wrapped when it was captured?"
            }
            Hint::BodyQuoted => "the body is in quotes: pass it without them",
            Hint::ManyDots => "the body has more than one '.': are two bodies run together?",
            Hint::JsonNotBody => {
                "this is JSON, not a body: a body is BASE64(JSON).SIGNATURE, as gpwh sign makes"
            }
            Hint::SecretWhitespace => {
                "a secret matches without the whitespace around it: check the secret file or variable"
            }
            Hint::SecretQuoted => "a secret matches without the quotes around it: store the key without quotes",
            Hint::SignedDecodedJson => {
                "the signature was made over the decoded JSON: it must be over the base64 text, BASE64 + \"_\" + SECRET"
            }
            Hint::ReEncodedPayload => {
                "the signature matches the payload in another base64 form: the body was re-encoded after it was signed"
            }
        })
    }
}

/// The common mistake that explains why `input` failed to verify against
/// `secrets` with `error`, if one does.
pub fn diagnose(input: &[u8], secrets: &[Secret], error: &Error) -> Option<Hint> {
    let body = Body::parse(input).ok()?;
    match error {
        Error::SignatureFormat { .. } => body.signature_part().and_then(signature_mistake),
        Error::Base64(_) => payload_mistake(body.payload_part()),
        Error::SignatureMismatch { .. } => mismatch_mistake(&body, secrets),
        _ => None,
    }
}

fn payload_mistake(part: &[u8]) -> Option<Hint> {
    if matches!(part.first(), Some(b'{' | b'[')) {
        Some(Hint::JsonNotBody)
    } else if part.contains(&b'.') {
        Some(Hint::ManyDots)
    } else if part.iter().any(u8::is_ascii_whitespace) {
        Some(Hint::BodyWrapped)
    } else if matches!(part.first(), Some(b'"' | b'\'')) {
        Some(Hint::BodyQuoted)
    } else {
        None
    }
}

fn signature_mistake(signature: &[u8]) -> Option<Hint> {
    let quote = |b: Option<&u8>| matches!(b, Some(b'"' | b'\''));
    if quote(signature.first()) || quote(signature.last()) {
        return Some(Hint::SignatureQuoted);
    }
    if signature.iter().any(u8::is_ascii_whitespace) {
        return Some(Hint::SignatureWrapped);
    }
    if !signature.is_empty() && signature.iter().all(u8::is_ascii_hexdigit) {
        return Some(if signature.len() < 64 {
            Hint::SignatureTruncated
        } else {
            Hint::SignatureTooLong
        });
    }
    None
}

fn mismatch_mistake(body: &Body<'_>, secrets: &[Secret]) -> Option<Hint> {
    let signature = Signature::parse(body.signature_part()?).ok()?;
    let part = body.payload_part();
    let matches =
        |text: &[u8], secrets: &[Secret]| signature.matching_secret(text, secrets).is_some();

    let trimmed: Vec<Secret> = secrets
        .iter()
        .filter_map(|s| variant(s, |b| b.trim_ascii()))
        .collect();
    if matches(part, &trimmed) {
        return Some(Hint::SecretWhitespace);
    }
    let unquoted: Vec<Secret> = secrets
        .iter()
        .filter_map(|s| variant(s, |b| unquote(b.trim_ascii())))
        .collect();
    if matches(part, &unquoted) {
        return Some(Hint::SecretQuoted);
    }
    let decoded = decoding::decode_base64(part).ok()?;
    if matches(&decoded, secrets) {
        return Some(Hint::SignedDecodedJson);
    }
    let other_forms = [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .map(|engine| engine.encode(&decoded))
        .into_iter()
        .filter(|form| form.as_bytes() != part);
    for form in other_forms {
        if matches(form.as_bytes(), secrets) {
            return Some(Hint::ReEncodedPayload);
        }
    }
    None
}

/// The secret changed by `change`, if that changes it.
fn variant(secret: &Secret, change: impl Fn(&[u8]) -> &[u8]) -> Option<Secret> {
    let changed = change(secret.expose());
    (changed != secret.expose() && !changed.is_empty()).then(|| Secret::new(changed))
}

fn unquote(bytes: &[u8]) -> &[u8] {
    for quote in [b'"', b'\''] {
        if bytes.len() >= 2 && bytes[0] == quote && bytes[bytes.len() - 1] == quote {
            return &bytes[1..bytes.len() - 1];
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SignatureEncoding, sign, verify};

    fn hint(input: &[u8], secret: &str) -> Option<Hint> {
        let secrets = [Secret::from(secret)];
        let error = verify(input, &secrets).unwrap_err();
        diagnose(input, &secrets, &error)
    }

    fn signed(json: &str) -> String {
        sign(
            json.as_bytes(),
            &Secret::from("demo"),
            SignatureEncoding::Hex,
        )
    }

    #[test]
    fn finds_a_mangled_signature() {
        let body = signed("{}");
        let (payload, signature) = body.rsplit_once('.').unwrap();
        assert_eq!(
            hint(format!("{payload}.\"{signature}\"").as_bytes(), "demo"),
            Some(Hint::SignatureQuoted)
        );
        assert_eq!(
            hint(
                format!("{payload}.{}\n{}", &signature[..30], &signature[30..]).as_bytes(),
                "demo"
            ),
            Some(Hint::SignatureWrapped)
        );
        assert_eq!(
            hint(format!("{payload}.{}", &signature[..60]).as_bytes(), "demo"),
            Some(Hint::SignatureTruncated)
        );
        assert_eq!(
            hint(format!("{payload}.{signature}00").as_bytes(), "demo"),
            Some(Hint::SignatureTooLong)
        );
    }

    #[test]
    fn finds_a_mangled_body() {
        let body = signed(r#"{"event":"GivePlayerReward","player":{"id":1820283}}"#);
        let wrapped = format!("{}\n{}", &body[..20], &body[20..]);
        assert_eq!(hint(wrapped.as_bytes(), "demo"), Some(Hint::BodyWrapped));
        assert_eq!(
            hint(format!("\"{body}\"").as_bytes(), "demo"),
            Some(Hint::BodyQuoted)
        );
        let twice = format!("{body}{body}");
        assert_eq!(hint(twice.as_bytes(), "demo"), Some(Hint::ManyDots));
        assert_eq!(
            hint(br#"{"event":"x","time":"2024-04-26T11:34:23.4Z"}"#, "demo"),
            Some(Hint::JsonNotBody)
        );
    }

    #[test]
    fn finds_a_decorated_secret() {
        let body = signed("{}");
        assert_eq!(
            hint(body.as_bytes(), "demo\n"),
            Some(Hint::SecretWhitespace)
        );
        assert_eq!(
            hint(body.as_bytes(), " demo "),
            Some(Hint::SecretWhitespace)
        );
        assert_eq!(hint(body.as_bytes(), "\"demo\""), Some(Hint::SecretQuoted));
        assert_eq!(hint(body.as_bytes(), "'demo'\n"), Some(Hint::SecretQuoted));
        assert_eq!(hint(body.as_bytes(), "other"), None);
    }

    #[test]
    fn finds_a_signature_over_the_decoded_json() {
        // printf '%s_%s' '{}' demo | sha256sum
        let body = "e30=.af2f03c322b113d0449c160f8737744121b5c58ba8a485fd89ab1e8fca59281f";
        assert_eq!(hint(body.as_bytes(), "demo"), Some(Hint::SignedDecodedJson));
    }

    #[test]
    fn finds_a_payload_re_encoded_after_signing() {
        // "~?~" encodes with '/' in standard base64: sign that, then send the
        // URL-safe form, as a proxy that "normalises" base64 would.
        let body = signed(r#"{"a":"~?~~"}"#);
        let (payload, signature) = body.rsplit_once('.').unwrap();
        assert!(payload.contains('+') || payload.contains('/'), "{payload}");
        let url_safe = payload.replace('+', "-").replace('/', "_").replace('=', "");
        assert_eq!(
            hint(format!("{url_safe}.{signature}").as_bytes(), "demo"),
            Some(Hint::ReEncodedPayload)
        );
    }

    #[test]
    fn says_nothing_when_nothing_fits() {
        let body = signed("{}");
        let (payload, _) = body.rsplit_once('.').unwrap();
        assert_eq!(
            hint(format!("{payload}.{}", "0".repeat(64)).as_bytes(), "demo"),
            None
        );
    }
}
