//! `gpwh send` against real servers on 127.0.0.1, on ports the system
//! picks; every server is stopped.

use std::net::TcpListener;
use std::time::Duration;

use crate::support::{RefusingPort, SAMPLE_SECRET, gpwh, one_shot, sample, stderr, stdout};

const SECRET: &str = "live-secret";

#[test]
fn send_posts_exactly_the_signed_body_with_its_headers() {
    let (url, received) = one_shot("202 Accepted", "queued");
    let output = gpwh()
        .args([
            "send",
            &format!("{url}/webhooks/gamepush"),
            "--secret",
            SAMPLE_SECRET,
            "@samples/reward.json",
        ])
        .args(["-H", "X-Test: 1", "-H", "x-test: 2"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "queued");
    assert_eq!(stderr(&output), "HTTP/1.1 202 Accepted\n");
    let request = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(request.body, sample("reward.body"));
    assert!(
        request
            .head
            .starts_with("POST /webhooks/gamepush HTTP/1.1\r\n"),
        "{}",
        request.head
    );
    let head = request.head.to_ascii_lowercase();
    assert!(
        head.contains("\r\ncontent-type: text/plain; charset=utf-8"),
        "{head}"
    );
    assert!(
        head.contains("\r\nx-test: 2") && !head.contains("x-test: 1"),
        "{head}"
    );
    assert!(
        !head.contains("user-agent") && !head.contains("accept-encoding"),
        "{head}"
    );
}

#[test]
fn send_delivers_a_captured_body_unchanged() {
    let (url, received) = one_shot("200 OK", "");
    gpwh()
        .args([
            "send",
            &url,
            "--body",
            "@samples/record-urlsafe.body",
            "-H",
            "Content-Type: application/octet-stream",
        ])
        .assert()
        .success();
    let request = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(request.body, sample("record-urlsafe.body"));
    assert!(
        request
            .head
            .to_ascii_lowercase()
            .contains("content-type: application/octet-stream")
    );
}

#[test]
fn send_exits_4_when_the_server_refuses() {
    let (url, _received) = one_shot("400 Bad Request", "bad signature");
    let output = gpwh()
        .args(["send", &url, "--secret", "x", "--event", "GetPlayer"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(stdout(&output), "bad signature");
    assert_eq!(
        stderr(&output),
        "HTTP/1.1 400 Bad Request\ngpwh: not delivered: the server answered 400 Bad Request\n"
    );
}

/// A name that cannot resolve (.invalid is reserved for that, RFC 6761) is
/// told as such, by the resolver's own error type.
#[test]
fn send_says_when_the_host_is_not_found() {
    let output = gpwh()
        .args(["send", "http://no-such-host.invalid/", "--secret", "x"])
        .args(["--event", "GetPlayer"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(
        stderr(&output).contains("host not found: no-such-host.invalid"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn send_exits_4_when_nothing_answers() {
    let refusing = RefusingPort::new();
    let port = refusing.port;
    let output = gpwh()
        .args([
            "send",
            &format!("http://127.0.0.1:{port}/"),
            "--secret",
            "x",
            "--event",
            "GetPlayer",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(
        stderr(&output),
        format!(
            "gpwh: could not deliver to http://127.0.0.1:{port}/: connection refused: is the server running?\n"
        )
    );
    // A server that accepts and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", silent.local_addr().unwrap());
    let output = gpwh()
        .args([
            "send",
            &url,
            "--timeout",
            "1",
            "--secret",
            "x",
            "--event",
            "GetPlayer",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(
        stderr(&output),
        format!("gpwh: could not deliver to {url}: timed out after 1s\n")
    );
    drop(silent);
}

#[test]
fn send_dry_run_prints_curl_without_the_secret() {
    let output = gpwh()
        .args([
            "send",
            "http://127.0.0.1:9/hook",
            "--dry-run",
            "--secret",
            SECRET,
            "--event",
            "GivePlayerReward",
        ])
        .args(["--time", "2024-04-26T11:34:23Z", "-H", "X-Env: dev"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let command = stdout(&output);
    let body = gpwh()
        .args([
            "sign",
            "--secret",
            SECRET,
            "--event",
            "GivePlayerReward",
            "--time",
            "2024-04-26T11:34:23Z",
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        command,
        format!(
            "curl -sS -g -X POST --max-time 10 -H 'Content-Type: text/plain; charset=utf-8' -H 'X-Env: dev' \
             --data-raw '{}' 'http://127.0.0.1:9/hook'\n",
            String::from_utf8(body).unwrap()
        )
    );
    assert!(!command.contains(SECRET));
}

#[test]
fn send_refuses_a_url_that_is_not_http() {
    gpwh()
        .args(["send", "ftp://x/", "--secret", "x", "--event", "GetPlayer"])
        .assert()
        .code(2)
        .stderr("gpwh: 'ftp://x/' is not an http:// or https:// URL\n");
    // As a browser's address bar would take it.
    gpwh()
        .args([
            "send",
            "localhost:3000/hook",
            "--secret",
            "x",
            "--event",
            "GetPlayer",
        ])
        .assert()
        .code(2)
        .stderr(
            "gpwh: 'localhost:3000/hook' is not an http:// or https:// URL: did you mean \
             'http://localhost:3000/hook'?\n",
        );
}

/// Bytes a body holds that a terminal acts on (ESC, CR, a bidi override,
/// quotes, a backslash, bytes that are not UTF-8).
#[cfg(unix)]
const HOSTILE: &[u8] = b"e30=.x\x1b[2J\rrm -rf ~ \xe2\x80\xae'\"\\ $(id) \xff\n";

/// Runs a shell command line in bash; its exit status.
#[cfg(unix)]
fn in_bash(command: &str) -> std::process::ExitStatus {
    std::process::Command::new("bash")
        .args(["-c", command])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap()
}

/// A pasted `--dry-run` command is text, whatever the body holds, and
/// sends exactly the body's bytes when run.
#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs bash and curl: GPWH_TEST_ALL=1 runs it"
)]
fn a_dry_run_command_is_printable_and_sends_the_exact_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body");
    std::fs::write(&file, HOSTILE).unwrap();
    let (url, received) = one_shot("200 OK", "ok");
    let output = gpwh()
        .args(["send", "--dry-run", &url, "--body"])
        .arg(format!("@{}", file.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let command = output.stdout;
    let (line, end) = command.split_at(command.len() - 1);
    assert_eq!(end, b"\n");
    assert!(
        line.iter().all(|b| (0x20..0x7f).contains(b)),
        "{}",
        String::from_utf8_lossy(&command)
    );
    assert!(in_bash(std::str::from_utf8(line).unwrap()).success());
    let got = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(got.body, HOSTILE);
}

/// An answer holding what a terminal acts on.
#[cfg(unix)]
const ACTIVE_ANSWER: &str = "ok\u{1b}]0;owned\u{7}\u{9b}2J\u{202e}\u{200f}done\r\nline 2\n";

/// On a terminal, the server's answer is shown inert, its lines kept;
/// piped, it is the exact bytes.
#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs util-linux script for a terminal: GPWH_TEST_ALL=1 runs it"
)]
fn the_answer_is_inert_on_a_terminal_and_exact_in_a_pipe() {
    let (url, _received) = one_shot("200 OK", ACTIVE_ANSWER);
    let (code, shown) = crate::support::on_terminal(
        &["send", &url, "--secret", "x", "--event", "GetPlayer"],
        &[],
    );
    assert_eq!(code, 0, "{shown}");
    for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{200f}'] {
        assert!(!shown.contains(raw), "{raw:?} raw in {shown:?}");
    }
    // CRLF is kept as a line end (the terminal adds its own CR to LF).
    assert!(
        shown.contains("ok\\u{1b}]0;owned\\u{7}\\u{9b}2J\\u{202e}\\u{200f}done\r\nline 2\n"),
        "{shown:?}"
    );

    let (url, _received) = one_shot("200 OK", ACTIVE_ANSWER);
    let piped = gpwh()
        .args(["send", &url, "--secret", "x", "--event", "GetPlayer"])
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(piped.stdout, ACTIVE_ANSWER.as_bytes());
}

/// A body that starts with `@` is what curl's `--data-binary` takes for a
/// file to read: the command sends it as it is, reads no file, and takes
/// the URL as written (curl's globbing off).
#[test]
#[cfg(unix)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs bash and curl: GPWH_TEST_ALL=1 runs it"
)]
fn a_dry_run_command_reads_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("id_ed25519");
    std::fs::write(&private, "PRIVATE KEY").unwrap();
    let body = format!("@{}", private.display());
    let (url, received) = one_shot("200 OK", "ok");
    let output = gpwh()
        .args([
            "send",
            "--dry-run",
            &format!("{url}/hook[1-2]"),
            "--body",
            "-",
        ])
        .write_stdin(body.clone())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let command = stdout(&output);
    assert!(in_bash(&command).success(), "{command}");
    let got = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(String::from_utf8_lossy(&got.body), body);
    assert!(got.head.starts_with("POST /hook[1-2] "), "{}", got.head);
}
