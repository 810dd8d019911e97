//! The committed completion scripts in completions/ must be what
//! `gpwh completions` prints now. Set GPWH_UPDATE_COMPLETIONS=1 to rewrite
//! them after changing the command line.

use crate::support::{gpwh, repo};

const SCRIPTS: [(&str, &str); 5] = [
    ("bash", "gpwh.bash"),
    ("zsh", "_gpwh"),
    ("fish", "gpwh.fish"),
    ("powershell", "_gpwh.ps1"),
    ("elvish", "gpwh.elv"),
];

#[test]
fn committed_completions_are_up_to_date() {
    let update = std::env::var_os("GPWH_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SCRIPTS {
        let output = gpwh().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        assert!(!output.stdout.is_empty(), "{shell}");
        let path = repo().join("completions").join(file);
        if update {
            std::fs::write(&path, &output.stdout).unwrap();
        } else if std::fs::read(&path).ok() != Some(output.stdout) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale completions {stale:?}: run GPWH_UPDATE_COMPLETIONS=1 cargo test completions"
    );
}

#[test]
fn completions_know_the_subcommands_and_flags() {
    let output = gpwh().args(["completions", "bash"]).output().unwrap();
    let script = String::from_utf8(output.stdout).unwrap();
    for word in [
        "decode",
        "verify",
        "sign",
        "events",
        "--secret-file",
        "--compact",
        "--encoding",
    ] {
        assert!(script.contains(word), "{word}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    gpwh().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_prints_a_roff_page() {
    let output = gpwh().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH gpwh 1"), "{page}");
    assert!(page.contains("verify"));
}

#[test]
fn help_shows_the_exit_codes() {
    let output = gpwh().arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for line in [
        "Exit codes:",
        "  0  success; for verify, the signature is valid",
        "  1  verify: the body is well formed but no secret matches, or it is stale (--max-age)",
        "  2  usage or environment: bad flags, no secret, unreadable file, no input",
        "  3  malformed input: empty or too large, no signature (verify), bad base64, payload not a",
    ] {
        assert!(help.contains(line), "{line}");
    }
}
