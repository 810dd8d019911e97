//! Times as the vendor writes them: RFC 3339 in UTC with `Z`, fractional
//! seconds to the nanosecond without trailing zeros (Go's RFC3339Nano).

use jiff::Timestamp;

/// The current time.
pub fn now() -> String {
    Timestamp::now().to_string()
}

/// A moment to the second, cut rather than rounded, as listen's lines and
/// replay's show when something arrived: `2026-12-05T11:32:47Z`.
pub fn to_the_second(time: Timestamp) -> String {
    time.round(
        jiff::TimestampRound::new()
            .smallest(jiff::Unit::Second)
            .mode(jiff::RoundMode::Trunc),
    )
    .unwrap_or(time)
    .to_string()
}

/// A time given on the command line: `now`, or one the user fixed, which
/// makes a forged body the same on every run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// The time in UTC, as the vendor writes it.
    pub text: String,
    /// Whether the user wrote the time itself rather than `now`.
    pub fixed: bool,
}

/// Reads `now` or an RFC 3339 time, as [`parse`] does, and says which.
///
/// # Errors
/// As [`parse`].
pub fn given(text: &str) -> Result<Given, String> {
    Ok(Given {
        text: parse(text)?,
        fixed: !text.eq_ignore_ascii_case("now"),
    })
}

/// Reads `now` or an RFC 3339 time with any offset, and writes it in UTC.
///
/// # Errors
/// A message for clap, which quotes the value and names the flag.
pub fn parse(text: &str) -> Result<String, String> {
    if text.eq_ignore_ascii_case("now") {
        return Ok(now());
    }
    text.parse::<Timestamp>()
        .map(|time| time.to_string())
        .map_err(|_| {
            "expected an RFC 3339 time such as 2024-04-26T11:34:23.415923998Z, or now".to_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_the_second_cuts() {
        let time: Timestamp = "2026-12-05T11:32:47.999999999Z".parse().unwrap();
        assert_eq!(to_the_second(time), "2026-12-05T11:32:47Z");
    }

    #[test]
    fn writes_utc_with_z_and_no_trailing_zeros() {
        assert_eq!(
            parse("2024-04-26T11:34:23.415923998Z").unwrap(),
            "2024-04-26T11:34:23.415923998Z"
        );
        assert_eq!(
            parse("2024-04-26T14:34:23.4159+03:00").unwrap(),
            "2024-04-26T11:34:23.4159Z"
        );
        assert_eq!(
            parse("2024-04-26T11:34:23.000Z").unwrap(),
            "2024-04-26T11:34:23Z"
        );
    }

    #[test]
    fn now_is_a_time_that_reads_back() {
        let now = parse("NOW").unwrap();
        assert!(now.ends_with('Z'));
        assert_eq!(parse(&now).unwrap(), now);
    }

    #[test]
    fn refuses_times_without_an_offset_or_a_date() {
        for text in ["2024-04-26 11:34:23", "2024-04-26", "yesterday", ""] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
