//! Every recipe of `examples/receivers/receivers.toml` handles each delivery
//! exactly once, with its key in a real database (docs/exactly-once.md):
//! on SQLite and on a PostgreSQL server these tests start, and break on
//! purpose. For each recipe and database:
//!
//! - every payload of conformance/delivery-keys.json is stored under its key;
//! - a captured purchase and a captured reward, sent as received and
//!   rewritten without the key (whitespace, the digest in capitals, mixed
//!   case, base64, base64url), are answered 2xx each time and leave one row
//!   in each table;
//! - after kill -9 and a restart, the same bodies change nothing;
//! - an effect that fails (a trigger on `grants`) is answered 5xx and keeps
//!   no key, and the repeat is then handled once; so is a commit that
//!   PostgreSQL refuses (a deferred constraint trigger);
//! - two instances on one database, 40 deliveries of one purchase across
//!   both at once: all 2xx, one grant;
//! - a recipe killed -9 while its transaction waits on a lock the test
//!   holds (on PostgreSQL with its key inserted and not committed; SQLite,
//!   which locks the whole file, before its first write) has answered
//!   nothing, leaves nothing, and the repeat after a restart grants exactly
//!   once;
//! - and at the end, no grant without its key, no key without one grant;
//! - a `DATABASE_URL` of no known form stops the recipe (or fails each
//!   delivery, for PHP, which starts per request) without printing it.
//!
//! Rows are counted in the database itself, through psql and Python's
//! sqlite3, never from what the recipe says.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use gpwh_webhooks::{Secret, SignatureEncoding};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use crate::databases::{Database, Postgres};
use crate::receivers::{
    Recipe, Running, SECRET, for_every_recipe, payload, payload_key, post, purchase, set_up,
};
use crate::support::mixed_case;

/// How many recipes are checked at once.
const AT_ONCE: usize = 3;

/// A window that reaches back to the vectors' 2024 `time`: 100 years.
const WIDE_WINDOW: &str = "3153600000";

/// How long a delivery waits on the test's lock before its recipe is
/// killed: less than the 5 s after which a recipe gives up on a lock.
const WAIT_ON_LOCK: Duration = Duration::from_secs(2);

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    payload: String,
    key: String,
}

fn vectors() -> Vec<Vector> {
    let text =
        std::fs::read_to_string(crate::support::repo().join("conformance/delivery-keys.json"))
            .unwrap();
    serde_json::from_str::<Vectors>(&text).unwrap().vectors
}

fn accepted(status: u16) -> bool {
    (200..300).contains(&status)
}

/// One recipe on one database: where it runs, and how to say what failed.
struct Trial<'a> {
    recipe: &'a Recipe,
    database: &'a Database,
    env: Vec<(&'static str, String)>,
    /// A distinct id per trial, so that purchases of earlier runs do not
    /// count.
    run: String,
}

impl<'a> Trial<'a> {
    fn new(recipe: &'a Recipe, database: &'a Database) -> Trial<'a> {
        Trial {
            recipe,
            database,
            env: vec![
                ("DATABASE_URL", database.url()),
                ("MAX_AGE_SECONDS", WIDE_WINDOW.to_owned()),
            ],
            run: format!(
                "{}-{}",
                std::process::id(),
                Timestamp::now().as_nanosecond()
            ),
        }
    }

    fn start(&self) -> Result<Running, String> {
        let env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Running::with(self.recipe, &self.recipe.start, &env)
            .map_err(|why| format!("{} on {}: {why}", self.recipe.name, self.database.kind()))
    }

    fn send(&self, server: &Running, body: &str) -> u16 {
        post(
            server.port,
            &self.recipe.path,
            body,
            Some("text/plain"),
            false,
        )
    }

    fn fail(&self, what: String, servers: &[&Running]) -> Result<(), String> {
        let logs: String = servers
            .iter()
            .map(|server| format!("\nserver log:\n{}", server.log()))
            .collect();
        Err(format!(
            "{} on {}: {what}{logs}",
            self.recipe.name,
            self.database.kind()
        ))
    }

    /// A purchase of its own, signed now, with lowercase hex.
    fn purchase(&self, what: &str) -> (String, String) {
        let id = format!("{what}-{}", self.run);
        let body = sign(&purchase(&id, SignedDuration::ZERO));
        (body, format!("PurchasePlayerPurchase:{id}"))
    }
}

