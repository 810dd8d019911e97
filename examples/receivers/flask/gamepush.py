"""Verifying a GamePush webhook in Python: one function, check_body, with
nothing but the standard library. Copy this file into your project as it is;
every Python recipe in examples/receivers/ uses the same one, and only the
code that hands it the raw body differs.
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from datetime import datetime

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
    """The payload (a dict) of a genuine, fresh webhook body, or Refused.

    raw is the body as bytes, exactly as received; secret is bytes too."""
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
