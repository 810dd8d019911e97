"""verify, sign and their parts, against digests computed by hashlib here
and against the rules of gpwh's Rust core."""

import base64
import hashlib
import json
import threading
import unittest
from datetime import datetime, timedelta, timezone

from gpwh_webhooks import CODES, Webhook, WebhookError, sign, verify
from gpwh_webhooks.decoding import MAX_DEPTH, NotJson, base64_strict, json_strict
from gpwh_webhooks.freshness import now_ns, parse_time_ns, window_ns

NOON = 1714132800  # 2024-04-26T12:00:00Z
PAYLOAD = b'{"event":"GivePlayerReward","player":{"id":1},"time":"2024-04-26T12:00:00Z"}'


def signed(payload=PAYLOAD, secret=b"demo", part=None, signature=None):
    part = base64.b64encode(payload) if part is None else part
    digest = hashlib.sha256(part + b"_" + secret).digest()
    return part + b"." + (digest.hex().encode() if signature is None else signature(digest))


def code(body, secrets="demo", **options):
    options.setdefault("now", NOON)
    try:
        verify(body, secrets, **options)
    except WebhookError as error:
        return error.code
    return None


class Order(unittest.TestCase):
    def test_a_valid_body(self):
        webhook = verify(signed(), "demo", now=NOON)
        self.assertIsInstance(webhook, Webhook)
        self.assertEqual(webhook.payload["event"], "GivePlayerReward")
        self.assertEqual((webhook.event, webhook.time), ("GivePlayerReward", "2024-04-26T12:00:00Z"))
        self.assertEqual(webhook.raw, PAYLOAD)
        self.assertEqual((webhook.secret_index, webhook.encoding), (0, "hex"))
        self.assertEqual(webhook.delivery_key, "sha256:" + hashlib.sha256(PAYLOAD).hexdigest())

    def test_every_code_in_its_place(self):
        self.assertEqual(code(b"x" * 11, max_body=10), "too-large")
        # The limit counts the bytes received, whitespace included.
        body = signed()
        self.assertIsNone(code(body, max_body=len(body)))
        self.assertEqual(code(body + b"\n", max_body=len(body)), "too-large")
        self.assertEqual(code(b" \t\r\n"), "empty-body")
        self.assertEqual(code(b""), "empty-body")
        self.assertEqual(code(b"e30="), "no-signature")
        self.assertEqual(code(b".abc"), "empty-payload")
        self.assertEqual(code(b"e3!=.abc"), "payload-not-base64")
        self.assertEqual(code(base64.b64encode(b"{nope") + b".abc"), "payload-not-json")
        self.assertEqual(code(base64.b64encode(b"[1]") + b".abc"), "payload-not-object")
        self.assertEqual(code(b"e30=.abc"), "signature-format")
        self.assertEqual(code(b"e30=."), "signature-format")
        self.assertEqual(code(signed(secret=b"other")), "signature-mismatch")
        self.assertEqual(code(signed(b'{"a":1}')), "time-missing")
        self.assertEqual(code(signed(b'{"time":5}')), "time-missing")
        self.assertEqual(code(signed(b'{"time":"noon"}')), "time-format")
        self.assertEqual(code(signed(), now=NOON + 259201), "stale")
        self.assertEqual(set(CODES), {"too-large", "empty-body", "no-signature", "empty-payload",
                                      "payload-not-base64", "payload-not-json", "payload-not-object",
                                      "signature-format", "signature-mismatch", "stale",
                                      "time-missing", "time-format"})

    def test_the_payload_is_judged_before_the_signature(self):
        # Not JSON and badly signed: the payload's fault is named.
        self.assertEqual(code(base64.b64encode(b"nope") + b"." + b"0" * 64), "payload-not-json")

    def test_statuses(self):
        for name in CODES:
            self.assertEqual(WebhookError(name, "x").status, 413 if name == "too-large" else 400)
        with self.assertRaises(ValueError):
            WebhookError("nope", "x")

    def test_only_ascii_whitespace_is_trimmed(self):
        self.assertIsNone(code(b" \t\r\n" + signed() + b"\r\n\n"))
        for other in (b"\x0b", b"\x0c", b"\xc2\xa0", b"\xef\xbb\xbf"):
            self.assertNotEqual(code(other + signed()), None, other)

    def test_the_last_dot_splits(self):
        self.assertEqual(code(b"e30=.ab.cd"), "payload-not-base64")

    def test_secrets_in_order_and_forms(self):
        body = signed()
        self.assertEqual(verify(body, ["a", b"demo", "demo"], now=NOON).secret_index, 1)
        self.assertEqual(verify(body, b"demo", now=NOON).secret_index, 0)
        self.assertEqual(code(body, []), "signature-mismatch")
        with self.assertRaises(TypeError):
            verify(body, [1], now=NOON)  # type: ignore[list-item]
        utf8 = signed(secret="ключ".encode())
        self.assertEqual(verify(utf8, "ключ", now=NOON).secret_index, 0)

    def test_a_str_body_is_refused_loudly(self):
        with self.assertRaises(TypeError) as caught:
            verify(signed().decode(), "demo")  # type: ignore[arg-type]
        self.assertIn("bytes", str(caught.exception))
        self.assertEqual(verify(bytearray(signed()), "demo", now=NOON).event, "GivePlayerReward")
        self.assertEqual(verify(memoryview(signed()), "demo", now=NOON).event, "GivePlayerReward")

    def test_messages_hold_no_secret(self):
        for body in (signed(secret=b"hunter2"), signed(b'{"time":"x"}')):
            try:
                verify(body, "hunter2-not", now=NOON)
            except WebhookError as error:
                self.assertNotIn("hunter2", str(error))
                self.assertEqual(str(error), str(error).lower()[:1] + str(error)[1:])


