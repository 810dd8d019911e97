//! `gpwh probe` against real handlers on 127.0.0.1: handlers with one
//! flaw each, served in-process (`handlers.rs`), which the case about that
//! flaw must catch, and a correct one, which must pass everything; and the
//! Node.js receiver, which must pass everything too (every other recipe is
//! graded in `receivers.rs`). Node.js is required for that one alone:
//! `.ci/run` installs it when the machine lacks it, and a missing one fails
//! the test, never skips it.

use std::net::TcpListener;

use serde_json::Value;

use crate::handlers::Flaw;
// https.rs grades the Node.js recipe through it.
pub use crate::handlers::Handler;
use crate::support::{RefusingPort, gpwh, stderr, stdout};

/// A distinctive key, to look for in everything probe prints.
pub const SECRET: &str = "probe-secret-7f3a";

/// Runs probe with the secret and `--json`; the exit code and the report.
fn probe_json(url: &str, args: &[&str]) -> (i32, Value) {
    let output = gpwh()
        .args(["probe", "--json", "--secret", SECRET])
        .args(args)
        .arg(url)
        .output()
        .unwrap();
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(!out.contains(SECRET) && !err.contains(SECRET));
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    assert_eq!(report["url"], url);
    (output.status.code().unwrap(), report)
}

/// The grade and reason of the case called `name`.
pub fn graded<'a>(report: &'a Value, name: &str) -> (&'a str, &'a str) {
    let case = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no case {name} in {report}"));
    (
        case["grade"].as_str().unwrap(),
        case["reason"].as_str().unwrap_or(""),
    )
}

/// The names of the cases with `grade`.
fn with_grade<'a>(report: &'a Value, grade: &str) -> Vec<&'a str> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["grade"] == grade)
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

/// A shipped receiver must pass every case of the strictest run.
fn passes_everything(handler: &Handler) {
    let (code, report) = probe_json(&handler.url, &["--all-events", "--strict"]);
    assert_eq!(with_grade(&report, "fail"), Vec::<&str>::new(), "{report}");
    assert_eq!(with_grade(&report, "warn"), Vec::<&str>::new(), "{report}");
    assert_eq!(code, 0);
    let counts = &report["counts"];
    assert_eq!(counts["checks"], 52);
    assert_eq!(counts["pass"], 52);
    assert_eq!(report["advice"], serde_json::json!([]));
    for case in report["cases"].as_array().unwrap() {
        assert!(case["ms"].as_f64().unwrap() >= 0.0);
        assert!((200..500).contains(&case["status"].as_u64().unwrap()));
    }
}

/// Every recipe passes too (tests/cli/receivers.rs); this one pins the
/// report that a passing run gives.
#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Node.js and Python 3 for its handlers: GPWH_TEST_ALL=1 runs it"
)]
fn the_node_receiver_passes_everything() {
    passes_everything(&Handler::node_recipe());
}

/// The same report from a correct handler, with Rust alone.
#[test]
fn a_correct_handler_passes_everything() {
    passes_everything(&Handler::correct());
}

#[test]
fn the_vendors_example_fails_on_the_valid_body() {
    let handler = Handler::flawed(Flaw::Vendor);
    let (code, report) = probe_json(&handler.url, &[]);
    assert_eq!(code, 1);
    let (grade, reason) = graded(&report, "valid-body");
    assert_eq!(grade, "fail");
    assert!(reason.starts_with("refused with 400: a correct handler accepts it"));
}

