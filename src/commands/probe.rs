//! `gpwh probe URL`: send a handler the battery of bodies, one after the
//! other, grade each answer, and report, a line per case as it is graded or
//! one JSON object at the end.

use std::collections::HashSet;
use std::fs::File;
use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::catalog;
use crate::cli::ProbeArgs;
use crate::client::{self, Client, Proxies};
use crate::curl;
use crate::exit::Exit;
use crate::inert::inert;
use crate::messages::{self, say, warning};
use crate::output::{Layout, Output, Paint};
use crate::probe::report::{Report, millis};
use crate::probe::{
    self, Case, ContentType, Counts, Expect, Grade, Outcome, Players, Reply, Run, actions, junit,
};
use crate::secrets;
use crate::tls::Trust;

pub fn run(args: ProbeArgs, out: &Output) -> anyhow::Result<Exit> {
    client::check_url(&args.url)?;
    // The first secret signs, as the first --secret is the current key.
    let secret = secrets::all(&args.secrets)?.swap_remove(0);
    let event = catalog::lookup(&args.event)?;
    let now = Timestamp::now();
    let players = if args.real_players {
        Players::Real
    } else {
        Players::Test
    };
    let cases = probe::cases(event, args.all_events, players, &secret, now);
    // Every name, for telling a typo from a case of --all-events.
    let every = probe::cases(event, true, players, &secret, now);
    let skip = skipped(&args.skip, &cases, &every)?;
    let headers = client::headers(args.headers);
    let trust = args.tls.trust();
    if args.dry_run {
        out.text(&script(
            &args.url,
            &headers,
            &cases,
            &skip,
            args.exchange.timeout,
            &trust,
        )?)?;
        return Ok(Exit::Success);
    }
    let client = Client::new(args.exchange.timeout, Proxies::FromEnvironment, &trust)?;
    // Opened before anything is sent: a path that cannot be written is
    // found out now, not after the run.
    let junit = args.junit.as_deref().map(open_junit).transpose()?;
    trust.announce();
    let runtime = client::runtime()?;
    let mut run = Run::new(&args.url, args.strict, trust.insecure, Timestamp::now());
    let cases = match args.wait {
        None => cases,
        Some(limit) => {
            if let Err(why) = runtime.block_on(wait(&client, &args.url, limit)) {
                run.unreachable = Some(why);
                run.outcomes = probe::not_sent(&cases);
                return finish(run, args.json, junit, out);
            }
            // The bodies carry the time they are sent at, which the wait
            // may have pushed out of a handler's replay window.
            run.started = Timestamp::now();
            probe::cases(event, args.all_events, players, &secret, run.started)
        }
    };
    let started = Instant::now();
    announce(&cases, &skip, &args.url, players);
    let headers: Vec<(String, Vec<u8>)> = headers
        .into_iter()
        .map(|(name, value)| (name, value.into_bytes()))
        .collect();
    let width = cases.iter().map(|c| c.name.len()).max().unwrap_or(0);
    probe::play(
        &mut run,
        &cases,
        &skip,
        |case| {
            let headers = with_content_type(&headers, case.content_type);
            runtime.block_on(deliver(&client, &args.url, &headers, case))
        },
        |outcome| {
            if args.json {
                Ok(())
            } else {
                out.text(&line(outcome, width, out))
            }
        },
    )?;
    run.elapsed = started.elapsed();
    finish(run, args.json, junit, out)
}

/// Says on stderr how many deliveries are about to go where, and that the
/// valid ones take effect.
fn announce(cases: &[Case], skip: &HashSet<&str>, url: &str, players: Players) {
    say!(
        "sending {} test webhooks, signed with your secret key, to {}",
        cases
            .iter()
            .filter(|c| !skip.contains(c.name.as_str()))
            .map(|c| c.deliveries)
            .sum::<usize>(),
        url
    );
    // The valid bodies are valid: the handler acts on each, as on a real
    // delivery, and should know it is a test.
    say!(
        "{}",
        match players {
            Players::Test => {
                "their valid bodies take effect like real ones (a purchase is granted): their \
                 players are test players (player.test: true), which your handler can check"
            }
            Players::Real => {
                "their valid bodies take effect like real ones (a purchase is granted), and \
                 their players are not test players (--real-players)"
            }
        }
    );
}

/// The names `--skip` gave, each checked against the battery: a name that
/// is no case is a mistake, and a silent one would leave a case unskipped.
fn skipped<'a>(
    names: &'a [String],
    cases: &[Case],
    every: &[Case],
) -> anyhow::Result<HashSet<&'a str>> {
    for name in names {
        if cases.iter().any(|c| &c.name == name) {
            continue;
        }
        if every.iter().any(|c| &c.name == name) {
            anyhow::bail!("--skip {name}: that case is only sent with --all-events");
        }
        return Err(catalog::unknown(
            "case",
            name,
            every.iter().map(|c| c.name.as_str()),
            "'gpwh probe --dry-run URL'",
        )
        .context("--skip"));
    }
    Ok(names.iter().map(String::as_str).collect())
}

