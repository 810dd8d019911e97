//! Deliveries as `gpwh listen --log` recorded them, read back: the exact
//! bytes of each body, its Content-Type, when it arrived and what became of
//! it. `gpwh replay` sends them again from here, and `gpwh facts` reads what
//! they tell; [`super::write`] writes them.

use std::fs::File;
use std::io::{BufRead, Read as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use base64::Engine as _;
use jiff::Timestamp;
use serde_json::Value;

/// One request listen logged.
#[derive(Debug, Clone)]
pub struct Logged {
    /// Its place among every record of the logs read, from 1.
    pub number: usize,
    /// When it arrived.
    pub received: Timestamp,
    /// Who sent it, as `IP:PORT`.
    pub remote: String,
    /// Its headers, in order, as logged.
    pub headers: Vec<(String, String)>,
    /// The payload's event, if it had one.
    pub event: Option<String>,
    /// `valid`, or why it was refused.
    pub verdict: String,
    /// The Content-Type it was sent with, if any.
    pub content_type: Option<String>,
    /// The body, byte for byte; none when listen read none (a GET, a body
    /// too large).
    pub body: Option<Vec<u8>>,
    /// Whether it was forwarded and the app answered other than 2xx, or
    /// could not be reached.
    pub app_failed: bool,
}

/// The bytes of one request line and its headers that listen can read:
/// hyper's read buffer (8 KiB + 100 × 4 KiB), which the request line and
/// headers must fit in, or hyper answers 431 (and a request it refuses is
/// kept to 4 KiB).
const HEAD: u64 = 8192 + 4096 * 100;

/// The most JSON writes for one byte of text: `\u0001` for a control
/// character; an invalid byte of UTF-8 in a header is U+FFFD, 3 bytes.
const ESCAPED: u64 = 6;

/// The longest line `gpwh listen --log` writes, and so the longest read
/// back: longer, a line is not one of listen's, and it is refused before
/// it is read whole. A line is one delivery as compact JSON; at its
/// largest:
/// - the body, at most [`crate::size::MAX_BODY`] (past it the core refuses any
///   body, so listen keeps no larger one: its `--max-body` must not exceed
///   it). UTF-8 is written as a JSON string, each byte at worst escaped
///   ([`ESCAPED`]); other bytes in base64, 4/3 of them: `6 × MAX_BODY`;
/// - the payload's `event`, for a valid body only: part of the decoded
///   payload, at most 3/4 of the body, written again by serde_json no
///   longer than 4/3 of what it read (`1e1` becomes `1e+1`), so at most
///   the body; doubled for room: `2 × MAX_BODY`;
/// - the method, path and headers as received ([`HEAD`]), escaped, and
///   the method again in the message of a `405`: `2 × 6 × HEAD`, which
///   also covers each header's `["", ""],` (9 bytes for at least the 4 of
///   `a:` and its line end);
/// - `--forward-to`'s URL, an argument (at most 128 KiB on Linux, 1 MiB
///   for all arguments on macOS, 32 KiB on Windows), in `forwarded.url`
///   and again in its `error`, escaped: `2 × 6 × 1 MiB`;
/// - everything else, short and fixed in size (times, the address, the
///   status, the verdict, a core error's message, which quotes the body
///   shortened, a hint, whose key path is cut below 256 bytes, and a
///   client error's words): 4 MiB.
///
/// That is 148 MiB and 800 KiB, rounded up to a whole MiB: 149 MiB.
pub const MAX_LINE: u64 = (ESCAPED * crate::size::MAX_BODY as u64
    + 2 * crate::size::MAX_BODY as u64
    + 2 * ESCAPED * HEAD
    + 2 * ESCAPED * (1 << 20)
    + (4 << 20))
    .next_multiple_of(1 << 20);

/// Lowers [`MAX_LINE`] for the tests, which would otherwise write lines of
/// over 100 MiB; it cannot raise it.
const TEST_LIMIT_VARIABLE: &str = "GPWH_TEST_LOG_LINE_LIMIT";

/// The longest line read: [`MAX_LINE`], or less when the tests ask.
fn line_limit() -> u64 {
    std::env::var(TEST_LIMIT_VARIABLE)
        .ok()
        .and_then(|limit| limit.parse::<u64>().ok())
        .map_or(MAX_LINE, |limit| limit.min(MAX_LINE))
}

/// Reads every record of `logs`, in order, numbered across all of them.
///
/// # Errors
/// A file that cannot be read, a line longer than [`MAX_LINE`], or a line
/// that is not one of listen's records, named by file and line.
pub fn deliveries(logs: &[PathBuf]) -> anyhow::Result<Vec<Logged>> {
    let limit = line_limit();
    let mut records = Vec::new();
    for path in logs {
        let cannot_read = || format!("cannot read the log '{}'", path.display());
        // Line by line: a log of a long session need not fit in memory twice.
        let mut file = std::io::BufReader::new(File::open(path).with_context(cannot_read)?);
        // What it holds is sent again, and with --resign signed with your
        // key: say so when others may have written it.
        crate::private::warn_if_loose(
            path,
            "log file",
            "it holds signed bodies, and whoever writes it chooses what replay sends",
        );
        let mut line = Vec::new();
        for number in 1.. {
            match next_line(&mut file, limit, &mut line) {
                Ok(Line::End) => break,
                Ok(Line::Read) => {}
                Ok(Line::TooLong) => bail!(
                    "{}: {}, the most a line of gpwh listen --log can be: is it one of its logs?",
                    at(path, number),
                    crate::size::too_large("line", usize::try_from(limit).unwrap_or(usize::MAX))
                ),
                Err(error) => {
                    return Err(error)
                        .with_context(|| format!("{}: cannot read it", at(path, number)));
                }
            }
            if line.trim_ascii().is_empty() {
                continue;
            }
            let logged = parse(&line, records.len() + 1).with_context(|| {
                format!("{}: not a record of gpwh listen --log", at(path, number))
            })?;
            records.push(logged);
        }
    }
    Ok(records)
}

/// What [`next_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A line, in the buffer.
    Read,
    /// A line longer than the limit; the buffer holds its first bytes only.
    TooLong,
    /// Nothing more.
    End,
}

