//! What stands between the inspector and everyone else: a token of its own
//! on every API and stream request, against other processes and users of
//! the machine (the API can sign with the listener's key); a `Host` check
//! against DNS rebinding; an `Origin` check on every state-changing request
//! against cross-site requests; and headers that keep the page to itself.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use subtle::ConstantTimeEq as _;

/// The header the page sends the token in.
pub const TOKEN_HEADER: &str = "x-gpwh-token";

/// [`TOKEN_HEADER`] as the page writes it, and the messages name it.
const TOKEN_HEADER_NAME: &str = "X-Gpwh-Token";

/// The policy: scripts, styles and connections from this origin only;
/// nothing else, no frames, no forms, no inline code.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Which requests the inspector answers.
#[derive(Clone)]
pub struct Guard {
    bound: SocketAddr,
    token: String,
}

impl Guard {
    /// A guard for an inspector bound to `bound`, whose API answers only
    /// requests that carry `token`.
    pub fn new(bound: SocketAddr, token: String) -> Guard {
        Guard { bound, token }
    }

    /// Whether a request to `path` (with its query) carrying `header` (the
    /// token header, if any) may be answered: the page and its files always;
    /// the API and the stream only with the token, in the header, or for
    /// the stream (EventSource sends no header) as `?token=`. Compared in
    /// constant time.
    fn allows(&self, path: &str, query: Option<&str>, header: Option<&[u8]>) -> bool {
        if !path.starts_with("/api/") {
            return true;
        }
        let from_query = (path == "/api/stream")
            .then(|| stream_token(query).map(str::as_bytes))
            .flatten();
        let right = |given: &[u8]| bool::from(given.ct_eq(self.token.as_bytes()));
        header.is_some_and(right) || from_query.is_some_and(right)
    }

    /// Whether `host` (a `Host` header) names this inspector: its address,
    /// `localhost` when that is loopback, or any IP address when it is bound
    /// to all of them. Never another name: a page of another site whose name
    /// was pointed at this machine (DNS rebinding) sends that name.
    pub fn allows_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port != self.bound.port() {
            return false;
        }
        let ip = self.bound.ip();
        if name.eq_ignore_ascii_case("localhost") {
            return ip.is_loopback();
        }
        match name.parse::<IpAddr>() {
            Ok(named) => named == ip || ip.is_unspecified(),
            Err(_) => false,
        }
    }
}

/// The token in a query (`?token=`), which the event stream takes, as
/// EventSource sends no header.
fn stream_token(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

/// What the API answers without the right token: where the token goes and
/// where to find it, never the token itself.
#[derive(Debug, Serialize)]
struct NoToken {
    /// Why, and how to get in, in words.
    error: String,
    /// `missing` when no token was given, `wrong` when another was.
    token: &'static str,
}

impl NoToken {
    fn new(given: bool, bound: SocketAddr) -> NoToken {
        let what = if given {
            "the token given is not this run's"
        } else {
            "no token was given"
        };
        NoToken {
            error: format!(
                "{what}: the inspector's API takes its token in the {} header (and the event \
                 stream, /api/stream, as ?token=); it is in the address gpwh listen printed when \
                 it started (gpwh: inspector on http://{bound}/?token=...), new each run unless \
                 --ui-token or GPWH_UI_TOKEN sets it",
                TOKEN_HEADER_NAME
            ),
            token: if given { "wrong" } else { "missing" },
        }
    }
}

/// `name:port`, `[v6]:port`; none without a port.
fn split_host(host: &str) -> Option<(&str, u16)> {
    let (name, port) = host.rsplit_once(':')?;
    let name = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    Some((name, port.parse().ok()?))
}

/// The middleware: refuses what the guard does not allow, and adds the
/// headers that keep every answer to this origin.
pub async fn check(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !guard.allows_host(host) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            &format!(
                "this is gpwh's inspector, and it answers only at http://{}/",
                guard.bound
            ),
        );
    }
    let token = request
        .headers()
        .get(TOKEN_HEADER)
        .map(HeaderValue::as_bytes);
    let (path, query) = (request.uri().path(), request.uri().query());
    if !guard.allows(path, query, token) {
        // How to get in, and nothing else: no token, no data.
        let given = token.is_some() || (path == "/api/stream" && stream_token(query).is_some());
        let mut response = (
            StatusCode::FORBIDDEN,
            Json(NoToken::new(given, guard.bound)),
        )
            .into_response();
        secure(&mut response);
        return response;
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let own = format!("http://{host}");
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok());
        if origin != Some(own.as_str()) {
            return refuse(
                StatusCode::FORBIDDEN,
                "a change from another origin is refused: use the inspector's own page",
            );
        }
    }
    let mut response = next.run(request).await;
    secure(&mut response);
    response
}

