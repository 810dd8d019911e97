//! `gpwh decode`: the payload, in every base64 flavour, never checked.

use predicates::prelude::*;

use crate::support::{gpwh, sample, sample_text};

#[test]
fn pretty_prints_with_two_space_indent_in_key_order() {
    gpwh()
        .args(["decode", "@samples/reward.body"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "{\n  \"event\": \"GivePlayerReward\",\n  \"player\": {\n    \"id\": 1820283,\n",
        ))
        .stdout(predicate::str::ends_with(
            "  \"time\": \"2024-04-26T11:34:23.415923998Z\"\n}\n",
        ))
        .stderr("");
}

#[test]
fn compact_is_the_payload_on_one_line() {
    gpwh()
        .args(["decode", "--compact", "@samples/reward.body"])
        .assert()
        .success()
        .stdout(format!("{}\n", sample_text("reward.json")));
}

#[test]
fn raw_is_the_decoded_bytes_exactly() {
    for name in ["reward", "record"] {
        let body = if name == "reward" {
            "reward.body"
        } else {
            "record-urlsafe.body"
        };
        gpwh()
            .args(["decode", "--raw", &format!("@samples/{body}")])
            .assert()
            .success()
            .stdout(sample(&format!("{name}.json")));
    }
}

#[test]
fn raw_shows_a_payload_that_is_not_json() {
    // printf 'not json' | base64
    gpwh()
        .args(["decode", "-r", "bm90IGpzb24=.sig"])
        .assert()
        .success()
        .stdout("not json");
}

#[test]
fn accepts_both_alphabets_with_and_without_padding() {
    let standard = sample_text("reward.body");
    let (payload, signature) = standard.rsplit_once('.').unwrap();
    let record = sample_text("record-urlsafe.body");
    let (url_payload, url_signature) = record.rsplit_once('.').unwrap();
    let cases = [
        (format!("{payload}.{signature}"), "reward.json"),
        (
            format!("{}.{signature}", payload.trim_end_matches('=')),
            "reward.json",
        ),
        (format!("{url_payload}.{url_signature}"), "record.json"),
        (format!("{url_payload}=.{url_signature}"), "record.json"),
    ];
    for (body, json) in cases {
        gpwh()
            .args(["decode", "-r", &body])
            .assert()
            .success()
            .stdout(sample(json));
    }
}

#[test]
fn keeps_numbers_beyond_64_bits_exactly() {
    gpwh()
        .args(["decode", "@samples/record-urlsafe.body"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"score\": 12345678901234567890\n",
        ));
}

#[test]
fn never_checks_the_signature() {
    let body = sample_text("reward.body");
    let (payload, _) = body.rsplit_once('.').unwrap();
    for signature in ["", "forged", "0000"] {
        gpwh()
            .args(["decode", "-c", &format!("{payload}.{signature}")])
            .assert()
            .success()
            .stdout(format!("{}\n", sample_text("reward.json")));
    }
}

#[test]
fn shows_a_bare_payload() {
    // printf '{"event":"SomethingNew"}' | base64
    gpwh()
        .args(["decode", "-c", "eyJldmVudCI6IlNvbWV0aGluZ05ldyJ9"])
        .assert()
        .success()
        .stdout("{\"event\":\"SomethingNew\"}\n");
}

#[test]
fn malformed_payloads_exit_3_naming_the_problem() {
    let cases = [
        (
            "eyJldmVudCI6I!dpdmVQbGF5ZXJSZXdhcmQifQ==.sig",
            "payload is not valid base64: invalid byte '!' at offset 13",
        ),
        (
            "e30=+-.sig",
            "payload is not valid base64: '-' at offset 5 mixes the URL-safe and standard alphabets",
        ),
        (
            "e3.sig",
            "payload is not valid base64: last character '3' at offset 1 has bits that decode to nothing (truncated or altered?)",
        ),
        (
            "eyJhI.sig",
            "payload is not valid base64: 5 characters is not a possible length (truncated?)",
        ),
        (".sig", "payload is empty: the body starts with '.'"),
        // printf '{"event": }' | base64
        (
            "eyJldmVudCI6IH0=.sig",
            "payload is not JSON: expected value at line 1 column 11",
        ),
        // printf 'not json' | base64
        (
            "bm90IGpzb24=",
            "payload is not JSON: expected ident at line 1 column 2",
        ),
    ];
    for (body, message) in cases {
        gpwh()
            .args(["decode", body])
            .assert()
            .code(3)
            .stdout("")
            .stderr(format!("gpwh: {message}\n"));
    }
}

