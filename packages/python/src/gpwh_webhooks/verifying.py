"""Verifying a body: the one question a game server asks of it, "did
GamePush send this?", answered with the payload it may then trust, or a
WebhookError with gpwh's code. Every check is made in the order of gpwh's
Rust core, so that every language gives the same code for every body.

The body is BASE64(JSON) "." SIGNATURE, the signature SHA-256 over the
base64 text exactly as received, '_' and the secret key (documented by
GamePush). How the digest is written is not documented (lowercase hex is
likely), so 64 hex digits in either case and base64 of the 32 bytes in
either alphabet, padded or not, are all accepted.
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from time import time_ns as _time_ns
from typing import Any, List, Literal, Mapping, Optional, Sequence, Tuple, Union, cast

from .decoding import NotJson, base64_strict, json_strict
from .delivery import delivery_key as _delivery_key
from .errors import WebhookError
from .events import Payload
from .freshness import CLOCK_SKEW_NS, NS, Clock, Window, now_ns, parse_time_ns, window_ns

# How old a body may be: 72 hours. `time` is when the operation happened,
# and a delivery sent again after your server was down most likely carries
# that time: a window of minutes would refuse it and lose the purchase. The
# window only bounds how long a captured body can be replayed at all; the
# delivery key in your database is what makes a replay do nothing.
MAX_AGE_SECONDS = 72 * 60 * 60
# Webhooks are a few kilobytes; a larger body is not one.
MAX_BODY = 1 << 20

Secrets = Union[str, bytes, Sequence[Union[str, bytes]]]
Encoding = Literal["hex", "base64"]
_WHITESPACE = b" \t\r\n"
_HEX = re.compile(rb"[0-9a-fA-F]{64}\Z")


@dataclass(frozen=True)
class Webhook:
    """A verified webhook.

    - payload: the JSON object, typed per event (narrow it on
      payload["event"]);
    - event, time: the payload's "event" and "time" when they are strings;
    - raw: the decoded JSON bytes, exactly as GamePush encoded them;
    - secret_index: which secret matched, counting from 0 in the order given;
    - encoding: how the signature was written, "hex" or "base64";
    - delivery_key: which delivery this is (docs/exactly-once.md)."""

    payload: Payload
    event: Optional[str]
    time: Optional[str]
    raw: bytes = field(repr=False)
    secret_index: int
    encoding: Encoding

    @cached_property
    def delivery_key(self) -> str:
        """What makes this delivery the same delivery again (computed when
        first asked for)."""
        return _delivery_key(self.raw, cast(Mapping[str, Any], self.payload))


def verify(
    body: Union[bytes, bytearray, memoryview],
    secrets: Secrets,
    *,
    max_age: Window = MAX_AGE_SECONDS,
    max_body: int = MAX_BODY,
    now: Clock = None,
) -> Webhook:
    """The verified webhook of a body received from GamePush, or
    WebhookError.

    body is the raw request body, as bytes, exactly as received. secrets is
    your project's secret key, or several (key rotation: the first that
    matches counts), each a str (its UTF-8 bytes) or bytes. max_age is how
    old `time` may be, in seconds or a timedelta (None: not checked);
    max_body the largest body, in bytes; now the clock (an aware datetime or
    seconds since the epoch; None: the system's)."""
    if type(body) is not bytes and isinstance(body, str):
        raise TypeError("body is a str: pass the raw request body as bytes, exactly as received "
                        "(decoding and encoding it again can change the bytes that were signed)")
    if not isinstance(body, bytes):
        body = bytes(body)
    keys = [b"_" + secrets.encode()] if type(secrets) is str else _secret_bytes(secrets)
    window = max_age * NS if type(max_age) is int and max_age >= 0 else window_ns(max_age)

    if len(body) > max_body:
        raise WebhookError("too-large", f"body too large: more than {max_body} bytes")
    body = body.strip(_WHITESPACE)
    if not body:
        raise WebhookError("empty-body", "body is empty")
    payload_part, dot, signature_part = body.rpartition(b".")
    if not dot:
        raise WebhookError("no-signature", "body has no signature: expected BASE64.SIGNATURE, found no '.'")

    if not payload_part:
        raise WebhookError("empty-payload", "payload is empty: the body starts with '.'")
    raw = base64_strict(payload_part)
    if raw is None:
        raise WebhookError("payload-not-base64", "payload is not valid base64 (standard or URL-safe, "
                           "padded or not): was the body changed on its way?")
    try:
        payload = json_strict(raw)
    except NotJson as error:
        raise WebhookError("payload-not-json", f"payload is not JSON: {error}") from None
    if not isinstance(payload, dict):
        raise WebhookError("payload-not-object", "payload is not a JSON object: a webhook payload "
                           f"is an object, this is {_kind(payload)}")

    if len(signature_part) == 64 and _HEX.match(signature_part):
        digest, encoding = binascii.a2b_hex(signature_part), "hex"
    else:
        digest, encoding = _digest_of(signature_part)
    matched = -1
    if len(keys) == 1:
        if hmac.compare_digest(hashlib.sha256(payload_part + keys[0]).digest(), digest):
            matched = 0
    else:
        # Every secret is tried, so that the time says nothing of which matched.
        base = hashlib.sha256(payload_part)
        for index, key in enumerate(keys):
            candidate = base.copy()
            candidate.update(key)
            if hmac.compare_digest(candidate.digest(), digest) and matched < 0:
                matched = index
    if matched < 0:
        tried = {0: "any secret (none was given)", 1: "the given secret"}.get(
            len(keys), f"any of the {len(keys)} given secrets")
        raise WebhookError("signature-mismatch", f"signature does not match: the body was not "
                           f"signed with {tried}")

    time = payload.get("time")
    if window is not None:
        _check_time(time, window, _time_ns() if now is None else now_ns(now))
    event = payload.get("event")
    # Webhook's fields, set at once: a frozen dataclass's __init__ sets
    # them one by one through object.__setattr__, a fifth of a check.
    webhook: Webhook = object.__new__(Webhook)
    webhook.__dict__.update(
        payload=payload,
        event=event if type(event) is str else None,
        time=time if type(time) is str else None,
        raw=raw,
        secret_index=matched,
        encoding=encoding,
    )
    return webhook


def _secret_bytes(secrets: Secrets) -> List[bytes]:
    """Each secret as the bytes hashed after the payload: '_' and the key."""
    if type(secrets) is str:
        return [b"_" + secrets.encode()]
    if isinstance(secrets, (str, bytes)):
        secrets = [secrets]
    keys = []
    for secret in secrets:
        if isinstance(secret, str):
            keys.append(b"_" + secret.encode())
        elif isinstance(secret, (bytes, bytearray)):
            keys.append(b"_" + bytes(secret))
        else:
            raise TypeError(f"a secret must be a str or bytes, not {type(secret).__name__}")
    return keys


def _digest_of(signature: bytes) -> Tuple[bytes, Encoding]:
    """The 32 bytes of a signature and how they were written, or
    WebhookError("signature-format")."""
    if len(signature) == 64:
        try:
            return binascii.a2b_hex(signature), "hex"
        except (binascii.Error, ValueError):
            pass
    elif len(signature) in (43, 44):
        digest = base64_strict(signature)
        if digest is not None and len(digest) == 32:
            return digest, "base64"
    found = "nothing after the last '.'" if not signature else f"{len(signature)} characters"
    raise WebhookError("signature-format", "signature is not a SHA-256 digest: expected 64 hex digits "
                       f"or 43-44 base64 characters, found {found}")


def _check_time(time: object, window: int, now: int) -> None:
    if not isinstance(time, str):
        raise WebhookError("time-missing", 'payload has no "time" to check its age against')
    sent = parse_time_ns(time)
    if sent is None:
        shown = time if len(time) <= 40 else time[:40] + "..."
        raise WebhookError("time-format", f"payload time is not an RFC 3339 time: found {shown!r}")
    age = now - sent
    if age > window:
        raise WebhookError("stale", f"signature valid but the body is stale: sent {age // NS} s ago, "
                           f"limit {window // NS} s")
    if age < -CLOCK_SKEW_NS:
        raise WebhookError("stale", f"signature valid but the body is from the future: sent "
                           f"{-age // NS} s from now, allowance {CLOCK_SKEW_NS // NS} s")


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def sign(
    payload: Union[Mapping[str, Any], str, bytes],
    secret: Union[str, bytes],
    *,
    encoding: Encoding = "hex",
) -> bytes:
    """A body signed as GamePush signs one, for tests: payload (a mapping,
    written as compact JSON, or JSON text as str or bytes, which must be an
    object) in standard padded base64, '.', and the SHA-256 digest in
    lowercase hex or standard padded base64."""
    if isinstance(payload, Mapping):
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    else:
        data = payload.encode() if isinstance(payload, str) else bytes(payload)
        try:
            value = json_strict(data)
        except NotJson as error:
            raise ValueError(f"input is not JSON: {error}") from None
        if not isinstance(value, dict):
            raise ValueError(f"input is not a JSON object: a webhook payload is an object, this is {_kind(value)}")
    if encoding not in ("hex", "base64"):
        raise ValueError(f"encoding must be 'hex' or 'base64', not {encoding!r}")
    part = base64.b64encode(data)
    key = secret.encode() if isinstance(secret, str) else bytes(secret)
    digest = hashlib.sha256(part + b"_" + key).digest()
    written = digest.hex().encode() if encoding == "hex" else base64.b64encode(digest)
    return part + b"." + written

