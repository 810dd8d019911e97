//! Hostile and odd input: every case gets its documented exit code and a
//! clear message from decode and verify, the same verdict from
//! `verify --lines`, and never a panic from any subcommand.

use gpwh_webhooks::{Secret, SignatureEncoding};
use serde_json::Value;

use crate::support::{gpwh, sample_text, stderr, stdout};

const SECRET: &str = "demo";

/// What one subcommand must do with an input.
#[derive(Debug, Clone, Copy)]
struct Expect {
    code: i32,
    /// A part of the stderr message; empty for success.
    says: &'static str,
}

const OK: Expect = Expect { code: 0, says: "" };

const fn fails(code: i32, says: &'static str) -> Expect {
    Expect { code, says }
}

struct Case {
    name: &'static str,
    input: Vec<u8>,
    decode: Expect,
    verify: Expect,
}

fn signed(payload: &[u8]) -> Vec<u8> {
    gpwh_webhooks::sign(payload, &Secret::from(SECRET), SignatureEncoding::Hex).into_bytes()
}

fn signed_str(payload: &str) -> String {
    String::from_utf8(signed(payload.as_bytes())).unwrap()
}

fn case(name: &'static str, input: impl Into<Vec<u8>>, decode: Expect, verify: Expect) -> Case {
    Case {
        name,
        input: input.into(),
        decode,
        verify,
    }
}

