//! The command line as clap types: every flag, its help text, and the exit
//! code table that `--help` shows. Nothing here acts on what it parses.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use gpwh_webhooks::EVENTS;

use crate::edit::Edit;

use crate::time;

const EXIT_CODES: &str = "\
Exit codes:
  0  success; for verify, the signature is valid
  1  verify: the body is well formed but no secret matches, or it is stale (--max-age)
  2  usage or environment: bad flags, no secret, unreadable file, no input
  3  malformed input: empty or too large, no signature (verify), bad base64, payload not a
     JSON object, no time to check (--max-age), sign input not a JSON object
  1  probe: a case failed, or (with --strict) warned
  4  send: the server answered with a status other than 2xx, or could not be reached;
     probe: the URL could not be reached at all; replay: an answer was not 2xx";

/// Decode, verify and forge GamePush webhook bodies.
///
/// GamePush posts BASE64(JSON).SIGNATURE to game servers, where SIGNATURE
/// is the SHA-256 of BASE64 + "_" + your project's secret key. gpwh shows
/// what a body says, checks that your key signed it, and signs test bodies
/// of your own.
#[derive(Debug, Parser)]
#[command(name = "gpwh", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// When to colour JSON output: auto colours only on a terminal, and never
    /// when NO_COLOR is set or TERM is dumb
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorChoice::Auto,
        global = true
    )]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// The `--color` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set or TERM is dumb
    Auto,
    /// Always colour, even into a pipe or a file
    Always,
    /// Never colour
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a body's payload as JSON, without checking its signature
    Decode(DecodeArgs),
    /// Check that a body was signed with your secret key, and show its payload
    Verify(VerifyArgs),
    /// Sign JSON as GamePush does, to make test bodies
    Sign(SignArgs),
    /// List the event types, or show one
    Events(EventsArgs),
    /// Sign a body as sign does, or take a captured one, and POST it to a URL
    Send(SendArgs),
    /// Receive webhooks on a local HTTP server, verify each, and show or forward them
    Listen(ListenArgs),
    /// Grade your webhook handler: send it valid, forged and malformed bodies and check each answer
    Probe(ProbeArgs),
    /// Send the deliveries that listen logged (--log) again to a URL, byte for byte
    Replay(ReplayArgs),
    /// Tell what the deliveries that listen logged (--log) say about their sender
    Facts(FactsArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
}

/// Where webhook bodies come from.
#[derive(Debug, Args)]
pub struct BodyArgs {
    /// The body: BASE64.SIGNATURE, '-' for standard input, or @PATH for a
    /// file. Read from standard input when omitted and it is not a terminal.
    /// A whole captured HTTP request is accepted too. With --lines, several
    /// may be given, and are read in order
    #[arg(value_name = "BODY")]
    pub bodies: Vec<OsString>,

    /// Read the body from a file; with --lines, repeatable, read after any
    /// BODY arguments
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Read many bodies, one per non-empty line (LF or CRLF), using every
    /// core; write one NDJSON record per body, in input order
    #[arg(long)]
    pub lines: bool,
}

/// How a payload is shown.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Print JSON on one line instead of pretty
    #[arg(short = 'c', long)]
    pub compact: bool,

    /// Print the decoded payload bytes exactly as they were encoded
    #[arg(short = 'r', long, conflicts_with_all = ["compact", "lines"])]
    pub raw: bool,
}

/// Where secret keys come from.
#[derive(Debug, Args)]
pub struct SecretArgs {
    /// Your project's secret key. Where bodies are checked (verify, listen),
    /// repeat it to accept any of several, for key rotation. On a shared
    /// machine prefer GPWH_SECRET or --secret-file: arguments are seen in
    /// shell history and by `ps`
    // A value starting with '-' is taken as the key, so that no error
    // message ever repeats a key mistaken for a flag.
    #[arg(long = "secret", value_name = "VALUE", allow_hyphen_values = true)]
    pub secrets: Vec<OsString>,

    /// Read the secret key from a file (one trailing newline is removed);
    /// repeatable like --secret. When neither is given, the environment
    /// variable GPWH_SECRET is used
    #[arg(long = "secret-file", value_name = "PATH")]
    pub secret_files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    #[command(flatten)]
    pub body: BodyArgs,

    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub body: BodyArgs,

