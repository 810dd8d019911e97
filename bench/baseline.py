"""What gpwh's batch mode replaces: a short Python script over captured
bodies, one per line, with hashlib.

    python3 bench/baseline.py count SECRET < bodies.txt     # like verify --lines -q
    python3 bench/baseline.py verdicts SECRET < bodies.txt  # like verify --lines
    python3 bench/baseline.py decode < bodies.txt           # like decode --lines
"""

import base64
import binascii
import hashlib
import json
import sys


def main():
    mode = sys.argv[1]
    secret = ("_" + sys.argv[2]).encode() if len(sys.argv) > 2 else b""
    out = sys.stdout
    valid = invalid = malformed = 0
    for number, line in enumerate(sys.stdin.buffer, 1):
        line = line.strip()
        if not line:
            continue
        payload, dot, signature = line.rpartition(b".")
        if mode == "decode":
            try:
                out.write(json.dumps(json.loads(base64.b64decode(payload)), separators=(",", ":")) + "\n")
            except (ValueError, binascii.Error) as error:
                malformed += 1
                print(f"{number}: {error}", file=sys.stderr)
            continue
        if not dot:
            malformed += 1
            continue
        ok = hashlib.sha256(payload + secret).hexdigest() == signature.decode("ascii", "replace").lower()
        if mode == "count":
            valid, invalid = valid + ok, invalid + (not ok)
            continue
        try:
            event = json.loads(base64.b64decode(payload)).get("event")
        except (ValueError, binascii.Error):
            malformed += 1
            out.write(json.dumps({"line": number, "valid": False, "error": "malformed"}) + "\n")
            continue
        if ok:
            valid += 1
            out.write(json.dumps({"line": number, "valid": True, "event": event}) + "\n")
        else:
            invalid += 1
            out.write(json.dumps({"line": number, "valid": False, "error": "signature-mismatch"}) + "\n")
    print(f"{valid + invalid + malformed} bodies: {valid} valid, {invalid} invalid, {malformed} malformed",
          file=sys.stderr)


main()