/// Reads the next line of `reader` into `line`, without its LF or CRLF,
/// holding at most `limit` + 2 bytes of it: a longer one is
/// [`Line::TooLong`], and not read further.
///
/// # Errors
/// When the reader fails.
fn next_line(reader: &mut impl BufRead, limit: u64, line: &mut Vec<u8>) -> std::io::Result<Line> {
    line.clear();
    // The limit, and its line end (CRLF at most).
    let read = reader.take(limit + 2).read_until(b'\n', line)?;
    if read == 0 {
        return Ok(Line::End);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
    // A line of the limit ends in its line end within the bytes taken;
    // one that filled them all without it goes on.
    if line.len() as u64 > limit {
        return Ok(Line::TooLong);
    }
    Ok(Line::Read)
}

fn at(path: &Path, line: usize) -> String {
    format!("{}:{line}", path.display())
}

fn parse(line: &[u8], number: usize) -> anyhow::Result<Logged> {
    let mut record: Value = serde_json::from_slice(line)?;
    let received = record["received"]
        .as_str()
        .context("no \"received\" time")?
        .parse::<Timestamp>()
        .context("its \"received\" time is not RFC 3339")?;
    // Taken, not copied: a body may be tens of MiB.
    let text = record.get_mut("body").map_or(Value::Null, Value::take);
    let body = match (text, &record["body_base64"]) {
        (Value::String(text), _) => Some(text.into_bytes()),
        (_, Value::String(encoded)) => Some(
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .context("its \"body_base64\" is not base64")?,
        ),
        (Value::Null, _) => None,
        _ => bail!("its \"body\" is neither text nor null"),
    };
    let headers: Vec<(String, String)> = record["headers"]
        .as_array()
        .map(|headers| {
            headers
                .iter()
                .filter_map(|pair| {
                    Some((
                        pair.get(0)?.as_str()?.to_owned(),
                        pair.get(1)?.as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let content_type = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.clone());
    let forwarded = &record["forwarded"];
    let app_failed = forwarded.is_object()
        && (forwarded.get("error").is_some()
            || !forwarded["status"]
                .as_u64()
                .is_some_and(|status| (200..300).contains(&status)));
    Ok(Logged {
        number,
        received,
        remote: record["remote"].as_str().unwrap_or("").to_owned(),
        headers,
        event: record["event"].as_str().map(str::to_owned),
        verdict: record["verdict"].as_str().unwrap_or("unknown").to_owned(),
        content_type,
        body,
        app_failed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_binary_bodies_and_the_content_type() {
        let text = parse(
            br#"{"received":"2026-12-05T10:00:00Z","headers":[["content-type","text/plain"]],"status":200,"verdict":"valid","event":"GivePlayerReward","body":"e30=.ab"}"#,
            3,
        )
        .unwrap();
        assert_eq!(text.number, 3);
        assert_eq!(text.body.as_deref(), Some(b"e30=.ab".as_slice()));
        assert_eq!(text.content_type.as_deref(), Some("text/plain"));
        assert_eq!(text.event.as_deref(), Some("GivePlayerReward"));
        assert!(!text.app_failed);
        let binary = parse(
            br#"{"received":"2026-12-05T10:00:00Z","headers":[],"verdict":"payload-not-base64","event":null,"body_base64":"/w==","forwarded":{"url":"u","status":500}}"#,
            1,
        )
        .unwrap();
        assert_eq!(binary.body.as_deref(), Some([0xff].as_slice()));
        assert_eq!(binary.content_type, None);
        assert!(binary.app_failed);
    }

    #[test]
    fn an_unreachable_app_is_a_failure_and_a_missing_time_an_error() {
        let unreachable = parse(
            br#"{"received":"2026-12-05T10:00:00Z","verdict":"valid","body":null,"forwarded":{"url":"u","error":"refused"}}"#,
            1,
        )
        .unwrap();
        assert!(unreachable.app_failed && unreachable.body.is_none());
        assert!(parse(br#"{"verdict":"valid","body":"x"}"#, 1).is_err());
        assert!(parse(b"not json", 1).is_err());
    }

    #[test]
    fn a_line_is_read_up_to_the_limit_and_no_further() {
        let lines = |text: &[u8], limit: u64| {
            let mut reader = std::io::BufReader::with_capacity(4, text);
            let mut found = Vec::new();
            let mut line = Vec::new();
            loop {
                let what = next_line(&mut reader, limit, &mut line).unwrap();
                let stop = what != Line::Read;
                found.push((what, String::from_utf8(line.clone()).unwrap()));
                if stop {
                    // How much of the input was taken.
                    let left = reader.fill_buf().unwrap().len() + reader.get_ref().len();
                    return (found, text.len() - left);
                }
            }
        };
        let (found, _) = lines(b"abcd\r\nabcd\nab", 4);
        let read = |text: &str| (Line::Read, text.to_owned());
        assert_eq!(
            found,
            [
                read("abcd"),
                read("abcd"),
                read("ab"),
                (Line::End, String::new())
            ]
        );
        let (found, taken) = lines(b"ab\nabcde\nmore and more and more\n", 4);
        assert_eq!(
            found[..2],
            [read("ab"), (Line::TooLong, "abcde".to_owned())]
        );
        assert_eq!(taken, 3 + 6, "the long line's line end at most");
        let (found, taken) = lines(b"abcdefghijklmnopqrstuvwxyz", 4);
        assert_eq!(found, [(Line::TooLong, "abcdef".to_owned())]);
        assert_eq!(taken, 6);
    }

    #[test]
    fn the_longest_line_is_a_whole_number_of_mib_above_its_parts() {
        let parts = 6 * (16 << 20) + 2 * (16 << 20) + 12 * 417_792 + 12 * (1 << 20) + (4 << 20);
        assert!(MAX_LINE >= parts && MAX_LINE - parts < 1 << 20);
        assert_eq!(MAX_LINE, 149 << 20);
    }
}