    #[command(flatten)]
    pub secrets: SecretArgs,

    #[command(flatten)]
    pub render: RenderArgs,

    /// Print a JSON verdict instead of the payload, for valid and invalid
    /// bodies alike (the exit code stays the same)
    #[arg(long, conflicts_with = "raw")]
    pub json: bool,

    /// Print nothing on standard output: the exit code is the answer
    #[arg(short = 'q', long, conflicts_with_all = ["json", "compact", "raw", "invalid_only"])]
    pub quiet: bool,

    /// With --lines, write verdicts only for bodies that fail
    #[arg(long, requires = "lines")]
    pub invalid_only: bool,

    /// Refuse a validly signed body whose payload time is older than
    /// DURATION (90s, 5m, 2h, 1d) or more than 60s in the future: a
    /// replayed capture. Without it, the time is not checked
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub max_age: Option<std::time::Duration>,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The JSON payload to sign, '-' for standard input, or @PATH for a file.
    /// Read from standard input when omitted and it is not a terminal
    #[arg(value_name = "JSON")]
    pub json: Option<OsString>,

    /// Read the JSON payload from a file
    #[arg(
        short = 'f',
        long = "file",
        value_name = "PATH",
        conflicts_with = "json"
    )]
    pub file: Option<PathBuf>,

    /// Sign a realistic template payload for this event (any letter case)
    /// instead of reading JSON; see `gpwh events NAME`
    #[arg(
        long,
        value_name = "NAME",
        value_parser = EventName,
        hide_possible_values = true,
        conflicts_with_all = ["json", "file"]
    )]
    pub event: Option<String>,

    #[command(flatten)]
    pub secrets: SecretArgs,

    /// Sign the JSON text as given instead of compacting it first (the
    /// whitespace around it is still dropped)
    #[arg(
        long,
        conflicts_with_all = [
            "event", "set", "set_str", "unset", "player_id", "project_id", "platform",
            "test_player", "time"
        ]
    )]
    pub verbatim: bool,

    /// How to write the signature
    #[arg(long, value_enum, value_name = "ENCODING", default_value_t = EncodingChoice::Hex)]
    pub encoding: EncodingChoice,

    #[command(flatten)]
    pub overrides: OverrideArgs,
}

/// Changes to the payload before it is signed, whether it is a template or
/// JSON that was given. Shortcuts apply first, then --set, --set-str and
/// --unset, each in the order given.
#[derive(Debug, Args)]
#[command(next_help_heading = "Overrides")]
pub struct OverrideArgs {
    /// Set a field: PATH is dotted (player.id), VALUE is taken as JSON when
    /// it parses as JSON, else as a string; missing objects are created
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Edit::parse_set)]
    pub set: Vec<Edit>,

    /// Set a field to a string, whatever VALUE looks like
    #[arg(long = "set-str", value_name = "PATH=VALUE", value_parser = Edit::parse_set_str)]
    pub set_str: Vec<Edit>,

    /// Remove a field
    #[arg(long = "unset", value_name = "PATH", value_parser = Edit::parse_unset)]
    pub unset: Vec<Edit>,

    /// Set player.id
    #[arg(long, value_name = "N")]
    pub player_id: Option<u64>,

    /// Set player.projectId
    #[arg(long, value_name = "N")]
    pub project_id: Option<u64>,

    /// Set player.platformType (NONE, YANDEX, VK, CRAZY_GAMES, GOOGLE_PLAY, ...)
    #[arg(long, value_name = "TYPE")]
    pub platform: Option<String>,

    /// Make the player a test player (player.test = true)
    #[arg(long)]
    pub test_player: bool,

    /// Set time (with --event, every time in the template): an RFC 3339
    /// time, or now. A fixed time makes the output the same on every run:
    /// a purchase then keeps the template's id, where otherwise each is new
    #[arg(long, value_name = "RFC3339|now", value_parser = time::given)]
    pub time: Option<time::Given>,
}

/// Any text, looked up by the command so that it can suggest close names,
/// with the catalog's names offered to shell completion.
#[derive(Debug, Clone, Copy)]
struct EventName;

