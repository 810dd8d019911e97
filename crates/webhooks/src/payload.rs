//! The payload: what a body says, once its base64 is decoded. The decoded
//! bytes are kept as they were; the JSON is serde_json's reading of them,
//! with whatever features the game server chose for serde_json.

use serde_json::Value;

use crate::Error;

/// A decoded webhook payload: the exact bytes and their JSON. A verified
/// one comes from [`Webhook::payload`](crate::Webhook::payload).
///
/// ```
/// use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
///
/// let secret = Secret::from("k");
/// let body = sign(br#"{"event":"GivePlayerReward","time":"2024-04-26T11:34:23Z"}"#, &secret, SignatureEncoding::Hex);
/// let webhook = Verifier::new([secret]).verify(body.as_bytes())?;
/// let payload = webhook.payload();
/// assert_eq!(payload.event(), Some("GivePlayerReward"));
/// assert_eq!(payload.time(), Some("2024-04-26T11:34:23Z"));
/// assert_eq!(payload.json()["event"], "GivePlayerReward");
/// assert!(payload.bytes().starts_with(b"{\"event\""));
/// # Ok::<(), gpwh_webhooks::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    bytes: Vec<u8>,
    json: Value,
}

impl Payload {
    /// Parses decoded payload bytes as JSON.
    ///
    /// Any JSON value is accepted here; webhook payloads are objects.
    ///
    /// # Errors
    /// [`Error::PayloadNotJson`], with the line and column of the problem.
    pub(crate) fn from_bytes(bytes: Vec<u8>) -> Result<Self, Error> {
        let json = serde_json::from_slice(&bytes).map_err(Error::PayloadNotJson)?;
        Ok(Payload { bytes, json })
    }

    /// The decoded bytes, exactly as they were encoded.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// // printf '%s_%s' 'e30=' 'demo' | sha256sum
    /// let body = b"e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80";
    /// let webhook = Verifier::new([Secret::from("demo")]).verify(body)?;
    /// assert_eq!(webhook.payload().bytes(), b"{}");
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The payload as JSON. Its key order and the text of its numbers are
    /// kept only where the game server turned on serde_json's
    /// `preserve_order` and `arbitrary_precision`: [`Payload::bytes`]
    /// always has them.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
    ///
    /// let secret = Secret::from("demo");
    /// let json = br#"{"event":"GivePlayerReward","player":{"id":7}}"#;
    /// let body = sign(json, &secret, SignatureEncoding::Hex);
    /// let webhook = Verifier::new([secret]).verify(body.as_bytes())?;
    /// assert_eq!(webhook.payload().json()["player"]["id"], 7);
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The payload's `event` field, when it is a string.
    ///
    /// Any name is returned, listed in [`crate::EVENTS`] or not: the vendor
    /// adds operations.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// // printf '%s_%s' eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ== demo | sha256sum
    /// let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
    ///              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
    /// let webhook = Verifier::new([Secret::from("demo")]).verify(body)?;
    /// let answer = match webhook.payload().event() {
    ///     Some("GivePlayerReward") => "reward granted",
    ///     _ => "not handled",
    /// };
    /// assert_eq!(answer, "reward granted");
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn event(&self) -> Option<&str> {
        self.json.get("event").and_then(Value::as_str)
    }

    /// The payload's `time` field, when it is a string.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
    ///
    /// let secret = Secret::from("demo");
    /// let json = br#"{"event":"SyncPlayer","time":"2024-04-26T11:34:23Z"}"#;
    /// let body = sign(json, &secret, SignatureEncoding::Hex);
    /// let webhook = Verifier::new([secret]).verify(body.as_bytes())?;
    /// assert_eq!(webhook.payload().time(), Some("2024-04-26T11:34:23Z"));
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn time(&self) -> Option<&str> {
        self.json.get("time").and_then(Value::as_str)
    }

    /// The payload as your own type: a game server's `struct Purchase`,
    /// say, deriving serde's `Deserialize`. Read from the exact bytes, so
    /// numbers come as they were written whatever serde_json's features.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Reward {
    ///     event: String,
    ///     player: Player,
    /// }
    /// #[derive(serde::Deserialize)]
    /// struct Player {
    ///     id: u64,
    /// }
    ///
    /// use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
    ///
    /// let secret = Secret::from("k");
    /// let json = br#"{"event":"GivePlayerReward","player":{"id":7},"time":"2026-01-01T00:00:00Z"}"#;
    /// let body = sign(json, &secret, SignatureEncoding::Hex);
    /// let webhook = Verifier::new([secret]).verify(body.as_bytes())?;
    /// let reward: Reward = webhook.payload().parse()?;
    /// assert_eq!((reward.event.as_str(), reward.player.id), ("GivePlayerReward", 7));
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::PayloadShape`], with serde_json's words for which field does
    /// not fit and where.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.bytes).map_err(Error::PayloadShape)
    }

    /// The JSON, giving up the bytes.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// let claimed = Verifier::new([Secret::from("k")]).read_unverified(b"e30=")?;
    /// assert_eq!(claimed.into_json(), serde_json::json!({}));
    /// # Ok::<(), gpwh_webhooks::Error>(())
    /// ```
    pub fn into_json(self) -> Value {
        self.json
    }

    /// This payload, if it is a JSON object, as every webhook payload is.
    ///
    /// # Errors
    /// [`Error::PayloadNotObject`], naming what it is instead.
    pub(crate) fn require_object(self) -> Result<Self, Error> {
        match &self.json {
            Value::Object(_) => Ok(self),
            other => Err(Error::PayloadNotObject(kind_of(other))),
        }
    }
}

/// What a JSON value is, with its article: "an array", "null".
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_bytes_as_they_were() {
        let text = br#"{"z":1,"a":1.50,"m":[]}"#;
        let payload = Payload::from_bytes(text.to_vec()).unwrap();
        assert_eq!(payload.bytes(), text);
        assert_eq!(payload.json()["a"], 1.5);
    }

    #[test]
    fn reports_where_json_goes_wrong() {
        let err = Payload::from_bytes(b"{\"a\": }".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not JSON: expected value at line 1 column 7"
        );
    }

    #[test]
    fn event_is_any_string_name() {
        let payload = Payload::from_bytes(br#"{"event":"SomethingNew"}"#.to_vec()).unwrap();
        assert_eq!(payload.event(), Some("SomethingNew"));
        let payload = Payload::from_bytes(br#"{"event":7}"#.to_vec()).unwrap();
        assert_eq!(payload.event(), None);
    }
}
