//! `gpwh facts` over a log built by sending through `gpwh listen --log`;
//! the arrival times are then set to known ones, so that delays and
//! intervals are checked exactly.

use serde_json::{Value, json};

use crate::listen::{Listening, post_with};
use crate::support::{gpwh, stderr, stdout};

const SECRET: &str = "facts-secret";
/// The largest body gpwh reads from a file or a log: 16 MiB.
const MAX_BODY: usize = 16 << 20;
const BEARER: &str = "Bearer s3cr3t-bearer-value";
const API_KEY: &str = "k3y-value-never-shown";

fn signed(json: &Value, encoding: gpwh_webhooks::SignatureEncoding) -> Vec<u8> {
    gpwh_webhooks::sign(
        &serde_json::to_vec(json).unwrap(),
        &gpwh_webhooks::Secret::from(SECRET),
        encoding,
    )
    .into_bytes()
}

/// Six requests through listen, their arrival set to T0 + the seconds
/// given: a reward twice (10, 70), one purchase in two bodies (20, 140; its
/// time T0 then T0 + 60 s, the second with a base64 digest; both with a
/// field gpwh's template lacks), an event gpwh does not list (30), a body
/// that is no webhook (40), and a GET (50).
fn log() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start_with_secret(SECRET, &["--log", log.to_str().unwrap()]);
    let url = format!("http://{}/hook", server.url);
    let t0 = "2026-01-01T00:00:00Z";
    let hex = gpwh_webhooks::SignatureEncoding::Hex;
    let reward = signed(&json!({"event": "GivePlayerReward", "time": t0}), hex);
    let purchase = |time: &str, encoding| {
        signed(
            &json!({"event": "PurchasePlayerPurchase", "result": {"purchase": {"_id": "p1"}}, "time": time, "deliveryAttempt": 1}),
            encoding,
        )
    };
    let headers = [
        "-A",
        "GamePush/1.0",
        "-H",
        &format!("Authorization: {BEARER}"),
    ];
    for body in [
        reward.clone(),
        reward,
        purchase(t0, hex),
        purchase(
            "2026-01-01T00:01:00Z",
            gpwh_webhooks::SignatureEncoding::Base64,
        ),
        signed(&json!({"event": "GpwhFutureOperation", "time": t0}), hex),
        b"not.a.webhook".to_vec(),
    ] {
        post_with(&url, &body, &headers);
    }
    let api_key = format!("X-Api-Key: {API_KEY}");
    post_with(
        &url,
        b"",
        &["-X", "GET", "-A", "GamePush/1.0", "-H", &api_key],
    );
    drop(server);
    let arrivals = [10, 70, 20, 140, 30, 40, 50];
    let text = std::fs::read_to_string(&log).unwrap();
    let mut lines = Vec::new();
    for (line, seconds) in text.lines().zip(arrivals) {
        let mut record: Value = serde_json::from_str(line).unwrap();
        record["received"] = json!(format!(
            "2026-01-01T00:{:02}:{:02}Z",
            seconds / 60,
            seconds % 60
        ));
        lines.push(record.to_string());
    }
    assert_eq!(lines.len(), 7, "{text}");
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    (dir, log)
}