impl TypedValueParser for EventName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(EVENTS.iter().map(|event| {
            PossibleValue::new(event.name()).help(event.description())
        })))
    }
}

#[derive(Debug, Args)]
#[command(mut_args(help(
    "timeout",
    "How long to wait for the whole exchange: seconds (3) or a duration (3s, 1m)"
)))]
pub struct SendArgs {
    /// Where to POST the body: an http:// or https:// URL
    #[arg(value_name = "URL")]
    pub url: String,

    #[command(flatten)]
    pub sign: SignArgs,

    /// Send this captured body unchanged instead of signing one: the body,
    /// '-' for standard input, or @PATH
    #[arg(
        long,
        value_name = "BODY",
        conflicts_with_all = [
            "json", "file", "event", "verbatim", "set", "set_str", "unset", "player_id",
            "project_id", "platform", "test_player", "time", "secrets", "secret_files"
        ]
    )]
    pub body: Option<OsString>,

    /// Add a request header, or replace one (Content-Type is
    /// "text/plain; charset=utf-8" unless replaced); repeatable
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    pub headers: Vec<(String, String)>,

    #[command(flatten)]
    pub exchange: ExchangeArgs,

    /// Print the equivalent curl command, body inline, instead of sending
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub tls: TlsArgs,
}

/// How long a request may take, for the commands that send (send, probe,
/// replay): one flag, one default and one parser for all three. Each says
/// what it limits in its own words: the help below is probe's, and send
/// and replay replace it with [`help`] on their own struct (clap reads no
/// doc comment on a flattened field).
#[derive(Debug, Args)]
pub struct ExchangeArgs {
    /// How long to wait for each answer: seconds (3) or a duration (3s, 1m)
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_timeout)]
    pub timeout: std::time::Duration,
}

/// For `#[command(mut_args(help(ID, TEXT)))]`: the help of the flag `id`
/// that a flattened group brought, in a command's own words. The flag keeps
/// its place, in `--help` and in completions alike (`mut_arg` would move it
/// last).
fn help(id: &'static str, text: &'static str) -> impl FnMut(clap::Arg) -> clap::Arg {
    move |arg| {
        if arg.get_id() == id {
            arg.help(text)
        } else {
            arg
        }
    }
}

/// Whom to trust over https://.
#[derive(Debug, Args)]
pub struct TlsArgs {
    /// Trust the certificate authority in FILE (PEM) on top of the system's
    /// store: for a server whose certificate a private or company CA
    /// issued; repeatable. SSL_CERT_FILE and SSL_CERT_DIR, when set, replace
    /// the system's store
    #[arg(long = "cacert", value_name = "FILE", help_heading = "HTTPS")]
    pub cacerts: Vec<PathBuf>,

    /// Do not check the server's certificate at all. Anyone on the way can
    /// then read and change what is sent: prefer --cacert
    #[arg(short = 'k', long, conflicts_with = "cacerts", help_heading = "HTTPS")]
    pub insecure: bool,
}

impl TlsArgs {
    /// The client's trust these flags describe.
    pub fn trust(&self) -> crate::tls::Trust {
        crate::tls::Trust {
            cacerts: self.cacerts.clone(),
            insecure: self.insecure,
            flag: "--cacert",
        }
    }
}

/// Reads `IP:PORT`, or `localhost:PORT` for 127.0.0.1.
fn parse_ui_addr(text: &str) -> Result<std::net::SocketAddr, String> {
    let text = text.trim();
    if let Some(port) = text.strip_prefix("localhost:") {
        let port: u16 = port
            .parse()
            .map_err(|_| format!("'{port}' is not a port"))?;
        return Ok(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    }
    text.parse().map_err(|_| {
        "expected IP:PORT, as in 127.0.0.1:8788 or [::1]:8788 (port 0 picks a free one)".to_owned()
    })
}

/// Reads a duration that a request may take: more than nothing.
fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    let duration = crate::duration::parse(text)?;
    if duration.is_zero() {
        return Err(format!("a timeout must be longer than 0s, found '{text}'"));
    }
    Ok(duration)
}

