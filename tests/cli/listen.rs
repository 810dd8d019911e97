//! `gpwh listen` against real clients and apps on 127.0.0.1, on ports the
//! system picks; every server is stopped.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::Duration;

use gpwh_webhooks::{Secret, SignatureEncoding};
use serde_json::Value;

use crate::support::{
    PATIENCE, RefusingPort, bin, gpwh, interrupt, log_records, one_shot, repo, slow_app, stderr,
    stdout, wait_for, wait_for_records,
};

const SECRET: &str = "live-secret";

/// A running `gpwh listen`, stopped with Ctrl-C (SIGINT) when dropped.
pub struct Listening {
    child: Option<Child>,
    /// HOST:PORT.
    pub url: String,
    /// What it says on stderr after the line that says where it listens,
    /// once it has stopped.
    said: Option<thread::JoinHandle<String>>,
}

impl Listening {
    fn start(args: &[&str]) -> Listening {
        Listening::start_with_secret(SECRET, args)
    }

    /// `gpwh listen --port 0 --secret SECRET ARGS...`, once it listens.
    pub fn start_with_secret(secret: &str, args: &[&str]) -> Listening {
        let mut child = Command::new(bin())
            .args(["listen", "--port", "0", "--secret", secret])
            .args(args)
            .current_dir(repo())
            .env_remove("GPWH_SECRET")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let address = line
            .strip_prefix("gpwh: listening on ")
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|url| url.strip_prefix("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        // Keep draining stderr so the server never blocks on it.
        let said = thread::spawn(move || {
            let mut rest = Vec::new();
            let _ = stderr.read_to_end(&mut rest);
            String::from_utf8_lossy(&rest).into_owned()
        });
        Listening {
            child: Some(child),
            url: address,
            said: Some(said),
        }
    }

    /// Stops the server with SIGINT and returns its exit code and stdout.
    pub fn stop(self) -> (Option<i32>, String) {
        let (code, out, _) = self.stop_saying();
        (code, out)
    }

    /// Stops the server with SIGINT and returns its exit code, stdout, and
    /// what it said on stderr after where it listens.
    pub fn stop_saying(mut self) -> (Option<i32>, String, String) {
        let (code, out) = interrupt(self.child.take().unwrap());
        let said = self.said.take().unwrap().join().unwrap();
        (code, out, said)
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn signed(json: &str) -> String {
    gpwh_webhooks::sign(
        json.as_bytes(),
        &Secret::from(SECRET),
        SignatureEncoding::Hex,
    )
}

/// POSTs with curl, a real client: returns the status and the body.
fn curl(url: &str, args: &[&str]) -> (u16, String) {
    let mut all = vec!["-sS", "--max-time", "10", "-o", "-", "-w", "\n%{http_code}"];
    all.extend_from_slice(args);
    all.push(url);
    let text = String::from_utf8(crate::support::as_curl(&all)).unwrap();
    let (body, code) = text.rsplit_once('\n').unwrap();
    (code.parse().unwrap(), body.to_owned())
}

/// POSTs `body`, whatever its bytes, with curl; the status and the answer.
pub fn post(url: &str, body: &[u8]) -> (u16, String) {
    post_with(url, body, &[])
}

/// POSTs `body` with curl and its `args` too.
pub fn post_with(url: &str, body: &[u8], args: &[&str]) -> (u16, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body");
    std::fs::write(&file, body).unwrap();
    let data = format!("@{}", file.display());
    let mut all = vec!["--data-binary", data.as_str()];
    all.extend_from_slice(args);
    curl(url, &all)
}

#[test]
fn listen_answers_curl_and_logs_every_request_before_answering() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&[
        "--json",
        "--max-body",
        "1K",
        "--max-age",
        "5m",
        "--log",
        log.to_str().unwrap(),
    ]);
    let url = format!("http://{}/webhooks/gamepush", server.url);
    let now = jiff::Timestamp::now();
    let fresh = signed(&format!(
        r#"{{"event":"GivePlayerReward","player":{{"id":7}},"time":"{now}"}}"#
    ));
    let stale = signed(r#"{"event":"GivePlayerReward","time":"2024-04-26T11:34:23Z"}"#);
    let forged = gpwh_webhooks::sign(
        b"{\"event\":\"x\"}",
        &Secret::from("other"),
        SignatureEncoding::Hex,
    );
    let oversize = "A".repeat(2000);
    let cases = [
        (vec!["--data-binary", fresh.as_str()], 200, "OK".to_owned()),
        (
            vec!["--data-binary", forged.as_str()],
            400,
            "signature does not match: the body was not signed with the given secret\n".to_owned(),
        ),
        (vec!["--data-binary", stale.as_str()], 400, String::new()),
        (vec!["--data-binary", "not a body"], 400, String::new()),
        (
            vec!["--data-binary", oversize.as_str()],
            413,
            "body too large: more than 1 KiB\n".to_owned(),
        ),
        (
            vec!["-X", "PUT", "--data-binary", fresh.as_str()],
            405,
            "only POST is accepted, not PUT\n".to_owned(),
        ),
    ];
    for (args, status, reply) in &cases {
        let (got, body) = curl(&url, args);
        assert_eq!(got, *status, "{args:?}: {body}");
        if !reply.is_empty() {
            assert_eq!(&body, reply);
        }
    }
    let (code, out) = server.stop();
    assert_eq!(code, Some(0), "Ctrl-C stops gpwh listen with 0");
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<u64> = records
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 400, 400, 400, 413, 405]);
    assert_eq!(records[0]["event"], "GivePlayerReward");
    assert_eq!(records[0]["player"], 7);
    assert_eq!(records[2]["error"], "stale");
    let logged = log_records(&log);
    assert_eq!(logged.len(), 6);
    assert_eq!(logged[0]["body"], fresh.as_str());
    assert_eq!(logged[0]["verdict"], "valid");
    assert_eq!(logged[1]["body"], forged.as_str());
    assert_eq!(logged[1]["verdict"], "signature-mismatch");
    assert_eq!(logged[3]["verdict"], "no-signature");
    assert_eq!(logged[3]["body"], "not a body");
    assert_eq!(logged[5]["method"], "PUT");
    assert_eq!(logged[0]["path"], "/webhooks/gamepush");
    assert!(
        logged[0]["remote"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );
    let headers = logged[0]["headers"].as_array().unwrap();
    assert!(headers.iter().any(|h| {
        h[0].as_str()
            .unwrap()
            .eq_ignore_ascii_case("content-length")
    }));
}

/// GamePush does not say how it writes the digest: listen takes the same
/// 32 bytes in every form, and refuses a digest of another length.
#[test]
fn listen_takes_the_digest_in_every_form() {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

    let server = Listening::start(&[]);
    let url = format!("http://{}/webhooks/gamepush", server.url);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let (part, hex) = body.rsplit_once('.').unwrap();
    let digest = hex::decode(hex).unwrap();
    for signature in [
        hex.to_owned(),
        hex.to_ascii_uppercase(),
        STANDARD.encode(&digest),
        URL_SAFE_NO_PAD.encode(&digest),
    ] {
        let body = format!("{part}.{signature}");
        assert_eq!(
            curl(&url, &["--data-binary", &body]),
            (200, "OK".into()),
            "{signature}"
        );
    }
    let short = format!("{part}.{}", &hex[..63]);
    assert_eq!(curl(&url, &["--data-binary", &short]).0, 400);
}

#[test]
fn listen_is_answered_by_gpwh_send() {
    let server = Listening::start(&[]);
    let url = format!("http://{}/", server.url);
    let output = gpwh()
        .args([
            "send",
            &url,
            "--secret",
            SECRET,
            "--event",
            "PurchasePlayerPurchase",
            "--player-id",
            "42",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "OK");
    let output = gpwh()
        .args(["send", &url, "--secret", "wrong", "--event", "SyncPlayer"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    let (code, out) = server.stop();
    assert_eq!(code, Some(0));
    let mut lines = out.lines();
    let first = lines.next().unwrap();
    assert!(
        first.ends_with(" POST / 200 valid PurchasePlayerPurchase player 42"),
        "{first}"
    );
    assert_eq!(lines.next(), Some("{"), "the payload follows, pretty");
    let refused = out.lines().find(|l| l.contains(" 400 ")).unwrap();
    assert!(refused.ends_with("POST / 400 signature-mismatch: signature does not match: the body was not signed with the given secret"));
}

#[test]
fn listen_forwards_valid_bodies_to_the_app_byte_for_byte() {
    let (app, received) = one_shot("202 Accepted", "queued by the app");
    let server = Listening::start(&["--forward-to", &format!("{app}/app")]);
    let url = format!("http://{}/hook", server.url);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let (status, reply) = curl(
        &url,
        &[
            "--data-binary",
            &body,
            "-H",
            "X-Trace: abc",
            "-H",
            "Content-Type: text/plain",
        ],
    );
    assert_eq!((status, reply.as_str()), (202, "queued by the app"));
    let request = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(request.body, body.as_bytes());
    assert!(request.head.starts_with("POST /app HTTP/1.1\r\n"));
    assert!(
        request.head.to_ascii_lowercase().contains("x-trace: abc"),
        "{}",
        request.head
    );
    // An invalid body is answered here and not forwarded.
    let (status, _) = curl(&url, &["--data-binary", "e30=.00"]);
    assert_eq!(status, 400);
    assert_eq!(server.stop().0, Some(0));
}

#[test]
fn forward_invalid_forwards_the_others_too() {
    let (app, received) = one_shot("200 OK", "seen");
    let server = Listening::start(&["--forward-to", &app, "--forward-invalid"]);
    let (status, reply) = curl(
        &format!("http://{}/", server.url),
        &["--data-binary", "not a body"],
    );
    assert_eq!((status, reply.as_str()), (200, "seen"));
    assert_eq!(
        received.recv_timeout(Duration::from_secs(10)).unwrap().body,
        b"not a body"
    );
    drop(server);
}

#[test]
fn an_app_that_is_down_gets_a_502() {
    let down = RefusingPort::new();
    let server = Listening::start(&["--forward-to", &format!("http://127.0.0.1:{}/", down.port)]);
    let (status, reply) = curl(
        &format!("http://{}/", server.url),
        &["--data-binary", &signed("{}")],
    );
    assert_eq!(status, 502);
    assert!(reply.contains("connection refused"), "{reply}");
    let (_, out, _) = server.stop_saying();
    let line = out.lines().next().unwrap();
    assert!(
        line.contains(&format!(
            " POST / 502 valid - player - · app not reached at http://127.0.0.1:{}/: connection refused",
            down.port
        )),
        "the line says why: {line}"
    );
}

/// With --forward-to, listen says at start where bodies go, and each line
/// says what the app answered, in a few words: the start of its answer,
/// made inert.
#[test]
fn the_line_says_what_the_app_answered() {
    let (app, _at_app) = crate::support::app(
        "400 Bad Request",
        "body is too old: its time is 2024-04-26T11:34:23Z\nsee the logs",
    );
    let server = Listening::start(&["--forward-to", &format!("{app}/hook")]);
    let body = signed(r#"{"event":"GivePlayerReward","player":{"id":7}}"#);
    let (status, _) = curl(
        &format!("http://{}/", server.url),
        &["--data-binary", &body],
    );
    assert_eq!(status, 400);
    let (code, out, said) = server.stop_saying();
    assert_eq!(code, Some(0));
    assert!(
        said.starts_with(&format!("gpwh: forwarding valid bodies to {app}/hook")),
        "{said}"
    );
    let line = out.lines().next().unwrap();
    assert!(
        line.ends_with(
            " POST / 400 valid GivePlayerReward player 7 · app: body is too old: its time is 2024-04-26T11:34:23Z…"
        ),
        "{line}"
    );

    // What a receiver that handles each delivery once answers a repeat is
    // seen as such; text from the app reaches the terminal inert, and the
    // --json line says it too, as its schema allows.
    let (app, _at_app) = crate::support::app("200 OK", "already handled\u{1b}[2J");
    let server = Listening::start(&["--forward-to", &app, "--forward-invalid"]);
    let url = format!("http://{}/", server.url);
    assert_eq!(curl(&url, &["--data-binary", &body]).0, 200);
    assert_eq!(curl(&url, &["--data-binary", "not a body"]).0, 200);
    let (_, out, said) = server.stop_saying();
    assert!(
        said.starts_with(&format!("gpwh: forwarding every body to {app}")),
        "{said}"
    );
    assert!(!out.contains('\x1b'), "{out:?}");
    let lines: Vec<&str> = out.lines().filter(|l| l.contains(" POST / ")).collect();
    assert!(
        lines[0].ends_with(r" 200 valid GivePlayerReward player 7 · app: already handled\u{1b}[2J"),
        "{out}"
    );
    assert!(
        lines[1].contains(" 200 no-signature: ")
            && lines[1].ends_with(r" · app: already handled\u{1b}[2J"),
        "{out}"
    );
    let server = Listening::start(&["--forward-to", &app, "--json"]);
    curl(
        &format!("http://{}/", server.url),
        &["--data-binary", &body],
    );
    let (_, out) = server.stop();
    let record: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(
        record["app"],
        serde_json::json!({"status": 200, "answer": "already handled\\u{1b}[2J"})
    );
    crate::schemas::assert_valid("listen-line.json", &record);
}

/// A refused body's line gives the best hint there is, the one the log
/// has: for JSON posted where a body belongs, that it is JSON, not the
/// base64 error.
#[test]
fn a_refused_line_gives_the_hint_the_log_has() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&["--log", log.to_str().unwrap()]);
    let json = r#"{"event":"GivePlayerReward","player":{"id":1.5}}"#;
    assert_eq!(
        post(&format!("http://{}/", server.url), json.as_bytes()).0,
        400
    );
    let (_, out) = server.stop();
    let logged = &log_records(&log)[0];
    let hint = logged["hint"].as_str().expect("the log has a hint");
    assert!(hint.contains("this is JSON, not a body"), "{hint}");
    let line = out.lines().next().unwrap();
    assert!(line.ends_with(&format!(": {hint}")), "{line}");
}

#[test]
fn two_hundred_clients_at_once_are_all_answered_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&["--json", "--log", log.to_str().unwrap()]);
    let url = format!("http://{}/", server.url);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(200));
    let clients: Vec<_> = (0..200)
        .map(|i: usize| {
            let (url, barrier) = (url.clone(), barrier.clone());
            thread::spawn(move || {
                let valid = !i.is_multiple_of(3);
                let body = if valid {
                    signed(&format!(r#"{{"event":"GivePlayerReward","player":{{"id":{i}}}}}"#))
                } else {
                    gpwh_webhooks::sign(format!(r#"{{"player":{{"id":{i}}}}}"#).as_bytes(), &Secret::from("forged"), SignatureEncoding::Hex)
                };
                barrier.wait();
                let mut stream = TcpStream::connect(url.trim_start_matches("http://").trim_end_matches('/')).unwrap();
                let request = format!(
                    "POST /client/{i} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                stream.write_all(request.as_bytes()).unwrap();
                let mut answer = String::new();
                stream.read_to_string(&mut answer).unwrap();
                let status: u16 = answer.split_whitespace().nth(1).unwrap().parse().unwrap();
                (i, valid, status)
            })
        })
        .collect();
    for client in clients {
        let (i, valid, status) = client.join().unwrap();
        assert_eq!(status, if valid { 200 } else { 400 }, "client {i}");
    }
    let (code, out) = server.stop();
    assert_eq!(code, Some(0));
    assert_eq!(out.lines().count(), 200);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert_eq!(logged.lines().count(), 200);
    for line in logged.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        let i: usize = record["path"]
            .as_str()
            .unwrap()
            .trim_start_matches("/client/")
            .parse()
            .unwrap();
        let expected = if !i.is_multiple_of(3) {
            "valid"
        } else {
            "signature-mismatch"
        };
        assert_eq!(record["verdict"], expected, "client {i}");
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_log_that_cannot_be_written_is_not_answered_ok() {
    // /dev/full takes the open and refuses every write.
    let server = Listening::start(&["--log", "/dev/full"]);
    let (status, reply) = curl(
        &format!("http://{}/", server.url),
        &["--data-binary", &signed("{}")],
    );
    assert_eq!(status, 500);
    assert!(reply.starts_with("cannot write the log: "), "{reply}");
    drop(server);
}

#[test]
fn a_port_in_use_is_a_usage_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = gpwh()
        .args(["listen", "--port", &port, "--secret", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(&format!("gpwh: cannot listen on 127.0.0.1:{port}: ")),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("the port is in use")
            && stderr(&output).contains("choose another with --port, or --port 0 for a free one"),
        "which flag picks another: {}",
        stderr(&output)
    );
    // The inspector's port: its own flag.
    let output = gpwh()
        .args(["listen", "--port", "0", "--secret", "x", "--ui-addr"])
        .arg(format!("127.0.0.1:{port}"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(&format!(
            "gpwh: cannot serve the inspector on 127.0.0.1:{port}: the port is in use"
        )) && stderr(&output).contains("choose another with --ui-addr, or --ui-addr 127.0.0.1:0"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("--port"), "{}", stderr(&output));
}

/// A keep-alive connection left idle after its answer (a client's pool,
/// the inspector's own test events) and then closed by listen is no
/// incident, and is not reported; a client that stopped in the middle of
/// its request headers is.
#[test]
fn an_idle_keep_alive_connection_is_let_go_quietly() {
    let server = Listening::start(&[]);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let mut idle = TcpStream::connect(&server.url).unwrap();
    write!(
        idle,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut partial = TcpStream::connect(&server.url).unwrap();
    partial
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Le")
        .unwrap();
    let (idle_at, partial_at) = (idle.local_addr().unwrap(), partial.local_addr().unwrap());
    // listen closes both once they have sat past its header timeout.
    let mut answers = Vec::new();
    for stream in [&mut idle, &mut partial] {
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut answer = Vec::new();
        match stream.read_to_end(&mut answer) {
            Ok(_) => {}
            Err(e) => assert_ne!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}"),
        }
        answers.push(String::from_utf8_lossy(&answer).into_owned());
    }
    assert!(answers[0].starts_with("HTTP/1.1 200 "), "{}", answers[0]);
    assert!(answers[1].is_empty(), "{}", answers[1]);
    let (code, _, said) = server.stop_saying();
    assert_eq!(code, Some(0));
    assert!(
        said.contains(&format!(
            "gpwh: {partial_at} sent no complete request headers"
        )),
        "{said}"
    );
    assert!(!said.contains(&idle_at.to_string()), "{said}");
}

/// Whether the server has answered on `stream` yet, without waiting.
fn has_answered(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    let answered = match stream.peek(&mut byte) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).unwrap();
    answered
}

#[test]
fn stalled_and_idle_clients_never_hold_up_a_valid_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&[
        "--json",
        "--read-timeout",
        "5s",
        "--log",
        log.to_str().unwrap(),
    ]);
    // 200 clients send their headers and part of the body, then stop; 100
    // more connect and send nothing at all.
    let mut stalled: Vec<TcpStream> = (0..200)
        .map(|i| {
            let mut stream = TcpStream::connect(&server.url).unwrap();
            let head =
                format!("POST /stalled/{i} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\neyJ");
            stream.write_all(head.as_bytes()).unwrap();
            stream
        })
        .collect();
    let mut idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(&server.url).unwrap())
        .collect();

    let (status, reply) = curl(
        &format!("http://{}/valid", server.url),
        &["--data-binary", &signed(r#"{"event":"GivePlayerReward"}"#)],
    );
    assert_eq!((status, reply.as_str()), (200, "OK"));
    // Answered while every stalled client was still waiting on its timeout:
    // none of them stood in its way.
    let early = stalled.iter_mut().filter(|s| has_answered(s)).count();
    assert_eq!(
        early, 0,
        "stalled clients were answered before the valid one"
    );

    // Then each stalled client is told why, and each idle one is let go.
    for stream in &mut stalled {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 408 "), "{answer:?}");
        // A body still on its way would be read as the next request.
        assert!(
            answer
                .to_ascii_lowercase()
                .contains("\r\nconnection: close\r\n"),
            "{answer:?}"
        );
    }
    for stream in &mut idle {
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut rest = Vec::new();
        // Closed by the server: end of stream or a reset, never a time-out.
        match stream.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(e) => assert_ne!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}"),
        }
    }
    let (code, out) = server.stop();
    assert_eq!(code, Some(0));
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 201);
    assert_eq!(
        records
            .iter()
            .filter(|r| r["error"] == "read-timeout")
            .count(),
        200
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    assert_eq!(logged.lines().count(), 201);
    assert!(logged.contains(r#""verdict":"read-timeout""#));
}

#[test]
fn an_app_slower_than_the_forward_timeout_gets_the_sender_a_504() {
    let (app, _received) = slow_app(Duration::from_secs(3), "200 OK", "too late");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&[
        "--forward-to",
        &app,
        "--forward-timeout",
        "1s",
        "--log",
        log.to_str().unwrap(),
    ]);
    let (status, reply) = curl(
        &format!("http://{}/", server.url),
        &["--data-binary", &signed("{}")],
    );
    assert_eq!(status, 504);
    assert!(reply.contains("timed out after 1s"), "{reply}");
    drop(server);
    let record: Value =
        serde_json::from_str(std::fs::read_to_string(&log).unwrap().trim()).unwrap();
    assert_eq!(record["status"], 504);
    assert!(
        record["forwarded"]["error"]
            .as_str()
            .unwrap()
            .contains("timed out after 1s")
    );
}

#[test]
fn ctrl_c_lets_a_forwarded_request_finish() {
    let (app, received) = slow_app(Duration::from_millis(1500), "202 Accepted", "late but here");
    let server = Listening::start(&["--forward-to", &app]);
    let url = format!("http://{}/", server.url);
    let sender = thread::spawn(move || curl(&url, &["--data-binary", &signed("{}")]));
    // The request is in: it is waiting on the app.
    received.recv_timeout(Duration::from_secs(10)).unwrap();
    let (code, out) = server.stop();
    assert_eq!(sender.join().unwrap(), (202, "late but here".to_owned()));
    assert_eq!(code, Some(0));
    assert!(
        out.lines().next().unwrap().contains(" POST / 202 valid"),
        "{out}"
    );
}

/// Posts `body` until it is answered 2xx, at most `attempts` times, as a
/// sender that retries would; every status, in order.
fn retrying_sender(url: &str, body: &str, attempts: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for _ in 0..attempts {
        let (status, _) = curl(url, &["--data-binary", body]);
        statuses.push(status);
        if (200..300).contains(&status) {
            break;
        }
    }
    statuses
}

#[test]
fn fail_first_shows_a_retrying_sender_its_repeats_and_logs_each_answer() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&["--fail-first", "2", "--log", log.to_str().unwrap()]);
    let url = format!("http://{}/webhooks/gamepush", server.url);
    let first = signed(r#"{"event":"GivePlayerReward","player":{"id":1}}"#);
    let second = signed(r#"{"event":"GivePlayerReward","player":{"id":2}}"#);
    assert_eq!(retrying_sender(&url, &first, 5), [503, 503, 200]);
    assert_eq!(retrying_sender(&url, &second, 5), [503, 503, 200]);
    let (_, reply) = curl(&url, &["--data-binary", "not a body"]);
    assert_eq!(
        reply,
        "503 on purpose (--fail-first 2: delivery 1 of this body)\n"
    );

    let records = log_records(&log);
    let statuses: Vec<u64> = records
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [503, 503, 200, 503, 503, 200, 503]);
    assert_eq!(
        records[1]["on_purpose"],
        "--fail-first 2: delivery 2 of this body"
    );
    assert_eq!(
        records[1]["verdict"], "valid",
        "the verdict stays the body's"
    );
    assert!(records[2].get("on_purpose").is_none());
    let (code, out) = server.stop();
    assert_eq!(code, Some(0));
    assert!(
        out.lines().next().unwrap().ends_with(
            " 503 valid GivePlayerReward player 1 (answered on purpose: --fail-first 2: delivery 1 of this body)"
        ),
        "{out}"
    );
}

#[test]
fn respond_answers_the_sender_while_the_app_gets_the_body() {
    let (app, received) = one_shot("200 OK", "granted");
    let server = Listening::start(&["--respond", "500", "--forward-to", &app]);
    let url = format!("http://{}/hook", server.url);
    let body = signed(r#"{"event":"PurchasePlayerPurchase"}"#);
    let (status, reply) = curl(&url, &["--data-binary", &body]);
    assert_eq!(
        (status, reply.as_str()),
        (500, "500 on purpose (--respond 500)\n")
    );
    let at_app = received
        .recv_timeout(Duration::from_secs(10))
        .expect("the app got the body");
    assert_eq!(at_app.body, body.as_bytes());
    // Refused bodies get the status asked for too.
    assert_eq!(curl(&url, &["--data-binary", "x.y"]).0, 500);
}

#[test]
fn delay_answers_late_once_the_log_has_the_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&["--delay", "3s", "--log", log.to_str().unwrap()]);
    let url = format!("http://{}/", server.url);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let started = std::time::Instant::now();
    let logged = log.clone();
    let sender = thread::spawn(move || {
        let answer = curl(&url, &["--data-binary", &body]);
        (answer, log_records(&logged).len())
    });
    // The log has the delivery while the sender still waits.
    let records = wait_for_records(&log, 1);
    assert!(!sender.is_finished(), "answered before the delay");
    assert_eq!(records[0]["delay_ms"], 3000);
    let (answer, logged_by_then) = sender.join().unwrap();
    assert_eq!(answer, (200, "OK".to_owned()));
    assert_eq!(logged_by_then, 1, "not logged before the answer");
    assert!(started.elapsed() >= Duration::from_secs(3));
}

#[test]
fn answers_on_purpose_take_only_sensible_values() {
    for (flag, value) in [
        ("--respond", "99"),
        ("--respond", "600"),
        ("--fail-first", "many"),
        ("--delay", "soon"),
    ] {
        let output = gpwh()
            .args(["listen", "--port", "0", "--secret", "k", flag, value])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        assert!(stderr(&output).contains(flag), "{flag} {value}");
    }
}

/// The log holds every signed body: a new one is the owner's alone, and an
/// existing one others may read keeps its mode but is warned about.
#[cfg(unix)]
#[test]
fn a_new_log_is_created_0600_and_a_loose_one_is_warned_about() {
    use std::os::unix::fs::PermissionsExt as _;

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&["--log", log.to_str().unwrap()]);
    drop(server);
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = gpwh()
        .args(["listen", "--port", "0", "--secret", SECRET, "--log"])
        .arg(&log)
        .args(["--tunnel", "cloudflared", "--tunnel-wait", "1s"])
        .env("PATH", dir.path())
        .output()
        .unwrap();
    // The missing tunnel program ends it at once; the log was opened first.
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!(
            "gpwh: warning: log file '{}' is readable by other users (mode 644): chmod 600 it",
            log.display()
        )),
        "{}",
        stderr(&output)
    );
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "an existing log keeps its mode");
}

