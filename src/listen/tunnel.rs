//! A public URL in one command: `gpwh listen --tunnel cloudflared` (or
//! `ngrok`) starts the tunnel program the user has installed, pointed at the
//! listener, reads the https:// URL it announces, and stops it when listen
//! stops. GamePush must reach the listener to deliver to it; this is the
//! shortest way there.
//!
//! What each program prints is taken from its own code or documentation:
//! cloudflared's quick tunnel logs a box with the URL on stderr
//! (`cmd/cloudflared/tunnel/quick_tunnel.go`, cloudflared 2026.8.2); ngrok,
//! started with `--log stdout --log-format logfmt`, logs
//! `msg="started tunnel" ... url=https://...` (ngrok 3, as its users quote
//! it; ngrok's agent is not open source).

use std::collections::VecDeque;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt as _};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use crate::messages::say;

/// How many of the program's last lines are kept, to show when it fails.
const LAST_LINES: usize = 12;

/// The most of one line of the program's output kept, in bytes: the rest
/// of a longer line is read and dropped, so that no output, however long
/// its lines, grows listen's memory. A URL line is a hundred bytes.
const LINE_KEPT: usize = 4096;

/// The prefix of the environment variables gpwh reads: the tunnel
/// program gets none of them, as they hold keys (`GPWH_SECRET`,
/// `GPWH_UI_TOKEN`) and it needs none.
const OURS: &str = "GPWH_";

/// The tunnel programs listen knows how to start and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// Cloudflare's quick tunnel: no account needed.
    Cloudflared,
    /// ngrok: an account and its authtoken needed.
    Ngrok,
}

impl Program {
    /// The command's name, as on PATH.
    pub fn name(self) -> &'static str {
        match self {
            Program::Cloudflared => "cloudflared",
            Program::Ngrok => "ngrok",
        }
    }

    /// Its arguments, pointed at the listener's port.
    fn args(self, port: u16) -> Vec<String> {
        match self {
            Program::Cloudflared => vec![
                "tunnel".into(),
                "--url".into(),
                format!("http://127.0.0.1:{port}"),
            ],
            Program::Ngrok => vec![
                "http".into(),
                port.to_string(),
                "--log".into(),
                "stdout".into(),
                "--log-format".into(),
                "logfmt".into(),
            ],
        }
    }

    /// How to install it, in a few words.
    fn install(self) -> &'static str {
        match self {
            Program::Cloudflared => {
                "install cloudflared (brew install cloudflared, winget install Cloudflare.cloudflared, \
                 or a package from https://github.com/cloudflare/cloudflared/releases) and run this \
                 again"
            }
            Program::Ngrok => {
                "install ngrok (https://ngrok.com/download), run `ngrok config add-authtoken TOKEN` \
                 once, and run this again"
            }
        }
    }

    /// The public URL a line of its output announces, if it does: printable
    /// ASCII alone, as it goes to the terminal and the page.
    pub fn url_in(self, line: &str) -> Option<String> {
        let url = match self {
            Program::Cloudflared => line
                .split(|c: char| c.is_whitespace() || c == '|')
                .find(|token| {
                    token.strip_prefix("https://").is_some_and(|host| {
                        host.strip_suffix(".trycloudflare.com").is_some_and(|name| {
                            name != "api"
                                && !name.is_empty()
                                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        })
                    })
                })
                .map(str::to_owned),
            Program::Ngrok => line
                .contains("msg=\"started tunnel\"")
                .then(|| {
                    line.split_whitespace()
                        .find_map(|field| field.strip_prefix("url="))
                        .filter(|url| url.starts_with("https://"))
                        .map(str::to_owned)
                })
                .flatten(),
        };
        url.filter(|url| url.bytes().all(|b| b.is_ascii_graphic()))
    }
}

/// A running tunnel program, stopped when dropped.
pub struct Tunnel {
    /// The program.
    pub program: Program,
    /// The public URL it announced.
    pub url: String,
    child: Child,
    lines: Arc<Mutex<VecDeque<String>>>,
    readers: Vec<tokio::task::JoinHandle<()>>,
}

/// Why a tunnel could not be opened.
pub enum Failed {
    /// The program is not installed: a usage error (exit 2).
    Missing(String),
    /// It started but announced no URL in time, or stopped first (exit 4).
    NoUrl(String),
}

