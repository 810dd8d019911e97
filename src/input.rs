//! Where the bytes of a body (or of JSON to sign) come from: arguments,
//! `-` (or `@-`), `@PATH`, `--file PATH`, or standard input when it is piped. The bytes
//! are passed on untouched; the core decides what they mean.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

use crate::batch;

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

/// Every source named by positional arguments and then `--file` options, or
/// standard input when there are none.
///
/// `what` names the input in messages. With no source and a terminal on
/// standard input, this fails: waiting for typing would only look like a
/// hang.
pub fn sources(
    arguments: Vec<OsString>,
    files: Vec<PathBuf>,
    what: &str,
) -> anyhow::Result<Vec<Source>> {
    let mut sources = Vec::with_capacity(arguments.len() + files.len());
    for argument in arguments {
        sources.push(Source::from_argument(argument, what)?);
    }
    sources.extend(files.into_iter().map(Source::File));
    if sources.is_empty() {
        if io::stdin().is_terminal() {
            anyhow::bail!(
                "no {what} given: pass it as an argument, as @PATH or --file PATH, \
                 or pipe it into standard input"
            );
        }
        sources.push(Source::Stdin);
    }
    Ok(sources)
}

/// The one source of a single input; see [`sources`].
///
/// # Errors
/// As [`sources`], and when more than one is named.
pub fn source(arguments: Vec<OsString>, files: Vec<PathBuf>, what: &str) -> anyhow::Result<Source> {
    let mut sources = sources(arguments, files, what)?;
    if sources.len() > 1 {
        anyhow::bail!(
            "{} inputs given for one {what}: give one, or --lines to read a {what} per line from each",
            sources.len()
        );
    }
    Ok(sources.remove(0))
}

impl Source {
    fn from_argument(argument: OsString, what: &str) -> anyhow::Result<Source> {
        // `@-` too, as curl's `-d @-` reads standard input; a file named
        // `-` is `@./-`.
        if argument == "-" || argument == "@-" {
            return Ok(Source::Stdin);
        }
        if let Some(path) = argument.to_str().and_then(|a| a.strip_prefix('@')) {
            return Ok(Source::File(PathBuf::from(path)));
        }
        // A file name where the input should be is a slip, not input.
        if Path::new(&argument).is_file() {
            let path = Path::new(&argument).display();
            anyhow::bail!(
                "'{path}' is a file, not a {what}: write @{path} or --file {path} to read it"
            );
        }
        Ok(Source::Argument(argument.into_encoded_bytes()))
    }

    /// How messages name the source.
    fn name(&self) -> String {
        match self {
            Source::Argument(_) => "<argument>".to_owned(),
            Source::Stdin => "<stdin>".to_owned(),
            Source::File(path) => path.display().to_string(),
        }
    }

    /// Reads the source whole, up to one byte past [`crate::size::MAX_BODY`]: the
    /// core refuses anything larger, so reading more would only use memory.
    ///
    /// # Errors
    /// When the file or standard input cannot be read; the message names
    /// the file.
    pub fn read(self) -> anyhow::Result<Vec<u8>> {
        let limit = crate::size::MAX_BODY as u64 + 1;
        let mut bytes = Vec::new();
        match self {
            Source::Argument(argument) => return Ok(argument),
            Source::Stdin => {
                io::stdin()
                    .lock()
                    .take(limit)
                    .read_to_end(&mut bytes)
                    .context("cannot read standard input")?;
            }
            Source::File(path) => {
                std::fs::File::open(&path)
                    .and_then(|file| file.take(limit).read_to_end(&mut bytes))
                    .with_context(|| format!("cannot read '{}'", path.display()))?;
            }
        }
        Ok(bytes)
    }

    /// Opens the source to be read a piece at a time.
    ///
    /// # Errors
    /// When a file cannot be opened; the message names it.
    pub fn open(self) -> anyhow::Result<batch::Input> {
        let name: Arc<str> = self.name().into();
        let reader: Box<dyn Read + Send> = match self {
            Source::Argument(bytes) => Box::new(io::Cursor::new(bytes)),
            Source::Stdin => Box::new(io::stdin()),
            Source::File(path) => Box::new(
                std::fs::File::open(&path)
                    .with_context(|| format!("cannot read '{}'", path.display()))?,
            ),
        };
        Ok(batch::Input { name, reader })
    }
}
