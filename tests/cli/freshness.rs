//! `verify --max-age`: the replay window, in every output.

use gpwh_webhooks::{Secret, SignatureEncoding};
use predicates::prelude::*;
use serde_json::Value;

use crate::support::{gpwh, stdout};

const SECRET: &str = "window-secret";

/// A signed body sent `seconds_ago` seconds ago (negative: in the future).
fn sent(seconds_ago: i64) -> String {
    let time = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(seconds_ago);
    body(&format!(
        r#"{{"event":"GivePlayerReward","time":"{time}"}}"#
    ))
}

fn body(json: &str) -> String {
    gpwh_webhooks::sign(
        json.as_bytes(),
        &Secret::from(SECRET),
        SignatureEncoding::Hex,
    )
}

#[test]
fn a_body_inside_the_window_passes() {
    for age in [0, 60, 290, -30] {
        gpwh()
            .args([
                "verify",
                "-q",
                "--secret",
                SECRET,
                "--max-age",
                "5m",
                &sent(age),
            ])
            .assert()
            .success();
    }
}

#[test]
fn a_stale_body_exits_1_saying_how_stale() {
    gpwh()
        .args([
            "verify",
            "--secret",
            SECRET,
            "--max-age",
            "5m",
            &sent(2 * 3600 + 13 * 60 + 20),
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr("gpwh: signature valid but the body is stale: sent 2h 13m ago, limit 5m\n");
}

#[test]
fn a_body_from_the_future_exits_1() {
    gpwh()
        .args(["verify", "--secret", SECRET, "--max-age", "1d", &sent(-600)])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "gpwh: signature valid but the body is from the future: sent 9m 5",
        ));
}

#[test]
fn units_and_plain_seconds_are_accepted() {
    let body = sent(100);
    for (limit, code) in [
        ("90s", 1),
        ("90", 1),
        ("2m", 0),
        ("1h", 0),
        ("1d", 0),
        ("1h30m", 0),
    ] {
        gpwh()
            .args([
                "verify",
                "-q",
                "--secret",
                SECRET,
                "--max-age",
                limit,
                &body,
            ])
            .assert()
            .code(code);
    }
    gpwh()
        .args([
            "verify",
            "--secret",
            SECRET,
            "--max-age",
            "5 minutes",
            &body,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "expected a duration such as 90s, 5m, 2h or 1d",
        ));
}

#[test]
fn the_json_and_lines_verdicts_say_stale() {
    let stale = sent(3600);
    let output = gpwh()
        .args([
            "verify",
            "--json",
            "--secret",
            SECRET,
            "--max-age",
            "5m",
            &stale,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let verdict: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(verdict["error"], "stale");
    assert_eq!(
        verdict["message"],
        "signature valid but the body is stale: sent 1h ago, limit 5m"
    );
    let fresh = sent(10);
    let output = gpwh()
        .args(["verify", "--lines", "--secret", SECRET, "--max-age", "5m"])
        .write_stdin(format!("{fresh}\n{stale}\n"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let verdicts: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(verdicts[0]["valid"], true);
    assert_eq!(verdicts[1]["error"], "stale");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "gpwh: 2 bodies: 1 valid, 1 invalid, 0 malformed\n"
    );
}

#[test]
fn without_a_usable_time_the_window_cannot_be_checked() {
    for (json, message) in [
        (
            r#"{"event":"x"}"#,
            "gpwh: payload has no \"time\" to check its age against\n",
        ),
        (
            r#"{"event":"x","time":1714131263}"#,
            "gpwh: payload has no \"time\" to check its age against\n",
        ),
        (
            r#"{"event":"x","time":"yesterday"}"#,
            "gpwh: payload time is not an RFC 3339 time: found \"yesterday\"\n",
        ),
    ] {
        gpwh()
            .args(["verify", "--secret", SECRET, "--max-age", "5m", &body(json)])
            .assert()
            .code(3)
            .stderr(message);
        // Without --max-age, the time is not looked at.
        gpwh()
            .args(["verify", "-q", "--secret", SECRET, &body(json)])
            .assert()
            .success();
    }
}

#[test]
fn a_forged_body_is_a_mismatch_whatever_its_time() {
    let forged = gpwh_webhooks::sign(
        b"{\"time\":\"2000-01-01T00:00:00Z\"}",
        &Secret::from("other"),
        SignatureEncoding::Hex,
    );
    gpwh()
        .args(["verify", "--secret", SECRET, "--max-age", "5m", &forged])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "gpwh: signature does not match",
        ));
}
