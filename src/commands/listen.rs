//! `gpwh listen`: a local receiver for webhooks, so the whole loop can be
//! tried without the platform. This module reads the flags; the listener
//! itself is in `listen/`.

use std::net::SocketAddr;

use crate::cli::{ListenArgs, TunnelProgram};
use crate::exit::Exit;
use crate::listen::{self, Settings, forward::Forward, on_purpose::OnPurpose, tunnel::Program};
use crate::messages::warning;
use crate::output::Output;
use crate::secrets;
use crate::tls::Trust;

/// Where the inspector listens unless --ui-addr says otherwise.
const INSPECTOR: ([u8; 4], u16) = ([127, 0, 0, 1], 8788);

pub fn run(args: ListenArgs, out: &Output) -> anyhow::Result<Exit> {
    if args.max_body > args.max_buffered {
        anyhow::bail!(
            "--max-body {} is more than --max-buffered {}, so a body that large could never be \
             read: raise --max-buffered or lower --max-body",
            crate::size::human(args.max_body),
            crate::size::human(args.max_buffered)
        );
    }
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
        max_buffered: args.max_buffered,
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

/// How strong a fixed token must be, in bits, by [`token_bits`]: far fewer
/// than the 128 of a random one (`openssl rand -hex 16`, or the token
/// listen makes). Each guess at the inspector is a request, so 64 bits
/// take any process of the machine longer than it will ever run.
const TOKEN_BITS: f64 = 64.0;

/// How many different characters a fixed token must have at least: what
/// a random token of 16 characters or more has (16 random hex digits have
/// about 10), and what a repeated pattern (`aaaa...`, `abab...`) lacks.
const TOKEN_DISTINCT: usize = 8;

/// The inspector's token: `--ui-token`, else `GPWH_UI_TOKEN`, else 128
/// random bits from the operating system, as hex. A token given on the
/// command line is warned about: every user of the machine sees it in
/// `ps` (a variable they do not).
///
/// # Errors
/// A given token shorter than 16 characters, with a character a URL would
/// have to escape, or easy to guess ([`TOKEN_BITS`]); no randomness from
/// the system.
fn ui_token(given: Option<String>) -> anyhow::Result<String> {
    let on_command_line = given.is_some();
    let given = given.or_else(|| std::env::var(UI_TOKEN_VARIABLE).ok());
    let Some(token) = given else {
        return listen::random_token();
    };
    let fits = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    if token.len() < 16 || !token.chars().all(fits) {
        anyhow::bail!(
            "the inspector's token (--ui-token or {UI_TOKEN_VARIABLE}) must be 16 or more letters, \
             digits, '-', '_', '.' or '~': make one with `openssl rand -hex 16`"
        );
    }
    let distinct = token
        .chars()
        .collect::<std::collections::HashSet<_>>()
        .len();
    if distinct < TOKEN_DISTINCT || token_bits(&token) < TOKEN_BITS {
        anyhow::bail!(
            "the inspector's token (--ui-token or {UI_TOKEN_VARIABLE}) is too easy to guess: it \
             takes {TOKEN_DISTINCT} or more different characters and {TOKEN_BITS} bits by gpwh's \
             estimate (16 letters and digits, or 14 of them with '-' and '_'): make one with \
             `openssl rand -hex 16`"
        );
    }
    if on_command_line {
        warning!(
            "--ui-token on the command line is seen by every user of this machine (`ps`) and \
             kept in your shell's history: set {UI_TOKEN_VARIABLE} instead"
        );
    }
    Ok(token)
}

/// An estimate of a token's strength, in bits, as if each of its
/// characters were drawn at random from the classes it uses (lowercase
/// letters, uppercase letters, digits, and `-_.~`): 32 hex digits come to
/// about 165, 16 letters and digits of both cases to about 95. It sees no
/// words or runs (`abcdefghijklmnop` comes to 75): with the count of
/// different characters, it refuses what is plainly weak, and cannot vouch
/// for the rest.
fn token_bits(token: &str) -> f64 {
    let has = |member: fn(&char) -> bool| token.chars().any(|c| member(&c));
    let pool = [
        (has(char::is_ascii_lowercase), 26),
        (has(char::is_ascii_uppercase), 26),
        (has(char::is_ascii_digit), 10),
        (has(|c| matches!(c, '-' | '_' | '.' | '~')), 4),
    ]
    .iter()
    .filter(|(used, _)| *used)
    .map(|(_, size)| size)
    .sum::<u32>();
    token.chars().count() as f64 * f64::from(pool.max(1)).log2()
}

/// How many connections to serve at once unless --max-connections says:
/// enough for any sender of webhooks (GamePush, or a tunnel program, opens
/// a few at a time), few enough that their buffers stay small (a request
/// head takes 64 KiB at most, twice that when it arrives at once; a body
/// counts against --max-buffered).
const CONNECTIONS: usize = 512;

/// How many connections to serve at once when --max-connections does not
/// say: [`CONNECTIONS`], or fewer when the soft limit on open files less
/// room for the log, the inspector, forwarding and the tunnel program
/// leaves fewer (Linux reads it from /proc), at least 16; elsewhere 256.
fn default_connections() -> usize {
    open_files().map_or(256, |limit| {
        limit.saturating_sub(128).clamp(16, CONNECTIONS)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_as_strong_as_its_characters_vary() {
        // 16 characters of one class each: digits alone fall short.
        assert!(token_bits("0123456789012345") < TOKEN_BITS);
        assert!(token_bits("0123456789abcdea") >= TOKEN_BITS);
        assert!(token_bits("fixed-token-0123456789") >= TOKEN_BITS);
        // What `openssl rand -hex 16` printed once.
        assert!(token_bits("3f9c1e0b7a2d4c5e8f6a1b0c9d2e7f41") >= 160.0);
        // A random token of 16 letters and digits, repeats and all.
        assert!(token_bits("q7Rk2mQ9xLk4Tz8q") >= 90.0);
    }

    #[test]
    fn a_weak_token_is_refused_and_a_random_one_taken() {
        for weak in [
            "aaaaaaaaaaaaaaaa",
            "abababababababababababababababab",
            "0123456789012345",
            "short-Token-1",
        ] {
            assert!(ui_token(Some(weak.to_owned())).is_err(), "{weak}");
        }
        for strong in ["q7Rk2mQ9xLk4Tz8q", "3f9c1e0b7a2d4c5e8f6a1b0c9d2e7f41"] {
            assert_eq!(ui_token(Some(strong.to_owned())).unwrap(), strong);
        }
    }
}
