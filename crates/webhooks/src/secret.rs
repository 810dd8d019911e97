//! The project's secret key, in a type that cannot be printed by accident:
//! anyone who holds the key can forge webhooks.

use std::fmt;

/// A project's secret key ("Secret Key" in the GamePush project settings).
///
/// Any bytes are accepted. `Debug` shows `Secret(<redacted>)`, and there is
/// no `Display`, so the key cannot slip into a log line or an error; nor
/// `==`, whose time would say how much of a guess is right.
///
/// ```
/// use gpwh_webhooks::Secret;
///
/// let secret = Secret::from("your secret key");
/// assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
/// ```
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps the secret's bytes.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier};
    ///
    /// // The key as read from a file or a secrets manager, say.
    /// let key: Vec<u8> = b"your secret key".to_vec();
    /// let verifier = Verifier::new([Secret::new(key)]);
    /// assert_eq!(verifier.secrets()[0].expose_secret(), b"your secret key");
    /// ```
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Secret(bytes.into())
    }

    /// Whether the secret is empty (which no real project key is).
    ///
    /// ```
    /// use gpwh_webhooks::Secret;
    ///
    /// // The key from a variable that was never set, read as "": a server
    /// // refuses to start rather than accept bodies signed with no key.
    /// let secret = Secret::from(String::new());
    /// assert!(secret.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The key's bytes, for what needs the key itself (hashing it, or a
    /// test that derives other keys from it). Nothing else in this crate
    /// shows them.
    ///
    /// ```
    /// use gpwh_webhooks::Secret;
    ///
    /// assert_eq!(Secret::from("k").expose_secret(), b"k");
    /// ```
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Self {
        Secret::new(secret)
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Secret::new(secret)
    }
}

impl From<Vec<u8>> for Secret {
    fn from(secret: Vec<u8>) -> Self {
        Secret(secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let shown = format!("{:?}", Secret::from("hunter2-distinctive"));
        assert_eq!(shown, "Secret(<redacted>)");
    }
}
