"""A GamePush webhook receiver on Flask. Copy it with gamepush.py, or run it
as it is:

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    GPWH_SECRET='your secret key' PORT=3000 .venv/bin/python app.py

and check it with:
    gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush

Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
HOST (127.0.0.1), MAX_AGE_SECONDS (259200, 72 hours: how old a body may be;
gamepush.py says why so long). app.run is Flask's development server; in
production, serve `app` with gunicorn or waitress as usual.
"""

import logging
import os
import socket
import sys
import threading

from flask import Flask, request
from werkzeug.serving import WSGIRequestHandler

from gamepush import MAX_AGE_SECONDS, MAX_BODY, MemoryDeliveries, receive

SECRET = os.fsencode(os.environ.get("GPWH_SECRET", ""))
MAX_AGE = float(os.environ.get("MAX_AGE_SECONDS", MAX_AGE_SECONDS))
DELIVERIES = MemoryDeliveries(MAX_AGE)
# receive() logs each delivery it hands to handle() at INFO.
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")

app = Flask(__name__)
# Werkzeug answers 413 to a larger body before the view reads it.
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY


def handle(payload):
    """Your game's work, run once per delivery: receive() answers a repeat
    2xx without running it again. Every event must be answered 2xx,
    including events you do not handle: GamePush adds new ones."""
    if payload.get("event") in ("GivePlayerReward", "PurchasePlayerPurchase"):
        pass  # grant what payload["result"] describes to payload["player"]["id"]


@app.post("/webhooks/gamepush")
def gamepush():
    # The trap: request.form, request.values, request.json or
    # request.get_json() read the body first and parse it (as a form when a
    # proxy labels it application/x-www-form-urlencoded), and the exact
    # bytes that were signed are gone. get_data(parse_form_data=False)
    # returns them as received, whatever the Content-Type; touch nothing
    # else of the body before it.
    raw = request.get_data(cache=False, parse_form_data=False)
    return text(*receive(raw, SECRET, DELIVERIES, handle, MAX_AGE))


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
