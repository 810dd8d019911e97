//! send, probe and `listen --forward-to` over HTTPS, against a TLS server on
//! 127.0.0.1 whose certificate a CA made for the test issued: trusted with
//! --cacert or SSL_CERT_FILE, refused in words when untrusted, for another
//! host or expired, and unchecked with -k.

use std::io::Write as _;
use std::net::TcpStream;

use serde_json::Value;

use crate::probe::{Handler, SECRET, graded};
use std::sync::mpsc::Receiver;

use crate::support::{Received, app, gpwh, sample_text, stderr, stdout};
use crate::tls::{Behind, CA_NAME, Issued, TestCa, TlsServer, self_signed};

/// A TLS server with `issued`, relaying to an app that answers 200 for as
/// long as the requests it hands over are taken: keep the receiver.
fn relaying(issued: &Issued) -> (TlsServer, Receiver<Received>) {
    let (url, requests) = app("200 OK", "accepted by the app");
    let backend = url.trim_start_matches("http://").parse().unwrap();
    (TlsServer::start(issued, Behind::Relay(backend)), requests)
}

/// A server with a certificate for 127.0.0.1 and localhost.
fn trusted_server(ca: &TestCa) -> (TlsServer, Receiver<Received>) {
    relaying(&ca.issue(&["127.0.0.1", "localhost"]))
}

