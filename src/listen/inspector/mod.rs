//! The inspector: a page, served by `gpwh listen --ui` on a listener of its
//! own, where deliveries appear live, open into their payload, and replay
//! with one click. Page, script and style are embedded in the binary; the
//! page gets the deliveries by server-sent events and a small JSON API.
//!
//! It shows player data and can sign with the user's key, so it guards
//! itself: it answers only requests for its own address (DNS rebinding),
//! takes state-changing requests only from its own origin (cross-site
//! requests), sends a strict Content-Security-Policy, and signs test events
//! only while it listens on a loopback address. The secret never leaves the
//! server: not in the page, the script, the event stream or an API answer.

mod guard;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::{Stream, StreamExt as _, stream};
use gpwh_webhooks::{EVENTS, Secret, SignatureEncoding};

use crate::json_input::JsonInput;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::broadcast::error::RecvError;

use guard::Guard;

use crate::client::{Client, Proxies};
use crate::messages::warning;
use crate::tls::Trust;

use super::deliveries::Deliveries;
use super::receiver::{Receiver, TEST_EVENT_HEADER};

const PAGE: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/app.css");
const ICON: &str = include_str!("page/icon.svg");

/// What the inspector's handlers share.
struct Inspector {
    /// The deliveries it shows.
    deliveries: Arc<Deliveries>,
    /// The listener's receiver, for replays.
    receiver: Arc<Receiver>,
    /// The listener's own URL, where test events are sent.
    listener: String,
    /// How test events are signed and sent; none when the inspector does not
    /// listen on a loopback address.
    sender: Option<TestSender>,
    /// The public URL a tunnel (--tunnel) announced, if any.
    public: Option<String>,
}

/// What sends test events: the first secret, and a client.
struct TestSender {
    /// The key test events are signed with.
    secret: Secret,
    /// The client that delivers them to the listener.
    client: Client,
}

/// The inspector bound to `bound`, for the listener bound to `listener`
/// whose receiver keeps its deliveries: its routes behind its guard. Warns
/// on stderr when other machines can reach it, and there leaves test events
/// off, as they sign with the user's key.
///
/// # Errors
/// When the receiver keeps no deliveries, or the client for test events
/// cannot be set up.
pub fn app(
    bound: SocketAddr,
    listener: SocketAddr,
    receiver: &Arc<Receiver>,
    public: Option<String>,
    token: String,
) -> anyhow::Result<Router> {
    let deliveries = receiver
        .inspector
        .clone()
        .ok_or_else(|| anyhow::anyhow!("the receiver keeps no deliveries for an inspector"))?;
    let loopback = bound.ip().is_loopback();
    if !loopback {
        warning!(
            "the inspector on {bound} can be reached from other machines, and it \
             shows player data; sending test events is off there"
        );
    }
    let sender = match receiver.verifier.secrets().first() {
        Some(secret) if loopback => Some(TestSender {
            secret: secret.clone(),
            client: Client::new(
                Duration::from_secs(30),
                Proxies::Never,
                &Trust::system("--cacert"),
            )?,
        }),
        _ => None,
    };
    let inspector = Arc::new(Inspector {
        deliveries,
        receiver: Arc::clone(receiver),
        listener: listener_url(listener),
        sender,
        public,
    });
    Ok(router(inspector, Arc::new(Guard::new(bound, token))))
}

/// The inspector's routes, behind its guard.
fn router(inspector: Arc<Inspector>, guard: Arc<Guard>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { asset(PAGE, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { asset(SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { asset(STYLE, "text/css; charset=utf-8") }),
        )
        .route("/icon.svg", get(|| async { asset(ICON, "image/svg+xml") }))
        .route("/api/config", get(config))
        .route("/api/catalog", get(catalog))
        .route("/api/stream", get(live))
        .route("/api/deliveries", get(deliveries))
        .route("/api/deliveries/{id}", get(delivery))
        .route("/api/deliveries/{id}/replay", post(replay))
        .route("/api/send", post(send))
        .with_state(inspector)
        .layer(axum::middleware::from_fn_with_state(guard, guard::check))
}

fn asset(text: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}

/// An API refusal: its status, and why.
fn refusal(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        Json(Refused {
            error: message.into(),
        }),
    )
        .into_response()
}

/// What the API answers when it refuses.
#[derive(Debug, Serialize)]
struct Refused {
    /// Why, in words.
    error: String,
}

/// What the page needs to know of this listener (`/api/config`,
/// docs/schemas/inspector-config.json).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Config<'a> {
    /// Where listen receives, as the inspector reaches it.
    listener: &'a str,
    /// The app it forwards to, or null.
    forward: Option<&'a str>,
    /// The public URL of the tunnel, or null.
    public: Option<&'a str>,
    /// Whether the page may send test events.
    send: bool,
    /// Why it may not, or null.
    send_off: Option<&'static str>,
    /// How many secrets listen holds.
    secrets: usize,
}

async fn config(State(inspector): State<Arc<Inspector>>) -> Response {
    let receiver = &inspector.receiver;
    Json(Config {
        listener: &inspector.listener,
        forward: receiver.forward.as_ref().map(|f| f.url.as_str()),
        public: inspector.public.as_deref(),
        send: inspector.sender.is_some(),
        send_off: inspector.sender.is_none().then_some(
            "Sending test events is off: this inspector listens on an address other machines can reach, \
             and the action signs with your secret key. Start it on a loopback address (the default) to use it.",
        ),
        secrets: receiver.verifier.secrets().len(),
    })
    .into_response()
}

