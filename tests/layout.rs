//! The layout's rules, checked on the source itself so that ARCHITECTURE.md
//! stays true: no import circle among the modules of the library or of the
//! tool, no subcommand module that imports another, and a library that
//! never prints.
//!
//! Each crate's modules are read with syn from its root file, following
//! `mod` declarations. A module depends on another when it names one of
//! its items: in a `use` (a re-export included) or in a path written in
//! its code. Paths are resolved through `use` and `pub use` to the module
//! that defines the item, so a re-export in a parent does not hide where
//! an item lives. Paths inside macro calls are not read (syn leaves them
//! as tokens); a circle made only of those would go unseen.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// A module, as the path of names from its crate's root (empty for the
/// root itself).
type ModPath = Vec<String>;

#[derive(Default)]
struct Module {
    /// The file it is written in.
    file: PathBuf,
    /// Its child modules, by name.
    children: BTreeSet<String>,
    /// What its `use` items bring into scope: a name and the path it
    /// stands for, as written.
    imports: BTreeMap<String, Vec<String>>,
    /// Every path it names, as written: in its `use` items and its code.
    paths: Vec<Vec<String>>,
    /// The macros its code calls, by their last name.
    macros: BTreeSet<String>,
}

/// A crate's modules and which depends on which.
struct Crate {
    modules: BTreeMap<ModPath, Module>,
}

impl Crate {
    /// Reads the crate whose root file is `root`.
    fn load(root: &Path) -> Crate {
        let mut krate = Crate {
            modules: BTreeMap::new(),
        };
        let dir = root.parent().expect("a root file is in a folder");
        krate.load_file(root, dir, Vec::new());
        krate
    }

    /// Reads a module's file; `dir` is where its child modules' files are.
    fn load_file(&mut self, file: &Path, dir: &Path, path: ModPath) {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let syntax = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("cannot parse {}: {e}", file.display()));
        self.load_items(&syntax.items, file, dir, path);
    }

    fn load_items(&mut self, items: &[syn::Item], file: &Path, dir: &Path, path: ModPath) {
        let mut module = Module {
            file: file.to_owned(),
            ..Module::default()
        };
        let mut nested = Vec::new();
        for item in items {
            match item {
                syn::Item::Mod(declared) => {
                    let name = declared.ident.to_string();
                    module.children.insert(name.clone());
                    let mut child = path.clone();
                    child.push(name.clone());
                    nested.push((declared, child));
                }
                syn::Item::Use(import) => module.import(&import.tree, Vec::new()),
                other => module.visit_item(other),
            }
        }
        self.modules.insert(path, module);
        for (declared, child) in nested {
            let name = declared.ident.to_string();
            match &declared.content {
                Some((_, items)) => self.load_items(items, file, &dir.join(&name), child),
                None => {
                    let single = dir.join(format!("{name}.rs"));
                    let (file, dir) = if single.exists() {
                        (single, dir.join(&name))
                    } else {
                        (dir.join(&name).join("mod.rs"), dir.join(&name))
                    };
                    self.load_file(&file, &dir, child);
                }
            }
        }
    }

    /// The module that defines what `path`, written in `from`, names; none
    /// when it is outside the crate (another crate, a local name, a generic
    /// parameter).
    fn resolve(&self, from: &ModPath, path: &[String], depth: usize) -> Option<ModPath> {
        if depth > 32 || path.is_empty() {
            return None;
        }
        let (mut at, rest, anchored) = match path[0].as_str() {
            "crate" => (Vec::new(), &path[1..], true),
            "self" => (from.clone(), &path[1..], true),
            "super" => {
                let ups = path.iter().take_while(|s| *s == "super").count();
                let at = from[..from.len().checked_sub(ups)?].to_vec();
                (at, &path[ups..], true)
            }
            _ => (from.clone(), path, false),
        };
        for (i, name) in rest.iter().enumerate() {
            let module = self.modules.get(&at)?;
            if module.children.contains(name) {
                at.push(name.clone());
            } else if let Some(target) = module.imports.get(name) {
                let mut further = target.clone();
                further.extend_from_slice(&rest[i + 1..]);
                return self.resolve(&at, &further, depth + 1);
            } else if i == 0 && !anchored {
                return None;
            } else {
                return Some(at);
            }
        }
        Some(at)
    }

    /// Which modules each module depends on.
    fn dependencies(&self) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
        self.modules
            .iter()
            .map(|(from, module)| {
                let to = module
                    .paths
                    .iter()
                    .filter_map(|path| self.resolve(from, path, 0))
                    .filter(|to| to != from)
                    .collect();
                (from.clone(), to)
            })
            .collect()
    }

    /// The same dependencies between folders: where a module depends on
    /// one in another branch of the tree, the two branches' roots just
    /// below where they meet depend on each other. `a::x` using `b::y` makes
    /// `a` depend on `b`, so a circle between `a` and `b` shows even when
    /// their modules, one by one, form none.
    fn branch_dependencies(&self) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
        let mut branches: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
        for (from, to) in self.dependencies() {
            for to in to {
                let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
                if shared < from.len() && shared < to.len() {
                    branches
                        .entry(from[..=shared].to_vec())
                        .or_default()
                        .insert(to[..=shared].to_vec());
                }
            }
        }
        branches
    }

    /// Every import circle, among modules or among folders: each with one
    /// way round it.
    fn circles(&self) -> Vec<String> {
        let mut circles = Vec::new();
        for graph in [self.dependencies(), self.branch_dependencies()] {
            for component in strongly_connected(&graph) {
                let circle = describe_circle(&graph, &component);
                if component.len() > 1 && !circles.contains(&circle) {
                    circles.push(circle);
                }
            }
        }
        circles
    }
}

