"""Where delivery keys are kept: a table gamepush_deliveries in your own
database, written in the same transaction as what your code grants.

What stops a replay is not a lookup before an insert (two deliveries at
once would both see nothing and both grant) but the key's row: inserted
under a PRIMARY KEY, in the same transaction as the effect, and committed
with it. A second delivery of the key inserts nothing and is a repeat; one
that comes while the first is still in flight waits for it on the
constraint. A crash before the commit leaves neither row behind
(docs/exactly-once.md in gpwh's repository says it all).

Three stores, each with once(key, work) and the same Transaction:
SQLiteStore (the standard library's sqlite3), PostgresStore (psycopg 3: a
URL, your connection, or your psycopg_pool pool) and DjangoStore (Django's
own database connection). None imports a driver before it is used.
"""

import importlib
import os
import sqlite3
import threading
import urllib.parse
from contextlib import contextmanager
from typing import Any, Callable, Iterator, List, Optional, Sequence, Union

# How long a transaction waits for a lock (another delivery of its key in
# flight, SQLite's write lock) or for a connection, in seconds.
LOCK_TIMEOUT = 5
# Connections a store opens itself, at most, per process.
POOL_SIZE = 10
# Taken around the CREATEs on PostgreSQL, so that two instances starting at
# once do not trip over each other.
SCHEMA_LOCK = 1735423848
SCHEMA = {
    "sqlite": """CREATE TABLE IF NOT EXISTS gamepush_deliveries (
        key        TEXT PRIMARY KEY,
        handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )""",
    "postgresql": """CREATE TABLE IF NOT EXISTS gamepush_deliveries (
        key        text PRIMARY KEY,
        handled_at timestamptz NOT NULL DEFAULT now()
    )""",
}
CLAIM = "INSERT INTO gamepush_deliveries (key) VALUES (?) ON CONFLICT (key) DO NOTHING"


class Transaction:
    """The transaction a delivery is handled on, as handle(payload, tx) gets
    it: tx.execute(sql, params) runs SQL written with ? placeholders on
    every store; tx.connection is the driver's own connection (sqlite3's,
    psycopg's, or Django's), inside the transaction; tx.key is the delivery
    key it claimed, and tx.webhook the verified webhook, when receive made
    it."""

    def __init__(self, connection: Any, execute: Callable[[str, Sequence[Any]], Any],
                 placeholder: str = "?", key: str = "") -> None:
        self.connection = connection
        self.key = key
        self.webhook: Any = None
        self._execute = execute
        self._placeholder = placeholder

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Runs one statement with ? placeholders; returns the driver's
        cursor."""
        if self._placeholder != "?":
            sql = sql.replace("%", "%%").replace("?", self._placeholder)
        return self._execute(sql, params)


Work = Callable[[Transaction], None]


class _Repeat(Exception):
    """The key was claimed before: roll back, hand the connection back."""


def short_reason(error: BaseException, hidden: Sequence[str] = ()) -> str:
    """error's type and the first line of its message, each text of hidden
    (a URL, a password) written *** instead."""
    text = (str(error).strip().splitlines() or [""])[0][:300]
    for secret in hidden:
        text = text.replace(secret, "***")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def secrets_of(url: str) -> List[str]:
    """What a log line must never hold of a database URL: the URL, and its
    password as written, as meant, and in the pieces a stray '@' splits it
    into; longest first."""
    authority = url.partition("://")[2].partition("/")[0]
    password = authority.rpartition("@")[0].partition(":")[2]
    hidden = {url, password, urllib.parse.unquote(password), *password.split("@")}
    return sorted(filter(None, hidden), key=len, reverse=True)


class _Store:
    """What every store does with a transaction of its kind: claim the key,
    run the work, commit both, or roll both back."""

    kind = ""
    _hidden: Sequence[str] = ()

    def once(self, key: str, work: Work) -> bool:
        """Runs work(tx) in one transaction that first claims key, and
        commits both. False, with nothing done, when the key was claimed
        before; raises, with everything rolled back, when work or the
        database fails."""
        try:
            with self.transaction(key) as tx:
                if tx.execute(CLAIM, (key,)).rowcount == 0:
                    raise _Repeat
                work(tx)
        except _Repeat:
            return False
        return True

    def setup(self, *statements: str) -> None:
        """Creates gamepush_deliveries when missing, and runs statements
        (your own CREATE TABLE IF NOT EXISTS ...) in the same transaction;
        on PostgreSQL under a lock, so that two instances starting at once
        do not trip over each other."""
        with self.transaction() as tx:
            if self.kind == "postgresql":
                tx.execute(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
            for statement in (SCHEMA[self.kind], *statements):
                tx.execute(statement)

    def reason(self, error: BaseException) -> str:
        """Why error happened, in a short line for a log, without the
        database's URL or password."""
        return short_reason(error, self._hidden)

    @contextmanager
    def transaction(self, key: str = "") -> Iterator[Transaction]:  # pragma: no cover
        raise NotImplementedError
        yield


