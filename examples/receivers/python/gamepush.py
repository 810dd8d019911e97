"""Receiving GamePush webhooks in Python: check_body says whether a body is
a genuine, fresh webhook, delivery_key says which delivery it is, and
receive hands each genuine delivery to your code once, in one database
transaction with its key. Copy this file into your project as it is; every
Python recipe in examples/receivers/ uses the same one, and only the code
that hands it the raw body differs.

What is known, and what is not: the body is BASE64(JSON) "." SIGNATURE and
the signature is SHA-256 over the first part, '_' and your secret key
(documented). How the digest is written is not documented (lowercase hex is
likely, base64 possible), nor whether or when GamePush sends a delivery
again. So every way of writing the same 32 bytes is accepted, the window on
`time` is wide enough for any redelivery schedule, and what stops a
delivery from acting twice is its key, kept in your database
(docs/exactly-once.md in gpwh's repository says it all).

The database: open_deliveries(DATABASE_URL) takes SQLite through the
standard library's sqlite3 (unset or empty: the file gamepush.sqlite3 in
the working directory; sqlite:PATH: the file PATH), or PostgreSQL through
psycopg 3 (postgres://user:pass@host:5432/db, or postgresql://), which is
imported only then. Django's recipe keeps the same tables through Django's
own database layer instead, with the same SQL.
"""

import base64
import binascii
import hashlib
import hmac
import json
import logging
import re
import sqlite3
import threading
import time
import urllib.parse
from contextlib import contextmanager
from datetime import datetime

log = logging.getLogger("gamepush")

# Webhooks are a few kilobytes; a larger body is not one.
MAX_BODY = 1 << 20
# How old a body may be: 72 hours. `time` is when the operation happened, and
# a delivery sent again after your server was down most likely carries that
# time: a window of minutes would refuse it and lose the purchase. The
# window only bounds how long a captured body can be replayed at all; the
# delivery key in your database is what makes a replay do nothing.
MAX_AGE_SECONDS = 72 * 60 * 60
# A clock a little ahead of ours is not an attack.
CLOCK_SKEW = 60
RFC3339 = re.compile(
    r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)\Z", re.IGNORECASE
)
BASE64 = re.compile(rb"(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}\Z")
# A SHA-256 digest as 64 hex digits in either case, or as base64 in either
# alphabet, padded or not.
HEX_DIGEST = re.compile(rb"[0-9a-fA-F]{64}\Z")
BASE64_DIGEST = re.compile(rb"(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?\Z")
# Events that happen once per purchase, whichever body carries them.
ONCE_PER_PURCHASE = ("PurchasePlayerPurchase", "ConsumePlayerPurchase")
# The largest whole number every language holds exactly: 2^53 - 1.
MAX_WHOLE = 2**53 - 1


class Refused(Exception):
    """A body that is not a genuine, fresh webhook; the message says why."""


class Payload(dict):
    """A verified payload: the JSON object, as a dict, and in .json its
    bytes exactly as GamePush encoded them, which the signature covers."""

    def __init__(self, fields, json_bytes):
        super().__init__(fields)
        self.json = json_bytes


def check_body(raw, secret, max_age_seconds=MAX_AGE_SECONDS, now=None):
    """The Payload (a dict) of a genuine, fresh webhook body, or Refused.

    raw is the body as bytes, exactly as received; secret is bytes too."""
    # BASE64(JSON) "." SIGNATURE, as bytes, exactly as received: the
    # signature covers those bytes. '.' is in no base64 alphabet, so the last
    # one is the separator.
    body = raw.strip(b" \t\r\n")
    payload_part, dot, signature = body.rpartition(b".")
    if not dot:
        raise Refused("no signature")

    # SHA-256 over the payload part as received, '_', and the secret. The
    # signature's 32 bytes, however they are written, are compared in
    # constant time so that timing reveals nothing.
    expected = hashlib.sha256(payload_part + b"_" + secret).digest()
    if not hmac.compare_digest(digest_of(signature), expected):
        raise Refused("signature does not match")

    # Only now is the payload trusted enough to parse. Decode strictly:
    # b64decode skips bytes that are not base64 unless told not to.
    if not BASE64.match(payload_part):
        raise Refused("payload is not base64")
    standard = payload_part.replace(b"-", b"+").replace(b"_", b"/").rstrip(b"=")
    try:
        text = base64.b64decode(standard + b"=" * (-len(standard) % 4), validate=True)
        fields = json.loads(text)
    except (binascii.Error, ValueError):
        raise Refused("payload is not base64 JSON") from None
    if not isinstance(fields, dict):
        raise Refused("payload is not a JSON object")

    # A captured body stays validly signed forever: the window bounds how
    # long a replay is possible at all.
    sent = parse_time(fields.get("time"))
    if sent is None:
        raise Refused("payload has no RFC 3339 time")
    age = (time.time() if now is None else now) - sent
    if age > max_age_seconds or age < -CLOCK_SKEW:
        raise Refused("body is too old, or from the future")
    return Payload(fields, text)


