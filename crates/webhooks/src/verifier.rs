//! What a receiver configures once and asks of every body it receives: the
//! secret keys it accepts, how old a body may be, and how large. `gpwh
//! verify`, its batch mode, `gpwh listen` and the axum extractor all judge
//! bodies through it, so they agree on every verdict.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::{Body, Checked, Error, Freshness, Secret, Verified};

/// The body size a [`Verifier`] accepts unless told otherwise: 1 MiB, far
/// past any webhook (they are a few kilobytes).
pub const DEFAULT_MAX_BODY: usize = 1 << 20;

/// Judges received bodies: signed by one of its secrets (the digest read as
/// hex in either case or as base64 in either alphabet, padded or not, and
/// compared in constant time), fresh enough when a replay window is set,
/// and no larger than its limit.
///
/// Cloning is cheap (the secrets are shared), so a server can keep one in
/// its state and hand it to every request.
///
/// ```
/// use std::time::Duration;
/// use gpwh_webhooks::{Secret, Verifier};
///
/// let verifier = Verifier::new([Secret::from("demo")]).max_age(Duration::from_secs(72 * 3600));
/// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
/// // Signed with the key, but it has no time, so the window refuses it.
/// assert_eq!(verifier.judge(body).unwrap_err().code(), "time-missing");
/// ```
#[derive(Clone)]
pub struct Verifier {
    secrets: Arc<[Secret]>,
    max_age: Option<Duration>,
    max_body: usize,
    captures: bool,
}

impl Verifier {
    /// A verifier that accepts bodies signed with any of `secrets` (several
    /// serve key rotation), of any age, up to [`DEFAULT_MAX_BODY`].
    pub fn new(secrets: impl IntoIterator<Item = Secret>) -> Verifier {
        Verifier {
            secrets: secrets.into_iter().collect(),
            max_age: None,
            max_body: DEFAULT_MAX_BODY,
            captures: false,
        }
    }

    /// Also finds the body in a whole captured HTTP request, and ignores a
    /// byte-order mark ([`Body::parse`]), for bodies a person pastes into a
    /// file. Off by default: a server reads the body exactly
    /// ([`Body::parse_exact`]), as a request wrapped in a body is not a
    /// webhook.
    pub fn captured_requests(mut self, unwrap: bool) -> Verifier {
        self.captures = unwrap;
        self
    }

    /// Refuses validly signed bodies whose `time` is older than `max_age`,
    /// or more than [`crate::CLOCK_SKEW`] ahead: captures played again.
    ///
    /// Give a receiver 72 hours, not minutes. `time` is when the operation
    /// happened, and GamePush does not say whether or when it sends a
    /// delivery again: a repeat after downtime most likely carries the
    /// first attempt's time, and a window of minutes would refuse it and
    /// lose the purchase. Make each effect happen once per delivery (a
    /// purchase keyed on its `_id` under a unique constraint): that, not
    /// the window, is what makes a repeat or a replayed body harmless.
    pub fn max_age(mut self, max_age: Duration) -> Verifier {
        self.max_age = Some(max_age);
        self
    }

    /// Refuses bodies larger than `bytes`.
    pub fn max_body(mut self, bytes: usize) -> Verifier {
        self.max_body = bytes;
        self
    }

    /// The secrets, in the order given.
    pub fn secrets(&self) -> &[Secret] {
        &self.secrets
    }

    /// The replay window, if one is set.
    pub fn window(&self) -> Option<Duration> {
        self.max_age
    }

    /// The largest body accepted, in bytes.
    pub fn body_limit(&self) -> usize {
        self.max_body
    }

    /// Judges a received body now.
    ///
    /// # Errors
    /// [`Error::TooLarge`] past the limit; what [`Body::verify`] returns;
    /// with a replay window, what [`Freshness::check`] returns.
    pub fn judge(&self, input: &[u8]) -> Result<Verified, Error> {
        self.judge_at(input, SystemTime::now())
    }

    /// Judges a received body as if it were received at `now`.
    ///
    /// # Errors
    /// As [`Verifier::judge`].
    pub fn judge_at(&self, input: &[u8], now: SystemTime) -> Result<Verified, Error> {
        let verified = self.parse(input)?.verify(&self.secrets)?;
        self.fresh(verified.payload().time(), now)?;
        Ok(verified)
    }

