//! Gathers the secret keys from `--secret`, `--secret-file` and
//! `GPWH_SECRET`, and refuses to go on without one. No message here, or
//! anywhere, contains a secret.

use std::io::Read as _;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use gpwh_webhooks::{Secret, Verifier};

use crate::cli::SecretArgs;
use crate::private;

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
    let verifier = Verifier::new(all(args)?).with_max_body(max_body);
    Ok(match max_age {
        Some(max_age) => verifier.with_max_age(max_age),
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

/// The largest secret file read: a key is a short line, and a larger file
/// (or a device such as /dev/zero) is not one.
const MAX_SECRET_FILE: u64 = 64 * 1024;

/// Reads a secret file, removing one trailing LF or CRLF as editors add.
fn from_file(path: &Path) -> anyhow::Result<Secret> {
    let cannot_read = || format!("cannot read secret file '{}'", path.display());
    let file = std::fs::File::open(path).with_context(cannot_read)?;
    let mut bytes = Vec::new();
    file.take(MAX_SECRET_FILE + 1)
        .read_to_end(&mut bytes)
        .with_context(cannot_read)?;
    if bytes.len() as u64 > MAX_SECRET_FILE {
        anyhow::bail!(
            "{}; a secret key is one short line: is it the right file?",
            crate::size::too_large(
                &format!("secret file '{}'", path.display()),
                MAX_SECRET_FILE as usize
            )
        );
    }
    private::warn_if_loose(
        path,
        "secret file",
        "anyone who reads it can forge webhooks, and anyone who writes it chooses the key",
    );
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

fn non_empty(secret: Secret, message: &str) -> anyhow::Result<Secret> {
    if secret.is_empty() {
        anyhow::bail!("{message}");
    }
    Ok(secret)
}
