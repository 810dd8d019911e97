//! Verify, key and sign [GamePush](https://gamepush.com) webhooks in a Rust
//! game server.
//!
//! GamePush posts `BASE64(JSON) "." SIGNATURE` to a game server, where the
//! signature is SHA-256 over `BASE64 "_" SECRET_KEY`. A [`Verifier`] holds
//! your keys and limits and checks each body as it came off the network: the
//! signature in constant time, the payload a JSON object, and, if you set a
//! window, its age. What passes is a [`Webhook`]: its [`Payload`] (or your
//! own type, with [`Webhook::parse`]) and the [delivery
//! key](Webhook::delivery_key) that makes acting on each delivery once
//! possible. Every refusal is one [`Error`] with a stable
//! [`code`](Error::code), the same codes as the npm and PyPI packages
//! `@gpwh/webhooks` and `gpwh-webhooks` and the `gpwh` tool.
//!
//! ```
//! use gpwh_webhooks::{Secret, Verifier};
//!
//! let verifier = Verifier::new([Secret::from("demo")]);
//! let body = b"eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\
//!              36bc6dd34438883834cc41d2dfeeb6cfffdd0b2e532f72614979b78091ffc40a";
//! match verifier.verify(body) {
//!     Ok(webhook) => assert_eq!(webhook.payload().event(), Some("GivePlayerReward")),
//!     Err(error) if error.is_invalid() => panic!("forged, or signed with another key: {error}"),
//!     Err(error) => panic!("not a webhook body: {error}"),
//! }
//! ```
//!
//! [`sign`] makes bodies to test your handler with, and [`EVENTS`] lists the
//! events the vendor documents, each with a realistic payload.
//!
//! # Features
//! - `axum`: [`Webhook`] is an axum extractor ([`axum`] module).
//! - `ring`: SHA-256 through ring's assembly instead of sha2's portable Rust:
//!   the same digests, about 1.5 times faster on CPUs without SHA
//!   extensions.
//!
//! The payload is read by serde_json with the features your build gives
//! it. Its default reading is the one the conformance vectors pin, in every
//! language. With `arbitrary_precision` on anywhere in your build, serde_json
//! also takes a number past a double's range, and reads an object whose only
//! key is `$serde_json::private::Number` as a number (a `result.purchase._id`
//! so written would key as that number): neither is what GamePush sends.
//!
//! # What is known, and what is guessed
//! The vendor's page documents the body's form and the signature over the
//! base64 text. It does not say which base64 alphabet or digest encoding it
//! sends, so both alphabets, padded or not, and hex in either case or base64
//! digests are accepted; nor whether or when a delivery is sent again, which
//! is why the delivery key exists.

#[cfg(feature = "axum")]
pub mod axum;
mod body;
mod decoding;
mod delivery;
mod error;
mod event;
mod freshness;
mod human;
mod payload;
mod secret;
mod sign;
mod signature;
mod verifier;
mod webhook;

pub use error::{Base64Problem, Error};
pub use event::{EVENTS, EXAMPLE_TIME, Event, Shape};
pub use payload::Payload;
pub use secret::Secret;
pub use sign::sign;
pub use signature::{Digest, SignatureEncoding};
pub use verifier::Verifier;
pub use webhook::Webhook;
