"""Opening a store from a DATABASE_URL, in the forms gpwh's recipes read:
unset or empty (SQLite in ./gamepush.sqlite3), sqlite:PATH, and
postgres://user:pass@host:5432/db (or postgresql://). Nothing it raises
holds the URL, which may hold a password."""

from typing import Optional, Sequence, Tuple, Union

from .stores import PostgresStore, SQLiteStore, secrets_of, short_reason

DATABASE_URL_FORMS = (
    "DATABASE_URL must be empty (SQLite in ./gamepush.sqlite3), sqlite:PATH "
    "(SQLite in the file PATH) or postgres://user:pass@host:5432/db "
    "(or postgresql://...)"
)


class BadDatabaseUrl(ValueError):
    """DATABASE_URL is none of the three forms. The message names them, and
    never the URL."""

    def __init__(self) -> None:
        super().__init__(DATABASE_URL_FORMS)


class DatabaseUnavailable(Exception):
    """The database could not be opened; the message says why, without its
    URL or password."""


def database_of(url: Optional[str]) -> Tuple[str, str]:
    """("sqlite", PATH) or ("postgresql", URL) for a DATABASE_URL, or
    BadDatabaseUrl."""
    if not url:
        return "sqlite", "gamepush.sqlite3"
    if url.startswith("sqlite:") and len(url) > len("sqlite:"):
        return "sqlite", url[len("sqlite:"):]
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql", url
    raise BadDatabaseUrl()


def open_store(url: Optional[str], *, tables: Sequence[str] = ()) -> Union[SQLiteStore, PostgresStore]:
    """The store for a DATABASE_URL, its table (and `tables`, CREATE
    statements of your own) created when missing. Raises BadDatabaseUrl, or
    DatabaseUnavailable (psycopg not installed, or the database unreachable
    or refusing)."""
    kind, where = database_of(url)
    try:
        if kind == "sqlite":
            return SQLiteStore(where, tables=tables)
        return PostgresStore(where, tables=tables)
    except Exception as error:
        hidden = secrets_of(where) if kind == "postgresql" else []
        raise DatabaseUnavailable(short_reason(error, hidden)) from None