/// `--wait`: asks the URL until it answers HTTP, with anything but the
/// 502, 503 or 504 of a proxy whose app is not up yet, or `limit` is over.
/// A refused certificate ends the wait at once: it will not come right.
async fn wait(client: &Client, url: &str, limit: Duration) -> Result<(), String> {
    say!(
        "waiting up to {} for {url} to answer",
        crate::duration::human(limit)
    );
    let deadline = tokio::time::Instant::now() + limit;
    let mut last = "no answer yet".to_owned();
    loop {
        match tokio::time::timeout_at(deadline, client.status(url)).await {
            Ok(Ok(status)) if !(502..=504).contains(&status) => return Ok(()),
            Ok(Ok(status)) => {
                last = format!("it answered {status}, as a proxy does while its app starts")
            }
            Ok(Err(undelivered)) if undelivered.is_certificate() => {
                return Err(undelivered.why().to_owned());
            }
            Ok(Err(undelivered)) => last = undelivered.why().to_owned(),
            Err(_) => {}
        }
        let pause = tokio::time::Instant::now() + Duration::from_millis(250);
        if pause >= deadline {
            return Err(format!(
                "no answer within {} (--wait); the last attempt: {last}",
                crate::duration::human(limit)
            ));
        }
        tokio::time::sleep_until(pause).await;
    }
}

/// The `--junit` file, created (emptied) now.
fn open_junit(path: &Path) -> anyhow::Result<(&Path, File)> {
    let file = File::create(path)
        .map_err(|e| anyhow::anyhow!("cannot write --junit {}: {e}", path.display()))?;
    Ok((path, file))
}

/// Tells the run everywhere it is to be told, and the exit it comes to.
fn finish(
    run: Run,
    json: bool,
    junit: Option<(&Path, File)>,
    out: &Output,
) -> anyhow::Result<Exit> {
    if let Some((path, mut file)) = junit {
        file.write_all(junit::report(&run).as_bytes())
            .map_err(|e| anyhow::anyhow!("cannot write --junit {}: {e}", path.display()))?;
    }
    if actions::detected(std::env::var("GITHUB_ACTIONS").ok().as_deref()) {
        messages::workflow_commands(&actions::annotations(&run));
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            let appended = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&path)
                .and_then(|mut file| file.write_all(actions::summary(&run).as_bytes()));
            if let Err(e) = appended {
                warning!(
                    "cannot append to GITHUB_STEP_SUMMARY ({}): {e}",
                    Path::new(&path).display()
                );
            }
        }
    }
    if let Some(why) = &run.unreachable {
        say!("could not reach {}: {why}", run.url);
        return Ok(Exit::Undelivered);
    }
    let counts = run.counts();
    if json {
        out.record(&Report::of(&run, counts), Layout::Pretty)?;
    } else {
        let mut text = String::new();
        for advice in &run.advice {
            text.push_str(&format!("advice: {}\n", inert(advice)));
        }
        text.push_str(&summary(counts, run.insecure));
        out.text(&text)?;
    }
    Ok(if run.failed() {
        Exit::Invalid
    } else {
        Exit::Success
    })
}

/// The run's headers as `content_type` has them for one case.
fn with_content_type<V: Clone + From<&'static str>>(
    headers: &[(String, V)],
    content_type: ContentType,
) -> Vec<(String, V)> {
    let mut headers: Vec<(String, V)> = headers.to_vec();
    if content_type == ContentType::Run {
        return headers;
    }
    headers.retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
    if let ContentType::Set(value) = content_type {
        headers.push(("Content-Type".to_owned(), V::from(value)));
    }
    headers
}

/// Posts the case's body as often as the case says, and what came back.
async fn deliver(
    client: &Client,
    url: &str,
    headers: &[(String, Vec<u8>)],
    case: &Case,
) -> Vec<Reply> {
    let mut answers = Vec::with_capacity(case.deliveries);
    for _ in 0..case.deliveries {
        let started = Instant::now();
        let answer = match client.post(url, headers, case.body.clone()).await {
            Ok(answer) => Reply::Status {
                status: answer.status,
                location: answer
                    .headers
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("location"))
                    .map(|(_, value)| String::from_utf8_lossy(value).into_owned()),
                elapsed: started.elapsed(),
                body_error: answer.body_error,
                said: probe::excerpt(&answer.body),
            },
            Err(undelivered) => Reply::Nothing(undelivered.why().to_owned()),
        };
        let nothing = matches!(answer, Reply::Nothing(_));
        answers.push(answer);
        if nothing {
            break;
        }
    }
    answers
}

