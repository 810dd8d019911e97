//! One switch for the tests. With `GPWH_TEST_ALL=1`, cfg `gpwh_test_all` is
//! set, and the tests that need more than Rust (Node.js, npm, Python's venv,
//! Go, a JDK, PHP, PostgreSQL, Chromium and ChromeDriver, xmllint, curl, a
//! Unix shell and `script`) run, and fail when one is missing; without it they are
//! ignored, each with what it needs, so `cargo test` passes on a machine
//! with Rust alone and says by name what it did not run.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(gpwh_test_all)");
    println!("cargo::rerun-if-env-changed=GPWH_TEST_ALL");
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var_os("GPWH_TEST_ALL").is_some_and(|value| value == "1") {
        println!("cargo::rustc-cfg=gpwh_test_all");
    }
}
