"""Reading the raw body in a WSGI app (Flask, Django under WSGI, any
framework on gunicorn, waitress or wsgiref): exactly the bytes sent, whatever
the Content-Type, and never more than the limit.

The trap it avoids: request.form, request.get_json() or request.POST parse
the body first (as a form when a proxy labels it
application/x-www-form-urlencoded), and the bytes that were signed are gone.
"""

from typing import Any, Mapping

from .errors import WebhookError
from .verifying import MAX_BODY

_CHUNK = 64 * 1024


def read_body(environ: Mapping[str, Any], max_body: int = MAX_BODY) -> bytes:
    """The request body of a WSGI environ, exactly as sent: CONTENT_LENGTH
    bytes, or, when the server says the input ends by itself
    (wsgi.input_terminated: a chunked body, dechunked), everything up to its
    end. Raises WebhookError("too-large", status 413) past max_body, having
    read at most max_body + 1 bytes, and ValueError for a CONTENT_LENGTH
    that is not a number."""
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        body = bytearray()
        while True:
            chunk = stream.read(min(_CHUNK, max_body + 1 - len(body)))
            if not chunk:
                return bytes(body)
            body += chunk
            if len(body) > max_body:
                raise _too_large(max_body)
    text = str(environ.get("CONTENT_LENGTH") or "0").strip()
    if not text.isdigit():
        raise ValueError(f"Content-Length is not a number: {text[:40]!r}")
    length = int(text)
    if length > max_body:
        raise _too_large(max_body)
    body = bytearray()
    while len(body) < length:
        chunk = stream.read(length - len(body))
        if not chunk:
            break  # the client closed early: what came is the body
        body += chunk
    return bytes(body)


def _too_large(max_body: int) -> WebhookError:
    return WebhookError("too-large", f"body too large: more than {max_body} bytes")