def digest_of(signature):
    """The 32 bytes of a signature written as hex or base64; b"" otherwise."""
    if HEX_DIGEST.match(signature):
        return bytes.fromhex(signature.decode())
    if BASE64_DIGEST.match(signature):
        unpadded = signature.replace(b"-", b"+").replace(b"_", b"/").rstrip(b"=")
        return base64.b64decode(unpadded + b"=", validate=True)
    return b""


def delivery_key(payload):
    """What makes a delivery the same delivery again, from the verified
    payload (never from the body as received, which anyone can rewrite
    without the key: whitespace, the digest's case or alphabet).

    A purchase, or its consumption, is keyed on the purchase's _id, whatever
    body carries it: "PurchasePlayerPurchase:" and the _id's UTF-8 bytes
    percent-encoded (1 to 200 bytes), or a whole number in decimal. Anything
    else is "sha256:" and the hex SHA-256 of the payload's JSON bytes.
    payload is what check_body returns."""
    event = payload.get("event")
    result = payload.get("result")
    purchase = result.get("purchase") if isinstance(result, dict) else None
    if event in ONCE_PER_PURCHASE and isinstance(purchase, dict):
        purchase_id = purchase.get("_id")
        number = whole_number(purchase_id)
        if number is not None:
            return f"{event}:{number}"
        if isinstance(purchase_id, str):
            try:
                id_bytes = purchase_id.encode()
            except UnicodeEncodeError:  # a lone surrogate, as "\ud800" gives
                id_bytes = b""
            if 1 <= len(id_bytes) <= 200:
                return f"{event}:{urllib.parse.quote(id_bytes, safe='')}"
    return "sha256:" + hashlib.sha256(payload.json).hexdigest()


