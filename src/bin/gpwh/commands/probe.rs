//! `gpwh probe URL`: send a handler the battery of bodies, one after the
//! other, grade each answer, and report, a line per case as it is graded or
//! one JSON object at the end.

use std::io::Write as _;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::catalog;
use crate::cli::ProbeArgs;
use crate::client::{self, Client, Proxies};
use crate::exit::Exit;
use crate::output::{Layout, Output, Paint};
use crate::probe::{self, Answer, Case, Counts, Expect, Grade, Outcome};
use crate::secrets;

pub fn run(args: ProbeArgs, out: &Output) -> anyhow::Result<Exit> {
    client::check_url(&args.url)?;
    // The first secret signs, as the first --secret is the current key.
    let secret = secrets::all(&args.secrets)?.swap_remove(0);
    let event = catalog::lookup(&args.event)?;
    let cases = probe::cases(event, args.all_events, &secret, Timestamp::now());
    let headers = client::headers(args.headers);
    if args.dry_run {
        out.text(&script(&args.url, &headers, &cases, args.timeout)?)?;
        return Ok(Exit::Success);
    }

    let _ = writeln!(
        std::io::stderr(),
        "gpwh: sending {} test webhooks, signed with your secret key, to {}",
        cases.iter().map(|c| c.deliveries).sum::<usize>(),
        args.url
    );
    let client = Client::new(args.timeout, Proxies::FromEnvironment)?;
    let runtime = client::runtime()?;
    let headers: Vec<(String, Vec<u8>)> = headers
        .into_iter()
        .map(|(name, value)| (name, value.into_bytes()))
        .collect();
    let width = cases.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut outcomes = Vec::with_capacity(cases.len());
    for case in &cases {
        let answers = runtime.block_on(deliver(&client, &args.url, &headers, case));
        if outcomes.is_empty()
            && let Some(Answer::Nothing(why)) = answers.first()
        {
            // Nothing answers the very first request: no point in the rest.
            let _ = writeln!(
                std::io::stderr(),
                "gpwh: could not reach {}: {why}",
                args.url
            );
            return Ok(Exit::Undelivered);
        }
        let outcome = probe::grade(case, &answers);
        if !args.json {
            out.text(&line(&outcome, width, out))?;
        }
        outcomes.push(outcome);
    }

    let counts = Counts::of(&outcomes);
    if args.json {
        out.json(&report(&args.url, &outcomes, counts), Layout::Pretty)?;
    } else {
        out.text(&summary(counts))?;
    }
    Ok(if counts.fail > 0 || (args.strict && counts.warn > 0) {
        Exit::Invalid
    } else {
        Exit::Success
    })
}

/// Posts the case's body as often as the case says, and what came back.
async fn deliver(
    client: &Client,
    url: &str,
    headers: &[(String, Vec<u8>)],
    case: &Case,
) -> Vec<Answer> {
    let mut answers = Vec::with_capacity(case.deliveries);
    for _ in 0..case.deliveries {
        let started = Instant::now();
        let answer = match client.post(url, headers, case.body.clone()).await {
            Ok(answer) => Answer::Status {
                status: answer.status,
                location: answer
                    .headers
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("location"))
                    .map(|(_, value)| String::from_utf8_lossy(value).into_owned()),
                elapsed: started.elapsed(),
            },
            Err(undelivered) => Answer::Nothing(undelivered.why().to_owned()),
        };
        let nothing = matches!(answer, Answer::Nothing(_));
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
        Grade::Info => ("INFO", Paint::Cyan),
        Grade::Warn => ("WARN", Paint::Yellow),
        Grade::Fail => ("FAIL", Paint::Red),
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
    if let Some(reason) = &outcome.reason {
        line.push_str("  ");
        line.push_str(reason);
    }
    line.push('\n');
    line
}

/// `15 checks: 13 pass, 1 fail, 1 warn, 0 info`.
fn summary(counts: Counts) -> String {
    format!(
        "{} checks: {} pass, {} fail, {} warn, {} info\n",
        counts.checks(),
        counts.pass,
        counts.fail,
        counts.warn,
        counts.info
    )
}

/// The `--json` report.
fn report(url: &str, outcomes: &[Outcome], counts: Counts) -> Value {
    let cases: Vec<Value> = outcomes
        .iter()
        .map(|outcome| {
            json!({
                "name": outcome.name,
                "grade": outcome.grade.name(),
                "status": outcome.status,
                "ms": outcome.elapsed.map(millis),
                "reason": outcome.reason,
            })
        })
        .collect();
    json!({
        "url": url,
        "cases": cases,
        "counts": {
            "checks": counts.checks(),
            "pass": counts.pass,
            "fail": counts.fail,
            "warn": counts.warn,
            "info": counts.info,
        },
    })
}

/// Milliseconds to a tenth.
fn millis(elapsed: Duration) -> f64 {
    (elapsed.as_secs_f64() * 10_000.0).round() / 10.0
}

/// `--dry-run`: a shell script that sends every case as probe would, each
/// after a comment that names it and says what a correct handler answers.
fn script(
    url: &str,
    headers: &[(String, String)],
    cases: &[Case],
    timeout: Duration,
) -> anyhow::Result<String> {
    let mut script = String::new();
    for case in cases {
        let expect = match case.expect {
            Expect::Accept(_) => "a correct handler answers 2xx",
            Expect::Refuse(_) => "a correct handler answers 4xx",
            Expect::Either { .. } => "either answer is right",
        };
        let times = if case.deliveries > 1 { ", twice" } else { "" };
        script.push_str(&format!(
            "# {}: {}{times}; {expect}\n",
            case.name, case.sends
        ));
        let command = client::curl(url, headers, &case.body, timeout)?;
        for _ in 0..case.deliveries {
            script.push_str(&command);
        }
    }
    Ok(script)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::ColorChoice;

    fn outcome(grade: Grade, status: Option<u16>, reason: Option<&str>) -> Outcome {
        Outcome {
            name: "valid-body".into(),
            grade,
            status,
            elapsed: status.map(|_| Duration::from_micros(1234)),
            reason: reason.map(str::to_owned),
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
        let counts = Counts {
            pass: 13,
            fail: 1,
            warn: 1,
            info: 2,
        };
        assert_eq!(
            summary(counts),
            "17 checks: 13 pass, 1 fail, 1 warn, 2 info\n"
        );
    }

    #[test]
    fn the_report_has_the_documented_fields() {
        let outcomes = [outcome(Grade::Fail, Some(400), Some("refused"))];
        let report = report("http://h/", &outcomes, Counts::of(&outcomes));
        assert_eq!(report["url"], "http://h/");
        assert_eq!(
            report["cases"][0],
            json!({"name": "valid-body", "grade": "fail", "status": 400, "ms": 1.2, "reason": "refused"})
        );
        assert_eq!(
            report["counts"],
            json!({"checks": 1, "pass": 0, "fail": 1, "warn": 0, "info": 0})
        );
    }
}
