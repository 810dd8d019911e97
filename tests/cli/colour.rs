//! When JSON is coloured: decided once, the same way for every subcommand.

use crate::support::{SAMPLE_SECRET, gpwh, stdout};

const ESCAPE: &str = "\u{1b}[";

fn coloured(shown: &str) -> bool {
    shown.contains(ESCAPE)
}

#[test]
fn always_colours_even_into_a_pipe() {
    for args in [
        &["--color", "always", "decode", "@samples/reward.body"][..],
        &[
            "verify",
            "--color=always",
            "--secret",
            SAMPLE_SECRET,
            "@samples/reward.body",
        ],
        &["events", "--json", "--color", "always"],
    ] {
        let output = gpwh().args(args).output().unwrap();
        assert!(coloured(&stdout(&output)), "{args:?}");
    }
}

#[test]
fn never_and_auto_in_a_pipe_do_not_colour() {
    for color in ["never", "auto"] {
        let output = gpwh()
            .args(["--color", color, "decode", "@samples/reward.body"])
            .output()
            .unwrap();
        assert!(!coloured(&stdout(&output)));
    }
}

#[test]
fn colour_does_not_change_the_json_under_it() {
    let plain = stdout(
        &gpwh()
            .args(["decode", "@samples/reward.body"])
            .output()
            .unwrap(),
    );
    let painted = stdout(
        &gpwh()
            .args(["--color", "always", "decode", "@samples/reward.body"])
            .output()
            .unwrap(),
    );
    let mut stripped = String::new();
    let mut rest = painted.as_str();
    while let Some(start) = rest.find(ESCAPE) {
        stripped.push_str(&rest[..start]);
        let end = rest[start..].find('m').expect("escape sequences end in m");
        rest = &rest[start + end + 1..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
}

#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs util-linux script for a terminal: GPWH_TEST_ALL=1 runs it"
)]
fn auto_colours_on_a_terminal() {
    let (code, shown) = crate::support::on_terminal(&["decode", "@samples/reward.body"], &[]);
    assert_eq!(code, 0);
    assert!(coloured(&shown), "{shown}");
    let (_, shown) =
        crate::support::on_terminal(&["decode", "@samples/reward.body"], &[("NO_COLOR", "")]);
    assert!(coloured(&shown), "an empty NO_COLOR does not count");
}

#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs util-linux script for a terminal: GPWH_TEST_ALL=1 runs it"
)]
fn no_color_dumb_terminals_and_never_turn_it_off_on_a_terminal() {
    for (args, env) in [
        (
            &["decode", "@samples/reward.body"][..],
            &[("NO_COLOR", "1")][..],
        ),
        (&["decode", "@samples/reward.body"], &[("TERM", "dumb")]),
        (&["--color", "never", "decode", "@samples/reward.body"], &[]),
    ] {
        let (code, shown) = crate::support::on_terminal(args, env);
        assert_eq!(code, 0);
        assert!(!coloured(&shown), "{args:?} {env:?}");
        assert!(shown.starts_with("{\n  \"event\": \"GivePlayerReward\","));
    }
}

#[test]
fn always_wins_over_no_color() {
    let output = gpwh()
        .env("NO_COLOR", "1")
        .args(["--color", "always", "decode", "@samples/reward.body"])
        .output()
        .unwrap();
    assert!(coloured(&stdout(&output)));
}