fn sign(payload: &serde_json::Value) -> String {
    gpwh_webhooks::sign(
        &serde_json::to_vec(payload).unwrap(),
        &Secret::from(SECRET),
        SignatureEncoding::Hex,
    )
}

/// `body` as received, then rewritten by someone without the key: space in
/// front, a newline after, its digest in capitals, in mixed case, in
/// base64 and in unpadded base64url.
fn rewritten(body: &str) -> Vec<String> {
    let (part, hex_digest) = body.rsplit_once('.').unwrap();
    let digest = hex::decode(hex_digest).unwrap();
    let mixed = mixed_case(hex_digest);
    vec![
        body.to_owned(),
        format!(" {body}"),
        format!("{body}\n"),
        format!("{part}.{}", hex_digest.to_ascii_uppercase()),
        format!("{part}.{mixed}"),
        format!("{part}.{}", STANDARD.encode(&digest)),
        format!("{part}.{}", URL_SAFE_NO_PAD.encode(&digest)),
    ]
}

/// Every shared vector is stored under its key, once.
fn stores_every_vector_under_its_key(trial: &Trial, server: &Running) -> Result<(), String> {
    let mut expected = BTreeSet::new();
    for vector in vectors() {
        let body = gpwh_webhooks::sign(
            vector.payload.as_bytes(),
            &Secret::from(SECRET),
            SignatureEncoding::Hex,
        );
        let status = trial.send(server, &body);
        if !accepted(status) {
            return trial.fail(
                format!("the vector \"{}\" was answered {status}", vector.name),
                &[server],
            );
        }
        expected.insert(vector.key);
    }
    let stored: BTreeSet<String> = trial.database.keys().into_iter().collect();
    if stored != expected {
        let missing: Vec<_> = expected.difference(&stored).take(5).collect();
        let unexpected: Vec<_> = stored.difference(&expected).take(5).collect();
        return trial.fail(
            format!("the vectors' keys differ: missing {missing:?}, not expected {unexpected:?} (at most 5 of each)"),
            &[server],
        );
    }
    for key in &expected {
        let grants = trial.database.grants(key);
        if grants != 1 {
            return trial.fail(format!("{grants} grants for {key}, not 1"), &[server]);
        }
    }
    Ok(())
}

/// Each of `bodies` is answered 2xx, and each of `keys` has one row in
/// each table.
fn once_each(
    trial: &Trial,
    server: &Running,
    bodies: &[String],
    keys: &[&str],
    when: &str,
) -> Result<(), String> {
    for body in bodies {
        let status = trial.send(server, body);
        if !accepted(status) {
            return trial.fail(format!("{when}: {body:?} was answered {status}"), &[server]);
        }
    }
    for key in keys {
        let rows = trial.database.rows(key);
        if rows != (1, 1) {
            return trial.fail(
                format!(
                    "{when}: {key} has {} key rows and {} grants, not one of each",
                    rows.0, rows.1
                ),
                &[server],
            );
        }
    }
    Ok(())
}

/// 40 deliveries of one purchase at once, across both instances: the same
/// body, and bodies of other times (as a second delivery of one purchase
/// would be).
fn race(trial: &Trial, servers: [&Running; 2], bodies: &[String]) -> Vec<u16> {
    let ports = servers.map(|server| server.port);
    thread::scope(|scope| {
        let sent: Vec<_> = (0..40)
            .map(|i| {
                let body = &bodies[i % bodies.len()];
                let port = ports[i % 2];
                scope.spawn(move || post(port, &trial.recipe.path, body, Some("text/plain"), false))
            })
            .collect();
        sent.into_iter().map(|s| s.join().unwrap()).collect()
    })
}

