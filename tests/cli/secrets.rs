//! Where secrets come from, and that none ever shows.

use std::io::Write as _;

use predicates::prelude::*;

use crate::support::{SAMPLE_SECRET, gpwh, stderr, stdout};

fn secret_file(contents: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(contents).unwrap();
    file
}

#[test]
fn a_secret_file_loses_one_trailing_newline() {
    for contents in [&b"Be$T_Pr0jeCt"[..], b"Be$T_Pr0jeCt\n", b"Be$T_Pr0jeCt\r\n"] {
        let file = secret_file(contents);
        gpwh()
            .args(["verify", "-q", "--secret-file"])
            .arg(file.path())
            .arg("@samples/reward.body")
            .assert()
            .success();
    }
    // Only one: a second newline is part of the secret.
    let file = secret_file(b"Be$T_Pr0jeCt\n\n");
    gpwh()
        .args(["verify", "-q", "--secret-file"])
        .arg(file.path())
        .arg("@samples/reward.body")
        .assert()
        .code(1);
}

#[test]
fn gpwh_secret_is_used_when_no_option_is_given() {
    gpwh()
        .env("GPWH_SECRET", SAMPLE_SECRET)
        .args(["verify", "-q", "@samples/reward.body"])
        .assert()
        .success();
}

#[test]
fn options_win_over_gpwh_secret() {
    gpwh()
        .env("GPWH_SECRET", SAMPLE_SECRET)
        .args(["verify", "-q", "--secret", "wrong", "@samples/reward.body"])
        .assert()
        .code(1);
    gpwh()
        .env("GPWH_SECRET", "wrong")
        .args([
            "verify",
            "-q",
            "--secret-file",
            "samples/secret.txt",
            "@samples/reward.body",
        ])
        .assert()
        .success();
}

#[test]
fn no_secret_exits_2_naming_all_three_sources() {
    for env in [None, Some("")] {
        for subcommand in ["verify", "sign"] {
            let mut cmd = gpwh();
            if let Some(value) = env {
                cmd.env("GPWH_SECRET", value);
            }
            cmd.args([subcommand, "{}"])
                .assert()
                .code(2)
                .stdout("")
                .stderr("gpwh: no secret key: pass --secret VALUE, --secret-file PATH, or set GPWH_SECRET\n");
        }
    }
}

#[test]
fn empty_and_unreadable_secrets_are_usage_errors() {
    gpwh()
        .args(["verify", "--secret", "", "@samples/reward.body"])
        .assert()
        .code(2)
        .stderr("gpwh: --secret is empty\n");
    let file = secret_file(b"\n");
    gpwh()
        .args(["verify", "--secret-file"])
        .arg(file.path())
        .arg("@samples/reward.body")
        .assert()
        .code(2)
        .stderr(predicate::str::ends_with("' is empty\n"));
    gpwh()
        .args(["sign", "--secret-file", "samples/no-such-secret", "{}"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "gpwh: cannot read secret file 'samples/no-such-secret': ",
        ));
}