fn refuse(status: StatusCode, message: &str) -> Response {
    let mut response = (status, format!("{message}\n")).into_response();
    secure(&mut response);
    response
}

fn secure(response: &mut Response) {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn the_api_and_stream_need_the_token_and_the_page_does_not() {
        let guard = Guard::new("127.0.0.1:8788".parse().unwrap(), TOKEN.into());
        let right = Some(TOKEN.as_bytes());
        for path in ["/", "/app.js", "/app.css", "/icon.svg"] {
            assert!(guard.allows(path, None, None), "{path}");
        }
        for path in [
            "/api/config",
            "/api/deliveries/1",
            "/api/send",
            "/api/stream",
        ] {
            assert!(guard.allows(path, None, right), "{path}");
            assert!(!guard.allows(path, None, None), "{path}");
            assert!(
                !guard.allows(path, None, Some(b"0123456789abcdef")),
                "{path}"
            );
        }
        let query = format!("token={TOKEN}");
        assert!(guard.allows("/api/stream", Some(&query), None));
        assert!(!guard.allows("/api/stream", Some("token=wrong"), None));
        assert!(
            !guard.allows("/api/config", Some(&query), None),
            "a query only for the stream"
        );
    }

    #[test]
    fn without_the_token_the_answer_says_where_it_goes_and_not_what_it_is() {
        let bound = "127.0.0.1:8788".parse().unwrap();
        for (given, token) in [(false, "missing"), (true, "wrong")] {
            let refused = NoToken::new(given, bound);
            assert_eq!(refused.token, token);
            assert!(
                refused.error.contains("X-Gpwh-Token header"),
                "{}",
                refused.error
            );
            assert!(
                refused
                    .error
                    .contains("gpwh: inspector on http://127.0.0.1:8788/?token=..."),
                "{}",
                refused.error
            );
        }
        assert_eq!(stream_token(Some("a=1&token=abc")), Some("abc"));
        assert_eq!(stream_token(Some("a=1")), None);
        assert_eq!(stream_token(None), None);
    }

    #[test]
    fn a_loopback_inspector_answers_its_address_and_localhost_only() {
        let guard = Guard::new("127.0.0.1:8788".parse().unwrap(), TOKEN.into());
        assert!(guard.allows_host("127.0.0.1:8788"));
        assert!(guard.allows_host("localhost:8788"));
        assert!(guard.allows_host("LOCALHOST:8788"));
        assert!(!guard.allows_host("127.0.0.1:8787"));
        assert!(!guard.allows_host("attacker.example:8788"));
        assert!(!guard.allows_host("127.0.0.2:8788"));
        assert!(!guard.allows_host("127.0.0.1"));
        assert!(!guard.allows_host(""));
    }

    #[test]
    fn ipv6_and_all_addresses() {
        let v6 = Guard::new("[::1]:9000".parse().unwrap(), TOKEN.into());
        assert!(v6.allows_host("[::1]:9000") && v6.allows_host("localhost:9000"));
        let all = Guard::new("0.0.0.0:9000".parse().unwrap(), TOKEN.into());
        assert!(all.allows_host("192.168.1.5:9000"));
        assert!(
            !all.allows_host("localhost:9000"),
            "0.0.0.0 is not loopback"
        );
        assert!(!all.allows_host("rebound.example:9000"));
    }
}
