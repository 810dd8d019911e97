//! `listen --forward-to`: passing a body on to the user's app, byte for
//! byte with its headers, and turning what the app answered (or why it did
//! not) into the answer listen gives.

use std::net::IpAddr;
use std::time::Duration;

use crate::client::{self, Client, Proxies};
use crate::tls::Trust;

use super::delivery::Forwarded;

/// Headers that belong to one connection, not to the message: never
/// forwarded, to the app or back from it. The `Proxy-` ones are a proxy's
/// credentials and challenge (RFC 9110, 11.7) and `Proxy-Connection` an old
/// client's `Connection`: none is the app's, and a client's proxy password
/// is not the app's to read.
const HOP_BY_HOP: [&str; 12] = [
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "expect",
    "proxy-authorization",
    "proxy-authenticate",
    "proxy-connection",
];

/// Where valid (or all) bodies go on to.
pub struct Forward {
    /// The app's URL.
    pub url: String,
    /// Whether invalid and malformed bodies go too.
    pub invalid: bool,
    /// The client that carries them, with --forward-timeout.
    client: Client,
}

/// What forwarding a body came to: the answer listen passes back.
pub struct Relayed {
    /// The app's status; 502 when it could not be reached or answered
    /// nonsense, 504 when it took too long.
    pub status: u16,
    /// The app's body, or why there is none.
    pub reply: Vec<u8>,
    /// The app's headers worth passing back.
    pub reply_headers: Vec<(String, Vec<u8>)>,
    /// The app's answer as text, for the inspector; none when it did not
    /// answer.
    pub answer: Option<String>,
    /// For the log: the URL, and the app's status or the error.
    pub record: Forwarded,
}

impl Forward {
    /// Forwarding to `url`, with `timeout` for each answer and `trust` for
    /// an https:// app.
    ///
    /// # Errors
    /// When the URL is not an http(s) URL, or the client cannot be set up.
    pub fn new(
        url: String,
        invalid: bool,
        timeout: Duration,
        trust: &Trust,
    ) -> anyhow::Result<Forward> {
        client::check_url(&url)?;
        Ok(Forward {
            url,
            invalid,
            client: Client::new(timeout, Proxies::Never, trust)?,
        })
    }

    /// Sends the body on to the app, with the request's header values byte
    /// for byte, less the hop-by-hop ones and those the `Connection` header
    /// names, and with the client's address appended to `X-Forwarded-For`
    /// when it is known.
    pub async fn relay(
        &self,
        body: &[u8],
        headers: &[(String, Vec<u8>)],
        client: Option<IpAddr>,
    ) -> Relayed {
        let headers = passed_on(headers, client);
        match self.client.post(&self.url, &headers, body.to_vec()).await {
            Ok(answer) => Relayed {
                status: answer.status,
                answer: Some(String::from_utf8_lossy(&answer.body).into_owned()),
                reply: answer.body,
                reply_headers: passed_back(answer.headers),
                record: Forwarded::Answered {
                    url: self.url.to_string(),
                    status: answer.status,
                    body_error: answer.body_error.clone(),
                },
            },
            Err(undelivered) => Relayed {
                status: if undelivered.is_timeout() { 504 } else { 502 },
                reply: format!("{undelivered}\n").into_bytes(),
                reply_headers: Vec::new(),
                answer: None,
                record: Forwarded::Undelivered {
                    url: self.url.to_string(),
                    error: undelivered.to_string(),
                    why: undelivered.why().to_owned(),
                },
            },
        }
    }
}

/// The names, lower-case, of the headers that `headers`' `Connection`
/// names: they belong to that connection alone.
fn connection_named(headers: &[(String, Vec<u8>)]) -> Vec<String> {
    headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("connection"))
        .flat_map(|(_, value)| {
            String::from_utf8_lossy(value)
                .split(',')
                .map(|token| token.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .filter(|token| !token.is_empty())
        .collect()
}

/// The app's headers the sender gets: less the hop-by-hop ones, those the
/// app's `Connection` names, and `Date` and `Server`, which listen's own
/// answer carries.
fn passed_back(headers: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let named = connection_named(&headers);
    headers
        .into_iter()
        .filter(|(name, _)| {
            let name = name.to_ascii_lowercase();
            !HOP_BY_HOP.contains(&name.as_str())
                && !named.contains(&name)
                && name != "date"
                && name != "server"
        })
        .collect()
}

/// The headers the app gets: the hop-by-hop ones and those `Connection`
/// names are dropped, and `client` is appended to `X-Forwarded-For`.
fn passed_on(headers: &[(String, Vec<u8>)], client: Option<IpAddr>) -> Vec<(String, Vec<u8>)> {
    let named = connection_named(headers);
    let mut passed: Vec<(String, Vec<u8>)> = headers
        .iter()
        .filter(|(name, _)| {
            let name = name.to_ascii_lowercase();
            !HOP_BY_HOP.contains(&name.as_str()) && !named.contains(&name)
        })
        .cloned()
        .collect();
    if let Some(client) = client {
        let client = client.to_string().into_bytes();
        match passed
            .iter_mut()
            .find(|(name, _)| name.eq_ignore_ascii_case("x-forwarded-for"))
        {
            Some((_, value)) => {
                value.extend_from_slice(b", ");
                value.extend_from_slice(&client);
            }
            None => passed.push(("X-Forwarded-For".to_owned(), client)),
        }
    }
    passed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, value: &[u8]) -> (String, Vec<u8>) {
        (name.to_owned(), value.to_vec())
    }

    #[test]
    fn hop_by_hop_and_connection_named_headers_stay_and_the_client_is_appended() {
        let headers = [
            header("Host", b"game.example"),
            header("Proxy-Authorization", b"Basic dXNlcjpwYXNz"),
            header("proxy-connection", b"keep-alive"),
            header("Proxy-Authenticate", b"Basic realm=\"x\""),
            header("Connection", b"keep-alive, X-Hop"),
            header("X-Hop", b"one link only"),
            header("X-Name", b"caf\xe9"),
            header("X-Forwarded-For", b"10.0.0.1"),
        ];
        let client: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(
            passed_on(&headers, Some(client)),
            [
                header("X-Name", b"caf\xe9"),
                header("X-Forwarded-For", b"10.0.0.1, 127.0.0.1"),
            ]
        );
        assert_eq!(
            passed_on(&[header("X-Name", b"x")], Some(client)),
            [
                header("X-Name", b"x"),
                header("X-Forwarded-For", b"127.0.0.1")
            ]
        );
        assert_eq!(
            passed_on(&[header("X-Name", b"x")], None),
            [header("X-Name", b"x")]
        );
    }

    #[test]
    fn the_app_s_hop_by_hop_headers_and_proxy_challenge_stay_with_it() {
        let answer = vec![
            header("Content-Type", b"text/plain"),
            header("Proxy-Authenticate", b"Basic realm=\"app\""),
            header("Proxy-Connection", b"keep-alive"),
            header("Connection", b"close, X-App-Hop"),
            header("X-App-Hop", b"1"),
            header("Date", b"Sat, 05 Dec 2026 10:00:00 GMT"),
            header("X-App", b"yes"),
        ];
        assert_eq!(
            passed_back(answer),
            [
                header("Content-Type", b"text/plain"),
                header("X-App", b"yes")
            ]
        );
    }
}
