//! probe in a pipeline: `--wait` for a server started a moment ago,
//! `--junit` reports valid against the JUnit schema (xmllint, from Debian's
//! libxml2-utils, which `.ci/run` installs), GitHub Actions annotations and
//! job summary, and `--skip`; against the in-process handlers of
//! `handlers.rs`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::handlers::{Flaw, Handler};
use crate::probe::SECRET;
use crate::support::{Lines, RefusingPort, gpwh, repo, stderr, stdout};
use crate::tls::{Behind, TestCa, TlsServer};

/// Validates `report` against the JUnit schema; the attribute `name` of
/// the testsuite.
fn valid_junit(report: &Path) {
    let schema = repo().join("tests/fixtures/junit-10.xsd");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(report)
        .output()
        .unwrap_or_else(|e| panic!("cannot run xmllint: {e} (.ci/run installs libxml2-utils)"));
    assert!(
        output.status.success(),
        "{} is not valid JUnit XML:\n{}",
        report.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The value an XPath expression takes in `report`, with xmllint.
fn xpath(report: &Path, expression: &str) -> String {
    let output = Command::new("xmllint")
        .args(["--xpath", expression])
        .arg(report)
        .output()
        .unwrap();
    assert!(output.status.success(), "{expression}: {output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .trim_end()
        .to_owned()
}

#[test]
#[cfg_attr(not(gpwh_test_all), ignore = "needs xmllint: GPWH_TEST_ALL=1 runs it")]
fn the_junit_report_is_valid_and_tells_every_case() {
    let handler = Handler::flawed(Flaw::NoWindow);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("probe.xml");
    let output = gpwh()
        .args([
            "probe",
            "--secret",
            SECRET,
            "--skip",
            "redelivery",
            "--junit",
        ])
        .arg(&report)
        .arg(&handler.url)
        .output()
        .unwrap();
    // A warning only: exit 0, and the report says so in system-out.
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    valid_junit(&report);
    let xml = std::fs::read_to_string(&report).unwrap();
    assert!(!xml.contains(SECRET));
    let suite = "/testsuites/testsuite";
    assert_eq!(
        xpath(&report, &format!("string({suite}/@name)")),
        handler.url
    );
    assert_eq!(xpath(&report, &format!("string({suite}/@tests)")), "19");
    assert_eq!(xpath(&report, &format!("string({suite}/@failures)")), "0");
    assert_eq!(xpath(&report, &format!("string({suite}/@skipped)")), "1");
    assert_eq!(
        xpath(
            &report,
            &format!("count({suite}/testcase[@classname='gpwh.probe'])")
        ),
        "19"
    );
    assert_eq!(
        xpath(
            &report,
            &format!("count({suite}/testcase[@name='redelivery']/skipped)")
        ),
        "1"
    );
    let replayed = xpath(
        &report,
        &format!("string({suite}/testcase[@name='replayed-body']/system-out)"),
    );
    assert!(replayed.starts_with("WARN: sent: "), "{replayed}");
    assert!(
        replayed.contains("older than any redelivery schedule"),
        "{replayed}"
    );

    // Under --strict the warning is a failure, and the report is written
    // though probe exits 1.
    let output = gpwh()
        .args(["probe", "--secret", SECRET, "--strict", "--junit"])
        .arg(&report)
        .arg(&handler.url)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    valid_junit(&report);
    assert_eq!(xpath(&report, &format!("string({suite}/@failures)")), "1");
    let failure = xpath(
        &report,
        &format!("string({suite}/testcase[@name='replayed-body']/failure/@type)"),
    );
    assert_eq!(failure, "warn");
}

#[test]
#[cfg_attr(not(gpwh_test_all), ignore = "needs xmllint: GPWH_TEST_ALL=1 runs it")]
fn a_failing_handler_has_failures_in_the_report() {
    let handler = Handler::flawed(Flaw::AcceptAll);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("probe.xml");
    let output = gpwh()
        .args(["probe", "--secret", SECRET, "--junit"])
        .arg(&report)
        .arg(&handler.url)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    valid_junit(&report);
    let failures: usize = xpath(&report, "string(/testsuites/testsuite/@failures)")
        .parse()
        .unwrap();
    assert!(failures >= 5, "{failures}");
    let message = xpath(
        &report,
        "string(//testcase[@name='no-signature']/failure/@message)",
    );
    assert!(message.starts_with("accepted with 200"), "{message}");
}

#[test]
fn a_junit_path_that_cannot_be_written_stops_probe_before_it_sends() {
    let output = gpwh()
        .args([
            "probe",
            "--secret",
            SECRET,
            "--junit",
            "no/such/dir/probe.xml",
        ])
        .arg("http://127.0.0.1:9/")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("cannot write --junit no/such/dir/probe.xml"),
        "{err}"
    );
    assert!(!err.contains("sending"), "{err}");
}

#[test]
fn wait_holds_the_first_case_until_the_server_is_up() {
    // The port is held, refusing, until the server is up behind it.
    let port = RefusingPort::new();
    let url = format!("http://127.0.0.1:{}/", port.port);
    let mut probe = std::process::Command::new(crate::support::bin())
        .args(["probe", "--secret", SECRET, "--wait", "30s", "--json", &url])
        .env_remove("GPWH_SECRET")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut told = Lines::of(probe.stderr.take().unwrap());
    told.wait_for("waiting up to 30s");
    // The server starts after probe does, as in a pipeline, and the next
    // two connections are hung up on: a probe that went on after an attempt
    // that failed would lose its first case to the second.
    let handler = Handler::correct();
    let address = handler.url.trim_start_matches("http://");
    port.hang_up_then_forward_to(2, address.parse().unwrap());
    let output = probe.wait_with_output().unwrap();
    let (out, err) = (stdout(&output), told.all());
    assert_eq!(output.status.code(), Some(0), "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["counts"]["fail"], 0);
    assert_eq!(report["counts"]["warn"], 0);
}

#[test]
#[cfg_attr(not(gpwh_test_all), ignore = "needs xmllint: GPWH_TEST_ALL=1 runs it")]
fn wait_gives_up_with_exit_4_and_says_how_long_it_waited() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("probe.xml");
    let refusing = RefusingPort::new();
    let url = format!("http://127.0.0.1:{}/", refusing.port);
    let started = Instant::now();
    let output = gpwh()
        .args(["probe", "--secret", SECRET, "--wait", "1s", "--junit"])
        .arg(&report)
        .arg(&url)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(started.elapsed() < Duration::from_secs(30));
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "could not reach {url}: no answer within 1s (--wait); the last attempt: connection refused"
        )),
        "{err}"
    );
    // The report tells the pipeline why: one error, nothing sent.
    valid_junit(&report);
    assert_eq!(
        xpath(&report, "string(/testsuites/testsuite/@skipped)"),
        "19"
    );
}