def whole_number(value):
    """value as an int when it is a JSON number whose value is whole and
    within 2^53 - 1 either way (777, 777.0 and 7.77e2 alike); None
    otherwise, booleans included."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # -0.0 becomes 0
    if isinstance(value, int) and abs(value) <= MAX_WHOLE:
        return value
    return None


def receive(raw, secret, deliveries, handle, max_age_seconds=MAX_AGE_SECONDS):
    """Judges a raw body and hands a genuine one to handle(payload, tx), once
    per delivery key, on the transaction tx that claims the key. Returns the
    (status, text) to answer:

    - 200 "ok": handled now, and committed before this answer;
    - 200 "already handled": the key was in the database, so the delivery
      was handled before and handle is not run again (a 4xx or 5xx would
      only make the sender try again, forever);
    - 400: not a genuine, fresh webhook (the body is at fault; the database
      is not touched);
    - 500: handle or the database failed, and everything was rolled back,
      key included, so that a repeat runs it again.

    Logs "delivery KEY: handled" (or "a repeat", or "not handled: why").
    deliveries is what open_deliveries returns, or any object with its
    run_once(key, work) and reason(error)."""
    try:
        payload = check_body(raw, secret, max_age_seconds)
    except Refused as refused:
        return 400, str(refused)
    key = delivery_key(payload)
    try:
        handled = deliveries.run_once(key, lambda tx: handle(payload, tx))
    except Exception as error:
        log.error("delivery %s: not handled: %s", key, deliveries.reason(error))
        return 500, "handler failed"
    if not handled:
        log.info("delivery %s: a repeat, answered without handling it again", key)
        return 200, "already handled"
    log.info("delivery %s: handled", key)
    return 200, "ok"


def parse_time(text):
    """Seconds since the epoch of an RFC 3339 time, or None. GamePush writes
    nanoseconds; datetime keeps microseconds."""
    match = RFC3339.match(text) if isinstance(text, str) else None
    if not match:
        return None
    whole, fraction, zone = match.groups()
    zone = "+00:00" if zone.upper() == "Z" else zone
    try:
        moment = datetime.fromisoformat(f"{whole}.{(fraction or '0')[:6]:0<6}{zone}")
    except ValueError:
        return None
    return moment.timestamp()


# The database. What stops a replay is not a lookup before an insert (two
# deliveries at once would both see nothing and both grant) but the key's
# row: inserted under a PRIMARY KEY, in the same transaction as the effect,
# and committed with it. A second delivery of the key inserts nothing and is
# a repeat; one that comes while the first is still in flight waits for it
# on the constraint. A crash before the commit leaves neither row behind.

# The tables, created at start when missing. grants is the demo's effect:
# the row a game writes when it gives something. It has no unique
# constraint on purpose, so that a double grant would show as two rows.
SCHEMA = {
    "sqlite": (
        """CREATE TABLE IF NOT EXISTS gamepush_deliveries (
            key        TEXT PRIMARY KEY,
            handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )""",
        """CREATE TABLE IF NOT EXISTS grants (
            delivery_key TEXT NOT NULL,
            event        TEXT NOT NULL,
            player_id    INTEGER
        )""",
    ),
    "postgresql": (
        """CREATE TABLE IF NOT EXISTS gamepush_deliveries (
            key        text PRIMARY KEY,
            handled_at timestamptz NOT NULL DEFAULT now()
        )""",
        """CREATE TABLE IF NOT EXISTS grants (
            delivery_key text NOT NULL,
            event        text NOT NULL,
            player_id    bigint
        )""",
    ),
}
# Taken around the CREATEs on PostgreSQL, so that two instances starting at
# once do not trip over each other.
SCHEMA_LOCK = 1735423848
CLAIM = "INSERT INTO gamepush_deliveries (key) VALUES (?) ON CONFLICT (key) DO NOTHING"
# How long a transaction waits for a lock (another delivery of its key in
# flight, SQLite's write lock) or for a connection, in seconds.
LOCK_TIMEOUT = 5
# Connections kept open by one process, at most.
POOL_SIZE = 10
DATABASE_URL_FORMS = (
    "DATABASE_URL must be empty (SQLite in ./gamepush.sqlite3), sqlite:PATH "
    "(SQLite in the file PATH) or postgres://user:pass@host:5432/db "
    "(or postgresql://...)"
)


class BadDatabaseUrl(ValueError):
    """DATABASE_URL is none of the three forms. The message names them, and
    never the URL, which may hold a password."""

    def __init__(self):
        super().__init__(DATABASE_URL_FORMS)


def database_of(url):
    """("sqlite", PATH) or ("postgresql", URL) for a DATABASE_URL, or
    BadDatabaseUrl."""
    if not url:
        return "sqlite", "gamepush.sqlite3"
    if url.startswith("sqlite:") and len(url) > len("sqlite:"):
        return "sqlite", url[len("sqlite:"):]
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql", url
    raise BadDatabaseUrl()


def open_deliveries(url):
    """The store of delivery keys for a DATABASE_URL, its tables created if
    missing. Raises BadDatabaseUrl, or DatabaseUnavailable (psycopg not
    installed, or the database unreachable, or refusing)."""
    kind, where = database_of(url)
    deliveries = SQLiteDeliveries(where) if kind == "sqlite" else PostgresDeliveries(where)
    try:
        deliveries.create_tables()
    except Exception as error:
        raise DatabaseUnavailable(deliveries.reason(error)) from None
    return deliveries


class DatabaseUnavailable(Exception):
    """The database could not be opened at start; the message says why,
    without its URL or password."""


class Transaction:
    """The transaction a delivery is handled on, as handle(payload, tx) gets
    it: tx.execute(sql, params) runs SQL written with ? placeholders on
    either database, and tx.connection is the driver's own connection
    (sqlite3's or psycopg's), inside the transaction."""

    def __init__(self, connection, placeholder="?"):
        self.connection = connection
        self._placeholder = placeholder

    def execute(self, sql, params=()):
        if self._placeholder != "?":
            sql = sql.replace("%", "%%").replace("?", self._placeholder)
        return self.connection.execute(sql, params)


class Deliveries:
    """The delivery keys handled, in a database; a pool of at most
    POOL_SIZE connections, each used by one thread at a time. The two
    databases differ only in how they connect and open a transaction."""

    def __init__(self):
        self._idle = []
        self._idle_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(POOL_SIZE)
        self._hidden = ()

    def run_once(self, key, work):
        """Runs work(tx) in one transaction that first claims key, and
        commits both. False, with nothing done, when the key was claimed
        before; raises, with everything rolled back, when work or the
        database fails."""
        try:
            with self._connection() as connection, self._transaction(connection) as tx:
                if tx.execute(CLAIM, (key,)).rowcount == 0:
                    raise _Repeat
                work(tx)
        except _Repeat:
            return False
        return True

    def create_tables(self):
        with self._connection() as connection, self._transaction(connection) as tx:
            if self.kind == "postgresql":
                tx.execute(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
            for statement in SCHEMA[self.kind]:
                tx.execute(statement)

    def reason(self, error):
        """Why error happened, in a short line for a log, without the
        database's URL or password."""
        return short_reason(error, self._hidden)

    @contextmanager
    def _connection(self):
        if not self._slots.acquire(timeout=LOCK_TIMEOUT):
            raise TimeoutError(f"no database connection free within {LOCK_TIMEOUT} s")
        try:
            with self._idle_lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                connection = self._connect()
            try:
                yield connection
            except _Repeat:
                self._put_back(connection)  # rolled back, and fit to serve again
                raise
            except BaseException:
                # It may be broken, or still in a transaction: a new one
                # serves the next delivery.
                connection.close()
                raise
            self._put_back(connection)
        finally:
            self._slots.release()

    def _put_back(self, connection):
        with self._idle_lock:
            self._idle.append(connection)