/// `PASS  valid-body   200   1.2 ms`, with the reason after it when there
/// is one.
fn line(outcome: &Outcome, width: usize, out: &Output) -> String {
    let (word, paint) = match outcome.grade {
        Grade::Pass => ("PASS", Paint::Green),
        Grade::Warn => ("WARN", Paint::Yellow),
        Grade::Fail => ("FAIL", Paint::Red),
        Grade::Skip => ("SKIP", Paint::Cyan),
    };
    let status = outcome
        .status
        .map_or_else(|| "---".to_owned(), |s| s.to_string());
    let time = outcome
        .elapsed
        .map_or_else(|| "-".to_owned(), |e| format!("{:.1} ms", millis(e)));
    let mut line = format!(
        "{}  {:width$}  {status}  {time:>9}",
        out.paint(word, paint),
        outcome.name
    );
    // Inert again: a reason may quote what the handler said or where it
    // pointed.
    if let Some(reason) = &outcome.reason {
        line.push_str("  ");
        line.push_str(&inert(reason));
    }
    // What the handler said, where it did not do as it should: the words
    // that tell a wrong path from a wrong key.
    if let (Some(said), false) = (&outcome.said, outcome.grade == Grade::Pass) {
        line.push_str(&format!(" (it said: \"{said}\")"));
    }
    line.push('\n');
    line
}

/// `15 checks: 13 pass, 1 fail, 1 warn`, and what was skipped or
/// left unchecked.
fn summary(counts: Counts, insecure: bool) -> String {
    let mut summary = format!("{} checks: {counts}", counts.checks());
    if insecure {
        summary.push_str(" (the certificate was not checked: --insecure)");
    }
    summary.push('\n');
    summary
}

/// `--dry-run`: a shell script that sends every case as probe would, each
/// after a comment that names it and says what a correct handler answers.
fn script(
    url: &str,
    headers: &[(String, String)],
    cases: &[Case],
    skip: &HashSet<&str>,
    timeout: Duration,
    trust: &Trust,
) -> anyhow::Result<String> {
    let mut script = String::new();
    for case in cases {
        if skip.contains(case.name.as_str()) {
            script.push_str(&format!("# {}: {}\n", case.name, probe::SKIPPED));
            continue;
        }
        let expect = match case.expect {
            Expect::Accept(_) => "a correct handler answers 2xx",
            Expect::Refuse(_) => "a correct handler answers 4xx",
        };
        let times = if case.deliveries > 1 { ", twice" } else { "" };
        script.push_str(&format!(
            "# {}: {}{times}; {expect}\n",
            case.name, case.sends
        ));
        let headers = with_content_type(headers, case.content_type);
        let command = curl::command(url, &headers, &case.body, timeout, trust)?;
        for _ in 0..case.deliveries {
            script.push_str(&command);
        }
    }
    Ok(script)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::cli::ColorChoice;

    fn outcome(grade: Grade, status: Option<u16>, reason: Option<&str>) -> Outcome {
        Outcome {
            name: "valid-body".into(),
            sends: "a valid body".into(),
            grade,
            status,
            elapsed: status.map(|_| Duration::from_micros(1234)),
            reason: reason.map(str::to_owned),
            said: None,
        }
    }

    #[test]
    fn a_line_holds_grade_name_status_time_and_reason() {
        let plain = Output::new(ColorChoice::Never);
        assert_eq!(
            line(&outcome(Grade::Pass, Some(200), None), 12, &plain),
            "PASS  valid-body    200     1.2 ms\n"
        );
        assert_eq!(
            line(&outcome(Grade::Fail, None, Some("no answer")), 10, &plain),
            "FAIL  valid-body  ---          -  no answer\n"
        );
        let coloured = Output::new(ColorChoice::Always);
        assert!(
            line(&outcome(Grade::Warn, Some(500), None), 10, &coloured)
                .starts_with("\x1b[33mWARN\x1b[0m")
        );
    }

    #[test]
    fn the_summary_counts_every_grade() {
        let mut counts = Counts {
            skip: 0,
            pass: 13,
            fail: 1,
            warn: 3,
        };
        assert_eq!(
            summary(counts, false),
            "17 checks: 13 pass, 1 fail, 3 warn\n"
        );
        counts.skip = 2;
        assert_eq!(
            summary(counts, true),
            "17 checks: 13 pass, 1 fail, 3 warn, 2 skipped \
             (the certificate was not checked: --insecure)\n"
        );
    }

    #[test]
    fn the_report_has_the_documented_fields() {
        let mut run = Run::new("http://h/", false, false, Timestamp::UNIX_EPOCH);
        run.outcomes = vec![outcome(Grade::Fail, Some(400), Some("refused"))];
        let report = serde_json::to_value(Report::of(&run, run.counts())).unwrap();
        assert_eq!(report["url"], "http://h/");
        assert_eq!(report["insecure"], false);
        assert_eq!(
            report["cases"][0],
            json!({"name": "valid-body", "grade": "fail", "status": 400, "ms": 1.2, "reason": "refused", "said": null})
        );
        assert_eq!(
            report["counts"],
            json!({"checks": 1, "pass": 0, "fail": 1, "warn": 0, "skip": 0})
        );
    }
}
