//! The `console` examples of the README and of the guides in `docs/` are
//! run as they are written, so they cannot drift from what gpwh does.

use crate::support::bin;

#[test]
fn readme_and_guide_examples_run_as_written() {
    trycmd::TestCases::new()
        .register_bin("gpwh", bin())
        .env("RUST_BACKTRACE", "0")
        // The examples take the samples' key from the environment.
        .env("GPWH_SECRET", crate::support::SAMPLE_SECRET)
        .case("README.md")
        .case("docs/*.md");
}
