//! `--lines`: many bodies, one per line, checked on every core and
//! reported in input order.

use std::io::Write as _;
use std::process::Stdio;

use gpwh_webhooks::{EVENTS, Secret, SignatureEncoding};
use predicates::prelude::*;
use serde_json::Value;

use crate::support::{SAMPLE_SECRET, bin, gpwh, keys, sample_text, stderr, stdout};

const SECRET: &str = "lines-secret";

/// `count` signed bodies, each with its index in `player.id` and an event
/// that cycles through the catalog.
fn bodies(count: usize) -> Vec<String> {
    let secret = Secret::from(SECRET);
    (0..count)
        .map(|i| {
            let event = &EVENTS[i % EVENTS.len()];
            let mut payload = event.template("2024-04-26T11:34:23Z");
            payload["player"]["id"] = i.into();
            let json = serde_json::to_vec(&payload).unwrap();
            gpwh_webhooks::sign(&json, &secret, SignatureEncoding::Hex)
        })
        .collect()
}

/// `count` signed bodies, those of [`bodies`] for one of each event again
/// and again: many, quickly made.
fn cycled(count: usize) -> Vec<String> {
    bodies(EVENTS.len())
        .into_iter()
        .cycle()
        .take(count)
        .collect()
}

fn verdicts(output: &std::process::Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn verdicts_keep_input_order_across_cores() {
    let bodies = cycled(20_000);
    let output = gpwh()
        .args(["verify", "--lines", "--secret", SECRET])
        .write_stdin(bodies.join("\n"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let verdicts = verdicts(&output);
    assert_eq!(verdicts.len(), 20_000);
    for (i, verdict) in verdicts.iter().enumerate() {
        assert_eq!(
            verdict,
            &serde_json::json!({"line": i + 1, "valid": true, "event": EVENTS[i % EVENTS.len()].name()})
        );
    }
    assert_eq!(
        stderr(&output),
        "gpwh: 20000 bodies: 20000 valid, 0 invalid, 0 malformed\n"
    );
}

#[test]
fn the_summary_of_one_body_says_body() {
    let output = gpwh()
        .args([
            "verify",
            "--lines",
            "--secret",
            SAMPLE_SECRET,
            "@samples/reward.body",
        ])
        .output()
        .unwrap();
    assert_eq!(
        stderr(&output),
        "gpwh: 1 body: 1 valid, 0 invalid, 0 malformed\n"
    );
}

#[test]
fn decode_lines_writes_each_payload_compact_in_order() {
    let bodies = bodies(5_000);
    let output = gpwh()
        .args(["decode", "--lines"])
        .write_stdin(bodies.join("\r\n"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let payloads: Vec<&str> = text.lines().collect();
    assert_eq!(payloads.len(), 5_000);
    for (i, payload) in payloads.iter().enumerate() {
        let json: Value = serde_json::from_str(payload).unwrap();
        assert_eq!(json["player"]["id"], i);
        assert!(!payload.contains(": "), "compact");
    }
    assert_eq!(stderr(&output), "");
}

#[test]
fn each_kind_of_line_gets_its_verdict() {
    let good = &bodies(1)[0];
    let (payload, _) = good.rsplit_once('.').unwrap();
    let forged = format!("{payload}.{}", "0".repeat(64));
    let input = format!("{good}\r\n\n   \n{forged}\nnot a body\n{payload}\n");
    let output = gpwh()
        .args(["verify", "--lines", "--secret", SECRET])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let verdicts = verdicts(&output);
    let lines: Vec<(u64, bool, &str)> = verdicts
        .iter()
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["valid"].as_bool().unwrap(),
                v["error"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (1, true, ""),
            (4, false, "signature-mismatch"),
            (5, false, "no-signature"),
            (6, false, "no-signature"),
        ]
    );
    assert_eq!(
        verdicts[1]["message"],
        "signature does not match: the body was not signed with the given secret"
    );
    assert_eq!(
        stderr(&output),
        "gpwh: 4 bodies: 1 valid, 1 invalid, 2 malformed\n"
    );
}

#[test]
fn exit_codes_follow_the_worst_line() {
    let good = bodies(2);
    let forged = gpwh_webhooks::sign(b"{}", &Secret::from("other"), SignatureEncoding::Hex);
    for (input, code) in [
        (good.join("\n"), 0),
        (format!("{}\n{forged}", good[0]), 1),
        (format!("{forged}\n!!!.00\n{}", good[1]), 3),
        (String::new(), 0),
    ] {
        gpwh()
            .args(["verify", "--lines", "-q", "--secret", SECRET])
            .write_stdin(input)
            .assert()
            .code(code)
            .stdout("");
    }
}

#[test]
fn invalid_only_and_quiet_choose_what_is_written() {
    let good = &bodies(1)[0];
    let input = format!("{good}\n{good}x\n{good}\n");
    let output = gpwh()
        .args(["verify", "--lines", "--invalid-only", "--secret", SECRET])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let verdicts = verdicts(&output);
    assert_eq!(verdicts.len(), 1);
    assert_eq!(verdicts[0]["line"], 2);
    assert_eq!(verdicts[0]["error"], "signature-format");
    let output = gpwh()
        .args(["verify", "--lines", "-q", "--secret", SECRET])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "gpwh: 3 bodies: 2 valid, 0 invalid, 1 malformed\n"
    );
}

#[test]
fn several_files_are_read_in_order_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let bodies = bodies(4);
    let first = dir.path().join("first.log");
    let second = dir.path().join("second.log");
    std::fs::write(&first, format!("{}\n{}\n", bodies[0], bodies[1])).unwrap();
    std::fs::write(&second, format!("{}\n\n{}\n", bodies[2], bodies[3])).unwrap();
    let output = gpwh()
        .args(["verify", "--lines", "--secret", SECRET])
        .arg(format!("@{}", first.display()))
        .arg("--file")
        .arg(&second)
        .output()
        .unwrap();
    assert!(output.status.success());
    let places: Vec<(String, u64)> = verdicts(&output)
        .iter()
        .map(|v| {
            (
                v["file"].as_str().unwrap().to_owned(),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let (a, b) = (first.display().to_string(), second.display().to_string());
    assert_eq!(places, [(a.clone(), 1), (a, 2), (b.clone(), 1), (b, 3)]);
    assert_eq!(
        keys(&verdicts(&output)[0]),
        ["file", "line", "valid", "event"]
    );
}

#[test]
fn decode_names_the_file_and_line_of_a_malformed_body() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    std::fs::write(
        &log,
        format!("{}\n\nbm90IGpzb24=.00\n", sample_text("reward.body")),
    )
    .unwrap();
    let output = gpwh()
        .args(["decode", "--lines", "--file"])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(stdout(&output), format!("{}\n", sample_text("reward.json")));
    assert_eq!(
        stderr(&output),
        format!(
            "gpwh: {}:3: payload is not JSON: expected ident at line 1 column 2\n",
            log.display()
        )
    );
}

#[test]
fn a_line_over_a_mebibyte_is_malformed_and_the_run_goes_on() {
    let good = &bodies(1)[0];
    let long = "A".repeat((1 << 20) + 1);
    let input = format!("{good}\n{long}\n{good}\n");
    let output = gpwh()
        .args(["verify", "--lines", "--secret", SECRET])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let verdicts = verdicts(&output);
    assert_eq!(verdicts.len(), 3);
    assert_eq!(verdicts[1]["line"], 2);
    assert_eq!(verdicts[1]["error"], "line-too-long");
    assert_eq!(verdicts[1]["message"], "line too large: more than 1 MiB");
    assert_eq!(verdicts[2]["line"], 3);
    assert_eq!(verdicts[2]["valid"], true);
}

#[test]
fn literal_bodies_and_a_sample_file_mix() {
    let output = gpwh()
        .args([
            "verify",
            "--lines",
            "--secret",
            SAMPLE_SECRET,
            "@samples/reward.body",
        ])
        .arg(sample_text("record-urlsafe.body"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let verdicts = verdicts(&output);
    assert_eq!(verdicts[0]["file"], "samples/reward.body");
    assert_eq!(verdicts[1]["file"], "<argument>");
    assert_eq!(verdicts[1]["event"], "PlayerPublishRecord");
}

#[test]
fn an_unreadable_file_stops_before_any_output() {
    gpwh()
        .args([
            "verify",
            "--lines",
            "--secret",
            SECRET,
            "@samples/reward.body",
            "@samples/missing.log",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "gpwh: cannot read 'samples/missing.log': ",
        ));
}

#[test]
fn several_bodies_without_lines_are_refused() {
    gpwh()
        .args(["decode", "@samples/reward.body", "@samples/reward.body"])
        .assert()
        .code(2)
        .stderr("gpwh: 2 inputs given for one body: give one, or --lines to read a body per line from each\n");
}

#[test]
fn closing_the_pipe_early_ends_quietly() {
    let bodies = cycled(50_000).join("\n");
    for args in [
        &["verify", "--lines", "--secret", SECRET][..],
        &["decode", "--lines"],
    ] {
        let mut child = std::process::Command::new(bin())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let input = bodies.clone();
        let feeder = std::thread::spawn(move || {
            // gpwh may stop reading once its reader is gone.
            let _ = stdin.write_all(input.as_bytes());
        });
        // Read one line, as `| head -1` does, then hang up.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(stderr(&output), "", "{args:?}");
    }
}

/// What a terminal acts on, raw in a payload's strings: a C1 CSI, DEL,
/// the bidi overrides and marks, the line and paragraph separators.
const ACTIVE: &str = "\u{9b}31m\u{7f}\u{202e}\u{200e}\u{200f}\u{61c}\u{2066}\u{2028}\u{2029}\u{85}";

/// A signed body whose event, player name and a key hold [`ACTIVE`].
fn active_body() -> (String, Value) {
    let payload = serde_json::json!({
        "event": format!("Give{ACTIVE}Reward"),
        "player": {"id": 1, "name": format!("a{ACTIVE}b")},
        format!("k{ACTIVE}"): 1,
        "time": "2024-04-26T11:34:23Z",
    });
    // serde_json writes these characters raw, as a sender may.
    let json = serde_json::to_vec(&payload).unwrap();
    assert!(String::from_utf8_lossy(&json).contains(ACTIVE));
    let body = gpwh_webhooks::sign(&json, &Secret::from(SECRET), SignatureEncoding::Hex);
    (body, payload)
}

/// Whether `text` holds any character of [`ACTIVE`] raw.
fn holds_active(text: &str) -> bool {
    text.chars()
        .any(|c| ACTIVE.contains(c) && !c.is_ascii_alphanumeric())
}

#[test]
fn decode_lines_writes_what_a_terminal_acts_on_as_json_escapes() {
    let (body, payload) = active_body();
    let output = gpwh()
        .args(["decode", "--lines", &body, &body])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(!holds_active(&out), "raw in {out:?}");
    assert!(
        out.contains("\\u009b31m\\u007f\\u202e\\u200e\\u200f\\u061c\\u2066\\u2028\\u2029\\u0085"),
        "{out}"
    );
    for line in out.lines() {
        let decoded: Value = serde_json::from_str(line).unwrap();
        assert_eq!(decoded, payload, "the same JSON, escaped");
    }
}

#[test]
fn verify_lines_writes_what_a_terminal_acts_on_as_json_escapes() {
    let (body, payload) = active_body();
    let output = gpwh()
        .args(["verify", "--lines", "--secret", SECRET, &body])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(!holds_active(&out), "raw in {out:?}");
    assert_eq!(verdicts(&output)[0]["event"], payload["event"]);
    // A refused line: its hint and message say nothing raw either.
    let forged = body.replace(".", &format!("{ACTIVE}."));
    let output = gpwh()
        .args(["verify", "--lines", "--secret", SECRET, &forged])
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(0), "{}", stderr(&output));
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!holds_active(&all), "raw in {all:?}");
}
