//! crates/webhooks/examples/axum_receiver.rs, run as docs/library.md says, with
//! `cargo run`, and delivered to with `gpwh send`.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};
use std::thread;

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

#[test]
fn the_axum_example_accepts_valid_bodies_and_refuses_the_rest() {
    let mut child = cargo()
        .args([
            "run",
            "--quiet",
            "--package",
            "gpwh-webhooks",
            "--example",
            "axum_receiver",
            "--features",
            "axum",
        ])
        .current_dir(repo())
        .env("GPWH_SECRET", SECRET)
        .env("PORT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let mut lines = BufReader::new(child.stderr.take().unwrap());
    let example = Example(child);
    // Cargo may report on building first; the example's own line follows.
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
