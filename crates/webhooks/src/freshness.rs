//! The replay window: a body whose signature is valid but whose `time` is
//! old may be a capture played again. Checking it needs a clock, so the
//! caller passes "now" in.

use std::time::{Duration, SystemTime};

use crate::Error;

/// How far in the future a body's time may be, for clocks that disagree.
pub(crate) const CLOCK_SKEW: Duration = Duration::from_secs(60);

/// An age limit, at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Freshness {
    /// The oldest a body may be.
    pub(crate) max_age: Duration,
    /// The moment to measure against, usually `SystemTime::now()`.
    pub(crate) now: SystemTime,
}

impl Freshness {
    /// Checks a payload's `time` (RFC 3339, any offset).
    ///
    /// # Errors
    /// [`Error::TimeMissing`] or [`Error::TimeFormat`] when there is no
    /// time to check; [`Error::Stale`] when it is older than `max_age`,
    /// [`Error::FromTheFuture`] when it is more than [`CLOCK_SKEW`] ahead.
    pub(crate) fn check(&self, time: Option<&str>) -> Result<(), Error> {
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
    if !is_rfc3339(text.as_bytes()) {
        return None;
    }
    let time: jiff::Timestamp = text.parse().ok()?;
    let since_epoch = time.as_duration();
    if since_epoch.is_negative() {
        SystemTime::UNIX_EPOCH.checked_sub(since_epoch.unsigned_abs())
    } else {
        SystemTime::UNIX_EPOCH.checked_add(since_epoch.unsigned_abs())
    }
}

/// Whether `text` is an RFC 3339 time as section 5.6 writes it:
/// `YYYY-MM-DDTHH:MM:SS`, an optional `.` and 1 to 9 digits, then `Z` or
/// `+hh:mm`/`-hh:mm` (`T` and `Z` in either case), an hour up to 23, a
/// minute and a second up to 59, an offset up to 23:59. jiff reads more
/// (a space for `T`, `+0300`, a comma, no seconds, a leap second, a
/// bracketed zone) and checks the date; every other implementation of gpwh's
/// verification refuses those forms, so they are refused here too, before
/// jiff reads the rest (conformance/vectors.json pins both).
fn is_rfc3339(text: &[u8]) -> bool {
    let digits = |range: std::ops::Range<usize>| {
        text.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let number = |at: usize| u32::from(text[at] - b'0') * 10 + u32::from(text[at + 1] - b'0');
    let date_and_time = text.len() >= 20
        && digits(0..4)
        && text[4] == b'-'
        && digits(5..7)
        && text[7] == b'-'
        && digits(8..10)
        && matches!(text[10], b'T' | b't')
        && digits(11..13)
        && text[13] == b':'
        && digits(14..16)
        && text[16] == b':'
        && digits(17..19)
        && number(11) <= 23
        && number(14) <= 59
        && number(17) <= 59;
    if !date_and_time {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=9).contains(&count) {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                && (h1 - b'0') * 10 + (h2 - b'0') <= 23
                && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => false,
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

    #[test]
    fn only_rfc_3339_is_a_time() {
        for time in [
            "2024-04-26T11:34:23Z",
            "2024-04-26t11:34:23z",
            "2024-04-26T11:34:23.415923998Z",
            "2024-04-26T14:34:23+03:00",
            "2024-04-26T07:04:23.5-04:30",
        ] {
            assert!(parse_time(time).is_some(), "{time}");
        }
        // What jiff alone reads, and no other implementation does.
        for time in [
            "2024-04-26 11:34:23Z",
            "2024-04-26T11:34Z",
            "20240426T113423Z",
            "2024-04-26T11:34:23,5Z",
            "2024-04-26T11:34:23+0300",
            "2024-04-26T11:34:23+03",
            "2024-04-26T11:34:23Z[UTC]",
            "2024-04-26T11:34:60Z",
            "2024-04-26T11:34:23+24:00",
            "+002024-04-26T11:34:23Z",
            "2024-04-26T11:34:23.1234567891Z",
            "2024-04-26T11:34:23.Z",
            "2024-04-26T11:34:23",
            // A date that does not exist is for jiff to refuse.
            "2024-02-30T11:34:23Z",
            "",
            "٢٠٢٤-04-26T11:34:23Z",
        ] {
            assert!(parse_time(time).is_none(), "{time}");
        }
    }
}
