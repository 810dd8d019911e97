//! `gpwh replay`: deliveries that `gpwh listen --log` recorded, sent again
//! to an app on 127.0.0.1 that hands over every request it gets.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use gpwh_webhooks::{Secret, SignatureEncoding};
use sha2::{Digest as _, Sha256};

use crate::listen::Listening;
use crate::support::{Received, app, gpwh, stderr, stdout};

const SECRET: &str = "replay-secret";

/// A log with four deliveries, made by sending them through listen: a
/// valid reward (text/plain), a valid purchase (application/json), a body
/// that is not UTF-8 (logged as base64), and a reward signed two days ago.
/// The bodies, in order.
fn logged_deliveries(log: &Path) -> Vec<Vec<u8>> {
    let server =
        Listening::start_with_secret(SECRET, &["--max-age", "1h", "--log", log.to_str().unwrap()]);
    let url = format!("http://{}/hook", server.url);
    let now = jiff::Timestamp::now();
    let reward = signed(&format!(r#"{{"event":"GivePlayerReward","time":"{now}"}}"#));
    let purchase = signed(&format!(
        r#"{{"event":"PurchasePlayerPurchase","time":"{now}"}}"#
    ));
    let binary = b"\xff\xfe not text.00".to_vec();
    let stale = signed(r#"{"event":"GivePlayerReward","time":"2024-04-26T11:34:23Z"}"#);
    let dir = tempfile::tempdir().unwrap();
    let bodies = vec![reward, purchase, binary, stale];
    for (body, content_type) in bodies.iter().zip([
        "text/plain",
        "application/json",
        "application/octet-stream",
        "text/plain",
    ]) {
        let file = dir.path().join("body");
        std::fs::write(&file, body).unwrap();
        let answer = crate::support::as_curl(&[
            "-sS",
            "-w",
            "\n%{http_code}",
            "-H",
            &format!("Content-Type: {content_type}"),
            "--data-binary",
            &format!("@{}", file.display()),
            &url,
        ]);
        assert!(!answer.ends_with(b"\n000"), "no answer from listen");
    }
    drop(server);
    bodies
}

fn signed(json: &str) -> Vec<u8> {
    gpwh_webhooks::sign(
        json.as_bytes(),
        &Secret::from(SECRET),
        SignatureEncoding::Hex,
    )
    .into_bytes()
}

fn replay(log: &PathBuf, url: &str, args: &[&str]) -> std::process::Output {
    gpwh()
        .arg("replay")
        .arg(log)
        .args(["--to", url])
        .args(args)
        .output()
        .unwrap()
}

/// Every request the app at `url` got, once replay has ended.
fn arrived(url: &str, at_app: &mpsc::Receiver<Received>) -> Vec<Received> {
    crate::support::received_by(url, at_app)
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

fn content_type(head: &str) -> Option<&str> {
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-type")
            .then_some(value.trim())
    })
}

#[test]
fn replay_sends_every_logged_body_again_byte_for_byte_with_its_content_type() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let bodies = logged_deliveries(&log);
    let (url, at_app) = app("200 OK", "ok");
    let output = replay(&log, &url, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let got = arrived(&url, &at_app);
    assert_eq!(got.len(), 4);
    for (received, body) in got.iter().zip(&bodies) {
        assert_eq!(sha256(&received.body), sha256(body));
    }
    let types: Vec<Option<&str>> = got.iter().map(|r| content_type(&r.head)).collect();
    assert_eq!(
        types,
        [
            Some("text/plain"),
            Some("application/json"),
            Some("application/octet-stream"),
            Some("text/plain")
        ]
    );
    let report = stdout(&output);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 5, "{report}");
    assert!(
        lines[0].starts_with("#1 ") && lines[0].ends_with(" GivePlayerReward valid -> 200 OK"),
        "{report}"
    );
    assert!(lines[3].ends_with(" - stale -> 200 OK"), "{report}");
    assert_eq!(lines[4], "4 replayed: 4 answered 2xx, 0 not");
}

#[test]
fn filters_choose_the_deliveries_and_a_refusal_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let bodies = logged_deliveries(&log);
    let (url, at_app) = app("500 Internal Server Error", "down");
    let cases: [(&[&str], &[usize]); 5] = [
        (&["--only", "valid"], &[0, 1]),
        (&["--only", "refused"], &[2, 3]),
        (&["--event", "purchaseplayerpurchase"], &[1]),
        (&["--id", "3"], &[2]),
        (&["--until", "2000-01-01T00:00:00Z"], &[]),
    ];
    for (args, expected) in cases {
        let output = replay(&log, &url, args);
        let got = arrived(&url, &at_app);
        let chosen: Vec<Vec<u8>> = expected.iter().map(|&i| bodies[i].clone()).collect();
        let sent: Vec<Vec<u8>> = got.into_iter().map(|r| r.body).collect();
        assert_eq!(sent, chosen, "{args:?}");
        let code = if expected.is_empty() { 0 } else { 4 };
        assert_eq!(output.status.code(), Some(code), "{args:?}");
    }
}

