//! What arrived on a connection, kept so that a request hyper refuses
//! before listen sees it (a `Content-Length` that is not a number, two that
//! differ, a malformed head) still reaches the log and the inspector: hyper
//! answers such a request 400 itself, and without this the log would hold
//! no trace of something the sender believes it delivered.
//!
//! Kept: the first [`KEPT`] bytes read since the connection's last answer,
//! so memory stays bounded whatever a client sends; and whether anything
//! was read since that answer, so that a keep-alive connection closed while
//! idle is not taken for a client that stopped halfway.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How many bytes of a request are kept for the log, at most.
pub const KEPT: usize = 4096;

/// A connection's stream that keeps the start of what it reads; what it
/// kept starts again with each answer written.
pub struct Recorded<S> {
    stream: S,
    kept: Arc<Mutex<Kept>>,
}

/// The start of the request being read.
#[derive(Default)]
struct Kept {
    bytes: Vec<u8>,
    /// Whether an answer was written since the last read: the next read
    /// starts a new request.
    answered: bool,
}

/// What a [`Recorded`] stream kept, readable after the connection ends.
#[derive(Clone)]
pub struct Recording(Arc<Mutex<Kept>>);

impl<S> Recorded<S> {
    /// `stream`, and what reads what it keeps.
    pub fn new(stream: S) -> (Recorded<S>, Recording) {
        let kept = Arc::new(Mutex::new(Kept::default()));
        (
            Recorded {
                stream,
                kept: Arc::clone(&kept),
            },
            Recording(kept),
        )
    }
}

impl Recording {
    /// The start of the last request read, at most [`KEPT`] bytes.
    pub fn bytes(&self) -> Vec<u8> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .bytes
            .clone()
    }

    /// Whether the connection sits idle between requests: it was answered,
    /// and has sent nothing since. A keep-alive connection closed in that
    /// state left nothing half done.
    pub fn between_requests(&self) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .answered
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Recorded<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let read = &buf.filled()[before..];
            let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            if kept.answered && !read.is_empty() {
                kept.bytes.clear();
                kept.answered = false;
            }
            let room = KEPT - kept.bytes.len();
            kept.bytes.extend_from_slice(&read[..read.len().min(room)]);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Recorded<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.kept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .answered = true;
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// A request read leniently, as far as it goes: hyper refused it, so
/// nothing in it can be trusted to follow the rules.
#[derive(Debug, PartialEq, Eq)]
pub struct Leniently {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// What came after the head, as far as it was kept.
    pub body: Vec<u8>,
}

/// Reads a request line, header lines up to an empty line, and what
/// follows, from bytes that hyper would not take. A part that is not there
/// is empty; text that is not UTF-8 is read lossily.
pub fn leniently(bytes: &[u8]) -> Leniently {
    let (head, body) = match find(bytes, b"\r\n\r\n") {
        Some(at) => (&bytes[..at], &bytes[at + 4..]),
        None => match find(bytes, b"\n\n") {
            Some(at) => (&bytes[..at], &bytes[at + 2..]),
            None => (bytes, &[][..]),
        },
    };
    let text = String::from_utf8_lossy(head);
    let mut lines = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line));
    let mut request = lines.next().unwrap_or("").split(' ');
    let method = request.next().unwrap_or("").to_owned();
    let path = request.next().unwrap_or("").to_owned();
    let headers = lines
        .map(|line| match line.split_once(':') {
            Some((name, value)) => (name.trim().to_ascii_lowercase(), value.trim().to_owned()),
            None => (line.to_owned(), String::new()),
        })
        .collect();
    Leniently {
        method,
        path,
        headers,
        body: body.to_vec(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_there_is_of_a_request() {
        let read = leniently(
            b"POST /hook?a=1 HTTP/1.1\r\nHost: x\r\nContent-Length: twelve\r\n\r\nabc.def",
        );
        assert_eq!(read.method, "POST");
        assert_eq!(read.path, "/hook?a=1");
        assert_eq!(
            read.headers,
            [
                ("host".to_owned(), "x".to_owned()),
                ("content-length".to_owned(), "twelve".to_owned())
            ]
        );
        assert_eq!(read.body, b"abc.def");
    }

    #[test]
    fn takes_bare_line_feeds_and_a_head_cut_short() {
        let read = leniently(b"POST / HTTP/1.1\nA: 1\n\nbody");
        assert_eq!(read.headers, [("a".to_owned(), "1".to_owned())]);
        assert_eq!(read.body, b"body");
        let cut = leniently(b"GET /pa");
        assert_eq!((cut.method.as_str(), cut.path.as_str()), ("GET", "/pa"));
        assert!(cut.headers.is_empty() && cut.body.is_empty());
        assert_eq!(leniently(b"").method, "");
    }

    #[tokio::test]
    async fn keeps_the_start_of_each_request_and_no_more() {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let (mut client, server) = tokio::io::duplex(64 * 1024);
        let (mut recorded, recording) = Recorded::new(server);
        client.write_all(&[b'a'; KEPT + 100]).await.unwrap();
        let mut buf = vec![0; KEPT + 100];
        recorded.read_exact(&mut buf).await.unwrap();
        assert_eq!(recording.bytes(), vec![b'a'; KEPT]);
        recorded
            .write_all(b"HTTP/1.1 200 OK\r\n\r\n")
            .await
            .unwrap();
        // Kept until the next request begins.
        assert_eq!(recording.bytes().len(), KEPT);
        assert!(recording.between_requests());
        client.write_all(b"next").await.unwrap();
        let mut next = [0; 4];
        recorded.read_exact(&mut next).await.unwrap();
        assert_eq!(recording.bytes(), b"next");
        assert!(!recording.between_requests(), "a request has begun");
    }

    #[test]
    fn a_connection_that_sent_nothing_yet_is_not_between_requests() {
        let (_, recording) = Recorded::new(tokio::io::empty());
        assert!(!recording.between_requests());
    }
}