#[test]
fn wait_does_not_wait_out_a_certificate_it_will_never_trust() {
    let ca = TestCa::new();
    let server = TlsServer::start(
        &ca.issue(&["127.0.0.1"]),
        Behind::HangUp("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    );
    let started = Instant::now();
    let output = gpwh()
        .args([
            "probe",
            "--secret",
            SECRET,
            "--wait",
            "60s",
            &server.url("/"),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(started.elapsed() < Duration::from_secs(30));
    let err = stderr(&output);
    assert!(err.contains("certificate not trusted"), "{err}");
}

#[test]
fn under_github_actions_fails_and_warns_become_annotations_and_a_summary() {
    let handler = Handler::flawed(Flaw::NoWindow);
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = gpwh()
        .args([
            "probe",
            "--secret",
            SECRET,
            "--skip",
            "uppercase-hex",
            &handler.url,
        ])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let (out, err) = (stdout(&output), stderr(&output));
    // stdout is the report alone.
    assert!(!out.contains("::"), "{out}");
    let annotations: Vec<&str> = err.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 1, "{err}");
    assert!(
        annotations[0].starts_with("::warning title=gpwh probe%3A replayed-body::"),
        "{err}"
    );
    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert!(!markdown.contains(SECRET));
    assert!(
        markdown.starts_with("earlier step\n### gpwh probe: "),
        "{markdown}"
    );
    assert!(
        markdown.contains("| :warning: warn | `replayed-body` | 200 |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| :fast_forward: skip | `uppercase-hex` |"),
        "{markdown}"
    );
    assert_eq!(markdown.matches("\n| ").count(), 20, "{markdown}");

    // Outside Actions, nothing of it: the summary file is left alone.
    let output = gpwh()
        .args(["probe", "--secret", SECRET, &handler.url])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert!(!stderr(&output).contains("::"));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), markdown);
}

#[test]
fn skip_is_reported_in_every_format_and_checked_against_the_names() {
    let handler = Handler::flawed(Flaw::Once);
    // The case that would fail is skipped: the rest pass.
    let output = gpwh()
        .args([
            "probe",
            "--secret",
            SECRET,
            "--skip",
            "redelivery",
            &handler.url,
        ])
        .output()
        .unwrap();
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    let line = out.lines().find(|l| l.contains("redelivery")).unwrap();
    assert!(line.starts_with("SKIP  redelivery"), "{line}");
    assert!(line.ends_with("skipped with --skip"), "{line}");
    assert!(out.ends_with(", 1 skipped\n"), "{out}");

    let output = gpwh()
        .args([
            "probe",
            "--json",
            "--secret",
            SECRET,
            "--skip",
            "redelivery",
            &handler.url,
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["counts"]["skip"], 1);
    let skipped = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "redelivery")
        .unwrap();
    assert_eq!(skipped["grade"], "skip");
    assert_eq!(skipped["status"], Value::Null);

    let output = gpwh()
        .args([
            "probe",
            "--dry-run",
            "--secret",
            SECRET,
            "--skip",
            "redelivery",
            &handler.url,
        ])
        .output()
        .unwrap();
    let script = stdout(&output);
    assert!(
        script.contains("# redelivery: skipped with --skip\n"),
        "{script}"
    );
    assert_eq!(script.matches("curl ").count(), 18, "{script}");

    for (name, expected) in [
        (
            "replay-body",
            "--skip: unknown case 'replay-body': did you mean replayed-body?",
        ),
        (
            "event-purchase-player-purchase",
            "only sent with --all-events",
        ),
        (
            "nothing-like-it",
            "unknown case 'nothing-like-it': 'gpwh probe --dry-run URL' lists them all",
        ),
    ] {
        let output = gpwh()
            .args([
                "probe",
                "--secret",
                SECRET,
                "--skip",
                name,
                "http://127.0.0.1:9/",
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains(expected), "{}", stderr(&output));
    }
}
