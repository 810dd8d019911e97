"""A GamePush webhook receiver on Django, in one file, served by uvicorn
through Django's ASGI handler. In your project, the view and its URL are all
you need, with gamepush.py. Or run it as it is:

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

from django.conf import settings

from gamepush import MAX_AGE_SECONDS, MAX_BODY, MemoryDeliveries, receive

HOST = os.environ.get("HOST", "127.0.0.1")
SECRET = os.fsencode(os.environ.get("GPWH_SECRET", ""))
MAX_AGE = float(os.environ.get("MAX_AGE_SECONDS", MAX_AGE_SECONDS))
DELIVERIES = MemoryDeliveries(MAX_AGE)
# receive() logs each delivery it hands to handle() at INFO.
logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=[HOST, "127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    # Past it, reading request.body raises RequestDataTooBig: the view answers 413.
    DATA_UPLOAD_MAX_MEMORY_SIZE=MAX_BODY,
    MIDDLEWARE=[],
    SECRET_KEY=os.urandom(32).hex(),
)

from django.core.exceptions import RequestDataTooBig  # noqa: E402  (after settings)
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402


def handle(payload):
    """Your game's work, run once per delivery: receive() answers a repeat
    2xx without running it again. Every event must be answered 2xx,
    including events you do not handle: GamePush adds new ones."""
    if payload.get("event") in ("GivePlayerReward", "PurchasePlayerPurchase"):
        pass  # grant what payload["result"] describes to payload["player"]["id"]


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
    status, text = receive(raw, SECRET, DELIVERIES, handle, MAX_AGE)
    return HttpResponse(f"{text}\n", status=status, content_type="text/plain; charset=utf-8")


urlpatterns = [path("webhooks/gamepush", gamepush)]

if __name__ == "__main__":
    if not SECRET:
        sys.exit("set GPWH_SECRET to your project's secret key")
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
