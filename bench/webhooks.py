"""How fast gpwh-webhooks verifies bodies, beside the shortest correct loop
written by hand and the bare SHA-256 of each body, measured side by side in
one run (issue: the package within 1.3x of the hand loop).

    python3 bench/webhooks.py [--bodies N]    (default 1,000,000)

Run it with the package importable: installed, or PYTHONPATH=packages/python/src.
The bodies are realistic GamePush payloads (about 560 bytes), signed in
lowercase hex, all valid and sent a minute ago; the same list is verified
by each loop in turn, against the system clock as a server does, and each
loop checks that every body passed.
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import platform
import time
from datetime import datetime, timezone

from gpwh_webhooks import verify

SECRET = "bench secret key"
MAX_AGE = 72 * 3600
DISTINCT = 1000
CHUNK = 10000


def bodies(count):
    sent = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    made = []
    for i in range(DISTINCT):
        payload = {
            "event": "PurchasePlayerPurchase" if i % 2 else "GivePlayerReward",
            "player": {"id": 1820283 + i, "name": "Alex", "avatar": "https://cdn.example.com/a.png",
                       "projectId": 4, "credentials": "", "platformType": "NONE", "active": True,
                       "removed": False, "test": False, "modifiedAt": "2024-04-26T11:34:23.415923998Z"},
            "result": {"__typename": "PlayerReward", "countAccepted": 0, "countTotal": 1, "rewardId": i},
            "time": f"{sent}{i % 1000:03d}Z",
        }
        part = base64.b64encode(json.dumps(payload, separators=(",", ":")).encode())
        made.append(part + b"." + hashlib.sha256(part + b"_" + SECRET.encode()).hexdigest().encode())
    return [made[i % DISTINCT] for i in range(count)]


def package(items):
    ok = 0
    for body in items:
        verify(body, SECRET)
        ok += 1
    return ok


def by_hand(items):
    """The shortest correct loop: hash, constant-time compare, strict base64,
    JSON, and the time checked against the window; lowercase hex only.
    b64decode(validate=True) alone lets stray bits and extra padding through
    ("e31=", "1R0GSpqY="), which gpwh refuses: the text must encode back to
    itself."""
    suffix = b"_" + SECRET.encode()
    ok = 0
    for body in items:
        part, _, signature = body.strip().rpartition(b".")
        expected = hashlib.sha256(part + suffix).digest()
        if not hmac.compare_digest(binascii.a2b_hex(signature), expected):
            raise ValueError("signature does not match")
        raw = base64.b64decode(part, validate=True)
        if base64.b64encode(raw) != part:
            raise ValueError("payload is not canonical base64")
        payload = json.loads(raw)
        sent = datetime.fromisoformat(payload["time"][:26] + "+00:00").timestamp()
        if not -60 <= time.time() - sent <= MAX_AGE:
            raise ValueError("stale")
        ok += 1
    return ok


def bare_hash(items):
    suffix = b"_" + SECRET.encode()
    ok = 0
    for body in items:
        part = body.rpartition(b".")[0]
        hashlib.sha256(part + suffix).digest()
        ok += 1
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=1_000_000)
    count = parser.parse_args().bodies
    items = bodies(count)
    print(f"{count} bodies of {len(items[0])} bytes, Python {platform.python_version()} "
          f"on {platform.machine()}")
    loops = (("bare hashlib.sha256", bare_hash), ("by hand", by_hand), ("gpwh_webhooks.verify", package))
    times = {name: 0.0 for name, _ in loops}
    # The loops take turns, CHUNK bodies at a time, each turn in another
    # order, so that whatever else the machine does slows them alike.
    for turn, start in enumerate(range(0, count, CHUNK)):
        chunk = items[start:start + CHUNK]
        for name, loop in loops[turn % 3:] + loops[:turn % 3]:
            started = time.perf_counter()
            assert loop(chunk) == len(chunk)
            times[name] += time.perf_counter() - started
    for name, seconds in times.items():
        print(f"{name:22} {seconds:8.3f} s  {seconds / count * 1e6:6.2f} us/body  "
              f"{seconds / times['by hand']:5.2f}x by hand  {seconds / times['bare hashlib.sha256']:5.2f}x bare hash")
    ratio = times["gpwh_webhooks.verify"] / times["by hand"]
    print(f"the package: {ratio:.2f}x the hand loop (goal: 1.3x at most)")


if __name__ == "__main__":
    main()
