//! The one error type of the core, so that a caller can tell a forged body
//! (`SignatureMismatch`) from one that is not a webhook body at all (every
//! other variant) without parsing messages.

use std::fmt;
use std::time::Duration;

use crate::human::duration as human_duration;

/// Everything that can be wrong with a body, a payload or a signature.
///
/// Messages are lower-case, name what is wrong and where, and never contain
/// a secret or the signature a secret would produce.
///
/// ```
/// use gpwh_webhooks::{Error, Secret, Verifier};
///
/// // `{}` signed with "demo": printf '%s_%s' 'e30=' 'demo' | sha256sum
/// let body = b"e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80";
/// let error = Verifier::new([Secret::from("rotated key")]).verify(body).unwrap_err();
/// assert!(matches!(error, Error::SignatureMismatch { tried: 1, .. }));
/// assert_eq!(
///     error.to_string(),
///     "signature does not match: the body was not signed with the given secret"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The body was empty, or only whitespace.
    #[error("body is empty")]
    EmptyBody,

    /// The body is larger than the [`Verifier`](crate::Verifier)'s limit.
    #[error("body too large: more than {}", crate::human::size(*limit))]
    #[non_exhaustive]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },

    /// The body has no `.`, so it carries no signature.
    #[error("body has no signature: expected BASE64.SIGNATURE, found no '.'")]
    NoSignature,

    /// The part before the last `.` is empty.
    #[error("payload is empty: the body starts with '.'")]
    EmptyPayload,

    /// The part before the last `.` is not base64 in either alphabet.
    #[error("payload is not valid base64: {0}")]
    Base64(Base64Problem),

    /// The decoded payload is not JSON.
    #[error("payload is not JSON: {0}")]
    PayloadNotJson(serde_json::Error),

    /// The payload is JSON, but not an object.
    #[error("payload is not a JSON object: a webhook payload is an object, this is {0}")]
    PayloadNotObject(&'static str),

    /// The part after the last `.` is neither 64 hex digits nor the base64
    /// encoding of a 32-byte digest.
    #[error(
        "signature is not a SHA-256 digest: expected 64 hex digits or 43-44 base64 characters, \
         found {found}"
    )]
    #[non_exhaustive]
    SignatureFormat {
        /// What was found instead, described without echoing it whole.
        found: String,
    },

    /// The body is well formed, but no secret produces its signature.
    #[error("signature does not match: the body was not signed with {}", tried_secrets(*tried))]
    #[non_exhaustive]
    SignatureMismatch {
        /// How many secrets were tried.
        tried: usize,
    },

    /// The signature is valid, but the payload's `time` is older than
    /// allowed.
    #[error(
        "signature valid but the body is stale: sent {} ago, limit {}",
        human_duration(*age),
        human_duration(*limit)
    )]
    #[non_exhaustive]
    Stale {
        /// How long ago the body says it was sent.
        age: Duration,
        /// The age allowed.
        limit: Duration,
    },

    /// The signature is valid, but the payload's `time` is further in the
    /// future than clocks drift.
    #[error(
        "signature valid but the body is from the future: sent {} from now, allowance {}",
        human_duration(*ahead),
        human_duration(crate::freshness::CLOCK_SKEW)
    )]
    #[non_exhaustive]
    FromTheFuture {
        /// How far ahead of now the body's time is.
        ahead: Duration,
    },

    /// An age limit was set, but the payload has no `time` string.
    #[error("payload has no \"time\" to check its age against")]
    TimeMissing,

    /// An age limit was set, but the payload's `time` is not RFC 3339.
    #[error("payload time is not an RFC 3339 time: found {found}")]
    #[non_exhaustive]
    TimeFormat {
        /// The time found, quoted and shortened.
        found: String,
    },

    /// The payload is authentic, but does not fit the type it was asked
    /// for ([`crate::Payload::parse`], [`crate::Webhook::parse`]).
    #[error("payload does not fit the expected type: {0}")]
    PayloadShape(serde_json::Error),
}

fn tried_secrets(tried: usize) -> String {
    match tried {
        0 => "any secret (none was given)".to_owned(),
        1 => "the given secret".to_owned(),
        n => format!("any of the {n} given secrets"),
    }
}

impl Error {
    /// Whether the body is well formed and only the signature is wrong.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let verifier = Verifier::new([Secret::from("new key")]);
    /// // Signed with "demo": printf '%s_%s' 'e30=' 'demo' | sha256sum
    /// let body = b"e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80";
    /// assert!(verifier.verify(body).unwrap_err().is_mismatch());
    /// // No signature at all is another failure.
    /// assert!(!verifier.verify(b"e30=").unwrap_err().is_mismatch());
    /// ```
    pub fn is_mismatch(&self) -> bool {
        matches!(self, Error::SignatureMismatch { .. })
    }

