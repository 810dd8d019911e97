//! Batch mode: bodies a line at a time from one or more sources, checked on
//! every core, with what each line gives written in input order, in
//! constant memory.
//!
//! A reader thread cuts the input into batches of whole lines, workers
//! handle batches in parallel, and the calling thread writes their output in
//! sequence. At most `IN_FLIGHT` batches exist at once, so memory stays the
//! same whether the input is a megabyte or a terabyte. This module knows
//! nothing of webhooks: the subcommand says what a line gives through
//! [`LineWork`].

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

/// The longest line handled, line end excluded. A longer line is reported
/// through [`LineWork::too_long`] and skipped, and the run goes on.
pub const MAX_LINE: usize = 1 << 20;

/// How much is read at a time: a batch holds at most this much more than
/// a carried-over partial line.
const CHUNK: usize = 256 * 1024;

/// Batches read but not yet written, at most.
const IN_FLIGHT: usize = 16;

/// A line longer than batch mode reads.
pub struct TooLong;

impl TooLong {
    /// The machine-readable name of the failure.
    pub const CODE: &'static str = "line-too-long";
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::size::too_large("line", MAX_LINE))
    }
}

/// One source of lines.
pub struct Input {
    /// How messages and verdicts name it: a path, `<stdin>`, `<argument>`.
    pub name: Arc<str>,
    /// Its bytes.
    pub reader: Box<dyn Read + Send>,
}

/// Where a line is.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The name of its source.
    pub file: &'a str,
    /// Its line number, from 1, counting empty lines.
    pub line: u64,
}

/// What a subcommand does with each line.
pub trait LineWork: Send + Sync + 'static {
    /// What a run counts, per batch and in total.
    type Tally: Default + Send + 'static;

    /// Handles one non-blank line (line end removed), appending data to
    /// `out` and messages to `messages`. `scratch` is the worker's own, to
    /// reuse across lines.
    fn line(
        &self,
        at: Place<'_>,
        line: &[u8],
        scratch: &mut Vec<u8>,
        out: &mut BatchOutput,
        tally: &mut Self::Tally,
    );

    /// Handles a line longer than [`MAX_LINE`].
    fn too_long(&self, at: Place<'_>, out: &mut BatchOutput, tally: &mut Self::Tally);

    /// Adds one batch's tally to the total.
    fn merge(total: &mut Self::Tally, batch: Self::Tally);
}

/// What handling a batch writes: data for stdout, messages for stderr.
#[derive(Default)]
pub struct BatchOutput {
    /// Bytes for standard output.
    pub data: Vec<u8>,
    /// Bytes for standard error.
    pub messages: Vec<u8>,
}

