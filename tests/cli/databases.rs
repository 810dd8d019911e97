//! The real databases the recipes keep their delivery keys in, as the tests
//! start, read and break them: a PostgreSQL server of Debian's `postgresql`
//! package (initdb and pg_ctl, on 127.0.0.1 and a free port, in a folder of
//! its own, stopped when dropped), and SQLite files read through Python's
//! `sqlite3` module. The tests go through the same command-line clients a
//! person would (psql, python3), so no database driver enters gpwh's own
//! dependencies. `.ci/run` installs PostgreSQL when it is missing; a missing
//! server fails the test, never skips it.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A PostgreSQL server of the tests' own, stopped when dropped.
pub struct Postgres {
    port: u16,
    bin: PathBuf,
    data: PathBuf,
    /// As whom the server runs: PostgreSQL refuses to run as root.
    runner: Option<&'static str>,
    _dir: tempfile::TempDir,
}

/// Where Debian's `postgresql` package keeps initdb and pg_ctl (they are not
/// on PATH): the newest version's folder.
fn postgres_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path().join("bin"))
                .filter(|bin| bin.join("initdb").is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort_by_key(|bin| {
        bin.parent()
            .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
    });
    found
        .pop()
        .expect("PostgreSQL's initdb is needed (Debian's postgresql package; .ci/run installs it)")
}

