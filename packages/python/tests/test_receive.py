"""receive and receive_async with every store, on a real SQLite file and a
real PostgreSQL server: each delivery handled once, a failing effect rolled
back with its key, an effect that swallowed a database error not committed,
two deliveries of one key at once handled once."""

import asyncio
import logging
import os
import sqlite3
import tempfile
import threading
import unittest

import psycopg
import psycopg_pool

from gpwh_webhooks import (BadDatabaseUrl, DatabaseUnavailable, PostgresStore, SQLiteStore,
                           database_of, open_store, receive, receive_async, sign)

from support import POSTGRES

NOON = 1714132800
GRANTS = "CREATE TABLE IF NOT EXISTS grants (delivery_key text NOT NULL, player_id bigint)"


def body(player=1, event="GivePlayerReward", **extra):
    return sign({"event": event, "player": {"id": player}, "time": "2024-04-26T12:00:00Z", **extra}, "demo")


def grant(payload, tx):
    tx.execute("INSERT INTO grants (delivery_key, player_id) VALUES (?, ?)", (tx.key, payload["player"]["id"]))


class Stores:
    """The same checks on every store; make_store and count are the database's."""

    def make_store(self):
        raise NotImplementedError

    def count(self, sql):
        raise NotImplementedError

    def deliver(self, raw, handle=grant):
        return receive(raw, secrets="demo", store=self.store, handle=handle, now=NOON)

    def test_once_per_delivery(self):
        with self.assertLogs("gpwh_webhooks", logging.INFO) as logs:
            first = self.deliver(body())
            again = self.deliver(b"  " + body() + b"\n")
        self.assertEqual((first.status, first.text, first.outcome), (200, "ok", "handled"))
        self.assertEqual((again.status, again.text, again.outcome), (200, "already handled", "repeat"))
        self.assertEqual(first.key, again.key)
        self.assertEqual(self.count("SELECT count(*) FROM grants"), 1)
        self.assertEqual(self.count("SELECT count(*) FROM gamepush_deliveries"), 1)
        self.assertEqual(logs.output[0], f"INFO:gpwh_webhooks:delivery {first.key}: handled")
        self.assertIn("a repeat, answered without handling it again", logs.output[1])

    def test_a_purchase_in_two_bodies_is_one_delivery(self):
        purchase = {"result": {"purchase": {"_id": "65f1c0ffee"}}}
        one = self.deliver(body(event="PurchasePlayerPurchase", **purchase))
        two = self.deliver(sign({"event": "PurchasePlayerPurchase", "player": {"id": 1},
                             "time": "2024-04-26T11:00:00Z", **purchase}, "demo", encoding="base64"))
        self.assertEqual((one.outcome, two.outcome), ("handled", "repeat"))
        self.assertEqual(one.key, "PurchasePlayerPurchase:65f1c0ffee")

    def test_a_refused_body_touches_nothing(self):
        outcome = self.deliver(sign({"time": "2024-04-26T12:00:00Z"}, "other"))
        self.assertEqual((outcome.status, outcome.outcome), (400, "refused"))
        self.assertEqual(outcome.error.code, "signature-mismatch")
        self.assertEqual(self.count("SELECT count(*) FROM gamepush_deliveries"), 0)
        big = receive(b"x" * 20, secrets="demo", store=self.store, handle=grant, max_body=10)
        self.assertEqual((big.status, big.error.code), (413, "too-large"))

    def test_a_failing_effect_rolls_back_its_key(self):
        def fails(payload, tx):
            grant(payload, tx)
            raise RuntimeError("the game's database said no")

        with self.assertLogs("gpwh_webhooks", logging.ERROR) as logs:
            failed = self.deliver(body(player=2), fails)
        self.assertEqual((failed.status, failed.text, failed.outcome), (500, "handler failed", "failed"))
        self.assertIn("not handled: RuntimeError: the game's database said no", logs.output[0])
        self.assertEqual(self.count("SELECT count(*) FROM grants"), 0)
        self.assertEqual(self.deliver(body(player=2)).outcome, "handled")

    def test_a_swallowed_database_error_is_not_committed(self):
        def swallows(payload, tx):
            grant(payload, tx)
            try:
                tx.execute("INSERT INTO no_such_table VALUES (1)")
            except Exception:
                pass

        outcome = self.deliver(body(player=3), swallows)
        if self.store.kind == "postgresql":
            self.assertEqual(outcome.outcome, "failed")
            self.assertEqual(self.count("SELECT count(*) FROM grants"), 0)
        else:  # SQLite goes on after a failed statement: the grant is kept, once
            self.assertEqual(outcome.outcome, "handled")

    def test_one_key_at_once_from_many_threads(self):
        raw = body(player=4)
        outcomes = []
        threads = [threading.Thread(target=lambda: outcomes.append(self.deliver(raw).outcome)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["handled"] + ["repeat"] * 7)
        self.assertEqual(self.count("SELECT count(*) FROM grants"), 1)

    def test_receive_async(self):
        async def main():
            first = await receive_async(body(player=5), secrets="demo", store=self.store,
                                        handle=grant, now=NOON)
            again = await receive_async(body(player=5), secrets="demo", store=self.store,
                                        handle=grant, now=NOON)
            refused = await receive_async(b"nope", secrets="demo", store=self.store, handle=grant)
            return first, again, refused

        first, again, refused = asyncio.run(main())
        self.assertEqual((first.outcome, again.outcome, refused.outcome), ("handled", "repeat", "refused"))
        self.assertEqual(refused.error.code, "no-signature")

        async def handle(payload, tx):  # pragma: no cover - refused before it runs
            pass

        with self.assertRaises(TypeError):
            asyncio.run(receive_async(body(), secrets="demo", store=self.store, handle=handle))


class SQLite(Stores, unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.folder.name, "game.sqlite3")
        self.store = self.make_store()

    def tearDown(self):
        self.store.close()
        self.folder.cleanup()

    def make_store(self):
        return SQLiteStore(self.path, tables=[GRANTS])

    def count(self, sql):
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql).fetchone()[0]

    def test_a_transaction_sqlite_rolled_back_is_not_answered_ok(self):
        # INSERT OR ROLLBACK ends the whole transaction, key included, and
        # the handler swallows its error: the delivery must come again.
        def rolls_back(payload, tx):
            grant(payload, tx)
            try:
                tx.execute("INSERT OR ROLLBACK INTO gamepush_deliveries (key) VALUES (?)", (tx.key,))
            except sqlite3.IntegrityError:
                pass

        with self.assertLogs("gpwh_webhooks", logging.ERROR):
            outcome = self.deliver(body(player=10), rolls_back)
        self.assertEqual((outcome.status, outcome.outcome), (500, "failed"))
        self.assertEqual(self.count("SELECT count(*) FROM gamepush_deliveries"), 0)
        self.assertEqual(self.deliver(body(player=10)).outcome, "handled")

    def test_a_connection_factory(self):
        store = SQLiteStore(lambda: sqlite3.connect(self.path, check_same_thread=False), tables=[GRANTS])
        self.assertEqual(receive(body(player=9), secrets="demo", store=store, handle=grant, now=NOON).outcome,
                         "handled")
        self.assertTrue(self.count("PRAGMA journal_mode") in ("wal", "delete"))


