//! The HTTP client behind `send`, `probe` and `listen --forward-to`, on the
//! same tokio runtime as the listener. It delivers the bytes it is given:
//! no compression, no redirects followed, no headers of its own but
//! `Accept: */*` (which reqwest always adds) and the ones asked for, and
//! every failure named by its kind (refused, timed out, TLS, no such host).
//! Whom it trusts over https:// is [`crate::tls`]'s business.

use std::error::Error as _;
use std::fmt;
use std::sync::Once;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::tls::{Refused, Trust};

/// The Content-Type sent unless `-H` replaces it: the vendor documents
/// none, and the body is ASCII text.
const CONTENT_TYPE: &str = "text/plain; charset=utf-8";

/// The largest response body read: an app's answer to a webhook is short.
const MAX_RESPONSE: usize = 16 << 20;

/// Refuses a URL that is not http:// or https:// (in any letter case),
/// before anything is sent.
///
/// # Errors
/// Naming the URL; for one with no scheme at all (`localhost:3000/hook`,
/// as a browser would take it), with the http:// URL it may mean.
pub fn check_url(url: &str) -> anyhow::Result<()> {
    let scheme = url.split_once("://").map(|(scheme, _)| scheme);
    match scheme {
        Some(scheme)
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            Ok(())
        }
        Some(_) => anyhow::bail!("'{url}' is not an http:// or https:// URL"),
        None => {
            anyhow::bail!("'{url}' is not an http:// or https:// URL: did you mean 'http://{url}'?")
        }
    }
}

/// Whether the client goes through the proxies named in the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proxies {
    /// HTTP_PROXY, HTTPS_PROXY and NO_PROXY, as curl reads them: for send
    /// and probe, which reach the user's servers wherever they are.
    FromEnvironment,
    /// None: forwarding goes to the user's own app, on this machine.
    Never,
}

/// An HTTP client with a limit on each whole exchange.
#[derive(Clone)]
pub struct Client {
    inner: reqwest::Client,
    timeout: Duration,
}

impl Client {
    /// A client that follows no redirects, gives up on an exchange after
    /// `timeout`, and trusts what `trust` says.
    ///
    /// # Errors
    /// When a `--cacert` file cannot be read, or TLS cannot be set up.
    pub fn new(timeout: Duration, proxies: Proxies, trust: &Trust) -> anyhow::Result<Client> {
        static PROVIDER: Once = Once::new();
        // One TLS provider for the process, ring, chosen once; a second
        // install would fail harmlessly.
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .tls_backend_preconfigured(trust.config()?)
            .dns_resolver(std::sync::Arc::new(SystemResolver));
        if proxies == Proxies::Never {
            builder = builder.no_proxy();
        }
        let inner = builder
            .build()
            .map_err(|e| anyhow::anyhow!("cannot set up the HTTP client: {}", chain(&e)))?;
        Ok(Client { inner, timeout })
    }

    /// POSTs `body` with `headers` to `url`.
    ///
    /// # Errors
    /// [`Undelivered`], saying whether the connection was refused, timed out,
    /// failed TLS, or the host or URL was wrong.
    pub async fn post(
        &self,
        url: &str,
        headers: &[(String, Vec<u8>)],
        body: Vec<u8>,
    ) -> Result<Answer, Undelivered> {
        let undelivered = |why: String| Undelivered {
            url: url.to_owned(),
            why,
            timed_out: false,
            certificate: false,
        };
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| undelivered(format!("'{name}' is not a header name")))?;
            let value = HeaderValue::from_bytes(value)
                .map_err(|_| undelivered(format!("the value of {name} is not a header value")))?;
            map.append(name, value);
        }
        let mut response = self
            .inner
            .post(url)
            .headers(map)
            .body(body)
            .send()
            .await
            .map_err(|e| self.failed(url, &e))?;
        // The status line has arrived: from here on, what goes wrong is the
        // body's, and the status stands.
        let mut body = Vec::new();
        let mut body_error = None;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_RESPONSE {
                        return Err(undelivered(crate::size::too_large(
                            "the answer",
                            MAX_RESPONSE,
                        )));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => {
                    body_error = Some(self.describe(&error));
                    break;
                }
            }
        }
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
            body_error,
        })
    }

    /// Whether `url` answers HTTP at all: a GET, whose status is returned
    /// whatever it is.
    ///
    /// # Errors
    /// [`Undelivered`], as for [`Client::post`].
    pub async fn status(&self, url: &str) -> Result<u16, Undelivered> {
        match self.inner.get(url).send().await {
            Ok(response) => Ok(response.status().as_u16()),
            Err(error) => Err(self.failed(url, &error)),
        }
    }

    /// Why an exchange with `url` failed, as [`Undelivered`].
    fn failed(&self, url: &str, error: &reqwest::Error) -> Undelivered {
        Undelivered {
            url: url.to_owned(),
            why: self.describe(error),
            timed_out: error.is_timeout(),
            certificate: is_certificate(error),
        }
    }

    fn describe(&self, error: &reqwest::Error) -> String {
        if error.is_timeout() {
            return format!("timed out after {}", crate::duration::human(self.timeout));
        }
        if let Some(tls) = tls_error(error) {
            return describe_tls(tls);
        }
        let mut source = error.source();
        while let Some(cause) = source {
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    std::io::ErrorKind::ConnectionRefused => {
                        return "connection refused: is the server running?".to_owned();
                    }
                    std::io::ErrorKind::TimedOut => return "timed out".to_owned(),
                    // Over TLS, an end before the end: rustls says the
                    // peer closed without close_notify.
                    std::io::ErrorKind::UnexpectedEof
                        if error.url().is_some_and(|url| url.scheme() == "https") =>
                    {
                        return "the server closed the connection without TLS close_notify, \
                                so the answer may be cut short"
                            .to_owned();
                    }
                    _ => {}
                }
            }
            if let Some(not_found) = cause.downcast_ref::<HostNotFound>() {
                return not_found.to_string();
            }
            source = cause.source();
        }
        if error.is_builder() {
            return format!("bad URL: {}", chain(error));
        }
        if error.is_connect() {
            return format!("connection failed: {}", chain(error));
        }
        chain(error)
    }
}

