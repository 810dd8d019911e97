//! crates/webhooks/examples/axum_receiver.rs, run as docs/library.md says,
//! and delivered to with `gpwh send`.
//!
//! `cargo test` at the root builds the library's examples with everything
//! else, so the test runs the example it built; it builds it itself only
//! when that is missing or older than its sources (`cargo test -p gpwh`).

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::SystemTime;

use crate::support::{cargo, gpwh, repo, send, stderr, stdout};

const SECRET: &str = "axum-example-key";

/// The running example, killed when dropped.
struct Example(Child);

impl Drop for Example {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The newest modification time under `path`.
fn newest(path: &Path) -> SystemTime {
    let here = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("the example's sources are there");
    match std::fs::read_dir(path) {
        Ok(entries) => entries
            .map(|entry| newest(&entry.expect("a readable entry").path()))
            .fold(here, SystemTime::max),
        Err(_) => here,
    }
}

/// The example's binary, beside this test's build (`target/debug/examples`),
/// built first if it is missing or older than its sources.
fn example() -> PathBuf {
    let deps = std::env::current_exe().expect("the test knows where it is");
    let built = deps
        .parent()
        .and_then(Path::parent)
        .expect("tests run from target/PROFILE/deps")
        .join("examples")
        .join(format!("axum_receiver{}", std::env::consts::EXE_SUFFIX));
    let library = repo().join("crates/webhooks");
    let sources = [
        library.join("src"),
        library.join("examples"),
        library.join("Cargo.toml"),
    ]
    .iter()
    .map(|path| newest(path))
    .fold(SystemTime::UNIX_EPOCH, SystemTime::max);
    let fresh = std::fs::metadata(&built)
        .and_then(|m| m.modified())
        .is_ok_and(|at| at >= sources);
    if !fresh {
        let status = cargo()
            .args(["build", "--quiet", "--package", "gpwh-webhooks"])
            .args(["--example", "axum_receiver", "--features", "axum"])
            .current_dir(repo())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the example builds");
    }
    built
}

#[test]
fn the_axum_example_accepts_valid_bodies_and_refuses_the_rest() {
    let mut child = Command::new(example())
        .env("GPWH_SECRET", SECRET)
        .env("PORT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example runs");
    let mut lines = BufReader::new(child.stderr.take().unwrap());
    let example = Example(child);
    let mut line = String::new();
    let url = loop {
        line.clear();
        assert_ne!(lines.read_line(&mut line).unwrap(), 0, "the example exited");
        if let Some(url) = line.trim().strip_prefix("listening on ") {
            break format!("{url}/webhooks/gamepush");
        }
    };
    thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));

    let valid = send(
        &url,
        &["--secret", SECRET, "--event", "PurchasePlayerPurchase"],
    );
    assert_eq!(valid.status.code(), Some(0), "{}", stderr(&valid));
    assert_eq!(stdout(&valid), "OK");

    let forged = send(&url, &["--secret", "another-key", "--event", "SyncPlayer"]);
    assert_eq!(forged.status.code(), Some(4));
    assert!(stderr(&forged).starts_with("HTTP/1.1 400 Bad Request\n"));
    let verdict: serde_json::Value = serde_json::from_str(&stdout(&forged)).unwrap();
    assert_eq!(verdict["valid"], false);
    assert_eq!(verdict["error"], "signature-mismatch");

    let stale = send(
        &url,
        &[
            "--secret",
            SECRET,
            "--event",
            "GivePlayerReward",
            "--time",
            "2024-04-26T11:34:23Z",
        ],
    );
    assert_eq!(stale.status.code(), Some(4));
    assert!(stdout(&stale).contains(r#""error":"stale""#));

    let probe = gpwh()
        .args([
            "probe",
            "--all-events",
            "--strict",
            "--secret",
            SECRET,
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(probe.status.code(), Some(0), "{}", stdout(&probe));
    drop(example);
}

#[test]
fn the_library_guide_shows_the_example_as_it_is() {
    let example =
        std::fs::read_to_string(repo().join("crates/webhooks/examples/axum_receiver.rs")).unwrap();
    let code: String = example
        .lines()
        .skip_while(|line| line.starts_with("//!") || line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    let guide = std::fs::read_to_string(repo().join("docs/library.md")).unwrap();
    assert!(
        guide.contains(&format!("```rust\n{code}```")),
        "docs/library.md's axum example differs from crates/webhooks/examples/axum_receiver.rs"
    );
}
