//! Copy as curl: the curl command line that sends a request as gpwh
//! would, for the `--dry-run` of send, probe and replay. The command is
//! meant to be pasted into a shell, so it reads no file, sends to one URL,
//! and is printable ASCII from end to end, whatever the body holds.

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::tls::Trust;

/// The curl command that sends the same request, body inline, with the
/// same trust (`--cacert`, `-k`), and reading no file: the body goes as
/// `--data-raw`, which curl never takes for a file to read, as
/// `--data-binary` takes one that starts with `@` (a body from a log is
/// anyone's), and sends byte for byte, CR and LF too; the URL goes with
/// `-g`, so that curl sends to it as written, as gpwh would, where `[1-9]`
/// or `{a,b}` would make it many.
///
/// # Errors
/// For a body with a NUL byte, which no shell word holds, and for a header
/// gpwh could not send either: curl would read one that starts with `@`
/// from a file, and a CR or LF would split it in two.
pub fn command(
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    timeout: Duration,
    trust: &Trust,
) -> anyhow::Result<String> {
    if body.contains(&0) {
        anyhow::bail!(
            "--dry-run shows bodies inline, and a shell word cannot hold a NUL byte: send it with --body @PATH"
        );
    }
    let mut command = format!(
        "curl -sS -g -X POST --max-time {}",
        timeout.as_secs().max(1)
    );
    if trust.insecure {
        command.push_str(" -k");
    }
    for path in &trust.cacerts {
        command.push_str(&format!(
            " --cacert {}",
            quote(path.to_string_lossy().as_bytes())
        ));
    }
    for (name, value) in headers {
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            anyhow::bail!("'{name}' is not a header name");
        }
        if HeaderValue::from_bytes(value.as_bytes()).is_err() {
            anyhow::bail!("the value of {name} is not a header value");
        }
        command.push_str(&format!(
            " -H {}",
            quote(format!("{name}: {value}").as_bytes())
        ));
    }
    // curl labels a body a form unless told otherwise: a request without
    // a Content-Type says so with an empty one, which curl drops.
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
    {
        command.push_str(" -H 'Content-Type:'");
    }
    command.push_str(&format!(
        " --data-raw {} {}\n",
        quote(body),
        quote(url.as_bytes())
    ));
    Ok(command)
}

/// `bytes` as one shell word that is printable ASCII from end to end: in
/// single quotes when they are printable ASCII already, else in bash's
/// `$'...'` with `\xNN` for every other byte, so that a body holding ESC,
/// CR or a bidi override pastes as text, never as keystrokes.
fn quote(bytes: &[u8]) -> String {
    if bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        let text = String::from_utf8_lossy(bytes);
        return format!("'{}'", text.replace('\'', r"'\''"));
    }
    let mut word = String::from("$'");
    for &byte in bytes {
        match byte {
            b'\\' => word.push_str("\\\\"),
            b'\'' => word.push_str("\\'"),
            0x20..=0x7e => word.push(char::from(byte)),
            _ => word.push_str(&format!("\\x{byte:02x}")),
        }
    }
    word.push('\'');
    word
}

#[cfg(test)]
mod tests {
    use super::*;
    // `command` names each test's result.
    use super::command as curl;

    #[test]
    fn the_curl_command_quotes_everything() {
        let system = Trust::system("--cacert");
        let command = curl(
            "http://127.0.0.1:8080/a?b=c",
            &[("X-Name".into(), "it's".into())],
            b"e30=.abc",
            Duration::from_secs(10),
            &system,
        )
        .unwrap();
        assert_eq!(
            command,
            "curl -sS -g -X POST --max-time 10 -H 'X-Name: it'\\''s' -H 'Content-Type:' --data-raw 'e30=.abc' 'http://127.0.0.1:8080/a?b=c'\n"
        );
        assert!(curl("http://x", &[], b"a\0b", Duration::from_secs(1), &system).is_err());
    }

    #[test]
    fn the_curl_command_trusts_what_gpwh_trusts() {
        let private = Trust {
            cacerts: vec!["ca dir/ca.pem".into()],
            insecure: false,
            flag: "--cacert",
        };
        let command = curl("https://h/", &[], b"x", Duration::from_secs(3), &private).unwrap();
        assert!(command.starts_with(
            "curl -sS -g -X POST --max-time 3 --cacert 'ca dir/ca.pem' -H 'Content-Type:' --data-raw"
        ));
        let insecure = Trust {
            cacerts: Vec::new(),
            insecure: true,
            flag: "--cacert",
        };
        let command = curl("https://h/", &[], b"x", Duration::from_secs(3), &insecure).unwrap();
        assert!(
            command
                .starts_with("curl -sS -g -X POST --max-time 3 -k -H 'Content-Type:' --data-raw")
        );
    }

    /// curl reads a file for `--data-binary @PATH` and `-H @PATH`: a body
    /// from a log anyone may hand over must go as it is, and a header
    /// curl would read from a file, or split in two, is refused.
    #[test]
    fn the_curl_command_reads_no_file() {
        let system = Trust::system("--cacert");
        let second = Duration::from_secs(1);
        let command = curl("http://h/", &[], b"@/etc/passwd", second, &system).unwrap();
        assert!(
            command.ends_with(" --data-raw '@/etc/passwd' 'http://h/'\n"),
            "{command}"
        );
        assert!(!command.contains("--data-binary"), "{command}");
        for header in [("@/etc/passwd", "x"), ("X-A", "1\r\nX-B: 2"), ("X A", "1")] {
            let headers = [(header.0.to_owned(), header.1.to_owned())];
            assert!(
                curl("http://h/", &headers, b"x", second, &system).is_err(),
                "{header:?}"
            );
        }
    }

    /// `[1-9]` and `{a,b}` in a URL are curl's globbing: many requests,
    /// where gpwh sends one to the URL as written.
    #[test]
    fn the_curl_command_takes_the_url_as_written() {
        let system = Trust::system("--cacert");
        let command = curl(
            "http://h/[1-1000]{a,b}",
            &[],
            b"x",
            Duration::from_secs(1),
            &system,
        )
        .unwrap();
        assert!(command.starts_with("curl -sS -g "), "{command}");
    }
}
