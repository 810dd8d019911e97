//! Sizes as people write them, and the one way gpwh says something is past
//! its limit: `body too large: more than 16 MiB`, for a body, a line, an
//! answer or a secret file alike.

/// The largest input read as one body: 16 MiB, far past any webhook (they
/// are a few kilobytes), so that memory stays bounded whatever is sent.
pub const MAX_BODY: usize = 16 << 20;

/// A size as people write it: `16 MiB`, `512 KiB`, `1000 bytes`.
pub fn human(bytes: usize) -> String {
    match bytes {
        0 => "0 bytes".to_owned(),
        b if b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// `WHAT too large: more than LIMIT`.
pub fn too_large(what: &str, limit: usize) -> String {
    format!("{what} too large: more than {}", human(limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human(16 << 20), "16 MiB");
        assert_eq!(human(64 << 10), "64 KiB");
        assert_eq!(human(1000), "1000 bytes");
        assert_eq!(
            too_large("line", 1 << 20),
            "line too large: more than 1 MiB"
        );
    }
}
