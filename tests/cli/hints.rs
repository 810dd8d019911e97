//! When verify fails, the common mistake that fits, if one does: a second
//! stderr line and `hint` in JSON verdicts, never the right signature.

use gpwh_webhooks::{Secret, SignatureEncoding};
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
    let digest = gpwh_webhooks::Digest::of(br#"{"event":"x"}"#, &Secret::from("demo"))
        .encode(SignatureEncoding::Hex);
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

const NODE_BUFFER: &str = "this is a Node.js Buffer as console.log prints it, in hex and at most 50 bytes: log req.body.toString('utf8') instead";
const NODE_BUFFER_JSON: &str = "this is a Node.js Buffer as JSON.stringify writes it, a list of byte values: log req.body.toString('utf8') instead";
const FORM_MANGLED: &str = "the body went through a form parser or encoder (express.urlencoded, bodyParser, PHP's $_POST, Flask's request.form): read the raw request body instead";

/// verify's answer to what a handler logged of `body`, on stdin: the exit
/// code, stderr, and the --json verdict, which must agree on the exit
/// code. Neither shows the body's signature, though the paste holds it.
fn verify_paste(paste: &str, body: &str) -> (Option<i32>, String, Value) {
    let text = gpwh()
        .args(["verify", "--secret", SAMPLE_SECRET])
        .write_stdin(paste)
        .output()
        .unwrap();
    let json = gpwh()
        .args(["verify", "--json", "--secret", SAMPLE_SECRET])
        .write_stdin(paste)
        .output()
        .unwrap();
    assert_eq!(text.status.code(), json.status.code(), "{paste}");
    let (_, signature) = body.rsplit_once('.').unwrap();
    let shown = format!("{}{}", stderr(&text), String::from_utf8_lossy(&json.stdout));
    assert!(!shown.contains(&signature[..16]), "{shown}");
    let verdict: Value = serde_json::from_slice(&json.stdout).unwrap();
    (text.status.code(), stderr(&text), verdict)
}

/// The sample body signed anew with a payload that has `+`, `/` and `==`,
/// the characters form parsers mangle.
fn form_unsafe_body() -> String {
    let body = gpwh_webhooks::sign(
        br#"{"event":"GivePlayerReward","x":"~~~~~?~~"}"#,
        &Secret::from(SAMPLE_SECRET),
        SignatureEncoding::Hex,
    );
    assert!(body.contains('+') && body.contains('/') && body.contains("==."));
    body
}

#[test]
fn a_buffer_printed_by_console_log_gets_a_hint() {
    // console.log(req.body) with express.raw(): a Buffer, its first 50 bytes.
    let body = sample_text("reward.body").trim().to_owned();
    let hex: Vec<String> = body.bytes().take(50).map(|b| format!("{b:02x}")).collect();
    let printed = format!(
        "<Buffer {} ... {} more bytes>",
        hex.join(" "),
        body.len() - 50
    );
    let (code, said, verdict) = verify_paste(&printed, &body);
    assert_eq!(code, Some(3));
    assert_eq!(
        said,
        format!(
            "gpwh: payload is not valid base64: invalid byte '<' at offset 0\n\
             gpwh: hint: {NODE_BUFFER}\n"
        )
    );
    assert_eq!(verdict["error"], "payload-not-base64");
    assert_eq!(verdict["hint"], NODE_BUFFER);
    // As an argument, inside the object it was logged in.
    gpwh()
        .args(["verify", "--secret", SAMPLE_SECRET])
        .arg(format!("{{ body: {printed} }}"))
        .assert()
        .code(3)
        .stderr(predicates::str::ends_with(format!(
            "gpwh: hint: {NODE_BUFFER}\n"
        )));
}

#[test]
fn a_buffer_written_by_json_stringify_gets_a_hint() {
    let body = sample_text("reward.body").trim().to_owned();
    let data: Vec<String> = body.bytes().map(|b| b.to_string()).collect();
    let written = format!(r#"{{"type":"Buffer","data":[{}]}}"#, data.join(","));
    let (code, said, verdict) = verify_paste(&written, &body);
    assert_eq!(code, Some(3));
    assert_eq!(
        said,
        format!(
            "gpwh: body has no signature: expected BASE64.SIGNATURE, found no '.'\n\
             gpwh: hint: {NODE_BUFFER_JSON}\n"
        )
    );
    assert_eq!(verdict["error"], "no-signature");
    assert_eq!(verdict["hint"], NODE_BUFFER_JSON);
}

#[test]
fn a_body_inside_json_gets_a_hint_naming_its_key() {
    let body = sample_text("reward.body").trim().to_owned();
    // A serverless function's event, and a forwarder's wrapper, as logged.
    let event = serde_json::json!({
        "version": "2.0",
        "rawPath": "/webhooks/gamepush",
        "headers": {"content-type": "text/plain"},
        "body": body,
        "isBase64Encoded": false,
    });
    let wrapper = serde_json::json!({"received": [{"request": {"body": body}}]});
    for (paste, path) in [
        (serde_json::to_string_pretty(&event).unwrap(), "body"),
        (wrapper.to_string(), "received[0].request.body"),
    ] {
        let hint = format!(
            "the body is a string inside this JSON, at '{path}': pass that string's value alone"
        );
        let (code, said, verdict) = verify_paste(&paste, &body);
        assert_eq!(code, Some(3));
        assert_eq!(said.lines().count(), 2, "{said}");
        assert!(said.ends_with(&format!("\ngpwh: hint: {hint}\n")), "{said}");
        assert_eq!(verdict["error"], "payload-not-base64");
        assert_eq!(verdict["hint"], hint);
    }
    // A body cut short inside JSON is not a body: the JSON is the mistake.
    let cut = serde_json::json!({"body": &body[..body.len() - 1]}).to_string();
    let (code, _, verdict) = verify_paste(&cut, &body);
    assert_eq!(code, Some(3));
    assert_eq!(
        verdict["hint"],
        "this is JSON, not a body: a body is BASE64(JSON).SIGNATURE, as gpwh sign makes"
    );
}

#[test]
fn a_body_a_form_parser_took_apart_gets_a_hint() {
    let body = form_unsafe_body();
    // What express.urlencoded, PHP and Flask make of it: split at the first
    // '=', each '+' a space (and, in a PHP key, each space an '_').
    let (key, value) = body.split_once('=').unwrap();
    let (key, value) = (key.replace('+', " "), value.replace('+', " "));
    let encoded = body
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    for paste in [
        format!(r#"{{"{key}":"{value}"}}"#),
        format!("[Object: null prototype] {{\n  '{key}': '{value}'\n}}\n"),
        format!("Array\n(\n    [{}] => {value}\n)\n", key.replace(' ', "_")),
        format!("ImmutableMultiDict([('{key}', '{value}')])"),
        format!("body={encoded}"),
    ] {
        let (code, said, verdict) = verify_paste(&paste, &body);
        assert_eq!(code, Some(3), "{paste}");
        assert_eq!(said.lines().count(), 2, "{said}");
        assert!(
            said.ends_with(&format!("\ngpwh: hint: {FORM_MANGLED}\n")),
            "{paste}: {said}"
        );
        assert_eq!(verdict["hint"], FORM_MANGLED, "{paste}");
    }
}

#[test]
fn a_form_logged_across_lines_gets_a_hint_on_its_line() {
    // console.log(req.body) spreads an object over lines; --lines reads
    // each on its own.
    let body = sample_text("reward.body").trim().to_owned();
    let (key, value) = body.split_once('=').unwrap();
    let logged = format!("[Object: null prototype] {{\n  {key}: '{value}'\n}}\n");
    let output = gpwh()
        .args(["verify", "--lines", "--secret", SAMPLE_SECRET])
        .write_stdin(logged)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let hints: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["hint"].clone())
        .collect();
    assert_eq!(hints, [Value::Null, FORM_MANGLED.into(), Value::Null]);
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

#[test]
fn json_sent_in_place_of_a_body_is_named_as_json() {
    let output = gpwh()
        .args(["verify", "--secret", "k", r#"{"event":"GivePlayerReward"}"#])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        "gpwh: body has no signature: expected BASE64.SIGNATURE, found no '.'\n\
         gpwh: hint: this is JSON, not a body: a body is BASE64(JSON).SIGNATURE, as gpwh sign makes\n"
    );
}
