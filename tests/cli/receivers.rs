//! Every recipe of `examples/receivers/receivers.toml`, graded as a user's
//! handler is: its setup (npm ci, a virtualenv, go build) once, and again
//! only when one of its files changes; its start command on a free port;
//! then `gpwh probe --all-events --strict`, which must exit 0; the valid
//! body with every Content-Type GamePush might send and chunked, which must
//! be accepted; a GET and a body that is no webhook, which must get 4xx;
//! and a valid body while 20 clients hang halfway and 20 sit idle. Then
//! the contract that loses no purchase whatever GamePush turns out to do:
//! the digest in every form, a body an hour old accepted and one 30 days
//! old refused (with the recipe's default window), and each delivery
//! handled once, counted by the `delivery KEY: handled` lines the recipe
//! logs. And hostile clients: a 100 MiB body, declared or chunked, must be
//! refused without the recipe's memory growing 64 MiB, and a client sending
//! a byte every 5 s must be cut off within 40 s (every recipe but one whose
//! start command is a development server, which says why in the manifest;
//! receiver.php is then checked under php-cgi). Node.js, npm, Python's
//! venv, Go, a JDK, PHP and php-cgi are required:
//! `.ci/run` installs any the machine lacks, and a missing one fails the
//! test, never skips it.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use gpwh_webhooks::{Event, Secret, SignatureEncoding};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest as _, Sha256};

use crate::databases::Database;
use crate::support::{announced_port, gpwh, repo, stdout};

/// The key the recipes are started with and probed with.
pub const SECRET: &str = "recipe-secret-5c1d";

/// How many recipes are set up and probed at once.
const AT_ONCE: usize = 3;

#[derive(Debug, Deserialize)]
struct Manifest {
    receiver: Vec<Recipe>,
}

/// One entry of the manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    pub name: String,
    language: String,
    framework: String,
    dir: String,
    /// What a user runs once, with the packages from their registries.
    setup: String,
    /// What the tests run instead, when the recipe depends on a package of
    /// this repository that is not on its registry yet: the same install,
    /// of the packed files [`webhook_packages`] builds, named by
    /// `GPWH_WEBHOOKS_NPM` and `GPWH_WEBHOOKS_WHEEL`.
    #[serde(default)]
    test_setup: Option<String>,
    pub start: String,
    pub path: String,
    mistake: String,
    /// The Debian packages the recipe needs, which `.ci/run` installs.
    packages: Vec<String>,
    /// Files and folders outside the recipe's own that its setup builds
    /// from (relative to its folder), so that a change there sets it up
    /// again.
    #[serde(default)]
    builds_from: Vec<String>,
    /// Why the start command is a development server that cannot hold
    /// against hostile clients, when it is one.
    #[serde(default)]
    development_server: Option<String>,
}

impl Recipe {
    fn dir(&self) -> PathBuf {
        receivers().join(&self.dir)
    }
}

fn receivers() -> PathBuf {
    repo().join("examples/receivers")
}

pub fn manifest() -> Vec<Recipe> {
    let text = std::fs::read_to_string(receivers().join("receivers.toml")).unwrap();
    toml::from_str::<Manifest>(&text)
        .unwrap_or_else(|e| panic!("receivers.toml: {e}"))
        .receiver
}

fn recipe(name: &str) -> Recipe {
    manifest()
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no recipe {name} in receivers.toml"))
}

/// Sets up the recipe `name` (its drivers: npm ci, a virtualenv), for the
/// tests that run one of its files themselves.
pub fn set_up_recipe(name: &str) {
    set_up(&recipe(name)).unwrap_or_else(|why| panic!("{why}"));
}