/// One event of the catalog the page offers, with its template.
#[derive(Debug, Serialize)]
struct Template {
    name: &'static str,
    description: &'static str,
    template: Value,
}

/// Every listed event with a template at the current time; a purchase's
/// with an `_id` of its own, new at each call, so that a test purchase is a
/// new purchase to a receiver that handles each once (the page asks again
/// after each send).
async fn catalog() -> Json<Vec<Template>> {
    let now = crate::time::now();
    Json(
        EVENTS
            .iter()
            .map(|event| {
                let mut template = event.template(&now);
                crate::purchase::renew(&mut template);
                Template {
                    name: event.name(),
                    description: event.description(),
                    template,
                }
            })
            .collect(),
    )
}

/// What a replay or a test event got: the new delivery's number and its
/// status, or the status alone.
#[derive(Debug, Serialize)]
struct Delivered {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    status: u16,
}

/// The kept deliveries, oldest first, then each new one as it comes, until
/// gpwh stops. A page that falls behind is told to start over.
async fn live(
    State(inspector): State<Arc<Inspector>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let (kept, feed) = inspector.deliveries.subscribe();
    let closing = inspector.deliveries.closing();
    let kept = stream::iter(kept.into_iter().map(|summary| Ok(delivery_event(&summary))));
    let new = stream::unfold((feed, closing), |(mut feed, mut closing)| async move {
        let received = tokio::select! {
            received = feed.recv() => received,
            () = async { let _ = closing.wait_for(|closed| *closed).await; } => return None,
        };
        let event = match received {
            Ok(summary) => delivery_event(&summary),
            Err(RecvError::Lagged(_)) => Event::default().event("resync").data("behind"),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(event), (feed, closing)))
    });
    Sse::new(kept.chain(new)).keep_alive(KeepAlive::default())
}

fn delivery_event(summary: &Value) -> Event {
    Event::default().event("delivery").data(summary.to_string())
}

/// The kept deliveries, oldest first, each the row the stream sends: for
/// a script that wants what is there now, not a stream that never ends.
async fn deliveries(State(inspector): State<Arc<Inspector>>) -> Json<Vec<Value>> {
    Json(inspector.deliveries.summaries())
}

/// One delivery, with everything it opens into.
async fn delivery(State(inspector): State<Arc<Inspector>>, Path(id): Path<u64>) -> Response {
    match inspector.deliveries.get(id) {
        Some(delivery) => {
            Json(delivery.detail(inspector.receiver.verifier.secrets().len())).into_response()
        }
        None => refusal(StatusCode::NOT_FOUND, format!("no delivery {id} is kept")),
    }
}

/// Forwards a kept delivery's body to the app again: a new delivery.
async fn replay(State(inspector): State<Arc<Inspector>>, Path(id): Path<u64>) -> Response {
    let Some(stored) = inspector.deliveries.get(id) else {
        return refusal(StatusCode::NOT_FOUND, format!("no delivery {id} is kept"));
    };
    match inspector.receiver.replay(&stored).await {
        Ok((id, status)) => Json(Delivered {
            id: Some(id),
            status,
        })
        .into_response(),
        Err(why) => refusal(StatusCode::CONFLICT, why),
    }
}

/// Signs the payload the page sends with the first secret and delivers it
/// to the listener, through the whole path a real delivery takes.
async fn send(State(inspector): State<Arc<Inspector>>, Json(request): Json<Value>) -> Response {
    let Some(sender) = &inspector.sender else {
        return refusal(
            StatusCode::FORBIDDEN,
            "sending test events is off on an inspector that other machines can reach",
        );
    };
    let Some(text) = request.get("payload").and_then(Value::as_str) else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "expected {\"payload\": \"...JSON text...\"}",
        );
    };
    let payload = match JsonInput::parse(text.as_bytes()) {
        Ok(json) => json.compact(),
        Err(error) => return refusal(StatusCode::BAD_REQUEST, error.to_string()),
    };
    let body = gpwh_webhooks::sign(&payload, &sender.secret, SignatureEncoding::Hex);
    let headers = [
        (
            "Content-Type".to_owned(),
            b"text/plain; charset=utf-8".to_vec(),
        ),
        (
            TEST_EVENT_HEADER.to_owned(),
            inspector.receiver.test_marker.clone().into_bytes(),
        ),
    ];
    match sender
        .client
        .post(&inspector.listener, &headers, body.into_bytes())
        .await
    {
        Ok(answer) => Json(Delivered {
            id: None,
            status: answer.status,
        })
        .into_response(),
        Err(undelivered) => refusal(StatusCode::BAD_GATEWAY, undelivered.to_string()),
    }
}

/// The listener's URL as the inspector reaches it: an unspecified bound
/// address is reached on loopback.
fn listener_url(bound: SocketAddr) -> String {
    let mut reach = bound;
    if bound.ip().is_unspecified() {
        reach.set_ip(match bound {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    format!("http://{reach}/")
}
