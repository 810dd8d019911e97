//! `gpwh events`: the catalog for people and for scripts.

use serde_json::Value;

use crate::support::{gpwh, keys, stdout};

#[test]
fn piped_it_lists_33_tab_separated_lines_in_the_vendor_order() {
    let output = gpwh().arg("events").output().unwrap();
    assert!(output.status.success());
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 33);
    assert_eq!(
        lines[0],
        "PurchasePlayerPurchase\tPlayer made a purchase / subscribed"
    );
    assert_eq!(lines[10], "GivePlayerReward\tPlayer rewarded");
    assert_eq!(lines[32], "UploadPlayerImage\tPlayer uploaded an image");
    assert!(lines.iter().all(|line| line.split('\t').count() == 2));
}

#[test]
fn json_is_an_array_of_names_and_descriptions() {
    let output = gpwh().args(["events", "--json"]).output().unwrap();
    let events: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(events.len(), 33);
    assert_eq!(
        events[8],
        serde_json::json!({"name": "SyncPlayer", "description": "Player synchronized progress"})
    );
    assert!(events.iter().all(|e| e.as_object().unwrap().len() == 2));
}

#[test]
fn one_event_in_detail_by_name_in_any_case() {
    for name in [
        "PlayerPublishRecord",
        "playerpublishrecord",
        "PLAYERPUBLISHRECORD",
    ] {
        gpwh()
            .args(["events", name])
            .assert()
            .success()
            .stdout(predicates::str::starts_with(
                "PlayerPublishRecord: Player published a record\n\
                 result: PlayerRecord, from the vendor's SDK, not confirmed for webhooks\n\
                 example (gpwh sign --event PlayerPublishRecord --time 2024-04-26T11:34:23.415923998Z):\n\
                 {\n  \"event\": \"PlayerPublishRecord\",\n",
            ));
    }
}

#[test]
fn the_detail_example_is_what_sign_makes_at_that_time() {
    for name in [
        "GivePlayerReward",
        "UploadPlayerImage",
        "ExpirePlayerSubscription",
    ] {
        let details: Value = serde_json::from_slice(
            &gpwh()
                .args(["events", "--json", name])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let body = gpwh()
            .args([
                "sign",
                "--secret",
                "demo",
                "--event",
                name,
                "--time",
                "2024-04-26T11:34:23.415923998Z",
            ])
            .output()
            .unwrap()
            .stdout;
        let decoded = gpwh()
            .args(["decode", "-c"])
            .write_stdin(body)
            .output()
            .unwrap()
            .stdout;
        let signed: Value = serde_json::from_slice(&decoded).unwrap();
        assert_eq!(details["example"], signed, "{name}");
    }
}

#[test]
fn detail_json_names_the_result_type_and_how_it_is_known() {
    let expectations = [
        ("GivePlayerReward", "PlayerReward", "documented"),
        ("ConsumePlayerPurchase", "PlayerPurchaseOutput", "sdk"),
        ("UnlockPlayerAchievement", "PlayerAchievement", "sdk"),
        ("PlayerPublishRecord", "PlayerRecord", "sdk"),
        ("PlayerSendFeedMessage", "ChannelMessage", "illustrative"),
    ];
    for (name, result_type, shape) in expectations {
        let output = gpwh().args(["events", "--json", name]).output().unwrap();
        let details: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            keys(&details),
            [
                "name",
                "description",
                "result_type",
                "result_shape",
                "example"
            ]
        );
        assert_eq!(details["result_type"], result_type);
        assert_eq!(details["result_shape"], shape);
        assert_eq!(details["example"]["result"]["__typename"], result_type);
    }
}

#[test]
fn event_names_complete_in_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&gpwh().args(["completions", shell]).output().unwrap());
        for name in [
            "GivePlayerReward",
            "UploadPlayerImage",
            "PlayerAcceptJoinRequestToChannel",
        ] {
            assert!(script.contains(name), "{shell}: {name}");
        }
    }
}

#[test]
fn an_unknown_name_exits_2_with_the_closest_names() {
    gpwh()
        .args(["events", "GivePlayerRewards"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("gpwh: unknown event 'GivePlayerRewards': did you mean GivePlayerReward? ('gpwh events' lists them all)\n");
    gpwh()
        .args(["events", "subscription"])
        .assert()
        .code(2)
        .stderr(
            "gpwh: unknown event 'subscription': did you mean ResumePlayerSubscription, \
             ExpirePlayerSubscription, UnsubscribePlayerSubscription? ('gpwh events' lists them all)\n",
        );
    gpwh()
        .args(["events", "xyzzy"])
        .assert()
        .code(2)
        .stderr("gpwh: unknown event 'xyzzy': 'gpwh events' lists them all\n");
}

#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs util-linux script for a terminal: GPWH_TEST_ALL=1 runs it"
)]
fn on_a_terminal_it_is_an_aligned_table() {
    let (code, shown) = crate::support::on_terminal(&["events"], &[]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 33);
    // The longest name has 32 characters; descriptions start two further on.
    for line in &lines {
        assert!(!line.contains('\t'));
        assert_eq!(
            line.find("Player")
                .map(|_| line.as_bytes()[32..34].to_vec()),
            Some(b"  ".to_vec())
        );
    }
    assert!(lines.contains(&"GivePlayerReward                  Player rewarded"));
}
