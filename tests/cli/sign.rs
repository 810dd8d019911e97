//! `gpwh sign`: bodies byte-identical to ones computed with coreutils,
//! openssl and Python.

use predicates::prelude::*;

use crate::support::{SAMPLE_SECRET, gpwh, sample, sample_text};

#[test]
fn signs_the_sample_exactly_as_sha256sum_did() {
    // samples/make.sh computed reward.body with base64 and sha256sum.
    gpwh()
        .args(["sign", "--secret", SAMPLE_SECRET, "@samples/reward.json"])
        .assert()
        .success()
        .stdout(sample("reward.body"))
        .stderr("");
}

#[test]
fn base64_encoding_matches_openssl() {
    // samples/make.sh computed this one with openssl dgst -binary | base64.
    gpwh()
        .args([
            "sign",
            "--secret-file",
            "samples/secret.txt",
            "--encoding",
            "base64",
        ])
        .write_stdin(sample("reward.json"))
        .assert()
        .success()
        .stdout(sample("reward-base64-digest.body"));
}

#[test]
fn pretty_input_is_compacted_before_signing() {
    let json: serde_json::Value = serde_json::from_slice(&sample("reward.json")).unwrap();
    let pretty = serde_json::to_string_pretty(&json).unwrap();
    assert_ne!(pretty.as_bytes(), sample("reward.json"));
    gpwh()
        .args(["sign", "--secret", SAMPLE_SECRET, "-"])
        .write_stdin(format!("{pretty}\n"))
        .assert()
        .success()
        .stdout(sample("reward.body"));
}

#[test]
fn verbatim_signs_the_text_as_given() {
    // printf '%s' '{ "event": "GivePlayerReward" }' | base64
    // printf '%s_%s' eyAiZXZlbnQiOiAiR2l2ZVBsYXllclJld2FyZCIgfQ== demo | sha256sum
    gpwh()
        .args([
            "sign",
            "--secret",
            "demo",
            "--verbatim",
            "{ \"event\": \"GivePlayerReward\" }\n",
        ])
        .assert()
        .success()
        .stdout(
            "eyAiZXZlbnQiOiAiR2l2ZVBsYXllclJld2FyZCIgfQ==.\
             3af8fddee0718802fbd62674a2bdd8c0f1b25842256be8facdc3526e3ec1734d",
        );
}

#[test]
fn unicode_and_number_text_survive_signing() {
    // Python: p = '{"event":"Ünïcode","n":[1.5e+300,-0.0]}'.encode(); b = base64.b64encode(p)
    // hashlib.sha256(b + '_ключ-🔑'.encode()).hexdigest()
    gpwh()
        .args([
            "sign",
            "--secret",
            "ключ-🔑",
            r#"{"event": "Ünïcode", "n": [1.5e+300, -0.0]}"#,
        ])
        .assert()
        .success()
        .stdout(
            "eyJldmVudCI6IsOcbsOvY29kZSIsIm4iOlsxLjVlKzMwMCwtMC4wXX0=.\
             d57a3e647db7ef807dbff0ff51649c600997f081ece5d0413bcda552d022cd3d",
        );
}

#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs util-linux script for a terminal: GPWH_TEST_ALL=1 runs it"
)]
fn a_newline_ends_the_body_only_on_a_terminal() {
    let payload = r#"{"time":"2026-12-07T10:00:00Z"}"#;
    let (code, shown) = crate::support::on_terminal(&["sign", "--secret", "demo", payload], &[]);
    assert_eq!(code, 0);
    // B=$(printf %s "$payload" | base64 -w0); printf '%s_%s' "$B" demo | sha256sum
    let body = "eyJ0aW1lIjoiMjAyNi0xMi0wN1QxMDowMDowMFoifQ==.\
                85c2365435c8b085eb9b12398804a9673d7ba7d040811f8e0c673c5367c8f8d2";
    assert_eq!(shown, format!("{body}\n"));
    gpwh()
        .args(["sign", "--secret", "demo", payload])
        .assert()
        .stdout(body);
}