#[test]
fn facts_tells_counts_forms_delays_repeats_and_what_is_new() {
    let (_dir, log) = log();
    let output = gpwh().args(["facts", "--json"]).arg(&log).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let facts: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(facts["requests"], 7);
    assert_eq!(
        facts["events"],
        json!([
            {"event": "-", "deliveries": 2, "valid": 0, "refused": 2},
            {"event": "GivePlayerReward", "deliveries": 2, "valid": 2, "refused": 0},
            {"event": "GpwhFutureOperation", "deliveries": 1, "valid": 1, "refused": 0},
            {"event": "PurchasePlayerPurchase", "deliveries": 2, "valid": 2, "refused": 0},
        ])
    );
    assert_eq!(
        facts["refusals"],
        json!({"method-not-allowed": 1, "payload-not-base64": 1})
    );
    assert_eq!(
        facts["digest_forms"],
        json!([
            {"form": "base64, padded", "deliveries": 1, "valid": 1},
            {"form": "hex, lowercase", "deliveries": 4, "valid": 4},
            {"form": "other", "deliveries": 1, "valid": 0},
        ])
    );
    // Valid deliveries arrived 10, 70, 20, 80 and 30 s after their time.
    assert_eq!(
        facts["delay_seconds"],
        json!({"count": 5, "min": 10.0, "median": 30.0, "p95": 80.0, "max": 80.0})
    );
    assert_eq!(
        facts["repeats"],
        json!({
            "same_body": [60.0],
            "same_purchase": [{"id": "p1", "after_seconds": 120.0, "time_changed": true, "signature_changed": true}],
        })
    );
    assert_eq!(facts["unknown_fields"], json!({"deliveryAttempt": 2}));
    assert_eq!(facts["unknown_events"], json!({"GpwhFutureOperation": 1}));
    assert_eq!(facts["addresses"], json!({"127.0.0.1": 7}));
    let header = |name: &str| {
        facts["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {facts}"))
            .clone()
    };
    assert_eq!(header("user-agent")["values"], json!({"GamePush/1.0": 7}));
    assert_eq!(
        header("authorization"),
        json!({"name": "authorization", "requests": 6, "values": null})
    );
    assert_eq!(header("x-api-key")["values"], Value::Null);
}

#[test]
fn no_format_shows_a_secret_looking_value_and_json_is_stable() {
    let (_dir, log) = log();
    let run = |args: &[&str]| {
        let output = gpwh().arg("facts").args(args).arg(&log).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        stdout(&output)
    };
    let (text, json, markdown) = (run(&[]), run(&["--json"]), run(&["--markdown"]));
    for report in [&text, &json, &markdown] {
        assert!(
            !report.contains("s3cr3t") && !report.contains(API_KEY),
            "{report}"
        );
        assert!(
            !report.contains("not.a.webhook"),
            "no body is shown: {report}"
        );
    }
    assert_eq!(run(&["--json"]), json, "the same log, the same report");
    let keys: Vec<String> = serde_json::from_str::<Value>(&json)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "requests",
            "events",
            "refusals",
            "digest_forms",
            "headers",
            "delay_seconds",
            "repeats",
            "unknown_fields",
            "unknown_events",
            "addresses"
        ]
    );
    assert!(text.starts_with("7 requests logged\n"), "{text}");
    assert!(text.contains("\nRepeats\n  what           after  time changed  signature changed\n  the same body  1m     no            no\n  purchase p1    2m     yes           yes\n"), "{text}");
    assert!(
        markdown.contains("| user-agent | 7 | GamePush/1.0 \\(7\\) |"),
        "{markdown}"
    );
}

