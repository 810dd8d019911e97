//! probe in a pipeline: --wait, --junit, GitHub Actions, --skip.
