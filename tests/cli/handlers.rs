//! The webhook handlers `gpwh probe` is tested against: handlers with one
//! flaw each, served in-process by axum, which the probe case about that
//! flaw must catch; and the Node.js recipe, run as a process, for the tests
//! that are about it.
//!
//! An in-process handler listens on 127.0.0.1, on a port the system picks,
//! on a tokio runtime of its own, and stops when its [`Handler`] drops.
//! Those that check bodies check them as the recipes do (every digest form,
//! a window of 72 hours), through the library, in [`verify`] alone.

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse as _, Response};
use serde_json::Value;

use crate::probe::SECRET;
use crate::support::repo;

/// What is wrong with an in-process handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flaw {
    /// Nothing: it verifies every body, with a window of 72 hours.
    None,
    /// The vendor's example as written, which compares a hash object with a
    /// string, and so refuses every webhook.
    Vendor,
    /// Answers 200 to anything.
    AcceptAll,
    /// Answers 400 to anything.
    RejectAll,
    /// Correct, but refuses events it does not know.
    KnownEvents,
    /// Correct, but takes bodies of any age.
    NoWindow,
    /// Correct, but reads only a lowercase hex digest and takes bodies up to
    /// ten minutes old: the bet the recipes once made.
    HexAndMinutes,
    /// Correct, but refuses with 500.
    ServerError,
    /// Correct, but refuses a body it has seen before.
    Once,
    /// Correct, but takes 5.3 s over its first answer.
    Slow,
    /// Answers every request with a redirect to /moved, and 500 to any
    /// request for /moved.
    Redirect,
    /// Correct, behind what `app.use(express.json())` and
    /// `app.use(express.urlencoded())` do before the route: a body labelled
    /// JSON is parsed, and refused with Express's 400 when it is not JSON; a
    /// form is parsed, and the route gets what was parsed, written out again.
    BodyParser,
    /// Answers 500 with a TypeError to anything, as a handler that crashes
    /// before it reads the body.
    Throws,
}

/// A handler on 127.0.0.1, stopped when dropped.
pub struct Handler {
    /// `http://127.0.0.1:PORT`, without a path.
    pub url: String,
    _running: Running,
}

/// What stops the handler when dropped.
enum Running {
    /// The runtime that serves it.
    InProcess {
        _runtime: tokio::runtime::Runtime,
    },
    Process {
        _process: Process,
    },
}

impl Handler {
    /// A handler without a flaw, with the key probe signs with.
    pub fn correct() -> Handler {
        Handler::flawed(Flaw::None)
    }

    /// A handler with `flaw`, and the key probe signs with.
    pub fn flawed(flaw: Flaw) -> Handler {
        Handler::serve(Settings {
            flaw,
            secret: SECRET.to_owned(),
            route: None,
        })
    }

    /// A correct handler whose key is `secret`.
    pub fn keyed(secret: &str) -> Handler {
        Handler::serve(Settings {
            flaw: Flaw::None,
            secret: secret.to_owned(),
            route: None,
        })
    }

    /// A correct handler that takes a POST at `route` only, and answers
    /// any other path with Express's 404, "Cannot POST /path".
    pub fn routed(route: &str) -> Handler {
        Handler::serve(Settings {
            flaw: Flaw::None,
            secret: SECRET.to_owned(),
            route: Some(route.to_owned()),
        })
    }

    fn serve(settings: Settings) -> Handler {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Served {
            settings,
            seen: Mutex::default(),
            answered: AtomicBool::new(false),
        });
        let app = axum::Router::new().fallback(answer).with_state(state);
        runtime.spawn(async move { axum::serve(listener, app).await });
        Handler {
            url,
            _running: Running::InProcess { _runtime: runtime },
        }
    }

    /// The Node.js recipe, its drivers installed first (npm ci).
    pub fn node_recipe() -> Handler {
        #[cfg(unix)]
        crate::receivers::set_up_recipe("node");
        let process = Process::start("node", "examples/receivers/node/receiver.mjs");
        Handler {
            url: process.url.clone(),
            _running: Running::Process { _process: process },
        }
    }
}