impl Tunnel {
    /// Starts `program` pointed at `port` and waits up to `wait` for the
    /// URL it announces.
    ///
    /// # Errors
    /// [`Failed::Missing`] when it cannot be started; [`Failed::NoUrl`]
    /// with its last lines when it announces nothing in time or stops.
    pub async fn open(program: Program, port: u16, wait: Duration) -> Result<Tunnel, Failed> {
        let mut command = Command::new(program.name());
        for (name, _) in std::env::vars_os() {
            if is_ours(&name) {
                command.env_remove(name);
            }
        }
        let mut child = command
            .args(program.args(port))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|error| {
                Failed::Missing(if error.kind() == std::io::ErrorKind::NotFound {
                    format!(
                        "--tunnel {0}: {0} is not installed, or not on PATH: {1}",
                        program.name(),
                        program.install()
                    )
                } else {
                    format!("--tunnel {}: cannot start it: {error}", program.name())
                })
            })?;
        let lines = Arc::new(Mutex::new(VecDeque::new()));
        let (found, mut urls) = mpsc::unbounded_channel();
        let mut readers = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            readers.push(read_lines(
                stdout,
                program,
                Arc::clone(&lines),
                found.clone(),
            ));
        }
        if let Some(stderr) = child.stderr.take() {
            readers.push(read_lines(stderr, program, Arc::clone(&lines), found));
        }
        let announced = tokio::time::timeout(wait, async {
            tokio::select! {
                url = urls.recv() => url,
                _ = child.wait() => None,
            }
        })
        .await;
        match announced {
            Ok(Some(url)) => Ok(Tunnel {
                program,
                url,
                child,
                lines,
                readers,
            }),
            Ok(None) => {
                let status = child.try_wait().ok().flatten();
                drained(readers).await;
                Err(Failed::NoUrl(format!(
                    "--tunnel {}: it stopped ({}) before announcing a public URL{}",
                    program.name(),
                    status.map_or_else(|| "no exit status".to_owned(), |s| s.to_string()),
                    last_lines(&lines)
                )))
            }
            Err(_) => Err(Failed::NoUrl(format!(
                "--tunnel {}: no public https:// URL announced within {}{}",
                program.name(),
                crate::duration::human(wait),
                last_lines(&lines)
            ))),
        }
    }

    /// Waits until the program stops by itself; says so, with its last
    /// lines.
    pub async fn stopped(&mut self) -> String {
        let status = self.child.wait().await;
        drained(std::mem::take(&mut self.readers)).await;
        format!(
            "{} stopped ({}): the public URL {} is gone{}",
            self.program.name(),
            status.map_or_else(|e| e.to_string(), |s| s.to_string()),
            self.url,
            last_lines(&self.lines)
        )
    }

    /// Stops the program and waits for it.
    pub async fn close(mut self) {
        let _ = self.child.kill().await;
    }
}

/// Waits, a second at most, for the readers to reach the end of what the
/// program wrote, so that its last lines are all kept.
async fn drained(readers: Vec<tokio::task::JoinHandle<()>>) {
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        futures_util::future::join_all(readers),
    )
    .await;
}

/// Whether an environment variable is one of gpwh's, in any letter case
/// (Windows does not tell them apart).
fn is_ours(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy()
        .get(..OURS.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(OURS))
}

/// Reads `from` to its end, line by line, keeping the last few and sending
/// any URL `program` announces. Bytes that are not UTF-8 are read as U+FFFD
/// and a line is kept to [`LINE_KEPT`] bytes: whatever the program writes,
/// it is read until the program closes it, so that the program never
/// writes to a closed pipe (and dies of SIGPIPE) and listen's memory stays
/// small.
fn read_lines(
    mut from: impl AsyncRead + Unpin + Send + 'static,
    program: Program,
    lines: Arc<Mutex<VecDeque<String>>>,
    found: mpsc::UnboundedSender<String>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut take = |line: String| {
            if let Some(url) = program.url_in(&line) {
                let _ = found.send(url);
            }
            let mut kept = lines
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if kept.len() == LAST_LINES {
                kept.pop_front();
            }
            kept.push_back(line);
        };
        let mut split = Split::default();
        let mut buffer = vec![0u8; 8192];
        // A read that fails (the pipe broken) is the end too.
        while let Ok(read @ 1..) = from.read(&mut buffer).await {
            split.feed(&buffer[..read], &mut take);
        }
        split.end(&mut take);
    })
}

/// Bytes cut into lines of text, each at most [`LINE_KEPT`] bytes of what
/// was written (the rest dropped and said so), read lossily.
#[derive(Default)]
struct Split {
    line: Vec<u8>,
    /// Whether the line being read was longer than what is kept of it.
    cut: bool,
}

impl Split {
    /// Reads `bytes`, giving each line they end to `take`.
    fn feed(&mut self, bytes: &[u8], take: &mut impl FnMut(String)) {
        for piece in bytes.split_inclusive(|&b| b == b'\n') {
            let (text, ended) = match piece.strip_suffix(b"\n") {
                Some(text) => (text, true),
                None => (piece, false),
            };
            let room = LINE_KEPT - self.line.len();
            self.cut |= text.len() > room;
            self.line.extend_from_slice(&text[..text.len().min(room)]);
            if ended {
                take(self.line_read());
            }
        }
    }

    /// The end of the bytes: gives a last line without a line end to
    /// `take`.
    fn end(&mut self, take: &mut impl FnMut(String)) {
        if !self.line.is_empty() || self.cut {
            take(self.line_read());
        }
    }

    /// The line read so far, as text, and a new one begun.
    fn line_read(&mut self) -> String {
        let bytes = std::mem::take(&mut self.line);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(&bytes);
        let mut line = String::from_utf8_lossy(bytes).into_owned();
        if std::mem::take(&mut self.cut) {
            line.push_str(&format!(" [cut: longer than {LINE_KEPT} bytes]"));
        }
        line
    }
}

