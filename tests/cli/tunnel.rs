//! `gpwh listen --tunnel`, with stand-ins for cloudflared and ngrok on PATH
//! that print what the real programs print: cloudflared 2026.8.2's quick
//! tunnel lines (`cmd/cloudflared/tunnel/quick_tunnel.go`, as zerolog's
//! console writer puts them on stderr), and ngrok 3's logfmt lines with
//! `--log stdout --log-format logfmt` (as its users quote them; ngrok's
//! agent is not open source). Unix only: the stand-ins are shell scripts.
#![cfg(unix)]

use crate::support::{bin, wait_for};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const CLOUDFLARED_URL: &str = "https://gentle-words-here.trycloudflare.com";
const NGROK_URL: &str = "https://1f2e-88-14-3-9.ngrok-free.app";

const DISCLAIMER: &str = "Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out. However, be aware that these account-less Tunnels have no uptime guarantee, are subject to the Cloudflare Online Services Terms of Use (https://www.cloudflare.com/website-terms/), and Cloudflare reserves the right to investigate your use of Tunnels for violations of such terms. If you intend to use Tunnels in production you should use a pre-created named tunnel by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-apps";

/// What the stand-in does after its opening lines.
#[derive(Clone, Copy)]
pub enum Then {
    /// Announces its URL and runs until stopped.
    Serve,
    /// Announces its URL, then exits 3 once there is a file `die` in its
    /// folder.
    Die,
    /// Never announces a URL.
    Stall,
}

/// A folder with a stand-in `program` in it; the stand-in writes its
/// arguments to `args`, its environment to `env` and its process id to
/// `pid` in that folder.
pub fn stand_in(program: &str, then: Then) -> tempfile::TempDir {
    stand_in_saying(program, "", "", then)
}

/// As [`stand_in`], with the shell commands `before` run before its URL
/// is announced and `after` run after (`{dir}` in them is the folder).
fn stand_in_saying(program: &str, before: &str, after: &str, then: Then) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let record = format!(
        "printf '%s ' \"$@\" > '{0}/args'\nenv > '{0}/env'\necho $$ > '{0}/pid'\n{1}",
        dir.path().display(),
        before.replace("{dir}", &dir.path().display().to_string())
    );
    let lines = match program {
        "cloudflared" => {
            let mut lines = format!(
                "echo '2026-12-05T10:00:00Z INF {DISCLAIMER}' >&2\n\
                 echo '2026-12-05T10:00:00Z INF Requesting new quick Tunnel on trycloudflare.com...' >&2\n"
            );
            if !matches!(then, Then::Stall) {
                lines.push_str(&format!(
                    "echo '2026-12-05T10:00:01Z INF +--------------------------------------------------------------------------------------------+' >&2\n\
                     echo '2026-12-05T10:00:01Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |' >&2\n\
                     echo '2026-12-05T10:00:01Z INF |  {CLOUDFLARED_URL}                                       |' >&2\n\
                     echo '2026-12-05T10:00:01Z INF +--------------------------------------------------------------------------------------------+' >&2\n"
                ));
            }
            lines
        }
        _ => {
            let mut lines = "echo 't=2026-12-05T10:00:00+0000 lvl=info msg=\"no configuration paths supplied\"'\n\
                 echo 't=2026-12-05T10:00:00+0000 lvl=info msg=\"starting web service\" obj=web addr=127.0.0.1:4040 allow_hosts=[]'\n"
                .to_owned();
            if !matches!(then, Then::Stall) {
                lines.push_str(&format!(
                    "echo 't=2026-12-05T10:00:01+0000 lvl=info msg=\"started tunnel\" obj=tunnels name=command_line addr=http://localhost:8787 url={NGROK_URL}'\n"
                ));
            }
            lines
        }
    };
    let end = match then {
        Then::Serve | Then::Stall => "exec sleep 600\n",
        Then::Die => {
            "while [ ! -e '{dir}/die' ]; do sleep 0.1; done\necho 'ERR connection lost' >&2\nexit 3\n"
        }
    };
    let end = end.replace("{dir}", &dir.path().display().to_string());
    let after = after.replace("{dir}", &dir.path().display().to_string());
    let path = dir.path().join(program);
    std::fs::write(&path, format!("#!/bin/sh\n{record}{lines}{after}\n{end}")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// `gpwh listen --port 0 --tunnel PROGRAM ARGS...` with `dir` first on
/// PATH, its stderr going to a file.
fn listen(dir: &Path, program: &str, args: &[&str]) -> (Child, PathBuf) {
    let errors = dir.join("listen.stderr");
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let child = Command::new(bin())
        .args([
            "listen", "--port", "0", "--secret", "k", "--tunnel", program,
        ])
        .args(args)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&errors).unwrap())
        .spawn()
        .unwrap();
    (child, errors)
}

