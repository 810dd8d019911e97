//! The tests that live beside the code they test, in other languages: the
//! npm package `@gpwh/webhooks` (packages/javascript/test.sh: Node.js and a
//! second runtime, TypeScript, its stores on SQLite and PostgreSQL), the
//! PyPI package `gpwh-webhooks` (packages/python/test.sh: CPython, mypy,
//! its stores) and the Go, PHP and Java verification files
//! (conformance/run.sh), each over every vector of
//! conformance/vectors.json. Each script installs what it needs, and ends
//! with `N passed, N failed`; a test here runs one and holds it to that
//! line, so that `GPWH_TEST_ALL=1 cargo test` runs every test there is.
//! One runs at a time: each starts servers and builds of its own.

use std::path::Path;

/// The scripts are bash's, and start Unix programs (PostgreSQL's initdb,
/// pg_ctl): they run where the receivers' tests run.
#[cfg(unix)]
mod scripts {
    use std::path::Path;
    use std::process::{Command, Stdio};
    use std::sync::Mutex;

    /// One script at a time.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

    /// Runs `bash script` from the repository's root and requires its last
    /// line to say that all passed.
    fn passes(script: &str) {
        let _turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let output = Command::new("bash")
            .arg(root.join(script))
            .current_dir(root)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run bash {script}: {e}"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stdout
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("");
        let counted = last
            .strip_suffix(" failed")
            .and_then(|rest| rest.split_once(" passed, "))
            .and_then(|(passed, failed)| {
                Some((passed.parse::<u32>().ok()?, failed.parse::<u32>().ok()?))
            });
        match counted {
            Some((passed, 0)) if passed > 0 && output.status.success() => {
                eprintln!("{script}: {last}");
            }
            _ => panic!(
                "{script} did not pass ({}), its last line: {last:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
                output.status
            ),
        }
    }

    #[test]
    #[cfg_attr(
        not(gpwh_test_all),
        ignore = "needs Node.js and npm (and PostgreSQL): GPWH_TEST_ALL=1 runs it"
    )]
    fn the_npm_package_passes_its_tests_and_every_vector() {
        passes("packages/javascript/test.sh");
    }

    #[test]
    #[cfg_attr(
        not(gpwh_test_all),
        ignore = "needs Python's venv (and PostgreSQL): GPWH_TEST_ALL=1 runs it"
    )]
    fn the_pypi_package_passes_its_tests_and_every_vector() {
        passes("packages/python/test.sh");
    }

    #[test]
    #[cfg_attr(
        not(gpwh_test_all),
        ignore = "needs Go, PHP and a JDK: GPWH_TEST_ALL=1 runs it"
    )]
    fn the_go_php_and_java_files_give_every_vector_its_verdict() {
        passes("conformance/run.sh");
    }
}

/// The wheel and sdist carry the licence's text, a copy of the
/// repository's (flit takes only files inside the package's folder; the
/// npm package copies it when it is packed).
#[test]
fn the_pypi_package_carries_the_repository_s_licence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = std::fs::read(root.join("packages/python/LICENSE")).unwrap();
    assert!(
        copy == std::fs::read(root.join("LICENSE")).unwrap(),
        "packages/python/LICENSE differs from LICENSE: copy it again"
    );
}
