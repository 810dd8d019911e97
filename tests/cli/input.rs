//! Where a body comes from, and what around it is ignored.

use std::io::Write as _;

use predicates::prelude::*;

use crate::support::{gpwh, sample, sample_text};

const REWARD_COMPACT_START: &str = "{\"event\":\"GivePlayerReward\",\"player\":{\"id\":1820283,";

#[test]
fn every_source_gives_the_same_payload() {
    let body = sample_text("reward.body");
    let expected = format!("{}\n", sample_text("reward.json"));
    let runs = [
        gpwh().args(["decode", "-c", &body]).output().unwrap(),
        gpwh()
            .args(["decode", "-c", "@samples/reward.body"])
            .output()
            .unwrap(),
        gpwh()
            .args(["decode", "-c", "--file", "samples/reward.body"])
            .output()
            .unwrap(),
        gpwh()
            .args(["decode", "-c", "-f", "samples/reward.body"])
            .output()
            .unwrap(),
        gpwh()
            .args(["decode", "-c", "-"])
            .write_stdin(body.clone())
            .output()
            .unwrap(),
        // As curl's `-d @-`.
        gpwh()
            .args(["decode", "-c", "@-"])
            .write_stdin(body.clone())
            .output()
            .unwrap(),
        gpwh()
            .args(["decode", "-c"])
            .write_stdin(body.clone())
            .output()
            .unwrap(),
    ];
    for output in runs {
        assert!(output.status.success(), "{output:?}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
    }
}

#[test]
fn surrounding_whitespace_and_crlf_are_ignored() {
    let body = sample_text("reward.body");
    for wrapped in [
        format!("{body}\n"),
        format!("{body}\r\n"),
        format!("\r\n \t{body}\r\n\r\n"),
        format!("  {body}  \t"),
    ] {
        gpwh()
            .args(["verify", "--secret", crate::support::SAMPLE_SECRET, "-c"])
            .write_stdin(wrapped)
            .assert()
            .success()
            .stdout(predicate::str::starts_with(REWARD_COMPACT_START));
    }
}

#[test]
fn a_captured_http_request_is_unwrapped() {
    for capture in [
        sample("reward.http"),
        String::from_utf8(sample("reward.http"))
            .unwrap()
            .replace("\r\n", "\n")
            .into_bytes(),
    ] {
        gpwh()
            .args(["verify", "--secret", crate::support::SAMPLE_SECRET, "-c"])
            .write_stdin(capture)
            .assert()
            .success()
            .stdout(predicate::str::starts_with(REWARD_COMPACT_START));
    }
}

#[test]
fn a_chunked_capture_is_refused_not_misread() {
    gpwh()
        .args(["decode"])
        .write_stdin("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ne30=\r\n0\r\n\r\n")
        .assert()
        .code(3)
        .stdout("")
        .stderr(
            "gpwh: captured HTTP request uses chunked transfer encoding: capture the body alone\n",
        );
}

#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs util-linux script for a terminal: GPWH_TEST_ALL=1 runs it"
)]
fn no_body_on_a_terminal_says_how_to_pass_one() {
    for args in [
        &["decode"][..],
        &["verify", "--secret", "x"],
        &["sign", "--secret", "x"],
    ] {
        let (code, shown) = crate::support::on_terminal(args, &[]);
        assert_eq!(code, 2, "{args:?}: {shown}");
        assert!(
            shown.contains("given: pass it as an argument, as @PATH or --file PATH, or pipe it into standard input"),
            "{shown}"
        );
    }
}

#[test]
fn an_unreadable_file_is_a_usage_error() {
    gpwh()
        .args(["decode", "@samples/no-such.body"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "gpwh: cannot read 'samples/no-such.body': ",
        ));
    gpwh()
        .args(["decode", "--file", "samples"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("gpwh: cannot read 'samples': "));
}

#[test]
fn a_file_name_given_as_the_body_says_how_to_read_it() {
    gpwh()
        .args(["decode", "samples/reward.body"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("gpwh: 'samples/reward.body' is a file, not a body: write @samples/reward.body or --file samples/reward.body to read it\n");
    gpwh()
        .args(["sign", "--secret", "demo", "samples/reward.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is a file, not a JSON payload: write @samples/reward.json",
        ));
}

#[test]
fn a_body_and_a_file_together_are_refused() {
    gpwh()
        .args(["decode", "e30=", "--file", "samples/reward.body"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("gpwh: 2 inputs given for one body: give one, or --lines to read a body per line from each\n");
}

#[test]
fn empty_input_is_malformed() {
    for input in ["", "\n", " \r\n\t "] {
        gpwh()
            .arg("decode")
            .write_stdin(input)
            .assert()
            .code(3)
            .stdout("")
            .stderr("gpwh: body is empty\n");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::process::Stdio;
    // A payload far larger than a pipe's buffer, so that writing must fail.
    let json = format!("{{\"event\":\"x\",\"pad\":\"{}\"}}", "a".repeat(1 << 20));
    let body = {
        let mut child = std::process::Command::new(crate::support::bin())
            .args(["sign", "--secret", "demo"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(json.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap().stdout
    };
    for args in [
        &["decode"][..],
        &["decode", "-r"],
        &["verify", "--secret", "demo"],
    ] {
        let mut child = std::process::Command::new(crate::support::bin())
            .args(args)
            .env_remove("GPWH_SECRET")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before gpwh writes a byte.
        drop(child.stdout.take());
        child.stdin.take().unwrap().write_all(&body).unwrap();
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}
