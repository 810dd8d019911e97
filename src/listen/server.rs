//! The HTTP server under `gpwh listen`, on hyper with axum routing every
//! request to the receiver: it binds, serves each connection as a task with
//! a limit on how long its headers may take, and on Ctrl-C stops accepting
//! and lets the requests in flight finish.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::{Extension, Router};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use super::inspector;
use super::receiver::Receiver;
use super::tunnel::{self, Failed, Program, Tunnel};
use super::wire::Recorded;
use crate::exit::Exit;
use crate::messages::say;

/// How long a client may take to send a request's headers: past it, the
/// connection is closed, so idle and stalled clients hold no one up.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most a connection's read buffer grows to, and so the largest
/// request head (request line and headers) read: past it, hyper answers
/// 431 (it checks a head still incomplete, so one that arrives at once may
/// reach twice this). A webhook's head is well under a kilobyte; hyper's
/// own default, about 400 KiB, let 1,500 connections hold 600 MiB with
/// heads alone.
const HEAD_LIMIT: usize = 64 << 10;

/// How long Ctrl-C waits for the requests already in to finish.
const GRACE: Duration = Duration::from_secs(10);

/// How many connections the inspector serves at once: a few pages.
const INSPECTOR_CONNECTIONS: usize = 64;

/// How long accepting waits after failing (out of file descriptors, most
/// likely), doubling from the first to the last, so that it neither spins
/// nor gives up.
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));

/// How often the same failure to accept is said, at most.
const SAY_AGAIN_AFTER: Duration = Duration::from_secs(5);

/// The address a request came from, for the handler.
#[derive(Clone, Copy)]
struct Remote(SocketAddr);

/// Binds the listener (and the inspector's), opens the tunnel if asked,
/// serves until Ctrl-C or SIGTERM (or the tunnel program stops), then waits
/// up to [`GRACE`] for the requests in flight.
pub async fn serve(
    host: &str,
    port: u16,
    receiver: Receiver,
    inspector_at: Option<(SocketAddr, String)>,
    tunnel: Option<(Program, Duration)>,
    max_connections: usize,
) -> anyhow::Result<Exit> {
    let listener = TcpListener::bind((host, port)).await.map_err(|error| {
        anyhow::anyhow!(
            "cannot listen on {host}:{port}: {}",
            unbound(&error, port, &Flags::LISTENER)
        )
    })?;
    let address = listener
        .local_addr()
        .context("cannot read the bound address")?;
    let inspector_listener = match inspector_at {
        Some((at, token)) => Some((
            TcpListener::bind(at).await.map_err(|error| {
                anyhow::anyhow!(
                    "cannot serve the inspector on {at}: {}",
                    unbound(&error, at.port(), &Flags::INSPECTOR)
                )
            })?,
            token,
        )),
        None => None,
    };
    let receiver = Arc::new(receiver);
    // Before saying it listens: a Ctrl-C the moment after must drain, not kill.
    let mut stop_asked = StopAsked::listen()?;
    say!("listening on http://{address} (Ctrl-C to stop)");
    if let Some(forward) = &receiver.forward {
        let which = if forward.invalid {
            "every body"
        } else {
            "valid bodies"
        };
        say!("forwarding {which} to {}", forward.url);
    }
    let mut tunnel = match tunnel {
        Some((program, wait)) => match Tunnel::open(program, address.port(), wait).await {
            Ok(tunnel) => {
                tunnel::announce(&tunnel);
                Some(tunnel)
            }
            Err(Failed::Missing(why)) => anyhow::bail!(why),
            Err(Failed::NoUrl(why)) => {
                say!("{why}");
                return Ok(Exit::Undelivered);
            }
        },
        None => None,
    };

    let (stop, stopping) = watch::channel(false);
    let router = Router::new()
        .fallback(handle)
        .with_state(Arc::clone(&receiver));
    let mut servers = vec![tokio::spawn(accept(
        listener,
        router,
        stopping.clone(),
        max_connections,
        Some(Arc::clone(&receiver)),
    ))];
    if let Some((listener, token)) = inspector_listener {
        let bound = listener
            .local_addr()
            .context("cannot read the inspector's address")?;
        let public = tunnel.as_ref().map(|tunnel| tunnel.url.clone());
        let page = format!("http://{bound}/?token={token}");
        let router = inspector::app(bound, address, &receiver, public, token)?;
        servers.push(tokio::spawn(accept(
            listener,
            router,
            stopping,
            INSPECTOR_CONNECTIONS,
            None,
        )));
        say!("inspector on {page} (the token is its key: share it with no one)");
    }

    let mut exit = Exit::Success;
    tokio::select! {
        () = stop_asked.received() => {}
        why = async {
            match &mut tunnel {
                Some(tunnel) => tunnel.stopped().await,
                None => std::future::pending().await,
            }
        } => {
            say!("{why}");
            exit = Exit::Undelivered;
        }
    }
    stop.send_replace(true);
    // Open pages' event streams end now; they are not waited for.
    if let Some(deliveries) = &receiver.inspector {
        deliveries.close();
    }
    say!("stopping: finishing the requests in flight");
    let mut draining = Vec::new();
    for server in servers {
        if let Ok(graceful) = server.await {
            draining.push(graceful.shutdown());
        }
    }
    let all = futures_util::future::join_all(draining);
    if tokio::time::timeout(GRACE, all).await.is_err() {
        say!(
            "gave up on the requests still in flight after {}",
            crate::duration::human(GRACE)
        );
    }
    if let Some(log) = &receiver.log {
        log.sync();
    }
    if let Some(tunnel) = tunnel {
        tunnel.close().await;
    }
    say!("stopped");
    Ok(exit)
}