impl Postgres {
    /// initdb, then pg_ctl start on 127.0.0.1 and a free port, with
    /// password-less access for the tests alone (no other address listens).
    pub fn start() -> Postgres {
        let bin = postgres_bin();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let runner = is_root().then_some("postgres");
        if let Some(user) = runner {
            // The server's own user must own its folder.
            let chown = Command::new("chown")
                .args(["-R", user])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(chown.success(), "chown {user} failed");
        }
        let initdb = as_user(runner, &bin.join("initdb"))
            .args(["--auth=trust", "--username=postgres", "--encoding=UTF8"])
            .arg("--pgdata")
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            initdb.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&initdb.stderr)
        );
        let port = free_port();
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{}' -c max_connections=400",
            dir.path().display()
        );
        let started = as_user(runner, &bin.join("pg_ctl"))
            .arg("--pgdata")
            .arg(&data)
            .args(["--options", &options, "--wait", "--timeout=60"])
            .arg("--log")
            .arg(dir.path().join("server.log"))
            .arg("start")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .output()
            .unwrap();
        let postgres = Postgres {
            port,
            bin,
            data,
            runner,
            _dir: dir,
        };
        assert!(
            started.status.success(),
            "pg_ctl start failed: {}{}",
            String::from_utf8_lossy(&started.stderr),
            std::fs::read_to_string(postgres._dir.path().join("server.log")).unwrap_or_default()
        );
        postgres
    }

    /// A new, empty database on this server, named after `what`.
    pub fn database(&self, what: &str) -> Database {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "{}_{}",
            what.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let database = Database::Postgres {
            url: format!("postgresql://postgres@127.0.0.1:{}/{name}", self.port),
        };
        let admin = Database::Postgres {
            url: format!("postgresql://postgres@127.0.0.1:{}/postgres", self.port),
        };
        admin.execute(&format!("CREATE DATABASE {name}"));
        database
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_user(self.runner, &self.bin.join("pg_ctl"))
            .arg("--pgdata")
            .arg(&self.data)
            .args(["--mode=immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// `program`, run as `user` when one is given (the tests run as root in
/// CI, and PostgreSQL will not).
fn as_user(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(user) => {
            let mut command = Command::new("runuser");
            command.args(["-u", user, "--"]).arg(program);
            command
        }
        None => Command::new(program),
    }
}

/// psql, which gives up on a lock or a statement rather than hang the tests
/// when a recipe leaves a transaction open.
fn psql() -> Command {
    let mut psql = Command::new("psql");
    psql.env("PGOPTIONS", "-c lock_timeout=20s -c statement_timeout=60s");
    psql
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One database a recipe keeps its keys in, as the tests see it.
pub enum Database {
    /// A SQLite file.
    Sqlite { path: PathBuf },
    /// A database on a [`Postgres`] server.
    Postgres { url: String },
}

impl Database {
    /// A SQLite file in `dir`, not made yet: the recipe makes it.
    pub fn sqlite(dir: &Path) -> Database {
        Database::Sqlite {
            path: dir.join("deliveries.sqlite3"),
        }
    }

    /// What the recipe is given as `DATABASE_URL`.
    pub fn url(&self) -> String {
        match self {
            Database::Sqlite { path } => format!("sqlite:{}", path.display()),
            Database::Postgres { url } => url.clone(),
        }
    }

    /// Which kind of database, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Database::Sqlite { .. } => "SQLite",
            Database::Postgres { .. } => "PostgreSQL",
        }
    }

    /// Runs `sql` (statements, no results) and panics if it fails.
    pub fn execute(&self, sql: &str) {
        self.query(sql);
    }

    /// The rows `sql` returns, each its columns joined by `|`.
    pub fn query(&self, sql: &str) -> Vec<String> {
        let output = match self {
            Database::Postgres { url } => psql()
                .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
                .args(["--dbname", url, "-c", sql])
                .stdin(Stdio::null())
                .output()
                .expect("psql is needed (Debian's postgresql package; .ci/run installs it)"),
            Database::Sqlite { path } => Command::new("python3")
                .args(["-c", SQLITE_QUERY])
                .arg(path)
                .arg(sql)
                .stdin(Stdio::null())
                .output()
                .expect("python3 is needed"),
        };
        assert!(
            output.status.success(),
            "{} `{sql}` failed: {}",
            self.kind(),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The delivery keys the database holds, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = self.query("SELECT key FROM gamepush_deliveries");
        keys.sort();
        keys
    }

    /// How many grants the database holds for delivery `key`.
    pub fn grants(&self, key: &str) -> usize {
        let rows = self.query(&format!(
            "SELECT count(*) FROM grants WHERE delivery_key = '{}'",
            key.replace('\'', "''")
        ));
        rows.first().and_then(|n| n.trim().parse().ok()).unwrap()
    }

    /// How many rows of delivery `key`: in `gamepush_deliveries`, and in
    /// `grants`.
    pub fn rows(&self, key: &str) -> (usize, usize) {
        let keys = self.query(&format!(
            "SELECT count(*) FROM gamepush_deliveries WHERE key = '{}'",
            key.replace('\'', "''")
        ));
        (
            keys.first().and_then(|n| n.trim().parse().ok()).unwrap(),
            self.grants(key),
        )
    }

    /// Whether a transaction is waiting for a lock now: on PostgreSQL, a
    /// lock not granted in `pg_locks`. SQLite cannot tell (its waiters
    /// retry in a busy loop), so there it is taken as waiting.
    pub fn someone_waits(&self) -> bool {
        match self {
            Database::Postgres { .. } => self
                .query("SELECT count(*) FROM pg_locks WHERE NOT granted")
                .first()
                .is_some_and(|n| n.trim() != "0"),
            Database::Sqlite { .. } => true,
        }
    }

    /// What no delivery may leave: a grant whose key was not kept, or a key
    /// kept with other than one grant.
    pub fn strays(&self) -> Vec<String> {
        self.query(
            "SELECT 'a grant of ' || delivery_key || ', a key not kept' FROM grants \
             WHERE delivery_key NOT IN (SELECT key FROM gamepush_deliveries) \
             UNION ALL \
             SELECT key || ': ' || (SELECT count(*) FROM grants WHERE delivery_key = key) || ' grants' \
             FROM gamepush_deliveries \
             WHERE (SELECT count(*) FROM grants WHERE delivery_key = key) <> 1",
        )
    }

    /// Makes every insert into `grants` fail, as an effect that fails does.
    pub fn refuse_grants(&self) {
        self.execute(match self {
            Database::Postgres { .. } => {
                "CREATE FUNCTION refuse_grant() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION 'grants refused on purpose'; END $$; \
                 CREATE TRIGGER refuse_grant BEFORE INSERT ON grants \
                 FOR EACH ROW EXECUTE FUNCTION refuse_grant();"
            }
            Database::Sqlite { .. } => {
                "CREATE TRIGGER refuse_grant BEFORE INSERT ON grants \
                 BEGIN SELECT RAISE(ABORT, 'grants refused on purpose'); END;"
            }
        });
    }

    /// Makes every commit that inserted into `grants` fail, as a commit the
    /// database refuses does: a deferred constraint trigger raises at
    /// COMMIT. PostgreSQL only (SQLite has no deferred triggers); false on
    /// SQLite, where nothing is changed.
    pub fn refuse_commits(&self) -> bool {
        match self {
            Database::Postgres { .. } => {
                self.execute(
                    "CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'commit refused on purpose'; END $$; \
                     CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON grants \
                     DEFERRABLE INITIALLY DEFERRED \
                     FOR EACH ROW EXECUTE FUNCTION refuse_commit();",
                );
                true
            }
            Database::Sqlite { .. } => false,
        }
    }

    /// Lets commits through again, after [`Database::refuse_commits`].
    pub fn accept_commits(&self) {
        if let Database::Postgres { .. } = self {
            self.execute("DROP TRIGGER refuse_commit ON grants; DROP FUNCTION refuse_commit();");
        }
    }

    /// Lets inserts into `grants` through again.
    pub fn accept_grants(&self) {
        self.execute(match self {
            Database::Postgres { .. } => {
                "DROP TRIGGER refuse_grant ON grants; DROP FUNCTION refuse_grant();"
            }
            Database::Sqlite { .. } => "DROP TRIGGER refuse_grant;",
        });
    }

    /// Holds a lock that a delivery's transaction must wait for until the
    /// returned [`Lock`] is dropped: on PostgreSQL `grants`, so that the
    /// delivery waits with its key inserted and not yet committed; on SQLite
    /// the whole file (SQLite locks no less), so that it waits to begin.
    pub fn lock(&self) -> Lock {
        let (program, args, statements): (&str, Vec<String>, &str) = match self {
            Database::Postgres { url } => (
                "psql",
                [
                    "-X",
                    "-q",
                    "-A",
                    "-t",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "--dbname",
                    url,
                ]
                .map(str::to_owned)
                .to_vec(),
                "BEGIN;\nLOCK TABLE grants IN ACCESS EXCLUSIVE MODE;\nSELECT 'locked';\n",
            ),
            Database::Sqlite { path } => (
                "python3",
                vec![
                    "-c".to_owned(),
                    SQLITE_LOCK.to_owned(),
                    path.display().to_string(),
                ],
                "",
            ),
        };
        let mut command = match self {
            Database::Postgres { .. } => psql(),
            Database::Sqlite { .. } => Command::new(program),
        };
        let mut child = command
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(statements.as_bytes()).unwrap();
        stdin.flush().unwrap();
        // Read in a thread of its own, so that a lock never had fails the
        // test in 30 s instead of hanging it.
        let stdout = child.stdout.take().unwrap();
        let (said, heard) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.trim() == "locked" {
                    let _ = said.send(());
                }
            }
        });
        if heard.recv_timeout(Duration::from_secs(30)).is_err() {
            let _ = child.kill();
            panic!("{program} could not take the lock within 30 s");
        }
        Lock {
            child,
            stdin: Some(stdin),
        }
    }
}

/// A lock on a database, held by a client of its own until dropped.
pub struct Lock {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // End of input: psql ends its session (the transaction rolls
        // back), the Python script rolls back and exits.
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"ROLLBACK;\n");
        }
        let _ = self.child.wait();
    }
}

/// Python: runs argv[2] on the SQLite file argv[1]: a SELECT printing each
/// row's columns joined by `|`, anything else as a script. Fails when the
/// file does not exist.
const SQLITE_QUERY: &str = r#"
import os, sqlite3, sys
path, sql = sys.argv[1], sys.argv[2]
if not os.path.exists(path):
    sys.exit("no such database: " + path)
db = sqlite3.connect(path, timeout=30, isolation_level=None)
if sql.lstrip().upper().startswith("SELECT"):
    for row in db.execute(sql):
        print("|".join("" if v is None else str(v) for v in row))
else:
    db.executescript(sql)
"#;

/// Python: takes SQLite's exclusive lock on the file argv[1], says
/// `locked`, and holds it until its standard input ends.
const SQLITE_LOCK: &str = r#"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"#;
