//! A game server's GamePush webhook endpoint on axum: only bodies signed
//! with your key, with the digest in any form, and at most 72 hours old,
//! reach `webhook`.
//!
//!     GPWH_SECRET='your secret key' PORT=3000 cargo run -p gpwh-webhooks --example axum_receiver --features axum
//!
//! then `gpwh send http://127.0.0.1:3000/webhooks/gamepush --event GivePlayerReward`.

use std::time::Duration;

use axum::{Router, routing::post};
use gpwh_webhooks::{Secret, Verifier, Webhook};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret =
        std::env::var("GPWH_SECRET").map_err(|_| "set GPWH_SECRET to your project's secret key")?;
    // 72 hours: a delivery sent again after downtime carries the operation's
    // time; granting each purchase once, not the window, stops replays.
    let verifier = Verifier::new([Secret::from(secret.as_str())])
        .with_max_age(Duration::from_secs(72 * 60 * 60));
    let app = Router::new()
        .route("/webhooks/gamepush", post(webhook))
        .with_state(verifier);
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

/// Every event is answered 200, the ones you act on and the ones you don't,
/// and a delivery that comes again.
async fn webhook(webhook: Webhook) -> &'static str {
    if webhook.payload().event() == Some("PurchasePlayerPurchase") {
        // In one transaction: insert webhook.delivery_key() (the purchase's
        // _id) into a table where it is unique, and grant the purchase to
        // webhook.payload().json()["player"]["id"]. On a duplicate key this
        // purchase was granted before: grant nothing, and answer OK all the same.
    }
    "OK"
}
