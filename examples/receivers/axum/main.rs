//! A GamePush webhook receiver on axum, with gpwh-webhooks' `Webhook` extractor and
//! sqlx: every genuine delivery is handled once, its key and its effect
//! committed together in SQLite or PostgreSQL. Run it:
//!
//!     cargo build --locked
//!     GPWH_SECRET='your secret key' ./target/debug/gamepush-receiver
//!
//! and check it with:
//!
//!     gpwh probe --all-events --strict --secret 'your secret key' http://127.0.0.1:3000/webhooks/gamepush
//!
//! Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
//! HOST (127.0.0.1), MAX_AGE_SECONDS (259200, 72 hours: how old a body may
//! be), DATABASE_URL (unset or empty: SQLite in ./gamepush.sqlite3;
//! sqlite:PATH; postgres://user:password@host:5432/database).
//!
//! Why 72 hours: `time` is when the operation happened, and a delivery sent
//! again after your server was down most likely carries that time, so a
//! window of minutes would refuse it and lose the purchase. The window only
//! bounds how long a captured body can be played again at all; what makes a
//! replay harmless is the delivery key in the database (store.rs).

mod store;

use std::process::ExitCode;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use gpwh_webhooks::axum::Refusal;
use gpwh_webhooks::{Payload, Secret, Verifier, Webhook};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;

use store::{Database, Location, Transaction};

/// How old a body may be unless MAX_AGE_SECONDS says otherwise.
const MAX_AGE: Duration = Duration::from_secs(72 * 60 * 60);