    /// Judges a received body exactly as [`Verifier::judge_at`] does, with
    /// the same verdict for every input, through [`Body::check`]: the fast
    /// path for many bodies, decoding into `scratch`.
    ///
    /// # Errors
    /// As [`Verifier::judge`].
    pub fn check_at<'s>(
        &self,
        input: &[u8],
        now: SystemTime,
        scratch: &'s mut Vec<u8>,
    ) -> Result<Checked<'s>, Error> {
        let checked = self.parse(input)?.check(&self.secrets, scratch)?;
        self.fresh(checked.time(), now)?;
        Ok(checked)
    }

    fn parse<'a>(&self, input: &'a [u8]) -> Result<Body<'a>, Error> {
        if input.len() > self.max_body {
            return Err(Error::TooLarge {
                limit: self.max_body,
            });
        }
        if self.captures {
            Body::parse(input)
        } else {
            Body::parse_exact(input)
        }
    }

    fn fresh(&self, time: Option<&str>, now: SystemTime) -> Result<(), Error> {
        self.max_age
            .map_or(Ok(()), |max_age| Freshness { max_age, now }.check(time))
    }
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

    fn noon_plus(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_132_800 + seconds)
    }

    #[test]
    fn any_of_its_secrets_verifies_and_says_which() {
        let verifier = Verifier::new([Secret::from("old"), Secret::from("new")]);
        assert_eq!(
            verifier
                .judge(body(AT_NOON, "new").as_bytes())
                .unwrap()
                .secret(),
            2
        );
        assert!(
            verifier
                .judge(body(AT_NOON, "other").as_bytes())
                .unwrap_err()
                .is_mismatch()
        );
    }

    /// A server reads a body as a body; only files a person pastes may hold
    /// a whole captured request.
    #[test]
    fn a_captured_request_is_unwrapped_only_when_asked_for() {
        let signed = body(AT_NOON, "k");
        let captured = format!(
            "POST /hook HTTP/1.1\r\nHost: game.example\r\nContent-Length: {}\r\n\r\n{signed}",
            signed.len()
        );
        let server = Verifier::new([Secret::from("k")]);
        assert!(server.judge(signed.as_bytes()).is_ok());
        assert!(server.judge(format!("  {signed}\n").as_bytes()).is_ok());
        assert!(server.judge(captured.as_bytes()).is_err());
        assert!(
            server
                .judge(format!("\u{feff}{signed}").as_bytes())
                .is_err()
        );
        let files = server.captured_requests(true);
        assert!(files.judge(captured.as_bytes()).is_ok());
        let mut scratch = Vec::new();
        assert!(
            files
                .check_at(captured.as_bytes(), noon_plus(0), &mut scratch)
                .is_ok()
        );
    }

    #[test]
    fn the_window_refuses_old_and_future_bodies_only_when_set() {
        let signed = body(AT_NOON, "k");
        let open = Verifier::new([Secret::from("k")]);
        assert!(open.judge_at(signed.as_bytes(), noon_plus(86_400)).is_ok());
        let window = open.clone().max_age(Duration::from_secs(600));
        assert!(window.judge_at(signed.as_bytes(), noon_plus(600)).is_ok());
        let stale = window
            .judge_at(signed.as_bytes(), noon_plus(601))
            .unwrap_err();
        assert_eq!(stale.code(), "stale");
        let early = SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_132_800 - 61);
        assert!(window.judge_at(signed.as_bytes(), early).is_err());
    }

    #[test]
    fn the_size_limit_counts_the_bytes_received() {
        let signed = body(AT_NOON, "k");
        let verifier = Verifier::new([Secret::from("k")]).max_body(signed.len());
        assert!(verifier.judge_at(signed.as_bytes(), noon_plus(0)).is_ok());
        let padded = format!("{signed}\n");
        assert!(matches!(
            verifier.judge(padded.as_bytes()),
            Err(Error::TooLarge { limit }) if limit == signed.len()
        ));
    }

    #[test]
    fn the_fast_check_gives_the_same_verdicts() {
        let verifier = Verifier::new([Secret::from("k")]).max_age(Duration::from_secs(60));
        let mut scratch = Vec::new();
        for input in [
            body(AT_NOON, "k"),
            body(AT_NOON, "x"),
            body(r#"{"event":"GivePlayerReward"}"#, "k"),
            "e30=".to_owned(),
            String::new(),
        ] {
            let now = noon_plus(30);
            let full = verifier.judge_at(input.as_bytes(), now).map(|v| v.secret());
            let fast = verifier
                .check_at(input.as_bytes(), now, &mut scratch)
                .map(|c| c.secret());
            assert_eq!(
                full.map_err(|e| e.to_string()),
                fast.map_err(|e| e.to_string()),
                "{input}"
            );
        }
    }

    #[test]
    fn debug_shows_no_secret() {
        let verifier = Verifier::new([Secret::from("hunter2")]);
        assert!(!format!("{verifier:?}").contains("hunter2"));
    }
}