impl Module {
    /// Records a `use` tree: the names it brings in, and the paths it names.
    fn import(&mut self, tree: &syn::UseTree, mut prefix: Vec<String>) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.import(&path.tree, prefix);
            }
            syn::UseTree::Name(name) => {
                let name = name.ident.to_string();
                if name == "self" {
                    if let Some(last) = prefix.last().cloned() {
                        self.imports.insert(last, prefix.clone());
                    }
                } else {
                    prefix.push(name.clone());
                    self.imports.insert(name, prefix.clone());
                }
                self.paths.push(prefix);
            }
            syn::UseTree::Rename(rename) => {
                prefix.push(rename.ident.to_string());
                if rename.rename != "_" {
                    self.imports
                        .insert(rename.rename.to_string(), prefix.clone());
                }
                self.paths.push(prefix);
            }
            syn::UseTree::Glob(_) => self.paths.push(prefix),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.import(tree, prefix.clone());
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Module {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.paths
            .push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }

    /// `pub(crate)` and `pub(super)` name modules, but depend on none.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_item_use(&mut self, import: &'ast syn::ItemUse) {
        self.import(&import.tree, Vec::new());
    }

    fn visit_macro(&mut self, called: &'ast syn::Macro) {
        if let Some(last) = called.path.segments.last() {
            self.macros.insert(last.ident.to_string());
        }
        syn::visit::visit_macro(self, called);
    }
}

/// Tarjan's algorithm: the graph's strongly connected components.
fn strongly_connected(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    struct State<'g> {
        graph: &'g BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'g ModPath, usize>,
        low: BTreeMap<&'g ModPath, usize>,
        stack: Vec<&'g ModPath>,
        on_stack: BTreeSet<&'g ModPath>,
        components: Vec<Vec<ModPath>>,
    }
    fn visit<'g>(state: &mut State<'g>, node: &'g ModPath) {
        let n = state.index.len();
        state.index.insert(node, n);
        state.low.insert(node, n);
        state.stack.push(node);
        state.on_stack.insert(node);
        for next in state.graph.get(node).into_iter().flatten() {
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[node].min(state.low[next]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next) {
                let low = state.low[node].min(state.index[next]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member.clone());
                if member == node {
                    break;
                }
            }
            state.components.push(component);
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.components
}

