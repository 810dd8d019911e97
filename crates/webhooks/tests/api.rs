//! The public API of gpwh-webhooks, one line per item, held to the committed
//! `api.txt` beside Cargo.toml: every change to what a game server can name
//! shows in review, as a diff of that file.
//!
//! rustdoc writes the crate as JSON (an unstable output of the stable
//! toolchain, enabled with `RUSTC_BOOTSTRAP=1`); the walk below starts at the
//! crate's root, follows its re-exports, and writes each public item under
//! the path a user names it by: modules, structs and their public fields,
//! enums and their variants (and `#[non_exhaustive]`), functions and methods
//! with their signatures, traits and their items, constants with their types,
//! the trait impls of every type (std's and other crates', not blanket ones)
//! with the auto traits a type has (`Send`, `Sync`, ...). An item that only
//! a feature brings is marked with that feature's `#[cfg]`: the crate is
//! documented with no features, with all, and with each alone.
//!
//! The JSON is read as plain `serde_json::Value`, not through the
//! rustdoc-types crate, whose version would have to match the toolchain's
//! format. Keys that changed names between format versions are read under
//! either name; a key the walk expects and does not find stops the test with
//! the format_version, to say which rustdoc wrote it.
//!
//! `GPWH_UPDATE_API=1 cargo test -p gpwh-webhooks --test api` rewrites the
//! listing.
//!
//! The same JSON holds each item's docs: a second test asks of every public
//! item a game server calls or names (modules, structs, enums, unions,
//! traits and their methods, functions, inherent methods, constants,
//! statics) an example that rustdoc compiles and runs. Variants, fields and
//! trait impls (std's `Display`, `From`, ...) are exempt: their docs are the
//! type's.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Map, Value};

/// The committed listing, beside Cargo.toml.
const LISTING: &str = "api.txt";

#[test]
fn the_public_api_is_the_committed_listing() {
    let package = env!("CARGO_PKG_NAME");
    let listing = listing(package);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(LISTING);
    if std::env::var_os("GPWH_UPDATE_API").is_some() {
        std::fs::write(&path, &listing).expect("writing the listing");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed.replace("\r\n", "\n") != listing {
        panic!(
            "the public API of {package} is not the one {LISTING} lists \
             (- listed, + now):\n\n{}\n\
             If the change is meant, rewrite the listing and commit it with the change:\n    \
             GPWH_UPDATE_API=1 cargo test -p {package} --test api",
            diff(&committed, &listing)
        );
    }
}

#[test]
fn every_public_item_has_an_example_that_runs() {
    let package = env!("CARGO_PKG_NAME");
    let missing = Api::without_examples(all_features_json(package));
    if !missing.is_empty() {
        panic!(
            "{} public items of {package} have no example that runs:\n\n    {}\n\n\
             Give each a doc example: a block fenced with a bare ``` under its doc comment, \
             short and self-contained, as a game server would write it; when it can fail, \
             end it with `# Ok::<(), gpwh_webhooks::Error>(())` and use `?`. A method needs \
             its own example (its type's does not count); a ```text, ```ignore, ```no_run \
             or ```compile_fail block does not count, since rustdoc does not run it. Then:\n    \
             cargo test -p {package} --all-features --doc",
            missing.len(),
            missing.join("\n    ")
        );
    }
}

/// The fences and the attributes rustdoc reads in a code block's info
/// string: what it shows is Rust it tests unless another word names a
/// language (```text, ```toml, ```sh).
#[test]
fn an_example_is_a_rust_block_that_runs() {
    for docs in [
        "Verifies.\n\n```\nlet a = 1;\n```",
        "```rust\nlet a = 1;\n```",
        "```should_panic,edition2021\npanic!();\n```",
        "````\nlet a = 1;\n````",
        "```text\nnot rust\n```\n\n~~~\nlet a = 1;\n~~~",
    ] {
        assert!(has_example(docs), "{docs:?}");
    }
    for docs in [
        "",
        "No example, `inline` code only.",
        // A closing fence is not an opening one.
        "```text\n$ gpwh verify\n```",
        "```toml\n[dependencies]\n```\n```sh\ncargo add gpwh-webhooks\n```",
        "```json\n{}\n```",
        // Shown, not run.
        "```ignore\nlet a = 1;\n```",
        "```no_run\nlet a = 1;\n```",
        "```compile_fail\nlet a: u8 = -1;\n```",
        // A fence inside another block is its text.
        "````text\n```\nlet a = 1;\n```\n````",
    ] {
        assert!(!has_example(docs), "{docs:?}");
    }
}

/// Whether `docs` (markdown) hold a code block that rustdoc compiles and
/// runs as a test.
fn has_example(docs: &str) -> bool {
    // The open block's fence character and length.
    let mut open: Option<(char, usize)> = None;
    for line in docs.lines() {
        let line = line.trim_start();
        let Some(marker) = line.chars().next().filter(|c| matches!(c, '`' | '~')) else {
            continue;
        };
        let length = line.chars().take_while(|c| *c == marker).count();
        if length < 3 {
            continue;
        }
        // Both fence characters are one byte.
        let info = &line[length..];
        match open {
            Some((fence, at_least)) => {
                if marker == fence && length >= at_least && info.trim().is_empty() {
                    open = None;
                }
            }
            None => {
                if runs_as_rust(info) {
                    return true;
                }
                open = Some((marker, length));
            }
        }
    }
    false
}

/// Whether a fence's info string makes its block a doctest that runs:
/// rustdoc's own words only (`rust`, `should_panic`, `edition2021`, ...),
/// none of them one that stops the run.
fn runs_as_rust(info: &str) -> bool {
    let words: Vec<&str> = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|word| word.trim_matches(|c| c == '{' || c == '}' || c == '.'))
        .filter(|word| !word.is_empty())
        .collect();
    let rustdoc = |word: &str| {
        matches!(
            word,
            "rust" | "should_panic" | "test_harness" | "standalone_crate"
        ) || word.starts_with("edition")
    };
    words.iter().all(|word| rustdoc(word))
}

/// rustdoc's JSON with every feature, built once for both tests: the
/// listing's other builds write the same file.
fn all_features_json(package: &str) -> &'static Value {
    static ALL: OnceLock<Value> = OnceLock::new();
    ALL.get_or_init(|| rustdoc_json(package, Build::All))
}

