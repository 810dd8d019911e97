"""Code a game would write, checked by mypy --strict: the payload narrows
by its event. The line marked EXPECTED must fail to type-check: test.sh
requires mypy's error on it and no other."""

from typing import Optional

from gpwh_webhooks import Outcome, SQLiteStore, Transaction, WebhookError, receive, verify
from gpwh_webhooks.events import Payload


def reward_of(body: bytes) -> Optional[int]:
    try:
        webhook = verify(body, ["new secret", "old secret"], max_age=3600)
    except WebhookError as error:
        status: int = error.status
        code: str = error.code
        print(status, code)
        return None
    payload = webhook.payload
    if payload["event"] == "GivePlayerReward":
        reward: int = payload["result"]["rewardId"]
        player_id: int = payload["player"]["id"]
        print(player_id, webhook.delivery_key, webhook.secret_index, webhook.encoding)
        return reward
    if payload["event"] == "PurchasePlayerPurchase":
        purchase_id = payload["result"].get("purchase", {}).get("_id")
        print(purchase_id)
    return None


def handle(payload: Payload, tx: Transaction) -> None:
    if payload["event"] == "ConsumePlayerPurchase":
        tx.execute("INSERT INTO grants (delivery_key) VALUES (?)", (tx.key,))


def serve(body: bytes) -> Outcome:
    outcome = receive(body, secrets="secret", store=SQLiteStore("game.sqlite3"), handle=handle)
    if outcome.outcome == "failed":
        print(outcome.error)
    return outcome


def wrong(body: bytes) -> object:
    payload = verify(body, "secret").payload
    if payload["event"] == "GivePlayerReward":
        return payload["result"]["purchase"]  # EXPECTED: a reward has no purchase
    return 0
