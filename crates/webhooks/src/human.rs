//! Sizes and durations in the words of the messages (`16 MiB`, `2h 13m`):
//! an error's text is part of what the crate gives, so it writes them
//! itself. The `gpwh` tool writes them the same way in its own messages.

use std::time::Duration;

/// A size as people write it: `16 MiB`, `512 KiB`, `1000 bytes`.
pub(crate) fn size(bytes: usize) -> String {
    match bytes {
        0 => "0 bytes".to_owned(),
        b if b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// A duration in its largest unit and the next, as people say it: `2h 13m`,
/// `45s`, `3d 4h`, `5m`. Parts of a second are dropped.
pub(crate) fn duration(duration: Duration) -> String {
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
    fn sizes_and_durations_read_as_people_write_them() {
        assert_eq!(size(16 << 20), "16 MiB");
        assert_eq!(size(64 << 10), "64 KiB");
        assert_eq!(size(1000), "1000 bytes");
        for (seconds, text) in [
            (0, "0s"),
            (90, "1m 30s"),
            (7_980, "2h 13m"),
            (273_600, "3d 4h"),
        ] {
            assert_eq!(duration(Duration::from_secs(seconds)), text, "{seconds}");
        }
    }
}