fn corpus() -> Vec<Case> {
    let good = signed_str(r#"{"event":"GivePlayerReward"}"#);
    let (payload, signature) = good.rsplit_once('.').unwrap();
    let (payload, signature) = (payload.to_owned(), signature.to_owned());
    let deep_array = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let not_base64 = fails(3, "payload is not valid base64");
    let not_json = fails(3, "payload is not JSON");
    let no_signature = fails(3, "body has no signature");
    let signature_format = fails(3, "signature is not a SHA-256 digest");
    let not_object = |what| fails(3, what);
    let mut big = vec![b'A'; 64 << 20];
    big.extend_from_slice(b".00");
    vec![
        case(
            "empty input",
            "",
            fails(3, "body is empty"),
            fails(3, "body is empty"),
        ),
        case(
            "only whitespace",
            " \t\r\n \r\n",
            fails(3, "body is empty"),
            fails(3, "body is empty"),
        ),
        case(
            "a dot alone",
            ".",
            fails(3, "payload is empty"),
            fails(3, "payload is empty"),
        ),
        case("two dots", "..", not_base64, not_base64),
        case(
            "many dots",
            "a.b.c.d",
            fails(3, "invalid byte '.' at offset 1"),
            fails(3, "more than one '.'"),
        ),
        case("dots only", "......", not_base64, not_base64),
        case(
            "signature alone",
            format!(".{signature}"),
            fails(3, "payload is empty"),
            fails(3, "payload is empty"),
        ),
        case(
            "NUL in payload",
            format!("e30=\0.{signature}"),
            fails(3, "invalid byte '\\x00' at offset 4"),
            not_base64,
        ),
        case(
            "NUL only",
            "\0\0\0",
            fails(3, "invalid byte '\\x00' at offset 0"),
            no_signature,
        ),
        case(
            "invalid UTF-8 before decoding",
            b"\xff\xfe.00".to_vec(),
            fails(3, "invalid byte '\\xff' at offset 0"),
            not_base64,
        ),
        case(
            "invalid UTF-8 after decoding",
            signed(b"\xff\xfe"),
            not_json,
            not_json,
        ),
        case(
            "invalid UTF-8 in a JSON string",
            signed(b"{\"a\":\"\xff\"}"),
            fails(3, "invalid unicode code point"),
            not_json,
        ),
        case(
            "byte-order mark before the body",
            [&b"\xEF\xBB\xBF"[..], good.as_bytes()].concat(),
            OK,
            OK,
        ),
        case(
            "byte-order mark inside the body",
            format!("e30=\u{feff}.{signature}"),
            not_base64,
            not_base64,
        ),
        case(
            "byte-order mark inside the payload",
            signed(b"\xEF\xBB\xBF{}"),
            not_json,
            not_json,
        ),
        case(
            "bad padding",
            format!("e30==.{signature}"),
            fails(3, "invalid byte '=' at offset 3"),
            not_base64,
        ),
        case(
            "padding inside",
            format!("e3=0.{signature}"),
            not_base64,
            not_base64,
        ),
        case(
            "trailing bits",
            format!("e31=.{signature}"),
            fails(3, "bits that decode to nothing"),
            not_base64,
        ),
        case(
            "impossible length",
            format!("eyJhI.{signature}"),
            fails(3, "not a possible length"),
            not_base64,
        ),
        case(
            "mixed alphabets",
            format!("ab+c_def.{signature}"),
            fails(3, "mixes the URL-safe and standard"),
            not_base64,
        ),
        case(
            "JSON nested 10,000 deep in arrays",
            signed(deep_array.as_bytes()),
            fails(3, "recursion limit exceeded"),
            fails(3, "recursion limit exceeded"),
        ),
        case(
            "JSON nested 10,000 deep in objects",
            signed(deep_object.as_bytes()),
            fails(3, "recursion limit exceeded"),
            fails(3, "recursion limit exceeded"),
        ),
        case(
            "duplicate keys",
            signed(br#"{"event":"First","event":"Last"}"#),
            OK,
            OK,
        ),
        case(
            "integer beyond 64 bits",
            signed(br#"{"n":123456789012345678901234567890}"#),
            OK,
            OK,
        ),
        case("exponent beyond f64", signed(br#"{"n":-1e400}"#), OK, OK),
        case(
            "array payload, signed",
            signed(b"[1,2]"),
            OK,
            not_object("a webhook payload is an object, this is an array"),
        ),
        case(
            "string payload, signed",
            signed(br#""GivePlayerReward""#),
            OK,
            not_object("this is a string"),
        ),
        case(
            "null payload, signed",
            signed(b"null"),
            OK,
            not_object("this is null"),
        ),
        case(
            "number payload, signed",
            signed(b"42"),
            OK,
            not_object("this is a number"),
        ),
        case("payload not JSON", signed(b"not json"), not_json, not_json),
        case(
            "trailing text after the JSON",
            signed(b"{} x"),
            fails(3, "trailing characters"),
            not_json,
        ),
        case(
            "control character in a string",
            signed(b"{\"a\":\"\x01\"}"),
            fails(3, "control character"),
            not_json,
        ),
        case(
            "lone surrogate escape",
            signed(br#"{"a":"\ud800"}"#),
            not_json,
            not_json,
        ),
        case(
            "signature cut short",
            format!("{payload}.{}", &signature[..63]),
            OK,
            fails(3, "fewer than 64 hex digits"),
        ),
        case(
            "signature too long",
            format!("{payload}.{signature}0"),
            OK,
            fails(3, "more than 64 hex digits"),
        ),
        case(
            "signature in quotes",
            format!("{payload}.\"{signature}\""),
            OK,
            fails(3, "the signature is in quotes"),
        ),
        case(
            "signature wrapped",
            format!("{payload}.{}\n{}", &signature[..32], &signature[32..]),
            OK,
            fails(3, "line break inside"),
        ),
        case(
            "signature of a megabyte",
            format!("{payload}.{}", "ab".repeat(1 << 19)),
            OK,
            signature_format,
        ),
        case(
            "signature in upper case",
            format!("{payload}.{}", signature.to_uppercase()),
            OK,
            OK,
        ),
        case(
            "signature of zeros",
            format!("{payload}.{}", "0".repeat(64)),
            OK,
            fails(1, "signature does not match"),
        ),
        case(
            "body wrapped",
            format!("{}\n{}", &good[..10], &good[10..]),
            not_base64,
            fails(3, "payload has whitespace or a line break inside"),
        ),
        case(
            "body in quotes",
            format!("\"{good}\""),
            not_base64,
            fails(3, "the body is in quotes"),
        ),
        case(
            "JSON instead of a body",
            sample_text("reward.json"),
            not_base64,
            fails(3, "this is JSON, not a body"),
        ),
        case(
            "HTTP capture without a blank line",
            "POST / HTTP/1.1\r\nHost: x\r\n",
            fails(3, "no blank line"),
            fails(3, "no blank line"),
        ),
        case(
            "HTTP capture, chunked",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ne30=\r\n0\r\n\r\n",
            fails(3, "chunked"),
            fails(3, "chunked"),
        ),
        case(
            "HTTP capture with an empty body",
            "POST / HTTP/1.1\r\nHost: x\r\n\r\n",
            fails(3, "body is empty"),
            fails(3, "body is empty"),
        ),
        case(
            "HTTP capture, CRLF, good body",
            format!("POST /h HTTP/1.1\r\nContent-Length: 1\r\n\r\n{good}\r\n"),
            OK,
            OK,
        ),
        case(
            "a 64 MiB body",
            big,
            fails(3, "body too large: more than 16 MiB"),
            fails(3, "body too large"),
        ),
    ]
}

#[test]
fn the_corpus_has_over_forty_cases() {
    assert!(corpus().len() >= 40);
}

#[test]
fn decode_and_verify_answer_each_case_as_documented() {
    for Case {
        name,
        input,
        decode,
        verify,
    } in corpus()
    {
        for (args, expect) in [
            (&["decode"][..], decode),
            (&["verify", "--secret", SECRET], verify),
        ] {
            let output = gpwh()
                .args(args)
                .write_stdin(input.clone())
                .output()
                .unwrap();
            let said = stderr(&output);
            assert_eq!(
                output.status.code(),
                Some(expect.code),
                "{name}: {args:?}: {said}"
            );
            assert!(said.contains(expect.says), "{name}: {args:?}: {said}");
            assert!(!said.contains("panicked"), "{name}");
            if expect.code != 0 {
                assert_eq!(stdout(&output), "", "{name}: {args:?}");
                assert!(said.starts_with("gpwh: "), "{name}: {said}");
            }
        }
    }
}

#[test]
fn batch_mode_gives_each_case_the_verdict_verify_gives() {
    for Case { name, input, .. } in corpus() {
        if input.contains(&b'\n') || input.trim_ascii().is_empty() {
            continue;
        }
        let single = gpwh()
            .args(["verify", "--json", "--secret", SECRET])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        let single: Value = serde_json::from_slice(&single.stdout).unwrap();
        let batch = gpwh()
            .args(["verify", "--lines", "--secret", SECRET])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        let verdict: Value =
            serde_json::from_str(stdout(&batch).trim_end()).unwrap_or_else(|_| panic!("{name}"));
        if input.len() > 1 << 20 {
            assert_eq!(verdict["error"], "line-too-long", "{name}");
            continue;
        }
        for field in ["valid", "error", "message", "hint", "event"] {
            assert_eq!(verdict.get(field), single.get(field), "{name}: {field}");
        }
        let decoded = gpwh()
            .args(["decode", "--lines"])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        assert!(matches!(decoded.status.code(), Some(0 | 3)), "{name}");
    }
}

#[test]
fn sign_refuses_each_case_that_is_not_a_json_object() {
    for Case { name, input, .. } in corpus() {
        let is_object =
            serde_json::from_slice::<Value>(input.trim_ascii()).is_ok_and(|v| v.is_object());
        let output = gpwh()
            .args(["sign", "--secret", SECRET])
            .write_stdin(input)
            .output()
            .unwrap();
        if is_object {
            assert_eq!(output.status.code(), Some(0), "{name}");
        } else {
            assert_eq!(output.status.code(), Some(3), "{name}: {output:?}");
            let said = stderr(&output);
            assert!(
                said.starts_with("gpwh: input is ") || said.starts_with("gpwh: body too large"),
                "{name}: {said}"
            );
        }
    }
}

#[test]
fn duplicate_keys_keep_the_last_value_in_the_first_place() {
    let body = signed(br#"{"event":"First","n":1,"event":"Last"}"#);
    gpwh()
        .args(["decode", "-c"])
        .write_stdin(body.clone())
        .assert()
        .success()
        .stdout("{\"event\":\"Last\",\"n\":1}\n");
    let output = gpwh()
        .args(["verify", "--json", "--secret", SECRET])
        .write_stdin(body)
        .output()
        .unwrap();
    let verdict: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(verdict["event"], "Last");
}

#[test]
fn big_numbers_survive_decode_and_sign_digit_for_digit() {
    let json =
        r#"{"event":"x","n":123456789012345678901234567890,"m":-0.000000000000000000000000001}"#;
    let body = signed_str(json);
    gpwh()
        .args(["decode", "-c", &body])
        .assert()
        .success()
        .stdout(format!("{json}\n"));
    let resigned = gpwh()
        .args(["sign", "--secret", SECRET, "--set", "extra=1", json])
        .output()
        .unwrap()
        .stdout;
    let decoded = gpwh()
        .args(["decode", "-r"])
        .write_stdin(resigned)
        .output()
        .unwrap()
        .stdout;
    assert!(
        String::from_utf8(decoded)
            .unwrap()
            .contains("123456789012345678901234567890,\"m\":-0.000000000000000000000000001")
    );
}

/// Every message is made inert on its way out (messages.rs): a name with
/// an escape sequence in it reaches the terminal as text, not as colour.
#[test]
fn a_message_carries_control_characters_inert() {
    let output = gpwh()
        .args(["verify", "--secret", "x", "@no\u{1b}[31mfile"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(!said.contains('\u{1b}'), "{said:?}");
    assert!(said.contains("no\\u{1b}[31mfile"), "{said:?}");
}