class Signatures(unittest.TestCase):
    def test_every_digest_form(self):
        forms = {
            "hex": lambda d: d.hex().encode(),
            "HEX": lambda d: d.hex().upper().encode(),
            "Mixed": lambda d: d.hex()[:32].upper().encode() + d.hex()[32:].encode(),
            "base64": lambda d: base64.b64encode(d),
            "base64 unpadded": lambda d: base64.b64encode(d).rstrip(b"="),
            "base64url": lambda d: base64.urlsafe_b64encode(d),
            "base64url unpadded": lambda d: base64.urlsafe_b64encode(d).rstrip(b"="),
        }
        for name, form in forms.items():
            webhook = verify(signed(signature=form), "demo", now=NOON)
            self.assertEqual(webhook.encoding, "base64" if "base64" in name else "hex", name)

    def test_known_digest(self):
        # printf '%s_%s' 'e30=' 'demo' | sha256sum
        known = b"06e0b399d7b8b42e934747615ac9ecf04318f8f2874f8183b886847657b66b80"
        self.assertEqual(verify(b"e30=." + known, "demo", max_age=None).payload, {})
        # printf '%s_%s' 'e30=' 'demo' | openssl dgst -sha256 -binary | base64
        self.assertEqual(verify(b"e30=.BuCzmde4tC6TR0dhWsns8EMY+PKHT4GDuIaEdle2a4A=", "demo",
                                max_age=None).encoding, "base64")

    def test_malformed_signatures(self):
        digest = hashlib.sha256(base64.b64encode(PAYLOAD) + b"_demo").digest()
        b64 = base64.b64encode(digest)
        for bad in (digest.hex()[:63].encode(), digest.hex().encode() + b"0",
                    b"g" + digest.hex()[1:].encode(), b64[:42], b64 + b"=",
                    b64[:43] + b"B",  # 44 symbols, no padding: 33 bytes
                    b64[:42] + b"B=",  # stray bits in the last symbol
                    base64.urlsafe_b64encode(digest)[:10] + b"+" + base64.urlsafe_b64encode(digest)[11:43]
                    if b"-" in base64.urlsafe_b64encode(digest) or b"_" in base64.urlsafe_b64encode(digest)
                    else b"-" * 43):
            self.assertEqual(code(base64.b64encode(PAYLOAD) + b"." + bad), "signature-format", bad)


