//! `gpwh listen`: a local receiver for webhooks, so the whole loop can be
//! tried without the platform. This module reads the flags; the listener
//! itself is in `listen/`.

use std::net::SocketAddr;

use crate::cli::{ListenArgs, TunnelProgram};
use crate::exit::Exit;
use crate::listen::{self, Settings, forward::Forward, on_purpose::OnPurpose, tunnel::Program};
use crate::output::Output;
use crate::secrets;
use crate::tls::Trust;

/// Where the inspector listens unless --ui-addr says otherwise.
const INSPECTOR: ([u8; 4], u16) = ([127, 0, 0, 1], 8788);

pub fn run(args: ListenArgs, out: &Output) -> anyhow::Result<Exit> {
    let verifier = secrets::verifier(&args.secrets, args.max_age, args.max_body)?;
    let forward = match args.forward_to {
        Some(url) => Some(Forward::new(
            url,
            args.forward_invalid,
            args.forward_timeout,
            &Trust {
                cacerts: args.forward_cacert,
                insecure: false,
                flag: "--forward-cacert",
            },
        )?),
        None => None,
    };
    let inspector_at = match args.ui_addr {
        Some(address) => Some(address),
        None if args.ui => Some(SocketAddr::from(INSPECTOR)),
        None => None,
    };
    let settings = Settings {
        host: args.host,
        port: args.port,
        verifier,
        read_timeout: args.read_timeout,
        forward,
        log: args.log,
        json: args.json,
        inspector: inspector_at.map(|address| (address, args.ui_keep as usize)),
        on_purpose: OnPurpose::new(args.respond, args.fail_first, args.delay),
        tunnel: args.tunnel.map(|program| {
            let program = match program {
                TunnelProgram::Cloudflared => Program::Cloudflared,
                TunnelProgram::Ngrok => Program::Ngrok,
            };
            (program, args.tunnel_wait)
        }),
    };
    listen::run(settings, out)
}
