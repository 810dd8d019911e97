//! The README's `console` examples are run as they are written, so they
//! cannot drift from what gpwh does.

use crate::support::bin;

#[test]
fn readme_examples_run_as_written() {
    trycmd::TestCases::new()
        .register_bin("gpwh", bin())
        .env("RUST_BACKTRACE", "0")
        // The README's examples take the samples' key from the environment.
        .env("GPWH_SECRET", crate::support::SAMPLE_SECRET)
        .case("README.md");
}