/// How long a client may take to send a request's headers, and the whole
/// request: past that it is cut off, so that clients that stall or trickle
/// a byte at a time hold nothing up for long. (The body's size limit, 1 MiB,
/// is the extractor's: it stops reading there, chunked or not.)
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Your game's work for one delivery, on the transaction that also holds
/// the delivery's key: it commits with the key, or neither does. Return an
/// error and the delivery is answered 500, so that GamePush sends it again.
///
/// Every event must be answered 2xx, the ones you act on and the ones you
/// don't: GamePush adds new ones. This demo records a grant for each.
async fn handle(payload: &Payload, tx: &mut Transaction) -> Result<(), sqlx::Error> {
    let key = payload.delivery_key();
    let event = payload.event().unwrap_or_default();
    let player = player_id(payload);
    // What a game does here: give the player what payload.json()["result"]
    // describes (a purchase's product, a reward), and record it.
    let grant = "INSERT INTO grants (delivery_key, event, player_id) VALUES ($1, $2, $3)";
    match tx {
        Transaction::Sqlite(tx) => {
            sqlx::query(grant)
                .bind(&key)
                .bind(event)
                .bind(player)
                .execute(&mut **tx)
                .await?;
        }
        Transaction::Postgres(tx) => {
            sqlx::query(grant)
                .bind(&key)
                .bind(event)
                .bind(player)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// `player.id` when it is a whole number (7, or 7.0) within 2^53 - 1 either
/// way, else none: past that, not every language holds it exactly.
fn player_id(payload: &Payload) -> Option<i64> {
    const MAX_WHOLE: i64 = (1 << 53) - 1;
    let id = &payload.json()["player"]["id"];
    id.as_i64()
        .or_else(|| {
            id.as_f64()
                .filter(|id| id.fract() == 0.0 && id.abs() <= MAX_WHOLE as f64)
                .map(|id| id as i64)
        })
        // An i64 past the bound is none too.
        .filter(|id| (-MAX_WHOLE..=MAX_WHOLE).contains(id))
}

/// What the route needs: the verifier for the extractor, the database for
/// the handler.
#[derive(Clone)]
struct App {
    verifier: Verifier,
    database: Database,
}

impl FromRef<App> for Verifier {
    fn from_ref(app: &App) -> Verifier {
        app.verifier.clone()
    }
}

impl FromRef<App> for Database {
    fn from_ref(app: &App) -> Database {
        app.database.clone()
    }
}

/// The route. The trap on axum: a `String`, `Json` or `Form` extractor
/// reads or parses the body before it is verified, and the exact bytes
/// that were signed are gone. gpwh-webhooks' `Webhook` reads the raw body (up to
/// 1 MiB) and lets through only a genuine, fresh one; anything else gets
/// the 4xx it carries, before the database is touched.
async fn webhook(
    State(database): State<Database>,
    webhook: Result<Webhook, Refusal>,
) -> Result<(StatusCode, &'static str), Refusal> {
    let webhook = webhook.inspect_err(|refusal| {
        eprintln!("refused ({}): {}", refusal.code(), refusal.message());
    })?;
    // From the verified payload, never from the body as received: the
    // purchase's _id, else the SHA-256 of the decoded payload.
    let key = webhook.delivery_key().to_owned();
    let payload = webhook.into_payload();
    // In a task of its own: axum drops a handler whose client goes away,
    // and a transaction must not stop halfway because of that.
    let outcome = tokio::spawn(deliver(database, key.clone(), payload)).await;
    Ok(match outcome {
        Ok(Ok(true)) => {
            eprintln!("delivery {key}: handled");
            (StatusCode::OK, "ok")
        }
        Ok(Ok(false)) => {
            eprintln!("delivery {key}: a repeat, answered without handling it again");
            (StatusCode::OK, "already handled")
        }
        Ok(Err(error)) => {
            eprintln!("delivery {key}: not handled: {error}");
            (StatusCode::INTERNAL_SERVER_ERROR, "handler failed")
        }
        Err(panicked) => {
            eprintln!("delivery {key}: not handled: {panicked}");
            (StatusCode::INTERNAL_SERVER_ERROR, "handler failed")
        }
    })
}

/// One delivery, in one transaction: its key, then its effect, then the
/// commit. True when it was handled now, false when it had been before.
/// Any error rolls everything back (the transaction is dropped), key
/// included, so that the delivery sent again is handled then.
async fn deliver(database: Database, key: String, payload: Payload) -> Result<bool, sqlx::Error> {
    let mut tx = database.begin().await?;
    if !tx.claim(&key).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    handle(&payload, &mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Exits 2 when the environment is wrong, 1 when the database or the port
/// cannot be had.
#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(why) => {
            eprintln!("{why}");
            return ExitCode::from(2);
        }
    };
    // Its tables exist before the first delivery.
    let database = match Database::open(config.location).await {
        Ok(database) => database,
        Err(error) => {
            eprintln!("cannot open the database: {error}");
            return ExitCode::FAILURE;
        }
    };
    let app = Router::new()
        .route("/webhooks/gamepush", post(webhook))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(App {
            verifier: config.verifier,
            database,
        });
    let listener = match TcpListener::bind((config.host.as_str(), config.port)).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {}:{}: {error}", config.host, config.port);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(address) => eprintln!("listening on http://{address}"),
        Err(error) => {
            eprintln!("cannot tell the address: {error}");
            return ExitCode::FAILURE;
        }
    }
    serve(listener, app).await
}

/// Serves each connection as a task. Not `axum::serve`, which gives hyper
/// no timer, and so no limit on how long a request's headers may take.
async fn serve(listener: TcpListener, app: Router) -> ! {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors, most likely: let some
                // connections finish first.
                eprintln!("cannot accept a connection: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        tokio::spawn(async move {
            // A client that stalls, or goes away, ends only its own connection.
            let _ = connection.await;
        });
    }
}

/// The environment, read once at start.
struct Config {
    host: String,
    port: u16,
    verifier: Verifier,
    location: Location,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let secret = var("GPWH_SECRET").ok_or("set GPWH_SECRET to your project's secret key")?;
        let port = match var("PORT") {
            None => 3000,
            Some(port) => port
                .parse()
                .map_err(|_| "PORT must be a port number (0 picks a free one)")?,
        };
        let max_age = match var("MAX_AGE_SECONDS") {
            None => MAX_AGE,
            Some(seconds) => seconds
                .parse()
                .ok()
                .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
                .ok_or("MAX_AGE_SECONDS must be a number of seconds")?,
        };
        let url =
            std::env::var_os("DATABASE_URL").map(|url| url.into_string().map_err(|_| store::FORMS));
        let location = Location::parse(url.transpose()?.as_deref())?;
        Ok(Config {
            host: var("HOST").unwrap_or_else(|| "127.0.0.1".into()),
            port,
            verifier: Verifier::new([Secret::from(secret.as_str())]).with_max_age(max_age),
            location,
        })
    }
}