/// `gpwh send URL` with a signed sample body and `args`.
fn send(url: &str, args: &[&str]) -> (i32, String, String) {
    let output = gpwh()
        .args(["send", url, "--body", "@samples/reward.body"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        stdout(&output),
        stderr(&output),
    )
}

#[test]
fn send_trusts_a_private_ca_given_with_cacert() {
    let ca = TestCa::new();
    let (server, _requests) = trusted_server(&ca);
    let ca_pem = ca.pem().to_str().unwrap();
    let (code, out, err) = send(&server.url("/hook"), &["--cacert", ca_pem]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "accepted by the app");
    assert!(err.starts_with("HTTP/1.1 200 OK"), "{err}");
    // localhost is on the certificate too.
    let by_name = format!("https://localhost:{}/hook", server.address.port());
    assert_eq!(send(&by_name, &["--cacert", ca_pem]).0, 0);
}

#[test]
fn send_trusts_what_ssl_cert_file_names() {
    let ca = TestCa::new();
    let (server, _requests) = trusted_server(&ca);
    let output = gpwh()
        .args(["send", &server.url("/"), "--body", "@samples/reward.body"])
        .env("SSL_CERT_FILE", ca.pem())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn an_untrusted_certificate_names_its_issuer_and_the_flag_that_helps() {
    let ca = TestCa::new();
    let (server, _requests) = trusted_server(&ca);
    let (code, out, err) = send(&server.url("/"), &[]);
    assert_eq!(code, 4);
    assert_eq!(out, "");
    assert!(
        err.contains(&format!("certificate not trusted: issued by CN={CA_NAME}")),
        "{err}"
    );
    assert!(err.contains("--cacert FILE"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_certificate_for_another_host_says_which_hosts_it_is_for() {
    let ca = TestCa::new();
    let (server, _requests) = relaying(&ca.issue(&["webhooks.example.com", "example.com"]));
    let (code, _, err) = send(&server.url("/"), &["--cacert", ca.pem().to_str().unwrap()]);
    assert_eq!(code, 4);
    assert!(
        err.contains("certificate is for webhooks.example.com, example.com, not 127.0.0.1"),
        "{err}"
    );
}

/// A certificate's names are the server's choice: one holding escape
/// sequences reaches the terminal as escapes.
#[test]
fn a_certificate_name_with_control_characters_is_shown_inert() {
    let ca = TestCa::new();
    let (server, _requests) = relaying(&ca.issue(&["evil\u{1b}[2J.example"]));
    let (code, _, err) = send(&server.url("/"), &["--cacert", ca.pem().to_str().unwrap()]);
    assert_eq!(code, 4);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(
        err.contains("certificate is for evil\\u{1b}[2J.example, not 127.0.0.1"),
        "{err}"
    );
}

#[test]
fn an_expired_certificate_says_when_it_expired() {
    let ca = TestCa::new();
    let (server, _requests) = relaying(&ca.issue_expired(&["127.0.0.1"]));
    let (code, _, err) = send(&server.url("/"), &["--cacert", ca.pem().to_str().unwrap()]);
    assert_eq!(code, 4);
    assert!(
        err.contains("certificate expired at 2021-01-01T00:00:00Z"),
        "{err}"
    );
}

#[test]
fn a_self_signed_certificate_is_trusted_as_itself_with_cacert() {
    let ca = TestCa::new();
    let (issued, pem) = self_signed(&["127.0.0.1"], ca.dir());
    let (server, _requests) = relaying(&issued);
    let (code, _, err) = send(&server.url("/"), &[]);
    assert_eq!(code, 4);
    assert!(
        err.contains(
            "certificate not trusted: it is self-signed by CN=self-signed test server: give that \
             certificate itself with --cacert FILE"
        ),
        "{err}"
    );
    let (code, out, err) = send(&server.url("/"), &["--cacert", pem.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "accepted by the app");
    // Trusted as itself, it must still name the host.
    let by_name = format!("https://localhost:{}/", server.address.port());
    let (code, _, err) = send(&by_name, &["--cacert", pem.to_str().unwrap()]);
    assert_eq!(code, 4);
    assert!(
        err.contains("certificate is for 127.0.0.1, not localhost"),
        "{err}"
    );
}

#[test]
fn insecure_skips_the_check_and_says_so_once() {
    let ca = TestCa::new();
    let (server, _requests) = trusted_server(&ca);
    for flag in ["-k", "--insecure"] {
        let (code, out, err) = send(&server.url("/"), &[flag]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, "accepted by the app");
        assert_eq!(err.matches("not checked").count(), 1, "{err}");
    }
    // -k and --cacert contradict each other.
    let (code, _, err) = send(&server.url("/"), &["-k", "--cacert", "x.pem"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_bad_cacert_file_is_a_usage_error_before_anything_is_sent() {
    let ca = TestCa::new();
    let not_pem = ca.dir().join("not.pem");
    std::fs::write(&not_pem, "just text\n").unwrap();
    for (path, expected) in [
        (ca.dir().join("missing.pem"), "cannot read --cacert"),
        (not_pem, "holds no certificate"),
    ] {
        let (code, _, err) = send(
            "https://127.0.0.1:9/",
            &["--cacert", path.to_str().unwrap()],
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(expected), "{err}");
    }
}

#[test]
fn plain_http_on_an_https_url_is_named() {
    // A plain HTTP server answers a TLS hello with 400, as Node.js does.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let https = format!("https://{}/", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut hello = [0u8; 512];
        let _ = std::io::Read::read(&mut stream, &mut hello);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    });
    let (code, _, err) = send(&https, &[]);
    server.join().unwrap();
    assert_eq!(code, 4);
    assert!(err.contains("only http://?"), "{err}");
}

/// Runs probe with `--json` against `url`; the exit code, the report and
/// stderr.
fn probe(url: &str, args: &[&str]) -> (i32, Value, String) {
    let output = gpwh()
        .args(["probe", "--json", "--secret", SECRET])
        .args(args)
        .arg(url)
        .output()
        .unwrap();
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(!out.contains(SECRET) && !err.contains(SECRET));
    let report = serde_json::from_str(&out).unwrap_or(Value::Null);
    (output.status.code().unwrap(), report, err)
}

#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Node.js and Python 3 for its handlers: GPWH_TEST_ALL=1 runs it"
)]
fn probe_grades_a_receiver_behind_tls_from_a_private_ca() {
    let handler = Handler::node_recipe();
    let plain = handler.url.trim_start_matches("http://");
    let (address, path) = plain.split_once('/').unwrap_or((plain, ""));
    let ca = TestCa::new();
    let server = TlsServer::start(
        &ca.issue(&["127.0.0.1"]),
        Behind::Relay(address.parse().unwrap()),
    );
    let url = server.url(&format!("/{path}"));

    let (code, report, err) = probe(&url, &["--cacert", ca.pem().to_str().unwrap()]);
    assert_eq!(code, 0, "{report}{err}");
    assert_eq!(report["counts"]["fail"], 0);
    assert_eq!(report["counts"]["warn"], 0);
    assert_eq!(report["insecure"], false);

    // Without the CA, nothing is sent: exit 4, with the reason.
    let (code, report, err) = probe(&url, &[]);
    assert_eq!(code, 4);
    assert_eq!(report, Value::Null);
    assert!(
        err.contains(&format!("certificate not trusted: issued by CN={CA_NAME}")),
        "{err}"
    );

    // With -k, the report records that the certificate went unchecked.
    let (code, report, err) = probe(&url, &["-k"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["insecure"], true);
    assert_eq!(err.matches("not checked").count(), 1, "{err}");
}

#[test]
fn probe_keeps_the_grade_of_a_status_whose_body_is_cut_off() {
    // Accepts everything, and ends each answer by closing the connection
    // without close_notify: the status line arrived, the body's end did not.
    let ca = TestCa::new();
    let server = TlsServer::start(
        &ca.issue(&["127.0.0.1"]),
        Behind::HangUp("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nok"),
    );
    let (code, report, err) = probe(&server.url("/"), &["--cacert", ca.pem().to_str().unwrap()]);
    // It accepts forgeries, so it fails: but it was reached and graded.
    assert_eq!(code, 1, "{err}");
    let (grade, reason) = graded(&report, "valid-body");
    assert_eq!(grade, "pass");
    assert!(
        reason.contains("the status arrived but the body could not be read")
            && reason.contains("close_notify"),
        "{reason}"
    );
    let (grade, _) = graded(&report, "no-signature");
    assert_eq!(grade, "fail");

    // send shows the status and what body there was, and says it was cut.
    let (code, out, err) = send(&server.url("/"), &["--cacert", ca.pem().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "ok");
    assert!(err.contains("the answer's body was cut short"), "{err}");
}

#[test]
fn listen_forwards_to_an_https_app_it_trusts_with_forward_cacert() {
    let ca = TestCa::new();
    let (server, _requests) = trusted_server(&ca);
    let ca_pem = ca.pem().to_str().unwrap();
    let body = sample_text("reward.body");
    let secret = crate::support::SAMPLE_SECRET;

    let trusted = crate::listen::Listening::start_with_secret(
        secret,
        &[
            "--forward-to",
            &server.url("/app"),
            "--forward-cacert",
            ca_pem,
        ],
    );
    let (status, answer) = post(&trusted.url, &body);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, "accepted by the app");

    let untrusted =
        crate::listen::Listening::start_with_secret(secret, &["--forward-to", &server.url("/app")]);
    let (status, answer) = post(&untrusted.url, &body);
    assert_eq!(status, 502, "{answer}");
    assert!(answer.contains("certificate not trusted"), "{answer}");
    assert!(answer.contains("--forward-cacert FILE"), "{answer}");
}

/// POSTs `body` to `address` (HOST:PORT) over a plain socket: the status
/// and the body of the answer.
fn post(address: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}
