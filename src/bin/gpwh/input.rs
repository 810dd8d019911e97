//! Where the bytes of a body (or of JSON to sign) come from: an argument,
//! `-`, `@PATH`, `--file PATH`, or standard input when it is piped. The bytes
//! are passed on untouched; the core decides what they mean.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// One place to read input from.
#[derive(Debug)]
pub enum Source {
    /// The bytes of a command-line argument.
    Argument(Vec<u8>),
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// Picks the source from a positional argument and a `--file` option.
    ///
    /// `what` names the input in the message given when there is none: with
    /// neither argument nor file and a terminal on standard input, waiting
    /// for typing would only look like a hang.
    pub fn choose(
        argument: Option<OsString>,
        file: Option<PathBuf>,
        what: &str,
    ) -> anyhow::Result<Self> {
        match (argument, file) {
            (_, Some(path)) => Ok(Source::File(path)),
            (Some(argument), None) if argument == "-" => Ok(Source::Stdin),
            (Some(argument), None) => match argument.to_str().and_then(|a| a.strip_prefix('@')) {
                Some(path) => Ok(Source::File(PathBuf::from(path))),
                // A file name where the input should be is a slip, not input.
                None if Path::new(&argument).is_file() => {
                    let path = Path::new(&argument).display();
                    Err(anyhow::anyhow!(
                        "'{path}' is a file, not a {what}: write @{path} or --file {path} to read it"
                    ))
                }
                None => Ok(Source::Argument(argument.into_encoded_bytes())),
            },
            (None, None) if io::stdin().is_terminal() => Err(anyhow::anyhow!(
                "no {what} given: pass it as an argument, as @PATH or --file PATH, \
                 or pipe it into standard input"
            )),
            (None, None) => Ok(Source::Stdin),
        }
    }

    /// Reads every byte of the source.
    ///
    /// # Errors
    /// When the file or standard input cannot be read; the message names
    /// the file.
    pub fn read(self) -> anyhow::Result<Vec<u8>> {
        match self {
            Source::Argument(bytes) => Ok(bytes),
            Source::Stdin => {
                let mut bytes = Vec::new();
                io::stdin()
                    .lock()
                    .read_to_end(&mut bytes)
                    .context("cannot read standard input")?;
                Ok(bytes)
            }
            Source::File(path) => {
                std::fs::read(&path).with_context(|| format!("cannot read '{}'", path.display()))
            }
        }
    }
}