/// The flags that choose an address, for a message that says which to
/// change.
struct Flags {
    /// The flag that picks the port, and what it takes for a free one.
    port: (&'static str, &'static str),
    /// The flag that picks the address.
    address: &'static str,
}

impl Flags {
    const LISTENER: Flags = Flags {
        port: ("--port", "--port 0"),
        address: "--host",
    };
    const INSPECTOR: Flags = Flags {
        port: ("--ui-addr", "--ui-addr 127.0.0.1:0"),
        address: "--ui-addr",
    };
}

/// Why an address could not be bound, in words that name the flag to
/// change: a port in use (by another program, or another gpwh listen), a
/// port below 1024 without the privilege, an address this machine does
/// not have.
fn unbound(error: &std::io::Error, port: u16, flags: &Flags) -> String {
    let (flag, free) = flags.port;
    match error.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "the port is in use (by another program, or another gpwh listen): \
             choose another with {flag}, or {free} for a free one"
        ),
        std::io::ErrorKind::PermissionDenied if port < 1024 => format!(
            "{error}: a port below 1024 needs privileges: choose another with {flag}, \
             or {free} for a free one"
        ),
        std::io::ErrorKind::AddrNotAvailable => format!(
            "{error}: this machine has no such address: choose another with {}",
            flags.address
        ),
        _ => error.to_string(),
    }
}

/// The signals that stop listen: Ctrl-C; on Unix SIGTERM too (docker stop,
/// systemd, Kubernetes), on Windows Ctrl-Break. Listened for from the moment this is made,
/// so that one sent right after listen says it listens is not missed.
struct StopAsked {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(windows)]
    ctrl_c: tokio::signal::windows::CtrlC,
    /// Ctrl-Break: what a process manager sends a console process group
    /// (`GenerateConsoleCtrlEvent`), since Ctrl-C cannot be sent to one.
    #[cfg(windows)]
    ctrl_break: tokio::signal::windows::CtrlBreak,
}