    /// Whether the body is well formed but not to be trusted: signed with
    /// another key, or too old or too new.
    ///
    /// This is the line between "forged, or replayed" and "not a webhook
    /// body at all".
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
    ///
    /// let secret = Secret::from("demo");
    /// let json = br#"{"event":"GivePlayerReward","time":"2024-04-26T12:00:00Z"}"#;
    /// let body = sign(json, &secret, SignatureEncoding::Hex);
    /// let verifier = Verifier::new([secret]).with_max_age(Duration::from_secs(600));
    /// // The same body a day later: authentic, but replayed.
    /// let next_day = SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_132_800 + 86_400);
    /// assert!(verifier.verify_at(body.as_bytes(), next_day).unwrap_err().is_invalid());
    /// // Not a webhook body at all.
    /// assert!(!verifier.verify(b"hello").unwrap_err().is_invalid());
    /// ```
    pub fn is_invalid(&self) -> bool {
        matches!(
            self,
            Error::SignatureMismatch { .. } | Error::Stale { .. } | Error::FromTheFuture { .. }
        )
    }

    /// A short, stable, kebab-case name for the kind of failure, for
    /// machine-readable verdicts.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let verifier = Verifier::new([Secret::from("demo")]);
    /// let error = verifier.verify(b"").unwrap_err();
    /// // The same in every version and language: fit for a metric's label.
    /// assert_eq!(error.code(), "empty-body");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::EmptyBody => "empty-body",
            Error::TooLarge { .. } => "too-large",
            Error::NoSignature => "no-signature",
            Error::EmptyPayload => "empty-payload",
            Error::Base64(_) => "payload-not-base64",
            Error::PayloadNotJson(_) => "payload-not-json",
            Error::PayloadNotObject(_) => "payload-not-object",
            Error::SignatureFormat { .. } => "signature-format",
            Error::SignatureMismatch { .. } => "signature-mismatch",
            Error::Stale { .. } | Error::FromTheFuture { .. } => "stale",
            Error::TimeMissing => "time-missing",
            Error::TimeFormat { .. } => "time-format",
            Error::PayloadShape(_) => "payload-shape",
        }
    }
}

/// Why a payload is not base64, with the offset inside the payload part.
///
/// ```
/// use gpwh_webhooks::{Base64Problem, Error, Secret, Verifier};
///
/// let verifier = Verifier::new([Secret::from("demo")]);
/// let error = verifier.verify(b"e3!=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80").unwrap_err();
/// assert!(matches!(
///     error,
///     Error::Base64(Base64Problem::InvalidByte { offset: 2, byte: b'!', .. })
/// ));
/// assert_eq!(error.to_string(), "payload is not valid base64: invalid byte '!' at offset 2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base64Problem {
    /// A byte that belongs to neither alphabet, or `=` out of place.
    #[non_exhaustive]
    InvalidByte {
        /// Offset of the byte in the payload part, from 0.
        offset: usize,
        /// The byte itself.
        byte: u8,
    },
    /// Characters from both alphabets (`+` or `/` and `-` or `_`).
    #[non_exhaustive]
    MixedAlphabets {
        /// Offset of the first character from the second alphabet.
        offset: usize,
        /// That character.
        byte: u8,
    },
    /// A length no base64 encoding can have.
    #[non_exhaustive]
    InvalidLength {
        /// Number of base64 characters, padding excluded.
        symbols: usize,
    },
    /// The last character carries bits that decode to nothing: the text was
    /// truncated or altered.
    #[non_exhaustive]
    TrailingBits {
        /// Offset of the last character.
        offset: usize,
        /// That character.
        byte: u8,
    },
    /// `=` padding of the wrong length.
    InvalidPadding,
}

impl fmt::Display for Base64Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Base64Problem::InvalidByte { offset, byte } => {
                write!(f, "invalid byte {} at offset {offset}", quoted(byte))
            }
            Base64Problem::MixedAlphabets { offset, byte } => write!(
                f,
                "{} at offset {offset} mixes the URL-safe and standard alphabets",
                quoted(byte)
            ),
            Base64Problem::InvalidLength { symbols } => write!(
                f,
                "{symbols} characters is not a possible length (truncated?)"
            ),
            Base64Problem::TrailingBits { offset, byte } => write!(
                f,
                "last character {} at offset {offset} has bits that decode to nothing (truncated or altered?)",
                quoted(byte)
            ),
            Base64Problem::InvalidPadding => f.write_str("wrong '=' padding"),
        }
    }
}

/// A byte in single quotes, escaped when it is not printable ASCII.
pub(crate) fn quoted(byte: u8) -> String {
    if byte.is_ascii_graphic() && byte != b'\'' && byte != b'\\' || byte == b' ' {
        format!("'{}'", char::from(byte))
    } else {
        format!("'{}'", std::ascii::escape_default(byte))
    }
}
