"""Receiving GamePush webhooks in Python, with nothing but the standard
library: check_body says whether a body is a genuine, fresh webhook, and
receive hands each genuine delivery to your code once. Copy this file into
your project as it is; every Python recipe in examples/receivers/ uses the
same one, and only the code that hands it the raw body differs.

What is known, and what is not: the body is BASE64(JSON) "." SIGNATURE and
the signature is SHA-256 over the first part, '_' and your secret key
(documented). How the digest is written is not documented (lowercase hex is
likely, base64 possible), nor whether or when GamePush sends a delivery
again. So every way of writing the same 32 bytes is accepted, each delivery
is acted on once, and the window on `time` is wide enough for any
redelivery schedule.
"""

import base64
import binascii
import hashlib
import hmac
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from datetime import datetime

log = logging.getLogger("gamepush")

# Webhooks are a few kilobytes; a larger body is not one.
MAX_BODY = 1 << 20
# How old a body may be: 72 hours. `time` is when the operation happened, and
# a delivery sent again after your server was down most likely carries that
# time: a window of minutes would refuse it and lose the purchase. The
# delivery key, not the window, is what stops a captured body replayed.
MAX_AGE_SECONDS = 72 * 60 * 60
# A clock a little ahead of ours is not an attack.
CLOCK_SKEW = 60
RFC3339 = re.compile(
    r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)\Z", re.IGNORECASE
)
BASE64 = re.compile(rb"(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}\Z")
# A SHA-256 digest as 64 hex digits in either case, or as base64 in either
# alphabet, padded or not.
HEX_DIGEST = re.compile(rb"[0-9a-fA-F]{64}\Z")
BASE64_DIGEST = re.compile(rb"(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?\Z")
# Events that happen once per purchase, whichever body carries them.
ONCE_PER_PURCHASE = ("PurchasePlayerPurchase", "ConsumePlayerPurchase")
# A purchase id used as a key only when it is plain printable text.
PLAIN_ID = re.compile(r"[\x21-\x7e]{1,200}\Z")


class Refused(Exception):
    """A body that is not a genuine, fresh webhook; the message says why."""


def check_body(raw, secret, max_age_seconds=MAX_AGE_SECONDS, now=None):
    """The payload (a dict) of a genuine, fresh webhook body, or Refused.

    raw is the body as bytes, exactly as received; secret is bytes too."""
    # BASE64(JSON) "." SIGNATURE, as bytes, exactly as received: the
    # signature covers those bytes. '.' is in no base64 alphabet, so the last
    # one is the separator.
    body = raw.strip(b" \t\r\n")
    payload_part, dot, signature = body.rpartition(b".")
    if not dot:
        raise Refused("no signature")

    # SHA-256 over the payload part as received, '_', and the secret. The
    # signature's 32 bytes, however they are written, are compared in
    # constant time so that timing reveals nothing.
    expected = hashlib.sha256(payload_part + b"_" + secret).digest()
    if not hmac.compare_digest(digest_of(signature), expected):
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

    # A captured body stays validly signed forever: the window bounds how
    # long a replay is possible at all.
    sent = parse_time(payload.get("time"))
    if sent is None:
        raise Refused("payload has no RFC 3339 time")
    age = (time.time() if now is None else now) - sent
    if age > max_age_seconds or age < -CLOCK_SKEW:
        raise Refused("body is too old, or from the future")
    return payload


def digest_of(signature):
    """The 32 bytes of a signature written as hex or base64; b"" otherwise."""
    if HEX_DIGEST.match(signature):
        return bytes.fromhex(signature.decode())
    if BASE64_DIGEST.match(signature):
        unpadded = signature.replace(b"-", b"+").replace(b"_", b"/").rstrip(b"=")
        return base64.b64decode(unpadded + b"=", validate=True)
    return b""


def delivery_key(payload, raw):
    """What makes a delivery the same delivery again: for a purchase, or its
    consumption, the purchase's _id ("PurchasePlayerPurchase:<_id>"),
    whatever body carries it; for anything else, the SHA-256 of the body as
    received ("sha256:<hex>")."""
    result = payload.get("result")
    purchase = result.get("purchase") if isinstance(result, dict) else None
    purchase_id = purchase.get("_id") if isinstance(purchase, dict) else None
    if isinstance(purchase_id, int) and not isinstance(purchase_id, bool):
        purchase_id = str(purchase_id)
    if (payload.get("event") in ONCE_PER_PURCHASE and isinstance(purchase_id, str)
            and PLAIN_ID.match(purchase_id)):
        return f"{payload['event']}:{purchase_id}"
    return "sha256:" + hashlib.sha256(raw).hexdigest()


class MemoryDeliveries:
    """The delivery keys already handled. Any store with these two methods
    will do: claim(key) is True the first time it sees a key and False
    after; release(key) forgets a key whose handling failed, so that a
    repeat runs it again.

    This one keeps the keys in memory for as long as the window, up to
    max_keys (past that it forgets the oldest first), and loses them when
    the process stops. A real game keeps them in its database instead: a
    table whose key column is UNIQUE (or the primary key), with the key
    inserted in the same transaction as the purchase it grants, so that a
    repeat fails on the constraint and grants nothing."""

    def __init__(self, ttl_seconds=MAX_AGE_SECONDS, max_keys=100_000):
        self.ttl = ttl_seconds
        self.max_keys = max_keys
        self._expiry = OrderedDict()  # key -> when it may be forgotten, oldest first
        self._lock = threading.Lock()

    def claim(self, key, now=None):
        now = time.time() if now is None else now
        with self._lock:
            while self._expiry and next(iter(self._expiry.values())) <= now:
                self._expiry.popitem(last=False)
            if key in self._expiry:
                return False
            if len(self._expiry) >= self.max_keys:
                self._expiry.popitem(last=False)
            self._expiry[key] = now + self.ttl
            return True

    def release(self, key):
        with self._lock:
            self._expiry.pop(key, None)


def receive(raw, secret, deliveries, handle, max_age_seconds=MAX_AGE_SECONDS):
    """Judges a raw body and hands a genuine one to handle(payload), once per
    delivery key; logs "delivery KEY: handled" each time it runs. Returns
    the (status, text) to answer: 200 for a delivery handled now or before,
    400 for a body that is not a genuine, fresh webhook (4xx, not 5xx: the
    body is at fault, and a 5xx invites a retry), 500 when handle raises
    (the key is released, so that a repeat runs it again)."""
    try:
        payload = check_body(raw, secret, max_age_seconds)
    except Refused as refused:
        return 400, str(refused)
    key = delivery_key(payload, raw)
    if not deliveries.claim(key):
        log.info("delivery %s: a repeat, answered without handling it again", key)
        return 200, "already handled"
    try:
        handle(payload)
    except Exception:
        deliveries.release(key)
        log.exception("delivery %s: handle failed", key)
        return 500, "handler failed"
    log.info("delivery %s: handled", key)
    return 200, "ok"


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
