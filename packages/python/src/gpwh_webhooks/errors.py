"""Why a body is refused: one exception, with gpwh's error code in `.code`
and the HTTP status to answer in `.status`, so that a caller can tell a
forged body from one that is not a webhook at all without reading
messages."""

from typing import Tuple

# Every code, in the order a body is checked (the first failure wins).
CODES: Tuple[str, ...] = (
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


class WebhookError(Exception):
    """A body that is not a genuine, fresh GamePush webhook.

    `code` is one of CODES; `status` is 413 for "too-large" and 400 for
    every other code. The message is lower-case, says what is wrong and how
    to fix it, and never holds a secret."""

    code: str
    status: int

    def __init__(self, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(message)
        self.code = code
        self.status = 413 if code == "too-large" else 400

    def __repr__(self) -> str:
        return f"WebhookError({self.code!r}, {str(self)!r})"
