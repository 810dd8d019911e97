//! When verify fails, the common mistake that fits, if one does: a second
//! stderr line and `hint` in JSON verdicts, never the right signature.

use gpwh::{Secret, SignatureEncoding};
use serde_json::Value;

use crate::support::{SAMPLE_SECRET, gpwh, sample_text, stderr};

#[test]
fn a_pasted_broken_body_gets_a_hint() {
    let body = sample_text("reward.body");
    let wrapped = format!("{}\n{}", &body[..76], &body[76..]);
    let output = gpwh()
        .args(["verify", "--secret", SAMPLE_SECRET, &wrapped])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        "gpwh: payload is not valid base64: invalid byte '\\n' at offset 76\n\
         gpwh: hint: the payload has whitespace or a line break inside: was the body wrapped when it was captured?\n"
    );
}

#[test]
fn a_secret_file_with_quotes_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    std::fs::write(&file, "\"Be$T_Pr0jeCt\"\n").unwrap();
    let output = gpwh()
        .args(["verify", "--json", "--secret-file"])
        .arg(&file)
        .arg("@samples/reward.body")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let verdict: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(verdict["error"], "signature-mismatch");
    assert_eq!(
        verdict["hint"],
        "a secret matches without the quotes around it: store the key without quotes"
    );
}

#[test]
fn a_signature_over_the_decoded_json_gets_a_hint() {
    // The mistake: hashing the JSON instead of its base64 text.
    let digest =
        gpwh::Digest::of(br#"{"event":"x"}"#, &Secret::from("demo")).encode(SignatureEncoding::Hex);
    let body = format!("eyJldmVudCI6IngifQ==.{digest}");
    gpwh()
        .args(["verify", "--secret", "demo", &body])
        .assert()
        .code(1)
        .stderr(
            "gpwh: signature does not match: the body was not signed with the given secret\n\
             gpwh: hint: the signature was made over the decoded JSON: it must be over the base64 text, BASE64 + \"_\" + SECRET\n",
        );
}

#[test]
fn no_hint_when_nothing_fits_and_never_the_expected_signature() {
    let body = sample_text("reward.body");
    let (payload, signature) = body.rsplit_once('.').unwrap();
    let forged = format!("{payload}.{}", "0".repeat(64));
    let output = gpwh()
        .args(["verify", "--secret", SAMPLE_SECRET, &forged])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "gpwh: signature does not match: the body was not signed with the given secret\n"
    );
    // Whatever went wrong, the right signature never shows.
    for input in [
        forged.clone(),
        format!("{payload}.{}", &signature[..63]),
        format!("{payload}.\"{signature}\""),
    ] {
        for args in [
            &["verify", "--secret", SAMPLE_SECRET][..],
            &["verify", "--json", "--secret", SAMPLE_SECRET],
        ] {
            let output = gpwh().args(args).arg(&input).output().unwrap();
            let shown = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                stderr(&output)
            );
            assert!(!shown.contains(signature), "{shown}");
            assert!(!shown.contains(&signature[..16]), "{shown}");
        }
    }
}

#[test]
#[cfg(unix)]
fn a_world_readable_secret_file_is_warned_about_once() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    std::fs::write(&file, "Be$T_Pr0jeCt\n").unwrap();
    for (mode, warned) in [(0o644, true), (0o640, true), (0o600, false), (0o400, false)] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let output = gpwh()
            .args(["verify", "--lines", "-q", "--secret-file"])
            .arg(&file)
            .write_stdin(format!(
                "{}\n{}\n",
                sample_text("reward.body"),
                sample_text("reward.body")
            ))
            .output()
            .unwrap();
        assert!(output.status.success(), "{mode:o}");
        let said = stderr(&output);
        assert_eq!(
            said.matches("is readable by other users").count(),
            usize::from(warned),
            "{mode:o}: {said}"
        );
        if warned {
            assert!(
                said.contains(&format!("(mode {mode:03o}): chmod 600 it")),
                "{said}"
            );
        }
    }
}
