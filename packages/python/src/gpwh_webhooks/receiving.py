"""Receiving a delivery: verify the body, then hand the webhook to your code
once per delivery key, on the transaction that claims the key, and say what
to answer. The library never prints: it logs each delivery on the logger
"gpwh_webhooks" ("delivery KEY: handled", "... a repeat, answered without
handling it again", "... not handled: REASON")."""

import asyncio
import contextvars
import functools
import logging
from dataclasses import dataclass
from typing import Any, Callable, Literal, Optional, Union

from .errors import WebhookError
from .freshness import Clock, Window
from .events import Payload
from .stores import Transaction, short_reason
from .verifying import MAX_AGE_SECONDS, MAX_BODY, Secrets, Webhook, verify

log = logging.getLogger("gpwh_webhooks")

Handle = Callable[[Payload, Any], Any]


@dataclass(frozen=True)
class Outcome:
    """What became of a body, and what to answer it:

    - 200 "ok", outcome "handled": handled now, and committed before this
      answer;
    - 200 "already handled", outcome "repeat": the key was in the database,
      so the delivery was handled before and handle did not run again (a
      4xx or 5xx would only make the sender try again, forever);
    - 400 or 413, outcome "refused": not a genuine, fresh webhook (error is
      the WebhookError; the database was not touched);
    - 500 "handler failed", outcome "failed": handle or the database failed
      (error), and everything was rolled back, key included, so that a
      repeat runs it again."""

    status: int
    text: str
    outcome: Literal["handled", "repeat", "refused", "failed"]
    key: Optional[str] = None
    error: Optional[BaseException] = None
    webhook: Optional[Webhook] = None


def receive(
    body: Union[bytes, bytearray, memoryview],
    *,
    secrets: Secrets,
    store: Any,
    handle: Handle,
    max_age: Window = MAX_AGE_SECONDS,
    max_body: int = MAX_BODY,
    now: Clock = None,
) -> Outcome:
    """Verifies body and runs handle(payload, tx) once per delivery, on the
    store's Transaction tx that claims its key (tx.key is the delivery key,
    tx.webhook the whole verified Webhook): what handle writes through tx
    commits with the key, or rolls back with it. store is a SQLiteStore,
    PostgresStore or DjangoStore, or any object with once(key, work); None
    runs handle(payload, None) for every delivery, repeats included."""
    try:
        webhook = verify(body, secrets, max_age=max_age, max_body=max_body, now=now)
    except WebhookError as error:
        return _refused(error)
    return _hand_over(webhook, store, handle)


async def receive_async(
    body: Union[bytes, bytearray, memoryview],
    *,
    secrets: Secrets,
    store: Any,
    handle: Handle,
    max_age: Window = MAX_AGE_SECONDS,
    max_body: int = MAX_BODY,
    now: Clock = None,
) -> Outcome:
    """receive for asyncio servers (FastAPI, Starlette, Django's async
    views): the body is verified on the event loop, and the store's
    transaction with handle runs in the loop's default thread pool, since
    sqlite3 and psycopg block (a lock may be waited for seconds). handle is
    therefore a plain def, as it is for receive."""
    if asyncio.iscoroutinefunction(handle):
        raise TypeError("handle runs in a thread on the store's transaction: make it a def, "
                        "not an async def")
    try:
        webhook = verify(body, secrets, max_age=max_age, max_body=max_body, now=now)
    except WebhookError as error:
        return _refused(error)
    context = contextvars.copy_context()
    work = functools.partial(context.run, _hand_over, webhook, store, handle)
    return await asyncio.get_running_loop().run_in_executor(None, work)


def _refused(error: WebhookError) -> Outcome:
    log.debug("refused: %s", error.code)
    return Outcome(error.status, str(error), "refused", error=error)


def _hand_over(webhook: Webhook, store: Any, handle: Handle) -> Outcome:
    key = webhook.delivery_key

    def work(tx: Any) -> None:
        if isinstance(tx, Transaction):
            tx.webhook = webhook
        handle(webhook.payload, tx)

    try:
        if store is None:
            work(None)
            handled = True
        else:
            handled = store.once(key, work)
    except Exception as error:
        reason = store.reason(error) if hasattr(store, "reason") else short_reason(error)
        log.error("delivery %s: not handled: %s", key, reason)
        return Outcome(500, "handler failed", "failed", key, error, webhook)
    if not handled:
        log.info("delivery %s: a repeat, answered without handling it again", key)
        return Outcome(200, "already handled", "repeat", key, None, webhook)
    log.info("delivery %s: handled", key)
    return Outcome(200, "ok", "handled", key, None, webhook)
