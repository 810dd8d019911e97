#!/usr/bin/env python3
"""Writes conformance/vectors.json: received bodies and the verdict every
implementation of gpwh's verification must give each (the Rust library, the
npm and PyPI packages, the Go, PHP and Java receivers).

Every signature, digest and delivery key here is computed with Python's
hashlib, base64 and urllib, never by gpwh. Each vector says what it expects;
a small verifier below, written from the rules alone (README.md lists them),
judges every vector again, and the file is not written when the two
disagree, so that a vector cannot say what its own body does not.

    python3 conformance/generate.py           # writes vectors.json
    python3 conformance/generate.py --check   # exits 1 when it is stale

The output is the same bytes on every run: no clock, no randomness, and the
vectors in a fixed order, grouped by topic.
"""

import base64
import calendar
import hashlib
import hmac
import json
import re
import sys
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "vectors.json"
DELIVERY_KEYS = HERE / "delivery-keys.json"

SECRET = "demo"
NOW = "2024-04-26T12:00:00Z"
# The packages' default window (72 hours) and size limit (1 MiB).
WINDOW = 259200
MAX_BODY = 1048576
CLOCK_SKEW = 60
ONCE_PER_PURCHASE = ("PurchasePlayerPurchase", "ConsumePlayerPurchase")

CODES = (
    "too-large",
    "empty-body",
    "no-signature",
    "empty-payload",
    "payload-not-base64",
    "payload-not-json",
    "payload-not-object",
    "signature-format",
    "signature-mismatch",
    "stale",
    "time-missing",
    "time-format",
)

STANDARD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
URL_SAFE = STANDARD[:62] + b"-_"


# ---------------------------------------------------------------------------
# Signing, with hashlib and base64 alone.


def b64(data):
    """Standard base64, padded."""
    return base64.b64encode(data)


def url_safe(text):
    """The same base64 in the URL-safe alphabet."""
    return text.translate(bytes.maketrans(b"+/", b"-_"))


def unpadded(text):
    return text.rstrip(b"=")


def digest(part, secret=SECRET):
    """SHA-256 over the payload part as sent, '_' and the secret's UTF-8."""
    return hashlib.sha256(part + b"_" + secret.encode("utf-8")).digest()


def hex_digest(part, secret=SECRET):
    return digest(part, secret).hex().encode()


def signed(part, secret=SECRET):
    """A body: the payload part, '.', the lowercase hex digest."""
    return part + b"." + hex_digest(part, secret)


def payload_part(json_text):
    return b64(json_text.encode("utf-8"))


def reward(time="2024-04-26T11:59:00Z", reward_id=685, extra=""):
    """A GivePlayerReward payload as GamePush writes it (compact, keys in
    its order)."""
    return (
        '{"event":"GivePlayerReward","player":{"id":1820283,"test":true},'
        '"result":{"__typename":"PlayerReward","countAccepted":0,"countTotal":1,'
        '"rewardId":%d}%s,"time":"%s"}' % (reward_id, extra, time)
    )


# ---------------------------------------------------------------------------
# The delivery key (docs/exactly-once.md), for payloads that are not taken
# from delivery-keys.json; checked against that file below.


def delivery_key(payload):
    value = json.loads(payload.decode("utf-8"))
    event = value.get("event")
    result = value.get("result")
    purchase = result.get("purchase") if isinstance(result, dict) else None
    id_ = purchase.get("_id") if isinstance(purchase, dict) else None
    if event in ONCE_PER_PURCHASE:
        if isinstance(id_, str):
            utf8 = id_.encode("utf-8")
            if 1 <= len(utf8) <= 200:
                return "%s:%s" % (event, urllib.parse.quote(utf8, safe=""))
        elif isinstance(id_, (int, float)) and not isinstance(id_, bool):
            try:
                number = float(id_)
            except OverflowError:
                number = None
            if number is not None and number.is_integer() and abs(number) <= 2**53 - 1:
                return "%s:%d" % (event, int(number))
    return "sha256:" + hashlib.sha256(payload).hexdigest()


# ---------------------------------------------------------------------------
# The rules, written apart from gpwh: what each vector must say.


