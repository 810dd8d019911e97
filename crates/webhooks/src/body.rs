//! A webhook body as received, split into its payload part and its
//! signature part without copying or altering a byte: the signature is
//! computed over the payload part exactly as it arrived.
//!
//! Only the ASCII whitespace around a body is ignored, as GamePush's own
//! receivers do. Nothing else is unwrapped or repaired: a byte-order mark, a
//! captured HTTP request or a quoted body off the network is not a webhook.

use crate::Error;

/// A received webhook body: `BASE64(JSON) "." SIGNATURE`. Both parts borrow
/// from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Body<'a> {
    payload: &'a [u8],
    signature: Option<&'a [u8]>,
}

impl<'a> Body<'a> {
    /// Splits `input` at its last `.`, less the whitespace around it. A
    /// body without a `.` is a bare payload, with no signature.
    ///
    /// # Errors
    /// [`Error::EmptyBody`] when nothing but whitespace is there.
    pub(crate) fn split(input: &'a [u8]) -> Result<Self, Error> {
        let body = trim(input);
        if body.is_empty() {
            return Err(Error::EmptyBody);
        }
        Ok(match body.iter().rposition(|&b| b == b'.') {
            Some(dot) => Body {
                payload: &body[..dot],
                signature: Some(&body[dot + 1..]),
            },
            None => Body {
                payload: body,
                signature: None,
            },
        })
    }

    /// The payload part (before the last `.`), exactly as received.
    pub(crate) fn payload_part(&self) -> &'a [u8] {
        self.payload
    }

    /// The signature part (after the last `.`), if the body has one.
    pub(crate) fn signature_part(&self) -> Option<&'a [u8]> {
        self.signature
    }
}

/// Whether a byte is whitespace around a body: space, tab, CR or LF.
fn is_space(byte: &u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// `bytes` without the ASCII whitespace (space, tab, CR, LF) around it.
fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let bytes = &bytes[start..];
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_last_dot() {
        let body = Body::split(b"e30=.ab.cd").unwrap();
        assert_eq!(body.payload_part(), b"e30=.ab");
        assert_eq!(body.signature_part(), Some(&b"cd"[..]));
    }

    #[test]
    fn ignores_surrounding_whitespace_only() {
        let body = Body::split(b" \t\r\ne30=.sig\r\n\n").unwrap();
        assert_eq!(body.payload_part(), b"e30=");
        assert_eq!(body.signature_part(), Some(&b"sig"[..]));
        // A form feed is not one of the four: it stays, and base64 refuses it.
        let body = Body::split(b"\x0ce30=.sig").unwrap();
        assert_eq!(body.payload_part(), b"\x0ce30=");
        // Nor is a byte-order mark.
        let body = Body::split(b"\xEF\xBB\xBFe30=.sig\n").unwrap();
        assert_eq!(body.payload_part(), b"\xEF\xBB\xBFe30=");
    }

    #[test]
    fn a_body_without_a_dot_is_a_bare_payload() {
        let body = Body::split(b"e30=\n").unwrap();
        assert_eq!(body.payload_part(), b"e30=");
        assert_eq!(body.signature_part(), None);
    }

    #[test]
    fn empty_and_blank_bodies_are_refused() {
        assert!(matches!(Body::split(b""), Err(Error::EmptyBody)));
        assert!(matches!(Body::split(b" \r\n\t"), Err(Error::EmptyBody)));
    }

    #[test]
    fn a_trailing_dot_gives_an_empty_signature() {
        let body = Body::split(b"e30=.").unwrap();
        assert_eq!(body.signature_part(), Some(&b""[..]));
    }
}
