//! Portable by construction: the release builds gpwh for Windows and macOS
//! as well, and its CI compiles the tests there, so nothing that exists only
//! on Unix (`std::os::unix`, `tokio::signal::unix`, `rustix`, a `kill`,
//! `sh` or `script` run as a program, a path under `/dev`, `/proc`, `/bin`,
//! `/usr`, `/etc` or `/tmp`) may appear outside an item, statement or
//! expression under `cfg(unix)` (or a Unix `target_os`), or a module
//! declared under one. Checked on the source with syn, since this machine
//! cannot build for Windows.
//!
//! Inside macro calls syn sees only tokens: those are searched for the
//! same names, as a macro call is its own statement here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::spanned::Spanned as _;
use syn::visit::Visit;

/// Programs that exist only on Unix, as the tests would run them.
const UNIX_PROGRAMS: [&str; 6] = ["kill", "sh", "bash", "script", "timeout", "pkill"];

/// The starts of paths that exist only on Unix.
const UNIX_PATHS: [&str; 6] = ["/dev/", "/proc/", "/bin/", "/usr/", "/etc/", "/tmp/"];

/// Whether `attrs` put what they are on under a Unix-only cfg.
fn unix_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg") && {
            let tokens = quote_string(&attr.meta);
            !tokens.contains("not")
                && (tokens.contains("unix")
                    || tokens.contains("target_os = \"linux\"")
                    || tokens.contains("target_os = \"macos\""))
        }
    })
}

fn quote_string(tokens: &impl quote::ToTokens) -> String {
    tokens.to_token_stream().to_string()
}

/// What is Unix-only in `text`, a path or literal or token dump.
fn unix_names(text: &str) -> Option<String> {
    let compact = text.replace(' ', "");
    for name in ["os::unix", "signal::unix", "rustix::"] {
        if compact.contains(name) {
            return Some(name.trim_end_matches("::").to_owned());
        }
    }
    None
}

/// Whether a string literal names a Unix-only path.
fn unix_path(value: &str) -> bool {
    UNIX_PATHS.iter().any(|start| value.starts_with(start))
}

/// The Unix-only uses found in one file, outside a Unix-only cfg.
struct Finder {
    found: Vec<String>,
}

impl Finder {
    fn note(&mut self, span: proc_macro2::Span, what: &str) {
        let at = span.start();
        self.found
            .push(format!("{}:{}: {what}", at.line, at.column + 1));
    }

    fn tokens(&mut self, tokens: &proc_macro2::TokenStream) {
        let text = tokens.to_string();
        if let Some(name) = unix_names(&text) {
            self.note(tokens.span(), &format!("{name} in a macro call"));
        }
        for tree in tokens.clone() {
            match tree {
                proc_macro2::TokenTree::Literal(literal) => {
                    if let Ok(syn::Lit::Str(string)) =
                        syn::parse_str::<syn::Lit>(&literal.to_string())
                        && unix_path(&string.value())
                    {
                        self.note(
                            literal.span(),
                            &format!("{:?} in a macro call", string.value()),
                        );
                    }
                }
                proc_macro2::TokenTree::Group(group) => self.tokens(&group.stream()),
                _ => {}
            }
        }
    }
}