class Base64(unittest.TestCase):
    JSON = b'{"a":"~?~"}'

    def test_four_flavours(self):
        for text in (b"eyJhIjoifj9+In0=", b"eyJhIjoifj9+In0", b"eyJhIjoifj9-In0=", b"eyJhIjoifj9-In0"):
            self.assertEqual(base64_strict(text), self.JSON, text)

    def test_refusals(self):
        for text in (b"ab+c_def", b"eyJh!Ijoi", b"eyJhI", b"e30==", b"e3=", b"e31=", b"e31",
                     b"e3=0", b"=e30", b"====", b"e30=\n", b"1R0GSpqY=", b"1R0GSpqY==", b"e30a====", b"e3 0", b"e\xff30", b"eyJhIjoifj9+In0=="):
            self.assertIsNone(base64_strict(text), text)
        self.assertEqual(base64_strict(b"e3=="), None)  # 'e3' has stray bits: "e3==" is not canonical
        self.assertEqual(base64_strict(b"eg=="), b"z")
        self.assertEqual(base64_strict(b"eg"), b"z")
        self.assertEqual(base64_strict(b"e30"), b"{}")

    def test_agrees_with_a_careful_reading_on_many_texts(self):
        import random

        rng = random.Random(7)
        alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_="
        for _ in range(20000):
            text = bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 14)))
            self.assertEqual(base64_strict(text), reference(text), text)
        for _ in range(500):
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
            for text in (base64.b64encode(data), base64.urlsafe_b64encode(data).rstrip(b"=")):
                if text:
                    self.assertEqual(base64_strict(text), data)


def reference(text):
    """A slow reading of the rules, symbol by symbol."""
    standard, url = set(b"+/"), set(b"-_")
    if set(text) & standard and set(text) & url:
        return None
    alphabet = (b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                + (b"-_" if set(text) & url else b"+/"))
    symbols = text.rstrip(b"=")
    pads = len(text) - len(symbols)
    if any(b not in alphabet for b in symbols) or len(symbols) % 4 == 1:
        return None
    if pads and (len(symbols) + pads) % 4:
        return None
    if pads and len(symbols) % 4 == 0:
        return None
    bits = "".join(format(alphabet.index(b), "06b") for b in symbols)
    whole = len(bits) // 8 * 8
    if "1" in bits[whole:]:
        return None
    return bytes(int(bits[i:i + 8], 2) for i in range(0, whole, 8))


class Json(unittest.TestCase):
    def test_strict(self):
        for bad in (b"NaN", b'{"a":NaN}', b'{"a":Infinity}', b'{"a":-Infinity}', b"\xef\xbb\xbf{}",
                    b'{"a":1} x', b"{'a':1}", b'{"a":"\xff"}', b'{"a":"\xed\xa0\x80"}',
                    b'{"a":"\\ud800"}', b'{"a":"\\udc00x"}', b'{"\\ud800":1}', b'"\x01"',
                    "{}".encode("utf-16")):
            with self.assertRaises(NotJson, msg=bad):
                json_strict(bad)
        self.assertEqual(json_strict(b' {"a":"\\ud83d\\ude00"} \n'), {"a": "\U0001F600"})
        self.assertEqual(json_strict(b'{"a":"\\\\ud800"}'), {"a": "\\ud800"})

    def test_nesting_as_deep_as_serde_json_reads(self):
        def nested(depth):
            return b"[" * depth + b"]" * depth

        value, depth = json_strict(nested(MAX_DEPTH)), 1
        while value:
            value, depth = value[0], depth + 1
        self.assertEqual(depth, MAX_DEPTH)
        with self.assertRaises(NotJson):
            json_strict(nested(MAX_DEPTH + 1))
        with self.assertRaises(NotJson):
            json_strict(nested(100000))
        # Brackets inside strings do not count, escaped quotes included.
        self.assertEqual(json_strict(b'{"a":"' + b"[" * 500 + b'"}'), {"a": "[" * 500})
        self.assertEqual(json_strict(b'{"a":"\\"[[[{"}'), {"a": '"[[[{'})

    def test_an_unclosed_string_past_the_nesting_is_read_once(self):
        # Unsigned and 1 MiB: a pattern for strings backtracked over it for
        # about an hour. Read once, it is refused at once; the thread is
        # given a minute, far past what one pass over 1 MiB takes.
        hostile = b"[" * 130 + b'"' + b'\\"' * 500_000
        outcome = []
        body = base64.b64encode(hostile) + b"." + b"0" * 64
        reader = threading.Thread(target=lambda: outcome.append(code(body, max_body=2 << 20)))
        reader.daemon = True
        reader.start()
        reader.join(60)
        self.assertEqual(outcome, ["payload-not-json"])