class Refused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def decode_payload(part):
    """Base64 in either alphabet, padded canonically or not at all, with no
    stray bits in the last symbol."""
    standard = any(c in b"+/" for c in part)
    url = any(c in b"-_" for c in part)
    if standard and url:
        raise Refused("payload-not-base64")
    alphabet = URL_SAFE if url else STANDARD
    symbols = part.rstrip(b"=")
    padding = len(part) - len(symbols)
    if any(c not in alphabet for c in symbols):
        raise Refused("payload-not-base64")
    if len(symbols) % 4 == 1:
        raise Refused("payload-not-base64")
    if padding and padding != -len(symbols) % 4:
        raise Refused("payload-not-base64")
    text = symbols.translate(bytes.maketrans(b"-_", b"+/"))
    data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    if unpadded(b64(data)) != text:
        raise Refused("payload-not-base64")
    return data


def parse_json(data):
    def no_constants(name):
        raise ValueError(name)

    try:
        return json.loads(data.decode("utf-8"), parse_constant=no_constants)
    except ValueError:
        raise Refused("payload-not-json")


def decode_signature(text):
    if re.fullmatch(rb"[0-9a-fA-F]{64}", text):
        return bytes.fromhex(text.decode()), "hex"
    if len(text) in (43, 44):
        url = any(c in b"-_" for c in text)
        alphabet = URL_SAFE if url else STANDARD
        symbols = text[:43]
        if len(text) == 44 and text[43:] != b"=":
            raise Refused("signature-format")
        if any(c not in alphabet for c in symbols):
            raise Refused("signature-format")
        standard = symbols.translate(bytes.maketrans(b"-_", b"+/"))
        data = base64.b64decode(standard + b"=", validate=True)
        if len(data) == 32 and unpadded(b64(data)) == standard:
            return data, "base64"
    raise Refused("signature-format")


RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d\d):(\d\d))"
)


def nanoseconds(time):
    """Nanoseconds since 1970 of an RFC 3339 time; ValueError for anything
    else."""
    match = RFC3339.fullmatch(time)
    if not match:
        raise ValueError(time)
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, sign, offset_hours, offset_minutes = match.groups()[6:]
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        raise ValueError(time)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(time)
    seconds = calendar.timegm((year, month, day, hour, minute, second))
    if sign:
        if int(offset_hours) > 23 or int(offset_minutes) > 59:
            raise ValueError(time)
        offset = int(offset_hours) * 3600 + int(offset_minutes) * 60
        seconds -= offset if sign == "+" else -offset
    return seconds * 10**9 + int((fraction or "").ljust(9, "0"))


def judge(body, secrets, now, max_age, max_body):
    """The verdict the rules give: ("valid", payload, secret index,
    encoding) or ("refused", code)."""
    try:
        if len(body) > max_body:
            raise Refused("too-large")
        body = body.strip(b" \t\r\n")
        if not body:
            raise Refused("empty-body")
        dot = body.rfind(b".")
        if dot < 0:
            raise Refused("no-signature")
        part, signature = body[:dot], body[dot + 1 :]
        if not part:
            raise Refused("empty-payload")
        payload = decode_payload(part)
        value = parse_json(payload)
        if not isinstance(value, dict):
            raise Refused("payload-not-object")
        received, encoding = decode_signature(signature)
        matching = [i for i, s in enumerate(secrets) if hmac.compare_digest(digest(part, s), received)]
        if not matching:
            raise Refused("signature-mismatch")
        if max_age is not None:
            time = value.get("time")
            if not isinstance(time, str):
                raise Refused("time-missing")
            try:
                sent = nanoseconds(time)
            except ValueError:
                raise Refused("time-format")
            age = nanoseconds(now) - sent
            if age > max_age * 10**9 or age < -CLOCK_SKEW * 10**9:
                raise Refused("stale")
        return ("valid", payload, matching[0], encoding)
    except Refused as refused:
        return ("refused", refused.code)


# ---------------------------------------------------------------------------
# The vectors.

vectors = []


