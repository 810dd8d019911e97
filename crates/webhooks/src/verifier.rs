//! What a game server configures once and asks of every body it receives:
//! the secret keys it accepts, how old a body may be, and how large. It is
//! the one way to verify a body, and the strict one: the body is taken as it
//! came off the network, less the whitespace around it.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::body::Body;
use crate::freshness::Freshness;
use crate::signature::Signature;
use crate::{Error, Payload, Secret, Webhook, decoding};

/// The keys a receiver accepts and the limits it sets, asked of every body.
///
/// Verifying checks, in this order: the size, that there is a signature
/// part, that the payload part is base64 of a JSON object, that the
/// signature part is a SHA-256 digest (hex in either case, or base64) made
/// with one of the secrets (compared in constant time), and, when a
/// [window](Verifier::with_max_age) is set, the payload's `time`.
///
/// ```
/// use std::time::Duration;
/// use gpwh_webhooks::{Secret, Verifier};
///
/// // Cheap to clone: the secrets are shared.
/// let verifier = Verifier::new([Secret::from("your secret key")])
///     .with_max_age(Duration::from_secs(24 * 3600));
///
/// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
/// match verifier.verify(body) {
///     Ok(webhook) => println!("{:?}", webhook.payload().event()),
///     Err(error) if error.is_invalid() => println!("forged or replayed: {error}"),
///     Err(error) => println!("not a webhook body: {error}"),
/// }
/// ```
#[derive(Clone)]
pub struct Verifier {
    secrets: Arc<[Secret]>,
    max_age: Option<Duration>,
    max_body: usize,
}

impl Verifier {
    /// The body limit of a new verifier: 1 MiB, some hundred times the
    /// largest webhook.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let verifier = Verifier::new([Secret::from("demo")]);
    /// assert_eq!(verifier.max_body(), Verifier::DEFAULT_MAX_BODY);
    /// assert_eq!(Verifier::DEFAULT_MAX_BODY, 1024 * 1024);
    /// ```
    pub const DEFAULT_MAX_BODY: usize = 1 << 20;

    /// A verifier that accepts a body signed with any of `secrets` (give
    /// two during a key rotation), of any age, up to
    /// [`Verifier::DEFAULT_MAX_BODY`].
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let verifier = Verifier::new([Secret::from("old key"), Secret::from("new key")]);
    /// assert_eq!(verifier.secrets().len(), 2);
    /// ```
    pub fn new(secrets: impl IntoIterator<Item = Secret>) -> Verifier {
        Verifier {
            secrets: secrets.into_iter().collect(),
            max_age: None,
            max_body: Verifier::DEFAULT_MAX_BODY,
        }
    }

    /// Refuse bodies whose `time` is older than `max_age`, or more than a
    /// minute in the future: a replayed body carries a valid signature.
    /// Bodies without a `time` in RFC 3339 are then refused too.
    ///
    /// ```
    /// use std::time::Duration;
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let verifier = Verifier::new([Secret::from("k")]).with_max_age(Duration::from_secs(600));
    /// assert_eq!(verifier.max_age(), Some(Duration::from_secs(600)));
    /// ```
    pub fn with_max_age(mut self, max_age: Duration) -> Verifier {
        self.max_age = Some(max_age);
        self
    }

    /// Refuse bodies larger than `bytes`, whitespace included.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let verifier = Verifier::new([Secret::from("k")]).with_max_body(64 << 10);
    /// assert_eq!(verifier.verify(&vec![b' '; 65 << 10]).unwrap_err().code(), "too-large");
    /// ```
    pub fn with_max_body(mut self, bytes: usize) -> Verifier {
        self.max_body = bytes;
        self
    }

    /// The secrets, in the order given.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// assert!(Verifier::new([]).secrets().is_empty());
    /// ```
    pub fn secrets(&self) -> &[Secret] {
        &self.secrets
    }

    /// The replay window, if one is set.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// assert_eq!(Verifier::new([Secret::from("k")]).max_age(), None);
    /// ```
    pub fn max_age(&self) -> Option<Duration> {
        self.max_age
    }

    /// The body limit, in bytes.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// assert_eq!(Verifier::new([Secret::from("k")]).max_body(), Verifier::DEFAULT_MAX_BODY);
    /// ```
    pub fn max_body(&self) -> usize {
        self.max_body
    }