/// How an in-process handler was asked to be.
struct Settings {
    flaw: Flaw,
    secret: String,
    route: Option<String>,
}

/// An in-process handler's state.
struct Served {
    settings: Settings,
    /// The bodies [`Flaw::Once`] has taken.
    seen: Mutex<HashSet<Vec<u8>>>,
    /// Whether anything was answered yet, for [`Flaw::Slow`].
    answered: AtomicBool,
}

/// The one call into the library: the event of `body` when it verifies
/// with `secret` (and is no older than `max_age`, when given), or the
/// library's message for why not.
fn verify(secret: &str, max_age: Option<Duration>, body: &[u8]) -> Result<Option<String>, String> {
    let mut verifier = gpwh_webhooks::Verifier::new([gpwh_webhooks::Secret::from(secret)]);
    if let Some(max_age) = max_age {
        verifier = verifier.with_max_age(max_age);
    }
    let verified = verifier.verify(body).map_err(|error| error.to_string())?;
    Ok(verified.payload().event().map(str::to_owned))
}

/// The window a correct handler keeps, as the recipes do.
const MAX_AGE: Duration = Duration::from_secs(72 * 60 * 60);

/// The events [`Flaw::KnownEvents`] knows.
const KNOWN: [&str; 2] = ["GivePlayerReward", "PurchasePlayerPurchase"];

async fn answer(
    State(served): State<Arc<Served>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let settings = &served.settings;
    if settings.flaw == Flaw::Redirect {
        return if uri.path() == "/moved" {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the redirect was followed",
            )
                .into_response()
        } else {
            (StatusCode::FOUND, [(header::LOCATION, "/moved")]).into_response()
        };
    }
    if let Some(route) = &settings.route
        && uri.path() != route
    {
        let target = uri.path_and_query().map_or("/", |p| p.as_str());
        let page = format!(
            "<!DOCTYPE html>\n<html><body><pre>Cannot {method} {target}</pre></body></html>\n"
        );
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html")],
            page,
        )
            .into_response();
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let (status, text) = judge(&served, &body, content_type);
    if settings.flaw == Flaw::Slow && !served.answered.swap(true, Ordering::SeqCst) {
        // The slowness is the flaw under test: probe must time it.
        tokio::time::sleep(Duration::from_millis(5300)).await;
    }
    (status, [(header::CONTENT_TYPE, "text/plain")], text).into_response()
}

/// The status and text a handler answers `raw` with.
fn judge(served: &Served, raw: &[u8], content_type: Option<&str>) -> (StatusCode, String) {
    let flaw = served.settings.flaw;
    let parsed;
    let raw = if flaw == Flaw::BodyParser {
        match express_parsers(raw, content_type) {
            Ok(left) => {
                parsed = left;
                parsed.as_deref().unwrap_or(raw)
            }
            Err(text) => return (StatusCode::BAD_REQUEST, text),
        }
    } else {
        raw
    };
    let answer = |status: StatusCode, text: &str| (status, text.to_owned());
    match flaw {
        Flaw::Throws => {
            return answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "TypeError: Cannot read properties of undefined (reading 'split')",
            );
        }
        // The vendor's page hashes, then compares the hash object with
        // the signature's string: never equal.
        Flaw::Vendor => return answer(StatusCode::BAD_REQUEST, "Bad request"),
        Flaw::AcceptAll => return answer(StatusCode::OK, "ok"),
        Flaw::RejectAll => return answer(StatusCode::BAD_REQUEST, "no"),
        _ => {}
    }
    if flaw == Flaw::HexAndMinutes && !ends_with_lowercase_hex(raw) {
        return answer(StatusCode::BAD_REQUEST, "signature is not lowercase hex");
    }
    let max_age = match flaw {
        Flaw::NoWindow => None,
        Flaw::HexAndMinutes => Some(Duration::from_secs(600)),
        _ => Some(MAX_AGE),
    };
    let event = match verify(&served.settings.secret, max_age, raw) {
        Ok(event) => event,
        Err(message) => {
            let status = if flaw == Flaw::ServerError {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::BAD_REQUEST
            };
            // The short reason, before the message's first ':'.
            return answer(status, message.split(':').next().unwrap_or_default());
        }
    };
    if flaw == Flaw::KnownEvents && !event.is_some_and(|event| KNOWN.contains(&event.as_str())) {
        return answer(StatusCode::BAD_REQUEST, "unknown event");
    }
    if flaw == Flaw::Once && !served.seen.lock().unwrap().insert(raw.to_vec()) {
        return answer(StatusCode::CONFLICT, "seen");
    }
    answer(StatusCode::OK, "ok")
}

