//! The replay window: a body whose signature is valid but whose `time` is
//! old may be a capture played again. Checking it needs a clock, so the
//! caller passes "now" in.

use std::time::{Duration, SystemTime};

use crate::Error;

/// How far in the future a body's time may be, for clocks that disagree.
pub const CLOCK_SKEW: Duration = Duration::from_secs(60);

/// An age limit, at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// The oldest a body may be.
    pub max_age: Duration,
    /// The moment to measure against, usually `SystemTime::now()`.
    pub now: SystemTime,
}

impl Freshness {
    /// An age limit measured against the system clock now.
    pub fn now(max_age: Duration) -> Self {
        Freshness {
            max_age,
            now: SystemTime::now(),
        }
    }

    /// Checks a payload's `time` (RFC 3339, any offset).
    ///
    /// # Errors
    /// [`Error::TimeMissing`] or [`Error::TimeFormat`] when there is no
    /// time to check; [`Error::Stale`] when it is older than `max_age`,
    /// [`Error::FromTheFuture`] when it is more than [`CLOCK_SKEW`] ahead.
    pub fn check(&self, time: Option<&str>) -> Result<(), Error> {
        let time = time.ok_or(Error::TimeMissing)?;
        let sent = parse_time(time).ok_or_else(|| Error::TimeFormat {
            found: shortened(time),
        })?;
        match self.now.duration_since(sent) {
            Ok(age) if age > self.max_age => Err(Error::Stale {
                age,
                limit: self.max_age,
            }),
            Ok(_) => Ok(()),
            Err(ahead) if ahead.duration() > CLOCK_SKEW => Err(Error::FromTheFuture {
                ahead: ahead.duration(),
            }),
            Err(_) => Ok(()),
        }
    }
}

fn parse_time(text: &str) -> Option<SystemTime> {
    let time: jiff::Timestamp = text.parse().ok()?;
    let since_epoch = time.as_duration();
    if since_epoch.is_negative() {
        SystemTime::UNIX_EPOCH.checked_sub(since_epoch.unsigned_abs())
    } else {
        SystemTime::UNIX_EPOCH.checked_add(since_epoch.unsigned_abs())
    }
}

/// The text in quotes, cut at 40 characters, with control characters and
/// bidi overrides written as `\u{..}` escapes: it came off the wire, and
/// the message may reach a terminal.
fn shortened(text: &str) -> String {
    let mut quoted = String::from("\"");
    for (index, c) in text.chars().enumerate() {
        if index == 40 {
            quoted.push_str("...");
            break;
        }
        if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            quoted.extend(c.escape_unicode());
        } else {
            quoted.push(c);
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_from_the_wire_is_quoted_inert_and_short() {
        assert_eq!(shortened("soon"), "\"soon\"");
        assert_eq!(
            shortened("\u{1b}[2J\u{202e}x\u{85}"),
            "\"\\u{1b}[2J\\u{202e}x\\u{85}\""
        );
        assert_eq!(
            shortened(&"a".repeat(50)),
            format!("\"{}...\"", "a".repeat(40))
        );
    }

    fn at(rfc3339: &str) -> SystemTime {
        parse_time(rfc3339).unwrap()
    }

    fn check(time: Option<&str>, max_age: u64, now: &str) -> Result<(), Error> {
        Freshness {
            max_age: Duration::from_secs(max_age),
            now: at(now),
        }
        .check(time)
    }

    #[test]
    fn accepts_a_body_within_the_window() {
        assert!(
            check(
                Some("2024-04-26T11:34:23.415923998Z"),
                300,
                "2024-04-26T11:38:00Z"
            )
            .is_ok()
        );
        assert!(
            check(
                Some("2024-04-26T14:34:23+03:00"),
                300,
                "2024-04-26T11:34:23Z"
            )
            .is_ok()
        );
        // Up to a minute ahead, for clocks that disagree.
        assert!(check(Some("2024-04-26T11:35:20Z"), 300, "2024-04-26T11:34:23Z").is_ok());
    }

    #[test]
    fn refuses_a_stale_body_saying_how_stale() {
        let err = check(Some("2024-04-26T09:21:00Z"), 300, "2024-04-26T11:34:23Z").unwrap_err();
        assert_eq!(
            err.to_string(),
            "signature valid but the body is stale: sent 2h 13m ago, limit 5m"
        );
        assert!(err.is_invalid());
        assert_eq!(err.code(), "stale");
    }

    #[test]
    fn refuses_a_body_from_the_future() {
        let err = check(Some("2024-04-26T11:40:00Z"), 300, "2024-04-26T11:34:23Z").unwrap_err();
        assert_eq!(
            err.to_string(),
            "signature valid but the body is from the future: sent 5m 37s from now, allowance 1m"
        );
        assert!(err.is_invalid());
    }

    #[test]
    fn a_missing_or_unreadable_time_is_malformed() {
        let err = check(None, 300, "2024-04-26T11:34:23Z").unwrap_err();
        assert!(matches!(err, Error::TimeMissing) && !err.is_invalid());
        let err = check(Some("yesterday"), 300, "2024-04-26T11:34:23Z").unwrap_err();
        assert_eq!(
            err.to_string(),
            "payload time is not an RFC 3339 time: found \"yesterday\""
        );
        let err = check(Some(&"9".repeat(100)), 300, "2024-04-26T11:34:23Z").unwrap_err();
        assert!(err.to_string().ends_with("...\""));
    }
}
