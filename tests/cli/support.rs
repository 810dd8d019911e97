//! Running gpwh isolated from the developer's environment, and the sample
//! bodies with their known answers.

use std::io::{BufRead as _, BufReader, Read, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The secret key the samples are signed with: the vendor's example key,
/// as stored in samples/secret.txt.
pub const SAMPLE_SECRET: &str = "Be$T_Pr0jeCt";

/// gpwh with no colour preference, no secret, no trust store, no CI and no
/// backtraces inherited. Runs in the repository's root, so `@samples/...`
/// arguments work.
pub fn gpwh() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    cmd.current_dir(repo())
        .env_remove("GPWH_SECRET")
        .env_remove("NO_COLOR")
        .env_remove("TERM")
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("RUST_BACKTRACE", "0");
    cmd
}

/// cargo, as a developer runs it from a shell: without the variables cargo
/// sets for a test (CARGO_MANIFEST_DIR, CARGO_PKG_*, ...). Build scripts
/// watch some of them (ring's does), and a cargo run inside the tests would
/// otherwise rebuild what the test run built, and the other way round.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
            "CARGO_PRIMARY_",
            "CARGO_TARGET_TMPDIR",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        {
            command.env_remove(&*name);
        }
    }
    command
}

/// Stops a server with Ctrl-C (SIGINT), as a person would; its exit code
/// and all it wrote on stdout.
/// (Where there are no signals, the process is ended outright: listen's
/// stop on Windows, a console's Ctrl-C, is not tested here.)
pub fn interrupt(mut child: std::process::Child) -> (Option<i32>, String) {
    #[cfg(unix)]
    signal(child.id(), rustix::process::Signal::INT);
    #[cfg(not(unix))]
    child.kill().unwrap();
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut out).unwrap();
    }
    (child.wait().unwrap().code(), out)
}

/// Sends `signal` to process `pid`, which must exist.
#[cfg(unix)]
pub fn signal(pid: u32, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(pid.try_into().unwrap()).unwrap();
    rustix::process::kill_process(pid, signal).unwrap();
}

/// Whether process `pid` exists.
#[cfg(unix)]
pub fn alive(pid: u32) -> bool {
    rustix::process::Pid::from_raw(pid.try_into().unwrap())
        .is_some_and(|pid| rustix::process::test_kill_process(pid).is_ok())
}

/// `gpwh send URL ARGS...`, finished.
pub fn send(url: &str, args: &[&str]) -> Output {
    gpwh().args(["send", url]).args(args).output().unwrap()
}

/// The built binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gpwh"))
}

/// The repository's root, where the tests run.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file of samples/, as bytes.
pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("samples").join(name)).expect("the samples are committed")
}

/// A file of samples/, as text.
pub fn sample_text(name: &str) -> String {
    String::from_utf8(sample(name)).expect("the samples are UTF-8")
}

/// Runs gpwh with a pseudo-terminal on stdin and stdout (through util-linux
/// `script`), for the rules that depend on a terminal. Returns the exit code
/// and what appeared on the terminal, stdout and stderr together.
#[cfg(unix)]
pub fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut line = shell_quote(&bin().to_string_lossy());
    for arg in args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    let mut cmd = Command::new("timeout");
    cmd.args(["10", "script", "-qec", &line, "/dev/null"])
        .current_dir(repo())
        .env_remove("GPWH_SECRET")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .env("RUST_BACKTRACE", "0");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let Output { status, stdout, .. } = cmd.output().expect("util-linux script runs");
    let code = status.code().expect("script exits with a code");
    assert_ne!(code, 124, "gpwh {args:?} waited on the terminal");
    (code, String::from_utf8_lossy(&stdout).replace("\r\n", "\n"))
}

#[cfg(unix)]
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// `text` with every other letter in capitals, from the first: a hex
/// digest in mixed case, as someone without the key could rewrite it.
pub fn mixed_case(text: &str) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// stdout of a finished command, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// stderr of a finished command, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// The records of a `listen --log` file, in order; none when it is not
/// there yet. A last line still being written (no newline yet: a large
/// record reaches the file in several writes) is not a record yet.
pub fn log_records(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .split_inclusive('\n')
        .filter_map(|line| line.strip_suffix('\n'))
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// How long a test waits for what should happen at once: only a failure
/// waits this long, so it can be generous for a loaded machine.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Waits for `check` to give something, asking again every few
/// milliseconds: for what a test can only look at, such as a file another
/// process writes. Panics after [`PATIENCE`], saying what was awaited.
pub fn wait_for<T>(what: impl std::fmt::Display, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "waited {} s for {what}",
            PATIENCE.as_secs()
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// The records of a `listen --log` file, once it holds `count` or more.
pub fn wait_for_records(log: &Path, count: usize) -> Vec<Value> {
    wait_for(format_args!("{count} records in {}", log.display()), || {
        Some(log_records(log)).filter(|records| records.len() >= count)
    })
}

/// The lines a process writes to a pipe, read as they come by a thread of
/// their own, so that a test can wait for one.
pub struct Lines {
    lines: mpsc::Receiver<String>,
    /// Every line received so far.
    read: Vec<String>,
}

impl Lines {
    /// Reads `pipe` (a child's stdout or stderr) until it closes.
    pub fn of(pipe: impl Read + Send + 'static) -> Lines {
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Lines {
            lines,
            read: Vec::new(),
        }
    }

    /// Waits for a line that holds `text`, and returns it. Panics when the
    /// pipe closes first, or after [`PATIENCE`].
    pub fn wait_for(&mut self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let left = PATIENCE.saturating_sub(started.elapsed());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.read.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(gone) => panic!(
                    "no line with {text:?} ({gone}) in:\n{}",
                    self.read.join("\n")
                ),
            }
        }
    }

    /// Every line, once the pipe has closed (its process has ended), each
    /// with its line end.
    pub fn all(mut self) -> String {
        self.read.extend(self.lines.iter());
        self.read.iter().map(|line| format!("{line}\n")).collect()
    }
}