/// Waits for `errors` to hold `text`; all of it then.
fn told(errors: &Path, text: &str) -> String {
    wait_for(format_args!("{text:?} from listen"), || {
        Some(std::fs::read_to_string(errors).unwrap_or_default()).filter(|told| told.contains(text))
    })
}

/// Waits for the stand-in to write `name` in its folder.
fn written(dir: &Path, name: &str) {
    wait_for(format_args!("the tunnel program to write {name}"), || {
        dir.join(name).exists().then_some(())
    });
}

fn alive(pid: &str) -> bool {
    crate::support::alive(pid.trim().parse().unwrap())
}

/// Waits for the stand-in to be gone.
fn assert_stopped(dir: &Path) {
    let pid = std::fs::read_to_string(dir.join("pid")).unwrap();
    wait_for("the tunnel program to stop", || {
        (!alive(&pid)).then_some(())
    });
}

#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs sh and sleep (the stand-ins are shell scripts): GPWH_TEST_ALL=1 runs it"
)]
fn cloudflared_is_started_read_shown_and_stopped_with_listen() {
    let dir = stand_in("cloudflared", Then::Serve);
    let (mut child, errors) = listen(dir.path(), "cloudflared", &["--ui-addr", "127.0.0.1:0"]);
    let told = told(&errors, "gpwh: inspector on ");
    assert!(
        told.contains(&format!(
            "gpwh: public URL, through cloudflared: {CLOUDFLARED_URL} (paste it into Project > Trusted Sites > Webhooks)"
        )),
        "{told}"
    );
    let port = told
        .split("listening on http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap();
    let args = std::fs::read_to_string(dir.path().join("args")).unwrap();
    assert_eq!(
        args.trim_end(),
        format!("tunnel --url http://127.0.0.1:{port}")
    );
    // The inspector shows it.
    let inspector = told
        .split("gpwh: inspector on ")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap();
    let (origin, token) = inspector.split_once("?token=").unwrap();
    let token = token.split_whitespace().next().unwrap();
    let config = crate::support::as_curl(&[
        "-sS",
        "-H",
        &format!("X-Gpwh-Token: {token}"),
        &format!("{origin}api/config"),
    ]);
    let config: serde_json::Value = serde_json::from_slice(&config).unwrap();
    assert_eq!(config["public"], CLOUDFLARED_URL);

    crate::support::signal(child.id(), rustix::process::Signal::INT);
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert_stopped(dir.path());
}

#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs sh and sleep (the stand-ins are shell scripts): GPWH_TEST_ALL=1 runs it"
)]
fn ngrok_is_read_from_its_log_and_stopped_on_sigterm() {
    let dir = stand_in("ngrok", Then::Serve);
    let (mut child, errors) = listen(dir.path(), "ngrok", &[]);
    let told = told(&errors, "gpwh: public URL");
    assert!(
        told.contains(&format!("through ngrok: {NGROK_URL} ")),
        "{told}"
    );
    let args = std::fs::read_to_string(dir.path().join("args")).unwrap();
    assert!(
        args.starts_with("http ")
            && args
                .trim_end()
                .ends_with(" --log stdout --log-format logfmt"),
        "{args}"
    );
    crate::support::signal(child.id(), rustix::process::Signal::TERM);
    assert_eq!(
        child.wait().unwrap().code(),
        Some(0),
        "SIGTERM drains as Ctrl-C does"
    );
    assert_stopped(dir.path());
}

