"""A GamePush webhook receiver in Python, with nothing but the standard
library. Paste it into your project, or run it as it is:

    GPWH_SECRET='your secret key' PORT=3000 python3 receiver.py

and check it with: gpwh probe --all-events --strict http://127.0.0.1:3000/

Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
HOST (127.0.0.1), MAX_AGE_SECONDS (600: how old a body may be).
"""

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import sys
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Webhooks are a few kilobytes; a larger body is not one.
MAX_BODY = 1 << 20
# A clock a little ahead of ours is not an attack.
CLOCK_SKEW = 60
RFC3339 = re.compile(
    r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)\Z", re.IGNORECASE
)
BASE64 = re.compile(rb"(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}\Z")
HEX_DIGEST = re.compile(rb"[0-9a-f]{64}\Z")


class Refused(Exception):
    """A body that is not a genuine, fresh webhook; the message says why."""


def check_body(raw, secret, max_age_seconds, now=None):
    """The payload of a genuine, fresh webhook body, or Refused."""
    # BASE64(JSON) "." SIGNATURE, as bytes, exactly as received: the
    # signature covers those bytes. '.' is in no base64 alphabet, so the last
    # one is the separator.
    body = raw.strip(b" \t\r\n")
    payload_part, dot, signature = body.rpartition(b".")
    if not dot:
        raise Refused("no signature")

    # SHA-256 over the payload part as received, '_', and the secret,
    # compared in constant time so that timing reveals nothing.
    expected = hashlib.sha256(payload_part + b"_" + secret).hexdigest().encode()
    signature = signature.lower()
    if not HEX_DIGEST.match(signature) or not hmac.compare_digest(signature, expected):
        raise Refused("signature does not match")

    # Only now is the payload trusted enough to parse. Decode strictly:
    # b64decode skips bytes that are not base64 unless told not to.
    if not BASE64.match(payload_part):
        raise Refused("payload is not base64")
    standard = payload_part.replace(b"-", b"+").replace(b"_", b"/").rstrip(b"=")
    try:
        text = base64.b64decode(standard + b"=" * (-len(standard) % 4), validate=True)
        payload = json.loads(text)
    except (binascii.Error, ValueError):
        raise Refused("payload is not base64 JSON") from None
    if not isinstance(payload, dict):
        raise Refused("payload is not a JSON object")

    # A captured body stays validly signed forever: refuse old ones, so that
    # nobody can replay a purchase.
    sent = parse_time(payload.get("time"))
    if sent is None:
        raise Refused("payload has no RFC 3339 time")
    age = (time.time() if now is None else now) - sent
    if age > max_age_seconds or age < -CLOCK_SKEW:
        raise Refused("body is too old, or from the future")
    return payload


def parse_time(text):
    """Seconds since the epoch of an RFC 3339 time, or None. GamePush writes
    nanoseconds; datetime keeps microseconds."""
    match = RFC3339.match(text) if isinstance(text, str) else None
    if not match:
        return None
    whole, fraction, zone = match.groups()
    zone = "+00:00" if zone.upper() == "Z" else zone
    try:
        moment = datetime.fromisoformat(f"{whole}.{(fraction or '0')[:6]:0<6}{zone}")
    except ValueError:
        return None
    return moment.timestamp()


def handle(payload):
    """Your game's work. Every event must be answered 2xx, including events
    you do not handle: GamePush adds new ones. A webhook may also arrive
    twice, so make each effect happen once (key it on the purchase id)."""
    if payload.get("event") in ("GivePlayerReward", "PurchasePlayerPurchase"):
        pass  # grant what payload["result"] describes to payload["player"]["id"]


class Receiver(BaseHTTPRequestHandler):
    secret = b""
    max_age = 600
    # A client that sends half a request must not hold a thread forever.
    timeout = 30

    def do_POST(self):
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self.answer(411, "Content-Length required")
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            return self.answer(413, "body too large")
        try:
            payload = check_body(self.rfile.read(length), self.secret, self.max_age)
        except Refused as refused:
            # 4xx, not 5xx: the body is at fault, and a 5xx invites a retry.
            return self.answer(400, str(refused))
        handle(payload)
        self.answer(200, "ok")

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


def main():
    secret = os.environ.get("GPWH_SECRET", "")
    if not secret:
        sys.exit("set GPWH_SECRET to your project's secret key")
    Receiver.secret = os.fsencode(secret)
    Receiver.max_age = float(os.environ.get("MAX_AGE_SECONDS", "600"))
    address = (os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "3000")))
    server = ThreadingHTTPServer(address, Receiver)
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
