"""Decoding a body's two parts strictly: base64 in either alphabet, padded
or not, with nothing lenient (Python's own decoders skip stray bytes and
ignore bits that decode to nothing), and JSON as RFC 8259 and gpwh's Rust
core read it (UTF-8 only, no NaN or Infinity, no lone surrogate, at most
127 levels deep)."""

import binascii
import json
import re
from typing import Any, NoReturn, Optional

_STANDARD = re.compile(rb"[A-Za-z0-9+/]*\Z")
_STANDARD_PADDED = re.compile(rb"[A-Za-z0-9+/]*={0,2}\Z")
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
# The values of the last symbol that leave no stray bits, for 2 and 3
# symbols in the last group: the low 4 or 2 bits of its 6 must be zero.
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CLEAN_LAST = {
    2: frozenset(_ALPHABET[i] for i in range(0, 64, 16)),
    3: frozenset(_ALPHABET[i] for i in range(0, 64, 4)),
}
try:
    # Only where it exists (novermin: the TypeError below is Python 3.10's).
    binascii.a2b_base64(b"", strict_mode=True)  # type: ignore[call-arg,unused-ignore]  # novermin
    _STRICT_MODE = True
except TypeError:  # Python 3.10 and older
    _STRICT_MODE = False
# serde_json, which gpwh reads JSON with, refuses a 128th level of nesting.
MAX_DEPTH = 127
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def base64_strict(text: bytes) -> Optional[bytes]:
    """The bytes `text` encodes in standard or URL-safe base64, padded or
    not; None when it is not exactly that: a byte outside the alphabet, the
    two alphabets mixed, '=' anywhere but as the padding the length needs,
    an impossible length, or bits in the last symbol that decode to
    nothing."""
    # The common form, standard and padded: a length of whole groups, the
    # padding the last one needs (no more: four symbols with '=' would need
    # three), and no stray bits in the symbol before it. Python 3.11's
    # strict mode checks all but the stray bits in C.
    if _STRICT_MODE and len(text) % 4 == 0:
        try:
            decoded = binascii.a2b_base64(text, strict_mode=True)  # novermin
        except binascii.Error:
            return _base64_any_form(text)
        if text[-1:] != b"=":
            return decoded
        pads = 2 if text[-2:] == b"==" else 1
        # As many bytes as the symbols make (strict mode lets a whole group
        # be followed by '='), and no stray bits before the padding.
        if len(decoded) == len(text) // 4 * 3 - pads and text[-1 - pads] in _CLEAN_LAST[4 - pads]:
            return decoded
        return None
    if len(text) % 4 == 0 and _STANDARD_PADDED.match(text):
        if text[-1:] != b"=" or text[-3 if text[-2:] == b"==" else -2] in _CLEAN_LAST[
                2 if text[-2:] == b"==" else 3]:
            return binascii.a2b_base64(text)
        return None
    return _base64_any_form(text)


def _base64_any_form(text: bytes) -> Optional[bytes]:
    url_safe = b"-" in text or b"_" in text
    if url_safe:
        if b"+" in text or b"/" in text:
            return None  # two alphabets in one text
        text = text.translate(_TO_STANDARD)
    symbols = text.rstrip(b"=")
    padding = len(text) - len(symbols)
    if not _STANDARD.match(symbols):
        return None
    rest = len(symbols) % 4
    if rest == 1 or (padding and padding != -len(symbols) % 4):
        return None
    if rest and symbols[-1] not in _CLEAN_LAST[rest]:
        return None
    try:
        return binascii.a2b_base64(symbols + b"=" * (-len(symbols) % 4))
    except binascii.Error:  # pragma: no cover - the checks above rule it out
        return None


class NotJson(ValueError):
    """Decoded bytes that are not a JSON text as gpwh reads it."""


def _refuse_constant(name: str) -> NoReturn:
    raise NotJson(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def json_strict(data: bytes) -> Any:
    """The JSON value of `data`, or NotJson saying why not."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotJson(f"invalid UTF-8 at byte {error.start}") from None
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(text):
        raise NotJson(f"nested more than {MAX_DEPTH} levels deep")
    try:
        value = _DECODER.decode(text)
    except NotJson:
        raise
    except (ValueError, RecursionError) as error:
        raise NotJson(str(error).splitlines()[0] if str(error) else type(error).__name__) from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise NotJson("a string holds half a surrogate pair")
    return value


def _too_deep(text: str) -> bool:
    """Whether the JSON text nests arrays and objects past MAX_DEPTH,
    brackets inside strings aside. One pass, whatever the text: it runs
    before the signature is checked, on anything anyone sends (a pattern
    for strings backtracked over an unclosed one, for minutes on 200 KB)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _has_lone_surrogate(value: Any) -> bool:
    """Whether a string in value (a key included) holds a surrogate, which
    Python's json keeps from an unpaired \\ud800 escape and serde_json
    refuses."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