/// Text from the wire cannot drive a terminal: DEL, C1 controls and bidi
/// overrides are written as \u escapes, as C0 controls are, in every layout
/// and in colour too; the JSON means the same.
#[test]
fn decode_escapes_what_could_drive_a_terminal() {
    let json = "{\"event\":\"a\\u007fb\\u0085c\\u202ed\\u2066e\\u001bf\"}";
    let body = gpwh()
        .args(["sign", "--secret", "k", "--verbatim", json])
        .output()
        .unwrap()
        .stdout;
    for args in [
        &["decode", "-c"][..],
        &["decode"],
        &["decode", "--color", "always"],
    ] {
        let output = gpwh()
            .args(args)
            .write_stdin(body.clone())
            .output()
            .unwrap();
        let out = String::from_utf8(output.stdout).unwrap();
        for raw in ['\u{7f}', '\u{85}', '\u{202e}', '\u{2066}'] {
            assert!(!out.contains(raw), "{args:?}: {raw:?} in {out:?}");
        }
        for escape in ["\\u007f", "\\u0085", "\\u202e", "\\u2066", "\\u001b"] {
            assert!(out.contains(escape), "{args:?}: no {escape} in {out}");
        }
    }
    let compact = gpwh()
        .args(["decode", "-c"])
        .write_stdin(body)
        .output()
        .unwrap();
    let back: serde_json::Value = serde_json::from_slice(&compact.stdout).unwrap();
    assert_eq!(back["event"], "a\u{7f}b\u{85}c\u{202e}d\u{2066}e\u{1b}f");
}

/// The pretty payload (decode, verify, listen's line) writes what a
/// terminal acts on as JSON escapes: C1, DEL, bidi overrides and marks,
/// line separators.
#[test]
fn pretty_json_writes_what_a_terminal_acts_on_as_escapes() {
    let active = "\u{9b}\u{7f}\u{202e}\u{200e}\u{200f}\u{61c}\u{2028}\u{2029}";
    let payload = serde_json::json!({ format!("k{active}"): format!("v{active}") });
    let body = gpwh_webhooks::sign(
        &serde_json::to_vec(&payload).unwrap(),
        &gpwh_webhooks::Secret::from("k"),
        gpwh_webhooks::SignatureEncoding::Hex,
    );
    for args in [
        &["decode"][..],
        &["decode", "--compact"],
        &["--color", "always", "decode"],
    ] {
        let output = gpwh().args(args).arg(&body).output().unwrap();
        assert!(output.status.success());
        let out = String::from_utf8(output.stdout).unwrap();
        assert!(!out.chars().any(|c| active.contains(c)), "raw in {out:?}");
        assert!(
            out.contains("\\u009b\\u007f\\u202e\\u200e\\u200f\\u061c\\u2028\\u2029"),
            "{out}"
        );
    }
}

/// `--raw` writes the payload's bytes exactly into a pipe; on a terminal
/// they are shown inert, lines and tabs kept.
#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs util-linux script for a terminal: GPWH_TEST_ALL=1 runs it"
)]
fn raw_is_exact_in_a_pipe_and_inert_on_a_terminal() {
    let json = "{\"event\":\"a\u{9b}2J\u{202e}\",\n\t\"x\":1}";
    let body = gpwh_webhooks::sign(
        json.as_bytes(),
        &gpwh_webhooks::Secret::from("k"),
        gpwh_webhooks::SignatureEncoding::Hex,
    );
    let piped = gpwh().args(["decode", "-r", &body]).output().unwrap();
    assert_eq!(piped.stdout, json.as_bytes());
    let (code, shown) = crate::support::on_terminal(&["decode", "-r", &body], &[]);
    assert_eq!(code, 0);
    assert_eq!(shown, "{\"event\":\"a\\u{9b}2J\\u{202e}\",\n\t\"x\":1}\n");
}