#[test]
fn a_handler_that_accepts_everything_fails_every_forgery() {
    let handler = Handler::flawed(Flaw::AcceptAll);
    let output = gpwh()
        .args(["probe", "--secret", SECRET, &handler.url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(!out.contains(SECRET) && !err.contains(SECRET));
    for forgery in [
        "signature-digit-changed",
        "signed-with-other-key",
        "payload-changed",
        "signature-over-json",
        "no-signature",
        "empty-body",
        "payload-not-base64",
    ] {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(forgery))
            .unwrap_or_else(|| panic!("no line for {forgery} in {out}"));
        assert!(line.starts_with("FAIL  "), "{line}");
        assert!(line.contains(" 200 ") && line.contains("accepted with 200: "));
    }
    assert!(out.lines().any(|l| l.starts_with("WARN  replayed-body ")));
    assert_eq!(
        out.lines().last(),
        Some("19 checks: 11 pass, 7 fail, 1 warn")
    );
    assert_eq!(out.lines().count(), 20);
    assert_eq!(
        err,
        format!(
            "gpwh: sending 20 test webhooks, signed with your secret key, to {}\n\
             gpwh: their valid bodies take effect like real ones (a purchase is granted): their \
             players are test players (player.test: true), which your handler can check\n",
            handler.url
        )
    );
}

#[test]
fn a_handler_that_refuses_everything_fails_the_valid_body() {
    let handler = Handler::flawed(Flaw::RejectAll);
    let (code, report) = probe_json(&handler.url, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        with_grade(&report, "fail"),
        [
            "valid-body",
            "content-type-json",
            "content-type-form",
            "content-type-octet-stream",
            "no-content-type"
        ]
    );
    // The types are not why: the valid body was refused as well.
    let (_, reason) = graded(&report, "no-content-type");
    assert!(reason.contains("the Content-Type is not why"), "{reason}");
    assert_eq!(report["advice"].as_array().unwrap().len(), 1);
    assert!(
        report["advice"][0]
            .as_str()
            .unwrap()
            .contains("hash the payload part exactly as received")
    );
    assert_eq!(
        with_grade(&report, "warn"),
        [
            "unknown-event",
            "extra-fields",
            "delayed-delivery",
            "redelivery",
            "uppercase-hex",
            "base64-digest"
        ]
    );
    let (_, reason) = graded(&report, "redelivery");
    assert!(reason.starts_with("refused with 400"), "{reason}");
}

#[test]
fn a_handler_that_refuses_unknown_events_is_caught() {
    let handler = Handler::flawed(Flaw::KnownEvents);
    let (code, report) = probe_json(&handler.url, &[]);
    assert_eq!(with_grade(&report, "warn"), ["unknown-event"]);
    assert!(
        graded(&report, "unknown-event")
            .1
            .contains("GamePush adds operations")
    );
    assert_eq!(code, 0, "a warning alone does not fail");
    let (code, report) = probe_json(&handler.url, &["--strict"]);
    assert_eq!(code, 1, "--strict fails on warnings");
    assert_eq!(with_grade(&report, "fail"), Vec::<&str>::new());
    // Listed events it does not know are failures: GamePush sends them.
    let (code, report) = probe_json(&handler.url, &["--all-events"]);
    assert_eq!(code, 1);
    let failed = with_grade(&report, "fail");
    assert_eq!(failed.len(), 31, "all but the two it knows: {failed:?}");
    assert!(failed.contains(&"event-sync-player"));
    assert!(!failed.contains(&"event-give-player-reward"));
}

#[test]
fn a_handler_without_a_replay_window_is_caught() {
    let handler = Handler::flawed(Flaw::NoWindow);
    let (code, report) = probe_json(&handler.url, &[]);
    assert_eq!(with_grade(&report, "warn"), ["replayed-body"]);
    assert!(
        graded(&report, "replayed-body")
            .1
            .starts_with("accepted with 200")
    );
    assert_eq!(code, 0);
    assert_eq!(probe_json(&handler.url, &["--strict"]).0, 1);
}

/// The bet every recipe made before: lowercase hex only, and a window of
/// ten minutes. Each of the three refusals may be every real delivery.
#[test]
fn a_handler_that_bets_on_hex_and_minutes_is_warned_three_times() {
    let handler = Handler::flawed(Flaw::HexAndMinutes);
    let (code, report) = probe_json(&handler.url, &["--all-events"]);
    assert_eq!(
        with_grade(&report, "warn"),
        ["delayed-delivery", "uppercase-hex", "base64-digest"]
    );
    assert_eq!(with_grade(&report, "fail"), Vec::<&str>::new());
    assert_eq!(code, 0);
    for form in ["uppercase-hex", "base64-digest"] {
        let (_, reason) = graded(&report, form);
        assert!(
            reason.starts_with(
                "refused with 400: until you have seen a real delivery, a refused encoding may \
                 be every real delivery"
            ),
            "{reason}"
        );
    }
    let (_, reason) = graded(&report, "delayed-delivery");
    assert!(
        reason.starts_with(
            "refused with 400: a delivery repeated after downtime carries the operation's time"
        ),
        "{reason}"
    );
    assert_eq!(probe_json(&handler.url, &["--strict"]).0, 1);
}

#[test]
fn refusals_with_5xx_are_warned_about() {
    let handler = Handler::flawed(Flaw::ServerError);
    let (code, report) = probe_json(&handler.url, &[]);
    assert_eq!(code, 0);
    let warned = with_grade(&report, "warn");
    assert_eq!(warned.len(), 8, "{warned:?}");
    assert!(warned.contains(&"payload-changed") && warned.contains(&"replayed-body"));
    assert!(
        graded(&report, "empty-body")
            .1
            .starts_with("refused with 500: refuse with 4xx")
    );
    assert_eq!(graded(&report, "base64-digest").0, "pass");
}

#[test]
fn a_handler_that_refuses_a_redelivery_is_caught() {
    let handler = Handler::flawed(Flaw::Once);
    let (code, report) = probe_json(&handler.url, &[]);
    assert_eq!(code, 0);
    assert_eq!(with_grade(&report, "warn"), ["redelivery"]);
    let case = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "redelivery")
        .unwrap();
    assert_eq!(case["status"], 409);
    assert!(
        case["reason"]
            .as_str()
            .unwrap()
            .starts_with("accepted the first delivery, then refused with 409")
    );
}