/// Runs the recipe's setup unless its stamp says it ran on these very files.
/// One setup of a recipe at a time in this process.
pub fn set_up(recipe: &Recipe) -> Result<(), String> {
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<Mutex<()>>>>> = OnceLock::new();
    let lock = LOCKS
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry(recipe.name.clone())
        .or_default()
        .clone();
    let _held = lock.lock().unwrap();
    let setup = recipe.test_setup.as_ref().unwrap_or(&recipe.setup);
    if setup.is_empty() {
        return Ok(());
    }
    let packages = match recipe.test_setup {
        Some(_) => Some(webhook_packages().map_err(|why| format!("{}: {why}", recipe.name))?),
        None => None,
    };
    let dir = recipe.dir();
    let stamp = dir.join(".gpwh-setup");
    let fingerprint = fingerprint(recipe, packages);
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == fingerprint) {
        return Ok(());
    }
    let mut command = Command::new("sh");
    command
        .args(["-c", setup])
        .current_dir(&dir)
        .stdin(Stdio::null());
    if let Some(packages) = packages {
        command
            .env("GPWH_WEBHOOKS_NPM", &packages.npm)
            .env("GPWH_WEBHOOKS_WHEEL", &packages.wheel);
    }
    let output = command
        .output()
        .map_err(|e| format!("{}: cannot run sh: {e}", recipe.name))?;
    if !output.status.success() {
        return Err(format!(
            "{}: setup `{setup}` failed ({}): {}{} (.ci/run installs what it needs)",
            recipe.name,
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    std::fs::write(&stamp, fingerprint).map_err(|e| e.to_string())?;
    Ok(())
}

/// The packed `@gpwh/webhooks` and the `gpwh-webhooks` wheel, as the
/// registries will have them.
pub struct WebhookPackages {
    pub npm: PathBuf,
    pub wheel: PathBuf,
}

/// Builds the two webhook packages once per test run, with
/// `packaging/webhooks.py`, into `target/webhooks`.
pub fn webhook_packages() -> Result<&'static WebhookPackages, String> {
    static BUILT: OnceLock<Result<WebhookPackages, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let out = repo().join("target/webhooks");
            let output = Command::new("python3")
                .arg(repo().join("packaging/webhooks.py"))
                .arg(&out)
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run python3 packaging/webhooks.py: {e}"))?;
            if !output.status.success() {
                return Err(format!(
                    "packaging/webhooks.py failed ({}): {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            let built = String::from_utf8_lossy(&output.stdout);
            let named = |end: &str| {
                built
                    .lines()
                    .find(|line| line.ends_with(end))
                    .map(PathBuf::from)
                    .ok_or_else(|| format!("packaging/webhooks.py made no {end}: {built}"))
            };
            Ok(WebhookPackages {
                npm: named(".tgz")?,
                wheel: named(".whl")?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The setup command, every file at the top of the recipe with an
/// extension (sources, manifests, lock files; not what setup builds, which
/// is a folder or has none), every file under what the recipe's
/// `builds_from` names, and the webhook packages it installs, hashed.
fn fingerprint(recipe: &Recipe, packages: Option<&WebhookPackages>) -> String {
    let dir = recipe.dir();
    let mut hash = Sha256::new();
    hash.update(top_files(
        &dir,
        recipe.test_setup.as_ref().unwrap_or(&recipe.setup),
    ));
    for package in packages.iter().flat_map(|p| [&p.npm, &p.wheel]) {
        hash.update(std::fs::read(package).unwrap());
    }
    for outside in &recipe.builds_from {
        let mut files = Vec::new();
        files_under(&dir.join(outside), &mut files);
        files.sort();
        for file in files {
            hash.update(file.as_os_str().as_encoded_bytes());
            hash.update(std::fs::read(&file).unwrap());
        }
    }
    hex::encode(hash.finalize())
}

/// Every file under `path` (itself, if it is one).
fn files_under(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            files_under(&entry.unwrap().path(), files);
        }
    } else if path.is_file() {
        files.push(path.to_owned());
    }
}

/// The setup command and the files at the top of `dir`, hashed.
fn top_files(dir: &Path, setup: &str) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.extension().is_some())
        // The recipe's default database, which every run writes to.
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("gamepush.sqlite3"))
        })
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    hash.update(setup.as_bytes());
    for file in files {
        hash.update(file.file_name().unwrap().as_encoded_bytes());
        hash.update(std::fs::read(&file).unwrap());
    }
    hex::encode(hash.finalize())
}

