//! `gpwh replay LOG... --to URL`: send what listen received again, once a
//! handler is fixed: the logged bodies byte for byte with their
//! Content-Type, in order, or signed again with the time set to now
//! (`--resign`) for a handler with a replay window.

use gpwh::{Secret, SignatureEncoding};
use serde_json::json;

use crate::cli::{Only, ReplayArgs};
use crate::client::{self, Client, Proxies};
use crate::exit::Exit;
use crate::logged::{self, Logged};
use crate::messages::say;
use crate::output::Output;
use crate::secrets;

pub fn run(args: ReplayArgs, out: &Output) -> anyhow::Result<Exit> {
    client::check_url(&args.to)?;
    let secret = if args.resign {
        Some(secrets::one(&args.secrets)?)
    } else {
        None
    };
    let chosen: Vec<Logged> = logged::read(&args.logs)?
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
        .map(|logged| (logged, body(logged, secret.as_ref())))
        .collect();

    if args.dry_run {
        let mut script = String::new();
        for (logged, body) in &requests {
            script.push_str(&format!("# {}\n", describe(logged)));
            match body {
                Ok(body) => script.push_str(&client::curl(
                    &args.to,
                    &headers(logged),
                    body,
                    args.timeout,
                    &trust,
                )?),
                Err(why) => script.push_str(&format!("# not sent: {why}\n")),
            }
        }
        out.text(&script)?;
        return Ok(Exit::Success);
    }

    let client = Client::new(args.timeout, Proxies::FromEnvironment, &trust)?;
    trust.announce();
    let runtime = client::runtime()?;
    let (mut answered, mut not) = (0, 0);
    let mut report = String::new();
    for (logged, body) in requests {
        let outcome = match body {
            Err(why) => Err(format!("not sent: {why}")),
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
        "{} replayed: {answered} answered 2xx, {not} not\n",
        answered + not
    ));
    out.text(&report)?;
    Ok(if not == 0 {
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

/// The body to send: as logged, or signed again with its time set to now.
fn body(logged: &Logged, secret: Option<&Secret>) -> Result<Vec<u8>, String> {
    let body = logged.body.clone().unwrap_or_default();
    let Some(secret) = secret else {
        return Ok(body);
    };
    let payload = gpwh::Body::parse(&body)
        .and_then(|parsed| parsed.payload())
        .map_err(|error| format!("cannot sign it again: {error}"))?;
    let mut json = payload.into_json();
    let Some(fields) = json.as_object_mut() else {
        return Err("cannot sign it again: its payload is not a JSON object".into());
    };
    fields.insert("time".into(), json!(jiff::Timestamp::now().to_string()));
    let compact = serde_json::to_vec(&json).expect("a JSON value always serializes");
    Ok(gpwh::sign(&compact, secret, SignatureEncoding::Hex).into_bytes())
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