#[test]
fn signed_bodies_verify() {
    let signed = gpwh()
        .args(["sign", "--secret", "ключ-🔑", "@samples/record.json"])
        .output()
        .unwrap();
    assert!(signed.status.success());
    gpwh()
        .args(["verify", "-r", "--secret", "ключ-🔑"])
        .write_stdin(signed.stdout)
        .assert()
        .success()
        .stdout(sample("record.json"));
}

#[test]
fn input_that_is_not_json_exits_3() {
    for (input, message) in [
        (
            "{event: 1}",
            "input is not JSON: key must be a string at line 1 column 2",
        ),
        (
            "{\"a\":1} x",
            "input is not JSON: trailing characters at line 1 column 9",
        ),
        (
            "",
            "input is not JSON: EOF while parsing a value at line 1 column 0",
        ),
    ] {
        gpwh()
            .args(["sign", "--secret", "demo"])
            .write_stdin(input)
            .assert()
            .code(3)
            .stdout("")
            .stderr(format!("gpwh: {message}\n"));
    }
}

#[test]
fn sign_takes_exactly_one_secret() {
    gpwh()
        .args(["sign", "--secret", "a", "--secret", "b", "{}"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("gpwh: sign takes one secret key, got 2: give --secret or --secret-file once\n");
}

#[test]
fn the_body_round_trips_through_decode() {
    let body = sample_text("reward.body");
    let raw = gpwh()
        .args(["decode", "-r", &body])
        .output()
        .unwrap()
        .stdout;
    gpwh()
        .args(["sign", "--secret", SAMPLE_SECRET])
        .write_stdin(raw)
        .assert()
        .success()
        .stdout(predicate::eq(body.as_bytes()));
}

/// The purchase id of a body that `gpwh sign` printed.
fn purchase_id(args: &[&str]) -> String {
    let output = gpwh()
        .args(["sign", "--secret", "k", "--event", "PurchasePlayerPurchase"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success());
    let payload = gpwh_webhooks::Verifier::new([])
        .read_unverified(&output.stdout)
        .unwrap();
    payload.json()["result"]["purchase"]["_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn two_forged_purchases_are_two_purchases_unless_the_id_is_set() {
    let (first, second) = (purchase_id(&[]), purchase_id(&[]));
    assert_ne!(first, second);
    for id in [&first, &second] {
        assert_eq!(id.len(), 24, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    }
    // Not the template's id, which every receiver would have seen already.
    let template = gpwh_webhooks::Event::find("PurchasePlayerPurchase")
        .unwrap()
        .template(gpwh_webhooks::EXAMPLE_TIME);
    assert_ne!(template["result"]["purchase"]["_id"], first.as_str());
    let set = ["--set-str", "result.purchase._id=order-42"];
    assert_eq!(purchase_id(&set), "order-42");
    assert_eq!(purchase_id(&set), "order-42");
    // `--time now` is new each time; a fixed time makes the same body.
    assert_ne!(
        purchase_id(&["--time", "now"]),
        purchase_id(&["--time", "NOW"])
    );
    let fixed = ["--time", gpwh_webhooks::EXAMPLE_TIME];
    assert_eq!(purchase_id(&fixed), "65f1c0ffee00000000009a01");
}

#[test]
fn a_payload_without_a_time_is_signed_with_a_warning() {
    gpwh()
        .args(["sign", "--secret", "k", r#"{"event":"GivePlayerReward"}"#])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: the payload has no time, so a receiver that keeps a replay window refuses it",
        ))
        .stderr(predicate::str::contains("add --time now"));
    gpwh()
        .args([
            "sign",
            "--secret",
            "k",
            r#"{"event":"GivePlayerReward","time":"soon"}"#,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "a time that is not an RFC 3339 time",
        ));
    for args in [
        &["--time", "now", r#"{"event":"GivePlayerReward"}"#][..],
        &["--event", "GivePlayerReward"],
    ] {
        gpwh()
            .args(["sign", "--secret", "k"])
            .args(args)
            .assert()
            .success()
            .stderr("");
    }
}