/// The whole listing: a header, then one line per item, sorted by path.
fn listing(package: &str) -> String {
    let features = features(package);
    let all = Api::lines(all_features_json(package));
    let base = Api::lines(&rustdoc_json(package, Build::None));
    // Which features bring the items the base lacks: those whose build alone
    // has them. A lone feature brings them all; none needs a build.
    let gated: Vec<&String> = all.iter().filter(|line| !base.contains(*line)).collect();
    let mut bringers: BTreeMap<&String, Vec<&str>> = BTreeMap::new();
    if !gated.is_empty() {
        for feature in &features {
            let alone = if features.len() == 1 {
                all.clone()
            } else {
                Api::lines(&rustdoc_json(package, Build::Only(feature)))
            };
            for line in &gated {
                if alone.contains(*line) {
                    bringers.entry(line).or_default().push(feature);
                }
            }
        }
    }
    let mut out = format!(
        "# The public API of {package}, with every feature: one line per item, its path\n\
         # then its declaration. Written by tests/api.rs from rustdoc's JSON; after a\n\
         # change to the API, `GPWH_UPDATE_API=1 cargo test -p {package} --test api`\n\
         # rewrites it.\n"
    );
    for line in &all {
        out.push_str(line);
        if !base.contains(line) {
            let cfg = match bringers.get(line).map(Vec::as_slice) {
                Some([feature]) => format!("feature = \"{feature}\""),
                Some(several) => format!(
                    "any({})",
                    several
                        .iter()
                        .map(|feature| format!("feature = \"{feature}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => format!(
                    "all({})",
                    features
                        .iter()
                        .map(|feature| format!("feature = \"{feature}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            out.push_str(&format!("  #[cfg({cfg})]"));
        }
        out.push('\n');
    }
    out
}

/// The features a build of the crate can be given, as cargo reads them.
fn features(package: &str) -> Vec<String> {
    let output = cargo()
        .args(["metadata", "--format-version", "1", "--no-deps", "--locked"])
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata's JSON");
    let packages = metadata["packages"].as_array().expect("a packages list");
    let found = packages
        .iter()
        .find(|candidate| candidate["name"] == package)
        .expect("the crate is in the workspace");
    let features = found["features"].as_object().expect("a features map");
    features
        .keys()
        .filter(|name| *name != "default")
        .cloned()
        .collect()
}

enum Build<'f> {
    All,
    None,
    Only(&'f str),
}

/// rustdoc's JSON of the crate's library, built in a target directory of its
/// own under target/tmp, apart from the one this test runs from (and its
/// lock).
fn rustdoc_json(package: &str, build: Build) -> Value {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("api-listing");
    let mut command = cargo();
    command
        .args(["rustdoc", "--quiet", "--lib", "--locked", "-p", package])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTDOCFLAGS")
        .env_remove("CARGO_ENCODED_RUSTDOCFLAGS");
    match build {
        Build::All => command.arg("--all-features"),
        Build::None => command.arg("--no-default-features"),
        Build::Only(feature) => command.args(["--no-default-features", "--features", feature]),
    };
    command.args(["--", "-Z", "unstable-options", "--output-format", "json"]);
    let output = command.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let file = target
        .join("doc")
        .join(format!("{}.json", package.replace('-', "_")));
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|err| panic!("reading {}: {err}", file.display()));
    serde_json::from_str(&text).expect("rustdoc's JSON parses")
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// The auto traits a listing names when rustdoc finds them implemented: the
/// stable ones, which a user can rely on and a change can take away.
const AUTO_TRAITS: [&str; 5] = ["Send", "Sync", "Unpin", "UnwindSafe", "RefUnwindSafe"];

/// Traits an impl of which is an artifact of a derive, not a promise.
const UNNAMEABLE_TRAITS: [&str; 1] = ["StructuralPartialEq"];

/// The crates whose items a listing names without their crate.
const STD_CRATES: [&str; 3] = ["std", "core", "alloc"];

/// One rustdoc JSON document, and what the walk learns of it.
struct Api<'j> {
    format: String,
    index: &'j Map<String, Value>,
    paths: &'j Map<String, Value>,
    crates: &'j Map<String, Value>,
    krate: String,
    /// The path each local item is first reached by, from the root.
    public: BTreeMap<String, String>,
    /// (path, order, declaration): the item first, then its impls.
    lines: BTreeSet<(String, u8, String)>,
    /// Modules being walked, against re-exports that lead back.
    walking: HashSet<String>,
}

impl<'j> Api<'j> {
    /// The listing's lines for one document, sorted by path.
    fn lines(doc: &'j Value) -> Vec<String> {
        let (mut api, root) = Api::new(doc);
        // First the paths, breadth first so that the shortest names a
        // type; then the lines, which name types by those paths.
        api.name_paths(&root);
        let krate = api.krate.clone();
        api.walk_module(&root, &krate);
        api.lines
            .iter()
            .map(|(path, _, declaration)| format!("{path}  {declaration}"))
            .collect()
    }

    /// The public items whose docs hold no example that runs, sorted, each
    /// as its path and where it is declared.
    fn without_examples(doc: &'j Value) -> Vec<String> {
        let (mut api, root) = Api::new(doc);
        api.name_paths(&root);
        let mut items: Vec<(String, String)> = vec![(api.krate.clone(), root)];
        for (id, path) in &api.public {
            let Some(item) = api.index.get(id) else {
                continue;
            };
            let (kind, inner) = api.inner(item);
            match kind {
                "module" | "function" | "constant" | "static" => {}
                "struct" | "enum" | "union" => {
                    for implementation in api.array(inner, &["impls"]) {
                        let implementation = self::id(implementation).expect("an impl's id");
                        items.extend(api.inherent_members(&implementation, path));
                    }
                }
                "trait" => {
                    for member in api.array(inner, &["items"]) {
                        let member = self::id(member).expect("a trait item's id");
                        if api.inner(api.item(&member)).0 == "function" {
                            let name = api.str(api.item(&member), "name");
                            items.push((format!("{path}::{name}"), member));
                        }
                    }
                }
                _ => continue,
            }
            items.push((path.clone(), id.clone()));
        }
        let mut missing: Vec<String> = items
            .iter()
            .filter(|(_, id)| {
                let docs = api.item(id).get("docs").and_then(Value::as_str);
                !has_example(docs.unwrap_or(""))
            })
            .map(|(path, id)| format!("{path}{}", api.declared_at(id)))
            .collect();
        missing.sort();
        missing.dedup();
        missing
    }

    /// The public methods and constants of an inherent impl (none of a
    /// trait impl), as (path, id).
    fn inherent_members(&self, impl_id: &str, path: &str) -> Vec<(String, String)> {
        let (_, inner) = self.inner(self.item(impl_id));
        let blanket = inner.get("blanket_impl").is_some_and(|b| !b.is_null());
        if blanket || inner.get("trait").is_some_and(|t| !t.is_null()) {
            return Vec::new();
        }
        self.array(inner, &["items"])
            .iter()
            .filter_map(id)
            .filter(|member| {
                let item = self.item(member);
                self.is_public(item)
                    && matches!(
                        self.inner(item).0,
                        "function" | "method" | "assoc_const" | "constant"
                    )
            })
            .map(|member| {
                let name = self.str(self.item(&member), "name");
                (format!("{path}::{name}"), member)
            })
            .collect()
    }

    /// `  (crates/webhooks/src/error.rs:146)`: where rustdoc saw the item,
    /// relative to the workspace; nothing when it does not say.
    fn declared_at(&self, id: &str) -> String {
        let span = self.item(id).get("span");
        let file = span
            .and_then(|span| span.get("filename"))
            .and_then(Value::as_str);
        let line = span
            .and_then(|span| span.get("begin"))
            .and_then(|begin| begin.get(0))
            .and_then(Value::as_u64);
        match (file, line) {
            (Some(file), Some(line)) => format!("  ({file}:{line})"),
            _ => String::new(),
        }
    }

    /// The document's walker, before any walk, and its root's id.
    fn new(doc: &'j Value) -> (Api<'j>, String) {
        let format = doc
            .get("format_version")
            .map_or_else(|| "unknown".to_owned(), Value::to_string);
        let object = |key: &str| {
            doc.get(key).and_then(Value::as_object).unwrap_or_else(|| {
                panic!("rustdoc JSON format_version {format}: no {key:?} object at the top")
            })
        };
        let mut api = Api {
            index: object("index"),
            paths: object("paths"),
            crates: object("external_crates"),
            krate: String::new(),
            public: BTreeMap::new(),
            lines: BTreeSet::new(),
            walking: HashSet::new(),
            format: format.clone(),
        };
        let root = id(doc.get("root").unwrap_or(&Value::Null))
            .unwrap_or_else(|| panic!("rustdoc JSON format_version {format}: no root"));
        api.krate = api.str(api.item(&root), "name").to_owned();
        (api, root)
    }

    // --- reading the JSON -------------------------------------------------

    fn missing(&self, what: &str, within: &Value) -> ! {
        let mut shown = within.to_string();
        if shown.len() > 300 {
            let mut end = 300;
            while !shown.is_char_boundary(end) {
                end -= 1;
            }
            shown.truncate(end);
            shown.push_str("...");
        }
        panic!(
            "rustdoc JSON format_version {}: expected {what} in {shown}\n\
             (tests/api.rs reads the format of the toolchain it was written with; \
             teach it the new name)",
            self.format
        )
    }

    /// The value under the first of `keys` that `value` has.
    fn key<'v>(&self, value: &'v Value, keys: &[&str]) -> &'v Value {
        keys.iter()
            .find_map(|key| value.get(*key))
            .unwrap_or_else(|| self.missing(&format!("a key {keys:?}"), value))
    }

    fn str<'v>(&self, value: &'v Value, key: &str) -> &'v str {
        value
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_else(|| self.missing(&format!("a string {key:?}"), value))
    }

    fn array<'v>(&self, value: &'v Value, keys: &[&str]) -> &'v [Value] {
        match self.key(value, keys) {
            Value::Array(items) => items,
            Value::Null => &[],
            other => self.missing(&format!("an array {keys:?}"), other),
        }
    }

    fn flag(&self, value: &Value, keys: &[&str]) -> bool {
        keys.iter()
            .find_map(|key| value.get(*key))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    fn item(&self, id: &str) -> &'j Value {
        self.index
            .get(id)
            .unwrap_or_else(|| self.missing(&format!("the item {id} in the index"), &Value::Null))
    }

    /// An item's kind and the object under it: `("struct", {...})`.
    fn inner<'v>(&self, item: &'v Value) -> (&'v str, &'v Value) {
        match item.get("inner") {
            Some(Value::Object(inner)) if inner.len() == 1 => {
                let (kind, value) = inner.iter().next().expect("one entry");
                (kind.as_str(), value)
            }
            // Before format 23 or so, the kind was a field of its own.
            _ => match (item.get("kind").and_then(Value::as_str), item.get("inner")) {
                (Some(kind), Some(inner)) => (kind, inner),
                _ => self.missing("an item's \"inner\"", item),
            },
        }
    }

    fn is_public(&self, item: &Value) -> bool {
        item.get("visibility").and_then(Value::as_str) == Some("public")
    }

    fn attrs_say(&self, item: &Value, attribute: &str) -> bool {
        let Some(Value::Array(attrs)) = item.get("attrs") else {
            return false;
        };
        attrs.iter().any(|attr| match attr {
            Value::String(text) => text == attribute || text.starts_with(&format!("#[{attribute}")),
            Value::Object(object) => {
                object.contains_key(attribute)
                    || object
                        .get("other")
                        .and_then(Value::as_str)
                        .is_some_and(|text| text.starts_with(&format!("#[{attribute}")))
            }
            _ => false,
        })
    }

    // --- the walk ------------------------------------------------------------

    fn name_paths(&mut self, root: &str) {
        let mut queue = std::collections::VecDeque::from([(root.to_owned(), self.krate.clone())]);
        let mut seen = HashSet::new();
        while let Some((module, path)) = queue.pop_front() {
            if !seen.insert(module.clone()) {
                continue;
            }
            let (_, inner) = self.inner(self.item(&module));
            for child in self.array(inner, &["items"]) {
                let Some(child) = id(child) else { continue };
                let Some(item) = self.index.get(&child) else {
                    continue;
                };
                let (kind, value) = self.inner(item);
                let (target, name) = if kind == "use" || kind == "import" {
                    if !self.is_public(item) || self.flag(value, &["is_glob", "glob"]) {
                        if self.flag(value, &["is_glob", "glob"])
                            && let Some(target) = value.get("id").and_then(id)
                            && self.index.contains_key(&target)
                        {
                            queue.push_back((target, path.clone()));
                        }
                        continue;
                    }
                    let Some(target) = value.get("id").and_then(id) else {
                        continue;
                    };
                    (target, self.str(value, "name").to_owned())
                } else {
                    if !self.is_public(item) {
                        continue;
                    }
                    let Some(name) = item.get("name").and_then(Value::as_str) else {
                        continue;
                    };
                    (child.clone(), name.to_owned())
                };
                let full = format!("{path}::{name}");
                if !self.public.contains_key(&target) {
                    self.public.insert(target.clone(), full.clone());
                }
                if let Some(target_item) = self.index.get(&target)
                    && self.inner(target_item).0 == "module"
                {
                    queue.push_back((target, full));
                }
            }
        }
    }

    fn walk_module(&mut self, module: &str, path: &str) {
        if !self.walking.insert(module.to_owned()) {
            return;
        }
        let (_, inner) = self.inner(self.item(module));
        for child in self.array(inner, &["items"]) {
            let Some(child) = id(child) else { continue };
            let Some(item) = self.index.get(&child) else {
                continue;
            };
            if !self.is_public(item) {
                continue;
            }
            let (kind, value) = self.inner(item);
            if kind == "use" || kind == "import" {
                let name = self.str(value, "name");
                let target = value.get("id").and_then(id);
                let local = target
                    .as_ref()
                    .filter(|target| self.index.contains_key(*target));
                match (self.flag(value, &["is_glob", "glob"]), local) {
                    (true, Some(target)) => self.walk_module(target, path),
                    (false, Some(target)) => self.walk_item(target, &format!("{path}::{name}")),
                    (glob, _) => {
                        let source = target
                            .and_then(|target| self.external_path(&target))
                            .unwrap_or_else(|| self.str(value, "source").to_owned());
                        let (shown, star) = if glob {
                            (path.to_owned(), "::*")
                        } else {
                            (format!("{path}::{name}"), "")
                        };
                        self.add(&shown, 0, format!("pub use {source}{star}"));
                    }
                }
            } else if let Some(name) = item.get("name").and_then(Value::as_str) {
                self.walk_item(&child, &format!("{path}::{name}"));
            }
        }
        self.walking.remove(module);
    }

    fn walk_item(&mut self, id: &str, path: &str) {
        let item = self.item(id);
        let name = item.get("name").and_then(Value::as_str).unwrap_or("_");
        let (kind, inner) = self.inner(item);
        let mut declaration = match kind {
            "module" => {
                self.add(path, 0, format!("mod {name}"));
                return self.walk_module(id, path);
            }
            "struct" => self.walk_struct(inner, name, path),
            "union" => {
                format!("union {name}{}", self.generics_of(inner)) + &self.walk_fields(inner, path)
            }
            "enum" => {
                for variant in self.array(inner, &["variants"]) {
                    let variant = self::id(variant).expect("a variant's id");
                    self.walk_variant(&variant, path);
                }
                let stripped = if self.flag(inner, &["has_stripped_variants", "variants_stripped"])
                {
                    " { .. }"
                } else {
                    ""
                };
                format!("enum {name}{}{stripped}", self.generics_of(inner))
            }
            "function" => self.function(name, inner),
            "trait" => self.walk_trait(inner, name, path),
            "trait_alias" => format!("trait {name}{} = ..", self.generics_of(inner)),
            "type_alias" | "typedef" => format!(
                "type {name}{} = {}",
                self.generics_of(inner),
                self.ty(self.key(inner, &["type"]))
            ),
            "constant" => {
                let ty = inner
                    .get("type")
                    .unwrap_or_else(|| self.key(inner, &["type_"]));
                format!("const {name}: {}", self.ty(ty))
            }
            "static" => format!(
                "static {}{name}: {}",
                if self.flag(inner, &["is_mutable", "mutable"]) {
                    "mut "
                } else {
                    ""
                },
                self.ty(self.key(inner, &["type"]))
            ),
            "macro" => format!("macro {name}!"),
            "proc_macro" => format!("proc_macro {name}"),
            "extern_crate" => format!("extern crate {name}"),
            "primitive" => format!("primitive {name}"),
            other => format!("{other} {name}"),
        };
        if self.attrs_say(item, "non_exhaustive") {
            declaration = format!("#[non_exhaustive] {declaration}");
        }
        if !item.get("deprecation").is_none_or(Value::is_null) {
            declaration = format!("#[deprecated] {declaration}");
        }
        self.add(path, 0, declaration);
        if matches!(kind, "struct" | "union" | "enum") {
            for impl_id in self.array(inner, &["impls"]) {
                let impl_id = self::id(impl_id).expect("an impl's id");
                self.walk_impl(&impl_id, path);
            }
        }
    }

    fn walk_struct(&mut self, inner: &Value, name: &str, path: &str) -> String {
        let generics = self.generics_of(inner);
        let kind = self.key(inner, &["kind", "struct_type"]);
        // Since format 20 or so `{"tuple": [...]}` and `{"plain": {...}}`;
        // before, a word, with the fields beside it.
        let (tuple, plain) = match kind {
            Value::String(word) if word == "unit" => return format!("struct {name}{generics};"),
            Value::String(word) if word == "tuple" => (inner.get("fields"), None),
            Value::String(_) => (None, Some(inner)),
            other => (other.get("tuple"), other.get("plain")),
        };
        if let Some(fields) = tuple {
            let fields = fields.as_array().cloned().unwrap_or_default();
            let mut shown = Vec::new();
            for (position, field) in fields.iter().enumerate() {
                match id(field) {
                    Some(field) => {
                        let ty = self.field_type(&field);
                        self.add(
                            &format!("{path}::{position}"),
                            0,
                            format!("field {position}: {ty}"),
                        );
                        shown.push(ty);
                    }
                    None => shown.push("_".to_owned()),
                }
            }
            return format!("struct {name}{generics}({});", shown.join(", "));
        }
        let plain = plain.unwrap_or_else(|| self.missing("a unit, tuple or plain struct", kind));
        format!("struct {name}{generics}") + &self.walk_fields(plain, path)
    }

    /// A struct's or variant's named fields, each a line; " { .. }" when
    /// some are private.
    fn walk_fields(&mut self, fields: &Value, path: &str) -> String {
        for field in self.array(fields, &["fields"]) {
            let field = id(field).expect("a field's id");
            let item = self.item(&field);
            let name = self.str(item, "name");
            let ty = self.field_type(&field);
            self.add(&format!("{path}::{name}"), 0, format!("field {name}: {ty}"));
        }
        if self.flag(fields, &["has_stripped_fields", "fields_stripped"]) {
            " { .. }".to_owned()
        } else {
            String::new()
        }
    }

    fn field_type(&self, field: &str) -> String {
        let (_, ty) = self.inner(self.item(field));
        self.ty(ty)
    }

    fn walk_variant(&mut self, variant: &str, enum_path: &str) {
        let item = self.item(variant);
        let name = self.str(item, "name").to_owned();
        let path = format!("{enum_path}::{name}");
        let (_, inner) = self.inner(item);
        let kind = self.key(inner, &["kind"]);
        let mut declaration = if let Some(fields) = kind.get("tuple") {
            let shown: Vec<String> = fields
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|field| id(field).map_or_else(|| "_".to_owned(), |f| self.field_type(&f)))
                .collect();
            format!("variant {name}({})", shown.join(", "))
        } else if let Some(fields) = kind.get("struct") {
            let mut shown = Vec::new();
            for field in self.array(fields, &["fields"]) {
                let field = id(field).expect("a field's id");
                let field_name = self.str(self.item(&field), "name");
                shown.push(format!("{field_name}: {}", self.field_type(&field)));
            }
            if self.flag(fields, &["has_stripped_fields", "fields_stripped"]) {
                shown.push("..".to_owned());
            }
            format!("variant {name} {{ {} }}", shown.join(", "))
        } else {
            format!("variant {name}")
        };
        if let Some(discriminant) = inner.get("discriminant").filter(|d| !d.is_null()) {
            let expr = discriminant
                .get("expr")
                .and_then(Value::as_str)
                .unwrap_or("_");
            declaration.push_str(&format!(" = {expr}"));
        }
        if self.attrs_say(item, "non_exhaustive") {
            declaration = format!("#[non_exhaustive] {declaration}");
        }
        self.add(&path, 0, declaration);
    }

    fn walk_trait(&mut self, inner: &Value, name: &str, path: &str) -> String {
        for member in self.array(inner, &["items"]) {
            let member = self::id(member).expect("a trait item's id");
            let item = self.item(&member);
            let member_name = self.str(item, "name");
            let declaration = self.member(item);
            self.add(&format!("{path}::{member_name}"), 0, declaration);
        }
        // Impls for types the listing walks are listed under the type.
        for implementation in self.array(inner, &["implementations", "implementors"]) {
            let implementation = self::id(implementation).expect("an impl's id");
            let Some(item) = self.index.get(&implementation) else {
                continue;
            };
            let (_, impl_inner) = self.inner(item);
            let listed = self
                .key(impl_inner, &["for"])
                .get("resolved_path")
                .and_then(|path| path.get("id"))
                .and_then(self::id)
                .is_some_and(|target| self.public.contains_key(&target));
            if !listed {
                self.walk_impl(&implementation, path);
            }
        }
        let mut declaration = String::new();
        if self.flag(inner, &["is_unsafe"]) {
            declaration.push_str("unsafe ");
        }
        if self.flag(inner, &["is_auto"]) {
            declaration.push_str("auto ");
        }
        declaration.push_str(&format!("trait {name}{}", self.params(inner)));
        let bounds = self.bounds(self.array(inner, &["bounds"]));
        if !bounds.is_empty() {
            declaration.push_str(&format!(": {bounds}"));
        }
        declaration + &self.where_clause(self.generics_value(inner))
    }

    /// A trait's item, or an impl's: a method, an associated type or const.
    fn member(&self, item: &Value) -> String {
        let name = self.str(item, "name");
        let (kind, inner) = self.inner(item);
        match kind {
            "function" | "method" => {
                let provided = self.flag(inner, &["has_body"]);
                self.function(name, inner) + if provided { " { .. }" } else { "" }
            }
            "assoc_type" => {
                let mut shown = format!("type {name}{}", self.params(inner));
                let bounds = self.bounds(self.array(inner, &["bounds"]));
                if !bounds.is_empty() {
                    shown.push_str(&format!(": {bounds}"));
                }
                if let Some(ty) = inner
                    .get("type")
                    .or_else(|| inner.get("default"))
                    .filter(|ty| !ty.is_null())
                {
                    shown.push_str(&format!(" = {}", self.ty(ty)));
                }
                shown
            }
            "assoc_const" => {
                let ty = inner
                    .get("type")
                    .unwrap_or_else(|| self.key(inner, &["type_"]));
                format!("const {name}: {}", self.ty(ty))
            }
            other => format!("{other} {name}"),
        }
    }

    fn walk_impl(&mut self, impl_id: &str, path: &str) {
        let item = self.item(impl_id);
        let (_, inner) = self.inner(item);
        if inner
            .get("blanket_impl")
            .is_some_and(|blanket| !blanket.is_null())
        {
            return;
        }
        let synthetic = self.flag(inner, &["is_synthetic", "synthetic"]);
        let for_type = self.ty(self.key(inner, &["for"]));
        let generics = self.params(inner);
        let where_clause = self.where_clause(self.generics_value(inner));
        let trait_path = inner.get("trait").filter(|t| !t.is_null());
        let Some(trait_path) = trait_path else {
            // Inherent: its public items, under the type.
            let context = if generics.is_empty() && where_clause.is_empty() {
                String::new()
            } else {
                format!("  // in impl{generics} {for_type}{where_clause}")
            };
            for member in self.array(inner, &["items"]) {
                let member = id(member).expect("an impl item's id");
                let member_item = self.item(&member);
                if !self.is_public(member_item) {
                    continue;
                }
                let name = self.str(member_item, "name");
                // Every inherent method has a body: no `{ .. }` to mark one.
                let declaration = self.member(member_item).replace(" { .. }", "") + &context;
                self.add(&format!("{path}::{name}"), 0, declaration);
            }
            return;
        };
        let trait_name = self.path(trait_path);
        let bare = trait_name.rsplit("::").next().unwrap_or(&trait_name);
        if UNNAMEABLE_TRAITS.contains(&bare) || synthetic && !AUTO_TRAITS.contains(&bare) {
            return;
        }
        let negative = if self.flag(inner, &["is_negative", "negative"]) {
            "!"
        } else {
            ""
        };
        let unsafety = if self.flag(inner, &["is_unsafe"]) {
            "unsafe "
        } else {
            ""
        };
        let mut declaration =
            format!("{unsafety}impl{generics} {negative}{trait_name} for {for_type}{where_clause}");
        // What the impl chooses: its associated types and consts.
        let mut chosen = Vec::new();
        for member in self.array(inner, &["items"]) {
            let member = id(member).expect("an impl item's id");
            let member_item = self.item(&member);
            let (kind, _) = self.inner(member_item);
            if kind != "function" && kind != "method" {
                chosen.push(self.member(member_item) + ";");
            }
        }
        if !chosen.is_empty() {
            declaration.push_str(&format!(" {{ {} }}", chosen.join(" ")));
        }
        self.add(path, 1, declaration);
    }

    fn add(&mut self, path: &str, order: u8, declaration: String) {
        self.lines.insert((path.to_owned(), order, declaration));
    }

    // --- rendering -----------------------------------------------------------

    fn function(&self, name: &str, inner: &Value) -> String {
        let sig = self.key(inner, &["sig", "decl"]);
        let header = inner.get("header").unwrap_or(&Value::Null);
        let mut shown = String::new();
        if self.flag(header, &["is_const", "const_"]) {
            shown.push_str("const ");
        }
        if self.flag(header, &["is_async", "async_"]) {
            shown.push_str("async ");
        }
        if self.flag(header, &["is_unsafe", "unsafe_"]) {
            shown.push_str("unsafe ");
        }
        match header.get("abi") {
            None | Some(Value::Null) => {}
            Some(Value::String(abi)) if abi == "Rust" => {}
            Some(abi) => shown.push_str(&format!("extern {} ", abi_name(abi))),
        }
        let inputs: Vec<String> = self
            .array(sig, &["inputs"])
            .iter()
            .map(|input| {
                let pair = input.as_array().map(Vec::as_slice).unwrap_or_default();
                let [name, ty] = pair else {
                    self.missing("an input as [name, type]", input)
                };
                let name = name.as_str().unwrap_or("_");
                if name == "self" {
                    self.receiver(ty)
                } else {
                    format!("{name}: {}", self.ty(ty))
                }
            })
            .collect();
        shown.push_str(&format!(
            "fn {name}{}({})",
            self.params(inner),
            inputs.join(", ")
        ));
        // No output, or `()`: nothing after the parameters.
        let unit = |output: &Value| {
            output
                .get("tuple")
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty)
        };
        if let Some(output) = sig
            .get("output")
            .filter(|output| !output.is_null() && !unit(output))
        {
            shown.push_str(&format!(" -> {}", self.ty(output)));
        }
        shown + &self.where_clause(self.generics_value(inner))
    }

    /// `&`, the lifetime and `mut ` of a reference, as it is written before
    /// the type it refers to.
    fn reference(&self, reference: &Value) -> String {
        let lifetime = reference
            .get("lifetime")
            .and_then(Value::as_str)
            .map(|lifetime| format!("{lifetime} "))
            .unwrap_or_default();
        let mutable = if self.flag(reference, &["is_mutable", "mutable"]) {
            "mut "
        } else {
            ""
        };
        format!("&{lifetime}{mutable}")
    }

    fn receiver(&self, ty: &Value) -> String {
        let is_self = |ty: &Value| ty.get("generic").and_then(Value::as_str) == Some("Self");
        if is_self(ty) {
            return "self".to_owned();
        }
        if let Some(reference) = ty.get("borrowed_ref")
            && is_self(self.key(reference, &["type"]))
        {
            return format!("{}self", self.reference(reference));
        }
        format!("self: {}", self.ty(ty))
    }

    fn generics_value<'v>(&self, inner: &'v Value) -> &'v Value {
        inner.get("generics").unwrap_or(&Value::Null)
    }

    fn generics_of(&self, inner: &Value) -> String {
        self.params(inner) + &self.where_clause(self.generics_value(inner))
    }

    /// `<'a, T: Bound = Default, const N: usize>`, without the parameters
    /// rustdoc makes up for `impl Trait` arguments.
    fn params(&self, inner: &Value) -> String {
        let generics = self.generics_value(inner);
        if generics.is_null() {
            return String::new();
        }
        let params: Vec<String> = self
            .array(generics, &["params"])
            .iter()
            .filter_map(|param| self.param(param))
            .collect();
        if params.is_empty() {
            String::new()
        } else {
            format!("<{}>", params.join(", "))
        }
    }

    fn param(&self, param: &Value) -> Option<String> {
        let name = self.str(param, "name");
        let kind = self.key(param, &["kind"]);
        if let Some(lifetime) = kind.get("lifetime") {
            let outlives: Vec<&str> = self
                .array(lifetime, &["outlives"])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            return Some(if outlives.is_empty() {
                name.to_owned()
            } else {
                format!("{name}: {}", outlives.join(" + "))
            });
        }
        if let Some(ty) = kind.get("type") {
            if self.flag(ty, &["is_synthetic", "synthetic"]) {
                return None;
            }
            let mut shown = name.to_owned();
            let bounds = self.bounds(self.array(ty, &["bounds"]));
            if !bounds.is_empty() {
                shown.push_str(&format!(": {bounds}"));
            }
            if let Some(default) = ty.get("default").filter(|d| !d.is_null()) {
                shown.push_str(&format!(" = {}", self.ty(default)));
            }
            return Some(shown);
        }
        if let Some(constant) = kind.get("const") {
            let ty = constant
                .get("type")
                .unwrap_or_else(|| self.key(constant, &["type_"]));
            return Some(format!("const {name}: {}", self.ty(ty)));
        }
        self.missing("a lifetime, type or const parameter", param)
    }

    fn where_clause(&self, generics: &Value) -> String {
        if generics.is_null() {
            return String::new();
        }
        let predicates: Vec<String> = self
            .array(generics, &["where_predicates"])
            .iter()
            .map(|predicate| {
                if let Some(bound) = predicate.get("bound_predicate") {
                    format!(
                        "{}{}: {}",
                        self.higher_ranked(bound.get("generic_params")),
                        self.ty(self.key(bound, &["type"])),
                        self.bounds(self.array(bound, &["bounds"]))
                    )
                } else if let Some(lifetime) = predicate.get("lifetime_predicate") {
                    let outlives: Vec<&str> = self
                        .array(lifetime, &["outlives"])
                        .iter()
                        .filter_map(Value::as_str)
                        .collect();
                    format!(
                        "{}: {}",
                        self.str(lifetime, "lifetime"),
                        outlives.join(" + ")
                    )
                } else if let Some(equal) = predicate.get("eq_predicate") {
                    format!(
                        "{} = {}",
                        self.ty(self.key(equal, &["lhs"])),
                        self.term(self.key(equal, &["rhs"]))
                    )
                } else {
                    self.missing("a where predicate", predicate)
                }
            })
            .collect();
        if predicates.is_empty() {
            String::new()
        } else {
            format!(" where {}", predicates.join(", "))
        }
    }

    fn higher_ranked(&self, params: Option<&Value>) -> String {
        let params: Vec<String> = params
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|param| self.param(param))
            .collect();
        if params.is_empty() {
            String::new()
        } else {
            format!("for<{}> ", params.join(", "))
        }
    }

    fn bounds(&self, bounds: &[Value]) -> String {
        let shown: Vec<String> = bounds
            .iter()
            .map(|bound| {
                if let Some(trait_bound) = bound.get("trait_bound") {
                    let modifier = match trait_bound.get("modifier").and_then(Value::as_str) {
                        Some("maybe") => "?",
                        Some("maybe_const") => "~const ",
                        _ => "",
                    };
                    format!(
                        "{}{modifier}{}",
                        self.higher_ranked(trait_bound.get("generic_params")),
                        self.path(self.key(trait_bound, &["trait"]))
                    )
                } else if let Some(outlives) = bound.get("outlives") {
                    outlives.as_str().unwrap_or("'_").to_owned()
                } else if let Some(captured) = bound.get("use") {
                    let names: Vec<String> = captured
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .map(|name| match name {
                            Value::String(name) => name.clone(),
                            Value::Object(object) => object
                                .values()
                                .next()
                                .and_then(Value::as_str)
                                .unwrap_or("_")
                                .to_owned(),
                            _ => "_".to_owned(),
                        })
                        .collect();
                    format!("use<{}>", names.join(", "))
                } else {
                    self.missing("a trait bound, outlives or use", bound)
                }
            })
            .collect();
        shown.join(" + ")
    }

    /// A path to a type or trait, with its generic arguments.
    fn path(&self, path: &Value) -> String {
        let written = path
            .get("path")
            .or_else(|| path.get("name"))
            .and_then(Value::as_str)
            .unwrap_or_else(|| self.missing("a path's \"path\"", path));
        let name = path
            .get("id")
            .and_then(id)
            .and_then(|id| self.name_of(&id))
            .unwrap_or_else(|| written.trim_start_matches("::").to_owned());
        name + &self.args(path.get("args"))
    }

    /// How the listing names an item: a local one by its public path from
    /// the crate's root, std's by its name, another crate's as
    /// `crate::Name`. `Result` and `Error` keep their module (`fmt::Result`,
    /// `io::Error`) unless they are the prelude's `Result`, so that they do
    /// not read as the crate's own.
    fn name_of(&self, id: &str) -> Option<String> {
        if let Some(public) = self.public.get(id) {
            let relative = public
                .strip_prefix(&self.krate)
                .and_then(|rest| rest.strip_prefix("::"))
                .unwrap_or(public);
            return Some(relative.to_owned());
        }
        let summary = self.paths.get(id)?;
        let segments: Vec<&str> = self
            .array(summary, &["path"])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let (&name, modules) = segments.split_last()?;
        let krate = summary
            .get("crate_id")
            .and_then(|krate| self.crates.get(&krate.to_string()))
            .and_then(|krate| krate.get("name"))
            .and_then(Value::as_str)
            .unwrap_or_else(|| modules.first().copied().unwrap_or(""));
        let local = summary.get("crate_id").and_then(Value::as_u64) == Some(0);
        let mut shown = if local || STD_CRATES.contains(&krate) {
            String::new()
        } else {
            format!("{krate}::")
        };
        let parent = modules.last().copied().unwrap_or("");
        if matches!(name, "Result" | "Error") && !(name == "Result" && parent == "result") {
            shown.push_str(&format!("{parent}::"));
        }
        shown.push_str(name);
        Some(shown)
    }

    fn external_path(&self, id: &str) -> Option<String> {
        let summary = self.paths.get(id)?;
        let segments: Vec<&str> = self
            .array(summary, &["path"])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        Some(segments.join("::"))
    }

    fn args(&self, args: Option<&Value>) -> String {
        let Some(args) = args.filter(|args| !args.is_null()) else {
            return String::new();
        };
        if let Some(angle) = args.get("angle_bracketed") {
            let mut shown: Vec<String> = self
                .array(angle, &["args"])
                .iter()
                .map(|arg| match arg {
                    Value::String(text) if text == "infer" => "_".to_owned(),
                    _ => {
                        if let Some(ty) = arg.get("type") {
                            self.ty(ty)
                        } else if let Some(lifetime) = arg.get("lifetime") {
                            lifetime.as_str().unwrap_or("'_").to_owned()
                        } else if let Some(constant) = arg.get("const") {
                            constant
                                .get("expr")
                                .and_then(Value::as_str)
                                .unwrap_or("_")
                                .to_owned()
                        } else {
                            self.missing("a type, lifetime or const argument", arg)
                        }
                    }
                })
                .collect();
            for constraint in self.array(angle, &["constraints", "bindings"]) {
                let name = self.str(constraint, "name");
                let own = self.args(constraint.get("args"));
                let binding = self.key(constraint, &["binding"]);
                if let Some(equality) = binding.get("equality") {
                    shown.push(format!("{name}{own} = {}", self.term(equality)));
                } else if let Some(bounds) = binding.get("constraint") {
                    let bounds = bounds.as_array().map(Vec::as_slice).unwrap_or_default();
                    shown.push(format!("{name}{own}: {}", self.bounds(bounds)));
                } else {
                    self.missing("an equality or constraint", binding);
                }
            }
            return if shown.is_empty() {
                String::new()
            } else {
                format!("<{}>", shown.join(", "))
            };
        }
        if let Some(parenthesized) = args.get("parenthesized") {
            let inputs: Vec<String> = self
                .array(parenthesized, &["inputs"])
                .iter()
                .map(|input| self.ty(input))
                .collect();
            let output = parenthesized
                .get("output")
                .filter(|output| !output.is_null())
                .map(|output| format!(" -> {}", self.ty(output)))
                .unwrap_or_default();
            return format!("({}){output}", inputs.join(", "));
        }
        if args.get("return_type_notation").is_some() || args == "return_type_notation" {
            return "(..)".to_owned();
        }
        self.missing("angle_bracketed or parenthesized arguments", args)
    }

    /// The right side of `Item = ...`: a type or a constant.
    fn term(&self, term: &Value) -> String {
        if let Some(ty) = term.get("type") {
            return self.ty(ty);
        }
        if let Some(constant) = term.get("constant") {
            return constant
                .get("expr")
                .and_then(Value::as_str)
                .unwrap_or("_")
                .to_owned();
        }
        self.ty(term)
    }

    fn ty(&self, ty: &Value) -> String {
        if let Value::String(text) = ty {
            return match text.as_str() {
                "infer" => "_".to_owned(),
                other => other.to_owned(),
            };
        }
        let Some((kind, value)) = ty.as_object().and_then(|object| object.iter().next()) else {
            self.missing("a type", ty)
        };
        match kind.as_str() {
            "resolved_path" => self.path(value),
            "generic" | "primitive" => value.as_str().unwrap_or("_").to_owned(),
            "tuple" => {
                let items: Vec<String> = value
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|item| self.ty(item))
                    .collect();
                if items.len() == 1 {
                    format!("({},)", items[0])
                } else {
                    format!("({})", items.join(", "))
                }
            }
            "slice" => format!("[{}]", self.ty(value)),
            "array" => format!(
                "[{}; {}]",
                self.ty(self.key(value, &["type"])),
                value.get("len").and_then(Value::as_str).unwrap_or("_")
            ),
            "pat" => self.ty(self.key(value, &["type"])),
            "borrowed_ref" => {
                format!(
                    "{}{}",
                    self.reference(value),
                    self.ty(self.key(value, &["type"]))
                )
            }
            "raw_pointer" => {
                let mutable = if self.flag(value, &["is_mutable", "mutable"]) {
                    "mut"
                } else {
                    "const"
                };
                format!("*{mutable} {}", self.ty(self.key(value, &["type"])))
            }
            "impl_trait" => {
                let bounds = value.as_array().map(Vec::as_slice).unwrap_or_default();
                format!("impl {}", self.bounds(bounds))
            }
            "dyn_trait" => {
                let mut parts: Vec<String> = self
                    .array(value, &["traits"])
                    .iter()
                    .map(|poly| {
                        format!(
                            "{}{}",
                            self.higher_ranked(poly.get("generic_params")),
                            self.path(self.key(poly, &["trait"]))
                        )
                    })
                    .collect();
                if let Some(lifetime) = value.get("lifetime").and_then(Value::as_str) {
                    parts.push(lifetime.to_owned());
                }
                format!("dyn {}", parts.join(" + "))
            }
            "function_pointer" => {
                let sig = self.key(value, &["sig", "decl"]);
                let inputs: Vec<String> = self
                    .array(sig, &["inputs"])
                    .iter()
                    .map(|input| match input.as_array().map(Vec::as_slice) {
                        Some([_, ty]) => self.ty(ty),
                        _ => self.missing("an input as [name, type]", input),
                    })
                    .collect();
                let output = sig
                    .get("output")
                    .filter(|output| !output.is_null())
                    .map(|output| format!(" -> {}", self.ty(output)))
                    .unwrap_or_default();
                format!(
                    "{}fn({}){output}",
                    self.higher_ranked(value.get("generic_params")),
                    inputs.join(", ")
                )
            }
            "qualified_path" => {
                let name = self.str(value, "name");
                let self_type = self.ty(self.key(value, &["self_type"]));
                let args = self.args(value.get("args"));
                match value.get("trait").filter(|t| !t.is_null()) {
                    Some(trait_path) => {
                        format!("<{self_type} as {}>::{name}{args}", self.path(trait_path))
                    }
                    None => format!("{self_type}::{name}{args}"),
                }
            }
            other => self.missing(&format!("a type kind this test knows, not {other:?}"), ty),
        }
    }
}

