//! `gpwh verify`: the verdict, its exit codes and its JSON.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{SAMPLE_SECRET, gpwh, mixed_case, sample, sample_text, stderr, stdout};

fn verdict(args: &[&str]) -> (i32, Value) {
    let output = gpwh()
        .arg("verify")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let verdict = serde_json::from_slice(&output.stdout).expect("--json prints JSON");
    (output.status.code().unwrap(), verdict)
}

#[test]
fn a_valid_body_prints_its_payload_as_decode_does() {
    for render in [&[][..], &["-c"], &["-r"]] {
        let decoded = gpwh()
            .arg("decode")
            .args(render)
            .arg("@samples/reward.body")
            .output()
            .unwrap();
        gpwh()
            .args(["verify", "--secret", SAMPLE_SECRET, "@samples/reward.body"])
            .args(render)
            .assert()
            .success()
            .stdout(decoded.stdout)
            .stderr("");
    }
}

#[test]
fn every_sample_verifies_with_its_encoding() {
    let cases = [
        ("reward.body", "hex", "GivePlayerReward"),
        ("reward-base64-digest.body", "base64", "GivePlayerReward"),
        ("record-urlsafe.body", "hex", "PlayerPublishRecord"),
        (
            "record-urlsafe-base64-digest.body",
            "base64",
            "PlayerPublishRecord",
        ),
        ("reward.http", "hex", "GivePlayerReward"),
    ];
    for (name, encoding, event) in cases {
        let (code, verdict) = verdict(&["--secret", SAMPLE_SECRET, &format!("@samples/{name}")]);
        assert_eq!(code, 0, "{name}: {verdict}");
        assert_eq!(verdict["valid"], true);
        assert_eq!(verdict["encoding"], encoding, "{name}");
        assert_eq!(verdict["event"], event);
        assert_eq!(verdict["secret"], 1);
        assert_eq!(verdict["payload"]["event"], event);
    }
}

#[test]
fn verdict_keys_come_in_the_documented_order() {
    let output = gpwh()
        .args([
            "verify",
            "--secret",
            SAMPLE_SECRET,
            "--json",
            "-c",
            "@samples/reward.body",
        ])
        .output()
        .unwrap();
    assert!(stdout(&output).starts_with(
        "{\"valid\":true,\"event\":\"GivePlayerReward\",\"encoding\":\"hex\",\"secret\":1,\"payload\":{\"event\""
    ));
}

#[test]
fn hex_signatures_match_in_any_letter_case() {
    let body = sample_text("reward.body");
    let (payload, signature) = body.rsplit_once('.').unwrap();
    let mixed = mixed_case(signature);
    for signature in [signature.to_ascii_uppercase(), mixed] {
        gpwh()
            .args([
                "verify",
                "-q",
                "--secret",
                SAMPLE_SECRET,
                &format!("{payload}.{signature}"),
            ])
            .assert()
            .success()
            .stdout("");
    }
}

#[test]
fn base64_digests_match_in_all_four_flavours() {
    let body = sample_text("reward-base64-digest.body");
    let (payload, signature) = body.rsplit_once('.').unwrap();
    let url_safe = signature.replace('+', "-").replace('/', "_");
    for signature in [
        signature,
        signature.trim_end_matches('='),
        &url_safe,
        url_safe.trim_end_matches('='),
    ] {
        let (code, verdict) =
            verdict(&["--secret", SAMPLE_SECRET, &format!("{payload}.{signature}")]);
        assert_eq!(
            (code, &verdict["encoding"]),
            (0, &Value::from("base64")),
            "{signature}"
        );
    }
}

#[test]
fn key_rotation_reports_which_secret_matched() {
    let (code, verdict) = verdict(&[
        "--secret",
        "old-key",
        "--secret",
        "older-key",
        "--secret-file",
        "samples/secret.txt",
        "@samples/reward.body",
    ]);
    assert_eq!(code, 0);
    assert_eq!(verdict["secret"], 3);
}