/// A started recipe, killed when dropped.
pub struct Running {
    child: Child,
    url: String,
    pub port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Running {
    /// Starts the recipe on port 0 with its own database (unset
    /// `DATABASE_URL`: the recipe's default) and window, and waits for it to
    /// say which port it took (every recipe prints its address when it
    /// listens).
    pub fn start(recipe: &Recipe, start: &str) -> Result<Running, String> {
        Running::with(recipe, start, &[])
    }

    /// As [`Running::start`], with `env` set too.
    pub fn with(recipe: &Recipe, start: &str, env: &[(&str, &str)]) -> Result<Running, String> {
        let scratch = tempfile::tempdir().unwrap();
        let log = scratch.path().join("server.log");
        let file = std::fs::File::create(&log).unwrap();
        let mut child = Command::new("sh")
            // exec: the server is the child, and the kill reaches it.
            .args(["-c", &format!("exec {start}")])
            .current_dir(recipe.dir())
            .env("PORT", "0")
            .env("HOST", "127.0.0.1")
            .env("GPWH_SECRET", SECRET)
            // Each recipe's own window and database, its defaults, are
            // under test unless `env` says otherwise.
            .env_remove("MAX_AGE_SECONDS")
            .env_remove("DATABASE_URL")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .map_err(|e| format!("{}: cannot start `{start}`: {e}", recipe.name))?;
        let started = Instant::now();
        let port = loop {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(port) = announced_port(&log) {
                break port;
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!(
                    "{}: `{start}` ended ({status}):\n{log}",
                    recipe.name
                ));
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err(format!(
                    "{}: `{start}` did not say where it listens within 120 s:\n{log}",
                    recipe.name
                ));
            }
            thread::sleep(Duration::from_millis(50));
        };
        Ok(Running {
            child,
            url: format!("http://127.0.0.1:{port}{}", recipe.path),
            port,
            log,
            _dir: scratch,
        })
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills the recipe with SIGKILL, as a crash or `kill -9` does: no
    /// handler of its own runs.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// How many times the recipe says it handled the delivery `key`.
    pub fn handled(&self, key: &str) -> usize {
        let line = format!("delivery {key}: handled");
        self.log()
            .lines()
            .filter(|l| l.trim_end().ends_with(&line))
            .count()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `gpwh probe --all-events --strict`, waiting for the server to come up;
/// the exit code and what it printed.
fn probe(url: &str) -> (i32, String) {
    let output = gpwh()
        .args(["probe", "--all-events", "--strict", "--wait", "120s"])
        .args(["--secret", SECRET, url])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// A valid body, signed now.
fn valid_body() -> String {
    let time = jiff::Timestamp::now().to_string();
    let json = format!(
        r#"{{"projectId":1,"event":"GivePlayerReward","time":"{time}","player":{{"id":7}},"result":{{"reward":"gold"}}}}"#
    );
    gpwh_webhooks::sign(
        json.as_bytes(),
        &Secret::from(SECRET),
        SignatureEncoding::Hex,
    )
}

/// How a body's digest is written.
#[derive(Debug, Clone, Copy)]
pub enum Form {
    LowerHex,
    UpperHex,
    /// Standard alphabet, `=` padded, with a `+` or `/` in it.
    Base64,
    /// URL-safe alphabet, unpadded, with a `-` or `_` in it.
    Base64UrlUnpadded,
}

pub const FORMS: [Form; 4] = [
    Form::LowerHex,
    Form::UpperHex,
    Form::Base64,
    Form::Base64UrlUnpadded,
];

/// A body signed with the recipes' key whose digest is written as `form`:
/// `payload` gains a `nonce` field, counted up until the base64 forms hold
/// a character of their own alphabet, so that the alphabet is what is
/// tested.
pub fn signed_as(payload: &serde_json::Value, form: Form) -> String {
    for nonce in 0u32.. {
        let mut payload = payload.clone();
        payload["nonce"] = json!(nonce);
        let json = serde_json::to_vec(&payload).unwrap();
        let body = gpwh_webhooks::sign(&json, &Secret::from(SECRET), SignatureEncoding::Hex);
        let (part, hex_digest) = body.rsplit_once('.').unwrap();
        let digest = hex::decode(hex_digest).unwrap();
        let signature = match form {
            Form::LowerHex => hex_digest.to_owned(),
            Form::UpperHex => hex_digest.to_ascii_uppercase(),
            Form::Base64 => STANDARD.encode(&digest),
            Form::Base64UrlUnpadded => URL_SAFE_NO_PAD.encode(&digest),
        };
        let own_alphabet = match form {
            Form::LowerHex | Form::UpperHex => true,
            Form::Base64 => signature.contains(['+', '/']),
            Form::Base64UrlUnpadded => signature.contains(['-', '_']),
        };
        if own_alphabet {
            return format!("{part}.{signature}");
        }
    }
    unreachable!("some nonce gives every alphabet")
}

/// The template of `event`, its time `age` ago.
pub fn payload(event: &str, age: SignedDuration) -> serde_json::Value {
    let time = Timestamp::now() - age;
    Event::find(event).unwrap().template(&time.to_string())
}

/// A purchase whose `_id` is `id`, its time `age` ago.
pub fn purchase(id: &str, age: SignedDuration) -> serde_json::Value {
    let mut payload = payload("PurchasePlayerPurchase", age);
    payload["result"]["purchase"]["_id"] = json!(id);
    payload
}

/// The key a recipe gives a body that is no purchase: `sha256:` and the
/// digest of its decoded payload (docs/exactly-once.md), computed here
/// apart from the recipes.
pub fn payload_key(body: &str) -> String {
    let (part, _) = body.rsplit_once('.').unwrap();
    let json = STANDARD
        .decode(part)
        .or_else(|_| URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')))
        .unwrap();
    format!("sha256:{}", hex::encode(Sha256::digest(json)))
}

/// The contract that loses no purchase, whatever GamePush turns out to do.
fn keeps_every_purchase_once(recipe: &Recipe, server: &Running) -> Result<(), String> {
    let send = |body: &str| post(server.port, &recipe.path, body, Some("text/plain"), false);
    let accepted = |status: u16| (200..300).contains(&status);
    let fail = |what: String| {
        Err(format!(
            "{}: {what}\nserver log:\n{}",
            recipe.name,
            server.log()
        ))
    };
    // A distinct id per run, so that earlier runs do not count.
    let run = format!(
        "{}-{}",
        std::process::id(),
        Timestamp::now().as_nanosecond()
    );

    for form in FORMS {
        let body = signed_as(&payload("GivePlayerReward", SignedDuration::ZERO), form);
        let status = send(&body);
        if !accepted(status) {
            return fail(format!(
                "a valid body with its digest as {form:?} was answered {status}"
            ));
        }
    }
    let status = send(&signed_as(
        &payload("GivePlayerReward", SignedDuration::from_hours(1)),
        Form::LowerHex,
    ));
    if !accepted(status) {
        return fail(format!(
            "a valid body one hour old, as a delivery repeated after downtime, was answered {status}"
        ));
    }
    let status = send(&signed_as(
        &payload("GivePlayerReward", SignedDuration::from_hours(30 * 24)),
        Form::LowerHex,
    ));
    if !(400..500).contains(&status) {
        return fail(format!(
            "a valid body 30 days old was answered {status}, not 4xx"
        ));
    }

    // The same body twice: accepted twice, handled once.
    let body = signed_as(
        &payload("GivePlayerReward", SignedDuration::ZERO),
        Form::LowerHex,
    );
    let statuses = [send(&body), send(&body)];
    let key = payload_key(&body);
    if !statuses.iter().all(|&s| accepted(s)) || server.handled(&key) != 1 {
        return fail(format!(
            "the same body twice was answered {statuses:?} and handled {} times (key {key}): 2xx twice, handled once",
            server.handled(&key)
        ));
    }

    // One purchase in two bodies (another time, another digest form):
    // handled once. Another purchase: handled too.
    let first = format!("first-{run}");
    let second = format!("second-{run}");
    let statuses = [
        send(&signed_as(
            &purchase(&first, SignedDuration::ZERO),
            Form::LowerHex,
        )),
        send(&signed_as(
            &purchase(&first, SignedDuration::from_secs(1)),
            Form::Base64,
        )),
        send(&signed_as(
            &purchase(&second, SignedDuration::ZERO),
            Form::LowerHex,
        )),
    ];
    let keys = [first, second].map(|id| format!("PurchasePlayerPurchase:{id}"));
    let counts = keys.clone().map(|key| server.handled(&key));
    if !statuses.iter().all(|&s| accepted(s)) || counts != [1, 1] {
        return fail(format!(
            "two bodies of one purchase and a body of another were answered {statuses:?} and the purchases handled {counts:?} times: 2xx each, handled once each"
        ));
    }
    // With DATABASE_URL unset, the keys and grants are in
    // ./gamepush.sqlite3.
    let default = Database::Sqlite {
        path: recipe.dir().join("gamepush.sqlite3"),
    };
    for key in &keys {
        let rows = default.rows(key);
        if rows != (1, 1) {
            return fail(format!(
                "with DATABASE_URL unset, gamepush.sqlite3 in the recipe's folder holds {} key rows and {} grants of {key}: one of each",
                rows.0, rows.1
            ));
        }
    }
    Ok(())
}

/// The ways a valid body is labelled and framed, each of which a receiver
/// must accept: GamePush documents no Content-Type.
const FRAMINGS: [(&str, Option<&str>, bool); 5] = [
    ("no Content-Type", None, false),
    ("text/plain", Some("text/plain; charset=utf-8"), false),
    ("application/json", Some("application/json"), false),
    ("a form", Some("application/x-www-form-urlencoded"), false),
    ("chunked JSON", Some("application/json"), true),
];

/// POSTs `body` over a plain socket, labelled and framed as asked; the
/// status of the answer, 0 for none.
pub fn post(port: u16, path: &str, body: &str, content_type: Option<&str>, chunked: bool) -> u16 {
    let mut request =
        format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if let Some(content_type) = content_type {
        request.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    if chunked {
        let (first, second) = body.split_at(body.len() / 2);
        request.push_str(&format!(
            "Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{first}\r\n{:x}\r\n{second}\r\n0\r\n\r\n",
            first.len(),
            second.len()
        ));
    } else {
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    }
    exchange(port, &request)
}

/// `count` connections that sent half a request and stopped, and `count`
/// that sent nothing: held open until dropped.
fn stall(port: u16, path: &str, count: usize) -> Vec<TcpStream> {
    let mut held = Vec::with_capacity(2 * count);
    for _ in 0..count {
        let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
        half.write_all(
            format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\nabc")
                .as_bytes(),
        )
        .unwrap();
        held.push(half);
        held.push(TcpStream::connect(("127.0.0.1", port)).unwrap());
    }
    held
}

/// Sends `request` as it is; the status of the answer, or 0 when no HTTP
/// answer came back within 30 s.
fn exchange(port: u16, request: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    answer
        .get(9..12)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0)
}

/// Sets up, starts and grades one recipe; why it failed, if it did.
fn grade(recipe: &Recipe) -> Result<(), String> {
    set_up(recipe)?;
    let server = Running::start(recipe, &recipe.start)?;
    let (code, report) = probe(&server.url);
    if code != 0 {
        return Err(format!(
            "{} ({}): probe exited {code}:\n{report}\nserver log:\n{}",
            recipe.name,
            recipe.framework,
            server.log()
        ));
    }
    // Bad input is the sender's fault: 4xx, never 5xx.
    let junk = post(
        server.port,
        &recipe.path,
        "not.a.webhook",
        Some("text/plain"),
        false,
    );
    let get = exchange(
        server.port,
        &format!(
            "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            recipe.path, server.port
        ),
    );
    if !(400..500).contains(&junk) || !(400..500).contains(&get) {
        return Err(format!(
            "{}: a body that is no webhook was answered {junk}, and a GET {get}: both must be 4xx",
            recipe.name
        ));
    }
    // Clients that stop halfway, and others that send nothing, must not
    // keep a valid body from being answered.
    let stalled = stall(server.port, &recipe.path, 20);
    let status = post(
        server.port,
        &recipe.path,
        &valid_body(),
        Some("text/plain"),
        false,
    );
    drop(stalled);
    if !(200..300).contains(&status) {
        return Err(format!(
            "{}: with 20 clients stopped halfway and 20 idle, a valid body was answered {status} (0: not within 30 s)\nserver log:\n{}",
            recipe.name,
            server.log()
        ));
    }
    keeps_every_purchase_once(recipe, &server)?;
    for (label, content_type, chunked) in FRAMINGS {
        let status = post(
            server.port,
            &recipe.path,
            &valid_body(),
            content_type,
            chunked,
        );
        if !(200..300).contains(&status) {
            return Err(format!(
                "{}: a valid body as {label} was answered {status}\nserver log:\n{}",
                recipe.name,
                server.log()
            ));
        }
    }
    Ok(())
}

#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Node.js, npm, Python's venv, Go, a JDK, PHP and php-cgi: GPWH_TEST_ALL=1 runs it"
)]
fn every_recipe_passes_probe_and_takes_every_content_type() {
    for_every_recipe(AT_ONCE, grade);
}

/// Runs `check` on every recipe of the manifest, `at_once` of them side by
/// side, and fails with every recipe's failure together.
///
/// `GPWH_RECIPES=go,php` limits the run to those recipes, to work on one.
pub fn for_every_recipe(at_once: usize, check: impl Fn(&Recipe) -> Result<(), String> + Sync) {
    let mut recipes = manifest();
    if let Ok(only) = std::env::var("GPWH_RECIPES") {
        recipes.retain(|recipe| only.split(',').any(|name| name == recipe.name));
        eprintln!("GPWH_RECIPES: only {only}");
    }
    let failures = Mutex::new(Vec::new());
    // `at_once` workers, each taking the next recipe as it is done with one.
    let next = std::sync::atomic::AtomicUsize::new(0);
    thread::scope(|scope| {
        for _ in 0..at_once.min(recipes.len()) {
            scope.spawn(|| {
                while let Some(recipe) =
                    recipes.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    if let Err(why) = check(recipe) {
                        failures.lock().unwrap().push(why);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Node.js, npm, Python's venv, Go, a JDK, PHP and php-cgi: GPWH_TEST_ALL=1 runs it"
)]
fn express_json_in_front_fails_the_valid_body() {
    let express = recipe("express");
    set_up(&express).unwrap();
    let script = repo().join("tests/handlers/express-json.mjs");
    let mistake = Running::start(&express, &format!("node {}", script.display())).unwrap();
    let output = gpwh()
        .args(["probe", "--wait", "60s", "--json", "--secret", SECRET])
        .arg(&mistake.url)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", mistake.log());
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let valid = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|case| case["name"] == "valid-body")
        .unwrap();
    assert_eq!(valid["grade"], "fail", "{report}");
    assert_eq!(valid["status"], 400, "{report}");
}

#[test]
fn the_manifest_names_every_recipe_once_and_the_readme_lists_each() {
    let recipes = manifest();
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut names: Vec<&str> = recipes.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), recipes.len(), "a name is used twice");
    for recipe in &recipes {
        assert!(
            recipe
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            recipe.name
        );
        assert!(
            recipe.dir().is_dir(),
            "{}: no folder {}",
            recipe.name,
            recipe.dir
        );
        assert!(recipe.path.starts_with('/'), "{}: path", recipe.name);
        assert!(!recipe.language.is_empty() && !recipe.framework.is_empty());
        let link = format!("(examples/receivers/{}/)", recipe.dir);
        let row = readme
            .lines()
            .find(|line| line.starts_with('|') && line.contains(&link))
            .unwrap_or_else(|| panic!("README.md has no row linking {link}"));
        assert!(
            row.contains(&recipe.mistake),
            "README.md's row for {} does not name its mistake, {:?}",
            recipe.name,
            recipe.mistake
        );
    }
    // Every folder is in the manifest.
    for entry in std::fs::read_dir(receivers()).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            let dir = entry.file_name().to_string_lossy().into_owned();
            assert!(
                recipes.iter().any(|r| r.dir == dir),
                "examples/receivers/{dir} is not in receivers.toml"
            );
        }
    }
}

/// What `.ci/run` installs from the manifest is there: a recipe that
/// needs a package the manifest does not name fails on a clean machine.
#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs the Debian packages receivers.toml names: GPWH_TEST_ALL=1 runs it"
)]
fn every_package_a_recipe_names_is_installed() {
    for recipe in manifest() {
        for package in &recipe.packages {
            let status = Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", package])
                .output()
                .expect("dpkg-query: Debian's packages are how recipes get theirs");
            assert!(
                String::from_utf8_lossy(&status.stdout).ends_with("ok installed"),
                "{}: Debian's {package} is not installed (.ci/run installs what receivers.toml names)",
                recipe.name
            );
        }
    }
}

/// The JavaScript and Python recipes verify through the packages, pinned to
/// this release's version, and carry no verifier of their own: a fix to the
/// packages reaches every one of them.
#[test]
fn the_javascript_and_python_recipes_depend_on_the_packages_of_this_release() {
    let version = env!("CARGO_PKG_VERSION");
    let json = |path: PathBuf| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let package = json(repo().join("packages/javascript/package.json"));
    assert_eq!(package["name"], "@gpwh/webhooks");
    assert_eq!(
        package["version"], version,
        "packages/javascript/package.json"
    );
    let pyproject = std::fs::read_to_string(repo().join("packages/python/pyproject.toml")).unwrap();
    let pyproject: toml::Table = toml::from_str(&pyproject).unwrap();
    assert_eq!(pyproject["project"]["name"].as_str(), Some("gpwh-webhooks"));
    assert_eq!(
        pyproject["project"]["version"].as_str(),
        Some(version),
        "packages/python/pyproject.toml"
    );
    // What would betray a verifier written out again: its hash, or the
    // database code the packages hold.
    let verifier_at_work = [
        "createHash",
        "timingSafeEqual",
        "hashlib",
        "hmac",
        "gamepush_deliveries",
    ];
    for (language, dirs) in [
        ("JavaScript", ["node", "express", "fastify", "hono"]),
        ("Python", ["python", "flask", "fastapi", "django"]),
    ] {
        for dir in dirs {
            let recipe = recipe(dir);
            assert!(
                recipe.test_setup.is_some(),
                "{dir}: no test_setup installing the packed package"
            );
            let folder = receivers().join(dir);
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                let source = path
                    .extension()
                    .is_some_and(|e| e == "mjs" || e == "js" || e == "py");
                if !source {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for sign in verifier_at_work {
                    assert!(
                        !text.contains(sign),
                        "{}: {sign}: a recipe verifies through the package",
                        path.display()
                    );
                }
            }
            if language == "JavaScript" {
                let manifest = json(folder.join("package.json"));
                assert_eq!(
                    manifest["dependencies"]["@gpwh/webhooks"], version,
                    "{dir}/package.json"
                );
                let lock = json(folder.join("package-lock.json"));
                assert_eq!(
                    lock["packages"]["node_modules/@gpwh/webhooks"]["version"], version,
                    "{dir}/package-lock.json"
                );
            } else {
                let requirements =
                    std::fs::read_to_string(folder.join("requirements.txt")).unwrap();
                assert!(
                    requirements
                        .lines()
                        .any(|line| line.trim() == format!("gpwh-webhooks=={version}")),
                    "{dir}/requirements.txt does not pin gpwh-webhooks=={version}"
                );
            }
        }
    }
}

/// How much a recipe's memory may grow while it refuses a body past its
/// limit (measured where /proc is: Linux).
#[cfg(target_os = "linux")]
const MEMORY_GROWTH: u64 = 64 << 20;

/// How large a body past every recipe's limit is sent: more than
/// the growth allowed, so a recipe that reads it whole fails.
const HUGE: usize = 100 << 20;

/// How long a client that sends a byte every 5 s may hold a connection.
const CUT_OFF_WITHIN: Duration = Duration::from_secs(40);

/// Peak resident memory of process `pid`, in bytes, since the last
/// [`reset_peak`].
#[cfg(target_os = "linux")]
fn peak_memory(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Sets process `pid`'s peak resident memory back to what it holds now.
#[cfg(target_os = "linux")]
fn reset_peak(pid: u32) {
    // "5" resets the peak (proc(5), /proc/pid/clear_refs).
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();
}

/// Sends [`HUGE`] bytes as one body, declared in its Content-Length or
/// chunked, until the recipe answers or stops reading; how much its peak
/// memory grew meanwhile, and the status (0 for none).
#[cfg(target_os = "linux")]
fn refuses_huge(server: &Running, chunked: bool) -> (u64, u16) {
    let pid = server.child.id();
    reset_peak(pid);
    let before = peak_memory(pid);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let framing = if chunked {
        "Transfer-Encoding: chunked".to_owned()
    } else {
        format!("Content-Length: {HUGE}")
    };
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n{framing}\r\nConnection: close\r\n\r\n",
        server.url.split_once(&server.port.to_string()).unwrap().1
    );
    let _ = stream.write_all(head.as_bytes());
    let piece = vec![b'a'; 1 << 20];
    for _ in 0..HUGE / piece.len() {
        let sent = if chunked {
            stream
                .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                .and_then(|()| stream.write_all(&piece))
                .and_then(|()| stream.write_all(b"\r\n"))
        } else {
            stream.write_all(&piece)
        };
        if sent.is_err() {
            break;
        }
    }
    if chunked {
        let _ = stream.write_all(b"0\r\n\r\n");
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let status = String::from_utf8_lossy(&answer)
        .get(9..12)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0);
    (peak_memory(pid).saturating_sub(before), status)
}

/// Sends a request a byte every 5 s; whether the recipe closed the
/// connection within [`CUT_OFF_WITHIN`].
fn cuts_off_a_trickle(server: &Running) -> bool {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n{}",
        "a".repeat(100_000)
    );
    let started = std::time::Instant::now();
    for byte in request.bytes() {
        if stream.write_all(&[byte]).is_err() || closed(&stream) {
            return true;
        }
        if started.elapsed() > CUT_OFF_WITHIN {
            return false;
        }
        thread::sleep(Duration::from_secs(5));
    }
    false
}

