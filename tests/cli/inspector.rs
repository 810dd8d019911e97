//! The inspector as a person uses it: `gpwh listen --ui` with a real
//! headless Chromium driven through WebDriver (Debian's `chromium` and
//! `chromium-driver`, which `.ci/run` installs). Deliveries go in from the
//! outside with `gpwh send` and curl; the test reads the page, clicks what a
//! person clicks, and checks what the browser received and logged.
//!
//! A missing browser or driver fails these tests, never skips them; they
//! run with GPWH_TEST_ALL=1 (build.rs), and are ignored by name without it.
//! Unix only: Chromium and its driver are taken from Debian's paths, in a
//! process group of their own.
#![cfg(unix)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::{
    PATIENCE, app, bin, gpwh, interrupt, log_records, repo, send, stderr, stdout, wait_for_records,
};

const SECRET: &str = "inspector-secret-Q7x9";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// `gpwh listen --ui-addr 127.0.0.1:0` and what it printed on stderr.
struct Listen {
    child: Option<Child>,
    receiver: String,
    /// The inspector's origin, without the token.
    inspector: String,
    /// The token its API asks for, from the address listen printed.
    token: String,
    /// The reader of the rest of stderr, which it gives once listen ends.
    stderr: Option<thread::JoinHandle<String>>,
}

impl Listen {
    fn start(args: &[&str]) -> Listen {
        Listen::start_with_env(args, &[])
    }

    /// As [`Listen::start`], with `env` set for listen.
    fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Listen {
        let mut child = Command::new(bin())
            .args([
                "listen",
                "--port",
                "0",
                "--ui-addr",
                "127.0.0.1:0",
                "--json",
            ])
            .args(["--secret", SECRET])
            .args(args)
            .current_dir(repo())
            .env_remove("GPWH_SECRET")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let (mut receiver, mut inspector) = (None, None);
        let mut line = String::new();
        while receiver.is_none() || inspector.is_none() {
            line.clear();
            assert_ne!(lines.read_line(&mut line).unwrap(), 0, "listen exited");
            let url = line.split_whitespace().find(|w| w.starts_with("http://"));
            if line.starts_with("gpwh: listening on ") {
                receiver = url.map(str::to_owned);
            } else if line.starts_with("gpwh: inspector on ") {
                inspector = url.map(str::to_owned);
            }
        }
        let stderr = thread::spawn(move || {
            let mut rest = String::new();
            let _ = lines.read_to_string(&mut rest);
            rest
        });
        let printed = inspector.unwrap();
        let (inspector, token) = printed
            .split_once("/?token=")
            .unwrap_or_else(|| panic!("no token in {printed}"));
        Listen {
            child: Some(child),
            receiver: receiver.unwrap(),
            inspector: inspector.to_owned(),
            token: token.to_owned(),
            stderr: Some(stderr),
        }
    }

    /// The address listen printed for the page, with its token.
    fn page_url(&self) -> String {
        format!("{}/?token={}", self.inspector, self.token)
    }

    /// Ctrl-C; the exit code, stdout, and what stderr said after starting.
    fn stop(mut self) -> (Option<i32>, String, String) {
        let (code, out) = interrupt(self.child.take().unwrap());
        let err = self.stderr.take().unwrap().join().unwrap();
        (code, out, err)
    }
}

impl Drop for Listen {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// chromedriver and a headless Chromium session through it.
struct Browser {
    driver: Child,
    client: Option<Client>,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start() -> Browser {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                std::path::Path::new(program).exists(),
                "{program} is missing: apt-get install chromium chromium-driver (.ci/run does)"
            );
        }
        // Its own process group, with the browsers it starts, so that all
        // of them go when the test ends, even by a failed assertion. On
        // port 0, it says which port it took.
        let mut driver = Command::new(CHROMEDRIVER)
            .process_group(0)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let (said, port) = std::sync::mpsc::channel();
        let out = BufReader::new(driver.stdout.take().unwrap());
        thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                if let Some(rest) = line.split(" started successfully on port ").nth(1) {
                    let _ = said.send(rest.trim_end_matches('.').parse::<u16>());
                }
            }
        });
        let port = port
            .recv_timeout(Duration::from_secs(20))
            .expect("chromedriver says where it listens")
            .expect("a port number");
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--window-size=1280,820",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
            "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" },
        });
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities.as_object().unwrap().clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session starts");
        Browser {
            driver,
            client: Some(client),
            _profile: profile,
        }
    }

    fn page(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    /// The entries of one of chromedriver's logs, `browser` (the console)
    /// or `performance` (every network event), since the last read.
    async fn log(&self, kind: &str) -> Vec<Value> {
        let entries = self
            .page()
            .issue_cmd(GetLog(kind.to_owned()))
            .await
            .expect("chromedriver returns its log");
        entries.as_array().cloned().unwrap_or_default()
    }

    async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // ChromeDriver leads its own process group: Chromium goes with it.
        #[cfg(unix)]
        if let Some(group) = rustix::process::Pid::from_raw(self.driver.id().try_into().unwrap()) {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
        #[cfg(not(unix))]
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// chromedriver's log command, which WebDriver itself does not have.
#[derive(Debug)]
struct GetLog(String);

impl WebDriverCompatibleCommand for GetLog {
    fn endpoint(
        &self,
        base_url: &reqwest::Url,
        session_id: Option<&str>,
    ) -> Result<reqwest::Url, UrlError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &reqwest::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(json!({ "type": self.0 }).to_string()),
        )
    }
}

