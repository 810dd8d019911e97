"""A GamePush webhook receiver on Django, in one file, served by uvicorn
through Django's ASGI handler, keeping what it handled in SQLite or
PostgreSQL through Django's own database layer. gpwh-webhooks checks each
body and keeps each delivery's key; in your project, the view, its URL,
the store and handle are all you need, with your DATABASES. Or run it as
it is:

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    GPWH_SECRET='your secret key' PORT=3000 .venv/bin/python app.py

and check it with:
    gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush

Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
HOST (127.0.0.1), DATABASE_URL (unset or empty: SQLite in
./gamepush.sqlite3; sqlite:PATH; postgres://user:pass@host:5432/db, made
into DATABASES here), MAX_AGE_SECONDS (259200, 72 hours: how old a body may
be; a delivery sent again after downtime carries its first time).
"""

import logging
import os
import sys

from django.conf import settings

from gpwh_webhooks import (
    MAX_AGE_SECONDS,
    MAX_BODY,
    BadDatabaseUrl,
    DjangoStore,
    database_of,
    receive,
    whole_number,
)
from gpwh_webhooks.stores import LOCK_TIMEOUT, POOL_SIZE, secrets_of, short_reason

HOST = os.environ.get("HOST", "127.0.0.1")
SECRET = os.fsencode(os.environ.get("GPWH_SECRET", ""))
MAX_AGE = float(os.environ.get("MAX_AGE_SECONDS", MAX_AGE_SECONDS))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# receive() logs each delivery at INFO: handled, a repeat, or not handled.
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")


def database(url):
    """settings.DATABASES["default"] for a DATABASE_URL (what the
    dj-database-url package does, for the two databases used here)."""
    kind, where = database_of(url)
    if kind == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": where,
            "OPTIONS": {
                # atomic() begins with BEGIN IMMEDIATE, which takes the write
                # lock at once (waiting up to the timeout for it) instead of
                # failing with "database is locked" on a write later.
                "transaction_mode": "IMMEDIATE",
                "timeout": LOCK_TIMEOUT,
                "init_command": (
                    f"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={LOCK_TIMEOUT * 1000}"
                ),
            },
        }
    from psycopg.conninfo import conninfo_to_dict  # libpq's own reading of the URL

    params = conninfo_to_dict(where)
    # An INSERT of a key that another transaction is inserting waits for it
    # to end: for LOCK_TIMEOUT at most.
    params["options"] = f"{params.get('options', '')} -c lock_timeout={LOCK_TIMEOUT}s".strip()
    params.setdefault("connect_timeout", LOCK_TIMEOUT)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": params.pop("dbname", ""),
        "USER": params.pop("user", ""),
        "PASSWORD": params.pop("password", ""),
        "HOST": params.pop("host", ""),
        "PORT": params.pop("port", ""),
        # At most POOL_SIZE connections, shared by the requests (psycopg's
        # pool, Django 5.1+), however many come at once.
        "OPTIONS": {**params, "pool": {"max_size": POOL_SIZE, "timeout": LOCK_TIMEOUT}},
    }


try:
    DATABASE = database(DATABASE_URL)
except BadDatabaseUrl as bad:
    print(bad, file=sys.stderr)
    sys.exit(2)
except Exception as error:  # never the URL, which may hold a password
    sys.exit(f"cannot read DATABASE_URL: {short_reason(error, secrets_of(DATABASE_URL))}")

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=[HOST, "127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    DATABASES={"default": DATABASE},
    # Past it, reading request.body raises RequestDataTooBig: the view answers 413.
    DATA_UPLOAD_MAX_MEMORY_SIZE=MAX_BODY,
    MIDDLEWARE=[],
    SECRET_KEY=os.urandom(32).hex(),
)

from django.core.exceptions import RequestDataTooBig  # noqa: E402  (after settings)
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402


# The demo's effect: the row a game writes when it gives something. No
# unique constraint on purpose, so that a double grant would show as two
# rows. The store creates its own table of delivery keys beside it (in
# your project, a migration can create both: migrations.RunSQL).
GRANTS = """CREATE TABLE IF NOT EXISTS grants (
    delivery_key text NOT NULL,
    event        text NOT NULL,
    player_id    bigint
)"""