/// An item id: a number since format 40 or so, a string before.
fn id(value: &Value) -> Option<String> {
    match value {
        Value::Number(number) => Some(number.to_string()),
        Value::String(text) => Some(text.clone()),
        _ => None,
    }
}

fn abi_name(abi: &Value) -> String {
    match abi {
        Value::String(name) => format!("{name:?}"),
        Value::Object(object) => object
            .keys()
            .next()
            .map_or_else(|| "\"?\"".to_owned(), |name| format!("{name:?}")),
        _ => "\"?\"".to_owned(),
    }
}

/// The lines that differ, as `-` (only in `old`) and `+` (only in `new`),
/// with two lines of context around each run and `@@` between runs.
fn diff(old: &str, new: &str) -> String {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    // The longest common subsequence, table from the ends.
    let mut common = vec![vec![0u32; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            common[i][j] = if old[i] == new[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let mut edits = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            edits.push((' ', old[i]));
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || common[i + 1][j] >= common[i][j + 1]) {
            edits.push(('-', old[i]));
            i += 1;
        } else {
            edits.push(('+', new[j]));
            j += 1;
        }
    }
    let near: Vec<bool> = (0..edits.len())
        .map(|at| {
            let from = at.saturating_sub(2);
            let to = (at + 3).min(edits.len());
            edits[from..to].iter().any(|(sign, _)| *sign != ' ')
        })
        .collect();
    let mut out = String::new();
    let mut shown_before = false;
    for (at, (sign, line)) in edits.iter().enumerate() {
        if near[at] {
            if !shown_before && at > 0 {
                out.push_str("@@\n");
            }
            out.push_str(&format!("{sign} {line}\n"));
        }
        shown_before = near[at];
    }
    out
}

/// The diff's own check: what it shows for a known change.
#[test]
fn the_diff_shows_removed_and_added_lines_with_context() {
    let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
    let new = "a\nb\nc\nD\ne\nf\ng\nh\ni\n";
    assert_eq!(
        diff(old, new),
        "@@\n  b\n  c\n- d\n+ D\n  e\n  f\n  g\n  h\n+ i\n"
    );
    // Changes more than four lines apart: two runs.
    let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    let new = "0\n1\n2\n3\n4\n5\n6\n7\n9\n";
    assert_eq!(diff(old, new), "+ 0\n  1\n  2\n@@\n  6\n  7\n- 8\n  9\n");
}