/// Whether the other end has closed `stream` (or answered and is closing).
fn closed(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0];
    let closed = match stream.peek(&mut byte) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).unwrap();
    closed
}

/// A body past the limit, declared or chunked, is refused without the
/// recipe's memory growing past [`MEMORY_GROWTH`]; a client that sends a
/// byte every 5 s is cut off within [`CUT_OFF_WITHIN`].
fn holds_against_hostile_clients(recipe: &Recipe) -> Result<(), String> {
    if let Some(why) = &recipe.development_server {
        eprintln!("not run for {}: {why}", recipe.name);
        return Ok(());
    }
    set_up(recipe)?;
    let server = Running::start(recipe, &recipe.start)?;
    let (code, report) = probe(&server.url);
    if code != 0 {
        return Err(format!("{}: probe exited {code}:\n{report}", recipe.name));
    }
    let trickle = thread::scope(|scope| {
        let trickle = scope.spawn(|| cuts_off_a_trickle(&server));
        #[cfg(target_os = "linux")]
        for chunked in [false, true] {
            let (grew, status) = refuses_huge(&server, chunked);
            let framing = if chunked {
                "chunked"
            } else {
                "with its Content-Length"
            };
            if grew > MEMORY_GROWTH || (status != 0 && !(400..500).contains(&status)) {
                return Err(format!(
                    "{}: a body of {} MiB {framing} was answered {status} (0: none) and its memory grew {} MiB (at most {} MiB)",
                    recipe.name,
                    HUGE >> 20,
                    grew >> 20,
                    MEMORY_GROWTH >> 20
                ));
            }
        }
        Ok::<_, String>(trickle.join().unwrap())
    })?;
    if !trickle {
        return Err(format!(
            "{}: a client sending a byte every 5 s still held its connection after {} s",
            recipe.name,
            CUT_OFF_WITHIN.as_secs()
        ));
    }
    Ok(())
}