class Times(unittest.TestCase):
    def test_forms(self):
        base = NOON * 10**9
        for text, expected in {
            "2024-04-26T12:00:00Z": base,
            "2024-04-26t12:00:00z": base,
            "2024-04-26T12:00:00.5Z": base + 5 * 10**8,
            "2024-04-26T12:00:00.123456789Z": base + 123456789,
            "2024-04-26T14:00:00+02:00": base,
            "2024-04-26T10:30:00-01:30": base,
            "2024-04-26T12:00:00-00:00": base,
            "2024-04-27T11:00:00.25+23:00": base + 25 * 10**7,
            "0000-01-01T00:00:00Z": -62167219200 * 10**9,
            "2024-02-29T00:00:00Z": 1709164800 * 10**9,
        }.items():
            self.assertEqual(parse_time_ns(text), expected, text)
        # What jiff reads but RFC 3339 (and gpwh) does not.
        for text in ("2024-04-26 12:00:00Z", "2024-04-26T12:00Z", "20240426T120000Z",
                     "2024-04-26T12:00:00,5Z", "2024-04-26T12:00:00+0200", "2024-04-26T12:00:00+02",
                     "2024-04-26T12:00:60Z", "2024-04-26T12:00:00Z[UTC]", "+002024-04-26T12:00:00Z",
                     "2024-04-26T12:00:00+24:00", "2024-04-26T12:00:00+02:60",
                     "2024-04-26T24:00:00Z", "2024-04-26T12:00:00", "2024-02-30T12:00:00Z",
                     "2023-02-29T12:00:00Z", "2024-04-26T12:00:00.1234567891Z", "2024-04-26T12:00:00.Z",
                     " 2024-04-26T12:00:00Z", "2024-13-01T00:00:00Z", "2024-04-26T12:61:00Z",
                     "\u0662024-04-26T12:00:00Z", "noon", ""):
            self.assertIsNone(parse_time_ns(text), text)

    def test_the_window_edges(self):
        body = signed()
        self.assertIsNone(code(body, now=NOON + 259200))
        self.assertEqual(code(body, now=NOON + 259200.000001), "stale")
        self.assertIsNone(code(body, now=NOON - 60))
        self.assertEqual(code(body, now=NOON - 60.001), "stale")
        self.assertIsNone(code(body, now=NOON + 10**9, max_age=None))
        self.assertIsNone(code(body, now=NOON + 3600, max_age=timedelta(hours=1)))
        self.assertEqual(code(body, now=NOON + 3601, max_age=3600.0), "stale")
        aware = datetime(2024, 4, 26, 14, 0, tzinfo=timezone(timedelta(hours=2)))
        self.assertIsNone(code(body, now=aware, max_age=0))
        with self.assertRaises(ValueError):
            verify(body, "demo", now=datetime(2024, 4, 26))
        with self.assertRaises(ValueError):
            verify(body, "demo", max_age=-1)

    def test_clocks(self):
        self.assertEqual(now_ns(NOON), NOON * 10**9)
        self.assertEqual(now_ns(datetime(2024, 4, 26, 12, tzinfo=timezone.utc)), NOON * 10**9)
        self.assertEqual(window_ns(timedelta(seconds=1, microseconds=5)), 10**9 + 5000)
        self.assertIsNone(window_ns(None))
        with self.assertRaises(TypeError):
            window_ns("1h")  # type: ignore[arg-type]


class Signing(unittest.TestCase):
    def test_sign_verifies_and_matches_hashlib(self):
        body = sign({"event": "GivePlayerReward", "time": "2024-04-26T12:00:00Z"}, "demo")
        part, _, digest = body.partition(b".")
        self.assertEqual(digest, hashlib.sha256(part + b"_demo").hexdigest().encode())
        self.assertEqual(json.loads(base64.b64decode(part)), {"event": "GivePlayerReward",
                                                               "time": "2024-04-26T12:00:00Z"})
        self.assertEqual(verify(body, "demo", now=NOON).encoding, "hex")
        other = sign(PAYLOAD, b"demo", encoding="base64")
        self.assertEqual(verify(other, "demo", now=NOON).encoding, "base64")
        self.assertEqual(sign(PAYLOAD.decode(), "demo"), signed())

    def test_sign_refuses_what_is_no_payload(self):
        for bad in ("[1]", b"{nope", "NaN"):
            with self.assertRaises(ValueError):
                sign(bad, "demo")
        with self.assertRaises(ValueError):
            sign({}, "demo", encoding="hexa")  # type: ignore[arg-type]


if __name__ == "__main__":
    unittest.main()
