//! Deliveries as `gpwh listen --log` recorded them, read back: the exact
//! bytes of each body, its Content-Type, when it arrived and what became of
//! it. `gpwh replay` sends them again from here; listen's `log.rs` writes
//! them.

use std::fs::File;
use std::io::BufRead as _;
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

/// Reads every record of `logs`, in order, numbered across all of them.
///
/// # Errors
/// A file that cannot be read, or a line that is not one of listen's
/// records, named by file and line.
pub fn read(logs: &[PathBuf]) -> anyhow::Result<Vec<Logged>> {
    let mut records = Vec::new();
    for path in logs {
        let cannot_read = || format!("cannot read the log '{}'", path.display());
        // Line by line: a log of a long session need not fit in memory twice.
        let file = std::io::BufReader::new(File::open(path).with_context(cannot_read)?);
        // What it holds is sent again, and with --resign signed with your
        // key: say so when others may have written it.
        crate::private::warn_if_loose(
            path,
            "log file",
            "it holds signed bodies, and whoever writes it chooses what replay sends",
        );
        for (index, line) in file.lines().enumerate() {
            let line = line.with_context(|| at(path, index + 1, "cannot be read"))?;
            if line.trim().is_empty() {
                continue;
            }
            let logged = parse(&line, records.len() + 1)
                .with_context(|| at(path, index + 1, "is not a record of gpwh listen --log"))?;
            records.push(logged);
        }
    }
    Ok(records)
}

fn at(path: &Path, line: usize, what: &str) -> String {
    format!("{}:{line} {what}", path.display())
}

fn parse(line: &str, number: usize) -> anyhow::Result<Logged> {
    let record: Value = serde_json::from_str(line)?;
    let received = record["received"]
        .as_str()
        .context("no \"received\" time")?
        .parse::<Timestamp>()
        .context("its \"received\" time is not RFC 3339")?;
    let body = match (&record["body"], &record["body_base64"]) {
        (Value::String(text), _) => Some(text.clone().into_bytes()),
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
            r#"{"received":"2026-12-05T10:00:00Z","headers":[["content-type","text/plain"]],"status":200,"verdict":"valid","event":"GivePlayerReward","body":"e30=.ab"}"#,
            3,
        )
        .unwrap();
        assert_eq!(text.number, 3);
        assert_eq!(text.body.as_deref(), Some(b"e30=.ab".as_slice()));
        assert_eq!(text.content_type.as_deref(), Some("text/plain"));
        assert_eq!(text.event.as_deref(), Some("GivePlayerReward"));
        assert!(!text.app_failed);
        let binary = parse(
            r#"{"received":"2026-12-05T10:00:00Z","headers":[],"verdict":"payload-not-base64","event":null,"body_base64":"/w==","forwarded":{"url":"u","status":500}}"#,
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
            r#"{"received":"2026-12-05T10:00:00Z","verdict":"valid","body":null,"forwarded":{"url":"u","error":"refused"}}"#,
            1,
        )
        .unwrap();
        assert!(unreachable.app_failed && unreachable.body.is_none());
        assert!(parse(r#"{"verdict":"valid","body":"x"}"#, 1).is_err());
        assert!(parse("not json", 1).is_err());
    }
}