#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs sh and sleep (the stand-ins are shell scripts): GPWH_TEST_ALL=1 runs it"
)]
fn a_tunnel_program_that_dies_stops_listen_with_exit_4() {
    let dir = stand_in("cloudflared", Then::Die);
    let (mut child, errors) = listen(dir.path(), "cloudflared", &[]);
    told(&errors, "gpwh: public URL");
    std::fs::write(dir.path().join("die"), "").unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(4));
    let told = std::fs::read_to_string(&errors).unwrap();
    assert!(
        told.contains(&format!(
            "gpwh: cloudflared stopped (exit status: 3): the public URL {CLOUDFLARED_URL} is gone; its last lines:"
        )) && told.contains("    ERR connection lost"),
        "{told}"
    );
}

#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs sh and sleep (the stand-ins are shell scripts): GPWH_TEST_ALL=1 runs it"
)]
fn a_tunnel_program_that_announces_nothing_is_given_up_with_its_last_lines() {
    let dir = stand_in("cloudflared", Then::Stall);
    let (mut child, errors) = listen(dir.path(), "cloudflared", &["--tunnel-wait", "2s"]);
    assert_eq!(child.wait().unwrap().code(), Some(4));
    let told = std::fs::read_to_string(&errors).unwrap();
    assert!(
        told.contains("gpwh: --tunnel cloudflared: no public https:// URL announced within 2s; its last lines:")
            && told.contains("INF Requesting new quick Tunnel on trycloudflare.com..."),
        "{told}"
    );
    assert_stopped(dir.path());
}

#[test]
fn a_missing_tunnel_program_is_a_usage_error_that_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("stderr");
    let status = Command::new(bin())
        .args([
            "listen",
            "--port",
            "0",
            "--secret",
            "k",
            "--tunnel",
            "cloudflared",
        ])
        .env("PATH", dir.path())
        .stderr(std::fs::File::create(&errors).unwrap())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    let told = std::fs::read_to_string(&errors).unwrap();
    assert!(
        told.contains("--tunnel cloudflared: cloudflared is not installed, or not on PATH: install cloudflared (brew install cloudflared"),
        "{told}"
    );
}

/// The tunnel program runs someone else's code, with a public URL in
/// front of it: it gets none of gpwh's variables, which hold the keys,
/// and keeps its own.
#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs sh and sleep (the stand-ins are shell scripts): GPWH_TEST_ALL=1 runs it"
)]
fn the_tunnel_program_gets_none_of_gpwh_s_keys() {
    const SECRET: &str = "secret-only-gpwh-knows";
    const TOKEN: &str = "3f9c1e0b7a2d4c5e8f6a1b0c9d2e7f41";
    const OTHER: &str = "any-other-gpwh-variable";
    let dir = stand_in("cloudflared", Then::Serve);
    let errors = dir.path().join("listen.stderr");
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new(bin())
        .args(["listen", "--port", "0", "--ui-addr", "127.0.0.1:0"])
        .args(["--tunnel", "cloudflared"])
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("GPWH_SECRET", SECRET)
        .env("GPWH_UI_TOKEN", TOKEN)
        .env("GPWH_SECRET_FILE", OTHER)
        .env("TUNNEL_TOKEN", "cloudflared-s-own")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&errors).unwrap())
        .spawn()
        .unwrap();
    let told = told(&errors, "gpwh: inspector on ");
    assert!(told.contains(&format!("?token={TOKEN}")), "{told}");
    let env = std::fs::read_to_string(dir.path().join("env")).unwrap();
    for value in [SECRET, TOKEN, OTHER] {
        assert!(!env.contains(value), "{value} reached the program: {env}");
    }
    assert!(
        !env.lines()
            .any(|line| line.to_ascii_uppercase().starts_with("GPWH_")),
        "{env}"
    );
    assert!(env.contains("TUNNEL_TOKEN=cloudflared-s-own"), "{env}");
    crate::support::signal(child.id(), rustix::process::Signal::INT);
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert_stopped(dir.path());
}

