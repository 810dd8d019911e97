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
    let verifier = secrets::verifier(&args.secrets, args.max_age, args.max_body, false)?;
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
        None if args.ui || args.ui_token.is_some() => Some(SocketAddr::from(INSPECTOR)),
        None => None,
    };
    let token = match inspector_at {
        Some(_) => Some(ui_token(args.ui_token)?),
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
        inspector: inspector_at
            .zip(token)
            .map(|(address, token)| (address, args.ui_keep as usize, token)),
        on_purpose: OnPurpose::new(args.respond, args.fail_first, args.delay),
        max_connections: args
            .max_connections
            .map_or_else(default_connections, |n| n as usize),
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

/// The variable a fixed inspector token may come from.
const UI_TOKEN_VARIABLE: &str = "GPWH_UI_TOKEN";

/// The inspector's token: `--ui-token`, else `GPWH_UI_TOKEN`, else 128
/// random bits from the operating system, as hex.
///
/// # Errors
/// A given token shorter than 16 characters, or with a character a URL
/// would have to escape; no randomness from the system.
fn ui_token(given: Option<String>) -> anyhow::Result<String> {
    let given = given.or_else(|| std::env::var(UI_TOKEN_VARIABLE).ok());
    if let Some(token) = given {
        let fits = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
        if token.len() < 16 || !token.chars().all(fits) {
            anyhow::bail!(
                "the inspector's token (--ui-token or {UI_TOKEN_VARIABLE}) must be 16 or more letters, digits, '-', '_', '.' or '~'"
            );
        }
        return Ok(token);
    }
    listen::random_token()
}

/// How many connections to serve at once when --max-connections does not
/// say: the soft limit on open files less room for the log, the inspector,
/// forwarding and the tunnel program (Linux reads it from /proc), at least
/// 16 and at most 10,000; elsewhere 256.
fn default_connections() -> usize {
    open_files().map_or(256, |limit| limit.saturating_sub(128).clamp(16, 10_000))
}

/// The soft limit on open files, where the system says it.
#[cfg(target_os = "linux")]
fn open_files() -> Option<usize> {
    std::fs::read_to_string("/proc/self/limits")
        .ok()?
        .lines()
        .find(|line| line.starts_with("Max open files"))?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()
}

/// The soft limit on open files, where the system says it.
#[cfg(not(target_os = "linux"))]
fn open_files() -> Option<usize> {
    None
}
