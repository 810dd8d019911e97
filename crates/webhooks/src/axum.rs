//! gpwh for game servers on [axum]: an extractor that reads a webhook's raw
//! body up to the verifier's limit and yields it verified, or refuses it
//! with the verdict `gpwh verify --json` gives. Enabled by the `axum`
//! feature.
//!
//! The [`Verifier`] comes from the router's state: the state itself, or any
//! state it can be taken from with [`FromRef`].
//!
//! ```
//! use axum::{Router, routing::post};
//! use gpwh_webhooks::{Secret, Verifier, axum::Webhook};
//!
//! async fn webhook(Webhook(verified): Webhook) -> &'static str {
//!     // Only a body signed with your key, fresh enough, gets here.
//!     let _event = verified.payload().event();
//!     "OK"
//! }
//!
//! let verifier = Verifier::new([Secret::from("your secret key")]);
//! let app: Router = Router::new()
//!     .route("/webhooks/gamepush", post(webhook))
//!     .with_state(verifier);
//! ```

use ::axum::body::to_bytes;
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::http::{StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use http_body_util::LengthLimitError;

use crate::{Error, Verified, Verifier};

/// A webhook body that the state's [`Verifier`] accepted: the [`Verified`]
/// body itself by default, or with `Webhook<Purchase>` its payload read
/// into your own type (anything serde can deserialize).
///
/// An authentic body whose payload does not fit your type is refused with
/// `422 Unprocessable Entity` and the code `payload-shape`, so that the
/// sender may try again once your server reads it: nothing is accepted that
/// was not handled.
#[derive(Debug, Clone)]
pub struct Webhook<T = Verified>(pub T);

/// What a verified body can be received as: the [`Verified`] body, or any
/// type serde can read its payload into.
pub trait FromVerified: Sized {
    /// This from an authentic body.
    ///
    /// # Errors
    /// A [`Refusal`] when the payload does not fit.
    fn from_verified(verified: Verified) -> Result<Self, Refusal>;
}

impl FromVerified for Verified {
    fn from_verified(verified: Verified) -> Result<Self, Refusal> {
        Ok(verified)
    }
}

impl<T: serde::de::DeserializeOwned> FromVerified for T {
    fn from_verified(verified: Verified) -> Result<Self, Refusal> {
        verified.payload().parse().map_err(|error| Refusal {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "payload-shape",
            message: format!(
                "the payload is authentic but does not fit the server's type: {error}"
            ),
        })
    }
}

impl<S, T> FromRequest<S> for Webhook<T>
where
    Verifier: FromRef<S>,
    S: Send + Sync,
    T: FromVerified,
{
    type Rejection = Refusal;

    async fn from_request(request: Request, state: &S) -> Result<Self, Refusal> {
        let verifier = Verifier::from_ref(state);
        let limit = verifier.body_limit();
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
        let verified = verifier.judge(&body).map_err(Refusal::from)?;
        T::from_verified(verified).map(Webhook)
    }
}

/// Why a body was refused, answered as `400 Bad Request` (`413 Payload Too
/// Large` past the limit) with the JSON verdict of `gpwh verify --json`:
/// `{"valid": false, "error": CODE, "message": TEXT}`. The message never
/// holds a secret or the signature a body should carry.
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
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable kebab-case code, as `signature-mismatch`; `unreadable`
    /// when the body could not be read at all.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What is wrong, in words.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Self {
        Refusal {
            status: match error {
                Error::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
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

    async fn webhook(Webhook(verified): Webhook) -> String {
        format!("granted {}", verified.payload().event().unwrap_or("?"))
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

    async fn purchase(Webhook(purchase): Webhook<Purchase>) -> String {
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
        let schema: Value =
            serde_json::from_str(include_str!("../../../docs/schemas/verdict.json")).unwrap();
        assert!(jsonschema::is_valid(&schema, &refusal), "{refusal}");
    }

    /// A refusal is the record `gpwh verify --json` writes for a body
    /// refused: valid against docs/schemas/verdict.json.
    #[tokio::test]
    async fn a_refusal_is_the_documented_verdict() {
        let schema: Value =
            serde_json::from_str(include_str!("../../../docs/schemas/verdict.json")).unwrap();
        for body in ["not a body", "e30=.00"] {
            let (status, text) = post_body(app(verifier()), body).await;
            assert!(status.is_client_error());
            let refusal: Value = serde_json::from_str(&text).unwrap();
            assert!(jsonschema::is_valid(&schema, &refusal), "{refusal}");
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

        let windowed = verifier().max_age(Duration::from_secs(60));
        let old = signed(r#"{"event":"x","time":"2024-04-26T11:34:23Z"}"#, "k");
        let (status, text) = post_body(app(windowed), old).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(text.contains(r#""error":"stale""#), "{text}");
    }

    #[tokio::test]
    async fn a_body_past_the_limit_is_413_and_never_judged() {
        let body = signed(r#"{"event":"GivePlayerReward"}"#, "k");
        let (status, text) = post_body(app(verifier().max_body(body.len() - 1)), body).await;
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
