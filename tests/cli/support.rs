//! Running gpwh isolated from the developer's environment, and the sample
//! bodies with their known answers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The secret key the samples are signed with: the vendor's example key,
/// as stored in samples/secret.txt.
pub const SAMPLE_SECRET: &str = "Be$T_Pr0jeCt";

/// gpwh with no colour preference, no secret and no backtraces inherited.
/// Runs in the repository's root, so `@samples/...` arguments work.
pub fn gpwh() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    cmd.current_dir(repo())
        .env_remove("GPWH_SECRET")
        .env_remove("NO_COLOR")
        .env_remove("TERM")
        .env("RUST_BACKTRACE", "0");
    cmd
}

/// The built binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gpwh"))
}

/// The repository's root, where the tests run.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file of samples/, as bytes.
pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("samples").join(name)).expect("the samples are committed")
}

/// A file of samples/, as text.
pub fn sample_text(name: &str) -> String {
    String::from_utf8(sample(name)).expect("the samples are UTF-8")
}

/// Runs gpwh with a pseudo-terminal on stdin and stdout (through util-linux
/// `script`), for the rules that depend on a terminal. Returns the exit code
/// and what appeared on the terminal, stdout and stderr together.
pub fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut line = shell_quote(&bin().to_string_lossy());
    for arg in args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    let mut cmd = Command::new("timeout");
    cmd.args(["10", "script", "-qec", &line, "/dev/null"])
        .current_dir(repo())
        .env_remove("GPWH_SECRET")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .env("RUST_BACKTRACE", "0");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let Output { status, stdout, .. } = cmd.output().expect("util-linux script runs");
    let code = status.code().expect("script exits with a code");
    assert_ne!(code, 124, "gpwh {args:?} waited on the terminal");
    (code, String::from_utf8_lossy(&stdout).replace("\r\n", "\n"))
}

fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// stdout of a finished command, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// stderr of a finished command, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}
