//! `gpwh replay LOG... --to URL`: send what listen received again, once a
//! handler is fixed: the logged bodies byte for byte with their
//! Content-Type, in order, or signed again with the time set to now
//! (`--resign`) for a handler with a replay window, but only those whose
//! own signature verifies with a key given: anyone can post a body to a
//! listener, and anyone can write a log.

use gpwh_webhooks::{SignatureEncoding, Verifier};
use serde_json::json;

use crate::cli::{Only, ReplayArgs};
use crate::client::{self, Client, Proxies};
use crate::curl;
use crate::exit::Exit;
use crate::log_file;
use crate::log_file::read::Logged;
use crate::messages::say;
use crate::output::Output;
use crate::secrets;

pub fn run(args: ReplayArgs, out: &Output) -> anyhow::Result<Exit> {
    client::check_url(&args.to)?;
    // Every key given checks a body's own signature (the log's verdict is
    // not trusted); the first signs it again.
    let keys = if args.resign {
        Some(secrets::verifier(
            &args.secrets,
            None,
            crate::size::MAX_BODY,
        )?)
    } else {
        None
    };
    let chosen: Vec<Logged> = log_file::read::deliveries(&args.logs)?
        .into_iter()
        .filter(|logged| chosen(logged, &args))
        .collect();
    if chosen.is_empty() {
        say!("no logged delivery with a body matches; nothing was sent");
        return Ok(Exit::Success);
    }
    let trust = args.tls.trust();
    let requests: Vec<(&Logged, Result<Vec<u8>, String>)> = chosen
        .iter()
        .map(|logged| (logged, body(logged, keys.as_ref())))
        .collect();
    let skipped = requests.iter().filter(|(_, body)| body.is_err()).count();

    if args.dry_run {
        let mut script = String::new();
        for (logged, body) in &requests {
            script.push_str(&format!("# {}\n", describe(logged)));
            match body {
                Ok(body) => script.push_str(&curl::command(
                    &args.to,
                    &headers(logged),
                    body,
                    args.exchange.timeout,
                    &trust,
                )?),
                Err(why) => script.push_str(&format!("# skipped: {why}\n")),
            }
        }
        out.text(&script)?;
        tell_skipped(skipped);
        return Ok(if skipped == 0 {
            Exit::Success
        } else {
            Exit::Undelivered
        });
    }

    let client = Client::new(args.exchange.timeout, Proxies::FromEnvironment, &trust)?;
    trust.announce();
    let runtime = client::runtime()?;
    let (mut answered, mut not) = (0, 0);
    let mut report = String::new();
    for (logged, body) in requests {
        let outcome = match body {
            Err(why) => {
                report.push_str(&format!("{} -> skipped: {why}\n", describe(logged)));
                continue;
            }
            Ok(body) => {
                let headers: Vec<(String, Vec<u8>)> = headers(logged)
                    .into_iter()
                    .map(|(name, value)| (name, value.into_bytes()))
                    .collect();
                match runtime.block_on(client.post(&args.to, &headers, body)) {
                    Ok(answer) if answer.is_success() => Ok(answer.status_text),
                    Ok(answer) => Err(answer.status_text),
                    Err(undelivered) => Err(format!("not delivered: {undelivered}")),
                }
            }
        };
        let said = match &outcome {
            Ok(status) | Err(status) => status,
        };
        if outcome.is_ok() {
            answered += 1;
        } else {
            not += 1;
        }
        report.push_str(&format!("{} -> {said}\n", describe(logged)));
    }
    report.push_str(&format!(
        "{} replayed: {answered} answered 2xx, {not} not",
        answered + not
    ));
    if skipped > 0 {
        report.push_str(&format!("; {skipped} skipped"));
    }
    report.push('\n');
    out.text(&report)?;
    tell_skipped(skipped);
    Ok(if not == 0 && skipped == 0 {
        Exit::Success
    } else {
        Exit::Undelivered
    })
}

/// Whether the flags choose this delivery; one without a body never is.
fn chosen(logged: &Logged, args: &ReplayArgs) -> bool {
    logged.body.is_some()
        && args.id.is_none_or(|id| id == logged.number)
        && args.event.as_deref().is_none_or(|event| {
            logged
                .event
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(event))
        })
        && args.since.is_none_or(|since| logged.received >= since)
        && args.until.is_none_or(|until| logged.received <= until)
        && match args.only {
            None => true,
            Some(Only::Valid) => logged.verdict == "valid",
            Some(Only::Refused) => logged.verdict != "valid",
            Some(Only::Failed) => logged.app_failed,
        }
}

/// The body to send: as logged; or, given `keys`, its payload signed again
/// with the first of them after setting its time to now, when its own
/// signature verifies with one of them (a key rotated out signs nothing:
/// its bodies are signed with the current key). Otherwise, why it is
/// skipped.
fn body(logged: &Logged, keys: Option<&Verifier>) -> Result<Vec<u8>, String> {
    let body = logged.body.clone().unwrap_or_default();
    let Some(keys) = keys else {
        return Ok(body);
    };
    // Checked now, whatever the log says: a forged body is logged too, and
    // signing it with your key would make it genuine.
    let verified = keys.verify(&body).map_err(|error| error.to_string())?;
    let mut json = verified.into_payload().into_json();
    let Some(fields) = json.as_object_mut() else {
        return Err("cannot sign it again: its payload is not a JSON object".into());
    };
    fields.insert("time".into(), json!(jiff::Timestamp::now().to_string()));
    let compact = serde_json::to_vec(&json).expect("a JSON value always serializes");
    let current = keys
        .secrets()
        .first()
        .ok_or("cannot sign it again: no key was given")?;
    Ok(gpwh_webhooks::sign(&compact, current, SignatureEncoding::Hex).into_bytes())
}

/// Says, on stderr, how many deliveries `--resign` skipped and why.
fn tell_skipped(skipped: usize) {
    if skipped == 0 {
        return;
    }
    let bodies = if skipped == 1 {
        "body whose signature does"
    } else {
        "bodies whose signature does"
    };
    say!(
        "skipped {skipped} {bodies} not verify with the keys given: --resign signs again only bodies signed with one of them; for a key rotated out, give it too (another --secret or --secret-file: the first given signs), or replay them untouched without --resign"
    );
}

/// The headers it is sent with: its Content-Type as logged, if any.
fn headers(logged: &Logged) -> Vec<(String, String)> {
    logged
        .content_type
        .iter()
        .map(|value| ("Content-Type".to_owned(), value.clone()))
        .collect()
}

/// `#3 2026-12-05T10:00:00Z GivePlayerReward valid`, with anything but
/// printable ASCII in the event and verdict escaped: they came off the wire.
fn describe(logged: &Logged) -> String {
    let received = crate::time::to_the_second(logged.received);
    format!(
        "#{} {received} {} {}",
        logged.number,
        logged.event.as_deref().unwrap_or("-").escape_default(),
        logged.verdict.escape_default()
    )
}