# The delivery keys, in Django's own database: each key inserted under its
# PRIMARY KEY in the same atomic() block as the effect, and committed with
# it. A second delivery of the key inserts nothing; one that comes while
# the first is in flight waits for it on the constraint.
STORE = DjangoStore()


def handle(payload, tx):
    """Your game's work, run once per delivery, in the atomic() block that
    records the delivery's key: what it writes (through tx.execute, or your
    models) is committed with the key, or rolled back with it when anything
    fails (and the delivery is answered 500, so that it comes again). A
    repeat is answered 2xx without running it. Every event must be answered
    2xx, including events you do not handle: GamePush adds new ones.

    This demo records each delivery as a grant: its key, its event, and
    player.id when it is a whole number. A game grants what
    payload["result"] describes (a purchase's product, a reward) to
    payload["player"]["id"], in rows of its own, in the same block."""
    player = payload.get("player")
    event = payload.get("event")
    tx.execute(
        "INSERT INTO grants (delivery_key, event, player_id) VALUES (?, ?, ?)",
        (
            tx.key,
            event if isinstance(event, str) else "",
            whole_number(player.get("id")) if isinstance(player, dict) else None,
        ),
    )


# GamePush has no CSRF token: the signature is the proof. csrf_exempt keeps
# CsrfViewMiddleware, which a project has on, from answering 403.
@csrf_exempt
@require_POST
def gamepush(request):
    # The trap: request.POST parses a body labelled
    # application/x-www-form-urlencoded as a form, and after it request.body
    # raises RawPostDataException; DRF's request.data parses it too. Read
    # request.body, first and alone: the exact bytes that were signed.
    try:
        raw = request.body
    except RequestDataTooBig:
        return HttpResponse("body too large\n", status=413, content_type="text/plain; charset=utf-8")
    # A sync view: Django runs it in a thread of its own under ASGI, so a
    # wait for a lock (up to 5 s) holds no other request.
    outcome = receive(raw, secrets=SECRET, store=STORE, handle=handle, max_age=MAX_AGE)
    return HttpResponse(
        f"{outcome.text}\n", status=outcome.status, content_type="text/plain; charset=utf-8"
    )


urlpatterns = [path("webhooks/gamepush", gamepush)]

if __name__ == "__main__":
    if not SECRET:
        sys.exit("set GPWH_SECRET to your project's secret key")
    # The tables, created when missing before the first delivery can come;
    # on PostgreSQL under a lock, so that two instances starting at once do
    # not trip over each other.
    try:
        STORE.setup(GRANTS)
        connection.close()
    except Exception as error:  # never the URL, which may hold a password
        sys.exit(f"cannot open the database: {STORE.reason(error)}")
    import uvicorn
    from django.core.asgi import get_asgi_application
    from uvicorn.protocols.http.h11_impl import H11Protocol

    # How long a whole request (headers and body) may take to arrive and be
    # answered.
    REQUEST_DEADLINE = 30

    class RequestDeadline(H11Protocol):
        """uvicorn's HTTP/1.1 protocol, with a deadline on each whole request:
        uvicorn has none, and a client sending a byte every few seconds would
        hold its connection (and the body's memory) forever. A request not
        answered within REQUEST_DEADLINE seconds of its first byte (or of the
        last answer on the connection) has its connection closed."""

        def connection_made(self, transport):
            super().connection_made(transport)
            self.deadline = self.loop.call_later(REQUEST_DEADLINE, self.transport.close)

        def on_response_complete(self):
            self.deadline.cancel()
            super().on_response_complete()
            # The next request on this connection gets its own; an idle
            # connection is closed sooner, by timeout_keep_alive.
            self.deadline = self.loop.call_later(REQUEST_DEADLINE, self.transport.close)

        def connection_lost(self, exc):
            self.deadline.cancel()
            super().connection_lost(exc)

    uvicorn.run(
        get_asgi_application(),
        host=HOST,
        port=int(os.environ.get("PORT", "3000")),
        lifespan="off",
        http=RequestDeadline,
        timeout_keep_alive=30,
    )
