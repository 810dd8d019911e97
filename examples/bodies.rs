//! Writes N realistic signed webhook bodies, one per line, for benchmarks
//! of batch mode:
//!
//! ```text
//! cargo run --release --example bodies -- 1000000 > bodies.txt
//! cargo run --release --example bodies -- 1000000 --secret s --invalid 1 --malformed 1
//! ```
//!
//! Bodies mix the catalog's events, with the vendor's example player
//! (empty name and avatar) under varying ids and times, so they average
//! about 590 bytes, as captured purchase and reward bodies do. They are
//! signed with `--secret` (default `bench-secret`) in lowercase hex. With
//! `--invalid K` and `--malformed K`, K bodies spread through the output are
//! signed with another key, or have a payload that is not base64. The output
//! depends only on the arguments.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use gpwh_webhooks::{EVENTS, Secret, SignatureEncoding};
use serde_json::{Value, json};

/// Events weighted as a game that sells things sees them: rewards and
/// progress most, then achievements and purchases (about 590 bytes a body).
const MIX: [&str; 8] = [
    "GivePlayerReward",
    "GivePlayerReward",
    "GivePlayerReward",
    "GivePlayerReward",
    "SyncPlayer",
    "SyncPlayer",
    "UnlockPlayerAchievement",
    "PurchasePlayerPurchase",
];

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) if message.is_empty() => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bodies: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let usage = "usage: bodies COUNT [--secret S] [--invalid K] [--malformed K]";
    let mut args = args.into_iter();
    let count: u64 = args.next().and_then(|n| n.parse().ok()).ok_or(usage)?;
    let (mut secret, mut invalid, mut malformed) = ("bench-secret".to_owned(), 0u64, 0u64);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(usage)?;
        match flag.as_str() {
            "--secret" => secret = value,
            "--invalid" => invalid = value.parse().map_err(|_| usage)?,
            "--malformed" => malformed = value.parse().map_err(|_| usage)?,
            _ => return Err(usage.to_owned()),
        }
    }
    let secret = Secret::from(secret);
    let other = Secret::from("not-the-key");
    let templates: Vec<Value> = MIX
        .iter()
        .map(|name| {
            let event = EVENTS
                .iter()
                .find(|e| e.name() == *name)
                .expect("MIX names catalog events");
            let mut template = event.template("");
            template["player"]["name"] = json!("");
            template["player"]["avatar"] = json!("");
            template
        })
        .collect();
    let every = |k: u64| count.checked_div(k).map_or(u64::MAX, |n| n.max(1));
    let (invalid_every, malformed_every) = (every(invalid), every(malformed));
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for n in 0..count {
        // xorshift: cheap, deterministic variety.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut payload = templates[(state % MIX.len() as u64) as usize].clone();
        let time = format!(
            "2024-04-26T{:02}:{:02}:{:02}.{:09}Z",
            (n / 3600) % 24,
            (n / 60) % 60,
            n % 60,
            state % 1_000_000_000
        );
        payload["player"]["id"] = json!(1_000_000 + state % 9_000_000);
        payload["player"]["modifiedAt"] = json!(time);
        payload["time"] = json!(time);
        set_times(&mut payload["result"], &time);
        let json = serde_json::to_vec(&payload).expect("a JSON value serializes");
        let key = if invalid > 0 && n % invalid_every == invalid_every / 2 {
            &other
        } else {
            &secret
        };
        let mut body = gpwh_webhooks::sign(&json, key, SignatureEncoding::Hex);
        if malformed > 0 && n % malformed_every == malformed_every / 3 {
            body.replace_range(0..1, "!");
        }
        let written = out
            .write_all(body.as_bytes())
            .and_then(|()| out.write_all(b"\n"));
        if written.is_err() {
            return Err(String::new());
        }
    }
    out.flush().map_err(|_| String::new())
}

/// Puts the body's time wherever the result has one.
fn set_times(value: &mut Value, time: &str) {
    if let Value::Object(fields) = value {
        for (key, field) in fields.iter_mut() {
            if key.ends_with("At") && field.is_string() {
                *field = json!(time);
            } else {
                set_times(field, time);
            }
        }
    }
}
