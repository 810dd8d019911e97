"""A GamePush webhook receiver in Python, on the standard library's
http.server, keeping what it handled in SQLite or PostgreSQL. gpwh-webhooks
checks each body and keeps each delivery's key; copy this file, or run it
as it is:

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    GPWH_SECRET='your secret key' PORT=3000 .venv/bin/python receiver.py

and check it with: gpwh probe --all-events --strict http://127.0.0.1:3000/

Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
HOST (127.0.0.1), DATABASE_URL (unset or empty: SQLite in
./gamepush.sqlite3; sqlite:PATH; postgres://user:pass@host:5432/db),
MAX_AGE_SECONDS (259200, 72 hours: how old a body may be; a delivery sent
again after downtime carries its first time, and a window of minutes would
lose it; the delivery key is what makes a repeat do nothing). SQLite needs
nothing more than gpwh-webhooks; psycopg is for PostgreSQL.
"""

import logging
import os
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gpwh_webhooks import (
    MAX_AGE_SECONDS,
    MAX_BODY,
    BadDatabaseUrl,
    open_store,
    receive,
    whole_number,
)

# The demo's effect: the row a game writes when it gives something. No
# unique constraint on purpose, so that a double grant would show as two
# rows. The store creates its own table of delivery keys beside it.
GRANTS = """CREATE TABLE IF NOT EXISTS grants (
    delivery_key text NOT NULL,
    event        text NOT NULL,
    player_id    bigint
)"""


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


# How long a whole request (headers and body) may take to arrive and be
# answered. http.server's own timeout is per read, which a client sending a
# byte every few seconds never reaches.
REQUEST_DEADLINE = 30

# How many connections are served at once; past it, new ones wait in the
# system's queue instead of each taking a thread.
MAX_CONNECTIONS = 64


class Receiver(BaseHTTPRequestHandler):
    secret = b""
    max_age = MAX_AGE_SECONDS
    store = None
    # An idle connection is closed after this long without a byte.
    timeout = REQUEST_DEADLINE

    def handle_one_request(self):
        # The connection is shut when the request is not over in time,
        # which ends the read that waits for the rest of it.
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

    def do_POST(self):
        try:
            raw = self.read_body()
        except ValueError:
            self.close_connection = True
            return self.answer(400, "malformed body framing")
        if raw is None:
            self.close_connection = True
            return self.answer(413, "body too large")
        outcome = receive(
            raw, secrets=self.secret, store=self.store, handle=handle, max_age=self.max_age
        )
        self.answer(outcome.status, outcome.text)

    def read_body(self):
        """The body as sent, with a Content-Length or chunked, or None when it
        is larger than MAX_BODY. http.server reads neither by itself."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = bytearray()
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline(1024).strip():
                        pass  # trailers, if any
                    return bytes(body)
                if size < 0 or len(body) + size > MAX_BODY:
                    return None
                body += self.rfile.read(size)
                if self.rfile.readline(1024).strip():
                    raise ValueError("no CRLF after a chunk")
        # No Content-Length and not chunked: no body, which receive refuses.
        length = int(self.headers.get("Content-Length", "0"))
        if length < 0 or length > MAX_BODY:
            return None
        return self.rfile.read(length)

    def do_GET(self):
        self.answer(405, "POST only", {"Allow": "POST"})

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def answer(self, status, text, headers=None):
        data = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # one line per request on stderr is noise; log verdicts instead


class Server(ThreadingHTTPServer):
    """ThreadingHTTPServer with at most MAX_CONNECTIONS threads."""

    slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
    # The system's queue of connections not yet accepted (socketserver's
    # default, 5, resets clients when a burst of deliveries comes at once).
    request_queue_size = 128

    def process_request(self, request, client_address):
        self.slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def main():
    secret = os.environ.get("GPWH_SECRET", "")
    if not secret:
        sys.exit("set GPWH_SECRET to your project's secret key")
    Receiver.secret = os.fsencode(secret)
    Receiver.max_age = float(os.environ.get("MAX_AGE_SECONDS", MAX_AGE_SECONDS))
    # receive() logs each delivery at INFO: handled, a repeat, or not handled.
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    # The tables are there before the first delivery can come.
    try:
        Receiver.store = open_store(os.environ.get("DATABASE_URL"), tables=[GRANTS])
    except BadDatabaseUrl as bad:
        print(bad, file=sys.stderr)
        sys.exit(2)
    except Exception as error:  # DatabaseUnavailable says why, without the URL
        sys.exit(f"cannot open the database: {error}")
    address = (os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "3000")))
    server = Server(address, Receiver)
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