#[test]
fn only_failed_takes_what_the_app_refused_behind_listen() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let (app_url, _first) = app("503 Service Unavailable", "not now");
    let server = Listening::start_with_secret(
        SECRET,
        &["--forward-to", &app_url, "--log", log.to_str().unwrap()],
    );
    let url = format!("http://{}/hook", server.url);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let (status, _) = crate::listen::post(&url, &body);
    assert_eq!(status, 503);
    let valid_and_fine = signed(r#"{"event":"SyncPlayer"}"#);
    drop(server);
    // A second log line whose app answered 2xx is not chosen.
    let fine_log = dir.path().join("fine.log");
    let (fine_app, _second) = app("200 OK", "ok");
    let server = Listening::start_with_secret(
        SECRET,
        &[
            "--forward-to",
            &fine_app,
            "--log",
            fine_log.to_str().unwrap(),
        ],
    );
    crate::listen::post(&format!("http://{}/hook", server.url), &valid_and_fine);
    drop(server);

    let (url, at_app) = app("200 OK", "ok");
    let output = gpwh()
        .arg("replay")
        .args([&log, &fine_log])
        .args(["--to", &url, "--only", "failed"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let sent: Vec<Vec<u8>> = arrived(&url, &at_app).into_iter().map(|r| r.body).collect();
    assert_eq!(sent, [body]);
}

#[test]
fn resign_makes_an_old_body_one_a_windowed_handler_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    logged_deliveries(&log);
    let windowed = Listening::start_with_secret(SECRET, &["--max-age", "5m"]);
    let url = format!("http://{}/hook", windowed.url);
    let untouched = replay(&log, &url, &["--id", "4"]);
    assert_eq!(untouched.status.code(), Some(4));
    assert!(stdout(&untouched).contains(" stale -> 400 Bad Request"));
    let resigned = gpwh()
        .arg("replay")
        .arg(&log)
        .args(["--to", &url, "--id", "4", "--resign"])
        .env("GPWH_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(resigned.status.code(), Some(0), "{}", stdout(&resigned));
    assert!(!stdout(&resigned).contains(SECRET));
    // A body that is no webhook cannot be signed again: said, not sent.
    let binary = gpwh()
        .arg("replay")
        .arg(&log)
        .args(["--to", &url, "--id", "3", "--resign"])
        .env("GPWH_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(binary.status.code(), Some(4));
    assert!(
        stdout(&binary).contains("-> skipped: payload is not valid base64: "),
        "{}",
        stdout(&binary)
    );
    // --resign needs the key.
    let keyless = replay(&log, &url, &["--resign"]);
    assert_eq!(keyless.status.code(), Some(2));
}

/// The key the handler used before the current one.
const OLD_SECRET: &str = "replay-secret-before-rotation";

/// A purchase anyone who can reach a listener can post: its signature made
/// up (a key that is not yours).
fn forged_purchase(id: &str) -> Vec<u8> {
    let json = format!(
        r#"{{"event":"PurchasePlayerPurchase","result":{{"purchase":{{"_id":"{id}"}}}},"time":"{}"}}"#,
        jiff::Timestamp::now()
    );
    gpwh_webhooks::sign(
        json.as_bytes(),
        &Secret::from("a-key-made-up-by-anyone"),
        SignatureEncoding::Hex,
    )
    .into_bytes()
}

/// A log as a listener with `SECRET` writes it: a genuine reward, a forged
/// purchase (logged `signature-mismatch`), and a purchase signed with
/// `OLD_SECRET` (`signature-mismatch` too: listen knows only the current
/// key); then a line added by hand that calls another forged purchase
/// `valid`, for a log is a file anyone may hand you. The bodies, in order.
fn log_with_forgeries(log: &Path) -> Vec<Vec<u8>> {
    let server = Listening::start_with_secret(SECRET, &["--log", log.to_str().unwrap()]);
    let url = format!("http://{}/hook", server.url);
    let now = jiff::Timestamp::now();
    let genuine = signed(&format!(r#"{{"event":"GivePlayerReward","time":"{now}"}}"#));
    let by_the_old_key = gpwh_webhooks::sign(
        format!(
            r#"{{"event":"PurchasePlayerPurchase","result":{{"purchase":{{"_id":"old"}}}},"time":"{now}"}}"#
        )
        .as_bytes(),
        &Secret::from(OLD_SECRET),
        SignatureEncoding::Hex,
    )
    .into_bytes();
    let bodies = vec![
        genuine,
        forged_purchase("posted"),
        by_the_old_key,
        forged_purchase("written-in"),
    ];
    for body in &bodies[..3] {
        crate::listen::post(&url, body);
    }
    drop(server);
    let logged = std::fs::read_to_string(log).unwrap();
    let verdicts: Vec<String> = logged
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["verdict"].to_string())
        .collect();
    assert_eq!(
        verdicts,
        [
            "\"valid\"",
            "\"signature-mismatch\"",
            "\"signature-mismatch\""
        ]
    );
    let written_in = serde_json::json!({
        "received": now.to_string(),
        "remote": "127.0.0.1:4000",
        "method": "POST",
        "path": "/hook",
        "headers": [["content-type", "text/plain"]],
        "status": 200,
        "verdict": "valid",
        "event": "PurchasePlayerPurchase",
        "body": String::from_utf8(bodies[3].clone()).unwrap(),
    });
    std::fs::write(log, format!("{logged}{written_in}\n")).unwrap();
    bodies
}

/// Whether `body` verifies with `key` alone, and its payload's event.
fn verifies_with(body: &[u8], key: &str) -> Option<String> {
    let verified = gpwh_webhooks::Verifier::new([Secret::from(key)])
        .verify(body)
        .ok()?;
    Some(verified.payload().event().unwrap_or("-").to_owned())
}

#[test]
fn resign_signs_no_body_whose_own_signature_does_not_verify() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let bodies = log_with_forgeries(&log);
    let (url, at_app) = app("200 OK", "ok");
    let output = gpwh()
        .arg("replay")
        .arg(&log)
        .args(["--to", &url, "--resign"])
        .env("GPWH_SECRET", SECRET)
        .output()
        .unwrap();
    let sent: Vec<Vec<u8>> = arrived(&url, &at_app).into_iter().map(|r| r.body).collect();
    let events: Vec<Option<String>> = sent.iter().map(|b| verifies_with(b, SECRET)).collect();
    assert_eq!(
        events,
        [Some("GivePlayerReward".to_owned())],
        "only the genuine reward is signed with your key: {}",
        stdout(&output)
    );
    assert!(
        !sent.contains(&bodies[0]),
        "signed again, with the time now"
    );
    // A delivery was not sent: exit 4, as for a body that cannot be signed.
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let report = stdout(&output);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 5, "{report}");
    assert!(
        lines[0].ends_with(" GivePlayerReward valid -> 200 OK"),
        "{report}"
    );
    for line in &lines[1..4] {
        assert!(
            line.contains(" -> skipped: signature does not match: "),
            "{report}"
        );
    }
    assert!(
        lines[3].contains(" PurchasePlayerPurchase valid -> skipped"),
        "{report}"
    );
    assert_eq!(lines[4], "1 replayed: 1 answered 2xx, 0 not; 3 skipped");
    assert!(
        stderr(&output).contains(
            "gpwh: skipped 3 bodies whose signature does not verify with the keys given: --resign signs again only bodies signed with one of them"
        ),
        "{}",
        stderr(&output)
    );
    assert!(!report.contains(SECRET) && !stderr(&output).contains(SECRET));

    // --dry-run prints no command for them either, and says so the same way.
    let dry = gpwh()
        .arg("replay")
        .arg(&log)
        .args(["--to", &url, "--resign", "--dry-run"])
        .env("GPWH_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(
        arrived(&url, &at_app).is_empty(),
        "--dry-run sent something"
    );
    assert_eq!(dry.status.code(), Some(4), "{}", stderr(&dry));
    let script = stdout(&dry);
    let commands = script
        .lines()
        .filter(|line| !line.starts_with('#') && line.contains("curl "))
        .count();
    assert_eq!(commands, 1, "{script}");
    assert_eq!(
        script
            .matches("\n# skipped: signature does not match: ")
            .count(),
        3,
        "{script}"
    );
    assert!(
        stderr(&dry).contains("gpwh: skipped 3 bodies whose signature does not verify"),
        "{}",
        stderr(&dry)
    );
}

#[test]
fn resign_signs_an_older_keys_body_with_the_first_key_given() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    log_with_forgeries(&log);
    let (url, at_app) = app("200 OK", "ok");
    let output = gpwh()
        .arg("replay")
        .arg(&log)
        .args([
            "--to", &url, "--resign", "--secret", SECRET, "--secret", OLD_SECRET,
        ])
        .output()
        .unwrap();
    let sent: Vec<Vec<u8>> = arrived(&url, &at_app).into_iter().map(|r| r.body).collect();
    let events: Vec<Option<String>> = sent.iter().map(|b| verifies_with(b, SECRET)).collect();
    assert_eq!(
        events,
        [
            Some("GivePlayerReward".to_owned()),
            Some("PurchasePlayerPurchase".to_owned())
        ],
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(sent.iter().all(|b| verifies_with(b, OLD_SECRET).is_none()));
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(
        stdout(&output).ends_with("2 replayed: 2 answered 2xx, 0 not; 2 skipped\n"),
        "{}",
        stdout(&output)
    );
    assert!(stderr(&output).contains("gpwh: skipped 2 bodies whose signature"));
}

#[test]
fn dry_run_prints_curl_commands_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    logged_deliveries(&log);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let output = replay(&log, &url, &["--dry-run", "--only", "valid"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let script = stdout(&output);
    assert_eq!(script.matches("\ncurl ").count(), 2, "{script}");
    assert!(script.starts_with("# #1 "), "{script}");
    assert!(
        script.contains("-H 'Content-Type: application/json'"),
        "{script}"
    );
    // replay has ended: a connection it made would be waiting to be
    // accepted.
    assert!(listener.accept().is_err(), "--dry-run sent something");
}

#[test]
fn a_line_that_is_not_a_record_is_named_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    std::fs::write(&log, "{\"received\":\"2026-12-05T10:00:00Z\",\"verdict\":\"valid\",\"body\":\"x.y\"}\nnot json\n").unwrap();
    let output = replay(&log, "http://127.0.0.1:9/", &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("hooks.log:2: not a record of gpwh listen --log: "),
        "{}",
        stderr(&output)
    );
}

/// A line longer than any listen writes is refused by file and line, and
/// nothing is sent. (The real limit is over 100 MiB: the test sets a
/// lower one.)
#[test]
fn a_line_longer_than_listen_writes_is_refused_and_nothing_sent() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let body = "x".repeat(70_000);
    std::fs::write(
        &log,
        format!(
            "{{\"received\":\"2026-12-05T10:00:00Z\",\"verdict\":\"valid\",\"body\":\"{body}\"}}"
        ),
    )
    .unwrap();
    let (url, at_app) = app("200 OK", "ok");
    let output = gpwh()
        .arg("replay")
        .arg(&log)
        .args(["--to", &url])
        .env("GPWH_TEST_LOG_LINE_LIMIT", "65536")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("hooks.log:1: line too large: more than 64 KiB"),
        "{}",
        stderr(&output)
    );
    assert!(arrived(&url, &at_app).is_empty());
}

/// replay sends what a log holds, and --resign signs it with your key: a
/// log others may write is warned about.
#[cfg(unix)]
#[test]
fn a_log_others_may_write_is_warned_about() {
    use std::os::unix::fs::PermissionsExt as _;

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    std::fs::write(&log, "").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o666)).unwrap();
    let output = replay(&log, "http://127.0.0.1:9/", &["--dry-run"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output)
            .contains("is readable and writable by other users (mode 666): chmod 600 it"),
        "{}",
        stderr(&output)
    );
}