def add(name, body, expect, secrets=(SECRET,), now=NOW, max_age=WINDOW, max_body=MAX_BODY):
    """One vector. expect is a code, or valid(...)."""
    vector = {"name": name, "body_base64": b64(body).decode()}
    try:
        vector["body"] = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    vector.update(
        secrets=list(secrets),
        now=now,
        max_age_seconds=max_age,
        max_body=max_body,
    )
    if isinstance(expect, str):
        assert expect in CODES, expect
        vector["expect"] = {"valid": False, "error": expect}
        meant = ("refused", expect)
    else:
        payload, secret_index, encoding, key = expect
        value = json.loads(payload.decode("utf-8"))
        event = value.get("event")
        vector["expect"] = {
            "valid": True,
            "payload": payload.decode("utf-8"),
            "event": event if isinstance(event, str) else None,
            "delivery_key": key if key is not None else delivery_key(payload),
            "secret_index": secret_index,
            "encoding": encoding,
        }
        meant = ("valid", payload, secret_index, encoding)
    found = judge(body, list(secrets), now, max_age, max_body)
    if found != meant:
        sys.exit("generate.py: vector %r means %r but the rules give %r" % (name, meant, found))
    vectors.append(vector)


def valid(payload, secret_index=0, encoding="hex", key=None):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return (payload, secret_index, encoding, key)


def first(candidates, wanted):
    """The first candidate that has what is wanted: a search in a fixed
    order, so that the file is the same on every run."""
    for candidate in candidates:
        if wanted(candidate):
            return candidate
    raise AssertionError("no candidate fits")


# Digest forms. A payload whose digest, in standard base64, holds both '+'
# and '/', so that its URL-safe form differs from it.
DIGEST_JSON = first(
    (reward(reward_id=n) for n in range(685, 10000)),
    lambda json_text: all(c in b64(digest(payload_part(json_text))) for c in b"+/"),
)
PART = payload_part(DIGEST_JSON)
RAW = digest(PART)
HEX = RAW.hex().encode()
BASE64 = b64(RAW)
A_REWARD = valid(DIGEST_JSON)

add("digest: lowercase hex", PART + b"." + HEX, A_REWARD)
add("digest: uppercase hex", PART + b"." + HEX.upper(), A_REWARD)
mixed_case = bytes(c if i % 2 else bytes([c]).upper()[0] for i, c in enumerate(HEX))
assert mixed_case not in (HEX, HEX.upper())
add("digest: hex in mixed case", PART + b"." + mixed_case, A_REWARD)
add("digest: base64, padded", PART + b"." + BASE64, valid(DIGEST_JSON, encoding="base64"))
add("digest: base64, unpadded", PART + b"." + unpadded(BASE64), valid(DIGEST_JSON, encoding="base64"))
add("digest: base64url, padded", PART + b"." + url_safe(BASE64), valid(DIGEST_JSON, encoding="base64"))
add(
    "digest: base64url, unpadded",
    PART + b"." + unpadded(url_safe(BASE64)),
    valid(DIGEST_JSON, encoding="base64"),
)
add(
    "digest: base64 mixing both alphabets ('-' with '/')",
    PART + b"." + BASE64.replace(b"+", b"-"),
    "signature-format",
)
add("digest: base64 with two '='", PART + b"." + BASE64 + b"=", "signature-format")
add(
    "digest: 44 base64 characters without '=' (33 bytes)",
    PART + b"." + b64(RAW + b"\x00"),
    "signature-format",
)
add("digest: base64 of 31 bytes", PART + b"." + b64(RAW[:31]), "signature-format")
add("digest: 63 hex digits", PART + b"." + HEX[:63], "signature-format")
add("digest: 65 hex digits", PART + b"." + HEX + b"0", "signature-format")
add("digest: 64 characters with one that is not hex", PART + b"." + HEX[:63] + b"g", "signature-format")
add("digest: in double quotes", PART + b'."' + HEX + b'"', "signature-format")
add("digest: empty (the body ends at the dot)", PART + b".", "signature-format")
add("digest: 32 hex digits (16 bytes)", PART + b"." + RAW[:16].hex().encode(), "signature-format")
add(
    "digest: of another payload",
    PART + b"." + hex_digest(payload_part(reward(reward_id=1))),
    "signature-mismatch",
)

