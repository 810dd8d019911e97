//! `gpwh listen`: a local receiver for webhooks, so the whole loop can be
//! tried without the platform. This module runs the server: it binds,
//! hands requests to handler threads, and stops cleanly on Ctrl-C; what is
//! done with each request is in `receiver.rs`.

use std::fs::File;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use anyhow::Context as _;
use gpwh::Verifier;

use crate::cli::ListenArgs;
use crate::client;
use crate::exit::Exit;
use crate::output::Output;
use crate::receiver::{Forward, Receiver};
use crate::secrets;

/// How long the app behind --forward-to may take to answer.
const FORWARD_TIMEOUT: Duration = Duration::from_secs(30);

pub fn run(args: ListenArgs, out: &Output) -> anyhow::Result<Exit> {
    let mut verifier = Verifier::new(secrets::all(&args.secrets)?).max_body(args.max_body);
    if let Some(max_age) = args.max_age {
        verifier = verifier.max_age(max_age);
    }
    if let Some(url) = &args.forward_to {
        client::check_url(url)?;
    }
    let log = match &args.log {
        Some(path) => Some(Mutex::new(open_log(path)?)),
        None => None,
    };
    let server = tiny_http::Server::http((args.host.as_str(), args.port))
        .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let address = server.server_addr().to_ip().map_or_else(
        || format!("{}:{}", args.host, args.port),
        |a: SocketAddr| a.to_string(),
    );
    let receiver = Arc::new(Receiver {
        verifier,
        forward: args.forward_to.map(|url| Forward {
            url,
            invalid: args.forward_invalid,
            agent: client::agent(Some(FORWARD_TIMEOUT)),
        }),
        log,
        json: args.json,
        out: *out,
    });
    let stop = Arc::new(AtomicBool::new(false));
    let on_signal = Arc::clone(&stop);
    ctrlc::set_handler(move || on_signal.store(true, Ordering::SeqCst))
        .context("cannot catch Ctrl-C")?;
    let _ = writeln!(
        std::io::stderr(),
        "gpwh: listening on http://{address} (Ctrl-C to stop)"
    );

    let server = Arc::new(server);
    let workers = thread::available_parallelism().map_or(4, |n| n.get() * 8);
    let handlers: Vec<_> = (0..workers)
        .map(|_| {
            let (server, receiver, stop) = (
                Arc::clone(&server),
                Arc::clone(&receiver),
                Arc::clone(&stop),
            );
            thread::spawn(move || serve(&server, &receiver, &stop))
        })
        .collect();
    for handler in handlers {
        let _ = handler.join();
    }
    let _ = writeln!(std::io::stderr(), "gpwh: stopped");
    Ok(Exit::Success)
}

fn open_log(path: &Path) -> anyhow::Result<File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open log file '{}'", path.display()))
}

/// One handler thread: requests until Ctrl-C, then those already in.
fn serve(server: &tiny_http::Server, receiver: &Receiver, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(100)) {
            receiver.handle(request);
        }
    }
    while let Ok(Some(request)) = server.try_recv() {
        receiver.handle(request);
    }
}
