//! conformance/vectors.json is what conformance/generate.py writes: a change
//! to the generator without regenerating, or a hand edit, fails. The
//! library runs the vectors (crates/webhooks/tests/conformance.rs), and so
//! does the tool's fast path (src/fast.rs).

use std::path::Path;

#[test]
#[cfg_attr(not(gpwh_test_all), ignore = "needs python3: GPWH_TEST_ALL=1 runs it")]
fn the_vectors_file_is_what_the_generator_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new("python3")
        .arg(root.join("conformance/generate.py"))
        .arg("--check")
        .current_dir(root)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
