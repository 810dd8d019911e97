//! Read, verify and forge [GamePush](https://gamepush.com) webhook bodies.
//!
//! GamePush posts `BASE64(JSON) "." SIGNATURE` to a game server, where the
//! signature is SHA-256 over `BASE64 "_" SECRET_KEY`. This crate splits such a
//! body, decodes its payload, checks its signature in constant time, and
//! signs new ones. It prints nothing and has no opinion on colour: the `gpwh`
//! command-line tool is built on it.
//!
//! Verifying a body in a game server:
//!
//! ```
//! use gpwh_webhooks::{Secret, verify};
//!
//! let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
//!              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
//! let secrets = [Secret::from("demo")];
//! match verify(body, &secrets) {
//!     Ok(verified) => assert_eq!(verified.payload().event(), Some("GivePlayerReward")),
//!     Err(err) if err.is_mismatch() => panic!("forged, or signed with another key: {err}"),
//!     Err(err) => panic!("not a webhook body: {err}"),
//! }
//! ```
//!
//! Signing one, to test a server:
//!
//! ```
//! use gpwh_webhooks::{JsonInput, Secret, SignatureEncoding, sign, verify};
//!
//! let input = JsonInput::parse(br#"{ "event": "GivePlayerReward" }"#)?;
//! let body = sign(&input.compact(), &Secret::from("demo"), SignatureEncoding::Hex);
//! assert!(body.starts_with("eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==."));
//! assert!(verify(body.as_bytes(), &[Secret::from("demo")]).is_ok());
//! # Ok::<(), gpwh_webhooks::Error>(())
//! ```

#[cfg(feature = "axum")]
pub mod axum;
mod body;
mod capture;
mod closest;
mod decoding;
mod delivery;
mod duration;
mod edit;
mod error;
mod event;
mod freshness;
mod hint;
mod outline;
mod payload;
mod scan;
mod secret;
mod sign;
mod signature;
mod size;
mod verifier;
mod verify;

pub use body::{Body, MAX_BODY};
pub use closest::closest;
pub use edit::{Edit, EditError, FieldPath};
pub use error::{Base64Problem, Error};
pub use event::{EVENTS, EXAMPLE_TIME, Event, Shape};
pub use freshness::{CLOCK_SKEW, Freshness};
pub use hint::{Hint, diagnose};
pub use payload::Payload;
pub use scan::{Summary, scan};
pub use secret::Secret;
pub use sign::{JsonInput, compact_json, sign};
pub use signature::{Digest, Signature, SignatureEncoding};
pub use verifier::{DEFAULT_MAX_BODY, Verifier};
pub use verify::{Checked, Verified, verify};

/// Sizes as people write them (`16 MiB`), and the one wording of a limit
/// passed (`body too large: more than 16 MiB`).
pub mod sizes {
    pub use crate::size::{human, too_large};
}

/// Reading and writing durations as people do (`90s`, `2h 13m`).
pub mod durations {
    pub use crate::duration::{human, parse};
}

/// The JSON crate whose values [`Payload::json`] returns.
pub use serde_json;
