//! The Markdown stays true to the tree: every local link in the README,
//! ARCHITECTURE.md and the guides in `docs/` leads to a file or folder that
//! exists, every source path ARCHITECTURE.md names is there, and every
//! module of the tool and the library is on that map. (The examples in
//! them run as tests in `tests/cli/readme.rs`.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The README, ARCHITECTURE.md and every guide.
fn documents() -> Vec<PathBuf> {
    let mut documents = vec![repo().join("README.md"), repo().join("ARCHITECTURE.md")];
    let mut guides: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.expect("docs/ can be listed").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    guides.sort();
    documents.extend(guides);
    documents
}

/// The targets of the inline links and images in `text`, outside code.
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    found
}

#[test]
fn every_local_link_resolves() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for document in documents() {
        let text = std::fs::read_to_string(&document)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", document.display()));
        let dir = document.parent().expect("a document is in a folder");
        for target in links(&text) {
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap_or_default();
            checked += 1;
            if !dir.join(file).exists() {
                broken.push(format!("{}: {target}", document.display()));
            }
        }
    }
    assert!(
        checked > 20,
        "only {checked} local links were found: is the parser right?"
    );
    assert!(broken.is_empty(), "links to nothing: {broken:#?}");
}

/// What `text` holds between backticks: `a` and `b` in ``x `a` y `b` ``.
fn quoted(text: &str) -> impl Iterator<Item = &str> {
    text.split('`').skip(1).step_by(2)
}

/// The `.rs` files under `dir`, at any depth, by their paths from the
/// repository's root written with `/`, sorted.
fn rust_files(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()))
        {
            let path = entry.expect("a folder can be listed").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(repo()).expect("under the repository");
                let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
                files.push(parts.join("/"));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_paths_architecture_names_exist() {
    let text = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut missing = Vec::new();
    let mut named = 0;
    for quoted in quoted(&text) {
        let roots = [
            "src/",
            "tests/",
            "examples/",
            "benches/",
            "bench/",
            "fuzz/",
            "docs/",
            "packaging/",
            ".github/",
        ];
        if roots.iter().any(|root| quoted.starts_with(root)) && !quoted.contains([' ', '*']) {
            named += 1;
            if !repo().join(quoted.trim_end_matches('/')).exists() {
                missing.push(quoted.to_owned());
            }
        }
    }
    assert!(
        named > 20,
        "ARCHITECTURE.md names only {named} paths: is the parser right?"
    );
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:#?}"
    );
}

/// The other way round: every Rust file of the tool (`src/`) and of the
/// library (`crates/webhooks/src/`) is on the map. The rule: ARCHITECTURE.md
/// names each file between backticks by its whole path from the
/// repository's root, as `src/probe/case.rs`; a folder module's `mod.rs`
/// may be named by its folder instead, with the trailing slash, as
/// `src/probe/`. A bare file name in a paragraph about its folder
/// (`case.rs`) does not count: the path is what a reader searches for.
#[test]
fn architecture_names_every_module() {
    let text = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let named: BTreeSet<&str> = quoted(&text).collect();
    let mut files = 0;
    let mut unnamed = Vec::new();
    for root in ["src", "crates/webhooks/src"] {
        for file in rust_files(&repo().join(root)) {
            files += 1;
            let folder = file.strip_suffix("mod.rs").filter(|f| f.ends_with('/'));
            if !named.contains(file.as_str()) && !folder.is_some_and(|f| named.contains(f)) {
                unnamed.push(file);
            }
        }
    }
    assert!(
        files > 50,
        "only {files} Rust files found: is the walk right?"
    );
    assert!(
        unnamed.is_empty(),
        "ARCHITECTURE.md does not name these modules by their paths: {unnamed:#?}"
    );
}

#[test]
fn the_readme_is_a_front_door() {
    let lines = std::fs::read_to_string(repo().join("README.md"))
        .expect("README.md")
        .lines()
        .count();
    assert!(
        lines < 300,
        "README.md has {lines} lines: move reference into docs/"
    );
}

#[test]
fn links_are_found_outside_code_only() {
    let text = "see [a](docs/a.md) and ![b](b.png)\n```\n[c](nowhere)\n```\n[d](x#y)";
    assert_eq!(links(text), ["docs/a.md", "b.png", "x#y"]);
}

#[test]
fn versions_pinned_in_the_docs_are_this_one() {
    // The CI examples pin `npx gpwh@VERSION`: a release must update them.
    let version = env!("CARGO_PKG_VERSION");
    let (mut seen, mut stale) = (0, Vec::new());
    for document in documents() {
        let text = std::fs::read_to_string(&document).expect("a document");
        for (at, _) in text.match_indices("gpwh@") {
            let pinned: String = text[at + "gpwh@".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || ".-+".contains(*c))
                .collect();
            seen += 1;
            if pinned != version {
                stale.push(format!("{}: gpwh@{pinned}", document.display()));
            }
        }
    }
    assert!(seen >= 2, "the CI examples pin no version");
    assert!(stale.is_empty(), "not {version}: {stale:#?}");
}
