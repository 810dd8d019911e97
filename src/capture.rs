//! Bodies as a person saves them in a file, found: a UTF-8 byte-order mark
//! (as some Windows editors save) is dropped, and a whole captured HTTP/1.x
//! request (from `nc -l`, a proxy log or a packet capture) is unwrapped down
//! to its body, so users can feed gpwh what they captured without cutting
//! the headers off by hand. Only for files and arguments: a body off the
//! network goes to gpwh-webhooks as it came, where neither is a webhook.

use crate::refusal::Refusal;
use crate::size::MAX_BODY;

/// Where a body comes from, which says how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Off the network: exactly as received, less the whitespace around it.
    Network,
    /// A file or an argument a person gave: found in what they saved.
    File,
}

/// The body in `input`, a file's content or an argument: without a
/// byte-order mark at the start or the whitespace around it, and unwrapped
/// from a captured request.
///
/// # Errors
/// [`Refusal::TooLarge`] past [`MAX_BODY`], and [`Refusal::Capture`] for a
/// captured request whose body cannot be found.
pub fn body_of(input: &[u8]) -> Result<&[u8], Refusal> {
    if input.len() > MAX_BODY {
        return Err(Refusal::TooLarge(MAX_BODY));
    }
    // The end is trimmed after unwrapping: a capture's blank line may be
    // all there is after its headers.
    Ok(trim(unwrap_request(trim_start(without_bom(input)))?))
}

/// `bytes` without a UTF-8 byte-order mark at the start.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Whether a byte is whitespace around a body: space, tab, CR or LF, what
/// gpwh-webhooks ignores around a body.
fn is_space(byte: &u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// `bytes` without the whitespace at its start.
fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// `bytes` without the whitespace around it.
pub fn trim(bytes: &[u8]) -> &[u8] {
    let bytes = trim_start(bytes);
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

/// The body of `input` if it is a captured HTTP/1.x request, or `input`
/// itself if it is not one.
///
/// A request is recognised by its request line (`METHOD TARGET HTTP/1.x`);
/// the body is everything after the first blank line, with CRLF or LF line
/// ends. A chunked request is refused rather than misread.
pub fn unwrap_request(input: &[u8]) -> Result<&[u8], Refusal> {
    // A body never starts with a method and a space: decide that without
    // scanning a long body for a line end.
    let method = input.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if method == 0 || input.get(method) != Some(&b' ') {
        return Ok(input);
    }
    let Some(first_line) = input.split(|&b| b == b'\n').next() else {
        return Ok(input);
    };
    if !is_request_line(strip_cr(first_line)) {
        return Ok(input);
    }
    let mut rest = input.get(first_line.len() + 1..).unwrap_or_default();
    loop {
        let Some(newline) = rest.iter().position(|&b| b == b'\n') else {
            return Err(Refusal::Capture("has no blank line after its headers"));
        };
        let line = strip_cr(&rest[..newline]);
        rest = &rest[newline + 1..];
        if line.is_empty() {
            return Ok(rest);
        }
        if is_chunked_header(line) {
            return Err(Refusal::Capture(
                "uses chunked transfer encoding: capture the body alone",
            ));
        }
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn is_request_line(line: &[u8]) -> bool {
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !method.is_empty()
        && method.iter().all(u8::is_ascii_uppercase)
        && !target.is_empty()
        && version.starts_with(b"HTTP/1.")
}

fn is_chunked_header(line: &[u8]) -> bool {
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return false;
    };
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    name.trim_ascii().eq_ignore_ascii_case(b"transfer-encoding")
        && value
            .to_ascii_lowercase()
            .windows(b"chunked".len())
            .any(|w| w == b"chunked")
}

/// A body split at its last `.`, as gpwh-webhooks splits it: for what the
/// tool says of a body beyond its verdict (hints, facts, the inspector).
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    payload: &'a [u8],
    signature: Option<&'a [u8]>,
}

impl<'a> Body<'a> {
    /// The body in what a person gave (see [`body_of`]), split.
    ///
    /// # Errors
    /// As [`body_of`].
    pub fn find(input: &'a [u8]) -> Result<Body<'a>, Refusal> {
        Ok(Body::split(body_of(input)?))
    }

    /// A body off the network, less the whitespace around it, split.
    pub fn split(input: &'a [u8]) -> Body<'a> {
        let body = trim(input);
        match memchr::memrchr(b'.', body) {
            Some(dot) => Body {
                payload: &body[..dot],
                signature: Some(&body[dot + 1..]),
            },
            None => Body {
                payload: body,
                signature: None,
            },
        }
    }

    /// The part before the last `.` (all of it without one).
    pub fn payload_part(&self) -> &'a [u8] {
        self.payload
    }

    /// The part after the last `.`, if there is one.
    pub fn signature_part(&self) -> Option<&'a [u8]> {
        self.signature
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_a_plain_body_through() {
        assert_eq!(unwrap_request(b"e30=.abc").unwrap(), b"e30=.abc");
    }

    #[test]
    fn takes_the_body_after_crlf_headers() {
        let request = b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\ne30=.abc";
        assert_eq!(unwrap_request(request).unwrap(), b"e30=.abc");
    }

    #[test]
    fn takes_the_body_after_lf_headers() {
        let request = b"POST /hook HTTP/1.0\nHost: x\n\ne30=.abc\n";
        assert_eq!(unwrap_request(request).unwrap(), b"e30=.abc\n");
    }

    #[test]
    fn refuses_a_request_without_a_blank_line() {
        let err = unwrap_request(b"POST /hook HTTP/1.1\r\nHost: x\r\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "captured HTTP request has no blank line after its headers"
        );
    }

    #[test]
    fn refuses_chunked_requests() {
        let request =
            b"POST / HTTP/1.1\r\ntransfer-encoding: Chunked\r\n\r\n8\r\ne30=.abc\r\n0\r\n\r\n";
        assert!(matches!(unwrap_request(request), Err(Refusal::Capture(_))));
    }

    #[test]
    fn a_file_body_loses_its_bom_its_whitespace_and_its_capture() {
        assert_eq!(body_of(b"\xEF\xBB\xBF e30=.sig\n").unwrap(), b"e30=.sig");
        assert_eq!(
            body_of(b"POST /h HTTP/1.1\r\nHost: x\r\n\r\ne30=.sig\r\n").unwrap(),
            b"e30=.sig"
        );
        // A byte-order mark inside the body stays.
        assert_eq!(
            body_of(b"e30=\xEF\xBB\xBF.sig").unwrap(),
            b"e30=\xEF\xBB\xBF.sig"
        );
        let too_large = vec![b'A'; MAX_BODY + 1];
        assert_eq!(
            body_of(&too_large).unwrap_err().to_string(),
            "body too large: more than 16 MiB"
        );
    }

    #[test]
    fn a_lowercase_first_word_is_not_a_request_line() {
        let input = b"post / HTTP/1.1\r\n\r\nbody";
        assert_eq!(unwrap_request(input).unwrap(), input);
    }
}
