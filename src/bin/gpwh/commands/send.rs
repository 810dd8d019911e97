//! `gpwh send URL`: deliver a body as GamePush would, a forged one or a
//! captured one, and show what the server answered.

use std::io::Write as _;

use crate::cli::SendArgs;
use crate::client;
use crate::commands::sign;
use crate::exit::Exit;
use crate::input;
use crate::output::Output;

/// The Content-Type sent unless `-H` replaces it: the vendor documents
/// none, and the body is ASCII text.
const CONTENT_TYPE: &str = "text/plain; charset=utf-8";

pub fn run(args: SendArgs, out: &Output) -> anyhow::Result<Exit> {
    client::check_url(&args.url)?;
    let body = match args.body {
        Some(body) => input::source(vec![body], Vec::new(), "body")?.read()?,
        None => sign::forge(args.sign)?.into_bytes(),
    };
    let headers = headers(args.headers);
    if args.dry_run {
        out.text(&curl(&args.url, &headers, &body, args.timeout)?)?;
        return Ok(Exit::Success);
    }
    let headers: Vec<(String, Vec<u8>)> = headers
        .into_iter()
        .map(|(n, v)| (n, v.into_bytes()))
        .collect();
    match client::post(
        &client::agent(Some(args.timeout)),
        &args.url,
        &headers,
        &body,
    ) {
        Ok(answer) => {
            let _ = writeln!(std::io::stderr(), "{}", answer.status_line);
            out.exact(&answer.body)?;
            if answer.is_success() {
                Ok(Exit::Success)
            } else {
                let _ = writeln!(
                    std::io::stderr(),
                    "gpwh: not delivered: the server answered {}",
                    answer.status_text
                );
                Ok(Exit::Undelivered)
            }
        }
        Err(undelivered) => {
            let _ = writeln!(std::io::stderr(), "gpwh: {undelivered}");
            Ok(Exit::Undelivered)
        }
    }
}

/// The default Content-Type, with `-H` headers added or replacing by name.
fn headers(given: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut headers = vec![("Content-Type".to_owned(), CONTENT_TYPE.to_owned())];
    for (name, value) in given {
        headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(&name));
        headers.push((name, value));
    }
    headers
}

/// The curl command that sends the same request, body inline.
fn curl(
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    timeout: std::time::Duration,
) -> anyhow::Result<String> {
    let Some(body) = std::str::from_utf8(body).ok().filter(|b| !b.contains('\0')) else {
        anyhow::bail!(
            "--dry-run shows text bodies inline, and this one has binary bytes: send it with --body @PATH"
        );
    };
    let mut command = format!("curl -sS -X POST --max-time {}", timeout.as_secs().max(1));
    for (name, value) in headers {
        command.push_str(&format!(" -H {}", quote(&format!("{name}: {value}"))));
    }
    command.push_str(&format!(" --data-binary {} {}\n", quote(body), quote(url)));
    Ok(command)
}

/// `text` in single quotes for a POSIX shell.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_replace_by_name_in_any_case() {
        let headers = headers(vec![
            ("content-type".into(), "application/json".into()),
            ("X-One".into(), "1".into()),
        ]);
        assert_eq!(
            headers,
            [
                ("content-type".to_owned(), "application/json".to_owned()),
                ("X-One".to_owned(), "1".to_owned())
            ]
        );
    }

    #[test]
    fn the_curl_command_quotes_everything() {
        let command = curl(
            "http://127.0.0.1:8080/a?b=c",
            &[("X-Name".into(), "it's".into())],
            b"e30=.abc",
            std::time::Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(
            command,
            "curl -sS -X POST --max-time 10 -H 'X-Name: it'\\''s' --data-binary 'e30=.abc' 'http://127.0.0.1:8080/a?b=c'\n"
        );
        assert!(curl("http://x", &[], b"a\0b", std::time::Duration::from_secs(1)).is_err());
    }
}