/// Every check of the module's doc, on one recipe and one database.
fn handles_each_delivery_once(recipe: &Recipe, database: &Database) -> Result<(), String> {
    set_up(recipe)?;
    let trial = Trial::new(recipe, database);
    let mut first = trial.start()?;
    stores_every_vector_under_its_key(&trial, &first)?;

    // A captured purchase and a captured reward, sent again as received
    // and rewritten: one row each.
    let (captured, captured_key) = trial.purchase("captured");
    let reward = sign(&payload("GivePlayerReward", SignedDuration::ZERO));
    let reward_key = payload_key(&reward);
    let bodies: Vec<String> = [rewritten(&captured), rewritten(&reward)].concat();
    let keys = [captured_key.as_str(), reward_key.as_str()];
    once_each(&trial, &first, &bodies, &keys, "captured bodies rewritten")?;

    // kill -9, restart: the database remembers.
    first.kill();
    let mut first = trial.start()?;
    once_each(
        &trial,
        &first,
        &bodies,
        &keys,
        "after kill -9 and a restart",
    )?;

    // An effect that fails: 5xx, and no key kept; then the repeat runs it.
    let (failing, failing_key) = trial.purchase("failing");
    database.refuse_grants();
    let status = trial.send(&first, &failing);
    let rows = database.rows(&failing_key);
    database.accept_grants();
    if !(500..600).contains(&status) || rows != (0, 0) {
        return trial.fail(
            format!(
                "a delivery whose grant failed was answered {status} and left {} key rows and {} grants: 5xx, and none",
                rows.0, rows.1
            ),
            &[&first],
        );
    }
    once_each(
        &trial,
        &first,
        &[failing.clone(), failing],
        &[&failing_key],
        "the repeat of a delivery whose grant had failed",
    )?;

    // A commit the database refuses (PostgreSQL): the same.
    let (refused, refused_key) = trial.purchase("refused");
    if database.refuse_commits() {
        let status = trial.send(&first, &refused);
        let rows = database.rows(&refused_key);
        database.accept_commits();
        if !(500..600).contains(&status) || rows != (0, 0) {
            return trial.fail(
                format!(
                    "a delivery whose commit was refused was answered {status} and left {} key rows and {} grants: 5xx, and none",
                    rows.0, rows.1
                ),
                &[&first],
            );
        }
        once_each(
            &trial,
            &first,
            std::slice::from_ref(&refused),
            &[&refused_key],
            "the repeat of a delivery whose commit had been refused",
        )?;
    }

    // Two instances on one database, one purchase 40 times at once.
    let second = trial.start()?;
    let id = format!("raced-{}", trial.run);
    let raced_key = format!("PurchasePlayerPurchase:{id}");
    let raced: Vec<String> = (0..4)
        .map(|age| sign(&purchase(&id, SignedDuration::from_secs(age))))
        .collect();
    let statuses = race(&trial, [&first, &second], &raced);
    let rows = database.rows(&raced_key);
    if !statuses.iter().all(|&s| accepted(s)) || rows != (1, 1) {
        return trial.fail(
            format!(
                "40 deliveries of one purchase across two instances were answered {statuses:?} and left {} key rows and {} grants: all 2xx, one of each",
                rows.0, rows.1
            ),
            &[&first, &second],
        );
    }

    // Killed -9 while its transaction waits on a lock the test holds.
    let (locked, locked_key) = trial.purchase("locked");
    let lock = database.lock();
    let (answered, answer) = mpsc::channel();
    let port = first.port;
    let path = recipe.path.clone();
    let body = locked.clone();
    let sender = thread::spawn(move || {
        let status = post(port, &path, &body, Some("text/plain"), false);
        let _ = answered.send(status);
    });
    // No answer while it waits: it may answer only after its commit, and it
    // gives up on a lock after 5 s, not 2.
    let early = answer.recv_timeout(WAIT_ON_LOCK).ok();
    let waiting = database.someone_waits();
    first.kill();
    drop(lock);
    sender.join().unwrap();
    let rows = database.rows(&locked_key);
    if early.is_some() || !waiting || rows != (0, 0) {
        return trial.fail(
            format!(
                "a delivery whose transaction waited on a lock was answered {early:?} (None: not yet) within {} s, {} waiting on the lock, and left {} key rows and {} grants after a kill -9: no answer, waiting, nothing kept",
                WAIT_ON_LOCK.as_secs(),
                if waiting { "was" } else { "was not" },
                rows.0,
                rows.1
            ),
            &[&first],
        );
    }
    let first = trial.start()?;
    once_each(
        &trial,
        &first,
        std::slice::from_ref(&locked),
        &[&locked_key],
        "the repeat after a kill -9 while waiting on a lock, and a restart",
    )?;
    once_each(
        &trial,
        &second,
        &[locked],
        &[&locked_key],
        "the same repeat at the other instance",
    )?;
    // Nothing else anywhere: no grant without its key, no key without one
    // grant.
    let strays = database.strays();
    if !strays.is_empty() {
        return trial.fail(
            format!("the tables hold what no delivery may leave: {strays:?}"),
            &[&first, &second],
        );
    }
    Ok(())
}

