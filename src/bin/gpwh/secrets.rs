//! Gathers the secret keys from `--secret`, `--secret-file` and
//! `GPWH_SECRET`, and refuses to go on without one. No message here, or
//! anywhere, contains a secret.

use std::path::Path;

use std::time::Duration;

use anyhow::Context;
use gpwh::{Secret, Verifier};

use crate::cli::SecretArgs;

/// The environment variable read when no secret is given as an option.
const ENV_VAR: &str = "GPWH_SECRET";

/// Every secret given, in order: `--secret` values, then `--secret-file`
/// contents, or else `GPWH_SECRET`.
///
/// # Errors
/// With no secret at all, an empty one, or an unreadable secret file.
pub fn all(args: &SecretArgs) -> anyhow::Result<Vec<Secret>> {
    let mut secrets = Vec::new();
    for value in &args.secrets {
        secrets.push(non_empty(
            Secret::new(value.as_encoded_bytes()),
            "--secret is empty",
        )?);
    }
    for path in &args.secret_files {
        secrets.push(from_file(path)?);
    }
    if secrets.is_empty()
        && let Some(value) = std::env::var_os(ENV_VAR).filter(|v| !v.is_empty())
    {
        secrets.push(Secret::new(value.into_encoded_bytes()));
    }
    if secrets.is_empty() {
        return Err(anyhow::anyhow!(
            "no secret key: pass --secret VALUE, --secret-file PATH, or set {ENV_VAR}"
        ));
    }
    Ok(secrets)
}

/// A verifier for every secret given, with the replay window if one was
/// asked for, and a body limit.
///
/// # Errors
/// As [`all`].
pub fn verifier(
    args: &SecretArgs,
    max_age: Option<Duration>,
    max_body: usize,
) -> anyhow::Result<Verifier> {
    let verifier = Verifier::new(all(args)?).max_body(max_body);
    Ok(match max_age {
        Some(max_age) => verifier.max_age(max_age),
        None => verifier,
    })
}

/// The one secret to sign with.
///
/// # Errors
/// As [`all`], and when more than one secret is given.
pub fn one(args: &SecretArgs) -> anyhow::Result<Secret> {
    let mut secrets = all(args)?;
    match secrets.len() {
        1 => Ok(secrets.remove(0)),
        n => Err(anyhow::anyhow!(
            "sign takes one secret key, got {n}: give --secret or --secret-file once"
        )),
    }
}

/// Reads a secret file, removing one trailing LF or CRLF as editors add.
fn from_file(path: &Path) -> anyhow::Result<Secret> {
    let mut bytes = std::fs::read(path)
        .with_context(|| format!("cannot read secret file '{}'", path.display()))?;
    warn_if_others_can_read(path);
    if bytes.ends_with(b"\r\n") {
        bytes.truncate(bytes.len() - 2);
    } else if bytes.ends_with(b"\n") {
        bytes.truncate(bytes.len() - 1);
    }
    non_empty(
        Secret::new(bytes),
        &format!("secret file '{}' is empty", path.display()),
    )
}

/// Warns, as ssh does for keys, when users other than the owner may read a
/// secret file; gpwh goes on.
#[cfg(unix)]
fn warn_if_others_can_read(path: &Path) {
    use std::io::Write as _;
    use std::os::unix::fs::PermissionsExt as _;

    let Ok(metadata) = std::fs::metadata(path) else {
        return;
    };
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o044 != 0 {
        let _ = writeln!(
            std::io::stderr(),
            "gpwh: warning: secret file '{}' is readable by other users (mode {mode:03o}): \
             chmod 600 it, as anyone who reads it can forge webhooks",
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_others_can_read(_: &Path) {}

fn non_empty(secret: Secret, message: &str) -> anyhow::Result<Secret> {
    if secret.is_empty() {
        anyhow::bail!("{message}");
    }
    Ok(secret)
}
