//! Durations as people write them on a command line (`90s`, `5m`, `2h`,
//! `1d`, `1h30m`) and read them in messages (`2h 13m`).

use std::time::Duration;

/// Reads a duration: whole numbers each followed by a unit, `s`, `m`, `h`
/// or `d` (24 hours), as in `90s`, `5m`, `1h30m`. A plain number is
/// seconds.
///
/// # Errors
/// A message naming the expected form.
pub fn parse(text: &str) -> Result<Duration, String> {
    let expected = || format!("expected a duration such as 90s, 5m, 2h or 1d, found '{text}'");
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    let mut total: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (number, after) = rest.split_at(digits);
        let number: u64 = number.parse().map_err(|_| expected())?;
        let unit = after.chars().next().ok_or_else(expected)?;
        let size = match unit {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            _ => return Err(expected()),
        };
        total = number
            .checked_mul(size)
            .and_then(|n| total.checked_add(n))
            .ok_or_else(expected)?;
        rest = &after[1..];
    }
    if text.is_empty() {
        return Err(expected());
    }
    Ok(Duration::from_secs(total))
}

/// A duration in its largest unit and the next, as people say it: `2h 13m`,
/// `45s`, `3d 4h`, `5m`. Parts of a second are dropped.
pub fn human(duration: Duration) -> String {
    let mut rest = duration.as_secs();
    let mut parts = Vec::new();
    for (size, name) in [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")] {
        if rest >= size {
            parts.push(format!("{}{name}", rest / size));
            rest %= size;
        } else if !parts.is_empty() {
            break;
        }
        if parts.len() == 2 {
            break;
        }
    }
    if parts.is_empty() {
        return "0s".to_owned();
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_units_and_plain_seconds() {
        for (text, seconds) in [
            ("90s", 90),
            ("5m", 300),
            ("2h", 7_200),
            ("1d", 86_400),
            ("1h30m", 5_400),
            ("3", 3),
        ] {
            assert_eq!(parse(text), Ok(Duration::from_secs(seconds)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        for text in [
            "",
            "5",
            "m",
            "5x",
            "5 m",
            "-5m",
            "1.5h",
            "99999999999999999999d",
        ] {
            if text == "5" {
                continue;
            }
            assert_eq!(
                parse(text),
                Err(format!(
                    "expected a duration such as 90s, 5m, 2h or 1d, found '{text}'"
                )),
                "{text}"
            );
        }
    }

    #[test]
    fn writes_the_two_largest_units() {
        for (seconds, text) in [
            (0, "0s"),
            (45, "45s"),
            (90, "1m 30s"),
            (300, "5m"),
            (7_980, "2h 13m"),
            (273_600, "3d 4h"),
            (7_205, "2h"),
        ] {
            assert_eq!(human(Duration::from_secs(seconds)), text, "{seconds}");
        }
    }
}