/// Reads `Name: value`.
fn parse_header(text: &str) -> Result<(String, String), String> {
    let expected = || "expected 'Name: value', as in -H 'X-Request-Id: 42'".to_owned();
    let (name, value) = text.split_once(':').ok_or_else(expected)?;
    let name = name.trim();
    let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(is_token) {
        return Err(expected());
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

/// Sends your handler at URL a battery of bodies, one after the other, each
/// signed with the first secret key given: valid ones it must accept, forged
/// and malformed ones it must refuse, and the kinds of body a real sender
/// sends over time. Prints a graded line per case (pass, fail, warn, info)
/// and a summary.
///
/// Under GitHub Actions (GITHUB_ACTIONS=true), each fail and warn is also
/// written to stderr as a workflow command, which Actions shows as an
/// annotation, and a table of the run is appended to the job summary
/// (GITHUB_STEP_SUMMARY).
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Your handler: an http:// or https:// URL (redirects are not followed)
    #[arg(value_name = "URL")]
    pub url: String,

    #[command(flatten)]
    pub secrets: SecretArgs,

    /// The event of the valid body (any letter case)
    #[arg(
        long,
        value_name = "NAME",
        default_value = "GivePlayerReward",
        value_parser = EventName,
        hide_possible_values = true
    )]
    pub event: String,

    /// Also send a valid body of each of the 33 listed events
    #[arg(long)]
    pub all_events: bool,

    /// Send players as real ones are (player.test: false). By default every
    /// body's player is a test player, so that a handler can tell probe's
    /// deliveries, which take effect as real ones do, from a real player's
    #[arg(long)]
    pub real_players: bool,

    /// Add a request header, or replace one (Content-Type is
    /// "text/plain; charset=utf-8" unless replaced; the content-type-*
    /// cases set their own); repeatable
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    pub headers: Vec<(String, String)>,

    #[command(flatten)]
    pub exchange: ExchangeArgs,

    /// Print one JSON report instead of lines: the URL, each case (name,
    /// grade, status, ms, reason, what the handler said), the counts and
    /// the advice
    #[arg(long)]
    pub json: bool,

    /// Exit 1 on warnings too, not only on failures
    #[arg(long)]
    pub strict: bool,

    /// Print each case and the curl command that sends it, and send nothing
    #[arg(long, conflicts_with_all = ["json", "strict", "junit", "wait"])]
    pub dry_run: bool,

    /// Do not send the case called CASE (a name from the report, such as
    /// replayed-body); repeatable. Skipped cases are reported as skipped
    #[arg(long, value_name = "CASE")]
    pub skip: Vec<String>,

    /// Before the first case, wait until the URL answers HTTP, for up to
    /// DURATION (30s, 2m): for a server started a moment ago
    #[arg(long, value_name = "DURATION", value_parser = parse_timeout, help_heading = "CI")]
    pub wait: Option<std::time::Duration>,

    /// Also write a JUnit XML report to PATH, for the test reports of
    /// GitHub, GitLab and Jenkins; written whatever the grades
    #[arg(long, value_name = "PATH", help_heading = "CI")]
    pub junit: Option<PathBuf>,

    #[command(flatten)]
    pub tls: TlsArgs,
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// The address to listen on
    #[arg(long, value_name = "HOST", default_value = "127.0.0.1")]
    pub host: String,

    /// The port to listen on; 0 picks a free one (the address is printed on
    /// stderr as soon as gpwh listens)
    #[arg(long, value_name = "PORT", default_value_t = 8787)]
    pub port: u16,

    #[command(flatten)]
    pub secrets: SecretArgs,

    /// Refuse validly signed bodies older than DURATION or more than 60s in
    /// the future, as verify does
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub max_age: Option<std::time::Duration>,

    /// Answer 413 to bodies larger than this: bytes, or with K or M (KiB,
    /// MiB), at most 16M, the largest body gpwh verifies
    #[arg(long, value_name = "SIZE", default_value = "1M", value_parser = parse_body_size)]
    pub max_body: usize,

    /// Print one NDJSON record per request instead of a line and the payload
    #[arg(long)]
    pub json: bool,

    /// Append one JSON line per request to FILE (time, remote address, path,
    /// headers, verdict, event and the raw body), written before answering
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    /// Forward each valid body, with its headers, to your app at URL, and
    /// answer with the app's status and body
    #[arg(long, value_name = "URL")]
    pub forward_to: Option<String>,

    /// With --forward-to, forward invalid and malformed bodies too
    #[arg(long, requires = "forward_to")]
    pub forward_invalid: bool,

    /// With --forward-to, how long the app may take to answer before the
    /// sender gets 504
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10s",
        requires = "forward_to",
        value_parser = parse_timeout
    )]
    pub forward_timeout: std::time::Duration,

    /// With --forward-to an https:// URL, trust the certificate authority
    /// in FILE (PEM) on top of the system's store; repeatable
    #[arg(long, value_name = "FILE", requires = "forward_to")]
    pub forward_cacert: Vec<PathBuf>,

    /// How many connections to serve at once; past it, new ones wait until
    /// one ends. By default 512, or fewer if the limit on open files leaves
    /// room for fewer
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,

    /// How many bytes of requests to hold at once, across all connections:
    /// bodies being read or answered (through --delay too) and the
    /// inspector's deliveries. Past it, a sender gets 503 with Retry-After.
    /// Bytes, or with K or M (KiB, MiB); at least --max-body
    // 64 MiB: GamePush's bodies are a kilobyte or two, so it holds tens of
    // thousands at once, or 64 at the default --max-body; a laptop keeps
    // it without noticing.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_buffered: usize,

    /// How long a body may take to arrive once its headers are in; past it
    /// the sender gets 408 (headers themselves must arrive within 10s)
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_timeout)]
    pub read_timeout: std::time::Duration,

    /// Answer every delivery with STATUS, whatever its verdict (and, with
    /// --forward-to, whatever the app answered): to see what the sender
    /// does with it. Logged as given
    #[arg(
        long,
        value_name = "STATUS",
        value_parser = clap::value_parser!(u16).range(200..=599),
        help_heading = "Answers on purpose"
    )]
    pub respond: Option<u16>,

    /// Answer 503 to the first N deliveries of each body, then as usual
    /// (or --respond): a sender that retries shows its repeats
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true,
        help_heading = "Answers on purpose"
    )]
    pub fail_first: u32,

    /// Answer each delivery only after DURATION (15s, 1m), once it is
    /// logged: to find the sender's timeout
    #[arg(
        long,
        value_name = "DURATION",
        value_parser = crate::duration::parse,
        help_heading = "Answers on purpose"
    )]
    pub delay: Option<std::time::Duration>,

    /// Start this tunnel program, pointed at the listener, and print the
    /// public https:// URL it announces, to paste into GamePush's project
    /// settings (Trusted Sites > Webhooks); it is stopped with listen
    #[arg(
        long,
        value_enum,
        value_name = "PROGRAM",
        help_heading = "A public URL"
    )]
    pub tunnel: Option<TunnelProgram>,

    /// With --tunnel, how long to wait for the program to announce its URL
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "30s",
        value_parser = parse_timeout,
        requires = "tunnel",
        help_heading = "A public URL"
    )]
    pub tunnel_wait: std::time::Duration,

    /// Also serve the inspector, a page where deliveries appear live, open
    /// into their payload and replay, on http://127.0.0.1:8788/
    #[arg(long, help_heading = "Inspector")]
    pub ui: bool,

    /// Serve the inspector on ADDR (IP:PORT; port 0 picks a free one);
    /// implies --ui. An address other machines can reach is allowed, with a
    /// warning: the page shows player data
    #[arg(long, value_name = "ADDR", value_parser = parse_ui_addr, help_heading = "Inspector")]
    pub ui_addr: Option<std::net::SocketAddr>,

    /// The inspector's token, which its page and API ask for, instead of a
    /// random one each run; implies --ui. Every user of the machine sees it
    /// in `ps`: prefer GPWH_UI_TOKEN. 16 or more letters, digits, '-', '_',
    /// '.' or '~', hard to guess (`openssl rand -hex 16` makes one)
    #[arg(long, value_name = "TOKEN", help_heading = "Inspector")]
    pub ui_token: Option<String>,

    /// How many deliveries the inspector keeps and shows on opening
    #[arg(
        long,
        value_name = "N",
        default_value_t = 500,
        value_parser = clap::value_parser!(u32).range(1..=100_000),
        help_heading = "Inspector"
    )]
    pub ui_keep: u32,
}