/// `: its last lines:` and the lines, indented and made inert, or nothing.
fn last_lines(lines: &Mutex<VecDeque<String>>) -> String {
    let kept = lines
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if kept.is_empty() {
        return String::new();
    }
    let mut text = String::from("; its last lines:");
    for line in kept.iter() {
        text.push_str("\n    ");
        text.push_str(&crate::inert::inert(line));
    }
    text
}

/// The line to paste into GamePush's settings, on stderr.
pub fn announce(tunnel: &Tunnel) {
    say!(
        "public URL, through {}: {} (paste it into Project > Trusted Sites > Webhooks)",
        tunnel.program.name(),
        tunnel.url
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]]) -> Vec<String> {
        let mut lines = Vec::new();
        let mut split = Split::default();
        for chunk in chunks {
            split.feed(chunk, &mut |line| lines.push(line));
        }
        split.end(&mut |line| lines.push(line));
        lines
    }

    #[test]
    fn output_is_read_as_lines_lossily_across_reads() {
        assert_eq!(
            split(&[b"one\r\ntw", b"o\n\xff\xfe th", b"ree\nlast"]),
            ["one", "two", "\u{fffd}\u{fffd} three", "last"]
        );
        assert_eq!(split(&[b"a\n\n"]), ["a", ""]);
        assert!(split(&[b""]).is_empty());
    }

    #[test]
    fn a_long_line_is_kept_only_in_part_and_the_next_is_read_whole() {
        let long = vec![b'a'; 3 * LINE_KEPT + 5];
        let lines = split(&[&long[..LINE_KEPT - 1], &long[LINE_KEPT - 1..], b"\nnext\n"]);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            format!("{} [cut: longer than 4096 bytes]", "a".repeat(LINE_KEPT))
        );
        assert_eq!(lines[1], "next");
        let exactly = vec![b'b'; LINE_KEPT];
        assert_eq!(
            split(&[&exactly, b"\n"]),
            [String::from_utf8(exactly).unwrap()]
        );
    }

    #[tokio::test]
    async fn the_url_after_bytes_that_are_not_utf8_is_found() {
        let output: &'static [u8] = b"\xff\xfe not text\n\
            2026-12-05T10:00:01Z INF |  https://gentle-words-here.trycloudflare.com  |\n";
        let lines = Arc::new(Mutex::new(VecDeque::new()));
        let (found, mut urls) = mpsc::unbounded_channel();
        read_lines(output, Program::Cloudflared, Arc::clone(&lines), found)
            .await
            .unwrap();
        assert_eq!(
            urls.recv().await.as_deref(),
            Some("https://gentle-words-here.trycloudflare.com")
        );
        assert_eq!(lines.lock().unwrap().len(), 2);
    }

    #[test]
    fn gpwh_s_variables_are_told_apart_from_the_program_s() {
        for ours in [
            "GPWH_SECRET",
            "GPWH_UI_TOKEN",
            "gpwh_secret",
            "GPWH_ANY_NEW_ONE",
        ] {
            assert!(is_ours(std::ffi::OsStr::new(ours)), "{ours}");
        }
        for theirs in [
            "TUNNEL_TOKEN",
            "NGROK_AUTHTOKEN",
            "PATH",
            "GPW",
            "XGPWH_SECRET",
        ] {
            assert!(!is_ours(std::ffi::OsStr::new(theirs)), "{theirs}");
        }
    }

    #[test]
    fn the_url_is_read_from_what_each_program_prints() {
        let box_line = "2026-12-05T10:00:01Z INF |  https://gentle-words-here.trycloudflare.com                                       |";
        assert_eq!(
            Program::Cloudflared.url_in(box_line).as_deref(),
            Some("https://gentle-words-here.trycloudflare.com")
        );
        for other in [
            "2026-12-05T10:00:00Z INF Requesting new quick Tunnel on trycloudflare.com...",
            "ERR failed to request quick Tunnel: Post \"https://api.trycloudflare.com/tunnel\"",
            "INF ... following: https://developers.cloudflare.com/cloudflare-one/connections/connect-apps",
        ] {
            assert_eq!(Program::Cloudflared.url_in(other), None, "{other}");
        }
        let started = "t=2026-12-05T10:00:01+0000 lvl=info msg=\"started tunnel\" obj=tunnels name=command_line addr=http://localhost:8787 url=https://1f2e-88-14-3-9.ngrok-free.app";
        assert_eq!(
            Program::Ngrok.url_in(started).as_deref(),
            Some("https://1f2e-88-14-3-9.ngrok-free.app")
        );
        let plain = started.replace("url=https", "url=http");
        assert_eq!(Program::Ngrok.url_in(&plain), None);
        let escaping = started.replace("ngrok-free.app", "ngrok-free.app\u{1b}[2J");
        assert_eq!(Program::Ngrok.url_in(&escaping), None);
        assert_eq!(
            Program::Ngrok.url_in("t=1 lvl=info msg=\"no configuration paths supplied\""),
            None
        );
    }
}
