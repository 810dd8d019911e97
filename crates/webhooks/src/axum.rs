//! [`Webhook`] as an [axum] extractor, for game servers on axum (feature
//! `axum`): it reads the raw body up to the verifier's limit and yields it
//! verified, or refuses it with `{"valid": false, "error": CODE, "message":
//! TEXT}`, the verdict `gpwh verify --json` gives.
//!
//! The [`Verifier`] comes from the router's state: the state itself, or any
//! state it can be taken from with [`FromRef`].
//!
//! ```
//! use axum::{Router, routing::post};
//! use gpwh_webhooks::{Secret, Verifier, Webhook};
//!
//! async fn webhook(webhook: Webhook) -> &'static str {
//!     // Only a body signed with your key, fresh enough, gets here.
//!     let _event = webhook.payload().event();
//!     "OK"
//! }
//!
//! let verifier = Verifier::new([Secret::from("your secret key")]);
//! let app: Router = Router::new()
//!     .route("/webhooks/gamepush", post(webhook))
//!     .with_state(verifier);
//! ```
//!
//! With `Webhook<Purchase>`, the payload is read into your own type; an
//! authentic body whose payload does not fit it is refused with `422
//! Unprocessable Entity` and the code `payload-shape`, so that the sender may
//! try again once your server reads it: nothing is accepted that was not
//! handled.

