//! gpwh-webhooks as a Rust game server takes it, `cargo add gpwh-webhooks`:
//! the crates it brings are the ones docs/library.md lists, with its default
//! features and with each feature the guide names; and a crate of its own
//! (tests/fixtures/game_server.rs), outside the workspace, builds on it and
//! runs, with serde features that serde_json's `arbitrary_precision` would
//! break.
//!
//! Both run cargo themselves: the tool's features never reach the library
//! here, whatever features this test run was built with.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const CRATE: &str = "gpwh-webhooks";

/// The platforms game servers run on, whose dependencies the list covers:
/// a crate only one of them needs is in it too. (`--target all` would add
/// dependencies no platform builds, such as serde's `cfg(any())` pin.)
const TARGETS: [&str; 6] = [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
    "aarch64-pc-windows-msvc",
];

/// The heading of docs/library.md's section that lists the crates.
const SECTION: &str = "### What `cargo add gpwh-webhooks` brings";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// The crates in the library's normal dependency tree with these features,
/// by name, the library itself left out.
fn tree(features: &[&str]) -> BTreeSet<String> {
    let mut command = cargo();
    command.args(["tree", "--locked", "-p", CRATE, "-e", "normal"]);
    for target in TARGETS {
        command.args(["--target", target]);
    }
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let output = command
        .args(["--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("cargo tree's output is UTF-8")
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != CRATE)
        .map(str::to_owned)
        .collect()
}

/// The lists of docs/library.md's section: the first `text` block, the
/// crates of the default features; each further one, preceded by a line
/// that names `features = ["NAME"]`, the crates that feature adds.
fn documented() -> Vec<(Option<String>, BTreeSet<String>)> {
    let guide = std::fs::read_to_string(root().join("docs/library.md")).expect("docs/library.md");
    let section = guide
        .split_once(&format!("\n{SECTION}\n"))
        .unwrap_or_else(|| panic!("docs/library.md has no section {SECTION:?}"))
        .1;
    let section = section.split("\n#").next().unwrap_or(section);
    let mut lists = Vec::new();
    let mut feature = None;
    let mut block: Option<BTreeSet<String>> = None;
    for line in section.lines() {
        match (&mut block, line.trim()) {
            (None, "```text") => block = Some(BTreeSet::new()),
            (Some(_), "```") => lists.push((feature.take(), block.take().expect("a block"))),
            (Some(names), text) => names.extend(text.split_whitespace().map(str::to_owned)),
            (None, text) => {
                if let Some((_, rest)) = text.split_once("features = [\"") {
                    feature = rest.split_once('"').map(|(name, _)| name.to_owned());
                }
            }
        }
    }
    assert!(
        lists.first().is_some_and(|(feature, _)| feature.is_none()),
        "docs/library.md's section {SECTION:?} does not open with the default features' list"
    );
    lists
}

fn difference(documented: &BTreeSet<String>, found: &BTreeSet<String>) -> String {
    let missing: Vec<&String> = found.difference(documented).collect();
    let gone: Vec<&String> = documented.difference(found).collect();
    format!("in the tree, not in the guide: {missing:?}\nin the guide, not in the tree: {gone:?}")
}

#[test]
fn the_dependency_tree_is_the_one_the_guide_lists() {
    let lists = documented();
    let default = tree(&[]);
    // A floor under the comparison: sha2 and serde are the core's own.
    assert!(
        default.contains("sha2") && default.contains("serde_json"),
        "{default:?}"
    );
    let mut differences = Vec::new();
    for (feature, listed) in &lists {
        let found = match feature {
            None => default.clone(),
            Some(feature) => tree(&[feature]).difference(&default).cloned().collect(),
        };
        if &found != listed {
            let which = feature.as_ref().map_or_else(
                || "the default features".to_owned(),
                |feature| format!("features = [\"{feature}\"]"),
            );
            differences.push(format!("{which}:\n{}", difference(listed, &found)));
        }
    }
    assert!(
        differences.is_empty(),
        "the crates {CRATE} brings into a game server's build are not the ones \
         docs/library.md lists ({SECTION:?}):\n\n{}\n\n\
         Every crate there is in every game server's build: if the change is meant, \
         update the lists.",
        differences.join("\n\n")
    );
}

/// The fixture crate, in a temporary folder, on the library by path with
/// its default features, built and run. Its build goes to a target folder
/// kept under target/, so that a second run builds only the fixture.
#[test]
fn a_game_server_crate_builds_on_it_and_keeps_its_serde_features() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let fixture = folder.path();
    std::fs::create_dir_all(fixture.join("src")).unwrap();
    std::fs::write(
        fixture.join("Cargo.toml"),
        format!(
            r#"[package]
name = "game-server"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
{CRATE} = {{ path = {library:?} }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[workspace]
"#,
            library = root().join("crates/webhooks").display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/fixtures/game_server.rs"),
        fixture.join("src/main.rs"),
    )
    .unwrap();
    // The versions the workspace is tested with, where they serve.
    std::fs::copy(root().join("Cargo.lock"), fixture.join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("game-server");
    let output = cargo()
        .current_dir(fixture)
        .args(["run", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the game server crate failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "game server: ok\n");
}