    /// Verifies a body as received, against the system clock.
    ///
    /// # Errors
    /// An [`Error`] saying what is wrong: [`Error::is_invalid`] tells a
    /// forged or replayed body from one that is not a webhook body at all.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let verifier = Verifier::new([Secret::from("demo")]);
    /// // printf '%s_%s' eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ== demo | sha256sum
    /// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
    ///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
    /// let webhook = verifier.verify(body)?;
    /// assert_eq!(webhook.payload().event(), Some("GivePlayerReward"));
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn verify(&self, body: &[u8]) -> Result<Webhook, Error> {
        self.verify_at(body, SystemTime::now())
    }

    /// Verifies a body as received, with `now` as the time to measure its
    /// age against: for tests, and for bodies checked long after they came.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
    ///
    /// let secret = Secret::from("k");
    /// let body = sign(br#"{"time":"2024-04-26T12:00:00Z"}"#, &secret, SignatureEncoding::Hex);
    /// let verifier = Verifier::new([secret]).with_max_age(Duration::from_secs(600));
    /// let noon = SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_132_800);
    /// assert!(verifier.verify_at(body.as_bytes(), noon).is_ok());
    /// let later = noon + Duration::from_secs(601);
    /// assert_eq!(verifier.verify_at(body.as_bytes(), later).unwrap_err().code(), "stale");
    /// ```
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    pub fn verify_at(&self, body: &[u8], now: SystemTime) -> Result<Webhook, Error> {
        let body = self.split(body)?;
        let signature_part = body.signature_part().ok_or(Error::NoSignature)?;
        let payload = read_payload(&body)?.require_object()?;
        let signature = Signature::parse(signature_part)?;
        let secret_index = signature
            .matching_secret(body.payload_part(), &self.secrets)
            .ok_or(Error::SignatureMismatch {
                tried: self.secrets.len(),
            })?;
        if let Some(max_age) = self.max_age {
            Freshness { max_age, now }.check(payload.time())?;
        }
        Ok(Webhook::new(payload, signature.encoding(), secret_index))
    }