/// A web page in the user's browser can post to the listener; GamePush's
/// server sends no Origin and no Sec-Fetch-Site. Such requests are refused
/// before their body is read, and logged.
#[test]
fn requests_from_web_pages_are_refused_before_their_body_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&["--log", log.to_str().unwrap()]);
    let url = format!("http://{}/hook", server.url);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    for header in [
        "Origin: https://attacker.example",
        "Sec-Fetch-Site: cross-site",
    ] {
        let (status, reply) = curl(&url, &["-H", header, "--data-binary", &body]);
        assert_eq!(status, 403, "{header}");
        assert!(reply.contains("is not a webhook"), "{reply}");
    }
    assert_eq!(
        curl(
            &url,
            &["-H", "Sec-Fetch-Site: none", "--data-binary", &body]
        )
        .0,
        200
    );
    // A body announced but never sent is not waited for.
    let mut stream = TcpStream::connect(&server.url).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(
            b"POST /hook HTTP/1.1\r\nHost: x\r\nOrigin: https://attacker.example\r\nContent-Length: 1000000\r\n\r\n",
        )
        .unwrap();
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 403");
    let records = log_records(&log);
    assert_eq!(records[0]["verdict"], "from-a-web-page");
    assert_eq!(records[0]["body"], Value::Null);
}

