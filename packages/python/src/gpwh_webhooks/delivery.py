"""The delivery key: what makes a delivery the same delivery again, from the
verified payload (never from the body as received, which anyone can rewrite
without the secret: whitespace, the digest's case or alphabet). gpwh's
docs/exactly-once.md defines it, and conformance/delivery-keys.json pins it
for every language."""

import hashlib
import json
import urllib.parse
from typing import Any, Mapping, Optional, Union

# Events that happen once per purchase, whichever body carries them.
ONCE_PER_PURCHASE = ("PurchasePlayerPurchase", "ConsumePlayerPurchase")
# The largest whole number every language holds exactly: 2^53 - 1.
MAX_WHOLE = 2**53 - 1


def delivery_key(
    payload: Union[bytes, bytearray, memoryview, str, Mapping[str, Any]],
    parsed: Optional[Mapping[str, Any]] = None,
) -> str:
    """The delivery key of a verified payload: its JSON bytes (a str is
    taken as its UTF-8 bytes), with `parsed`, its JSON value, when already
    at hand; or the parsed payload alone, which keys a purchase but nothing
    else (every other payload is keyed on its exact bytes: pass those, or
    use `Webhook.delivery_key`).

    A purchase, or its consumption, is keyed on the purchase's _id, whatever
    body carries it: "PurchasePlayerPurchase:" and the _id's UTF-8 bytes
    percent-encoded (1 to 200 bytes), or a whole number in decimal. Anything
    else is "sha256:" and the hex SHA-256 of the payload's JSON bytes.

    Raises ValueError when the bytes are not a JSON text, or when a mapping
    alone is given for a payload keyed on its bytes."""
    data: Optional[bytes]
    if isinstance(payload, Mapping):
        data, value = None, payload
    else:
        data = payload.encode() if isinstance(payload, str) else bytes(payload)
        value = json.loads(data) if parsed is None else parsed
    event = value.get("event") if isinstance(value, Mapping) else None
    if event in ONCE_PER_PURCHASE:
        result = value.get("result")
        purchase = result.get("purchase") if isinstance(result, Mapping) else None
        if isinstance(purchase, Mapping):
            purchase_id = purchase.get("_id")
            number = whole_number(purchase_id)
            if number is not None:
                return f"{event}:{number}"
            if isinstance(purchase_id, str):
                try:
                    id_bytes = purchase_id.encode()
                except UnicodeEncodeError:  # a lone surrogate, as "\ud800" gives
                    id_bytes = b""
                if 1 <= len(id_bytes) <= 200:
                    return f"{event}:{urllib.parse.quote(id_bytes, safe='')}"
    if data is None:
        raise ValueError("this payload is keyed on its exact JSON bytes, which a parsed "
                         "payload has lost: pass the bytes (webhook.raw) instead")
    return "sha256:" + hashlib.sha256(data).hexdigest()


def whole_number(value: object) -> Optional[int]:
    """`value` as an int when it is a JSON number whose value is whole and
    within 2^53 - 1 either way (777, 777.0 and 7.77e2 alike); None
    otherwise, booleans and strings included."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # -0.0 becomes 0
    if isinstance(value, int) and abs(value) <= MAX_WHOLE:
        return value
    return None
