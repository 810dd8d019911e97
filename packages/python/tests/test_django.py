"""DjangoStore on Django's own connections, SQLite and PostgreSQL."""

import os
import sqlite3
import tempfile
import unittest

import django
from django import conf

from gpwh_webhooks import DjangoStore, receive, sign

from support import POSTGRES

NOON = 1714132800
GRANTS = "CREATE TABLE IF NOT EXISTS grants (delivery_key text NOT NULL, player_id bigint)"
FOLDER = tempfile.TemporaryDirectory()
SQLITE = os.path.join(FOLDER.name, "django.sqlite3")


def setUpModule():
    url = POSTGRES.database()
    rest = url.split("@", 1)[1]
    host, _, name = rest.partition("/")
    conf.settings.configure(DATABASES={
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE,
                    "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5}},
        "pg": {"ENGINE": "django.db.backends.postgresql", "NAME": name, "USER": "postgres",
               "HOST": host.split(":")[0], "PORT": host.split(":")[1],
               "OPTIONS": {"options": "-c lock_timeout=5s"}},
    })
    django.setup()


def grant(payload, tx):
    tx.execute("INSERT INTO grants (delivery_key, player_id) VALUES (?, ?)", (tx.key, payload["player"]["id"]))


class Django(unittest.TestCase):
    def check(self, using):
        from django.db import connections

        store = DjangoStore(using)
        store.setup(GRANTS)
        raw = sign({"event": "GivePlayerReward", "player": {"id": 1}, "time": "2024-04-26T12:00:00Z"}, "demo")
        outcomes = [receive(raw, secrets="demo", store=store, handle=grant, now=NOON).outcome for _ in range(2)]
        self.assertEqual(outcomes, ["handled", "repeat"])

        def swallows(payload, tx):
            grant(payload, tx)
            try:
                tx.execute("INSERT INTO no_such_table VALUES (1)")
            except Exception:
                pass

        other = sign({"event": "GivePlayerReward", "player": {"id": 2}, "time": "2024-04-26T12:00:00Z"}, "demo")
        # SQLite goes on after a failed statement; PostgreSQL aborts the
        # transaction, whose COMMIT would silently roll back: failed instead.
        postgres = connections[using].vendor == "postgresql"
        with self.assertLogs("gpwh_webhooks"):
            swallowed = receive(other, secrets="demo", store=store, handle=swallows, now=NOON)
        self.assertEqual(swallowed.outcome, "failed" if postgres else "handled")
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM grants")
            self.assertEqual(cursor.fetchone()[0], 1 if postgres else 2)
        return store

    def test_sqlite(self):
        self.assertEqual(self.check("default").kind, "sqlite")
        with sqlite3.connect(SQLITE) as connection:
            self.assertEqual(connection.execute("SELECT count(*) FROM gamepush_deliveries").fetchone()[0], 2)

    def test_postgresql(self):
        self.assertEqual(self.check("pg").kind, "postgresql")


if __name__ == "__main__":
    unittest.main()
