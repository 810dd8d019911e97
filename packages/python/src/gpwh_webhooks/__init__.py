"""Verify GamePush webhooks and handle each delivery once.

    from gpwh_webhooks import verify, WebhookError

    try:
        webhook = verify(raw_body, "your secret key")
    except WebhookError as error:
        return error.status, str(error)          # 400, or 413 past the limit
    print(webhook.event, webhook.payload["player"]["id"])

What is known, and what is not: the body is BASE64(JSON) "." SIGNATURE and
the signature is SHA-256 over the first part, '_' and your secret key
(documented by GamePush). How the digest is written is not documented
(lowercase hex is likely, base64 possible), nor whether or when GamePush
sends a delivery again. So every way of writing the same 32 bytes is
accepted, the window on `time` is 72 hours, wide enough for any redelivery,
and what stops a delivery from acting twice is its key, kept in your
database by receive() and a store.
"""

from .database import BadDatabaseUrl, DatabaseUnavailable, database_of, open_store
from .delivery import delivery_key, whole_number
from .errors import CODES, WebhookError
from .receiving import Outcome, receive, receive_async
from .stores import DjangoStore, PostgresStore, SQLiteStore, Transaction
from .verifying import MAX_AGE_SECONDS, MAX_BODY, Webhook, sign, verify

__version__ = "0.1.0"

__all__ = [
    "BadDatabaseUrl",
    "CODES",
    "DatabaseUnavailable",
    "DjangoStore",
    "MAX_AGE_SECONDS",
    "MAX_BODY",
    "Outcome",
    "PostgresStore",
    "SQLiteStore",
    "Transaction",
    "Webhook",
    "WebhookError",
    "database_of",
    "delivery_key",
    "open_store",
    "receive",
    "receive_async",
    "sign",
    "verify",
    "whole_number",
]