/// A whole HTTP request wrapped in a body is not a webhook, even with a
/// valid one inside: listen reads the body as a body (verify still takes
/// captures from files).
#[test]
fn a_captured_request_posted_as_a_body_is_refused() {
    let server = Listening::start(&[]);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let captured = format!("POST /hook HTTP/1.1\r\nHost: game.example\r\n\r\n{body}");
    let (status, _) = post(&format!("http://{}/", server.url), captured.as_bytes());
    assert_eq!(status, 400);
    let verify = gpwh()
        .args(["verify", "-q", "--secret", SECRET])
        .write_stdin(captured)
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "a file may hold a capture");
}

/// The app gets the headers as sent, byte for byte, less those of one
/// connection, with the client appended to X-Forwarded-For; and no client
/// can pass a delivery off as the inspector's test event.
#[test]
fn forwarding_passes_headers_on_honestly() {
    let (app_url, at_app) = crate::support::app("200 OK", "ok");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&["--forward-to", &app_url, "--log", log.to_str().unwrap()]);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let mut request = format!(
        "POST /hook HTTP/1.1\r\nHost: {}\r\nConnection: close, X-Hop\r\nX-Hop: one link only\r\n\
         X-Forwarded-For: 10.0.0.1\r\nX-Gpwh-Inspector: test-event\r\nX-Name: caf",
        server.url
    )
    .into_bytes();
    request.push(0xe9);
    request
        .extend_from_slice(format!("\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    let mut stream = TcpStream::connect(&server.url).unwrap();
    stream.write_all(&request).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let received = at_app.recv_timeout(Duration::from_secs(10)).unwrap();
    let head = received.head_bytes;
    let has = |needle: &[u8]| {
        head.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    assert!(has(b"x-name: caf\xe9\r\n"), "{}", received.head);
    assert!(
        has(b"x-forwarded-for: 10.0.0.1, 127.0.0.1"),
        "{}",
        received.head
    );
    assert!(
        !has(b"x-hop"),
        "a header Connection names stays: {}",
        received.head
    );
    assert_eq!(received.body, body.as_bytes());
    drop(server);
    // Sent by a client, the inspector's header does not make a test event.
    let record: Value = serde_json::from_str(
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert!(record.get("source").is_none(), "{record}");
}

/// `count` connections to `address` that listen has served a request on,
/// each answered, and kept open: each holds a connection slot.
fn served_and_kept_open(address: &str, count: usize) -> Vec<TcpStream> {
    let request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    let mut open: Vec<TcpStream> = (0..count)
        .map(|_| {
            let mut stream = TcpStream::connect(address).unwrap();
            stream.write_all(request).unwrap();
            stream
        })
        .collect();
    for stream in &mut open {
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut status = [0u8; 12];
        stream.read_exact(&mut status).unwrap();
        assert_eq!(
            &status,
            b"HTTP/1.1 405",
            "{}",
            String::from_utf8_lossy(&status)
        );
    }
    open
}

/// Past --max-connections, a new connection waits for one to end rather
/// than taking a file descriptor listen may not have.
#[test]
fn past_max_connections_a_new_one_waits_for_a_slot() {
    let server = Listening::start(&["--max-connections", "2"]);
    let idle = served_and_kept_open(&server.url, 2);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let mut third = TcpStream::connect(&server.url).unwrap();
    third
        .write_all(
            format!(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        )
        .unwrap();
    // No answer for a while: what is tested is that none comes.
    third
        .set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    let mut first = [0u8; 12];
    assert!(
        third.read_exact(&mut first).is_err(),
        "answered past the cap"
    );
    drop(idle);
    third
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    third.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
}

/// Out of file descriptors, listen backs off and says so now and then,
/// not ten times a second, and serves again once some are free.
#[cfg(target_os = "linux")]
#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs bash for ulimit: GPWH_TEST_ALL=1 runs it"
)]
fn out_of_file_descriptors_listen_backs_off_quietly_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("stderr");
    let mut child = Command::new("bash")
        .args([
            "-c",
            "ulimit -n 48 && exec \"$0\" listen --port 0 --secret \"$1\" --max-connections 1000",
        ])
        .arg(bin())
        .arg(SECRET)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&errors).unwrap())
        .spawn()
        .unwrap();
    let told = || std::fs::read_to_string(&errors).unwrap();
    let address = wait_for("listen's address", || {
        let told = told();
        let rest = told.split("gpwh: listening on http://").nth(1)?;
        Some(rest.split_whitespace().next()?.to_owned())
    });
    let held: Vec<TcpStream> = (0..80)
        .filter_map(|_| TcpStream::connect(&address).ok())
        .collect();
    let said = || told().matches("cannot accept a connection").count();
    wait_for("a word on the lack of file descriptors", || {
        (said() > 0).then_some(())
    });
    // Two seconds more of it: how often it is said is what is tested.
    thread::sleep(Duration::from_secs(2));
    assert!(said() <= 2, "said {} times in 2 s: {}", said(), told());
    drop(held);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    wait_for("listen to serve again", || {
        let (status, _) = curl(&format!("http://{address}/"), &["--data-binary", &body]);
        (status == 200).then_some(())
    });
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_request_hyper_refuses_still_reaches_the_log_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&["--json", "--log", log.to_str().unwrap()]);
    // Two Content-Lengths that differ: hyper answers 400 before listen's
    // handler sees the request.
    let body = signed(r#"{"event":"GivePlayerReward","player":{"id":7}}"#);
    let mut stream = TcpStream::connect(&server.url).unwrap();
    let request = format!(
        "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nContent-Length: 3\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");

    let (code, out) = server.stop();
    assert_eq!(code, Some(0));
    let records = log_records(&log);
    assert_eq!(records.len(), 1, "{records:?}");
    let record = &records[0];
    assert_eq!(record["verdict"], "not-http");
    assert_eq!(record["status"], 400);
    assert_eq!(record["method"], "POST");
    assert_eq!(record["path"], "/hook");
    assert_eq!(record["body"], body.as_str());
    assert!(
        record["headers"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(["content-length", "3"])),
        "{record}"
    );
    let line: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(line["error"], "not-http");
}