/// Bytes that are not UTF-8, before the URL and after it, are read past:
/// the URL is found, and the program, still read, runs on.
#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs sh and sleep (the stand-ins are shell scripts): GPWH_TEST_ALL=1 runs it"
)]
fn tunnel_output_that_is_not_utf8_is_read_past() {
    let not_text = "printf '2026-12-05T10:00:00Z INF caf\\351 \\377\\376\\n' >&2\n";
    let dir = stand_in_saying(
        "cloudflared",
        not_text,
        &format!(
            "{not_text}{not_text}printf 'x\\n' >&2\n\
             while [ ! -e '{{dir}}/go' ]; do sleep 0.1; done\n\
             {not_text}echo ready > '{{dir}}/ready'"
        ),
        Then::Serve,
    );
    let (mut child, errors) = listen(dir.path(), "cloudflared", &["--tunnel-wait", "10s"]);
    let told = told(&errors, "gpwh: public URL");
    assert!(told.contains(CLOUDFLARED_URL), "{told}");
    // What it writes from now on comes after the URL was found.
    std::fs::write(dir.path().join("go"), "").unwrap();
    written(dir.path(), "ready");
    let pid = std::fs::read_to_string(dir.path().join("pid")).unwrap();
    assert!(alive(&pid), "the program died writing");
    assert!(child.try_wait().unwrap().is_none(), "listen stopped");
    crate::support::signal(child.id(), rustix::process::Signal::INT);
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert_stopped(dir.path());
}

/// A line of megabytes without a line end is read and let go: listen
/// serves on, and keeps only the start of it to show.
#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs sh, head and tr (the stand-ins are shell scripts): GPWH_TEST_ALL=1 runs it"
)]
fn a_long_line_from_the_tunnel_is_kept_only_in_part() {
    let dir = stand_in_saying(
        "cloudflared",
        "",
        "head -c 8000000 /dev/zero | tr '\\0' a >&2\n\
         echo ready > '{dir}/ready'\n\
         while [ ! -e '{dir}/go' ]; do sleep 0.1; done\n\
         head -c 8000000 /dev/zero | tr '\\0' b >&2\n\
         echo >&2",
        Then::Die,
    );
    let (mut child, errors) = listen(dir.path(), "cloudflared", &[]);
    let told = told(&errors, "gpwh: public URL");
    let port = told
        .split("listening on http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();
    written(dir.path(), "ready");
    let answer = crate::support::as_curl(&[
        "-sS",
        "-i",
        "--data-binary",
        "not a body",
        &format!("http://127.0.0.1:{port}/"),
    ]);
    assert!(
        answer.starts_with(b"HTTP/1.1 400"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    std::fs::write(dir.path().join("go"), "").unwrap();
    std::fs::write(dir.path().join("die"), "").unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(4));
    let told = std::fs::read_to_string(&errors).unwrap();
    assert!(
        told.len() < 64 * 1024,
        "{} bytes said, starting {}",
        told.len(),
        told.chars().take(2000).collect::<String>()
    );
    // 16 MB of a's and b's, one line: its first 4 KiB.
    let kept = format!("    {} [cut: longer than 4096 bytes]\n", "a".repeat(4096));
    assert!(told.contains(&kept), "{told}");
    assert!(told.contains("    ERR connection lost"), "{told}");
}
