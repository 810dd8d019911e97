"""Reading the raw body in an ASGI app (FastAPI, Starlette, Django under
ASGI, any framework on uvicorn or hypercorn): exactly the bytes sent, and
never more than the limit.

The trap it avoids: a body parameter (a Pydantic model, Body(), Form())
makes FastAPI parse the body before your code runs, and answer GamePush 422;
the exact bytes that were signed are gone.
"""

from typing import Any, Awaitable, Callable, MutableMapping

from .errors import WebhookError
from .verifying import MAX_BODY

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]


class ClientDisconnected(ConnectionError):
    """The client went away before sending the whole body."""


async def read_body(receive: Receive, max_body: int = MAX_BODY) -> bytes:
    """The request body from an ASGI receive callable (Starlette's and
    FastAPI's request.receive), exactly as sent. Raises
    WebhookError("too-large", status 413) as soon as more than max_body
    bytes have come, without reading the rest, and ClientDisconnected when
    the client leaves first."""
    body = bytearray()
    while True:
        message = await receive()
        kind = message.get("type")
        if kind == "http.disconnect":
            raise ClientDisconnected("the client disconnected before sending the whole body")
        if kind != "http.request":
            continue
        body += message.get("body", b"")
        if len(body) > max_body:
            raise WebhookError("too-large", f"body too large: more than {max_body} bytes")
        if not message.get("more_body", False):
            return bytes(body)