#[test]
fn a_wrong_secret_exits_1_with_one_line_on_stderr() {
    let output = gpwh()
        .args(["verify", "--secret", "wrong", "@samples/reward.body"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "gpwh: signature does not match: the body was not signed with the given secret\n"
    );
    gpwh()
        .args(["verify", "--secret", "a", "--secret", "b", "@samples/reward.body"])
        .assert()
        .code(1)
        .stderr("gpwh: signature does not match: the body was not signed with any of the 2 given secrets\n");
}

#[test]
fn any_changed_byte_fails() {
    let body = sample("reward.body");
    let dot = body.iter().rposition(|&b| b == b'.').unwrap();
    // One position in the payload, one in the signature.
    for (at, replacement) in [(10, b'A'), (dot + 5, b'0')] {
        let mut changed = body.clone();
        if changed[at] == replacement {
            changed[at] = b'B';
        } else {
            changed[at] = replacement;
        }
        let status = gpwh()
            .args(["verify", "-q", "--secret", SAMPLE_SECRET])
            .write_stdin(changed)
            .output()
            .unwrap()
            .status;
        assert!(
            matches!(status.code(), Some(1 | 3)),
            "byte {at}: {status:?}"
        );
    }
}

#[test]
fn quiet_prints_nothing_and_the_exit_code_answers() {
    gpwh()
        .args([
            "verify",
            "-q",
            "--secret",
            SAMPLE_SECRET,
            "@samples/reward.body",
        ])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    gpwh()
        .args([
            "verify",
            "--quiet",
            "--secret",
            "wrong",
            "@samples/reward.body",
        ])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn malformed_bodies_exit_3() {
    let cases = [
        (
            "eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==",
            "no-signature",
            "body has no signature: expected BASE64.SIGNATURE, found no '.'",
            None,
        ),
        (
            "eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.",
            "signature-format",
            "signature is not a SHA-256 digest: expected 64 hex digits or 43-44 base64 characters, found nothing after the last '.'",
            None,
        ),
        (
            "eyJldmVudCI6IkdpdmVQbGF5ZXJSZXdhcmQifQ==.\"abc\"",
            "signature-format",
            "signature is not a SHA-256 digest: expected 64 hex digits or 43-44 base64 characters, found 5 characters with '\"' at offset 0",
            Some("the signature is in quotes: remove them"),
        ),
        (
            "eyJldmVudCI6I!.00",
            "payload-not-base64",
            "payload is not valid base64: invalid byte '!' at offset 13",
            None,
        ),
        (
            "bm90IGpzb24=.00",
            "payload-not-json",
            "payload is not JSON: expected ident at line 1 column 2",
            None,
        ),
        ("  ", "empty-body", "body is empty", None),
    ];
    for (body, code, message, hint) in cases {
        let hint_line = hint
            .map(|hint| format!("gpwh: hint: {hint}\n"))
            .unwrap_or_default();
        gpwh()
            .args(["verify", "--secret", SAMPLE_SECRET])
            .write_stdin(body)
            .assert()
            .code(3)
            .stdout("")
            .stderr(format!("gpwh: {message}\n{hint_line}"));
        let output = gpwh()
            .args(["verify", "--secret", SAMPLE_SECRET, "--json"])
            .write_stdin(body)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(3));
        assert_eq!(stderr(&output), "");
        let verdict: Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut expected = serde_json::json!({"valid": false, "error": code, "message": message});
        if let Some(hint) = hint {
            expected["hint"] = hint.into();
        }
        assert_eq!(verdict, expected);
    }
}

#[test]
fn a_mismatch_verdict_keeps_exit_1() {
    let (code, verdict) = verdict(&["--secret", "wrong", "@samples/reward.body"]);
    assert_eq!(code, 1);
    assert_eq!(verdict["valid"], false);
    assert_eq!(verdict["error"], "signature-mismatch");
}

#[test]
fn an_unknown_event_is_still_fine() {
    // The body of `printf '{"event":"BrandNewThing"}'`, signed with
    // printf '%s_%s' eyJldmVudCI6IkJyYW5kTmV3VGhpbmcifQ== demo | sha256sum
    let body = "eyJldmVudCI6IkJyYW5kTmV3VGhpbmcifQ==.04feb8c904aa3db8b32289f54d13363db51f607ced121961ad24e7f39c3dd75e";
    let (code, verdict) = verdict(&["--secret", "demo", body]);
    assert_eq!(code, 0, "{verdict}");
    assert_eq!(verdict["event"], "BrandNewThing");
}

#[test]
fn json_conflicts_with_quiet_and_raw() {
    for extra in ["-q", "-r"] {
        gpwh()
            .args([
                "verify",
                "--secret",
                "x",
                "--json",
                extra,
                "@samples/reward.body",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot be used with"));
    }
}
