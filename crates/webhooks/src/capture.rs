//! Unwraps a whole captured HTTP/1.x request (from `nc -l`, a proxy log or
//! a packet capture) down to its body, so users can feed gpwh what they
//! captured without cutting the headers off by hand.

use crate::Error;

/// The body of `input` if it is a captured HTTP/1.x request, or `input`
/// itself if it is not one.
///
/// A request is recognised by its request line (`METHOD TARGET HTTP/1.x`);
/// the body is everything after the first blank line, with CRLF or LF line
/// ends. A chunked request is refused rather than misread.
pub(crate) fn unwrap_request(input: &[u8]) -> Result<&[u8], Error> {
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
            return Err(Error::HttpCapture("has no blank line after its headers"));
        };
        let line = strip_cr(&rest[..newline]);
        rest = &rest[newline + 1..];
        if line.is_empty() {
            return Ok(rest);
        }
        if is_chunked_header(line) {
            return Err(Error::HttpCapture(
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
        assert!(matches!(
            unwrap_request(request),
            Err(Error::HttpCapture(_))
        ));
    }

    #[test]
    fn a_lowercase_first_word_is_not_a_request_line() {
        let input = b"post / HTTP/1.1\r\n\r\nbody";
        assert_eq!(unwrap_request(input).unwrap(), input);
    }
}
