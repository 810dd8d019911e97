//! Everything `gpwh listen` runs: the HTTP server ([`server`]), what it does
//! with each request ([`receiver`]), the memory it may hold ([`budget`]),
//! passing bodies on to the user's app ([`forward`]), answers given on
//! purpose ([`on_purpose`]), the request log (written by
//! [`crate::log_file::write`], and what it says when listen stops), what a
//! connection brought, for requests hyper refuses ([`wire`]), the
//! deliveries it keeps ([`deliveries`]) and the inspector page that shows
//! them ([`inspector`]).
//!
//! The receiver and the inspector share the deliveries; the inspector
//! calls the receiver (for replays), never the other way round.

pub mod budget;
pub mod deliveries;
pub mod delivery;
pub mod forward;
pub mod inspector;
pub mod line;
pub mod on_purpose;
pub mod receiver;
pub mod server;
pub mod tunnel;
pub mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use gpwh_webhooks::Verifier;

use crate::exit::Exit;
use crate::log_file::write::Log;
use crate::messages::say;
use crate::output::Output;

use budget::Budget;
use deliveries::Deliveries;
use forward::Forward;
use on_purpose::OnPurpose;
use receiver::Receiver;

/// What a listener is started with.
pub struct Settings {
    /// The host name or address to listen on.
    pub host: String,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// How bodies are judged: keys, replay window, size limit.
    pub verifier: Verifier,
    /// How long a body may take to arrive once its headers are in.
    pub read_timeout: Duration,
    /// The app to pass bodies on to, if any.
    pub forward: Option<Forward>,
    /// The file to log every request to, if any.
    pub log: Option<PathBuf>,
    /// Whether to show NDJSON records instead of lines.
    pub json: bool,
    /// Where the inspector listens, how many deliveries it keeps, and the
    /// token its API asks for; none without --ui.
    pub inspector: Option<(SocketAddr, usize, String)>,
    /// What to answer deliveries on purpose.
    pub on_purpose: OnPurpose,
    /// The tunnel program to start, and how long to wait for its URL.
    pub tunnel: Option<(tunnel::Program, Duration)>,
    /// How many connections the listener serves at once.
    pub max_connections: usize,
    /// How many bytes of requests listen holds at once, the inspector's
    /// deliveries included.
    pub max_buffered: usize,
}

/// Opens the log, starts the runtime, and serves until Ctrl-C.
///
/// # Errors
/// When the log cannot be opened, the runtime cannot start, or an address
/// cannot be bound.
pub fn run(settings: Settings, out: &Output) -> anyhow::Result<Exit> {
    let log = match &settings.log {
        Some(path) => Some(Log::open(path)?),
        None => None,
    };
    let budget = Budget::new(settings.max_buffered);
    let receiver = Receiver {
        verifier: settings.verifier,
        read_timeout: settings.read_timeout,
        forward: settings.forward,
        log,
        json: settings.json,
        out: *out,
        inspector: settings
            .inspector
            .as_ref()
            .map(|(_, keep, _)| Arc::new(Deliveries::new(*keep, Arc::clone(&budget)))),
        budget,
        on_purpose: settings.on_purpose,
        test_marker: random_token()?,
    };
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the I/O runtime")?
        .block_on(server::serve(
            &settings.host,
            settings.port,
            receiver,
            settings
                .inspector
                .map(|(address, _, token)| (address, token)),
            settings.tunnel,
            settings.max_connections,
        ))
        .inspect(|_| {
            if let Some(path) = &settings.log {
                tell_facts(path);
            }
        })
}

/// 128 random bits from the operating system, as 32 hex digits: the
/// inspector's token, and the marker of its test events.
///
/// # Errors
/// When the system gives no randomness.
pub fn random_token() -> anyhow::Result<String> {
    let mut bits = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bits)
        .map_err(|_| anyhow::anyhow!("cannot get random bits from the system"))?;
    Ok(hex::encode(bits))
}

/// What the log says about the sender, as `gpwh facts` tells it, on
/// stderr, when it holds anything.
fn tell_facts(log: &std::path::Path) {
    let Ok(deliveries) = crate::log_file::read::deliveries(&[log.to_path_buf()]) else {
        return;
    };
    if deliveries.is_empty() {
        return;
    }
    let facts = crate::facts::of(&deliveries);
    let report = crate::facts::table::text(facts.requests, &facts.tables());
    say!(
        "what the log says (gpwh facts {}):\n{}",
        log.display(),
        report.trim_end_matches('\n')
    );
}
