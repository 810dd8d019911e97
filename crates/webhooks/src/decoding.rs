//! Decoding a body's payload part: forgiving about the base64 flavour,
//! because the vendor does not document one (standard or URL-safe, padded
//! or not), and exact about what is wrong when the text is not base64.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};

use crate::Error;
use crate::error::Base64Problem;

/// Decodes a payload part in either base64 alphabet, padded or not.
pub(crate) fn decode_base64(part: &[u8]) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    decode_base64_into(part, &mut bytes)?;
    Ok(bytes)
}

/// Decodes a payload part into `buffer`, replacing what it held.
///
/// The alphabet is read off the text: `-` or `_` mean URL-safe, `+` or `/`
/// standard (text with neither decodes the same in both), and text with
/// both is refused.
pub(crate) fn decode_base64_into(part: &[u8], buffer: &mut Vec<u8>) -> Result<(), Error> {
    if part.is_empty() {
        return Err(Error::EmptyPayload);
    }
    decode_any_form(part, buffer)
}

/// Decodes `part` in any of the four forms, or says exactly what is wrong.
fn decode_any_form(part: &[u8], buffer: &mut Vec<u8>) -> Result<(), Error> {
    buffer.clear();
    // Standard first, without looking: it is what GamePush sends, and
    // scanning for the alphabet would cost as much as decoding.
    let error = match STANDARD_PAD_INDIFFERENT.decode_vec(part, buffer) {
        Ok(()) => return canonical_padding(part),
        Err(error) => error,
    };
    buffer.clear();
    match alphabet_of(part)? {
        Alphabet::Standard => Err(Error::Base64(problem_of(error))),
        Alphabet::UrlSafe => URL_SAFE_PAD_INDIFFERENT
            .decode_vec(part, buffer)
            .map_err(|e| Error::Base64(problem_of(e)))
            .and_then(|()| canonical_padding(part)),
    }
}

/// Padding, when there is any, is all the padding due: the base64 crate's
/// "indifferent" mode also takes it cut short ("ew=" for "ew=="), which no
/// encoder writes and the other implementations refuse.
fn canonical_padding(part: &[u8]) -> Result<(), Error> {
    if part.ends_with(b"=") && part.len() % 4 != 0 {
        return Err(Error::Base64(Base64Problem::InvalidPadding));
    }
    Ok(())
}

enum Alphabet {
    Standard,
    UrlSafe,
}

fn alphabet_of(part: &[u8]) -> Result<Alphabet, Error> {
    let first_standard = part.iter().position(|&b| b == b'+' || b == b'/');
    let first_url_safe = part.iter().position(|&b| b == b'-' || b == b'_');
    match (first_standard, first_url_safe) {
        (Some(s), Some(u)) => {
            let offset = s.max(u);
            Err(Error::Base64(Base64Problem::MixedAlphabets {
                offset,
                byte: part[offset],
            }))
        }
        (None, Some(_)) => Ok(Alphabet::UrlSafe),
        _ => Ok(Alphabet::Standard),
    }
}

fn problem_of(error: base64::DecodeError) -> Base64Problem {
    match error {
        base64::DecodeError::InvalidByte(offset, byte) => {
            Base64Problem::InvalidByte { offset, byte }
        }
        base64::DecodeError::InvalidLength(symbols) => Base64Problem::InvalidLength { symbols },
        base64::DecodeError::InvalidLastSymbol { offset, symbol, .. } => {
            Base64Problem::TrailingBits {
                offset,
                byte: symbol,
            }
        }
        base64::DecodeError::InvalidPadding => Base64Problem::InvalidPadding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // "{\"a\":\"~?~\"}" is eyJhIjoifj9+In0= in standard base64.
    const JSON: &[u8] = b"{\"a\":\"~?~\"}";

    #[test]
    fn decodes_all_four_flavours() {
        for part in [
            &b"eyJhIjoifj9+In0="[..],
            b"eyJhIjoifj9+In0",
            b"eyJhIjoifj9-In0=",
            b"eyJhIjoifj9-In0",
        ] {
            assert_eq!(decode_base64(part).unwrap(), JSON, "{part:?}");
        }
    }

    #[test]
    fn names_the_invalid_byte_and_its_offset() {
        let err = decode_base64(b"eyJhIjoi!j9+In0=").unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not valid base64: invalid byte '!' at offset 8"
        );
        let err = decode_base64(b"eyJh\xffIjoi").unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not valid base64: invalid byte '\\xff' at offset 4"
        );
    }

    #[test]
    fn refuses_mixed_alphabets() {
        let err = decode_base64(b"ab+c_def").unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not valid base64: '_' at offset 4 mixes the URL-safe and standard alphabets"
        );
    }

    #[test]
    fn refuses_impossible_lengths_and_trailing_bits() {
        assert!(matches!(
            decode_base64(b"eyJhI"),
            Err(Error::Base64(Base64Problem::InvalidLength { .. }))
        ));
        // "e31=" has bits in its last character that decode to nothing.
        assert!(matches!(
            decode_base64(b"e31="),
            Err(Error::Base64(Base64Problem::TrailingBits { offset: 2, .. }))
        ));
    }

    #[test]
    fn padding_is_all_the_padding_due_or_none() {
        // "ew==" is '{' padded; "ew" unpadded; "ew=" is neither, in both
        // alphabets.
        assert_eq!(decode_base64(b"ew==").unwrap(), b"{");
        assert_eq!(decode_base64(b"ew").unwrap(), b"{");
        for cut_short in [&b"ew="[..], b"e30_ew="] {
            assert!(
                matches!(
                    decode_base64(cut_short),
                    Err(Error::Base64(Base64Problem::InvalidPadding))
                ),
                "{cut_short:?}"
            );
        }
    }

    #[test]
    fn an_empty_payload_part_is_its_own_error() {
        assert!(matches!(decode_base64(b""), Err(Error::EmptyPayload)));
    }
}