#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Node.js, npm, Python's venv, Go, a JDK, PHP and php-cgi: GPWH_TEST_ALL=1 runs it"
)]
fn every_recipe_holds_against_huge_bodies_and_trickling_clients() {
    // All at once: each waits out a slow client for most of a minute.
    for_every_recipe(usize::MAX, holds_against_hostile_clients);
}

/// receiver.php under php-cgi, the SAPI that PHP-FPM shares: a body
/// declared past the limit is refused without being read, so PHP's memory
/// stays small. (`php -S` reads every request whole before any script
/// runs; see the manifest's development_server.)
#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Node.js, npm, Python's venv, Go, a JDK, PHP and php-cgi: GPWH_TEST_ALL=1 runs it"
)]
fn php_refuses_a_declared_huge_body_without_reading_it() {
    let scratch = tempfile::tempdir().unwrap();
    let script = recipe("php").dir().join("receiver.php");
    // php-cgi does not report its peak memory; Python's getrusage does.
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import resource, subprocess, sys\n\
             out = subprocess.run(sys.argv[1:], capture_output=True).stdout\n\
             sys.stdout.buffer.write(out)\n\
             print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)",
            "php-cgi",
        ])
        .env("REDIRECT_STATUS", "1")
        .env("REQUEST_METHOD", "POST")
        .env("SCRIPT_FILENAME", &script)
        .env("CONTENT_TYPE", "text/plain")
        .env("CONTENT_LENGTH", HUGE.to_string())
        .env("GPWH_SECRET", SECRET)
        .env(
            "DATABASE_URL",
            format!(
                "sqlite:{}",
                scratch.path().join("deliveries.sqlite3").display()
            ),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 and php-cgi are needed (.ci/run installs them)");
    let mut stdin = child.stdin.take().unwrap();
    let writer = thread::spawn(move || {
        let piece = vec![b'a'; 64 << 10];
        let mut taken = 0;
        while taken < HUGE && stdin.write_all(&piece).is_ok() {
            taken += piece.len();
        }
        taken
    });
    let output = child.wait_with_output().unwrap();
    let taken = writer.join().unwrap();
    let answer = String::from_utf8_lossy(&output.stdout);
    let peak_kib: u64 = String::from_utf8_lossy(&output.stderr)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    assert!(answer.starts_with("Status: 413"), "{answer}");
    assert!(answer.contains("body too large"), "{answer}");
    // PHP reads and discards what a script left unread, so all of it went.
    assert_eq!(taken, HUGE);
    assert!(peak_kib < 64 << 10, "php-cgi peaked at {peak_kib} KiB");
}

