//! `gpwh sign --event`: a realistic, signed body for every event, with
//! fields overridden from the command line.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{SAMPLE_SECRET, gpwh, keys, sample_text, stdout};

const TIME: &str = "2024-04-26T11:34:23.415923998Z";

fn event_names() -> Vec<String> {
    stdout(&gpwh().arg("events").output().unwrap())
        .lines()
        .map(|line| line.split('\t').next().unwrap().to_owned())
        .collect()
}

fn forged(args: &[&str]) -> Vec<u8> {
    let output = gpwh()
        .args(["sign", "--secret", "forge-secret"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    output.stdout
}

fn decoded(body: Vec<u8>) -> Value {
    serde_json::from_slice(
        &gpwh()
            .args(["decode", "-c"])
            .write_stdin(body)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
}

#[test]
fn every_event_forges_a_body_that_verifies_as_itself() {
    let names = event_names();
    assert_eq!(names.len(), 33);
    for name in names {
        let body = forged(&["--event", &name.to_ascii_lowercase()]);
        let output = gpwh()
            .args(["verify", "--secret", "forge-secret", "--json"])
            .write_stdin(body)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{name}");
        let verdict: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(verdict["event"], name.as_str());
        let payload = &verdict["payload"];
        assert_eq!(
            keys(payload),
            ["event", "player", "result", "time"],
            "{name}"
        );
        let player = payload["player"].as_object().unwrap();
        for field in ["id", "projectId"] {
            assert!(player[field].is_u64(), "{name}: player.{field}");
        }
        for field in [
            "name",
            "avatar",
            "credentials",
            "platformType",
            "modifiedAt",
        ] {
            assert!(player[field].is_string(), "{name}: player.{field}");
        }
        for field in ["active", "removed", "test"] {
            assert!(player[field].is_boolean(), "{name}: player.{field}");
        }
        assert_eq!(player.len(), 10, "{name}");
        assert!(payload["result"]["__typename"].is_string(), "{name}");
        assert!(payload["time"].as_str().unwrap().ends_with('Z'));
    }
}

#[test]
fn a_fixed_time_makes_bodies_byte_identical() {
    let args = [
        "--event",
        "PurchasePlayerPurchase",
        "--time",
        TIME,
        "--player-id",
        "7",
    ];
    let first = forged(&args);
    assert_eq!(first, forged(&args));
    let payload = decoded(first);
    assert_eq!(payload["time"], TIME);
    assert_eq!(payload["player"]["modifiedAt"], TIME);
    assert_eq!(payload["result"]["purchase"]["createdAt"], TIME);
    let later = forged(&[
        "--event",
        "PurchasePlayerPurchase",
        "--time",
        "2024-04-26T11:34:24Z",
        "--player-id",
        "7",
    ]);
    assert_ne!(forged(&args), later);
}

#[test]
fn time_takes_any_offset_and_writes_utc() {
    let payload = decoded(forged(&[
        "--event",
        "SyncPlayer",
        "--time",
        "2024-04-26T14:34:23.5+03:00",
    ]));
    assert_eq!(payload["time"], "2024-04-26T11:34:23.5Z");
}

#[test]
fn without_a_time_the_template_is_stamped_now() {
    let payload = decoded(forged(&["--event", "GivePlayerReward"]));
    let time: jiff::Timestamp = payload["time"].as_str().unwrap().parse().unwrap();
    let off = jiff::Timestamp::now().duration_since(time).as_secs().abs();
    assert!(off < 24 * 3600, "the template's time is {time}");
    assert_eq!(payload["player"]["modifiedAt"], payload["time"]);
}

#[test]
fn overrides_keep_types_and_create_nested_fields() {
    let payload = decoded(forged(&[
        "--event",
        "GivePlayerReward",
        "--time",
        TIME,
        "--set",
        "result.rewardId=9001",
        "--set",
        "player.name=Zoë",
        "--set",
        "result.countTotal=1.50",
        "--set",
        "player.meta.level.max=99",
        "--set",
        "player.tags=[\"vip\"]",
        "--set-str",
        "player.credentials=12345",
        "--unset",
        "player.avatar",
    ]));
    assert_eq!(payload["result"]["rewardId"], 9001);
    assert_eq!(payload["result"]["countTotal"].to_string(), "1.50");
    assert_eq!(payload["player"]["name"], "Zoë");
    assert_eq!(payload["player"]["meta"]["level"]["max"], 99);
    assert_eq!(payload["player"]["tags"][0], "vip");
    assert_eq!(payload["player"]["credentials"], "12345");
    assert!(payload["player"].get("avatar").is_none());
    // Fields keep their place; new ones come last.
    let keys = keys(&payload["player"]);
    assert_eq!(keys[..2], ["id", "name"]);
    assert_eq!(keys.last(), Some(&"tags"));
}

/// A purchase's fields are the ones the vendor's SDK reads, `_id` first,
/// and `--set` changes them as any other: two bodies of one purchase.
#[test]
fn purchases_carry_an_id_that_set_changes() {
    let purchase = |time: &str| {
        decoded(forged(&[
            "--event",
            "PurchasePlayerPurchase",
            "--time",
            time,
            "--set",
            "result.purchase._id=order-7",
        ]))
    };
    let first = purchase("2024-04-26T11:34:23Z");
    let again = purchase("2024-04-26T12:34:23Z");
    let fields: Vec<&str> = first["result"]["purchase"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        [
            "_id",
            "productId",
            "tag",
            "payload",
            "gift",
            "subscribed",
            "createdAt",
            "expiredAt"
        ]
    );
    assert_eq!(first["result"]["purchase"]["_id"], "order-7");
    assert_eq!(first["result"]["purchase"], {
        let mut same = again["result"]["purchase"].clone();
        same["createdAt"] = first["result"]["purchase"]["createdAt"].clone();
        same
    });
    assert_ne!(first["time"], again["time"]);
}

#[test]
fn shortcuts_set_the_player_and_time() {
    let payload = decoded(forged(&[
        "--event",
        "UnlockPlayerAchievement",
        "--player-id",
        "42",
        "--project-id",
        "9",
        "--platform",
        "YANDEX",
        "--test-player",
        "--time",
        "2025-01-02T03:04:05Z",
    ]));
    assert_eq!(payload["player"]["id"], 42);
    assert_eq!(payload["player"]["projectId"], 9);
    assert_eq!(payload["player"]["platformType"], "YANDEX");
    assert_eq!(payload["player"]["test"], true);
    assert_eq!(payload["time"], "2025-01-02T03:04:05Z");
}

#[test]
fn overrides_apply_to_json_input_too() {
    // Re-sign an edited capture: decode it, change a field, sign it again.
    let raw = gpwh()
        .args(["decode", "-r", "@samples/reward.body"])
        .output()
        .unwrap()
        .stdout;
    let body = gpwh()
        .args([
            "sign",
            "--secret",
            SAMPLE_SECRET,
            "--set",
            "result.countTotal=5",
            "--time",
            TIME,
        ])
        .write_stdin(raw)
        .output()
        .unwrap()
        .stdout;
    let output = gpwh()
        .args(["verify", "-c", "--secret-file", "samples/secret.txt"])
        .write_stdin(body)
        .output()
        .unwrap();
    assert!(output.status.success());
    let expected = sample_text("reward.json").replace("\"countTotal\":1", "\"countTotal\":5");
    assert_eq!(stdout(&output), format!("{expected}\n"));
}

#[test]
fn bad_overrides_exit_2_quoting_them() {
    let cases: [(&[&str], &str); 7] = [
        (
            &["--set", "player.id"],
            "invalid value 'player.id' for '--set <PATH=VALUE>': expected PATH=VALUE, as in player.id=42",
        ),
        (
            &["--set", "player..id=1"],
            "invalid value 'player..id=1' for '--set <PATH=VALUE>': 'player..id' is not a dotted path of keys, as in player.id",
        ),
        (
            &["--set-str", "name"],
            "invalid value 'name' for '--set-str <PATH=VALUE>': expected PATH=VALUE, as in player.id=42",
        ),
        (
            &["--unset", ".x"],
            "invalid value '.x' for '--unset <PATH>': '.x' is not a dotted path of keys, as in player.id",
        ),
        (
            &["--player-id", "seven"],
            "invalid value 'seven' for '--player-id <N>'",
        ),
        (
            &["--time", "yesterday"],
            "invalid value 'yesterday' for '--time <RFC3339|now>': expected an RFC 3339 time such as 2024-04-26T11:34:23.415923998Z, or now",
        ),
        (
            &["--time", "2024-04-26 11:34:23"],
            "invalid value '2024-04-26 11:34:23' for '--time <RFC3339|now>'",
        ),
    ];
    for (args, message) in cases {
        gpwh()
            .args(["sign", "--secret", "s", "--event", "GivePlayerReward"])
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn overrides_through_non_objects_exit_2_saying_why() {
    for (args, message) in [
        (
            &["--event", "GivePlayerReward", "--set", "event.x=1"][..],
            "gpwh: cannot edit 'event.x': 'event' is a string, not an object\n",
        ),
        (
            &[
                "--event",
                "GivePlayerReward",
                "--set",
                "result.rewardId.x=1",
            ],
            "gpwh: cannot edit 'result.rewardId.x': 'result.rewardId' is a number, not an object\n",
        ),
        (
            &["--event", "GivePlayerReward", "--unset", "player.nickname"],
            "gpwh: cannot unset 'player.nickname': there is no such field\n",
        ),
    ] {
        gpwh()
            .args(["sign", "--secret", "s"])
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(message);
    }
}

#[test]
fn overrides_on_input_that_is_not_an_object_exit_3() {
    gpwh()
        .args(["sign", "--secret", "s", "--set", "a=1", "[1,2]"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(
            "gpwh: input is not a JSON object: a webhook payload is an object, this is an array\n",
        );
}

#[test]
fn event_reads_no_input_and_conflicts_with_it() {
    // With --event, standard input is left alone, even when something waits there.
    gpwh()
        .args(["sign", "--secret", "s", "--event", "GetPlayer"])
        .write_stdin("not json at all")
        .assert()
        .success();
    gpwh()
        .args(["sign", "--secret", "s", "--event", "GetPlayer", "{}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    gpwh()
        .args(["sign", "--secret", "s", "--verbatim", "--set", "a=1", "{}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn an_unknown_event_suggests_names() {
    gpwh()
        .args(["sign", "--secret", "s", "--event", "PurchasePlayerPurchse"])
        .assert()
        .code(2)
        .stderr("gpwh: unknown event 'PurchasePlayerPurchse': did you mean PurchasePlayerPurchase? ('gpwh events' lists them all)\n");
}

/// The README's recipe: a forged body piped into curl reaches a server
/// byte for byte.
#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs sh and curl: GPWH_TEST_ALL=1 runs it"
)]
fn a_forged_body_posts_to_a_local_server_with_curl() {
    use crate::support::{bin, one_shot};
    use std::time::Duration;

    let (server, received) = one_shot("200 OK", "OK");
    let url = format!("{server}/webhooks/gamepush");
    let script = format!(
        "\"$GPWH\" sign --secret-file samples/secret.txt --event GivePlayerReward --time {TIME} \
         | curl -sS --fail --data-binary @- -H 'Content-Type: text/plain' {url}"
    );
    let output = std::process::Command::new("sh")
        .args(["-c", &script])
        .env("GPWH", bin())
        .current_dir(crate::support::repo())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(stdout(&output), "OK");
    let request = received.recv_timeout(Duration::from_secs(10)).unwrap();
    let (head, body) = (request.head, String::from_utf8(request.body).unwrap());
    assert!(
        head.starts_with("POST /webhooks/gamepush HTTP/1.1\r\n"),
        "{head}"
    );
    let expected = gpwh()
        .args([
            "sign",
            "--secret",
            SAMPLE_SECRET,
            "--event",
            "GivePlayerReward",
            "--time",
            TIME,
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(body.as_bytes(), expected);
    gpwh()
        .args(["verify", "-q", "--secret", SAMPLE_SECRET, &body])
        .assert()
        .success();
}
