//! A webhook body as received, split into its payload part and its
//! signature part without copying or altering a byte: the signature is
//! computed over the payload part exactly as it arrived.

use crate::{Error, Payload, capture, decoding};

/// A received webhook body: `BASE64(JSON) "." SIGNATURE`.
///
/// Both parts borrow from the input. Surrounding ASCII whitespace is ignored,
/// and a whole captured HTTP/1.x request is unwrapped to its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Body<'a> {
    payload: &'a [u8],
    signature: Option<&'a [u8]>,
}

impl<'a> Body<'a> {
    /// Finds the body in `input` and splits it at its last `.`.
    ///
    /// A body without a `.` is a bare payload: it parses, with no signature.
    ///
    /// A UTF-8 byte-order mark at the start, as some Windows editors save,
    /// is ignored too.
    ///
    /// # Errors
    /// [`Error::TooLarge`] past [`MAX_BODY`], [`Error::EmptyBody`] when
    /// nothing but whitespace is left, and [`Error::HttpCapture`] for a
    /// captured request whose body cannot be found.
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        if input.len() > MAX_BODY {
            return Err(Error::TooLarge { limit: MAX_BODY });
        }
        // The end is trimmed after unwrapping: a capture's blank line may be
        // all there is after its headers.
        Body::split(trim(capture::unwrap_request(trim_start(without_bom(
            input,
        )))?))
    }

    /// Splits `input` as an HTTP body read off the network: only the
    /// whitespace around it is ignored, as GamePush's receivers do. A
    /// captured request or a byte-order mark is not looked for: a request
    /// wrapped in a body is not a webhook.
    ///
    /// # Errors
    /// [`Error::TooLarge`] past [`MAX_BODY`], [`Error::EmptyBody`] when
    /// nothing but whitespace is there.
    pub fn parse_exact(input: &'a [u8]) -> Result<Self, Error> {
        if input.len() > MAX_BODY {
            return Err(Error::TooLarge { limit: MAX_BODY });
        }
        Body::split(trim(input))
    }

    fn split(body: &'a [u8]) -> Result<Self, Error> {
        if body.is_empty() {
            return Err(Error::EmptyBody);
        }
        Ok(match memchr::memrchr(b'.', body) {
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
    pub fn payload_part(&self) -> &'a [u8] {
        self.payload
    }

    /// The signature part (after the last `.`), if the body has one.
    pub fn signature_part(&self) -> Option<&'a [u8]> {
        self.signature
    }

    /// The payload part decoded from base64, without any check of its
    /// content: standard or URL-safe alphabet, padded or not.
    ///
    /// # Errors
    /// [`Error::EmptyPayload`] or [`Error::Base64`].
    pub fn payload_bytes(&self) -> Result<Vec<u8>, Error> {
        decoding::decode_base64(self.payload)
    }

    /// Decodes the payload part into `buffer`, replacing what it held: as
    /// [`Body::payload_bytes`], reusing one buffer across many bodies.
    ///
    /// # Errors
    /// As [`Body::payload_bytes`].
    pub fn payload_bytes_into(&self, buffer: &mut Vec<u8>) -> Result<(), Error> {
        decoding::decode_base64_into(self.payload, buffer)
    }

    /// The payload decoded and parsed as JSON.
    ///
    /// # Errors
    /// As [`Body::payload_bytes`], and [`Error::PayloadNotJson`].
    pub fn payload(&self) -> Result<Payload, Error> {
        Payload::from_bytes(self.payload_bytes()?)
    }
}

/// The largest input read as one body: 16 MiB, far past any webhook (they
/// are a few kilobytes), so that memory stays bounded whatever is sent.
pub const MAX_BODY: usize = 16 << 20;

/// `bytes` without a UTF-8 byte-order mark at the start.
pub(crate) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Whether a byte is whitespace around a body: space, tab, CR or LF.
fn is_space(byte: &u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// `bytes` without the ASCII whitespace (space, tab, CR, LF) at its start.
fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// `bytes` without the ASCII whitespace (space, tab, CR, LF) around it.
pub(crate) fn trim(bytes: &[u8]) -> &[u8] {
    let bytes = trim_start(bytes);
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
        let body = Body::parse(b"e30=.ab.cd").unwrap();
        assert_eq!(body.payload_part(), b"e30=.ab");
        assert_eq!(body.signature_part(), Some(&b"cd"[..]));
    }

    #[test]
    fn ignores_surrounding_whitespace_only() {
        let body = Body::parse(b" \t\r\ne30=.sig\r\n\n").unwrap();
        assert_eq!(body.payload_part(), b"e30=");
        assert_eq!(body.signature_part(), Some(&b"sig"[..]));
        // A form feed is not one of the four: it stays, and base64 refuses it.
        let body = Body::parse(b"\x0ce30=.sig").unwrap();
        assert_eq!(body.payload_part(), b"\x0ce30=");
    }

    #[test]
    fn a_body_without_a_dot_is_a_bare_payload() {
        let body = Body::parse(b"e30=\n").unwrap();
        assert_eq!(body.payload_part(), b"e30=");
        assert_eq!(body.signature_part(), None);
    }

    #[test]
    fn empty_and_blank_bodies_are_refused() {
        assert!(matches!(Body::parse(b""), Err(Error::EmptyBody)));
        assert!(matches!(Body::parse(b" \r\n\t"), Err(Error::EmptyBody)));
    }

    #[test]
    fn a_trailing_dot_gives_an_empty_signature() {
        let body = Body::parse(b"e30=.").unwrap();
        assert_eq!(body.signature_part(), Some(&b""[..]));
    }

    #[test]
    fn ignores_a_byte_order_mark_at_the_start_only() {
        let body = Body::parse(b"\xEF\xBB\xBFe30=.sig\n").unwrap();
        assert_eq!(body.payload_part(), b"e30=");
        let body = Body::parse(b"e30=\xEF\xBB\xBF.sig").unwrap();
        assert_eq!(body.payload_part(), b"e30=\xEF\xBB\xBF");
    }

    #[test]
    fn refuses_more_than_the_limit() {
        let input = vec![b'A'; MAX_BODY + 1];
        assert!(matches!(
            Body::parse(&input),
            Err(Error::TooLarge { limit: MAX_BODY })
        ));
        assert_eq!(
            Body::parse(&input).unwrap_err().to_string(),
            "body too large: more than 16 MiB"
        );
    }

    #[test]
    fn unwraps_a_captured_request() {
        let body = Body::parse(b"POST /h HTTP/1.1\r\nHost: x\r\n\r\ne30=.sig\r\n").unwrap();
        assert_eq!(body.payload_part(), b"e30=");
        assert_eq!(body.signature_part(), Some(&b"sig"[..]));
    }
}