/// The keys of a JSON object, in order.
pub fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// A port on 127.0.0.1 that refuses connections, and that nothing else can
/// take while this lives: a socket bound to it that does not listen. A
/// port found free and let go could be taken by a test running beside.
pub struct RefusingPort {
    socket: socket2::Socket,
    /// The port.
    pub port: u16,
}

impl RefusingPort {
    pub fn new() -> RefusingPort {
        use socket2::{Domain, Socket, Type};
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        socket
            .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .unwrap();
        let port = socket.local_addr().unwrap().as_socket().unwrap().port();
        RefusingPort { socket, port }
    }

    /// From now on the port takes connections: the next `hang_ups` are
    /// hung up on as they come (this waits for them), as a server still
    /// starting may do, and every one after them reaches `to`.
    pub fn hang_up_then_forward_to(self, hang_ups: usize, to: SocketAddr) {
        self.socket.listen(64).unwrap();
        let listener = TcpListener::from(self.socket);
        listener.set_nonblocking(true).unwrap();
        for n in 1..=hang_ups {
            drop(wait_for(
                format_args!("connection {n} to hang up on"),
                || listener.accept().ok(),
            ));
        }
        listener.set_nonblocking(false).unwrap();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(to) else {
                    continue;
                };
                for (mut from, mut into) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut into);
                        let _ = into.shutdown(Shutdown::Write);
                    });
                }
            }
        });
    }
}

/// The first `http://127.0.0.1:PORT` a server printed, once it has: how a
/// server started on port 0 says which port it took (the receivers', whose
/// tests are Unix-only).
#[cfg(unix)]
pub fn announced_port(text: &str) -> Option<u16> {
    let at = text.find("http://127.0.0.1:")? + "http://127.0.0.1:".len();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|port| *port != 0)
}

/// One request as a tiny test server received it.
pub struct Received {
    /// The request line and headers.
    pub head: String,
    /// The same, byte for byte.
    pub head_bytes: Vec<u8>,
    /// The body, exactly.
    pub body: Vec<u8>,
}

/// A server that accepts one request, answers `status` and `body`, and
/// hands over what it received.
pub fn one_shot(status: &'static str, body: &'static str) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let received = read_request(&mut stream);
        let answer = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nX-App: yes\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes()).unwrap();
        let _ = tx.send(received);
    });
    (url, rx)
}

/// A server that accepts one request, hands it over as soon as it has
/// arrived, and answers `status` and `body` only after `delay`: an app that
/// takes its time.
pub fn slow_app(
    delay: Duration,
    status: &'static str,
    body: &'static str,
) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let _ = tx.send(read_request(&mut stream));
        // The app's slowness is what the tests of this app are about.
        thread::sleep(delay);
        let answer = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(answer.as_bytes());
    });
    (url, rx)
}

/// An app that answers every request with `status` and `body`, and hands
/// over each request it received, for as long as the test runs: before it
/// answers, so that every request a finished client made is there.
pub fn app(status: &'static str, body: &'static str) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            // Handed over before it is answered: once a client has its
            // answer, the test has the request.
            let handed = tx.send(read_request(&mut stream));
            let answer = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
            if handed.is_err() {
                return;
            }
        }
    });
    (url, rx)
}

/// Every request an [`app`] at `url` has handed over and the test has not
/// taken yet, once the clients that made them have ended, none left out:
/// a last request of the test's own goes in behind theirs, and the app,
/// which takes connections one at a time in the order they came, has
/// handed every earlier one over when that one is answered.
pub fn received_by(url: &str, requests: &mpsc::Receiver<Received>) -> Vec<Received> {
    const LAST: &str = "X-Gpwh-Test: the last request";
    let answer = as_curl(&["-sS", "-H", LAST, url]);
    assert!(!answer.is_empty(), "the app at {url} did not answer");
    let mut all: Vec<Received> = requests.try_iter().collect();
    assert!(
        all.pop().is_some_and(|last| last.head.contains(LAST)),
        "the app at {url} did not hand the test's own request over last"
    );
    all
}

