//! The library as a Rust game server takes it: `default-features = false`.
//! Its dependency tree holds none of the tool's crates, and a crate of its
//! own that depends on it (tests/fixtures/bare_core.rs) builds and runs with
//! serde features that serde_json's `arbitrary_precision` would break.
//!
//! Both run cargo on their own, so they hold whatever features this test run
//! was built with: the bare core is checked even under `--all-features`.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Crates of the command-line tool and its servers and clients: those the
/// `cli` feature turns on, read from Cargo.toml so that the list cannot go
/// stale. None may be in the bare core's tree.
fn tool_crates() -> Vec<String> {
    let manifest: toml::Table = std::fs::read_to_string(root().join("Cargo.toml"))
        .expect("Cargo.toml")
        .parse()
        .expect("Cargo.toml is TOML");
    let cli = manifest["features"]["cli"]
        .as_array()
        .expect("a cli feature");
    let crates: Vec<String> = cli
        .iter()
        .filter_map(|item| item.as_str())
        .filter(|item| !item.contains('/'))
        .map(|item| item.trim_start_matches("dep:").to_owned())
        .collect();
    for expected in ["clap", "tokio", "hyper", "reqwest", "axum"] {
        assert!(
            crates.iter().any(|c| c == expected),
            "{crates:?} lacks {expected}"
        );
    }
    crates
}

#[test]
fn the_bare_core_depends_on_no_tool_crate() {
    let output = cargo()
        .args([
            "tree",
            "-e",
            "normal",
            "--no-default-features",
            "--prefix",
            "none",
        ])
        .args(["--format", "{p}"])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8(output.stdout).unwrap();
    let mut names: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    names.sort_unstable();
    names.dedup();
    assert!(names.contains(&"gpwh") && names.contains(&"sha2"), "{tree}");
    for name in tool_crates() {
        assert!(
            !names.contains(&name.as_str()),
            "{name} is in the bare core's tree:\n{tree}"
        );
    }
    // gpwh and 37 crates under it today; a jump means a heavy new dependency.
    assert!(names.len() < 40, "{} crates:\n{tree}", names.len());
}

#[test]
fn a_server_crate_on_the_bare_core_keeps_its_serde_features() {
    let target = root().join("target").join("bare-core");
    let fixture = target.join("fixture");
    std::fs::create_dir_all(fixture.join("src")).unwrap();
    std::fs::write(
        fixture.join("Cargo.toml"),
        format!(
            r#"[package]
name = "bare-core-fixture"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
gpwh = {{ path = {root:?}, default-features = false }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[workspace]
"#,
            root = root().display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/fixtures/bare_core.rs"),
        fixture.join("src/main.rs"),
    )
    .unwrap();
    // The versions gpwh itself is tested with, where they serve.
    if !fixture.join("Cargo.lock").exists() {
        std::fs::copy(root().join("Cargo.lock"), fixture.join("Cargo.lock")).unwrap();
    }
    let output = cargo()
        .current_dir(&fixture)
        .args(["run", "--quiet"])
        .env("CARGO_TARGET_DIR", target.join("build"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the fixture failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "bare core: ok\n");
}
