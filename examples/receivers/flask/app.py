"""A GamePush webhook receiver on Flask, keeping what it handled in SQLite or
PostgreSQL. gpwh-webhooks checks each body and keeps each delivery's key;
copy this file, or run it as it is:

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    GPWH_SECRET='your secret key' PORT=3000 .venv/bin/python app.py

and check it with:
    gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush

Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
HOST (127.0.0.1), DATABASE_URL (unset or empty: SQLite in
./gamepush.sqlite3; sqlite:PATH; postgres://user:pass@host:5432/db),
MAX_AGE_SECONDS (259200, 72 hours: how old a body may be; a delivery sent
again after downtime carries its first time). app.run is Flask's development server; in production, serve
`app` with gunicorn or waitress as usual.
"""

import logging
import os
import socket
import sys
import threading

from flask import Flask, request
from gpwh_webhooks import (
    MAX_AGE_SECONDS,
    MAX_BODY,
    BadDatabaseUrl,
    WebhookError,
    open_store,
    receive,
    whole_number,
    wsgi,
)
from werkzeug.serving import WSGIRequestHandler

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

app = Flask(__name__)


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
    (? placeholders, on either database)."""
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


@app.post("/webhooks/gamepush")
def gamepush():
    # The trap: request.form, request.values, request.json or
    # request.get_json() read the body first and parse it (as a form when a
    # proxy labels it application/x-www-form-urlencoded), and the exact
    # bytes that were signed are gone. wsgi.read_body reads them from the
    # WSGI input as received, whatever the Content-Type, chunked or not,
    # and stops past MAX_BODY; touch nothing else of the body before it.
    try:
        raw = wsgi.read_body(request.environ, MAX_BODY)
    except WebhookError as too_large:
        return text(too_large.status, str(too_large))
    except ValueError:
        return text(400, "malformed Content-Length")
    outcome = receive(raw, secrets=SECRET, store=STORE, handle=handle, max_age=MAX_AGE)
    return text(outcome.status, outcome.text)


def text(status, words):
    return words + "\n", status, {"Content-Type": "text/plain; charset=utf-8"}


# How long a whole request (headers and body) may take to arrive and be
# answered by the development server.
REQUEST_DEADLINE = 30


class RequestDeadline(WSGIRequestHandler):
    """The development server's handler, with a deadline on each whole
    request: its own timeout is per read, which a client sending a byte every
    few seconds never reaches. (gunicorn and waitress have their own.)"""

    timeout = REQUEST_DEADLINE

    def handle_one_request(self):
        deadline = threading.Timer(REQUEST_DEADLINE, self.cut_off)
        deadline.daemon = True
        deadline.start()
        try:
            super().handle_one_request()
        finally:
            deadline.cancel()

    def cut_off(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


if __name__ == "__main__":
    if not SECRET:
        sys.exit("set GPWH_SECRET to your project's secret key")
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "3000")),
        request_handler=RequestDeadline,
    )
