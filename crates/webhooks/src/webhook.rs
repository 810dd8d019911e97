//! The verified webhook: what a game server gets once a body passed every
//! check, and only then. It holds the payload, read into the server's own
//! type or kept as JSON, and the delivery key that tells a repeat from a new
//! delivery.

use crate::{Error, Payload, SignatureEncoding};

/// A webhook that the [`Verifier`](crate::Verifier) accepted: its payload,
/// as a [`Payload`] (the default) or, after [`Webhook::parse`], as your own
/// type.
///
/// ```
/// use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
///
/// #[derive(serde::Deserialize)]
/// struct Reward {
///     player: Player,
/// }
/// #[derive(serde::Deserialize)]
/// struct Player {
///     id: u64,
/// }
///
/// let secret = Secret::from("your secret key");
/// let body = sign(br#"{"event":"GivePlayerReward","player":{"id":7}}"#, &secret, SignatureEncoding::Hex);
/// let webhook = Verifier::new([secret]).verify(body.as_bytes())?;
/// assert_eq!(webhook.payload().event(), Some("GivePlayerReward"));
/// assert_eq!(webhook.secret_index(), 0);
///
/// let reward = webhook.parse::<Reward>()?;
/// assert_eq!(reward.payload().player.id, 7);
/// # Ok::<(), gpwh_webhooks::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Webhook<T = Payload> {
    payload: T,
    delivery_key: String,
    encoding: SignatureEncoding,
    secret_index: usize,
}

impl<T> Webhook<T> {
    /// The payload.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// // printf '%s_%s' eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ== demo | sha256sum
    /// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
    ///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
    /// let webhook = Verifier::new([Secret::from("demo")]).verify(body)?;
    /// assert_eq!(webhook.payload().event(), Some("GivePlayerReward"));
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn payload(&self) -> &T {
        &self.payload
    }

    /// The payload, giving up the rest.
    ///
    /// ```
    /// use gpwh_webhooks::{Payload, Secret, Verifier};
    ///
    /// // printf '%s_%s' eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ== demo | sha256sum
    /// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
    ///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
    /// let webhook = Verifier::new([Secret::from("demo")]).verify(body)?;
    /// // Handed to a job queue, say, once the delivery key is stored.
    /// let jobs: Vec<Payload> = vec![webhook.into_payload()];
    /// assert_eq!(jobs[0].event(), Some("GivePlayerReward"));
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn into_payload(self) -> T {
        self.payload
    }

    /// What makes this delivery the same delivery again: keep it, in the
    /// same database transaction as what the webhook makes your game do,
    /// and act on each key once. [`Payload::delivery_key`] says how it is
    /// made.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let verifier = Verifier::new([Secret::from("demo")]);
    /// // printf '%s_%s' eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ== demo | sha256sum
    /// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
    ///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
    /// // A table with a unique key, in a real server.
    /// let mut seen = HashSet::new();
    /// let mut rewards = 0;
    /// for _delivery in 0..2 {
    ///     let webhook = verifier.verify(body)?;
    ///     if seen.insert(webhook.delivery_key().to_owned()) {
    ///         rewards += 1;
    ///     }
    /// }
    /// assert_eq!(rewards, 1);
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn delivery_key(&self) -> &str {
        &self.delivery_key
    }

    /// Which of the [`Verifier`](crate::Verifier)'s secrets signed the
    /// body, counted from 0 in the order they were given: during a key
    /// rotation, whether the sender has moved to the new key.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let verifier = Verifier::new([Secret::from("old key"), Secret::from("demo")]);
    /// // Signed with "demo": printf '%s_%s' 'e30=' 'demo' | sha256sum
    /// let webhook = verifier.verify(b"e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80")?;
    /// assert_eq!(webhook.secret_index(), 1); // the old key can go
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn secret_index(&self) -> usize {
        self.secret_index
    }

    /// How the signature was written.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, SignatureEncoding, Verifier};
    ///
    /// // printf '%s_%s' 'e30=' 'demo' | sha256sum
    /// let body = b"e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80";
    /// let webhook = Verifier::new([Secret::from("demo")]).verify(body)?;
    /// assert_eq!(webhook.encoding(), SignatureEncoding::Hex);
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn encoding(&self) -> SignatureEncoding {
        self.encoding
    }
}

impl Webhook<Payload> {
    pub(crate) fn new(payload: Payload, encoding: SignatureEncoding, secret_index: usize) -> Self {
        Webhook {
            delivery_key: payload.delivery_key(),
            payload,
            encoding,
            secret_index,
        }
    }

    /// The same webhook with its payload read into your own type, anything
    /// serde can deserialize: see [`Payload::parse`].
    ///
    /// # Errors
    /// [`Error::PayloadShape`] when the payload does not fit `T`. The body
    /// is authentic: answer so that GamePush sends it again once your
    /// server reads it (the axum extractor answers 422).
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Reward {
    ///     event: String,
    /// }
    ///
    /// // printf '%s_%s' eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ== demo | sha256sum
    /// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
    ///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
    /// let webhook = Verifier::new([Secret::from("demo")]).verify(body)?;
    /// let reward = webhook.parse::<Reward>()?;
    /// assert_eq!(reward.payload().event, "GivePlayerReward");
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn parse<T: serde::de::DeserializeOwned>(self) -> Result<Webhook<T>, Error> {
        Ok(Webhook {
            payload: self.payload.parse()?,
            delivery_key: self.delivery_key,
            encoding: self.encoding,
            secret_index: self.secret_index,
        })
    }
}