fn read_request(stream: &mut TcpStream) -> Received {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let n = stream.read(&mut buffer).unwrap();
        bytes.extend_from_slice(&buffer[..n]);
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_string();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length {
                return Received {
                    head,
                    head_bytes: bytes[..end].to_vec(),
                    body: bytes[end + 4..end + 4 + length].to_vec(),
                };
            }
        }
        assert!(n > 0, "the client hung up early");
    }
}

/// What `curl ARGS...` prints on stdout, for the arguments the tests use
/// (`-sS`, `-i`, `-o FILE`, `-w '\n%{http_code}'`, `-H`, `-A`, `-X`, `--data`,
/// `--data-binary` with a value or `@file`, `--max-time`, one `http://`
/// URL), made here so that the tests need no curl: one HTTP/1.1 request
/// with `Connection: close`, and the answer read to its end (or the time
/// limit, 10 s unless `--max-time` says).
pub fn as_curl(args: &[&str]) -> Vec<u8> {
    let (mut method, mut headers, mut data) = (None, Vec::new(), None::<Vec<u8>>);
    let (mut include, mut discard, mut write_code, mut limit) =
        (false, false, false, Duration::from_secs(10));
    let mut url = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || *args.next().expect("a value after the flag");
        match *arg {
            "-sS" | "-s" | "-S" => {}
            "-i" => include = true,
            "-o" => discard = value() != "-",
            "-w" => {
                assert_eq!(value(), "\n%{http_code}", "as_curl knows one -w");
                write_code = true;
            }
            "--max-time" => limit = Duration::from_secs(value().parse().unwrap()),
            "-H" => headers.push(value().to_owned()),
            "-A" => headers.push(format!("User-Agent: {}", value())),
            "-X" => method = Some(value().to_owned()),
            "--data" | "--data-binary" => {
                let given = value();
                let mut bytes = match given.strip_prefix('@') {
                    Some(file) => std::fs::read(file).unwrap(),
                    None => given.as_bytes().to_vec(),
                };
                if *arg == "--data" {
                    // curl's --data drops line breaks from what it sends.
                    bytes.retain(|b| *b != b'\r' && *b != b'\n');
                }
                data = Some(bytes);
            }
            other if other.starts_with("http://") => url = Some(other.to_owned()),
            other => panic!("as_curl does not know {other}"),
        }
    }
    let url = url.expect("a URL");
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let method = method.unwrap_or_else(|| if data.is_some() { "POST" } else { "GET" }.to_owned());
    let named = |name: &str| {
        headers
            .iter()
            .any(|h| h.to_ascii_lowercase().starts_with(&format!("{name}:")))
    };
    // As curl: its own Host, User-Agent and Accept unless -H gives them.
    let mut request = format!("{method} {path} HTTP/1.1\r\n").into_bytes();
    for (name, value) in [
        ("Host", host),
        ("User-Agent", "curl/8.0 (gpwh tests)"),
        ("Accept", "*/*"),
    ] {
        if !named(&name.to_ascii_lowercase()) {
            request.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
    }
    if data.is_some() && !named("content-type") {
        request.extend_from_slice(b"Content-Type: application/x-www-form-urlencoded\r\n");
    }
    for header in &headers {
        request.extend_from_slice(header.as_bytes());
        request.extend_from_slice(b"\r\n");
    }
    if let Some(data) = &data {
        request.extend_from_slice(format!("Content-Length: {}\r\n", data.len()).as_bytes());
    }
    request.extend_from_slice(b"Connection: close\r\n\r\n");
    request.extend_from_slice(data.as_deref().unwrap_or_default());

    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(limit)).unwrap();
    // A server may answer and close before reading it all (413).
    let _ = stream.write_all(&request);
    let mut answer = Vec::new();
    let started = Instant::now();
    let mut buf = [0; 64 * 1024];
    while started.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(answer.len());
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut body = answer.get(split + 4..).unwrap_or_default().to_vec();
    if head
        .to_ascii_lowercase()
        .contains("\r\ntransfer-encoding: chunked")
    {
        body = unchunked(&body);
    }
    let code = head.get(9..12).unwrap_or("000").to_owned();
    let mut out = Vec::new();
    if include {
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(b"\r\n\r\n");
    }
    if !discard {
        out.extend_from_slice(&body);
    }
    if write_code {
        out.extend_from_slice(format!("\n{code}").as_bytes());
    }
    out
}

/// A chunked body's data, as far as it arrived.
fn unchunked(mut chunked: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(end) = chunked.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&chunked[..end])
            .ok()
            .and_then(|line| usize::from_str_radix(line.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        chunked = &chunked[end + 2..];
        if size == 0 {
            break;
        }
        let taken = size.min(chunked.len());
        body.extend_from_slice(&chunked[..taken]);
        chunked = chunked.get(taken + 2..).unwrap_or_default();
    }
    body
}
