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
    pub fn payload(&self) -> &T {
        &self.payload
    }

    /// The payload, giving up the rest.
    pub fn into_payload(self) -> T {
        self.payload
    }

    /// What makes this delivery the same delivery again: keep it, in the
    /// same database transaction as what the webhook makes your game do,
    /// and act on each key once. [`Payload::delivery_key`] says how it is
    /// made.
    pub fn delivery_key(&self) -> &str {
        &self.delivery_key
    }

    /// Which of the [`Verifier`](crate::Verifier)'s secrets signed the
    /// body, counted from 0 in the order they were given: during a key
    /// rotation, whether the sender has moved to the new key.
    pub fn secret_index(&self) -> usize {
        self.secret_index
    }

    /// How the signature was written.
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
    pub fn parse<T: serde::de::DeserializeOwned>(self) -> Result<Webhook<T>, Error> {
        Ok(Webhook {
            payload: self.payload.parse()?,
            delivery_key: self.delivery_key,
            encoding: self.encoding,
            secret_index: self.secret_index,
        })
    }
}