/// Whether `raw` ends with '.' and 64 lowercase hex digits, whitespace
/// aside.
fn ends_with_lowercase_hex(raw: &[u8]) -> bool {
    let raw = raw.trim_ascii_end();
    raw.len() > 64
        && raw[raw.len() - 65] == b'.'
        && raw[raw.len() - 64..]
            .iter()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// What Express's `json()` and `urlencoded()` parsers leave of a body with
/// `content_type` for the route: the bytes written out again from what they
/// parsed (`None`: the body as it came), or the text of their 400.
fn express_parsers(raw: &[u8], content_type: Option<&str>) -> Result<Option<Vec<u8>>, String> {
    let essence = content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => match serde_json::from_slice::<Value>(raw) {
            Ok(json) => Ok(Some(json.to_string().into_bytes())),
            Err(error) => Err(syntax_error(raw, &error)),
        },
        "application/x-www-form-urlencoded" => {
            let text = String::from_utf8_lossy(raw);
            let form: serde_json::Map<String, Value> = text
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (form_decoded(name), Value::String(form_decoded(value)))
                })
                .collect();
            Ok(Some(Value::Object(form).to_string().into_bytes()))
        }
        _ => Ok(None),
    }
}

/// The message of the SyntaxError V8's `JSON.parse` throws for `raw`, as
/// Express answers it.
fn syntax_error(raw: &[u8], error: &serde_json::Error) -> String {
    let text = String::from_utf8_lossy(raw);
    let at = error.column().saturating_sub(1);
    match text.chars().nth(at) {
        None => "SyntaxError: Unexpected end of JSON input".to_owned(),
        Some(token) => {
            let start: String = text.chars().take(10).collect();
            format!("SyntaxError: Unexpected token '{token}', \"{start}\"... is not valid JSON")
        }
    }
}

/// A name or value of a form, decoded as URLSearchParams does: '+' is a
/// space, `%XX` a byte.
fn form_decoded(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        let escaped = (first == b'%')
            .then(|| tail.get(..2))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (first, escaped) {
            (_, Some(byte)) => {
                bytes.push(byte);
                rest = &tail[2..];
                continue;
            }
            (b'+', None) => bytes.push(b' '),
            (byte, None) => bytes.push(byte),
        }
        rest = tail;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A handler run as a program, killed when dropped.
struct Process {
    child: Child,
    url: String,
    /// Where a recipe keeps its delivery keys: its own SQLite file.
    _scratch: tempfile::TempDir,
}

impl Process {
    /// `program` running `script` (relative to the repository) with PORT=0
    /// and the probe's key; the script prints `listening on http://ADDR`.
    fn start(program: &str, script: &str) -> Process {
        let scratch = tempfile::tempdir().unwrap();
        let database = format!(
            "sqlite:{}",
            scratch.path().join("deliveries.sqlite3").display()
        );
        let mut child = Command::new(program)
            .arg(script)
            .current_dir(repo())
            .env("GPWH_SECRET", SECRET)
            .env("PORT", "0")
            .env("DATABASE_URL", database)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run {program}: {e} (.ci/run installs it; see docs/probe.md)")
            });
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("{script} printed {line:?}, not its address"))
            .to_owned();
        thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Process {
            child,
            url,
            _scratch: scratch,
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