/// The system's resolver, as reqwest's own, but failing with a type of its
/// own, so that a host that cannot be found is told by its type.
struct SystemResolver;

impl reqwest::dns::Resolve for SystemResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // The port is the URL's: reqwest puts it on each address.
            let found = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map(Iterator::collect::<Vec<_>>);
            match found {
                Ok(addresses) => {
                    let addresses: reqwest::dns::Addrs = Box::new(addresses.into_iter());
                    Ok(addresses)
                }
                Err(source) => Err(Box::new(HostNotFound { host, source }) as _),
            }
        })
    }
}

/// A host name the resolver could not turn into an address.
#[derive(Debug)]
struct HostNotFound {
    host: String,
    source: std::io::Error,
}

impl fmt::Display for HostNotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "host not found: {} ({})", self.host, self.source)
    }
}

impl std::error::Error for HostNotFound {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A TLS failure in words: a refused certificate as [`crate::tls`]
/// explained it, a server that does not speak TLS as such.
fn describe_tls(error: &rustls::Error) -> String {
    match error {
        rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other))
            if other.0.downcast_ref::<Refused>().is_some() =>
        {
            other.0.to_string()
        }
        rustls::Error::InvalidCertificate(kind) => format!("certificate refused: {kind:?}"),
        rustls::Error::InvalidMessage(_) => format!(
            "TLS failed: {error}: does the server speak https:// on this port, or only http://?"
        ),
        _ => format!("TLS failed: {error}"),
    }
}

/// Whether the error is a certificate refused: that does not go away by
/// trying again.
fn is_certificate(error: &reqwest::Error) -> bool {
    matches!(tls_error(error), Some(rustls::Error::InvalidCertificate(_)))
}

/// The TLS error under `error`, if that is what it is.
fn tls_error(error: &reqwest::Error) -> Option<&rustls::Error> {
    error.source().and_then(find_tls)
}

/// rustls's error in `error` or its causes. It reaches the client inside
/// an `io::Error` (sometimes two), whose `source()` skips the error it
/// wraps: that one is looked at with `get_ref()`.
fn find_tls<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    if let Some(inner) = error
        .downcast_ref::<std::io::Error>()
        .and_then(std::io::Error::get_ref)
        && let Some(tls) = find_tls(inner)
    {
        return Some(tls);
    }
    error.source().and_then(find_tls)
}

/// An error and its causes on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
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
    /// The response body, exactly; only its start when it could not be read
    /// to the end.
    pub body: Vec<u8>,
    /// Why the body could not be read to the end after the status arrived
    /// (a reset, a TLS close without close_notify, a timeout).
    pub body_error: Option<String>,
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
    timed_out: bool,
    certificate: bool,
}

impl Undelivered {
    /// Whether the server took longer than the client's limit.
    pub fn is_timeout(&self) -> bool {
        self.timed_out
    }

    /// Whether the server's certificate was refused: trying again does not
    /// help.
    pub fn is_certificate(&self) -> bool {
        self.certificate
    }

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

/// A runtime for the commands that run one exchange at a time (send,
/// probe): on this thread, with timers and sockets.
///
/// # Errors
/// When the operating system refuses what tokio needs.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the I/O runtime: {e}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_with_no_scheme_is_refused_with_the_one_it_may_mean() {
        assert!(check_url("http://127.0.0.1:3000/hook").is_ok());
        assert!(check_url("HTTPS://example.com/").is_ok());
        assert_eq!(
            check_url("localhost:3000/hook").unwrap_err().to_string(),
            "'localhost:3000/hook' is not an http:// or https:// URL: did you mean \
             'http://localhost:3000/hook'?"
        );
        assert_eq!(
            check_url("ftp://x/").unwrap_err().to_string(),
            "'ftp://x/' is not an http:// or https:// URL"
        );
    }

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
}