/// `gpwh replay LOG... --to URL`: the deliveries in listen's logs, sent
/// again in order as they arrived (the exact bytes and the Content-Type),
/// one line each on what the server answered, then a tally. Exit 4 when
/// any answer was not 2xx, or a delivery was skipped (--resign).
#[derive(Debug, Args)]
#[command(mut_args(help("timeout", "Give up on an answer after DURATION")))]
pub struct ReplayArgs {
    /// Logs written by `gpwh listen --log`, read in order
    #[arg(value_name = "LOG", required = true)]
    pub logs: Vec<PathBuf>,

    /// Where to send them
    #[arg(long, value_name = "URL")]
    pub to: String,

    /// Only deliveries of this event (any letter case)
    #[arg(long, value_name = "NAME", help_heading = "Which deliveries")]
    pub event: Option<String>,

    /// Only deliveries received at or after TIME (RFC 3339, or a duration
    /// ago: 2h, 1d)
    #[arg(long, value_name = "TIME", value_parser = parse_moment, help_heading = "Which deliveries")]
    pub since: Option<jiff::Timestamp>,

    /// Only deliveries received at or before TIME (RFC 3339, or a duration
    /// ago)
    #[arg(long, value_name = "TIME", value_parser = parse_moment, help_heading = "Which deliveries")]
    pub until: Option<jiff::Timestamp>,