use ::axum::body::to_bytes;
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::http::{StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use http_body_util::LengthLimitError;

use crate::{Error, Payload, Verifier, Webhook};

mod sealed {
    /// What a verified payload can be received as: the [`Payload`] itself,
    /// or any type serde can read it into.
    ///
    /// [`Payload`]: crate::Payload
    pub trait Received: Sized {
        fn received(webhook: crate::Webhook) -> Result<crate::Webhook<Self>, crate::Error>;
    }

    impl Received for crate::Payload {
        fn received(webhook: crate::Webhook) -> Result<crate::Webhook, crate::Error> {
            Ok(webhook)
        }
    }

    impl<T: serde::de::DeserializeOwned> Received for T {
        fn received(webhook: crate::Webhook) -> Result<crate::Webhook<T>, crate::Error> {
            webhook.parse()
        }
    }
}

impl<S, T> FromRequest<S> for Webhook<T>
where
    Verifier: FromRef<S>,
    S: Send + Sync,
    T: sealed::Received,
{
    type Rejection = Refusal;

    async fn from_request(request: Request, state: &S) -> Result<Self, Refusal> {
        let verifier = Verifier::from_ref(state);
        let limit = verifier.max_body();
        let body = to_bytes(request.into_body(), limit)
            .await
            .map_err(|error| {
                let inner = error.into_inner();
                if inner.is::<LengthLimitError>() {
                    Refusal::from(Error::TooLarge { limit })
                } else {
                    Refusal::unreadable(&*inner)
                }
            })?;
        let webhook: Webhook<Payload> = verifier.verify(&body)?;
        Ok(T::received(webhook)?)
    }
}

/// Why a body was refused, answered as `400 Bad Request` (`413 Payload Too
/// Large` past the limit) with the JSON verdict of `gpwh verify --json`:
/// `{"valid": false, "error": CODE, "message": TEXT}`. The message never
/// holds a secret or the signature a body should carry.
///
/// A handler that reads the body itself refuses it with `?`:
///
/// ```
/// use axum::{Router, body::Bytes, extract::State, http::StatusCode, routing::post};
/// use gpwh_webhooks::{Secret, Verifier, axum::Refusal};
///
/// async fn webhook(State(verifier): State<Verifier>, body: Bytes) -> Result<&'static str, Refusal> {
///     let webhook = verifier.verify(&body)?;
///     let _event = webhook.payload().event();
///     Ok("OK")
/// }
///
/// let verifier = Verifier::new([Secret::from("demo")]);
/// let app: Router = Router::new()
///     .route("/webhooks/gamepush", post(webhook))
///     .with_state(verifier.clone());
///
/// let refusal = Refusal::from(verifier.verify(b"e30=").unwrap_err());
/// assert_eq!((refusal.status(), refusal.code()), (StatusCode::BAD_REQUEST, "no-signature"));
/// ```
#[derive(Debug)]
pub struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl Refusal {
    fn unreadable(error: &dyn std::error::Error) -> Refusal {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            code: "unreadable",
            message: format!("could not read the body: {error}"),
        }
    }

    /// The status it is answered with.
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use gpwh_webhooks::{Secret, Verifier, axum::Refusal};
    ///
    /// let verifier = Verifier::new([Secret::from("demo")]).with_max_body(16);
    /// let refusal = Refusal::from(verifier.verify(&[b'A'; 17]).unwrap_err());
    /// assert_eq!(refusal.status(), StatusCode::PAYLOAD_TOO_LARGE);
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable kebab-case code, as `signature-mismatch`; `unreadable`
    /// when the body could not be read at all.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier, axum::Refusal};
    ///
    /// let verifier = Verifier::new([Secret::from("new key")]);
    /// // Signed with "demo": printf '%s_%s' 'e30=' 'demo' | sha256sum
    /// let body = b"e30=.06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80";
    /// let refusal = Refusal::from(verifier.verify(body).unwrap_err());
    /// assert_eq!(refusal.code(), "signature-mismatch");
    /// ```
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What is wrong, in words.
    ///
    /// ```
    /// use gpwh_webhooks::{Secret, Verifier, axum::Refusal};
    ///
    /// let verifier = Verifier::new([Secret::from("demo")]);
    /// let refusal = Refusal::from(verifier.verify(b"e30=").unwrap_err());
    /// assert_eq!(
    ///     refusal.message(),
    ///     "body has no signature: expected BASE64.SIGNATURE, found no '.'"
    /// );
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for Refusal {}

impl From<Error> for Refusal {
    fn from(error: Error) -> Self {
        Refusal {
            status: match error {
                Error::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                Error::PayloadShape(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::BAD_REQUEST,
            },
            code: error.code(),
            message: error.to_string(),
        }
    }
}

/// The refusal as it is answered: the form `gpwh verify --json` gives a
/// body refused (docs/schemas/verdict.json).
#[derive(serde::Serialize)]
struct Answered<'a> {
    valid: bool,
    error: &'a str,
    message: &'a str,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let verdict = Answered {
            valid: false,
            error: self.code,
            message: &self.message,
        };
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&verdict).unwrap_or_default(),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ::axum::Router;
    use ::axum::body::Body;
    use ::axum::extract::FromRef;
    use ::axum::routing::post;
    use http_body_util::BodyExt as _;
    use serde_json::Value;
    use tower::ServiceExt as _;

    use super::*;
    use crate::{Secret, SignatureEncoding, sign};

    /// A game server's own state, with the verifier inside.
    #[derive(Clone)]
    struct Game {
        verifier: Verifier,
    }

    impl FromRef<Game> for Verifier {
        fn from_ref(game: &Game) -> Verifier {
            game.verifier.clone()
        }
    }

    async fn webhook(webhook: Webhook) -> String {
        format!("granted {}", webhook.payload().event().unwrap_or("?"))
    }

    fn app(verifier: Verifier) -> Router {
        Router::new()
            .route("/hook", post(webhook))
            .with_state(Game { verifier })
    }

    async fn post_body(app: Router, body: impl Into<Body>) -> (StatusCode, String) {
        let request = Request::post("/hook").body(body.into()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    fn signed(json: &str, secret: &str) -> String {
        sign(
            json.as_bytes(),
            &Secret::from(secret),
            SignatureEncoding::Hex,
        )
    }

    fn verifier() -> Verifier {
        Verifier::new([Secret::from("k")])
    }

    #[tokio::test]
    async fn a_valid_body_reaches_the_handler() {
        let body = signed(r#"{"event":"GivePlayerReward"}"#, "k");
        let (status, text) = post_body(app(verifier()), body).await;
        assert_eq!(
            (status, text.as_str()),
            (StatusCode::OK, "granted GivePlayerReward")
        );
    }

    /// A game server's own type, received instead of the raw payload.
    #[derive(serde::Deserialize)]
    struct Purchase {
        player: Player,
        result: Bought,
    }

    #[derive(serde::Deserialize)]
    struct Player {
        id: u64,
    }

    #[derive(serde::Deserialize)]
    struct Bought {
        tag: String,
    }

    async fn purchase(webhook: Webhook<Purchase>) -> String {
        let purchase = webhook.payload();
        format!("{} to {}", purchase.result.tag, purchase.player.id)
    }

    #[tokio::test]
    async fn a_payload_is_received_as_the_servers_own_type() {
        let app = Router::new()
            .route("/hook", post(purchase))
            .with_state(Game {
                verifier: verifier(),
            });
        let body = signed(
            r#"{"event":"PurchasePlayerPurchase","player":{"id":7},"result":{"tag":"gold"}}"#,
            "k",
        );
        let (status, text) = post_body(app.clone(), body).await;
        assert_eq!((status, text.as_str()), (StatusCode::OK, "gold to 7"));

        // Authentic, but not what the server reads: refused, so that it is
        // sent again rather than lost.
        let body = signed(
            r#"{"event":"PurchasePlayerPurchase","player":{"id":"seven"}}"#,
            "k",
        );
        let (status, text) = post_body(app, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let refusal: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(refusal["error"], "payload-shape");
        assert_verdict(&refusal);
    }

    /// The record `gpwh verify --json` writes for a body refused
    /// (docs/schemas/verdict.json): exactly these three fields.
    fn assert_verdict(refusal: &Value) {
        let fields = refusal.as_object().expect("an object");
        assert_eq!(fields.len(), 3, "{refusal}");
        assert_eq!(fields["valid"], false, "{refusal}");
        assert!(fields["error"].is_string(), "{refusal}");
        assert!(fields["message"].is_string(), "{refusal}");
    }

    /// A refusal is the record `gpwh verify --json` writes for a body
    /// refused: valid against docs/schemas/verdict.json.
    #[tokio::test]
    async fn a_refusal_is_the_documented_verdict() {
        for body in ["not a body", "e30=.00"] {
            let (status, text) = post_body(app(verifier()), body).await;
            assert!(status.is_client_error());
            assert_verdict(&serde_json::from_str(&text).unwrap());
        }
    }

    /// GamePush does not say how it writes the digest: every way of
    /// writing the same 32 bytes reaches the handler.
    #[tokio::test]
    async fn every_form_of_the_digest_reaches_the_handler() {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};

        let body = signed(r#"{"event":"GivePlayerReward"}"#, "k");
        let (part, hex) = body.rsplit_once('.').unwrap();
        let digest = hex::decode(hex).unwrap();
        for signature in [
            hex.to_owned(),
            hex.to_ascii_uppercase(),
            STANDARD.encode(&digest),
            STANDARD.encode(&digest).trim_end_matches('=').to_owned(),
            URL_SAFE.encode(&digest),
            URL_SAFE_NO_PAD.encode(&digest),
        ] {
            let (status, text) = post_body(app(verifier()), format!("{part}.{signature}")).await;
            assert_eq!(status, StatusCode::OK, "{signature}: {text}");
        }
        for signature in [&hex[..63], &STANDARD.encode(&digest[..31])] {
            let (status, text) = post_body(app(verifier()), format!("{part}.{signature}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{signature}");
            assert!(text.contains("signature-format"), "{text}");
        }
    }

    /// A whole HTTP request wrapped in a body is not a webhook, even when
    /// the body inside it is one.
    #[tokio::test]
    async fn a_captured_request_in_the_body_is_refused() {
        let body = signed(r#"{"event":"GivePlayerReward"}"#, "k");
        let captured = format!("POST /hook HTTP/1.1\r\nHost: x\r\n\r\n{body}");
        let (status, _) = post_body(app(verifier()), captured).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn a_forged_body_gets_the_verify_json_verdict() {
        let body = signed(r#"{"event":"GivePlayerReward"}"#, "not-k");
        let (status, text) = post_body(app(verifier()), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let verdict: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(verdict["valid"], false);
        assert_eq!(verdict["error"], "signature-mismatch");
        assert_eq!(
            verdict["message"],
            "signature does not match: the body was not signed with the given secret"
        );
        assert_eq!(verdict.as_object().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn malformed_and_stale_bodies_are_400_with_their_codes() {
        let (status, text) = post_body(app(verifier()), "no dot here").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(text.contains(r#""error":"no-signature""#), "{text}");

        let windowed = verifier().with_max_age(Duration::from_secs(60));
        let old = signed(r#"{"event":"x","time":"2024-04-26T11:34:23Z"}"#, "k");
        let (status, text) = post_body(app(windowed), old).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(text.contains(r#""error":"stale""#), "{text}");
    }

    #[tokio::test]
    async fn a_body_past_the_limit_is_413_and_never_judged() {
        let body = signed(r#"{"event":"GivePlayerReward"}"#, "k");
        let (status, text) = post_body(app(verifier().with_max_body(body.len() - 1)), body).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(text.contains(r#""error":"too-large""#), "{text}");
    }

    #[tokio::test]
    async fn the_verifier_can_be_the_state_itself() {
        let app = Router::new()
            .route("/hook", post(webhook))
            .with_state(verifier());
        let body = signed(r#"{"event":"SyncPlayer"}"#, "k");
        assert_eq!(post_body(app, body).await.0, StatusCode::OK);
    }
}
