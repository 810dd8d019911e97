//! Verification: the one question a game server asks of a body, "did
//! GamePush send this?", answered with the payload it may then trust.

use crate::decoding;
use crate::scan::{self, Summary};
use crate::{Body, Error, Payload, Secret, Signature, SignatureEncoding};

/// A body whose signature one of the given secrets produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    payload: Payload,
    encoding: SignatureEncoding,
    secret: usize,
}

impl Verified {
    /// The payload, now authenticated.
    pub fn payload(&self) -> &Payload {
        &self.payload
    }

    /// The payload, giving up the rest.
    pub fn into_payload(self) -> Payload {
        self.payload
    }

    /// How the signature was written.
    pub fn encoding(&self) -> SignatureEncoding {
        self.encoding
    }

    /// Which secret matched, counting from 1 in the order given.
    pub fn secret(&self) -> usize {
        self.secret
    }
}

/// Verifies a received body against one or more secrets.
///
/// `input` is what was received: surrounding whitespace and a whole captured
/// HTTP request are accepted as by [`Body::parse`]. Several secrets serve
/// key rotation: the body is valid if any of them signed it.
///
/// # Errors
/// [`Error::SignatureMismatch`] when the body is well formed but no secret
/// signed it; any other variant when it is not a well-formed body.
pub fn verify(input: &[u8], secrets: &[Secret]) -> Result<Verified, Error> {
    Body::parse(input)?.verify(secrets)
}

/// A body whose signature one of the given secrets produced, checked
/// without building its payload's JSON; see [`Body::check`]. Its strings
/// borrow from the decoded payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked<'a> {
    summary: Summary<'a>,
    encoding: SignatureEncoding,
    secret: usize,
}

impl Checked<'_> {
    /// The payload's `event` field, when it is a string.
    pub fn event(&self) -> Option<&str> {
        self.summary.event.as_deref()
    }

    /// The payload's `time` field, when it is a string.
    pub fn time(&self) -> Option<&str> {
        self.summary.time.as_deref()
    }

    /// How the signature was written.
    pub fn encoding(&self) -> SignatureEncoding {
        self.encoding
    }

    /// Which secret matched, counting from 1 in the order given.
    pub fn secret(&self) -> usize {
        self.secret
    }
}

impl Body<'_> {
    /// Verifies this body against one or more secrets; see [`verify`].
    ///
    /// The body must be well formed before its signature counts: it has a
    /// signature part, its payload decodes to a JSON object, and its
    /// signature is a SHA-256 digest in hex or base64. The payload's `time`
    /// is not looked at; see [`crate::Freshness`].
    ///
    /// # Errors
    /// As [`verify`].
    pub fn verify(&self, secrets: &[Secret]) -> Result<Verified, Error> {
        let (payload, encoding, secret) = self.authenticate(secrets, |part| {
            Payload::from_bytes(decoding::decode_base64(part)?)?.require_object()
        })?;
        Ok(Verified {
            payload,
            encoding,
            secret,
        })
    }

    /// Verifies this body exactly as [`Body::verify`] does, with the same
    /// verdict for every input, but only walks the payload's JSON instead of
    /// building it, and decodes into `scratch`: the fast path for checking
    /// many bodies.
    ///
    /// # Errors
    /// As [`verify`].
    pub fn check<'s>(
        &self,
        secrets: &[Secret],
        scratch: &'s mut Vec<u8>,
    ) -> Result<Checked<'s>, Error> {
        let (summary, encoding, secret) = self.authenticate(secrets, move |part| {
            decoding::decode_base64_into(part, scratch)?;
            let payload: &'s [u8] = scratch;
            scan::scan(payload)?.require_object()
        })?;
        Ok(Checked {
            summary,
            encoding,
            secret,
        })
    }

    /// The checks of a verification in their order, with `read` turning the
    /// payload part into what the caller needs.
    fn authenticate<P>(
        &self,
        secrets: &[Secret],
        read: impl FnOnce(&[u8]) -> Result<P, Error>,
    ) -> Result<(P, SignatureEncoding, usize), Error> {
        let signature_part = self.signature_part().ok_or(Error::NoSignature)?;
        let payload = read(self.payload_part())?;
        let signature = Signature::parse(signature_part)?;
        let secret = signature
            .matching_secret(self.payload_part(), secrets)
            .ok_or(Error::SignatureMismatch {
                tried: secrets.len(),
            })?;
        Ok((payload, signature.encoding(), secret))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // printf '%s_%s' 'e30=' 'demo' | sha256sum
    const SIGNED: &[u8] = b"e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80";
    // printf '%s_%s' 'WzFd' 'demo' | sha256sum   (the payload is [1])
    const SIGNED_ARRAY: &[u8] =
        b"WzFd.f12795a1ae45191e091dced6aa6b42e71ed598c25a50a895efa533f73eae8c4d";

    #[test]
    fn accepts_a_body_signed_with_a_given_secret() {
        let verified = verify(SIGNED, &[Secret::from("demo")]).unwrap();
        assert_eq!(verified.secret(), 1);
        assert_eq!(verified.encoding(), SignatureEncoding::Hex);
        assert_eq!(verified.payload().bytes(), b"{}");
    }

    #[test]
    fn rejects_a_body_signed_with_another_secret() {
        let err = verify(SIGNED, &[Secret::from("Demo"), Secret::from("demo ")]).unwrap_err();
        assert!(err.is_mismatch());
        assert_eq!(
            err.to_string(),
            "signature does not match: the body was not signed with any of the 2 given secrets"
        );
    }

    #[test]
    fn a_payload_that_is_not_an_object_is_malformed_even_when_signed() {
        let err = verify(SIGNED_ARRAY, &[Secret::from("demo")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload is not a JSON object: a webhook payload is an object, this is an array"
        );
        assert!(!err.is_invalid());
    }

    #[test]
    fn a_bare_payload_has_no_signature() {
        let err = verify(b"e30=", &[Secret::from("demo")]).unwrap_err();
        assert!(matches!(err, Error::NoSignature));
    }

    #[test]
    fn check_gives_the_verdict_verify_gives() {
        let secrets = [Secret::from("demo")];
        let mut scratch = Vec::new();
        for input in [
            SIGNED,
            b"e30=.06E0B399D7B8B42E934747615AC9ECF04318F8F2874F8183B886847657B66B80",
            b"e30=.16e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80",
            b"e30=",
            b"e30=.",
            b"e3!=.00",
            b"bm90IGpzb24=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80",
            SIGNED_ARRAY,
        ] {
            let body = Body::parse(input).unwrap();
            let full = body.verify(&secrets);
            let lean = body.check(&secrets, &mut scratch);
            match (full, lean) {
                (Ok(full), Ok(lean)) => {
                    assert_eq!(full.payload().event(), lean.event());
                    assert_eq!(
                        (full.encoding(), full.secret()),
                        (lean.encoding(), lean.secret())
                    );
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{input:?}: verify {a:?} but check {b:?}"),
            }
        }
    }

    #[test]
    fn malformed_bodies_are_not_mismatches() {
        for input in [&b""[..], b".", b"e30=.zz", b"e3!=.00", b"bm90IGpzb24=.00"] {
            let err = verify(input, &[Secret::from("demo")]).unwrap_err();
            assert!(!err.is_mismatch(), "{input:?}: {err}");
        }
    }
}
