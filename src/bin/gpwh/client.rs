//! The HTTP client behind `send`, `probe` and `listen --forward-to`. It delivers the
//! bytes it is given and nothing else: no compression, no redirects
//! followed, no headers of its own but the ones asked for, and every
//! failure named by its kind (refused, timed out, TLS, no such host).

use std::fmt;
use std::time::Duration;

use ureq::config::AutoHeaderValue;

/// The Content-Type sent unless `-H` replaces it: the vendor documents
/// none, and the body is ASCII text.
const CONTENT_TYPE: &str = "text/plain; charset=utf-8";

/// The largest response body read: an app's answer to a webhook is short.
const MAX_RESPONSE: u64 = 16 << 20;

/// Refuses a URL that is not http:// or https://, before anything is sent.
///
/// # Errors
/// Naming the URL.
pub fn check_url(url: &str) -> anyhow::Result<()> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(())
    } else {
        anyhow::bail!("'{url}' is not an http:// or https:// URL")
    }
}

/// A client that adds no headers of its own, follows no redirects and
/// reports every status as a response.
pub fn agent(timeout: Option<Duration>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(AutoHeaderValue::None)
        .accept(AutoHeaderValue::None)
        .accept_encoding(AutoHeaderValue::None)
        .timeout_global(timeout)
        .build()
        .into()
}

/// What a server answered.
pub struct Answer {
    /// The status line, as `HTTP/1.1 200 OK`.
    pub status_line: String,
    /// The status code.
    pub status: u16,
    /// The status code and its reason, as `400 Bad Request`.
    pub status_text: String,
    /// The response headers, in order.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The response body, exactly.
    pub body: Vec<u8>,
}

impl Answer {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why nothing was answered.
#[derive(Debug)]
pub struct Undelivered {
    url: String,
    why: String,
}

impl Undelivered {
    /// Why, without the URL: `connection refused: is the server running?`.
    pub fn why(&self) -> &str {
        &self.why
    }
}

impl fmt::Display for Undelivered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not deliver to {}: {}", self.url, self.why)
    }
}

impl std::error::Error for Undelivered {}

/// POSTs `body` with `headers` to `url`.
///
/// # Errors
/// [`Undelivered`], saying whether the connection was refused, timed out,
/// failed TLS, or the host or URL was wrong.
pub fn post(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(String, Vec<u8>)],
    body: &[u8],
) -> Result<Answer, Undelivered> {
    let undelivered = |why: String| Undelivered {
        url: url.to_owned(),
        why,
    };
    let mut request = agent.post(url);
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_slice());
    }
    let mut response = request
        .send(body)
        .map_err(|e| undelivered(describe(&e, agent)))?;
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_RESPONSE)
        .read_to_vec()
        .map_err(|e| {
            undelivered(format!(
                "reading the answer failed: {}",
                describe(&e, agent)
            ))
        })?;
    let status = response.status();
    Ok(Answer {
        status_line: format!("{:?} {status}", response.version()),
        status: status.as_u16(),
        status_text: status.to_string(),
        headers: response
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
            .collect(),
        body,
    })
}

fn describe(error: &ureq::Error, agent: &ureq::Agent) -> String {
    match error {
        ureq::Error::Timeout(_) => match agent.config().timeouts().global {
            Some(limit) => format!("timed out after {}", gpwh::durations::human(limit)),
            None => "timed out".to_owned(),
        },
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                "connection refused: is the server running?".to_owned()
            }
            std::io::ErrorKind::TimedOut => "timed out".to_owned(),
            _ => format!("connection failed: {io}"),
        },
        ureq::Error::BadUri(uri) => format!("bad URL: {uri}"),
        ureq::Error::Tls(why) => format!("TLS failed: {why}"),
        ureq::Error::Rustls(why) => format!("TLS failed: {why}"),
        other => other.to_string(),
    }
}

/// The default Content-Type, with `-H` headers added or replacing by name.
pub fn headers(given: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut headers = vec![("Content-Type".to_owned(), CONTENT_TYPE.to_owned())];
    for (name, value) in given {
        headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(&name));
        headers.push((name, value));
    }
    headers
}

/// The curl command that sends the same request, body inline.
pub fn curl(
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