/// Runs `work` over every line of `inputs`, in order, and returns the total
/// tally.
///
/// # Errors
/// When an input cannot be read, or standard output cannot be written
/// (a closed pipe among them, which the caller treats as the end).
pub fn run<W: LineWork>(inputs: Vec<Input>, work: W) -> anyhow::Result<W::Tally> {
    let work = Arc::new(work);
    let names: Vec<Arc<str>> = inputs.iter().map(|input| Arc::clone(&input.name)).collect();
    let (batches_tx, batches_rx) = sync_channel::<Batch>(IN_FLIGHT);
    let (results_tx, results_rx) = sync_channel::<Done<W::Tally>>(IN_FLIGHT);
    let (slots_tx, slots_rx) = sync_channel::<()>(IN_FLIGHT);

    // Workers hand buffers back, so the reader neither allocates nor
    // zeroes memory for every chunk.
    let (returned_tx, returned_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader_results = results_tx.clone();
    thread::Builder::new()
        .name("gpwh-reader".into())
        .spawn(move || {
            read(
                inputs,
                &batches_tx,
                &slots_tx,
                &reader_results,
                &returned_rx,
            )
        })?;

    let batches_rx = Arc::new(Mutex::new(batches_rx));
    let workers = thread::available_parallelism().map_or(1, usize::from);
    for index in 0..workers {
        let (work, batches, results, names, returned) = (
            Arc::clone(&work),
            Arc::clone(&batches_rx),
            results_tx.clone(),
            names.clone(),
            returned_tx.clone(),
        );
        thread::Builder::new()
            .name(format!("gpwh-worker-{index}"))
            .spawn(move || handle(&*work, &batches, &results, &names, &returned))?;
    }
    drop(results_tx);
    write_in_order::<W>(&results_rx, &slots_rx)
}

/// A piece of one input, in order.
struct Batch {
    seq: u64,
    input: usize,
    first_line: u64,
    kind: BatchKind,
}

enum BatchKind {
    /// Whole lines, each ended by `\n` but perhaps the input's last.
    Lines(Piece),
    /// One line longer than [`MAX_LINE`], skipped.
    TooLong,
}

/// Whole lines: a range of a buffer that goes back to the reader once the
/// lines are handled.
struct Piece {
    buffer: Vec<u8>,
    range: std::ops::Range<usize>,
}

impl Piece {
    fn bytes(&self) -> &[u8] {
        &self.buffer[self.range.clone()]
    }
}

/// What became of a batch.
enum Done<T> {
    Handled {
        seq: u64,
        output: BatchOutput,
        tally: T,
    },
    Failed {
        seq: u64,
        error: anyhow::Error,
    },
}

/// The reader: cuts every input into batches of whole lines.
fn read<T>(
    inputs: Vec<Input>,
    batches: &SyncSender<Batch>,
    slots: &SyncSender<()>,
    results: &SyncSender<Done<T>>,
    returned: &Receiver<Vec<u8>>,
) {
    // A buffer handed back if there is one, else a new one; at least `size`
    // bytes long, initialized once.
    let take = |size: usize| {
        let mut buffer = returned.try_recv().unwrap_or_default();
        if buffer.len() < size {
            buffer.resize(size, 0);
        }
        buffer
    };
    let mut seq = 0;
    let mut send = |input: usize, first_line: u64, kind: BatchKind| -> bool {
        // Wait for a free slot, so that memory stays bounded.
        let sent = slots.send(()).is_ok()
            && batches
                .send(Batch {
                    seq,
                    input,
                    first_line,
                    kind,
                })
                .is_ok();
        seq += 1;
        sent
    };
    for (index, Input { name, mut reader }) in inputs.into_iter().enumerate() {
        let mut cutter = Cutter::default();
        loop {
            match cutter.next(&mut reader, take) {
                Ok(Some((first_line, kind))) => {
                    if !send(index, first_line, kind) {
                        return;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    let error = anyhow::Error::new(error).context(format!("cannot read '{name}'"));
                    // Slots keep the failure behind every batch before it.
                    if slots.send(()).is_ok() {
                        let _ = results.send(Done::Failed { seq, error });
                    }
                    return;
                }
            }
        }
    }
}

/// Cuts one input into batches of whole lines, carrying a partial line
/// from one read to the next.
#[derive(Default)]
struct Cutter {
    carry: Vec<u8>,
    next_line: u64,
    /// Inside a line already reported too long: drop bytes to its end.
    skipping: bool,
    pending: Option<(u64, BatchKind)>,
    done: bool,
}

impl Cutter {
    /// The next batch of `reader`, read into a buffer from `take`.
    fn next(
        &mut self,
        reader: &mut impl Read,
        take: impl Fn(usize) -> Vec<u8>,
    ) -> io::Result<Option<(u64, BatchKind)>> {
        if self.next_line == 0 {
            self.next_line = 1;
        }
        loop {
            if let Some(batch) = self.pending.take() {
                return Ok(Some(batch));
            }
            if self.done {
                return Ok(None);
            }
            let start = self.carry.len();
            let mut buffer = take(start + CHUNK);
            buffer[..start].copy_from_slice(&self.carry);
            self.carry.clear();
            let read = loop {
                match reader.read(&mut buffer[start..start + CHUNK]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            let filled = start + read;
            if read == 0 {
                self.done = true;
                if self.skipping {
                    return Ok(Some(self.too_long()));
                }
                if filled == 0 {
                    return Ok(None);
                }
                let range = 0..filled;
                return Ok(Some((
                    self.next_line,
                    BatchKind::Lines(Piece { buffer, range }),
                )));
            }
            let mut from = 0;
            if self.skipping {
                match memchr::memchr(b'\n', &buffer[start..filled]) {
                    None => continue,
                    Some(end) => {
                        from = start + end + 1;
                        self.skipping = false;
                        let skipped = self.too_long();
                        self.pending = Some(skipped);
                    }
                }
            }
            match memchr::memrchr(b'\n', &buffer[from..filled]) {
                Some(last) => {
                    let end = from + last + 1;
                    self.carry.extend_from_slice(&buffer[end..filled]);
                    let first_line = self.next_line;
                    self.next_line += memchr::memchr_iter(b'\n', &buffer[from..end]).count() as u64;
                    let lines = (
                        first_line,
                        BatchKind::Lines(Piece {
                            buffer,
                            range: from..end,
                        }),
                    );
                    match self.pending.take() {
                        Some(skipped) => {
                            self.pending = Some(lines);
                            return Ok(Some(skipped));
                        }
                        None => return Ok(Some(lines)),
                    }
                }
                None if filled - from > MAX_LINE => {
                    // No line end yet and already too long: stop keeping it.
                    self.skipping = true;
                }
                None => self.carry.extend_from_slice(&buffer[from..filled]),
            }
        }
    }

    fn too_long(&mut self) -> (u64, BatchKind) {
        let line = self.next_line;
        self.next_line += 1;
        (line, BatchKind::TooLong)
    }
}

/// A worker: handles batches until there are none.
fn handle<W: LineWork>(
    work: &W,
    batches: &Mutex<Receiver<Batch>>,
    results: &SyncSender<Done<W::Tally>>,
    names: &[Arc<str>],
    returned: &std::sync::mpsc::Sender<Vec<u8>>,
) {
    let mut scratch = Vec::new();
    loop {
        let batch = {
            let Ok(receiver) = batches.lock() else { return };
            match receiver.recv() {
                Ok(batch) => batch,
                Err(_) => return,
            }
        };
        let file = &*names[batch.input];
        let mut output = BatchOutput::default();
        let mut tally = W::Tally::default();
        match batch.kind {
            BatchKind::TooLong => {
                work.too_long(
                    Place {
                        file,
                        line: batch.first_line,
                    },
                    &mut output,
                    &mut tally,
                );
            }
            BatchKind::Lines(piece) => {
                output.data.reserve(piece.range.len() / 4);
                each_line(
                    work,
                    file,
                    batch.first_line,
                    piece.bytes(),
                    &mut scratch,
                    &mut output,
                    &mut tally,
                );
                let _ = returned.send(piece.buffer);
            }
        }
        let done = Done::Handled {
            seq: batch.seq,
            output,
            tally,
        };
        if results.send(done).is_err() {
            return;
        }
    }
}

/// Hands every non-blank line of `bytes` to `work`.
fn each_line<W: LineWork>(
    work: &W,
    file: &str,
    first_line: u64,
    bytes: &[u8],
    scratch: &mut Vec<u8>,
    output: &mut BatchOutput,
    tally: &mut W::Tally,
) {
    let mut line = first_line;
    let mut rest = bytes;
    while !rest.is_empty() {
        let (text, next) = match memchr::memchr(b'\n', rest) {
            Some(end) => (&rest[..end], &rest[end + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        let at = Place { file, line };
        if text.len() > MAX_LINE {
            work.too_long(at, output, tally);
        } else if !text.trim_ascii().is_empty() {
            work.line(at, text, scratch, output, tally);
        }
        rest = next;
        line += 1;
    }
}

/// The writer: puts results back in input order and writes them.
fn write_in_order<W: LineWork>(
    results: &Receiver<Done<W::Tally>>,
    slots: &Receiver<()>,
) -> anyhow::Result<W::Tally> {
    let mut stdout = io::BufWriter::with_capacity(CHUNK, io::stdout().lock());
    let mut total = W::Tally::default();
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for done in results {
        let seq = match &done {
            Done::Handled { seq, .. } | Done::Failed { seq, .. } => *seq,
        };
        waiting.insert(seq, done);
        while let Some(done) = waiting.remove(&next) {
            match done {
                Done::Handled { output, tally, .. } => {
                    stdout.write_all(&output.data)?;
                    if !output.messages.is_empty() {
                        stdout.flush()?;
                        crate::messages::write_made(&output.messages)?;
                    }
                    W::merge(&mut total, tally);
                }
                Done::Failed { error, .. } => {
                    stdout.flush()?;
                    return Err(error);
                }
            }
            next += 1;
            // Free the batch's slot for the reader.
            let _ = slots.recv();
        }
    }
    stdout.flush()?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cuts `input`, read `step` bytes at a time, into its batches.
    fn cut(input: &[u8], step: usize) -> Vec<(u64, Option<Vec<u8>>)> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = Trickle(input, step);
        let mut cutter = Cutter::default();
        let mut batches = Vec::new();
        while let Some((line, kind)) = cutter.next(&mut reader, |n| vec![0; n]).unwrap() {
            batches.push((
                line,
                match kind {
                    BatchKind::Lines(piece) => Some(piece.bytes().to_vec()),
                    BatchKind::TooLong => None,
                },
            ));
        }
        batches
    }

    #[test]
    fn batches_hold_whole_lines_and_their_numbers() {
        let batches = cut(b"a\nbb\n\nccc", 3);
        let joined: Vec<u8> = batches
            .iter()
            .flat_map(|(_, b)| b.clone().unwrap())
            .collect();
        assert_eq!(joined, b"a\nbb\n\nccc");
        for (first_line, bytes) in &batches {
            let bytes = bytes.as_ref().unwrap();
            assert!(bytes.ends_with(b"\n") || bytes == b"ccc");
            let expected_first = match bytes.first() {
                Some(b'a') => 1,
                Some(b'b') => 2,
                Some(b'\n') => 3,
                _ => 4,
            };
            assert_eq!(*first_line, expected_first, "{bytes:?}");
        }
    }

    #[test]
    fn a_line_over_the_bound_is_skipped_and_counted() {
        let mut input = b"one\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE + CHUNK + 10));
        input.extend(b"\nthree\n");
        let batches = cut(&input, CHUNK);
        let long: Vec<u64> = batches
            .iter()
            .filter(|(_, b)| b.is_none())
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(long, [2]);
        let three = batches
            .iter()
            .find(|(_, b)| b.as_deref() == Some(b"three\n"))
            .unwrap();
        assert_eq!(three.0, 3);
        let kept: usize = batches
            .iter()
            .filter_map(|(_, b)| b.as_ref())
            .map(Vec::len)
            .sum();
        assert_eq!(kept, b"one\nthree\n".len());
    }

    #[test]
    fn a_too_long_last_line_without_a_line_end_is_reported() {
        let mut input = b"one\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE + 1));
        let batches = cut(&input, CHUNK);
        assert_eq!(
            batches.last().map(|(l, b)| (*l, b.is_none())),
            Some((2, true))
        );
    }
}
