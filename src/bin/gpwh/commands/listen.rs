//! `gpwh listen`: a local receiver for webhooks, so the whole loop can be
//! tried without the platform. The server itself is in `listen/`.

use std::fs::File;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;

use crate::cli::ListenArgs;
use crate::client::{self, Client, Proxies};
use crate::exit::Exit;
use crate::listen;
use crate::listen::deliveries::Deliveries;
use crate::listen::receiver::{Forward, Receiver};
use crate::output::Output;
use crate::secrets;

/// Where the inspector listens unless --ui-addr says otherwise.
const INSPECTOR: ([u8; 4], u16) = ([127, 0, 0, 1], 8788);

pub fn run(args: ListenArgs, out: &Output) -> anyhow::Result<Exit> {
    let verifier = secrets::verifier(&args.secrets, args.max_age, args.max_body)?;
    let forward = match args.forward_to {
        Some(url) => {
            client::check_url(&url)?;
            Some(Forward {
                url,
                invalid: args.forward_invalid,
                client: Client::new(args.forward_timeout, Proxies::Never)?,
            })
        }
        None => None,
    };
    let log = match &args.log {
        Some(path) => Some(Mutex::new(open_log(path)?)),
        None => None,
    };
    let inspector_at = match args.ui_addr {
        Some(address) => Some(address),
        None if args.ui => Some(SocketAddr::from(INSPECTOR)),
        None => None,
    };
    let receiver = Receiver {
        verifier,
        read_timeout: args.read_timeout,
        forward,
        log,
        json: args.json,
        out: *out,
        inspector: inspector_at.map(|_| Arc::new(Deliveries::new(args.ui_keep as usize))),
    };
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the I/O runtime")?
        .block_on(listen::server::serve(
            &args.host,
            args.port,
            receiver,
            inspector_at,
        ))
}

fn open_log(path: &Path) -> anyhow::Result<File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open log file '{}'", path.display()))
}