/// What `gpwh send` printed of a recipe's answer to a forged purchase.
fn sent_purchase(server: &Running, extra: &[&str]) -> String {
    let output = gpwh()
        .args(["send", &server.url, "--event", "PurchasePlayerPurchase"])
        .args(extra)
        .env("GPWH_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}\n{}", server.log());
    stdout(&output).trim().to_owned()
}

/// A developer trying their receiver sends a test purchase, then another:
/// each must be a new purchase that the receiver grants, not a repeat of
/// the template's that it answers "already handled".
#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Node.js and npm for the recipe: GPWH_TEST_ALL=1 runs it"
)]
fn two_purchases_gpwh_forges_are_two_purchases_at_a_recipe() {
    let recipe = manifest().into_iter().find(|r| r.name == "node").unwrap();
    set_up(&recipe).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}", scratch.path().join("keys.sqlite3").display());
    let server = Running::with(&recipe, &recipe.start, &[("DATABASE_URL", &database)]).unwrap();
    assert_eq!(sent_purchase(&server, &[]), "ok");
    assert_eq!(sent_purchase(&server, &[]), "ok");
    assert_eq!(
        server.log().matches(": handled").count(),
        2,
        "{}",
        server.log()
    );
    // A fixed time is the same body, and the same purchase, on every run.
    let time = (Timestamp::now() - SignedDuration::from_mins(1)).to_string();
    let fixed = ["--time", time.as_str()];
    assert_eq!(sent_purchase(&server, &fixed), "ok");
    assert_eq!(sent_purchase(&server, &fixed), "already handled");
}