/// A `DATABASE_URL` of no known form: exit 2 at start, or 5xx for each
/// delivery where the recipe starts per request; the URL, which may hold a
/// password, never printed.
fn refuses_an_unknown_database(recipe: &Recipe) -> Result<(), String> {
    set_up(recipe)?;
    let password = "pw-5ecret-77";
    let url = format!("mysql://game:{password}@127.0.0.1:1/game");
    let env = [("DATABASE_URL", url.as_str())];
    let why = match Running::with(recipe, &recipe.start, &env) {
        Err(why) => {
            if !why.contains("ended (exit status: 2)") {
                return Err(format!(
                    "{}: with DATABASE_URL={url} it did not exit 2: {why}",
                    recipe.name
                ));
            }
            why
        }
        Ok(server) => {
            let status = post(
                server.port,
                &recipe.path,
                &sign(&payload("GivePlayerReward", SignedDuration::ZERO)),
                Some("text/plain"),
                false,
            );
            if !(500..600).contains(&status) {
                return Err(format!(
                    "{}: with DATABASE_URL={url} it started, and a valid body was answered {status}, not 5xx\nserver log:\n{}",
                    recipe.name,
                    server.log()
                ));
            }
            server.log()
        }
    };
    if why.contains(password) || !why.contains("DATABASE_URL") {
        return Err(format!(
            "{}: with DATABASE_URL={url}, what it said must name DATABASE_URL and never its password:\n{why}",
            recipe.name
        ));
    }
    Ok(())
}

#[test]
#[cfg_attr(
    not(gpwh_test_all),
    ignore = "needs Node.js, npm, Python's venv, Go, a JDK, PHP, Rust and PostgreSQL: GPWH_TEST_ALL=1 runs it"
)]
fn every_recipe_handles_each_delivery_exactly_once_on_sqlite_and_postgresql() {
    let postgres = Postgres::start();
    let started = Instant::now();
    let times = std::sync::Mutex::new(BTreeMap::new());
    for_every_recipe(AT_ONCE, |recipe| {
        let began = Instant::now();
        let scratch = tempfile::tempdir().unwrap();
        refuses_an_unknown_database(recipe)?;
        handles_each_delivery_once(recipe, &Database::sqlite(scratch.path()))?;
        handles_each_delivery_once(recipe, &postgres.database(&recipe.name))?;
        times
            .lock()
            .unwrap()
            .insert(recipe.name.clone(), began.elapsed().as_secs());
        Ok(())
    });
    eprintln!(
        "every recipe on SQLite and PostgreSQL in {} s: {:?}",
        started.elapsed().as_secs(),
        times.into_inner().unwrap()
    );
}