#[test]
fn a_secret_never_appears_in_any_output() {
    const SECRET: &str = "Zq9-distinctive-SECRET-7wX";
    let file = secret_file(format!("{SECRET}\n").as_bytes());
    let path = file.path().to_str().unwrap().to_owned();
    let signed = gpwh()
        .args(["sign", "--secret", SECRET, "{\"event\":\"x\"}"])
        .output()
        .unwrap();
    let body = stdout(&signed);
    let runs: Vec<Vec<String>> = vec![
        vec![
            "sign".into(),
            "--secret".into(),
            SECRET.into(),
            "{\"event\":\"x\"}".into(),
        ],
        vec![
            "sign".into(),
            "--secret".into(),
            SECRET.into(),
            "{not json".into(),
        ],
        vec![
            "sign".into(),
            "--secret".into(),
            SECRET.into(),
            "--secret".into(),
            SECRET.into(),
            "{}".into(),
        ],
        vec![
            "sign".into(),
            "--secret-file".into(),
            path.clone(),
            "--encoding".into(),
            "base64".into(),
            "{}".into(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            SECRET.into(),
            body.clone(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            SECRET.into(),
            "--json".into(),
            body.clone(),
        ],
        vec![
            "verify".into(),
            "--secret-file".into(),
            path.clone(),
            "@samples/reward.body".into(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            SECRET.into(),
            "--json".into(),
            "@samples/reward.body".into(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            SECRET.into(),
            "e30=.00".into(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            SECRET.into(),
            "--json".into(),
            "!!.00".into(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            SECRET.into(),
            "@no/such/file".into(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            SECRET.into(),
            "--bogus-flag".into(),
        ],
        vec![
            "sign".into(),
            "--secret".into(),
            SECRET.into(),
            "--encoding".into(),
            "rot13".into(),
            "{}".into(),
        ],
        vec![
            "sign".into(),
            "--secret".into(),
            SECRET.into(),
            "--event".into(),
            "GivePlayerReward".into(),
        ],
        vec![
            "sign".into(),
            "--secret".into(),
            SECRET.into(),
            "--event".into(),
            "Nope".into(),
        ],
        vec![
            "sign".into(),
            "--secret".into(),
            SECRET.into(),
            "--set".into(),
            "bad".into(),
            "{}".into(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            SECRET.into(),
            "--max-age".into(),
            "5m".into(),
            body.clone(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            SECRET.into(),
            "--max-age".into(),
            "soon".into(),
            body.clone(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            format!("\"{SECRET}\""),
            body.clone(),
        ],
        vec![
            "verify".into(),
            "--secret".into(),
            format!("{SECRET} "),
            "--json".into(),
            body.clone(),
        ],
        vec![
            "verify".into(),
            "--lines".into(),
            "--secret".into(),
            SECRET.into(),
            body.clone(),
            "@samples/reward.body".into(),
        ],
        vec![
            "verify".into(),
            "--lines".into(),
            "--secret-file".into(),
            path.clone(),
            "@samples/reward.http".into(),
        ],
        vec!["decode".into(), "--lines".into(), body.clone()],
        vec!["events".into(), "GivePlayerReward".into()],
    ];
    for args in runs {
        for env in [None, Some(SECRET)] {
            let mut cmd = gpwh();
            if let Some(value) = env {
                cmd.env("GPWH_SECRET", value);
            }
            let output = cmd.args(&args).output().unwrap();
            let shown = format!("{}{}", stdout(&output), stderr(&output));
            assert!(
                !shown.contains(SECRET),
                "{args:?} showed the secret: {shown}"
            );
        }
    }
    // With the secret only in the environment, too.
    let output = gpwh()
        .env("GPWH_SECRET", SECRET)
        .args(["verify", "--help"])
        .output()
        .unwrap();
    assert!(!stdout(&output).contains(SECRET));
}

/// A key that looks like a flag is taken as the key: clap would otherwise
/// quote it in its error ("unexpected argument '--Sup3rS3cret'").
#[test]
fn a_secret_that_looks_like_a_flag_never_appears_in_an_error() {
    let runs: [&[&str]; 5] = [
        &["sign", "--secret", "--Sup3rS3cret", "{}"],
        &["sign", "--secret", "-Sup3rS3cret", "{}"],
        &[
            "verify",
            "--secret",
            "--Sup3rS3cret",
            "@samples/reward.body",
        ],
        &[
            "probe",
            "--secret",
            "--Sup3rS3cret",
            "--dry-run",
            "http://127.0.0.1:9/",
        ],
        &[
            "send",
            "--secret",
            "--Sup3rS3cret",
            "--dry-run",
            "http://127.0.0.1:9/",
            "{}",
        ],
    ];
    for args in runs {
        let output = gpwh().args(args).output().unwrap();
        let (out, err) = (stdout(&output), stderr(&output));
        assert!(!err.contains("Sup3rS3cret"), "{args:?}: {err}");
        assert!(!out.contains("Sup3rS3cret"), "{args:?}: {out}");
        assert!(!err.contains("unexpected argument"), "{args:?}: {err}");
    }
    // Taken as the key: the body it signs verifies with it.
    let body = gpwh()
        .args(["sign", "--secret", "--Sup3rS3cret", "{}"])
        .output()
        .unwrap();
    gpwh()
        .args(["verify", "-q", "--secret=--Sup3rS3cret"])
        .write_stdin(body.stdout)
        .assert()
        .code(0);
}

/// A secret file that others may write chooses the key: warned about like
/// one others may read.
#[cfg(unix)]
#[test]
fn a_secret_file_others_may_write_is_warned_about() {
    use std::os::unix::fs::PermissionsExt as _;

    let file = secret_file(b"Be$T_Pr0jeCt\n");
    std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o622)).unwrap();
    let output = gpwh()
        .args(["verify", "-q", "--secret-file"])
        .arg(file.path())
        .arg("@samples/reward.body")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("is writable by other users (mode 622): chmod 600 it"),
        "{}",
        stderr(&output)
    );
}

/// A key is one short line: a large file, or a device that never ends, is
/// refused without being read whole.
#[test]
#[cfg(unix)]
fn a_secret_file_over_64_kib_is_refused_unread() {
    let large = secret_file(&vec![b'k'; 64 * 1024 + 1]);
    let mut endless = vec![large.path().to_path_buf()];
    if std::path::Path::new("/dev/zero").exists() {
        endless.push("/dev/zero".into());
    }
    for path in endless {
        let output = gpwh()
            .args(["sign", "--secret-file"])
            .arg(&path)
            .arg("{}")
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", path.display());
        assert!(
            stderr(&output)
                .contains("' too large: more than 64 KiB; a secret key is one short line"),
            "{}",
            stderr(&output)
        );
    }
    // 64 KiB itself is read.
    let largest = secret_file(&vec![b'k'; 64 * 1024]);
    let output = gpwh()
        .args(["sign", "--secret-file"])
        .arg(largest.path())
        .arg("{}")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
}