class Postgres(Stores, unittest.TestCase):
    def setUp(self):
        self.url = POSTGRES.database()
        self.store = self.make_store()

    def tearDown(self):
        self.store.close()

    def make_store(self):
        return PostgresStore(self.url, tables=[GRANTS])

    def count(self, sql):
        with psycopg.connect(self.url) as connection:
            return connection.execute(sql).fetchone()[0]


class PostgresPool(Postgres):
    def make_store(self):
        self.pool = psycopg_pool.ConnectionPool(self.url, min_size=1, max_size=4, open=True)
        return PostgresStore(self.pool, tables=[GRANTS])

    def tearDown(self):
        self.pool.close()


class PostgresConnection(Postgres):
    def make_store(self):
        self.connection = psycopg.connect(self.url, autocommit=True)
        return PostgresStore(self.connection, tables=[GRANTS])

    def tearDown(self):
        self.connection.close()

    def test_a_connection_in_a_transaction_is_refused(self):
        with psycopg.connect(self.url) as busy:
            busy.execute("SELECT 1")
            with self.assertRaises(RuntimeError):
                PostgresStore(busy)


class Urls(unittest.TestCase):
    def test_forms(self):
        self.assertEqual(database_of(None), ("sqlite", "gamepush.sqlite3"))
        self.assertEqual(database_of(""), ("sqlite", "gamepush.sqlite3"))
        self.assertEqual(database_of("sqlite:/x/y.db"), ("sqlite", "/x/y.db"))
        self.assertEqual(database_of("postgres://u:p@h/d"), ("postgresql", "postgres://u:p@h/d"))
        for bad in ("sqlite:", "mysql://u:hunter2@h/d", "hunter2"):
            with self.assertRaises(BadDatabaseUrl) as caught:
                database_of(bad)
            self.assertNotIn("hunter2", str(caught.exception))

    def test_an_unreachable_database_says_why_without_its_password(self):
        port = POSTGRES.start()
        with self.assertRaises(DatabaseUnavailable) as caught:
            open_store(f"postgresql://postgres:s3cr%40t@127.0.0.1:{port}/no_such_database")
        self.assertNotIn("s3cr", str(caught.exception))
        self.assertIn("no_such_database", str(caught.exception))

    def test_open_store_on_sqlite(self):
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(f"sqlite:{folder}/a.sqlite3", tables=[GRANTS])
            self.assertEqual(store.kind, "sqlite")
            store.close()


if __name__ == "__main__":
    unittest.main()