#[test]
fn a_slow_answer_is_warned_about() {
    let handler = Handler::flawed(Flaw::Slow);
    let (code, report) = probe_json(&handler.url, &[]);
    assert_eq!(code, 0);
    assert_eq!(with_grade(&report, "warn"), ["valid-body"]);
    assert!(
        graded(&report, "valid-body")
            .1
            .starts_with("answered in 5.")
    );
    let ms = report["cases"][0]["ms"].as_f64().unwrap();
    assert!(ms > 5000.0, "{ms}");
}

#[test]
fn redirects_are_reported_and_never_followed() {
    let handler = Handler::flawed(Flaw::Redirect);
    let (code, report) = probe_json(&handler.url, &[]);
    assert_eq!(code, 1);
    let (grade, reason) = graded(&report, "valid-body");
    assert_eq!(grade, "fail");
    assert!(reason.contains("302, a redirect to /moved"), "{reason}");
    for case in report["cases"].as_array().unwrap() {
        assert_eq!(case["status"], 302, "only the redirects were seen");
    }
}

#[test]
fn an_unreachable_url_exits_4_at_once() {
    let refusing = RefusingPort::new();
    let port = refusing.port;
    let output = gpwh()
        .args(["probe", "--secret", SECRET])
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(output.stdout.is_empty());
    assert!(stderr(&output).contains(&format!(
        "gpwh: could not reach http://127.0.0.1:{port}/: connection refused"
    )));
}