    /// Only valid ones, refused ones, or those the app failed (answered
    /// other than 2xx, or could not be reached, with listen --forward-to)
    #[arg(
        long,
        value_enum,
        value_name = "WHICH",
        help_heading = "Which deliveries"
    )]
    pub only: Option<Only>,

    /// Only delivery N, as numbered in replay's output (the Nth record of
    /// the logs, from 1)
    #[arg(long, value_name = "N", help_heading = "Which deliveries")]
    pub id: Option<usize>,

    /// Sign each payload again with your secret key after setting its
    /// time to now, for a handler with a replay window: only a body whose
    /// own signature verifies with a key given (repeat --secret for a key
    /// rotated out; the first signs), whatever the log says; the rest are
    /// skipped. Without it the bytes are sent untouched
    #[arg(long)]
    pub resign: bool,

    #[command(flatten)]
    pub secrets: SecretArgs,

    #[command(flatten)]
    pub exchange: ExchangeArgs,

    /// Print the curl commands that would send them, and send nothing;
    /// --resign skips the same bodies
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub tls: TlsArgs,
}

/// `gpwh facts LOG...`: from listen's logs, the deliveries by event and
/// verdict, the digest forms seen, every header with counts (no value of a
/// header that may hold a secret), the delay from the payload's time to
/// arrival, repeats, fields and events beyond gpwh's templates, and the
/// client addresses. No body and no secret is shown.
#[derive(Debug, Args)]
pub struct FactsArgs {
    /// Logs written by `gpwh listen --log`, read in order
    #[arg(value_name = "LOG", required = true)]
    pub logs: Vec<PathBuf>,

    /// Print one JSON report instead of tables
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,

    /// Print Markdown tables, to paste into an issue or a README
    #[arg(long)]
    pub markdown: bool,
}

/// The `--tunnel` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TunnelProgram {
    /// cloudflared's quick tunnel (`cloudflared tunnel --url`): no account
    Cloudflared,
    /// ngrok (`ngrok http PORT`): needs its authtoken set up once
    Ngrok,
}

/// The `--only` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Only {
    /// Deliveries whose signature listen found valid
    Valid,
    /// Deliveries listen refused
    Refused,
    /// Deliveries the app answered other than 2xx, or did not answer
    Failed,
}