/// The event and player of a valid body came from the wire too: the line
/// shows them inert.
#[test]
fn a_valid_line_shows_event_and_player_inert() {
    let server = Listening::start(&[]);
    let body = signed(r#"{"event":"Give\u001b[2JReward","player":{"id":"\u202e42"}}"#);
    assert_eq!(
        curl(
            &format!("http://{}/", server.url),
            &["--data-binary", &body]
        )
        .0,
        200
    );
    let (_, out) = server.stop();
    let line = out.lines().next().unwrap();
    assert!(
        line.ends_with(r#" 200 valid Give\u{1b}[2JReward player "\u{202e}42""#),
        "{line}"
    );
    assert!(!line.contains(['\x1b', '\u{202e}']), "{line:?}");
}

#[test]
fn a_refused_request_line_reaches_the_terminal_inert() {
    let server = Listening::start(&[]);
    let mut stream = TcpStream::connect(&server.url).unwrap();
    stream
        .write_all(b"POST /a\x1b[2Jb HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    let (_, out) = server.stop();
    assert!(out.contains(r"POST /a\u{1b}[2Jb 400 not-http"), "{out}");
    assert!(!out.contains('\x1b'), "{out:?}");
}

/// Writes `request` on a new connection and reads the answer to its end.
/// A write that fails (listen answered and closed before reading it all)
/// and a reset after the answer are not errors: what was read is the
/// answer.
fn exchange(address: &str, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let _ = stream.write_all(request);
    read_answer(&mut stream)
}

/// What `stream` answers, to its end or a reset.
fn read_answer(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 8192];
    while let Ok(read @ 1..) = stream.read(&mut buffer) {
        answer.extend_from_slice(&buffer[..read]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// A POST of `body` with its length declared, on a connection of its own.
fn declared(path: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Whether `answer` is a 503 that asks to come back in 5 s and says why.
fn is_busy(answer: &str) -> bool {
    answer.starts_with("HTTP/1.1 503 ")
        && answer
            .to_ascii_lowercase()
            .contains("\r\nretry-after: 5\r\n")
        && answer.ends_with(
            "\r\n\r\nlisten holds as many requests at once as --max-buffered allows (100 KiB): \
             try again in 5 s\n",
        )
}

/// Holds room with `holding`, a request whose body is not all sent, and
/// sends `request` until listen answers it 503: the holder, still held,
/// and that answer. A request sent before the holder is counted is judged
/// (400), and may leave the holder no room (503 to it): then the holder is
/// sent again.
fn busy_beside(address: &str, holding: &[u8], request: &[u8]) -> (TcpStream, String) {
    let hold = || {
        let mut holder = TcpStream::connect(address).unwrap();
        holder.write_all(holding).unwrap();
        holder
    };
    let mut holder = hold();
    let answer = wait_for("listen to be out of room", || {
        let answer = exchange(address, request);
        if answer.starts_with("HTTP/1.1 503 ") {
            return Some(answer);
        }
        assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
        holder.set_nonblocking(true).unwrap();
        let answered = holder.peek(&mut [0u8; 1]).is_ok();
        holder.set_nonblocking(false).unwrap();
        if answered {
            holder = hold();
        }
        None
    });
    holder
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    (holder, answer)
}

/// listen holds at most --max-buffered bytes of requests at once, across
/// connections: a declared body takes its room before a byte of it is
/// read, a chunked one as it arrives, and a sender past it gets 503 with
/// Retry-After; the room comes back once the request is answered.
#[test]
fn past_max_buffered_a_sender_gets_503_and_retry_after() {
    let server = Listening::start(&["--max-buffered", "100K", "--max-body", "60K", "--json"]);
    // It declares 60,000 bytes and sends 10: the room for all of them is
    // held while the rest may come.
    let holding = b"POST /holder HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\nConnection: close\r\n\r\n0123456789";
    let over = declared("/over", &"x".repeat(50_000));
    let (mut holder, answer) = busy_beside(&server.url, holding, &over);
    assert!(is_busy(&answer), "{answer}");
    assert!(
        exchange(&server.url, &declared("/small", "x.y")).starts_with("HTTP/1.1 400 "),
        "a small one still fits"
    );
    // A chunked body takes more room as it comes, until there is none.
    let mut chunked = TcpStream::connect(&server.url).unwrap();
    chunked
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let _ = chunked.write_all(
        format!(
            "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
             7530\r\n{}\r\n4e20\r\n{}\r\n",
            "c".repeat(30_000),
            "d".repeat(20_000)
        )
        .as_bytes(),
    );
    let answer = read_answer(&mut chunked);
    assert!(is_busy(&answer), "{answer}");
    // Once the holder is answered, its room is back.
    holder.write_all(&[b'h'; 59_990]).unwrap();
    let answer = read_answer(&mut holder);
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    let answer = exchange(&server.url, &over);
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");

    let (code, out) = server.stop();
    assert_eq!(code, Some(0));
    let busy: Vec<Value> = out
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|record| record["error"] == "busy")
        .collect();
    assert!(busy.len() >= 2, "{out}");
    assert!(
        busy.iter().all(|record| record["status"] == 503),
        "{busy:?}"
    );
    assert!(
        busy.iter().any(|record| record["path"] == "/chunked"),
        "{busy:?}"
    );
}

/// --delay holds an answer, and the request's room with it, until it is
/// given.
#[test]
fn delay_holds_a_request_s_room_until_it_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let server = Listening::start(&[
        "--max-buffered",
        "100K",
        "--max-body",
        "60K",
        "--delay",
        "10s",
        "--log",
        log.to_str().unwrap(),
    ]);
    let address = server.url.clone();
    let held = thread::spawn(move || exchange(&address, &declared("/held", &"h".repeat(60_000))));
    wait_for_records(&log, 1);
    let over = declared("/over", &"x".repeat(50_000));
    let answer = exchange(&server.url, &over);
    assert!(
        !held.is_finished(),
        "the delay is over: the machine is too slow for this test"
    );
    assert!(is_busy(&answer), "{answer}");
    assert!(held.join().unwrap().starts_with("HTTP/1.1 400 "));
    // The room is back: the same request is read and judged, and logged
    // before its own delay, which the test does not wait out.
    let mut again = TcpStream::connect(&server.url).unwrap();
    again.write_all(&over).unwrap();
    let records = wait_for_records(&log, 3);
    let logged: Vec<(&Value, &Value)> =
        records.iter().map(|r| (&r["path"], &r["status"])).collect();
    assert_eq!(
        logged[2],
        (&Value::from("/over"), &Value::from(400)),
        "{logged:?}"
    );
}

#[test]
fn max_body_past_max_buffered_is_a_usage_error() {
    let output = gpwh()
        .args(["listen", "--port", "0", "--secret", "k"])
        .args(["--max-body", "2M", "--max-buffered", "1M"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "--max-body 2 MiB is more than --max-buffered 1 MiB, so a body that large could \
             never be read: raise --max-buffered or lower --max-body"
        ),
        "{}",
        stderr(&output)
    );
}

/// Unless --max-connections says otherwise, 512 connections are served at
/// once (fewer only when the limit on open files leaves room for fewer):
/// the 513th waits for one to end.
#[cfg(target_os = "linux")]
#[test]
fn by_default_512_connections_are_served_at_once() {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let open_files: usize = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .and_then(|line| line.split_whitespace().nth(3))
        .and_then(|soft| soft.parse().ok())
        .unwrap();
    if open_files < 1200 {
        eprintln!("skipped: {open_files} open files leave too few for 513 connections each side");
        return;
    }
    let server = Listening::start(&[]);
    let idle = served_and_kept_open(&server.url, 512);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let mut next = TcpStream::connect(&server.url).unwrap();
    next.write_all(&declared("/", &body)).unwrap();
    // No answer for a while: what is tested is that none comes.
    next.set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    let mut first = [0u8; 12];
    assert!(next.read_exact(&mut first).is_err(), "answered past 512");
    drop(idle);
    next.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    next.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
}

/// A proxy's headers are the proxy's: the app never sees a client's
/// proxy credentials, nor the sender the app's proxy challenge.
#[test]
fn proxy_headers_are_forwarded_neither_way() {
    let app = TcpListener::bind("127.0.0.1:0").unwrap();
    let app_url = format!("http://{}/hook", app.local_addr().unwrap());
    let at_app = thread::spawn(move || {
        let (mut stream, _) = app.accept().unwrap();
        let mut head = String::new();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nProxy-Authenticate: Basic realm=\"app\"\r\n\
                  Proxy-Connection: keep-alive\r\nX-App: yes\r\nContent-Length: 2\r\n\
                  Connection: close\r\n\r\nok",
            )
            .unwrap();
        head
    });
    let server = Listening::start(&["--forward-to", &app_url]);
    let body = signed(r#"{"event":"GivePlayerReward"}"#);
    let answer = exchange(
        &server.url,
        format!(
            "POST /hook HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic c2VjcmV0OnNlY3JldA==\r\n\
             Proxy-Connection: keep-alive\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    let head = at_app.join().unwrap().to_ascii_lowercase();
    assert!(head.starts_with("post /hook "), "{head}");
    assert!(!head.contains("proxy-"), "the app got: {head}");
    assert!(!head.contains("c2vjcmv0onnly3jlda=="), "{head}");
    let answer = answer.to_ascii_lowercase();
    assert!(answer.starts_with("http/1.1 200 "), "{answer}");
    assert!(answer.contains("\r\nx-app: yes\r\n"), "{answer}");
    assert!(!answer.contains("proxy-"), "the sender got: {answer}");
}

/// `gpwh listen ARGS... --ui-addr 127.0.0.1:0` with `env`, until it says
/// where the inspector is (or exits): its exit code if it did, and what it
/// said on stderr. Stopped either way.
fn inspector_start(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut child = Command::new(bin())
        .args([
            "listen",
            "--port",
            "0",
            "--ui-addr",
            "127.0.0.1:0",
            "--secret",
            "k",
        ])
        .args(args)
        .env_remove("GPWH_SECRET")
        .env_remove("GPWH_UI_TOKEN")
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    let mut line = String::new();
    let mut serving = false;
    while !serving && stderr.read_line(&mut line).is_ok_and(|read| read > 0) {
        serving = line.starts_with("gpwh: inspector on ");
        said.push_str(&line);
        line.clear();
    }
    if serving {
        let _ = child.kill();
    }
    let code = child.wait().unwrap().code();
    (code.filter(|_| !serving), said)
}

/// A fixed inspector token is refused when it is easy to guess, wherever
/// it comes from, and warned about when it is on the command line, where
/// every user of the machine sees it (`GPWH_UI_TOKEN` they do not).
#[test]
fn a_guessable_ui_token_is_refused_and_one_in_ps_warned_about() {
    for weak in [
        "aaaaaaaaaaaaaaaa",
        "abababababababababababab",
        "0123456789012345",
    ] {
        for (args, env) in [
            (vec!["--ui-token", weak], vec![]),
            (vec![], vec![("GPWH_UI_TOKEN", weak)]),
        ] {
            let (code, said) = inspector_start(&args, &env);
            assert_eq!(code, Some(2), "{weak}: {said}");
            assert!(
                said.contains(
                    "gpwh: the inspector's token (--ui-token or GPWH_UI_TOKEN) is too easy to \
                     guess: it takes 8 or more different characters and 64 bits by gpwh's \
                     estimate (16 letters and digits, or 14 of them with '-' and '_'): make one \
                     with `openssl rand -hex 16`"
                ),
                "{weak}: {said}"
            );
            assert!(!said.contains(weak), "the token is not repeated: {said}");
        }
    }
    let good = "3f9c1e0b7a2d4c5e8f6a1b0c9d2e7f41";
    let (code, said) = inspector_start(&["--ui-token", good], &[]);
    assert_eq!(code, None, "{said}");
    assert!(
        said.contains(
            "gpwh: warning: --ui-token on the command line is seen by every user of this machine \
             (`ps`) and kept in your shell's history: set GPWH_UI_TOKEN instead"
        ),
        "{said}"
    );
    assert!(said.contains(&format!("?token={good}")), "{said}");
    let (code, said) = inspector_start(&[], &[("GPWH_UI_TOKEN", good)]);
    assert_eq!(code, None, "{said}");
    assert!(!said.contains("warning"), "{said}");
    assert!(said.contains(&format!("?token={good}")), "{said}");
    let help = gpwh().args(["listen", "--help"]).output().unwrap();
    assert!(
        stdout(&help).contains("sees it in `ps`: prefer GPWH_UI_TOKEN"),
        "{}",
        stdout(&help)
    );
}

/// A request head is read into 64 KiB (twice that if it comes at once):
/// a larger one is answered 431, so that 512 connections cannot hold
/// hundreds of megabytes with heads (hyper's own limit is 400 KiB).
#[test]
fn a_request_head_past_64_kib_is_answered_431() {
    let server = Listening::start(&["--json"]);
    let head = |size: usize| {
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nX-Large: {}\r\nContent-Length: 3\r\nConnection: close\r\n\r\nx.y",
            "a".repeat(size)
        )
        .into_bytes()
    };
    let answer = exchange(&server.url, &head(30_000));
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    let answer = exchange(&server.url, &head(200_000));
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");
    let (code, out) = server.stop();
    assert_eq!(code, Some(0));
    assert!(out.contains(r#""status":431"#), "{out}");
}