#[test]
fn dry_run_lists_every_case_with_its_curl_command_and_sends_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let output = gpwh()
        .args(["probe", "--dry-run", "--all-events", &url])
        .env("GPWH_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let script = stdout(&output);
    assert!(!script.contains(SECRET) && output.stderr.is_empty());
    let comments: Vec<&str> = script.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(comments.len(), 52);
    assert!(comments[0].starts_with("# valid-body: a valid GivePlayerReward body"));
    let curls = script.lines().filter(|l| l.starts_with("curl ")).count();
    assert_eq!(curls, 53, "the redelivery is sent twice");
    assert!(script.contains(&format!("'{url}'\n")));
    assert!(
        listener.accept().is_err(),
        "a dry run connected to the server"
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let no_secret = gpwh()
        .args(["probe", "http://127.0.0.1:9/"])
        .output()
        .unwrap();
    assert_eq!(no_secret.status.code(), Some(2));
    assert!(stderr(&no_secret).contains("no secret key"));

    let not_http = gpwh()
        .args(["probe", "--secret", SECRET, "ftp://host/"])
        .output()
        .unwrap();
    assert_eq!(not_http.status.code(), Some(2));
    assert!(stderr(&not_http).contains("'ftp://host/' is not an http:// or https:// URL"));

    let unknown = gpwh()
        .args([
            "probe",
            "--secret",
            SECRET,
            "--event",
            "reward",
            "http://h/",
        ])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean GivePlayerReward?"));
}

/// The bodies and Content-Types of a `--dry-run` script, in order.
fn scripted(script: &str) -> Vec<(Option<String>, Value)> {
    script
        .lines()
        .filter(|l| l.starts_with("curl "))
        .map(|line| {
            let quoted = |flag: &str| {
                line.split(flag)
                    .nth(1)
                    .and_then(|rest| rest.strip_prefix(" '"))
                    .map(|rest| rest[..rest.find('\'').unwrap()].to_owned())
            };
            let content_type = line
                .split(" -H '")
                .skip(1)
                .map(|h| &h[..h.find('\'').unwrap()])
                .find(|h| h.to_ascii_lowercase().starts_with("content-type:"))
                .map(|h| h["content-type:".len()..].trim().to_owned())
                .filter(|t| !t.is_empty());
            let body = quoted("--data-raw").unwrap();
            let json = gpwh_webhooks::Verifier::new([])
                .read_unverified(body.as_bytes())
                .map_or(Value::Null, gpwh_webhooks::Payload::into_json);
            (content_type, json)
        })
        .collect()
}

#[test]
fn every_body_is_a_test_player_and_a_new_purchase_under_every_content_type() {
    let run = |extra: &[&str]| {
        let output = gpwh()
            .args(["probe", "--dry-run", "--event", "PurchasePlayerPurchase"])
            .args(extra)
            .arg("http://127.0.0.1:9/hook")
            .env("GPWH_SECRET", SECRET)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        scripted(&stdout(&output))
    };
    let sent = run(&["--all-events"]);
    let mut ids: Vec<&str> = sent
        .iter()
        .filter_map(|(_, json)| json.pointer("/result/purchase/_id")?.as_str())
        .collect();
    // The redelivery is one purchase, sent twice; payload-changed changes
    // signature-digit-changed's body.
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count - 2, "two purchases share an id");
    let players: Vec<&Value> = sent
        .iter()
        .filter_map(|(_, json)| json.pointer("/player/test"))
        .collect();
    assert!(players.len() > 40);
    assert!(players.iter().all(|test| **test == Value::Bool(true)));
    let real = run(&["--real-players"]);
    assert!(
        real.iter()
            .filter_map(|(_, json)| json.pointer("/player/test"))
            .all(|test| *test == Value::Bool(false))
    );

    let plain = run(&[]);
    let types: Vec<Option<&str>> = plain[..5].iter().map(|(t, _)| t.as_deref()).collect();
    assert_eq!(
        types,
        [
            Some("text/plain; charset=utf-8"),
            Some("application/json"),
            Some("application/x-www-form-urlencoded"),
            Some("application/octet-stream"),
            None
        ]
    );
    // -H changes the run's type, not the cases that set their own.
    let json = run(&["-H", "Content-Type: application/json"]);
    assert_eq!(json[0].0.as_deref(), Some("application/json"));
    assert_eq!(
        json[2].0.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(json[4].0, None);
}

#[test]
fn a_json_or_form_parser_in_front_of_the_handler_fails_probe() {
    let handler = Handler::flawed(Flaw::BodyParser);
    let (code, report) = probe_json(&handler.url, &["--all-events", "--strict"]);
    assert_eq!(code, 1);
    assert_eq!(
        with_grade(&report, "fail"),
        ["content-type-json", "content-type-form"]
    );
    assert_eq!(graded(&report, "valid-body").0, "pass");
    let (_, reason) = graded(&report, "content-type-json");
    assert!(
        reason.contains("read the raw body whatever the header says"),
        "{reason}"
    );
    let said = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "content-type-json")
        .unwrap()["said"]
        .as_str()
        .unwrap();
    assert!(said.starts_with("SyntaxError: Unexpected token"), "{said}");
    let advice = report["advice"][0].as_str().unwrap();
    assert!(
        advice.contains("not as application/json, application/x-www-form-urlencoded:"),
        "{advice}"
    );

    let output = gpwh()
        .args(["probe", "--secret", SECRET, &handler.url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    let line = out
        .lines()
        .find(|l| l.starts_with("FAIL  content-type-json "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("(it said: \"SyntaxError: Unexpected token"),
        "{line}"
    );
    assert!(
        out.contains("\nadvice: the handler takes a valid body"),
        "{out}"
    );
}

#[test]
fn each_way_a_valid_body_fails_gets_its_own_advice() {
    let advice_for = |handler: &Handler, path: &str| {
        let url = format!("{}{path}", handler.url.trim_end_matches('/'));
        let (code, report) = probe_json(&url, &[]);
        assert_eq!(code, 1, "{report}");
        let advice = report["advice"].as_array().unwrap();
        assert_eq!(advice.len(), 1, "{report}");
        let said = report["cases"][0]["said"].as_str().unwrap_or("").to_owned();
        (advice[0].as_str().unwrap().to_owned(), said)
    };
    // A server with another key, and one whose key ends with a newline.
    for handler in [
        Handler::keyed("another-key"),
        Handler::keyed(&format!("{SECRET}\n")),
    ] {
        let (advice, said) = advice_for(&handler, "");
        assert!(
            advice.contains("its secret key is not the one probe was given"),
            "{advice}"
        );
        assert!(advice.contains("newline"), "{advice}");
        assert_eq!(said, "signature does not match");
    }

    // A wrong path: Express's 404 on every case.
    let routed = Handler::routed("/webhooks/gamepush");
    let (advice, said) = advice_for(&routed, "/webhook");
    assert!(
        advice.starts_with("every case was answered 404"),
        "{advice}"
    );
    assert!(advice.contains("check its path"), "{advice}");
    assert!(!advice.contains("hash"), "{advice}");
    assert_eq!(said, "Cannot POST /webhook");
    // The same server, at the right path, passes.
    let (code, _) = probe_json(&format!("{}/webhooks/gamepush", routed.url), &[]);
    assert_eq!(code, 0);

    // A handler that throws: 500 on every case.
    let (advice, said) = advice_for(&Handler::flawed(Flaw::Throws), "");
    assert!(
        advice.starts_with("every case was answered 5xx"),
        "{advice}"
    );
    assert!(said.starts_with("TypeError"), "{said}");

    // The human report says the same, after the cases.
    let output = gpwh()
        .args(["probe", "--secret", SECRET])
        .arg(format!("{}/webhook", routed.url))
        .output()
        .unwrap();
    let out = stdout(&output);
    assert!(
        out.contains("refused with 404: nothing at this URL takes the webhook: check its path (it said: \"Cannot POST /webhook\")"),
        "{out}"
    );
    assert!(
        out.contains("\nadvice: every case was answered 404"),
        "{out}"
    );
}

/// A redirect whose `Location` holds what a terminal acts on (a C1 CSI, a
/// bidi override and mark) and what GitHub would link (a URL, `www.`, a
/// mention, an issue number).
const HOSTILE_REDIRECT: &str = "302 Found\r\nLocation: https://evil.example/x\u{9b}31m\u{202e}\u{200f} www.evil.example @octocat #1";

/// Whether `text` holds a character of the Location's that a terminal acts on.
fn holds_active(text: &str) -> bool {
    text.contains(['\u{9b}', '\u{202e}', '\u{200f}', '\u{1b}'])
}

/// The `Location` a handler chose reaches the reason: inert on the
/// terminal and in the annotations, and in the job summary linking
/// nowhere and mentioning no one.
#[test]
fn a_location_from_the_handler_is_inert_and_links_nowhere() {
    let (url, _requests) = crate::support::app(HOSTILE_REDIRECT, "");
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let output = gpwh()
        .args(["probe", "--secret", SECRET, &url])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(
        out.contains("a redirect to https://evil.example/x\\u{9b}31m\\u{202e}\\u{200f} www."),
        "{out}"
    );
    assert!(!holds_active(&out), "raw on stdout: {out:?}");
    assert!(err.contains("\n::error title="), "{err}");
    assert!(!holds_active(&err), "raw in the annotations: {err:?}");
    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert!(!holds_active(&markdown), "raw in the summary: {markdown:?}");
    let table = &markdown[markdown.find("| Grade").unwrap()..];
    for linked in ["://", "www.", "@octocat", "#1"] {
        assert!(!table.contains(linked), "{linked} in {table}");
    }
    assert!(table.contains("https:&#8203;//evil.example/x"), "{table}");
}