/// Reads a moment: an RFC 3339 time, or a duration before now.
fn parse_moment(text: &str) -> Result<jiff::Timestamp, String> {
    if let Ok(moment) = text.parse::<jiff::Timestamp>() {
        return Ok(moment);
    }
    let ago = crate::duration::parse(text).map_err(|_| {
        format!("expected an RFC 3339 time (2026-12-05T10:00:00Z) or a duration ago (2h), found '{text}'")
    })?;
    jiff::SignedDuration::try_from(ago)
        .ok()
        .and_then(|ago| jiff::Timestamp::now().checked_sub(ago).ok())
        .ok_or_else(|| format!("'{text}' ago is before any time gpwh can write"))
}

/// Reads a size: bytes, or a number with K or M (powers of 1024), with or
/// without a trailing B or iB.
/// A body limit: a size, at most [`crate::size::MAX_BODY`]. A larger body is
/// refused by verification anyway, and facts and replay read a log's lines
/// only as long as listen writes them with bodies up to that size.
fn parse_body_size(text: &str) -> Result<usize, String> {
    let size = parse_size(text)?;
    if size > crate::size::MAX_BODY {
        return Err(format!(
            "{} is past the largest body gpwh verifies, {}: GamePush's bodies are a few KB",
            crate::size::human(size),
            crate::size::human(crate::size::MAX_BODY)
        ));
    }
    Ok(size)
}

fn parse_size(text: &str) -> Result<usize, String> {
    let expected = || format!("expected a size such as 1048576, 512K or 1M, found '{text}'");
    let upper = text.trim().to_ascii_uppercase();
    let number = upper.trim_end_matches("IB").trim_end_matches('B');
    let (digits, scale) = match number.chars().last() {
        Some('K') => (&number[..number.len() - 1], 1 << 10),
        Some('M') => (&number[..number.len() - 1], 1 << 20),
        _ => (number, 1),
    };
    let value: usize = digits.parse().map_err(|_| expected())?;
    value
        .checked_mul(scale)
        .filter(|&n| n > 0)
        .ok_or_else(expected)
}

/// The `--encoding` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingChoice {
    /// 64 lowercase hex digits
    Hex,
    /// Standard base64 with padding
    Base64,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Show this event in detail: its result type and an example payload
    /// (any letter case)
    #[arg(value_name = "NAME", value_parser = EventName, hide_possible_values = true)]
    pub name: Option<String>,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: Shell,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::{Cli, parse_body_size, parse_header, parse_size, parse_timeout, parse_ui_addr};

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn reads_sizes() {
        for (text, size) in [
            ("1048576", 1 << 20),
            ("512K", 512 << 10),
            ("1M", 1 << 20),
            ("1MiB", 1 << 20),
            ("2kb", 2048),
        ] {
            assert_eq!(parse_size(text), Ok(size), "{text}");
        }
        for text in ["", "0", "1G", "M", "-1K", "1.5M"] {
            assert!(parse_size(text).is_err(), "{text}");
        }
    }

    #[test]
    fn a_body_limit_stops_at_the_largest_body_gpwh_verifies() {
        assert_eq!(parse_body_size("16M"), Ok(crate::size::MAX_BODY));
        let past = parse_body_size("17M").unwrap_err();
        assert!(
            past.contains("past the largest body gpwh verifies, 16 MiB"),
            "{past}"
        );
    }

    #[test]
    fn reads_inspector_addresses() {
        assert_eq!(
            parse_ui_addr("localhost:0"),
            Ok("127.0.0.1:0".parse().unwrap())
        );
        assert_eq!(
            parse_ui_addr("[::1]:9000"),
            Ok("[::1]:9000".parse().unwrap())
        );
        assert!(
            parse_ui_addr("example.com:80")
                .unwrap_err()
                .contains("127.0.0.1:8788")
        );
        assert!(parse_ui_addr("localhost:x").is_err());
    }

    #[test]
    fn a_timeout_is_more_than_nothing() {
        assert_eq!(parse_timeout("3"), Ok(std::time::Duration::from_secs(3)));
        assert!(parse_timeout("0").unwrap_err().contains("longer than 0s"));
        assert!(parse_timeout("0s").is_err());
    }

    #[test]
    fn reads_headers() {
        assert_eq!(
            parse_header("X-Test:  a: b "),
            Ok(("X-Test".into(), "a: b".into()))
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("bad name: 1").is_err());
        assert!(parse_header(": empty").is_err());
    }
}
