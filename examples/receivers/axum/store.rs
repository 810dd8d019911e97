//! Where the delivery keys live: the database that DATABASE_URL names,
//! SQLite or PostgreSQL, and the transaction each delivery is handled in.
//!
//! What stops a delivery from acting twice (a repeat, or a captured body
//! replayed) is its key in `gamepush_deliveries`, where it is the primary
//! key, inserted in the same transaction as the effect: the database
//! refuses it the second time, and a second insert of a key still in flight
//! waits for the first to commit or roll back. Not a lookup before an
//! insert: two requests at once would both see nothing and both grant.
//! docs/exactly-once.md in gpwh's repository is the contract.
//!
//! A game on one database keeps one arm of each `match` (and its pool
//! type); sqlx's `Any` driver would hide which database is which.

use std::path::PathBuf;
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Connection as _, PgConnection, Postgres, Sqlite};

/// How long a delivery waits for a lock (another delivery of the same key,
/// SQLite's write lock) or for a connection before it fails with 500, so
/// that GamePush sends it again rather than waiting on a stuck database.
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// How long the first connection at start may take.
const CONNECT_WAIT: Duration = Duration::from_secs(10);

/// Taken while the tables are created on PostgreSQL, so that two instances
/// starting at once do not trip over each other.
const CREATE_LOCK: i64 = 1_735_423_848;

/// What DATABASE_URL may be, said when it is none of them. Never the URL
/// itself: it may hold a password.
pub const FORMS: &str = "DATABASE_URL must be unset or empty (SQLite in ./gamepush.sqlite3), \
    sqlite:PATH (SQLite in the file PATH) or postgres://user:password@host:5432/database \
    (PostgreSQL; postgresql:// too)";

const SQLITE_TABLES: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS gamepush_deliveries (
        key        TEXT PRIMARY KEY,
        handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )",
    "CREATE TABLE IF NOT EXISTS grants (
        delivery_key TEXT NOT NULL,
        event        TEXT NOT NULL,
        player_id    INTEGER
    )",
];

const POSTGRES_TABLES: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS gamepush_deliveries (
        key        text PRIMARY KEY,
        handled_at timestamptz NOT NULL DEFAULT now()
    )",
    "CREATE TABLE IF NOT EXISTS grants (
        delivery_key text NOT NULL,
        event        text NOT NULL,
        player_id    bigint
    )",
];

/// `ON CONFLICT DO NOTHING`: a key already there inserts no row, which
/// says the delivery was handled before. (`$1` is SQLite's too.)
const CLAIM: &str =
    "INSERT INTO gamepush_deliveries (key) VALUES ($1) ON CONFLICT (key) DO NOTHING";

/// The database the keys and the grants live in.
#[derive(Clone)]
pub enum Database {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One delivery's transaction: its key and its effect commit together, or
/// neither does. Dropped without a commit, it rolls back.
pub enum Transaction {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// Where DATABASE_URL says the database is.
pub enum Location {
    Sqlite(PathBuf),
    Postgres(Box<PgConnectOptions>),
}

impl Location {
    /// Reads DATABASE_URL's value (`None` when unset). The error names the
    /// forms it takes and never the URL.
    pub fn parse(url: Option<&str>) -> Result<Location, String> {
        let url = url.unwrap_or_default();
        if url.is_empty() {
            return Ok(Location::Sqlite("gamepush.sqlite3".into()));
        }
        if let Some(path) = url.strip_prefix("sqlite:") {
            return match path {
                "" => Err(FORMS.to_owned()),
                path => Ok(Location::Sqlite(path.into())),
            };
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // sqlx's message says what is wrong (a port that is no number,
            // say) without repeating the URL.
            return PgConnectOptions::from_str(url)
                .map(|options| Location::Postgres(Box::new(options)))
                .map_err(|error| {
                    format!("DATABASE_URL is not a PostgreSQL URL sqlx reads: {error}")
                });
        }
        Err(FORMS.to_owned())
    }
}

impl Database {
    /// Connects, and creates the tables that are missing.
    pub async fn open(location: Location) -> Result<Database, sqlx::Error> {
        let database = match location {
            Location::Sqlite(path) => {
                // On every connection: WAL, so that readers do not block
                // the writer; and wait up to 5 s for the write lock.
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(LOCK_WAIT);
                let pool = SqlitePoolOptions::new()
                    .acquire_timeout(LOCK_WAIT)
                    .connect_with(options)
                    .await?;
                Database::Sqlite(pool)
            }
            Location::Postgres(options) => {
                // A delivery of a key that another transaction is still
                // inserting waits for it, at most 5 s.
                let options = options.options([("lock_timeout", "5s")]);
                // One connection first, so that a refusal says why: a pool
                // that cannot connect only says that it timed out.
                tokio::time::timeout(CONNECT_WAIT, PgConnection::connect_with(&options))
                    .await
                    .map_err(|_| sqlx::Error::Io(std::io::ErrorKind::TimedOut.into()))??
                    .close()
                    .await?;
                let pool = PgPoolOptions::new()
                    .acquire_timeout(LOCK_WAIT)
                    .connect_with(options)
                    .await?;
                Database::Postgres(pool)
            }
        };
        database.create_tables().await?;
        Ok(database)
    }

    async fn create_tables(&self) -> Result<(), sqlx::Error> {
        match self {
            Database::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                for table in SQLITE_TABLES {
                    sqlx::query(table).execute(&mut *tx).await?;
                }
                tx.commit().await
            }
            Database::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(CREATE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                for table in POSTGRES_TABLES {
                    sqlx::query(table).execute(&mut *tx).await?;
                }
                tx.commit().await
            }
        }
    }

    /// Begins a delivery's transaction. On SQLite with `BEGIN IMMEDIATE`,
    /// which takes the write lock now (waiting up to 5 s) rather than
    /// failing to upgrade a read lock halfway through.
    pub async fn begin(&self) -> Result<Transaction, sqlx::Error> {
        Ok(match self {
            Database::Sqlite(pool) => {
                Transaction::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?)
            }
            Database::Postgres(pool) => Transaction::Postgres(pool.begin().await?),
        })
    }
}

impl Transaction {
    /// Inserts the delivery's key: true when it is new, false when the
    /// delivery was handled before (the row was there, or another
    /// transaction inserted it and committed while this one waited).
    pub async fn claim(&mut self, key: &str) -> Result<bool, sqlx::Error> {
        let inserted = match self {
            Transaction::Sqlite(tx) => sqlx::query(CLAIM)
                .bind(key)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            Transaction::Postgres(tx) => sqlx::query(CLAIM)
                .bind(key)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        };
        Ok(inserted == 1)
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Transaction::Sqlite(tx) => tx.commit().await,
            Transaction::Postgres(mut tx) => {
                // A statement that failed in `handle`, its error dropped
                // there, leaves the transaction aborted, and PostgreSQL
                // answers its COMMIT with a rollback, not an error: the
                // delivery would be answered 200 with nothing kept, key
                // included, and be lost. This fails then (SQLSTATE 25P02),
                // and the delivery is rolled back and answered 500.
                sqlx::query("SELECT 1").execute(&mut *tx).await?;
                tx.commit().await
            }
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Transaction::Sqlite(tx) => tx.rollback().await,
            Transaction::Postgres(tx) => tx.rollback().await,
        }
    }
}