impl StopAsked {
    fn listen() -> anyhow::Result<StopAsked> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopAsked {
                interrupt: signal(SignalKind::interrupt()).context("cannot listen for Ctrl-C")?,
                terminate: signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?,
            })
        }
        #[cfg(windows)]
        {
            use tokio::signal::windows::{ctrl_break, ctrl_c};
            Ok(StopAsked {
                ctrl_c: ctrl_c().context("cannot listen for Ctrl-C")?,
                ctrl_break: ctrl_break().context("cannot listen for Ctrl-Break")?,
            })
        }
        #[cfg(not(any(unix, windows)))]
        {
            Ok(StopAsked {})
        }
    }

    /// Resolves when one of the signals arrives.
    async fn received(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(windows)]
        tokio::select! {
            _ = self.ctrl_c.recv() => {}
            _ = self.ctrl_break.recv() => {}
        }
        #[cfg(not(any(unix, windows)))]
        std::future::pending::<()>().await;
    }
}

/// Serves each connection on `listener` as a task, with a limit on how
/// long its headers may take and at most `most` at once (past it, new
/// connections wait in the system's queue), until `stopping` turns true;
/// returns what lets the connections in flight finish. A request hyper
/// refuses before routing it goes to `refused_to`, if given, with what
/// was read of it.
async fn accept(
    listener: TcpListener,
    router: Router,
    mut stopping: watch::Receiver<bool>,
    most: usize,
    refused_to: Option<Arc<Receiver>>,
) -> GracefulShutdown {
    let slots = Arc::new(Semaphore::new(most));
    let mut backoff = ACCEPT_BACKOFF.0;
    let mut said: Option<tokio::time::Instant> = None;
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(HEAD_LIMIT);
    let graceful = GracefulShutdown::new();
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot,
            () = async { let _ = stopping.wait_for(|stop| *stop).await; } => break,
        };
        let Ok(slot) = slot else { break };
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, remote) = match accepted {
                    Ok(accepted) => {
                        backoff = ACCEPT_BACKOFF.0;
                        accepted
                    }
                    Err(error) => {
                        // Out of file descriptors, most likely: let some
                        // connections finish before trying again, longer
                        // each time, and say so now and then, not each time.
                        if said.is_none_or(|at| at.elapsed() >= SAY_AGAIN_AFTER) {
                            say!("cannot accept a connection: {error}; trying again (said at most every {})",
                                crate::duration::human(SAY_AGAIN_AFTER));
                            said = Some(tokio::time::Instant::now());
                        }
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(ACCEPT_BACKOFF.1);
                        continue;
                    }
                };
                let service = TowerToHyperService::new(
                    router.clone().layer(Extension(Remote(remote))),
                );
                let (stream, recording) = Recorded::new(stream);
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                let refused_to = refused_to.clone();
                tokio::spawn(async move {
                    // The slot is the connection's until it ends.
                    let _slot = slot;
                    match connection.await {
                        // A keep-alive connection left idle after its last
                        // answer (a client's pool, the inspector's own test
                        // events) and closed: nothing was cut short.
                        Err(error) if error.is_timeout() && recording.between_requests() => {}
                        Err(error) if error.is_timeout() => {
                            say!("{remote} sent no complete request headers within {}: connection closed",
                                crate::duration::human(HEADER_TIMEOUT));
                        }
                        // hyper has answered it (400, or 431 for a head too
                        // large); the log has it all the same.
                        Err(error) if error.is_parse() => {
                            if let Some(receiver) = refused_to {
                                let status = if error.is_parse_too_large() { 431 } else { 400 };
                                receiver.refused_by_http(remote, &recording.bytes(), status, &error);
                            }
                        }
                        _ => {}
                    }
                });
            }
            () = async { let _ = stopping.wait_for(|stop| *stop).await; } => break,
        }
    }
    graceful
}

async fn handle(
    State(receiver): State<Arc<Receiver>>,
    Extension(Remote(remote)): Extension<Remote>,
    request: Request,
) -> Response {
    receiver.handle(remote, request).await
}
