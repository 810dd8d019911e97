//! Signing: the other end of the wire, for testing a webhook handler with
//! bodies exactly like the ones GamePush sends.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::{Digest, Secret, SignatureEncoding};

/// Signs payload bytes: returns `BASE64.SIGNATURE`, the payload in standard
/// padded base64 and the signature in `encoding`.
///
/// The bytes are signed as given: to test a receiver, give it JSON as
/// GamePush sends it, an object on one line.
///
/// ```
/// use gpwh_webhooks::{Secret, SignatureEncoding, Verifier, sign};
///
/// let secret = Secret::from("demo");
/// let body = sign(br#"{"event":"GivePlayerReward"}"#, &secret, SignatureEncoding::Hex);
/// assert_eq!(
///     body,
///     // printf '%s_%s' eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ== demo | sha256sum
///     "eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
///      36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a"
///         .replace(' ', "")
/// );
/// assert!(Verifier::new([secret]).verify(body.as_bytes()).is_ok());
/// ```
pub fn sign(payload: &[u8], secret: &Secret, encoding: SignatureEncoding) -> String {
    let mut body = STANDARD.encode(payload);
    let signature = Digest::of(body.as_bytes(), secret).encode(encoding);
    body.push('.');
    body.push_str(&signature);
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_sha256sum() {
        // printf '%s_%s' 'e30=' 'demo' | sha256sum
        assert_eq!(
            sign(b"{}", &Secret::from("demo"), SignatureEncoding::Hex),
            "e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80"
        );
        // printf '%s_%s' 'e30=' 'demo' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            sign(b"{}", &Secret::from("demo"), SignatureEncoding::Base64),
            "e30=.BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2a4A="
        );
    }
}