/// url's parse error, as reqwest's `Url` names it.
type UrlError = <reqwest::Url as std::str::FromStr>::Err;

/// Waits until `check` holds of the page, or fails saying what was awaited.
async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < PATIENCE, "waited too long for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The text of each cell of each row, newest first.
async fn table(page: &Client) -> Vec<Vec<String>> {
    let rows = page
        .execute(
            "return [...document.querySelectorAll('#deliveries tbody tr')]\
             .map(tr => [...tr.cells].map(td => td.textContent));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(rows).unwrap()
}

/// Clicks what `locator` finds, as a person would.
async fn click(page: &Client, locator: Locator<'_>) {
    page.find(locator).await.unwrap().click().await.unwrap();
}

async fn text_of(page: &Client, css: &str) -> String {
    page.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Every method and URL that a document of `origin` asked for, from the
/// performance log (the browser's own start page is not the inspector's
/// doing).
fn requested(performance: &[Value], origin: &str) -> Vec<(String, String)> {
    performance
        .iter()
        .filter_map(|entry| serde_json::from_str::<Value>(entry["message"].as_str()?).ok())
        .filter(|message| message["message"]["method"] == "Network.requestWillBeSent")
        .map(|message| message["message"]["params"].clone())
        .filter(|params| {
            params["documentURL"]
                .as_str()
                .is_some_and(|document| document.starts_with(origin))
        })
        .filter_map(|params| {
            let request = &params["request"];
            Some((
                request["method"].as_str()?.to_owned(),
                request["url"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

/// What an HTTP GET of `url` with the inspector's `token` answers, headers
/// and body, reading for at most a second (the event stream never ends by
/// itself).
fn fetch(url: &str, token: &str) -> String {
    let address = url.trim_start_matches("http://");
    let (host, path) = address.split_once('/').unwrap_or((address, ""));
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nX-Gpwh-Token: {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Chromium and ChromeDriver: GPWH_TEST_ALL=1 runs it"
)]
async fn deliveries_appear_live_open_replay_and_test_events_go_through() {
    let (app_url, app_received) = app("202 Accepted", "the app got it");
    let listen = Listen::start(&["--forward-to", &format!("{app_url}/hooks")]);
    let browser = Browser::start().await;
    let page = browser.page();
    page.goto(&listen.page_url()).await.unwrap();
    until("the live stream", || async {
        text_of(page, "#connection").await == "live"
    })
    .await;
    assert!(table(page).await.is_empty());

    // Three deliveries from outside, while the page is open.
    let hook = format!("{}/webhooks/gamepush", listen.receiver);
    let signed = gpwh()
        .args([
            "sign",
            "--secret",
            SECRET,
            "--event",
            "PurchasePlayerPurchase",
        ])
        .args(["--player-id", "42", "--time", "now"])
        .output()
        .unwrap();
    let body = stdout(&signed);
    let valid = send(&hook, &["--body", &body]);
    assert_eq!(valid.status.code(), Some(0));
    let forged = send(&hook, &["--secret", "not-the-key", "--event", "SyncPlayer"]);
    assert_eq!(forged.status.code(), Some(4));
    let malformed = send(&hook, &["--body", "this is not a webhook"]);
    assert_eq!(malformed.status.code(), Some(4));
    until("three rows", || async { table(page).await.len() == 3 }).await;
    let rows = table(page).await;
    let verdicts: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
    assert_eq!(verdicts, ["malformed", "signature mismatch", "valid"]);
    assert_eq!(rows[2][1..4], ["POST", "/webhooks/gamepush", "202"]);
    assert_eq!(
        (rows[2][5].as_str(), rows[2][6].as_str()),
        ("PurchasePlayerPurchase", "42")
    );
    assert_eq!(
        rows[1][5], "SyncPlayer",
        "the claimed event of a forgery is shown"
    );
    let counts = text_of(page, "#counts").await;
    assert!(
        counts.contains("valid1")
            && counts.contains("signature mismatch1")
            && counts.contains("malformed1"),
        "{counts}"
    );

    // From the keyboard: down from the newest row to the valid one, Enter
    // opens it into its payload, headers and raw body.
    const ARROW_DOWN: &str = "\u{E015}";
    const ENTER: &str = "\u{E007}";
    let newest = page
        .find(Locator::Css("#deliveries tbody tr:first-child"))
        .await
        .unwrap();
    newest.send_keys(ARROW_DOWN).await.unwrap();
    page.active_element()
        .await
        .unwrap()
        .send_keys(ARROW_DOWN)
        .await
        .unwrap();
    let focused = page.active_element().await.unwrap();
    assert_eq!(focused.attr("data-id").await.unwrap().as_deref(), Some("1"));
    focused.send_keys(ENTER).await.unwrap();
    until("the delivery's details", || async {
        text_of(page, "#detail").await.contains("Payload")
    })
    .await;
    let detail = text_of(page, "#detail").await;
    assert!(detail.contains("#1 valid · 202"), "{detail}");
    assert!(!detail.contains("undefined"), "{detail}");
    assert!(
        detail.contains("\"event\": \"PurchasePlayerPurchase\""),
        "{detail}"
    );
    assert!(detail.contains("\"id\": 42"), "{detail}");
    assert!(
        detail.contains("your secret matched; written as hex"),
        "{detail}"
    );
    assert!(detail.contains("the app answered 202"), "{detail}");
    assert!(detail.contains("the app got it"), "{detail}");
    assert!(detail.contains(&body), "the raw body is shown");
    // Objects fold.
    let folded = page
        .execute(
            "const d = document.querySelector('#detail .json details details');\
             d.querySelector('summary').click(); return d.open;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(folded, json!(false));

    // Replay forwards the stored body to the app again: a new row.
    assert_eq!(
        app_received
            .recv_timeout(Duration::from_secs(5))
            .unwrap()
            .head
            .lines()
            .next(),
        Some("POST /hooks HTTP/1.1")
    );
    click(page, Locator::XPath("//button[text()='Replay']")).await;
    until("the replay's row", || async {
        table(page).await.len() == 4
    })
    .await;
    let replayed = &table(page).await[0];
    assert_eq!(replayed[4], "validreplay");
    assert_eq!(replayed[3], "202");
    let again = app_received.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(String::from_utf8(again.body).unwrap(), body);
    until("the replay's result", || async {
        text_of(page, "#detail .result")
            .await
            .starts_with("Replayed as #4: answered 202")
    })
    .await;

    // Send a test event: signed by gpwh, delivered to the listener itself.
    click(page, Locator::Id("open-send")).await;
    until("the template", || async {
        page.find(Locator::Id("send-payload"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .is_some_and(|v| v.contains("GivePlayerReward"))
    })
    .await;
    click(page, Locator::Id("send-go")).await;
    until("the test event's row", || async {
        table(page).await.len() == 5
    })
    .await;
    let test_row = &table(page).await[0];
    assert_eq!(test_row[4], "validtest");
    assert_eq!(test_row[5], "GivePlayerReward");
    assert_eq!(
        text_of(page, "#send-result").await,
        "Delivered: the listener answered 202"
    );
    click(page, Locator::Id("send-close")).await;

    // Filters and search.
    click(page, Locator::Css("#counts button[data-group='mismatch']")).await;
    assert_eq!(table(page).await.len(), 1);
    click(page, Locator::Css("#counts button[data-group='all']")).await;
    page.find(Locator::Id("search"))
        .await
        .unwrap()
        .send_keys("GOLD_100")
        .await
        .unwrap();
    until("the search", || async { table(page).await.len() == 2 }).await;
    page.find(Locator::Id("search"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    page.execute(
        "document.getElementById('search').dispatchEvent(new Event('input'))",
        vec![],
    )
    .await
    .unwrap();

    // A picture of it, for the README.
    click(page, Locator::Css("#deliveries tbody tr:nth-child(5)")).await;
    until("the details again", || async {
        text_of(page, "#detail").await.starts_with("#1 valid")
    })
    .await;
    let png = page.screenshot().await.unwrap();
    std::fs::create_dir_all(repo().join("target")).unwrap();
    std::fs::write(repo().join("target/inspector.png"), &png).unwrap();
    if std::env::var_os("GPWH_UPDATE_SCREENSHOT").is_some() {
        std::fs::write(repo().join("docs/inspector.png"), &png).unwrap();
    }

    // Nothing went wrong in the console, and nothing left this origin.
    let console = browser.log("browser").await;
    let errors: Vec<&Value> = console
        .iter()
        .filter(|entry| entry["level"] == "SEVERE" || entry["level"] == "WARNING")
        .collect();
    assert!(errors.is_empty(), "the console shows {errors:#?}");
    let urls = requested(&browser.log("performance").await, &listen.inspector);
    assert!(urls.len() >= 5, "{urls:?}");
    for (_, url) in &urls {
        assert!(
            url.starts_with(&format!("{}/", listen.inspector)),
            "a request to another origin: {url}"
        );
    }

    // The secret is in nothing the browser received.
    let source = page.source().await.unwrap();
    assert!(!source.contains(SECRET));
    // What the page asked for by GET, fetched again; its two POSTs (replay,
    // send) answered only a number and a status, shown on the page above.
    let mut fetched: Vec<String> = urls
        .iter()
        .filter(|(method, _)| method == "GET")
        .map(|(_, url)| url.clone())
        .collect();
    fetched.extend((1..=5).map(|id| format!("{}/api/deliveries/{id}", listen.inspector)));
    fetched.push(format!("{}/api/catalog", listen.inspector));
    for url in fetched {
        let answer = fetch(&url, &listen.token);
        assert!(answer.starts_with("HTTP/1.1 200"), "{url}: {answer}");
        assert!(!answer.contains(SECRET), "{url} holds the secret");
    }

    // Ctrl-C with the page open: gpwh stops at once, its streams closed.
    let (code, out, err) = listen.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("gave up"), "open pages held gpwh up: {err}");
    assert_eq!(out.lines().count(), 5, "{out}");
    browser.close().await;
}

#[test]
fn the_inspector_answers_only_its_own_host_and_origin() {
    let listen = Listen::start(&[]);
    let inspector = listen.inspector.trim_start_matches("http://").to_owned();
    let curl = |args: &[&str]| -> String {
        let mut all = vec!["-sS", "-i", "--max-time", "10"];
        all.extend_from_slice(args);
        String::from_utf8_lossy(&crate::support::as_curl(&all)).into_owned()
    };
    let page = curl(&[&format!("http://{inspector}/")]);
    assert!(page.starts_with("HTTP/1.1 200"));
    let lower = page.to_ascii_lowercase();
    assert!(lower.contains("content-security-policy: default-src 'none'; script-src 'self'"));
    assert!(lower.contains("x-frame-options: deny"));
    assert!(
        !page.contains("<script>") && !page.contains("https://"),
        "no inline code, nothing from elsewhere"
    );

    // DNS rebinding: another name for this address.
    let rebound = curl(&[
        "-H",
        "Host: attacker.example",
        &format!("http://{inspector}/api/deliveries/1"),
    ]);
    assert!(rebound.starts_with("HTTP/1.1 421"), "{rebound}");
    let localhost = curl(&[
        "-H",
        &format!("Host: localhost:{}", inspector.rsplit(':').next().unwrap()),
        &format!("http://{inspector}/"),
    ]);
    assert!(localhost.starts_with("HTTP/1.1 200"), "{localhost}");

    // Cross-site requests, even with the token: no Origin, another Origin.
    let send = format!("http://{inspector}/api/send");
    let body = r#"{"payload":"{\"event\":\"GivePlayerReward\"}"}"#;
    let token = format!("X-Gpwh-Token: {}", listen.token);
    for origin in [None, Some("http://attacker.example"), Some("null")] {
        let mut args = vec![
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "-H",
            &token,
            "--data",
            body,
        ];
        let header;
        if let Some(origin) = origin {
            header = format!("Origin: {origin}");
            args.extend(["-H", &header]);
        }
        args.push(&send);
        let answer = curl(&args);
        assert!(answer.starts_with("HTTP/1.1 403"), "{origin:?}: {answer}");
        assert!(
            answer.contains("from another origin"),
            "{origin:?}: {answer}"
        );
    }
    // Its own origin may send, and the row says so.
    let own = format!("Origin: http://{inspector}");
    let answer = curl(&[
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-H",
        &token,
        "-H",
        &own,
        "--data",
        body,
        &send,
    ]);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with(r#"{"status":200}"#), "{answer}");
    let (code, out, _) = listen.stop();
    assert_eq!(code, Some(0));
    assert!(out.contains(r#""event":"GivePlayerReward""#), "{out}");
}

#[test]
fn the_page_opens_with_the_last_n_deliveries() {
    let listen = Listen::start(&["--ui-keep", "2"]);
    for i in 0..3 {
        let output = send(&listen.receiver, &["--body", &format!("body {i}")]);
        assert_eq!(output.status.code(), Some(4));
    }
    let stream = fetch(&format!("{}/api/stream", listen.inspector), &listen.token);
    let ids: Vec<u64> = stream
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .map(|data| {
            serde_json::from_str::<Value>(data).unwrap()["id"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids, [2, 3]);
    let missing = fetch(
        &format!("{}/api/deliveries/1", listen.inspector),
        &listen.token,
    );
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    // The same rows, listed for a script: oldest first, as the stream
    // starts.
    let listed = fetch(
        &format!("{}/api/deliveries", listen.inspector),
        &listen.token,
    );
    assert!(listed.starts_with("HTTP/1.1 200"), "{listed}");
    let (_, body) = listed.split_once("\r\n\r\n").unwrap();
    let listed: Vec<Value> = serde_json::from_str(body).unwrap();
    let streamed: Vec<Value> = stream
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .map(|data| serde_json::from_str(data).unwrap())
        .collect();
    assert_eq!(listed, streamed);
    drop(listen);
}

/// With --tunnel, the page says where GamePush can reach the listener.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Chromium and ChromeDriver: GPWH_TEST_ALL=1 runs it"
)]
async fn the_page_shows_the_public_url_of_the_tunnel() {
    use crate::tunnel::{CLOUDFLARED_URL, Then, stand_in};

    let programs = stand_in("cloudflared", Then::Serve);
    let path = format!(
        "{}:{}",
        programs.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let listen = Listen::start_with_env(&["--tunnel", "cloudflared"], &[("PATH", &path)]);
    let browser = Browser::start().await;
    let page = browser.page();
    page.goto(&listen.page_url()).await.unwrap();
    until("the public URL", || async {
        !text_of(page, "#public-note").await.is_empty()
    })
    .await;
    assert_eq!(
        text_of(page, "#public-note").await,
        format!("; public at {CLOUDFLARED_URL}")
    );
    // The token left the address bar at once, and a reload still works.
    let address = page.current_url().await.unwrap();
    assert_eq!(address.as_str(), format!("{}/", listen.inspector));
    page.refresh().await.unwrap();
    until("the public URL after a reload", || async {
        !text_of(page, "#public-note").await.is_empty()
    })
    .await;
    browser.close().await;
    drop(listen);
}

/// Any process on the machine can claim an Origin; only the page gpwh
/// opened has the token. Without it, or with another, the API and the
/// stream answer 403, saying where the token goes and nothing more, even
/// from the page's own origin.
#[test]
fn the_api_needs_the_token_of_this_run() {
    let listen = Listen::start(&[]);
    let inspector = listen.inspector.trim_start_matches("http://").to_owned();
    let own = format!("Origin: http://{inspector}");
    let request = |method: &str, path: &str, token: Option<&str>| -> (String, String) {
        let mut args = vec!["-sS", "-i", "--max-time", "3", "-X", method, "-H", &own];
        let header = token.map(|t| format!("X-Gpwh-Token: {t}"));
        if let Some(header) = &header {
            args.extend(["-H", header.as_str()]);
        }
        let url = format!("http://{inspector}{path}");
        args.push(&url);
        let text = String::from_utf8_lossy(&crate::support::as_curl(&args)).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        (head.to_owned(), body.to_owned())
    };
    let wrong = "0".repeat(listen.token.len());
    for (method, path) in [
        ("GET", "/api/config"),
        ("GET", "/api/catalog"),
        ("GET", "/api/deliveries"),
        ("GET", "/api/deliveries/1"),
        ("GET", "/api/stream"),
        ("POST", "/api/send"),
        ("POST", "/api/deliveries/1/replay"),
    ] {
        for (token, said) in [(None, "missing"), (Some(wrong.as_str()), "wrong")] {
            let (head, body) = request(method, path, token);
            assert!(
                head.starts_with("HTTP/1.1 403"),
                "{method} {path} {token:?}: {head}"
            );
            // Where the token goes and where to find it; nothing else.
            let refused: Value = serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("{method} {path}: {e}: {body}"));
            assert_eq!(refused["token"], said, "{method} {path}: {body}");
            let error = refused["error"].as_str().unwrap();
            assert!(
                error.contains("X-Gpwh-Token header")
                    && error.contains("gpwh: inspector on http://")
                    && error.contains("?token=..."),
                "{method} {path}: {error}"
            );
            assert_eq!(
                refused.as_object().unwrap().len(),
                2,
                "{method} {path}: no data without the token: {body}"
            );
            assert!(!body.contains(&listen.token), "{method} {path}: {body}");
            assert!(!body.contains(SECRET), "{method} {path}: {body}");
        }
    }
    let (head, _) = request("GET", "/api/config", Some(&listen.token));
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    // The stream, for EventSource, takes it in its query.
    let stream = fetch(
        &format!("{}/api/stream?token={}", listen.inspector, listen.token),
        "",
    );
    assert!(stream.starts_with("HTTP/1.1 200"), "{stream}");
    // The page itself needs none.
    let (head, _) = request("GET", "/", None);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
}

/// What the API answers is what docs/schemas/ says: the config, a row of
/// the stream, and a delivery opened, valid or not, text or not.
#[test]
fn the_api_answers_match_their_schemas() {
    use crate::schemas::assert_valid;

    let listen = Listen::start(&[]);
    let hook = format!("{}/webhooks/gamepush", listen.receiver);
    let binary = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(binary.path(), b"\xff\xfe.00").unwrap();
    let binary = format!("@{}", binary.path().display());
    for args in [
        vec!["--secret", SECRET, "--event", "GivePlayerReward"],
        vec!["--body", "not a body"],
        vec!["--body", binary.as_str()],
    ] {
        send(&hook, &args);
    }
    let json = |path: &str| -> Value {
        let answer = fetch(&format!("{}{path}", listen.inspector), &listen.token);
        let (_, body) = answer.split_once("\r\n\r\n").unwrap();
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
    };
    assert_valid("inspector-config.json", &json("/api/config"));
    for id in 1..=3 {
        assert_valid(
            "inspector-delivery.json",
            &json(&format!("/api/deliveries/{id}")),
        );
    }
    let stream = fetch(
        &format!("{}/api/stream?token={}", listen.inspector, listen.token),
        "",
    );
    let rows: Vec<Value> = stream
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .map(|data| serde_json::from_str(data).unwrap())
        .collect();
    assert_eq!(rows.len(), 3, "{stream}");
    for row in &rows {
        assert_valid("inspector-row.json", row);
    }
    let listed = json("/api/deliveries");
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 3, "{listed:?}");
    for row in listed {
        assert_valid("inspector-row.json", row);
    }
}

/// A delivery opened in the inspector is its line in the log, field for
/// field, with the inspector's own fields beside it: one record, from
/// receipt to log and page.
#[test]
fn an_opened_delivery_is_its_log_line_and_the_inspectors_fields() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let listen = Listen::start(&["--fail-first", "1", "--log", log.to_str().unwrap()]);
    let hook = format!("{}/webhooks/gamepush", listen.receiver);
    send(&hook, &["--secret", SECRET, "--event", "GivePlayerReward"]);
    send(&hook, &["--body", "not a body"]);
    let logged = log_records(&log);
    assert_eq!(logged.len(), 2);
    for (id, line) in (1..).zip(&logged) {
        let answer = fetch(
            &format!("{}/api/deliveries/{id}", listen.inspector),
            &listen.token,
        );
        let (_, body) = answer.split_once("\r\n\r\n").unwrap();
        let opened: Value = serde_json::from_str(body).unwrap();
        for (key, value) in line.as_object().unwrap() {
            assert_eq!(&opened[key], value, "delivery {id}: {key}");
        }
        assert_eq!(opened["id"], id);
    }
    assert_eq!(logged[0]["status"], 503);
    assert!(logged[0]["on_purpose"].is_string(), "{}", logged[0]);
    assert_eq!(logged[1]["verdict"], "no-signature");
    assert!(logged[1]["message"].is_string(), "{}", logged[1]);
}

#[test]
fn a_fixed_token_is_used_and_a_weak_one_refused() {
    let listen = Listen::start(&["--ui-token", "fixed-token-0123456789"]);
    assert_eq!(listen.token, "fixed-token-0123456789");
    for weak in ["short", "has spaces in it, 1234", "with/slash/0123456789"] {
        let output = gpwh()
            .args(["listen", "--port", "0", "--secret", "k", "--ui-token", weak])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{weak}");
        assert!(
            stderr(&output)
                .contains("the inspector's token (--ui-token or GPWH_UI_TOKEN) must be 16 or more"),
            "{weak}"
        );
        assert!(!stderr(&output).contains(weak), "the token is not repeated");
    }
}

/// The `result.purchase._id` of each body the app received, in order.
fn purchase_ids(
    received: &std::sync::mpsc::Receiver<crate::support::Received>,
    n: usize,
) -> Vec<String> {
    (0..n)
        .map(|_| {
            let at_app = received.recv_timeout(Duration::from_secs(10)).unwrap();
            let payload = gpwh_webhooks::Verifier::new([])
                .read_unverified(&at_app.body)
                .unwrap()
                .into_json();
            payload["result"]["purchase"]["_id"]
                .as_str()
                .unwrap_or_else(|| panic!("no purchase id in {payload}"))
                .to_owned()
        })
        .collect()
}

/// A receiver that handles each purchase once keys it on its `_id`: each
/// test purchase the inspector sends from its catalog's template is a new
/// purchase to it (the catalog gives a new `_id` each time it is asked,
/// and the page asks again after each send), and a purchase whose `_id`
/// was written by hand goes as written, to be sent again on purpose.
#[test]
fn each_test_purchase_from_the_catalog_is_a_new_purchase() {
    let (app_url, at_app) = app("200 OK", "granted");
    let listen = Listen::start(&["--forward-to", &app_url]);
    let inspector = listen.inspector.trim_start_matches("http://").to_owned();
    let template = || -> Value {
        let answer = fetch(&format!("{}/api/catalog", listen.inspector), &listen.token);
        let (_, body) = answer.split_once("\r\n\r\n").unwrap();
        let catalog: Vec<Value> = serde_json::from_str(body).unwrap();
        catalog
            .into_iter()
            .find(|event| event["name"] == "PurchasePlayerPurchase")
            .unwrap()["template"]
            .clone()
    };
    let send = |payload: &Value| {
        let request = json!({ "payload": payload.to_string() }).to_string();
        let token = format!("X-Gpwh-Token: {}", listen.token);
        let own = format!("Origin: http://{inspector}");
        let url = format!("http://{inspector}/api/send");
        let answer = crate::support::as_curl(&[
            "-sS",
            "-i",
            "--max-time",
            "10",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "-H",
            &token,
            "-H",
            &own,
            "--data",
            &request,
            &url,
        ]);
        let answer = String::from_utf8_lossy(&answer).into_owned();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with(r#"{"status":200}"#), "{answer}");
    };
    let (first, second) = (template(), template());
    send(&first);
    send(&second);
    let ids = purchase_ids(&at_app, 2);
    assert_ne!(ids[0], ids[1], "two test purchases, one purchase id");
    assert_eq!(ids[0], first["result"]["purchase"]["_id"], "sent as given");
    let example = gpwh_webhooks::Event::find("PurchasePlayerPurchase")
        .unwrap()
        .template(gpwh_webhooks::EXAMPLE_TIME);
    assert!(
        !ids.contains(
            &example["result"]["purchase"]["_id"]
                .as_str()
                .unwrap()
                .to_owned()
        ),
        "not the template's own id"
    );
    // An id written by hand goes as written, each time.
    let mut edited = template();
    edited["result"]["purchase"]["_id"] = json!("my-own-purchase-1");
    send(&edited);
    send(&edited);
    assert_eq!(purchase_ids(&at_app, 2), ["my-own-purchase-1"; 2]);
    drop(listen);
}

/// The resident memory of process `pid`, in KiB.
#[cfg(target_os = "linux")]
fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Anyone can send a large body that is no webhook, and a page can stop
/// reading its stream: neither makes listen keep what it is sent. 16
/// bodies of 1 MiB, each a long JSON array, with a stalled stream reader,
/// leave listen under 128 MiB. Parsed, one such body takes some 50 MiB,
/// which listen gives back (it stays under 48 MiB between bodies, whatever
/// its number of threads): keeping what it parsed of each, for the page or
/// for the stalled reader's rows, would pass 128 MiB by the third body.
#[cfg(target_os = "linux")]
#[test]
fn memory_stays_bounded_under_large_refused_bodies_and_a_stalled_reader() {
    let listen = Listen::start(&[]);
    let pid = listen.child.as_ref().unwrap().id();
    // A reader that asks for the stream and never reads it.
    let mut stalled = TcpStream::connect(listen.inspector.trim_start_matches("http://")).unwrap();
    write!(
        stalled,
        "GET /api/stream?token={} HTTP/1.1\r\nHost: {}\r\n\r\n",
        listen.token,
        listen.inspector.trim_start_matches("http://")
    )
    .unwrap();
    let json = format!("[{}0]", "0,".repeat(349_999));
    let body = format!(
        "{}.x",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, json)
    );
    assert!(body.len() < 1 << 20);
    let receiver = listen.receiver.trim_start_matches("http://").to_owned();
    for _ in 0..16 {
        let mut stream = TcpStream::connect(&receiver).unwrap();
        write!(
            stream,
            "POST /hook HTTP/1.1\r\nHost: {receiver}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    }
    let kib = resident_kib(pid);
    assert!(kib < 128 * 1024, "listen holds {} MiB", kib / 1024);
    drop(stalled);
}

/// The page's "Copy curl command", for a body holding what a terminal acts
/// on, is printable text, and run in bash it sends the exact bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Chromium and ChromeDriver: GPWH_TEST_ALL=1 runs it"
)]
async fn the_copied_curl_command_is_text_and_sends_the_exact_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let listen = Listen::start(&["--log", log.to_str().unwrap()]);
    let browser = Browser::start().await;
    let page = browser.page();
    page.goto(&listen.page_url()).await.unwrap();
    until("the live stream", || async {
        text_of(page, "#connection").await == "live"
    })
    .await;
    let body = "e30=.x\u{1b}[2J\rrm -rf ~ \u{202e}'\"\\ $(id)\n";
    let delivery = serde_json::json!({
        "headers": [["content-type", "text/plain"]],
        "path": "/hook",
        "body": body,
    });
    let command = page
        .execute("return curl(arguments[0]);", vec![delivery])
        .await
        .unwrap();
    let command = command.as_str().unwrap().to_owned();
    assert!(
        command.bytes().all(|b| (0x20..0x7f).contains(&b)),
        "{command}"
    );
    let status = Command::new("bash")
        .args(["-c", &command])
        .status()
        .unwrap();
    assert!(status.success());
    browser.close().await;
    let record: Value = serde_json::from_str(
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(record["body"], body);
    drop(listen);
}

/// Opened without its token (a bookmark, an old address), the page says
/// what is missing instead of waiting for deliveries that cannot come.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Chromium and ChromeDriver: GPWH_TEST_ALL=1 runs it"
)]
async fn the_page_without_its_token_says_so() {
    let listen = Listen::start(&[]);
    let browser = Browser::start().await;
    let page = browser.page();
    page.goto(&format!("{}/", listen.inspector)).await.unwrap();
    until("the missing token", || async {
        text_of(page, "#empty").await.contains("no valid token")
    })
    .await;
    assert!(
        text_of(page, "#connection")
            .await
            .contains("no valid token")
    );
    browser.close().await;
    drop(listen);
}

/// Send a test event, twice, with the purchase template: two purchases, as
/// a person means them; the page renews the `_id` it showed after each
/// send. Written by hand, an `_id` stays, and goes twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Chromium and ChromeDriver: GPWH_TEST_ALL=1 runs it"
)]
async fn test_purchases_sent_from_the_page_are_new_purchases() {
    let (app_url, at_app) = app("200 OK", "granted");
    let listen = Listen::start(&["--forward-to", &app_url]);
    let browser = Browser::start().await;
    let page = browser.page();
    page.goto(&listen.page_url()).await.unwrap();
    until("the live stream", || async {
        text_of(page, "#connection").await == "live"
    })
    .await;
    let editor = || async {
        page.find(Locator::Id("send-payload"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    };
    let shown_id = |text: String| -> String {
        let payload: Value = serde_json::from_str(&text).unwrap();
        payload["result"]["purchase"]["_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    click(page, Locator::Id("open-send")).await;
    until("the catalog", || async { !editor().await.is_empty() }).await;
    page.execute(
        "const s = document.getElementById('send-event'); \
         s.value = 'PurchasePlayerPurchase'; s.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .unwrap();
    let before = shown_id(editor().await);
    for sent in 1..=2 {
        let shown = editor().await;
        click(page, Locator::Id("send-go")).await;
        until("the test purchase's row", || async {
            table(page).await.len() == sent
        })
        .await;
        until("a new id in the editor", || async {
            editor().await != shown
        })
        .await;
    }
    let after = shown_id(editor().await);
    let ids = purchase_ids(&at_app, 2);
    assert_eq!(ids[0], before, "sent as shown");
    assert_ne!(ids[0], ids[1], "two test purchases, one purchase id");
    assert!(!ids.contains(&after), "the editor shows the next one");

    // Written by hand, an id stays.
    let edited = editor().await.replace(&after, "my-own-purchase-1");
    page.execute(
        "document.getElementById('send-payload').value = arguments[0];",
        vec![json!(edited)],
    )
    .await
    .unwrap();
    for sent in 3..=4 {
        click(page, Locator::Id("send-go")).await;
        until("the test purchase's row", || async {
            table(page).await.len() == sent
        })
        .await;
    }
    assert_eq!(purchase_ids(&at_app, 2), ["my-own-purchase-1"; 2]);
    assert_eq!(editor().await, edited);
    browser.close().await;
    drop(listen);
}

/// "Copy curl command" reads no file and sends to the listener alone. A
/// body that starts with `@` (curl's `--data-binary` reads the file it
/// names) goes as it is; a request that was not HTTP keeps its target as
/// sent (`@127.0.0.1:PORT/exfil`, which joined to the listener's origin
/// names another host), so it gets no command, and the page says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Chromium and ChromeDriver: GPWH_TEST_ALL=1 runs it"
)]
async fn the_copied_curl_command_reads_no_file_and_sends_only_to_the_listener() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hooks.log");
    let private = dir.path().join("id_ed25519");
    std::fs::write(&private, "PRIVATE KEY").unwrap();
    let elsewhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let exfil = format!("@{}/exfil", elsewhere.local_addr().unwrap());
    let listen = Listen::start(&["--log", log.to_str().unwrap()]);
    let receiver = listen.receiver.trim_start_matches("http://").to_owned();
    let body = format!("@{}", private.display());
    let post = |target: &str| {
        let mut stream = TcpStream::connect(&receiver).unwrap();
        write!(
            stream,
            "POST {target} HTTP/1.1\r\nHost: {receiver}\r\nContent-Type: text/plain\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let _ = stream.read_to_end(&mut Vec::new());
    };
    post("/hook");
    post(&exfil);
    // A request hyper refused is logged as its connection ends.
    let records = wait_for_records(&log, 2);
    assert_eq!(records[1]["verdict"], "not-http", "{records:?}");
    assert_eq!(records[1]["path"], exfil);

    let browser = Browser::start().await;
    let page = browser.page();
    page.goto(&listen.page_url()).await.unwrap();
    until("two rows", || async { table(page).await.len() == 2 }).await;
    // What the button puts on the clipboard, kept where the test reads it.
    page.execute(
        "navigator.clipboard.writeText = async (text) => { window.copied = text; };",
        vec![],
    )
    .await
    .unwrap();
    let opened = || async {
        let title = page
            .execute(
                "return document.querySelector('#detail h2')?.textContent ?? '';",
                vec![],
            )
            .await
            .unwrap();
        title.as_str().unwrap_or_default().to_owned()
    };
    let copy_button = "[...document.querySelectorAll('#detail button')]\
                       .find(b => b.textContent === 'Copy curl command')";

    click(page, Locator::Css("#deliveries tr[data-id='1']")).await;
    until("the first delivery", || async {
        opened().await.starts_with("#1 ")
    })
    .await;
    page.execute(&format!("{copy_button}.click();"), vec![])
        .await
        .unwrap();
    let copied = || async {
        page.execute("return window.copied ?? null;", vec![])
            .await
            .unwrap()
    };
    until("the copied command", || async { !copied().await.is_null() }).await;
    let command = copied().await.as_str().unwrap().to_owned();
    let status = Command::new("bash")
        .args(["-c", &command])
        .status()
        .unwrap();
    assert!(status.success(), "{command}");
    let records = wait_for_records(&log, 3);
    assert_eq!(records[2]["path"], "/hook");
    assert_eq!(records[2]["body"], body.as_str(), "{command}");

    until("the third row", || async { table(page).await.len() == 3 }).await;
    click(page, Locator::Css("#deliveries tr[data-id='2']")).await;
    until("the request that was not HTTP", || async {
        opened().await.starts_with("#2 ")
    })
    .await;
    let disabled = page
        .execute(&format!("return {copy_button}.disabled;"), vec![])
        .await
        .unwrap();
    assert_eq!(disabled, json!(true));
    let detail = text_of(page, "#detail").await;
    assert!(
        detail.contains("No curl command: the request's target is not a path"),
        "{detail}"
    );
    // Nor for a NUL byte, which would cut the body short in bash, or a
    // Content-Type that curl would split into two headers.
    for delivery in [
        json!({"headers": [], "path": exfil, "body": "e30=.x"}),
        json!({"headers": [], "path": "/hook", "body": "e30=.x\u{0}y"}),
        json!({"headers": [["content-type", "a\r\nX-B: 1"]], "path": "/hook", "body": "x"}),
    ] {
        let none = page
            .execute("return curl(arguments[0]);", vec![delivery.clone()])
            .await
            .unwrap();
        assert_eq!(none, Value::Null, "{delivery}");
    }
    // A body is copied as it is only when nothing in it acts on a terminal
    // it is pasted into: an ESC can end a bracketed paste.
    for (body, copied) in [
        ("e30=.abc", true),
        ("e30=.\u{1b}[201~touch /tmp/x\n", false),
        ("e30=.\u{9b}31m", false),
        ("e30=.\u{202e}cba", false),
        ("e30=.\u{200f}x", false),
    ] {
        let made = page
            .execute("return copyableBody(arguments[0]);", vec![json!(body)])
            .await
            .unwrap();
        assert_eq!(made["text"] == json!(body), copied, "{body:?}: {made}");
        assert_eq!(made["why"].is_string(), !copied, "{body:?}: {made}");
    }
    browser.close().await;
    assert!(elsewhere.accept().is_err(), "something went to {exfil}");
    drop(listen);
}