/// `a -> b -> a`: one way round a strongly connected component, found by a
/// breadth-first search back to its first member.
fn describe_circle(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>, component: &[ModPath]) -> String {
    let members: BTreeSet<&ModPath> = component.iter().collect();
    let start = component.iter().min().expect("a component has a member");
    let mut came_from: BTreeMap<&ModPath, &ModPath> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut last = start;
    'search: while let Some(node) = queue.pop_front() {
        for next in graph.get(node).into_iter().flatten() {
            if next == start {
                last = node;
                break 'search;
            }
            if members.contains(next) && !came_from.contains_key(next) {
                came_from.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    let mut way = vec![start, last];
    while let Some(previous) = came_from.get(way[way.len() - 1]) {
        way.push(previous);
    }
    way.reverse();
    let others: Vec<String> = component
        .iter()
        .filter(|member| !way.contains(member))
        .map(name)
        .collect();
    let mut text = String::new();
    for (i, node) in way.iter().enumerate() {
        if i > 0 {
            text.push_str(" -> ");
        }
        write!(text, "{}", name(node)).expect("writing to a String cannot fail");
    }
    if !others.is_empty() {
        write!(text, ", with {} in the same knot", others.join(", "))
            .expect("writing to a String cannot fail");
    }
    text
}

fn name(path: &ModPath) -> String {
    if path.is_empty() {
        "crate".into()
    } else {
        path.join("::")
    }
}

fn source(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn the_library_has_no_import_circle() {
    let circles = Crate::load(&source("crates/webhooks/src/lib.rs")).circles();
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

#[test]
fn the_tool_has_no_import_circle() {
    let circles = Crate::load(&source("src/main.rs")).circles();
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

#[test]
fn no_command_imports_another() {
    let tool = Crate::load(&source("src/main.rs"));
    let commands = vec!["commands".to_owned()];
    let mut found = Vec::new();
    for (from, to) in tool.dependencies() {
        if from.len() > 1 && from.starts_with(&commands) {
            for to in to
                .iter()
                .filter(|to| to.starts_with(&commands) && to.len() > 1)
            {
                if to[1] != from[1] {
                    found.push(format!("{} uses {}", name(&from), name(to)));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "a command module uses another; move what they share out of commands/: {found:#?}"
    );
}

#[test]
fn the_library_never_prints() {
    let library = Crate::load(&source("crates/webhooks/src/lib.rs"));
    let printing = ["print", "println", "eprint", "eprintln", "dbg"];
    let mut found = Vec::new();
    for module in library.modules.values() {
        for called in module
            .macros
            .iter()
            .filter(|m| printing.contains(&m.as_str()))
        {
            found.push(format!("{}: {called}!", module.file.display()));
        }
        for path in &module.paths {
            if path.iter().any(|s| s == "stdout" || s == "stderr") {
                found.push(format!("{}: {}", module.file.display(), path.join("::")));
            }
        }
    }
    assert!(found.is_empty(), "the core prints: {found:#?}");
}

#[test]
fn every_message_of_the_tool_leaves_from_messages_rs() {
    let tool = Crate::load(&source("src/main.rs"));
    let printing = ["print", "println", "eprint", "eprintln", "dbg"];
    let mut found = Vec::new();
    for module in tool.modules.values() {
        let file = module.file.display().to_string();
        if file.ends_with("messages.rs") {
            continue;
        }
        for called in module
            .macros
            .iter()
            .filter(|m| printing.contains(&m.as_str()))
        {
            found.push(format!("{file}: {called}!"));
        }
        for path in &module.paths {
            if path.windows(2).any(|w| w[0] == "io" && w[1] == "stderr") {
                found.push(format!("{file}: {}", path.join("::")));
            }
        }
        // A message written by hand: the prefix outside messages.rs (tests
        // apart, which read messages back).
        let text = std::fs::read_to_string(&module.file).unwrap();
        let code = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        if code.contains("\"gpwh: ") {
            found.push(format!("{file}: \"gpwh: ...\""));
        }
    }
    assert!(
        found.is_empty(),
        "messages written outside src/messages.rs: {found:#?}"
    );
}

/// The checks above can fail: a crate of three modules, two of which import
/// each other through a re-export, is caught, and the way round is named.
#[test]
fn a_circle_through_a_re_export_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "lib.rs",
        "mod receiver;\nmod store;\nmod page;\npub use store::Delivery;\n",
    );
    write(
        "receiver.rs",
        "use crate::Delivery;\npub struct Receiver;\nfn keep(_: Delivery) {}\n",
    );
    write(
        "store.rs",
        "pub struct Delivery;\nfn replay(_: &crate::receiver::Receiver) {}\n",
    );
    write(
        "page.rs",
        "use super::store;\nfn show(_: store::Delivery) {}\n",
    );
    let krate = Crate::load(&dir.path().join("lib.rs"));
    assert_eq!(krate.circles(), ["receiver -> store -> receiver"]);

    write("store.rs", "pub struct Delivery;\n");
    assert!(Crate::load(&dir.path().join("lib.rs")).circles().is_empty());
}
