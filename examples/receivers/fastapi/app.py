"""A GamePush webhook receiver on FastAPI, served by uvicorn, keeping what it
handled in SQLite or PostgreSQL. gpwh-webhooks checks each body and keeps
each delivery's key; copy this file, or run it as it is:

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    GPWH_SECRET='your secret key' PORT=3000 .venv/bin/python app.py

and check it with:
    gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush

Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
HOST (127.0.0.1), DATABASE_URL (unset or empty: SQLite in
./gamepush.sqlite3; sqlite:PATH; postgres://user:pass@host:5432/db),
MAX_AGE_SECONDS (259200, 72 hours: how old a body may be; a delivery sent
again after downtime carries its first time).
"""

import logging
import os
import sys

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from gpwh_webhooks import (
    MAX_AGE_SECONDS,
    MAX_BODY,
    BadDatabaseUrl,
    WebhookError,
    asgi,
    open_store,
    receive_async,
    whole_number,
)
from uvicorn.protocols.http.h11_impl import H11Protocol

SECRET = os.fsencode(os.environ.get("GPWH_SECRET", ""))
MAX_AGE = float(os.environ.get("MAX_AGE_SECONDS", MAX_AGE_SECONDS))
# receive() logs each delivery at INFO: handled, a repeat, or not handled.
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")

# The demo's effect: the row a game writes when it gives something. No
# unique constraint on purpose, so that a double grant would show as two
# rows. The store creates its own table of delivery keys beside it.
GRANTS = """CREATE TABLE IF NOT EXISTS grants (
    delivery_key text NOT NULL,
    event        text NOT NULL,
    player_id    bigint
)"""

# The delivery keys, in the database of DATABASE_URL; the tables are
# created here, before the first delivery can come.
try:
    STORE = open_store(os.environ.get("DATABASE_URL"), tables=[GRANTS])
except BadDatabaseUrl as bad:
    print(bad, file=sys.stderr)
    sys.exit(2)
except Exception as error:  # DatabaseUnavailable says why, without the URL
    sys.exit(f"cannot open the database: {error}")

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

app = FastAPI()


def handle(payload, tx):
    """Your game's work, run once per delivery, on the transaction tx that
    records the delivery's key: what it writes through tx is committed with
    the key, or rolled back with it when anything fails (and the delivery
    is answered 500, so that it comes again). A repeat is answered 2xx
    without running it. Every event must be answered 2xx, including events
    you do not handle: GamePush adds new ones.

    This demo records each delivery as a grant: its key, its event, and
    player.id when it is a whole number. A game grants what
    payload["result"] describes (a purchase's product, a reward) to
    payload["player"]["id"], in rows of its own, through the same tx
    (? placeholders, on either database). It runs in a thread, so it is a
    plain def: sqlite3 and psycopg block."""
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


# The trap: a body parameter (a Pydantic model, a dict, Body(), Form())
# makes FastAPI parse the body as JSON or a form before this function runs,
# and answer 422 to GamePush, whose body is base64 "." signature; and the
# exact bytes that were signed are gone. Take the Request, and read its raw
# body yourself.
@app.post("/webhooks/gamepush", response_class=PlainTextResponse)
async def gamepush(request: Request):
    # request.body() would read any size: asgi.read_body stops past MAX_BODY.
    try:
        raw = await asgi.read_body(request.receive, MAX_BODY)
    except WebhookError as too_large:
        return PlainTextResponse(f"{too_large}\n", status_code=too_large.status)
    # The database is reached with blocking calls (sqlite3, psycopg), which
    # may wait seconds for a lock: receive_async runs the transaction and
    # handle in the threadpool, never on the event loop.
    outcome = await receive_async(
        raw, secrets=SECRET, store=STORE, handle=handle, max_age=MAX_AGE
    )
    return PlainTextResponse(f"{outcome.text}\n", status_code=outcome.status)


if __name__ == "__main__":
    if not SECRET:
        sys.exit("set GPWH_SECRET to your project's secret key")
    uvicorn.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "3000")),
        http=RequestDeadline,
        timeout_keep_alive=30,
    )