def secrets_of(url):
    """What a log line must never hold of a database URL: the URL, and its
    password as written, as meant, and in the pieces a stray '@' splits it
    into; longest first."""
    authority = url.partition("://")[2].partition("/")[0]
    password = authority.rpartition("@")[0].partition(":")[2]
    hidden = {url, password, urllib.parse.unquote(password), *password.split("@")}
    return sorted(filter(None, hidden), key=len, reverse=True)


def short_reason(error, hidden=()):
    """error's type and the first line of its message, each text of hidden
    (a URL, a password) written *** instead."""
    text = (str(error).strip().splitlines() or [""])[0][:300]
    for secret in hidden:
        text = text.replace(secret, "***")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class _Repeat(Exception):
    """The key was claimed before: roll back, hand the connection back."""


class SQLiteDeliveries(Deliveries):
    kind = "sqlite"

    def __init__(self, path):
        super().__init__()
        self.path = path

    def _connect(self):
        # isolation_level=None: sqlite3 opens no transaction by itself, and
        # _transaction says BEGIN IMMEDIATE, which takes the write lock at
        # once (waiting up to busy_timeout for it) instead of failing with
        # "database is locked" when a read turns into a write later.
        connection = sqlite3.connect(
            self.path, timeout=LOCK_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        connection.execute(f"PRAGMA busy_timeout = {LOCK_TIMEOUT * 1000}")
        connection.execute("PRAGMA journal_mode = WAL")
        return connection

    @contextmanager
    def _transaction(self, connection):
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield Transaction(connection)
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


class PostgresDeliveries(Deliveries):
    kind = "postgresql"

    def __init__(self, url):
        super().__init__()
        try:
            import psycopg  # only when the database is PostgreSQL
        except ImportError:
            need = 'PostgreSQL needs psycopg: pip install "psycopg[binary]"'
            raise DatabaseUnavailable(need) from None
        self._psycopg = psycopg
        self.url = url
        self._hidden = secrets_of(url)

    def _connect(self):
        connection = self._psycopg.connect(
            self.url, autocommit=True, connect_timeout=LOCK_TIMEOUT
        )
        # An INSERT of a key that another transaction is inserting waits for
        # it to end: for LOCK_TIMEOUT at most.
        connection.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}s'")
        return connection

    @contextmanager
    def _transaction(self, connection):
        with connection.transaction():
            yield Transaction(connection, "%s")
            # A statement that failed in handle, its error caught there,
            # leaves the transaction aborted, and PostgreSQL answers its
            # COMMIT with a rollback, not an error: the delivery would be
            # answered 200 with nothing kept, key included, and be lost.
            # Raise instead: rolled back, answered 500, and sent again.
            if connection.info.transaction_status == self._psycopg.pq.TransactionStatus.INERROR:
                raise self._psycopg.errors.InFailedSqlTransaction(
                    "the transaction was aborted by a statement that failed in handle"
                )
