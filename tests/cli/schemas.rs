//! Real output of every command a script reads, validated against the
//! schema committed for it in docs/schemas/ (written from the types by
//! `GPWH_UPDATE_SCHEMAS=1 cargo test --bins schemas`).

use gpwh_webhooks::{Secret, SignatureEncoding};
use serde_json::Value;

use crate::listen::Listening;
use crate::support::{SAMPLE_SECRET, as_curl, gpwh, repo, stdout};

/// Fails with every error when `instance` is not valid against
/// docs/schemas/`file`.
pub fn assert_valid(file: &str, instance: &Value) {
    let text = std::fs::read_to_string(repo().join("docs/schemas").join(file))
        .unwrap_or_else(|e| panic!("docs/schemas/{file}: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("docs/schemas/{file} is not a schema: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid against {file}: {errors:#?}\n{instance:#}"
    );
}

/// Each line of `text` as JSON.
fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[test]
fn verify_json_verdicts_match_their_schema() {
    let forms = [
        vec!["@samples/reward.body"],
        vec!["@samples/reward.json"],
        vec!["not a body"],
    ];
    for args in forms {
        let output = gpwh()
            .args(["verify", "--json", "--secret", SAMPLE_SECRET])
            .args(&args)
            .output()
            .unwrap();
        let verdict: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_valid("verdict.json", &verdict);
    }
    // And a verdict that breaks it is caught: the schema says something.
    let broken = serde_json::json!({"valid": true, "error": "stale"});
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/schemas/verdict.json")).unwrap(),
    )
    .unwrap();
    assert!(!jsonschema::is_valid(&schema, &broken));
}

#[test]
fn verify_lines_records_match_their_schema() {
    let output = gpwh()
        .args(["verify", "--lines", "--secret", SAMPLE_SECRET])
        .args(["@samples/reward.body", "@samples/reward.json"])
        .output()
        .unwrap();
    let records = lines(&stdout(&output));
    assert_eq!(records.len(), 2);
    for record in &records {
        assert_valid("line-verdict.json", record);
    }
}

#[test]
fn listen_log_and_json_lines_match_their_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("listen.log");
    let server = Listening::start_with_secret(
        "k",
        &["--json", "--log", log.to_str().unwrap(), "--respond", "503"],
    );
    let valid = gpwh_webhooks::sign(
        br#"{"event":"GivePlayerReward","player":{"id":7}}"#,
        &Secret::from("k"),
        SignatureEncoding::Hex,
    );
    let url = format!("http://{}/webhooks/gamepush", server.url);
    // Not UTF-8: logged as body_base64.
    let binary = dir.path().join("binary");
    std::fs::write(&binary, b"\xff\xfe.00").unwrap();
    let binary = format!("@{}", binary.display());
    for body in [valid.as_str(), "not a body", binary.as_str()] {
        as_curl(&["-sS", "--data-binary", body, &url]);
    }
    as_curl(&["-sS", &url]);
    let (code, out) = server.stop();
    assert_eq!(code, Some(0));
    let shown = lines(&out);
    assert_eq!(shown.len(), 4, "{out}");
    for line in &shown {
        assert_valid("listen-line.json", line);
    }
    let logged = lines(&std::fs::read_to_string(&log).unwrap());
    assert_eq!(logged.len(), 4);
    for record in &logged {
        assert_valid("listen-log.json", record);
    }

    // And what facts makes of that log.
    let output = gpwh().args(["facts", "--json"]).arg(&log).output().unwrap();
    let facts: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(facts["requests"], 4);
    assert_valid("facts.json", &facts);
}

#[test]
fn events_json_matches_its_schemas() {
    let output = gpwh().args(["events", "--json"]).output().unwrap();
    assert_valid(
        "events.json",
        &serde_json::from_str(&stdout(&output)).unwrap(),
    );
    for event in ["PurchasePlayerPurchase", "GivePlayerReward"] {
        let output = gpwh().args(["events", event, "--json"]).output().unwrap();
        assert_valid(
            "event.json",
            &serde_json::from_str(&stdout(&output)).unwrap(),
        );
    }
}

#[test]
fn probe_json_report_matches_its_schema() {
    // listen is the handler: it accepts valid bodies and refuses the rest,
    // which earns a report with passes and failures alike.
    let server = Listening::start_with_secret("k", &[]);
    let output = gpwh()
        .args(["probe", "--json", "--secret", "k"])
        .arg(format!("http://{}/", server.url))
        .output()
        .unwrap();
    drop(server);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        report["cases"]
            .as_array()
            .is_some_and(|cases| cases.len() > 5)
    );
    assert_valid("probe-report.json", &report);
}