    /// What a body's payload says, WITHOUT checking its signature or age:
    /// for logging what a refused body claimed, never for acting on it. The
    /// body is read as [`Verifier::verify`] reads it (the same limit, the
    /// same base64), and its payload may be any JSON value; a body without
    /// a `.` is read as a bare payload.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let forged = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.not-a-signature";
    /// let verifier = Verifier::new([Secret::from("k")]);
    /// assert!(verifier.verify(forged).is_err());
    /// let claimed = verifier.read_unverified(forged)?;
    /// assert_eq!(claimed.event(), Some("GivePlayerReward"));
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::TooLarge`], [`Error::EmptyBody`], [`Error::EmptyPayload`],
    /// [`Error::Base64`] or [`Error::PayloadNotJson`].
    pub fn read_unverified(&self, body: &[u8]) -> Result<Payload, Error> {
        read_payload(&self.split(body)?)
    }

    fn split<'a>(&self, input: &'a [u8]) -> Result<Body<'a>, Error> {
        if input.len() > self.max_body {
            return Err(Error::TooLarge {
                limit: self.max_body,
            });
        }
        Body::split(input)
    }
}

fn read_payload(body: &Body<'_>) -> Result<Payload, Error> {
    Payload::from_bytes(decoding::decode_base64(body.payload_part())?)
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &self.secrets.len())
            .field("max_age", &self.max_age)
            .field("max_body", &self.max_body)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SignatureEncoding, sign};

    fn body(json: &str, secret: &str) -> String {
        sign(
            json.as_bytes(),
            &Secret::from(secret),
            SignatureEncoding::Hex,
        )
    }

    const AT_NOON: &str = r#"{"event":"GivePlayerReward","time":"2024-04-26T12:00:00Z"}"#;

    // printf '%s_%s' 'e30=' 'demo' | sha256sum
    const SIGNED: &[u8] = b"e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80";
    // printf '%s_%s' 'WzFd' 'demo' | sha256sum   (the payload is [1])
    const SIGNED_ARRAY: &[u8] =
        b"WzFd.f12795a1ae45191e091dced6aa6b42e71ed598c25a50a895efa533f73eae8c4d";

    fn noon_plus(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_132_800 + seconds)
    }

    fn demo() -> Verifier {
        Verifier::new([Secret::from("demo")])
    }

    #[test]
    fn accepts_a_body_signed_with_a_given_secret() {
        let webhook = demo().verify(SIGNED).unwrap();
        assert_eq!(webhook.secret_index(), 0);
        assert_eq!(webhook.encoding(), SignatureEncoding::Hex);
        assert_eq!(webhook.payload().bytes(), b"{}");
    }

    #[test]
    fn rejects_a_body_signed_with_another_secret() {
        let err = Verifier::new([Secret::from("Demo"), Secret::from("demo ")])
            .verify(SIGNED)
            .unwrap_err();
        assert!(err.is_mismatch());
        assert_eq!(
            err.to_string(),
            "signature does not match: the body was not signed with any of the 2 given secrets"
        );
    }

    #[test]
    fn a_payload_that_is_not_an_object_is_malformed_even_when_signed() {
        let err = demo().verify(SIGNED_ARRAY).unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not a JSON object: a webhook payload is an object, this is an array"
        );
        assert!(!err.is_invalid());
        // Read unverified, it is what it is.
        assert!(
            demo()
                .read_unverified(SIGNED_ARRAY)
                .unwrap()
                .json()
                .is_array()
        );
    }

    #[test]
    fn a_bare_payload_has_no_signature() {
        let err = demo().verify(b"e30=").unwrap_err();
        assert!(matches!(err, Error::NoSignature));
        assert_eq!(demo().read_unverified(b"e30=").unwrap().bytes(), b"{}");
    }

    #[test]
    fn malformed_bodies_are_not_mismatches() {
        for input in [&b""[..], b".", b"e30=.zz", b"e3!=.00", b"bm90IGpzb24=.00"] {
            let err = demo().verify(input).unwrap_err();
            assert!(!err.is_mismatch(), "{input:?}: {err}");
        }
    }

    #[test]
    fn any_of_its_secrets_verifies_and_says_which_from_0() {
        let verifier = Verifier::new([Secret::from("old"), Secret::from("new")]);
        let at = |secret| verifier.verify(body(AT_NOON, secret).as_bytes());
        assert_eq!(at("old").unwrap().secret_index(), 0);
        assert_eq!(at("new").unwrap().secret_index(), 1);
        assert!(at("other").unwrap_err().is_mismatch());
    }

    /// The three bodies a lenient reader would take: a captured request, a
    /// byte-order mark, and 2 MiB of trailing spaces.
    #[test]
    fn what_a_file_may_hold_is_not_a_body_off_the_network() {
        let signed = body(AT_NOON, "k");
        let verifier = Verifier::new([Secret::from("k")]);
        assert!(verifier.verify(signed.as_bytes()).is_ok());
        assert!(
            verifier
                .verify(format!("  {signed}\r\n").as_bytes())
                .is_ok()
        );
        let captured = format!(
            "POST /hook HTTP/1.1\r\nHost: game.example\r\nContent-Length: {}\r\n\r\n{signed}",
            signed.len()
        );
        let bom = format!("\u{feff}{signed}");
        let spaces = format!("{signed}{}", " ".repeat(2 << 20));
        for (input, code) in [
            (captured, "payload-not-base64"),
            (bom, "payload-not-base64"),
            (spaces, "too-large"),
        ] {
            assert_eq!(verifier.verify(input.as_bytes()).unwrap_err().code(), code);
            assert_eq!(
                verifier
                    .read_unverified(input.as_bytes())
                    .unwrap_err()
                    .code(),
                code
            );
        }
    }

    #[test]
    fn the_window_refuses_old_and_future_bodies_only_when_set() {
        let signed = body(AT_NOON, "k");
        let open = Verifier::new([Secret::from("k")]);
        assert!(open.verify_at(signed.as_bytes(), noon_plus(86_400)).is_ok());
        let window = open.clone().with_max_age(Duration::from_secs(600));
        assert!(window.verify_at(signed.as_bytes(), noon_plus(600)).is_ok());
        let stale = window
            .verify_at(signed.as_bytes(), noon_plus(601))
            .unwrap_err();
        assert_eq!(stale.code(), "stale");
        let early = SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_132_800 - 61);
        assert!(window.verify_at(signed.as_bytes(), early).is_err());
    }

    #[test]
    fn the_size_limit_counts_the_bytes_received_and_has_no_ceiling() {
        let signed = body(AT_NOON, "k");
        let verifier = Verifier::new([Secret::from("k")]).with_max_body(signed.len());
        assert!(verifier.verify_at(signed.as_bytes(), noon_plus(0)).is_ok());
        let padded = format!("{signed}\n");
        assert!(matches!(
            verifier.verify(padded.as_bytes()),
            Err(Error::TooLarge { limit }) if limit == signed.len()
        ));
        // A limit past 16 MiB is the limit: nothing caps it silently.
        let large = Verifier::new([Secret::from("k")]).with_max_body(20 << 20);
        let big = format!("{signed}{}", " ".repeat(17 << 20));
        assert!(large.verify(big.as_bytes()).is_ok());
    }

    #[test]
    fn debug_shows_no_secret() {
        let verifier = Verifier::new([Secret::from("hunter2")]);
        assert!(!format!("{verifier:?}").contains("hunter2"));
    }
}