/// The attributes of an expression, where it can carry any.
fn expr_attrs(expr: &syn::Expr) -> &[syn::Attribute] {
    match expr {
        syn::Expr::Block(e) => &e.attrs,
        syn::Expr::Call(e) => &e.attrs,
        syn::Expr::MethodCall(e) => &e.attrs,
        syn::Expr::If(e) => &e.attrs,
        syn::Expr::Macro(e) => &e.attrs,
        syn::Expr::Match(e) => &e.attrs,
        syn::Expr::ForLoop(e) => &e.attrs,
        syn::Expr::Let(e) => &e.attrs,
        syn::Expr::Assign(e) => &e.attrs,
        syn::Expr::Path(e) => &e.attrs,
        syn::Expr::Unsafe(e) => &e.attrs,
        _ => &[],
    }
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Enum(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            syn::Item::Trait(i) => &i.attrs,
            syn::Item::Type(i) => &i.attrs,
            syn::Item::Macro(i) => &i.attrs,
            _ => &[],
        };
        if !unix_only(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        if !unix_only(&item.attrs) {
            syn::visit::visit_impl_item_fn(self, item);
        }
    }

    fn visit_field(&mut self, field: &'ast syn::Field) {
        if !unix_only(&field.attrs) {
            syn::visit::visit_field(self, field);
        }
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if !unix_only(&local.attrs) {
            syn::visit::visit_local(self, local);
        }
    }

    fn visit_stmt_macro(&mut self, stmt: &'ast syn::StmtMacro) {
        if !unix_only(&stmt.attrs) {
            self.tokens(&stmt.mac.tokens);
        }
    }

    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        if !unix_only(expr_attrs(expr)) {
            syn::visit::visit_expr(self, expr);
        }
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        if !unix_only(&arm.attrs) {
            syn::visit::visit_arm(self, arm);
        }
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        // Command::new("kill"): a program only Unix has.
        if let syn::Expr::Path(function) = &*call.func
            && quote_string(&function.path)
                .replace(' ', "")
                .ends_with("Command::new")
            && let Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(program),
                ..
            })) = call.args.first()
            && UNIX_PROGRAMS.contains(&program.value().as_str())
        {
            self.note(
                program.span(),
                &format!("the program {:?}", program.value()),
            );
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(&mac.tokens);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let Some(name) = unix_names(&quote_string(path)) {
            self.note(path.span(), &name);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_use_tree(&mut self, tree: &'ast syn::UseTree) {
        if let Some(name) = unix_names(&quote_string(tree)) {
            self.note(tree.span(), &format!("use of {name}"));
            return;
        }
        syn::visit::visit_use_tree(self, tree);
    }

    fn visit_lit_str(&mut self, literal: &'ast syn::LitStr) {
        if unix_path(&literal.value()) {
            self.note(literal.span(), &format!("{:?}", literal.value()));
        }
    }
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "node_modules" || name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            sources(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// The files of modules declared under a Unix-only cfg in `file`.
fn unix_modules(file: &Path, syntax: &syn::File, into: &mut BTreeSet<PathBuf>) {
    let stem = file.file_stem().unwrap().to_string_lossy();
    let dir = if ["main", "lib", "mod"].contains(&stem.as_ref()) {
        file.parent().unwrap().to_owned()
    } else {
        file.parent().unwrap().join(&*stem)
    };
    for item in &syntax.items {
        if let syn::Item::Mod(module) = item
            && module.content.is_none()
            && unix_only(&module.attrs)
        {
            let name = module.ident.to_string();
            into.insert(dir.join(format!("{name}.rs")));
            into.insert(dir.join(name).join("mod.rs"));
        }
    }
}

/// Where Unix-only names appear outside a Unix-only cfg in `files`.
fn unportable(files: &[PathBuf], root: &Path) -> Vec<String> {
    let parsed: Vec<(PathBuf, syn::File)> = files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            let syntax =
                syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            (file.clone(), syntax)
        })
        .collect();
    let mut exempt = BTreeSet::new();
    for (file, syntax) in &parsed {
        unix_modules(file, syntax, &mut exempt);
    }
    let mut found = Vec::new();
    for (file, syntax) in &parsed {
        if exempt.contains(file) || unix_only(&syntax.attrs) {
            continue;
        }
        let mut finder = Finder { found: Vec::new() };
        finder.visit_file(syntax);
        let shown = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        found.extend(finder.found.into_iter().map(|f| format!("{shown}:{f}")));
    }
    found
}

#[test]
fn nothing_unix_only_is_outside_a_unix_cfg() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "examples", "crates"] {
        sources(&root.join(dir), &mut files);
    }
    // This file names what it looks for.
    files.retain(|file| !file.ends_with("tests/portable.rs"));
    let found = unportable(&files, root);
    assert!(
        found.is_empty(),
        "Unix-only, outside cfg(unix) (put it under #[cfg(unix)], with a counterpart where the test matters elsewhere):\n{}",
        found.join("\n")
    );
}

#[test]
fn catches_what_the_windows_build_once_failed_on() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let files = [
        write(
            "main.rs",
            "mod inspector; #[cfg(unix)] mod tunnel;\n\
             fn hints() { use std::os::unix::fs::PermissionsExt as _; }\n\
             fn stop(pid: u32) { Command::new(\"kill\").args([\"-INT\"]); }\n\
             #[cfg(unix)] fn fine() { use std::os::unix::fs::PermissionsExt as _; }\n\
             fn also_fine() { #[cfg(unix)] { let _ = std::fs::read(\"/proc/self/limits\"); } }\n\
             fn not_fine() { assert!(std::path::Path::new(\"/dev/null\").exists()); }",
        ),
        write(
            "inspector.rs",
            "use std::os::unix::process::CommandExt as _;",
        ),
        write("tunnel.rs", "use std::os::unix::fs::PermissionsExt as _;"),
    ];
    let found = unportable(&files, dir.path());
    let places: Vec<&str> = found
        .iter()
        .map(|f| f.split(": ").next().unwrap())
        .collect();
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        places.iter().any(|p| p.starts_with("main.rs:2")),
        "{found:#?}"
    );
    assert!(
        places.iter().any(|p| p.starts_with("main.rs:3")),
        "{found:#?}"
    );
    assert!(
        places.iter().any(|p| p.starts_with("main.rs:6")),
        "{found:#?}"
    );
    assert!(
        places.iter().any(|p| p.starts_with("inspector.rs")),
        "{found:#?}"
    );
}