class _Pool:
    """At most `size` connections, each used by one thread at a time,
    opened by `connect` when none is idle."""

    def __init__(self, connect: Callable[[], Any], size: int, timeout: float) -> None:
        self._connect = connect
        self._timeout = timeout
        self._idle: List[Any] = []
        self._idle_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)

    @contextmanager
    def connection(self) -> Iterator[Any]:
        if not self._slots.acquire(timeout=self._timeout):
            raise TimeoutError(f"no database connection free within {self._timeout} s")
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

    def _put_back(self, connection: Any) -> None:
        with self._idle_lock:
            self._idle.append(connection)

    def close(self) -> None:
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


class SQLiteStore(_Store):
    """Delivery keys in SQLite, through the standard library's sqlite3.

    database is a file's path (connections are opened as needed, at most
    pool_size, in WAL mode) or a function returning a new sqlite3
    connection (the store turns off its implicit transactions and sets its
    busy timeout). tables are CREATE statements of your own, run with the
    store's own at start. Each delivery's transaction begins with BEGIN
    IMMEDIATE, which takes the write lock at once (waiting up to
    lock_timeout for it) instead of failing with "database is locked" when
    a read turns into a write later."""

    kind = "sqlite"

    def __init__(self, database: Union[str, "os.PathLike[str]", Callable[[], sqlite3.Connection]],
                 *, tables: Sequence[str] = (), pool_size: int = POOL_SIZE,
                 lock_timeout: float = LOCK_TIMEOUT) -> None:
        self._database = database
        self._lock_timeout = lock_timeout
        self._pool = _Pool(self._open, pool_size, lock_timeout)
        self.setup(*tables)

    def _open(self) -> sqlite3.Connection:
        if callable(self._database):
            connection = self._database()
            connection.isolation_level = None
        else:
            connection = sqlite3.connect(self._database, timeout=self._lock_timeout,
                                         isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA busy_timeout = {int(self._lock_timeout * 1000)}")
        return connection

    @contextmanager
    def transaction(self, key: str = "") -> Iterator[Transaction]:
        """One transaction on a connection of the store's, committed when
        the block ends, rolled back when it raises."""
        with self._pool.connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(connection, connection.execute, "?", key)
                # A statement may have rolled the whole transaction back
                # (INSERT OR ROLLBACK, RAISE(ROLLBACK) in a trigger, a full
                # disk) with its error caught in handle: commit() would then
                # do nothing, and the delivery be answered 200 with nothing
                # kept, key included. Raise instead: answered 500, sent again.
                if not connection.in_transaction:
                    raise sqlite3.OperationalError(
                        "the transaction was rolled back by a statement in handle"
                    )
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    def close(self) -> None:
        """Closes the idle connections."""
        self._pool.close()


class PostgresStore(_Store):
    """Delivery keys in PostgreSQL, through psycopg 3.

    database is one of:
    - a connection URL or conninfo string: the store opens its own
      connections, at most pool_size, each with lock_timeout set;
    - a psycopg_pool.ConnectionPool of yours: each delivery borrows one;
    - a psycopg.Connection of yours, idle (not in a transaction): the
      deliveries take turns on it.
    Each transaction waits lock_timeout seconds at most for a lock (another
    delivery of its key in flight): past that it fails, rolled back, and the
    delivery is answered 500 and sent again."""

    kind = "postgresql"

    def __init__(self, database: Any, *, tables: Sequence[str] = (), pool_size: int = POOL_SIZE,
                 lock_timeout: float = LOCK_TIMEOUT) -> None:
        try:
            self._psycopg = importlib.import_module("psycopg")
        except ImportError:
            raise ImportError('PostgreSQL needs psycopg 3: pip install "psycopg[binary]"') from None
        self._lock_timeout = lock_timeout
        self._turn: Optional[threading.Lock] = None
        if isinstance(database, str):
            self._hidden = secrets_of(database)
            url = database
            self._pool: Any = _Pool(lambda: self._psycopg.connect(
                url, autocommit=True, connect_timeout=max(1, int(lock_timeout))), pool_size, lock_timeout)
        elif hasattr(database, "getconn"):  # a psycopg_pool pool
            self._pool = _BorrowedPool(database, lock_timeout)
        else:
            self._turn = threading.Lock()
            self._pool = _OneConnection(database, self._turn, lock_timeout)
            password = getattr(getattr(database, "info", None), "password", None)
            self._hidden = [password] if password else []
        self.setup(*tables)

    @contextmanager
    def transaction(self, key: str = "") -> Iterator[Transaction]:
        """One transaction, committed when the block ends, rolled back when
        it raises."""
        psycopg = self._psycopg
        with self._pool.connection() as connection:
            if connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                raise RuntimeError("the connection is inside a transaction already: the key and "
                                   "the effect must commit on their own, give an idle connection")
            with connection.transaction():
                # An INSERT of a key that another transaction is inserting
                # waits for it to end: for lock_timeout at most.
                connection.execute(f"SET LOCAL lock_timeout = '{int(self._lock_timeout * 1000)}ms'")
                yield Transaction(connection, connection.execute, "%s", key)
                # A statement that failed in handle, its error caught there,
                # leaves the transaction aborted, and PostgreSQL answers its
                # COMMIT with a rollback, not an error: the delivery would be
                # answered 200 with nothing kept, key included, and be lost.
                # Raise instead: rolled back, answered 500, and sent again.
                if connection.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
                    raise psycopg.errors.InFailedSqlTransaction(
                        "the transaction was aborted by a statement that failed in handle")

    def close(self) -> None:
        """Closes the connections the store opened itself (never yours)."""
        if isinstance(self._pool, _Pool):
            self._pool.close()


class _BorrowedPool:
    """A psycopg_pool pool of the caller's, lent one connection at a time."""

    def __init__(self, pool: Any, timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout

    @contextmanager
    def connection(self) -> Iterator[Any]:
        with self._pool.connection(timeout=self._timeout) as connection:
            yield connection


class _OneConnection:
    """The caller's one connection, used by one delivery at a time."""

    def __init__(self, connection: Any, turn: threading.Lock, timeout: float) -> None:
        self._connection = connection
        self._turn = turn
        self._timeout = timeout

    @contextmanager
    def connection(self) -> Iterator[Any]:
        if not self._turn.acquire(timeout=self._timeout):
            raise TimeoutError(f"the database connection was not free within {self._timeout} s")
        try:
            yield self._connection
        finally:
            self._turn.release()


class DjangoStore(_Store):
    """Delivery keys in Django's own database (`using`, "default" unless
    told), on SQLite or PostgreSQL: the key and your effect (through the
    transaction's execute, or your models) in one atomic() block.

    Django must be configured first; the store touches the database only
    when used, so call setup() at start (or create the table in a
    migration: migrations.RunSQL(SCHEMA[vendor])). For SQLite, set
    OPTIONS {"transaction_mode": "IMMEDIATE"} (Django 5.1+) so that atomic()
    takes the write lock at once; for PostgreSQL, a lock_timeout
    (OPTIONS {"options": "-c lock_timeout=5s"})."""

    def __init__(self, using: str = "default") -> None:
        self._using = using

    @property
    def kind(self) -> str:  # type: ignore[override]
        db = importlib.import_module("django.db")
        vendor: str = db.connections[self._using].vendor
        return vendor

    @contextmanager
    def transaction(self, key: str = "") -> Iterator[Transaction]:
        """One atomic() block, committed when it ends, rolled back when it
        raises."""
        db = importlib.import_module("django.db")
        connection = db.connections[self._using]
        with db.transaction.atomic(using=self._using), connection.cursor() as cursor:
            yield Transaction(connection, _returning(cursor), "%s", key)
            # work may have caught a database error and returned. Then
            # atomic() rolls back without an error when needs_rollback is
            # set, and on PostgreSQL an aborted transaction's COMMIT rolls
            # back too: nothing kept, key included, and the delivery, if
            # answered 200, lost. Raise instead: rolled back, answered 500,
            # and sent again.
            if connection.needs_rollback or _aborted(connection):
                raise db.transaction.TransactionManagementError(
                    "the transaction was aborted by a statement that failed in handle")

    def reason(self, error: BaseException) -> str:
        db = importlib.import_module("django.db")
        settings = db.connections[self._using].settings_dict
        password = settings.get("PASSWORD") or ""
        return short_reason(error, [password] if password else [])


def _returning(cursor: Any) -> Callable[[str, Sequence[Any]], Any]:
    def execute(sql: str, params: Sequence[Any]) -> Any:
        cursor.execute(sql, params)
        return cursor
    return execute


def _aborted(connection: Any) -> bool:
    """Whether PostgreSQL has aborted the transaction, which then ends in a
    rollback whatever is sent."""
    if connection.vendor != "postgresql":
        return False
    pq = importlib.import_module("psycopg.pq")
    status = connection.connection.info.transaction_status
    return bool(status == pq.TransactionStatus.INERROR)