#[test]
fn a_missing_log_is_a_usage_error() {
    let output = gpwh().args(["facts", "no-such.log"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read the log 'no-such.log'"));
}

#[test]
fn listen_tells_the_facts_of_its_log_when_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let errors = dir.path().join("stderr");
    let child = std::process::Command::new(crate::support::bin())
        .args(["listen", "--port", "0", "--secret", SECRET, "--log"])
        .arg(&log)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&errors).unwrap())
        .spawn()
        .unwrap();
    let address = loop {
        let text = std::fs::read_to_string(&errors).unwrap();
        if let Some(line) = text
            .lines()
            .find(|l| l.starts_with("gpwh: listening on http://"))
        {
            break line["gpwh: listening on http://".len()..]
                .split_whitespace()
                .next()
                .unwrap()
                .to_owned();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let body = signed(
        &json!({"event": "GivePlayerReward", "time": "2026-01-01T00:00:00Z"}),
        gpwh_webhooks::SignatureEncoding::Hex,
    );
    post_with(&format!("http://{address}/"), &body, &[]);
    let (code, _) = crate::support::interrupt(child);
    assert_eq!(code, Some(0));
    let told = std::fs::read_to_string(&errors).unwrap();
    assert!(
        told.contains("gpwh: what the log says (gpwh facts ")
            && told.contains("1 requests logged\n")
            && told.contains("  GivePlayerReward  1           1      0\n"),
        "{told}"
    );
}

/// GitHub turns a bare `https://...` or `www....` into a link and `@name`
/// into a mention that notifies someone: in a report pasted into an
/// issue, text a sender chose (a header, an event, a field) must be
/// neither.
#[test]
fn facts_markdown_makes_server_chosen_links_and_mentions_inert() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start_with_secret(SECRET, &["--log", log.to_str().unwrap()]);
    let url = format!("http://{}/hook", server.url);
    let hex = gpwh_webhooks::SignatureEncoding::Hex;
    let headers = [
        "-A",
        "https://evil.example",
        "-H",
        "X-Site: www.evil.example",
        "-H",
        "X-Who: @someone",
    ];
    for body in [
        signed(
            &json!({"event": "GivePlayerReward", "https://evil.example": 1, "www.evil.example": 2}),
            hex,
        ),
        signed(&json!({"event": "@someone"}), hex),
    ] {
        post_with(&url, &body, &headers);
    }
    drop(server);
    let output = gpwh()
        .args(["facts", "--markdown"])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let markdown = stdout(&output);
    for linked in ["https://evil.example", "www.evil.example", "@someone"] {
        assert!(
            !markdown.contains(linked),
            "'{linked}' would be a link or a mention:\n{markdown}"
        );
    }
    // Shown, not dropped: the user agent, the header, two fields, the event.
    assert!(markdown.matches("evil").count() >= 4, "{markdown}");
    assert!(markdown.matches("someone").count() >= 2, "{markdown}");
}

/// A line longer than any listen writes is refused, named by file and
/// line, before it is read whole; one of exactly the limit is read. The
/// real limit is over 100 MiB, so the test sets a lower one.
#[test]
fn a_line_longer_than_listen_writes_is_refused_by_file_and_line() {
    const LIMIT: usize = 64 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let record = |length: usize| {
        let bare = json!({"received": "2026-01-01T00:00:00Z", "verdict": "payload-not-base64", "body": ""})
            .to_string();
        let line = json!({"received": "2026-01-01T00:00:00Z", "verdict": "payload-not-base64", "body": "x".repeat(length - bare.len())})
            .to_string();
        assert_eq!(line.len(), length);
        line
    };
    let facts = |log: &std::path::Path| {
        gpwh()
            .arg("facts")
            .arg(log)
            .env("GPWH_TEST_LOG_LINE_LIMIT", LIMIT.to_string())
            .output()
            .unwrap()
    };
    std::fs::write(&log, record(LIMIT) + "\r\n").unwrap();
    let at_the_limit = facts(&log);
    assert_eq!(
        at_the_limit.status.code(),
        Some(0),
        "{}",
        stderr(&at_the_limit)
    );
    assert!(stdout(&at_the_limit).starts_with("1 requests logged\n"));

    std::fs::write(
        &log,
        record(100) + "\n" + &record(LIMIT + 1) + "\n" + &record(100) + "\n",
    )
    .unwrap();
    let past = facts(&log);
    assert_eq!(past.status.code(), Some(2), "{}", stdout(&past));
    assert!(
        stderr(&past).contains("hooks.log:2: line too large: more than 64 KiB"),
        "{}",
        stderr(&past)
    );
    assert!(stdout(&past).is_empty());
}

/// The longest line listen writes is read back: a body at the core's
/// limit (16 MiB) of bytes JSON writes six times over (`\u0001`).
#[test]
fn the_longest_line_listen_writes_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start_with_secret(
        SECRET,
        &["--max-body", "16M", "--log", log.to_str().unwrap()],
    );
    let (status, _) = post_with(
        &format!("http://{}/hook", server.url),
        &vec![1u8; MAX_BODY],
        &[],
    );
    assert_eq!(status, 400);
    drop(server);
    let written = std::fs::metadata(&log).unwrap().len();
    assert!(written > 6 * MAX_BODY as u64, "{written}");
    let output = gpwh().args(["facts", "--json"]).arg(&log).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let facts: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(facts["requests"], 1);
}
