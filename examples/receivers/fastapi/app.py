"""A GamePush webhook receiver on FastAPI, served by uvicorn. Copy it with
gamepush.py, or run it as it is:

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    GPWH_SECRET='your secret key' PORT=3000 .venv/bin/python app.py

and check it with:
    gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush

Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
HOST (127.0.0.1), MAX_AGE_SECONDS (259200, 72 hours: how old a body may be;
gamepush.py says why so long).
"""

import logging
import os
import sys

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from gamepush import MAX_AGE_SECONDS, MAX_BODY, MemoryDeliveries, receive

SECRET = os.fsencode(os.environ.get("GPWH_SECRET", ""))
MAX_AGE = float(os.environ.get("MAX_AGE_SECONDS", MAX_AGE_SECONDS))
DELIVERIES = MemoryDeliveries(MAX_AGE)
# receive() logs each delivery it hands to handle() at INFO.
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")

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


def handle(payload):
    """Your game's work, run once per delivery: receive() answers a repeat
    2xx without running it again. Every event must be answered 2xx,
    including events you do not handle: GamePush adds new ones."""
    if payload.get("event") in ("GivePlayerReward", "PurchasePlayerPurchase"):
        pass  # grant what payload["result"] describes to payload["player"]["id"]


# The trap: a body parameter (a Pydantic model, a dict, Body(), Form())
# makes FastAPI parse the body as JSON or a form before this function runs,
# and answer 422 to GamePush, whose body is base64 "." signature; and the
# exact bytes that were signed are gone. Take the Request, and read its raw
# body yourself.
@app.post("/webhooks/gamepush", response_class=PlainTextResponse)
async def gamepush(request: Request):
    # request.body() would read any size: stop past MAX_BODY.
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            return PlainTextResponse("body too large\n", status_code=413)
    status, text = receive(bytes(raw), SECRET, DELIVERIES, handle, MAX_AGE)
    return PlainTextResponse(f"{text}\n", status_code=status)


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