# The payload part in both alphabets, padded and not: a payload whose
# standard base64 holds '+' and '/' and ends in "==".
ALPHABET_JSON = first(
    (reward(extra=',"name":"Игрок %s~?%d"' % ("~" * (n % 3), n // 3)) for n in range(3000)),
    lambda json_text: all(c in payload_part(json_text) for c in b"+/")
    and payload_part(json_text).endswith(b"=="),
)
STD = payload_part(ALPHABET_JSON)
URL = url_safe(STD)
ALPHABET_KEY = delivery_key(ALPHABET_JSON.encode())
for label, part in [
    ("standard base64, padded", STD),
    ("standard base64, unpadded", unpadded(STD)),
    ("base64url, padded", URL),
    ("base64url, unpadded", unpadded(URL)),
]:
    add("payload: " + label, signed(part), valid(ALPHABET_JSON, key=ALPHABET_KEY))
add("payload: '-' with '+' and '/' (both alphabets)", signed(STD.replace(b"+", b"-", 1)), "payload-not-base64")
add("payload: one '=' where two are due", signed(STD[:-1]), "payload-not-base64")
add("payload: three '='", signed(STD + b"="), "payload-not-base64")
NO_PADDING_JSON = first(
    (reward(extra=',"tag":"%s"' % ("x" * n)) for n in range(3)),
    lambda json_text: len(json_text.encode()) % 3 == 0,
)
add("payload: no padding due", signed(payload_part(NO_PADDING_JSON)), valid(NO_PADDING_JSON))
add("payload: '=' where no padding is due", signed(payload_part(NO_PADDING_JSON) + b"="), "payload-not-base64")
add("payload: '=' inside", signed(STD[:8] + b"=" + STD[8:]), "payload-not-base64")
add("payload: a character of neither alphabet", signed(STD[:8] + b"!" + STD[9:]), "payload-not-base64")
add("payload: a line break inside", signed(STD[:40] + b"\n" + STD[40:]), "payload-not-base64")
add("payload: a space inside", signed(STD[:40] + b" " + STD[40:]), "payload-not-base64")
add("payload: 4n+1 characters, a length no base64 has", signed(STD[:-3]), "payload-not-base64")
# The last symbol before "==" carries 4 bits that decode to nothing: set
# one, and lenient decoders read the same bytes.
last = len(unpadded(STD)) - 1
stray = STD[:last] + bytes([STANDARD[STANDARD.index(STD[last]) | 1]]) + STD[last + 1 :]
assert base64.b64decode(stray) == base64.b64decode(STD) and stray != STD
add("payload: stray bits in the last symbol, signed as sent", signed(stray), "payload-not-base64")
add("payload: stray bits in the last symbol, unpadded, signed as sent", signed(unpadded(stray)), "payload-not-base64")
add("payload: the minimal object e30=", signed(b"e30="), valid("{}"), max_age=None)
add("payload: the minimal object unpadded, e30", signed(b"e30"), valid("{}"), max_age=None)

# Whitespace around the body: space, tab, CR and LF only.
BODY = PART + b"." + HEX
add("whitespace: spaces around the body", b"  " + BODY + b"  ", A_REWARD)
add("whitespace: tabs around the body", b"\t" + BODY + b"\t\t", A_REWARD)
add("whitespace: CRLF after the body", BODY + b"\r\n", A_REWARD)
add("whitespace: all four at both ends", b" \t\r\n" + BODY + b"\n\r\t ", A_REWARD)
add("whitespace: a no-break space before the body", b"\xc2\xa0" + BODY, "payload-not-base64")
add("whitespace: a no-break space after the body", BODY + b"\xc2\xa0", "signature-format")
add("whitespace: a vertical tab before the body", b"\x0b" + BODY, "payload-not-base64")
add("whitespace: a form feed after the body", BODY + b"\x0c", "signature-format")
add("whitespace: a byte-order mark before the body", b"\xef\xbb\xbf" + BODY, "payload-not-base64")
add("whitespace: a NUL after the body", BODY + b"\x00", "signature-format")
add("whitespace: a space before the dot", PART + b" ." + HEX, "payload-not-base64")
add("whitespace: a space after the dot", PART + b". " + HEX, "signature-format")
add(
    "whitespace: a captured HTTP request around a valid body",
    b"POST /webhooks/gamepush HTTP/1.1\r\nHost: game.example\r\nContent-Type: text/plain\r\n"
    b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY,
    "payload-not-base64",
)
add("whitespace: the body as a JSON string, in quotes", b'"' + BODY + b'"', "payload-not-base64")

# Secrets: tried in order, used as their UTF-8 bytes, never trimmed.
add("secret: another secret", BODY, "signature-mismatch", secrets=["Demo"])
add("secret: the second of two", BODY, valid(DIGEST_JSON, secret_index=1), secrets=["old", SECRET])
add(
    "secret: the first of two equal ones, second of three",
    BODY,
    valid(DIGEST_JSON, secret_index=1),
    secrets=["old", SECRET, SECRET],
)
add("secret: none of three", BODY, "signature-mismatch", secrets=["old", "older", "demo "])
add("secret: given with a trailing newline, signed without", BODY, "signature-mismatch", secrets=[SECRET + "\n"])
add(
    "secret: given with a trailing newline, signed with it",
    signed(PART, SECRET + "\n"),
    valid(DIGEST_JSON),
    secrets=[SECRET + "\n"],
)
add(
    "secret: given without a trailing newline, signed with it",
    signed(PART, SECRET + "\n"),
    "signature-mismatch",
)
NON_ASCII = "ключ-ü-🔑"
add("secret: not ASCII, as UTF-8", signed(PART, NON_ASCII), valid(DIGEST_JSON), secrets=[NON_ASCII])
add(
    "secret: not ASCII, the body signed with its Latin-1 bytes",
    PART + b"." + hashlib.sha256(PART + b"_" + "kü".encode("latin-1")).hexdigest().encode(),
    "signature-mismatch",
    secrets=["kü"],
)
add(
    "secret: the digest of the decoded JSON instead of the base64 text",
    PART + b"." + hashlib.sha256(DIGEST_JSON.encode() + b"_" + SECRET.encode()).hexdigest().encode(),
    "signature-mismatch",
)
add(
    "secret: the digest without the '_'",
    PART + b"." + hashlib.sha256(PART + SECRET.encode()).hexdigest().encode(),
    "signature-mismatch",
)
add(
    "secret: HMAC-SHA256 instead of SHA-256",
    PART + b"." + hmac.new(SECRET.encode(), PART, hashlib.sha256).hexdigest().encode(),
    "signature-mismatch",
)


# Tampering: what anyone can do to a captured body without the key.
def one_char_changed(part):
    for index in range(len(part) // 2, len(part)):
        for symbol in STANDARD:
            if symbol == part[index]:
                continue
            changed = part[:index] + bytes([symbol]) + part[index + 1 :]
            try:
                if isinstance(parse_json(decode_payload(changed)), dict):
                    return changed
            except Refused:
                continue
    raise AssertionError("no one-character change keeps the payload an object")


add("tampering: one payload character changed, still a JSON object", one_char_changed(PART) + b"." + HEX, "signature-mismatch")
add("tampering: one hex digit of the digest changed", PART + b"." + HEX[:10] + (b"0" if HEX[10:11] != b"0" else b"1") + HEX[11:], "signature-mismatch")
stray_part = PART if PART.endswith(b"=") else None
assert stray_part is not None, "the digest payload needs padding"
last = len(unpadded(PART)) - 1
stray_part = PART[:last] + bytes([STANDARD[STANDARD.index(PART[last]) | 1]]) + PART[last + 1 :]
assert base64.b64decode(stray_part) == base64.b64decode(PART) and stray_part != PART
add(
    "tampering: stray bits in the payload's last symbol, the digest left as it was",
    stray_part + b"." + HEX,
    "payload-not-base64",
)
# 43 symbols carry 258 bits for 256: the last symbol's two low bits decode
# to nothing.
stray_digest = BASE64[:42] + bytes([STANDARD[STANDARD.index(BASE64[42]) | 1]]) + b"="
assert base64.b64decode(stray_digest) == RAW and stray_digest != BASE64
add("tampering: stray bits in a base64 digest's last symbol", PART + b"." + stray_digest, "signature-format")
add(
    "tampering: stray bits in a base64url digest's last symbol, unpadded",
    PART + b"." + unpadded(url_safe(stray_digest)),
    "signature-format",
)
add(
    "tampering: the payload of one body with the digest of another",
    payload_part(reward(reward_id=1)) + b"." + HEX,
    "signature-mismatch",
)

# Truncation.
add("truncation: the payload's last 4 characters cut", PART[:-4] + b"." + HEX, "payload-not-json")
add("truncation: the payload cut to 4n+1 characters", PART[: (len(PART) // 4 - 1) * 4 + 1] + b"." + HEX, "payload-not-base64")
add("truncation: the digest cut to 63 hex digits", PART + b"." + HEX[:-1], "signature-format")
add("truncation: the base64 digest cut to 42 characters", PART + b"." + BASE64[:42], "signature-format")
add("truncation: the body cut after the dot", PART + b".", "signature-format")
add("truncation: the body cut before the dot", PART, "no-signature")
add("truncation: the dot alone", b".", "empty-payload")
add("truncation: the payload and its dot cut", b"." + HEX, "empty-payload")

# The window on `time`: 72 hours back, 60 seconds ahead, both inclusive.
AT_NOON = reward(time="2024-04-26T12:00:00Z")
NOON = signed(payload_part(AT_NOON))
add("time: exactly 72 hours old", NOON, valid(AT_NOON), now="2024-04-29T12:00:00Z")
add("time: 72 hours and 1 second old", NOON, "stale", now="2024-04-29T12:00:01Z")
add("time: 1 hour old", NOON, valid(AT_NOON), now="2024-04-26T13:00:00Z")
add("time: 30 days old", NOON, "stale", now="2024-05-26T12:00:00Z")
add("time: exactly 60 seconds ahead", NOON, valid(AT_NOON), now="2024-04-26T11:59:00Z")
add("time: 61 seconds ahead", NOON, "stale", now="2024-04-26T11:58:59Z")
add("time: the window read from the vector, 600 seconds", NOON, valid(AT_NOON), now="2024-04-26T12:10:00Z", max_age=600)
add("time: 601 seconds old in a window of 600", NOON, "stale", now="2024-04-26T12:10:01Z", max_age=600)
add("time: 30 days old with no window", NOON, valid(AT_NOON), now="2024-05-26T12:00:00Z", max_age=None)
PLUS_THREE = reward(time="2024-04-26T15:00:00+03:00")
add("time: +03:00, exactly 72 hours old", signed(payload_part(PLUS_THREE)), valid(PLUS_THREE), now="2024-04-29T12:00:00Z")
add("time: +03:00, 72 hours and 1 second old", signed(payload_part(PLUS_THREE)), "stale", now="2024-04-29T12:00:01Z")
MINUS_FIVE = reward(time="2024-04-26T07:00:00-05:00")
add("time: -05:00, exactly 60 seconds ahead", signed(payload_part(MINUS_FIVE)), valid(MINUS_FIVE), now="2024-04-26T11:59:00Z")
add("time: -05:00, 61 seconds ahead", signed(payload_part(MINUS_FIVE)), "stale", now="2024-04-26T11:58:59Z")
FRACTION = reward(time="2024-04-26T11:34:23.415923998Z")
add("time: nine digits of fraction", signed(payload_part(FRACTION)), valid(FRACTION))
MILLIS = reward(time="2024-04-26T11:34:23.4Z")
add("time: one digit of fraction", signed(payload_part(MILLIS)), valid(MILLIS))
LOWER = reward(time="2024-04-26t11:59:00z")
add("time: lowercase t and z", signed(payload_part(LOWER)), valid(LOWER))
NO_TIME = '{"event":"GivePlayerReward","player":{"id":1820283,"test":true},"result":{"rewardId":685}}'
add("time: missing", signed(payload_part(NO_TIME)), "time-missing")
add("time: missing, with no window", signed(payload_part(NO_TIME)), valid(NO_TIME), max_age=None)
for label, value, code in [
    ("a number", "1714132800", "time-missing"),
    ("null", "null", "time-missing"),
    ("an object", '{"seconds":1714132800}', "time-missing"),
    ("garbage", '"yesterday"', "time-format"),
    ("empty", '""', "time-format"),
    ("without an offset", '"2024-04-26T11:59:00"', "time-format"),
    ("a date alone", '"2024-04-26"', "time-format"),
    ("month 13", '"2024-13-01T00:00:00Z"', "time-format"),
    ("February 30", '"2024-02-30T12:00:00Z"', "time-format"),
    ("hour 24", '"2024-04-26T24:00:00Z"', "time-format"),
    ("with spaces inside its quotes", '" 2024-04-26T11:59:00Z "', "time-format"),
    ("a dot without a fraction", '"2024-04-26T11:59:00.Z"', "time-format"),
    # Forms that some time parsers read (jiff, Python's fromisoformat) but
    # RFC 3339 does not write: refused everywhere.
    ("a space for T", '"2024-04-26 11:59:00Z"', "time-format"),
    ("no seconds", '"2024-04-26T11:59Z"', "time-format"),
    ("ISO 8601 basic format", '"20240426T115900Z"', "time-format"),
    ("a comma before the fraction", '"2024-04-26T11:59:00,5Z"', "time-format"),
    ("an offset without a colon", '"2024-04-26T14:59:00+0300"', "time-format"),
    ("an offset of hours alone", '"2024-04-26T14:59:00+03"', "time-format"),
    ("a bracketed zone after it", '"2024-04-26T11:59:00Z[UTC]"', "time-format"),
    ("a leap second", '"2024-04-26T11:59:60Z"', "time-format"),
    ("an offset of 24 hours", '"2024-04-27T11:59:00+24:00"', "time-format"),
    ("a six-digit year", '"+002024-04-26T11:59:00Z"', "time-format"),
    ("ten digits of fraction", '"2024-04-26T11:59:00.1234567891Z"', "time-format"),
]:
    json_text = '{"event":"GivePlayerReward","result":{"rewardId":685},"time":%s}' % value
    add("time: " + label, signed(payload_part(json_text)), code)
    if label == "garbage":
        add("time: garbage, with no window", signed(payload_part(json_text)), valid(json_text), max_age=None)

# What is checked first: the first failure in the contract's order wins.
add("order: 30 days old and signed with another secret", NOON, "signature-mismatch", now="2024-05-26T12:00:00Z", secrets=["other"])
add("order: no time and signed with another secret", signed(payload_part(NO_TIME)), "signature-mismatch", secrets=["other"])
add("order: not an object and signed with another secret", signed(b"WzFd"), "payload-not-object", secrets=["other"])
add("order: not JSON and a malformed digest", payload_part("not json") + b".zz", "payload-not-json")
add("order: not base64 and an empty digest", b"e3!=.", "payload-not-base64")
add("order: an empty payload and a malformed digest", b".zz", "empty-payload")
add("order: too large and not a body at all", b"x" * 129, "too-large", max_body=128)

# The payload's JSON.
for label, json_text in [
    ("an array", "[]"),
    ("an array holding an object", '[{"event":"GivePlayerReward"}]'),
    ("a string", '"x"'),
    ("a number", "1"),
    ("null", "null"),
    ("true", "true"),
]:
    add("json: " + label + " is not an object", signed(payload_part(json_text)), "payload-not-object")
for label, data in [
    ("text", b"not json"),
    ("NaN", b'{"a":NaN}'),
    ("Infinity", b'{"a":Infinity}'),
    ("single quotes", b"{'event':'GivePlayerReward'}"),
    ("a trailing comma", b'{"event":"GivePlayerReward",}'),
    ("something after the object", b'{"event":"GivePlayerReward"} x'),
    ("two objects", b"{}{}"),
    ("an unclosed object", b'{"event":"GivePlayerReward"'),
    ("a raw line break inside a string", b'{"event":"Give\nPlayerReward"}'),
    ("whitespace alone", b" "),
    ("a NUL byte", b"\x00"),
    ("invalid UTF-8 inside a string", b'{"event":"GivePlayerReward","name":"\xff"}'),
    ("an overlong UTF-8 encoding", b'{"event":"GivePlayerReward","name":"\xc0\xaf"}'),
    ("a surrogate encoded in UTF-8", b'{"event":"GivePlayerReward","name":"\xed\xa0\x80"}'),
    ("a byte-order mark before the object", b"\xef\xbb\xbf{}"),
    ("UTF-16", '{"event":"GivePlayerReward"}'.encode("utf-16-le")),
]:
    add("json: " + label + " is not JSON", signed(b64(data)), "payload-not-json", max_age=None)
for label, json_text in [
    ("whitespace around the object", ' \n{"event":"GivePlayerReward","time":"2024-04-26T11:59:00Z"}\r\n\t'),
    ("an empty object, with no window", "{}"),
    ("no event", '{"player":{"id":5},"time":"2024-04-26T11:59:00Z"}'),
    ("an event that is a number", '{"event":7,"time":"2024-04-26T11:59:00Z"}'),
    ("an event spelled with an escape", '{"event":"\\u0047ivePlayerReward","time":"2024-04-26T11:59:00Z"}'),
    ("an event GamePush does not list", '{"event":"SomethingNew","time":"2024-04-26T11:59:00Z"}'),
    ("text that is not ASCII", '{"event":"GivePlayerReward","player":{"id":5,"name":"Игрок ü 🎮"},"time":"2024-04-26T11:59:00Z"}'),
    ("a DEL and U+2028 inside a string", '{"event":"GivePlayerReward","note":"\x7f\u2028","time":"2024-04-26T11:59:00Z"}'),
]:
    window = None if "no window" in label else WINDOW
    add("json: " + label, signed(payload_part(json_text)), valid(json_text), max_age=window)

# Size: the limit counts the bytes received, whitespace included.
SMALL = '{"time":"2024-04-26T11:59:00Z"}'
small = signed(payload_part(SMALL))
assert len(small) < 128
add("size: exactly at the limit of 128 bytes", small + b" " * (128 - len(small)), valid(SMALL), max_body=128)
add("size: 1 byte past the limit of 128", small + b" " * (129 - len(small)), "too-large", max_body=128)
add("size: whitespace alone past the limit", b"\n" * 129, "too-large", max_body=128)
add("size: an empty body", b"", "empty-body")
add("size: whitespace alone", b" \t\r\n", "empty-body")

# The parts.
add("parts: no dot", PART, "no-signature")
add("parts: a digest and no dot", HEX, "no-signature")
add("parts: two digests, split at the last dot", PART + b"." + HEX + b"." + HEX, "payload-not-base64")
add("parts: the payload holds a dot", PART[:8] + b"." + PART[8:] + b"." + HEX, "payload-not-base64")
add("parts: an empty payload", b"." + HEX, "empty-payload")

# Delivery keys: every payload of delivery-keys.json, signed, with its key
# from that file.
keys = json.loads(DELIVERY_KEYS.read_text(encoding="utf-8"))
for entry in keys["vectors"]:
    payload = entry["payload"].encode("utf-8")
    mine = delivery_key(payload)
    if mine != entry["key"]:
        sys.exit("generate.py: %r: delivery-keys.json says %s, this file computes %s" % (entry["name"], entry["key"], mine))
    has_time = isinstance(json.loads(entry["payload"]).get("time"), str)
    add(
        "delivery key: " + entry["name"],
        signed(b64(payload)),
        valid(payload, key=entry["key"]),
        max_age=WINDOW if has_time else None,
    )
purchase = keys["vectors"][3]
assert purchase["key"].startswith("PurchasePlayerPurchase:"), purchase["name"]
purchase_url = unpadded(url_safe(b64(purchase["payload"].encode("utf-8"))))
add(
    "delivery key: the same purchase in base64url with a base64url digest",
    purchase_url + b"." + unpadded(url_safe(b64(digest(purchase_url)))),
    valid(purchase["payload"], encoding="base64", key=purchase["key"]),
)

# ---------------------------------------------------------------------------

names = [vector["name"] for vector in vectors]
assert len(names) == len(set(names)), "vector names must be unique"
missing = set(CODES) - {vector["expect"].get("error") for vector in vectors}
assert not missing, "no vector for %s" % sorted(missing)

document = {
    "about": [
        "Conformance vectors for verifying GamePush webhook bodies: every implementation (the Rust library, "
        "@gpwh/webhooks, gpwh-webhooks, and the Go, PHP and Java receivers) gives each body the verdict it expects.",
        "Written by conformance/generate.py with Python's hashlib, base64 and urllib alone, never by gpwh; "
        "run it to regenerate, and with --check to find this file stale.",
        "Each vector: body_base64 is the body's exact bytes (body is the same as text, when it is UTF-8); "
        "secrets are tried in order, as their UTF-8 bytes; now is the clock; max_age_seconds is the window on "
        "`time` (null: time is not looked at); max_body is the size limit in bytes.",
        "expect is {valid: false, error: CODE}, gpwh's error code, or {valid: true, ...}: the decoded payload "
        "(as text), its event (null unless a string), its delivery key (docs/exactly-once.md), the index of the "
        "first matching secret (from 0) and how the digest was written (hex or base64).",
        "The checks run in this order, the first failure giving the code: " + ", ".join(CODES[:9])
        + ", then, with a window, time-missing, time-format and stale. conformance/README.md says what each means.",
    ],
    "vectors": vectors,
}
text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"

if sys.argv[1:] == ["--check"]:
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    if current != text:
        sys.exit(
            "conformance/vectors.json is stale: it is not what conformance/generate.py writes; "
            "run python3 conformance/generate.py and commit the result"
        )
    print("conformance/vectors.json is up to date: %d vectors" % len(vectors))
elif sys.argv[1:]:
    sys.exit("usage: python3 conformance/generate.py [--check]")
else:
    OUTPUT.write_text(text, encoding="utf-8")
    print("wrote conformance/vectors.json: %d vectors" % len(vectors))
