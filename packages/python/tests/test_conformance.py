"""Every vector of conformance/vectors.json, and every delivery key of
conformance/delivery-keys.json: the files every implementation of gpwh's
verification runs, computed outside gpwh."""

import base64
import unittest
from datetime import datetime

from gpwh_webhooks import WebhookError, delivery_key, verify
from gpwh_webhooks.delivery import whole_number

from support import conformance


class Vectors(unittest.TestCase):
    def test_every_vector(self):
        vectors = conformance("vectors.json")["vectors"]
        self.assertGreater(len(vectors), 30)
        names = set()
        for vector in vectors:
            name = vector["name"]
            self.assertNotIn(name, names)
            names.add(name)
            with self.subTest(name):
                body = base64.b64decode(vector["body_base64"], validate=True)
                if "body" in vector:
                    self.assertEqual(vector["body"].encode(), body)
                now = datetime.fromisoformat(vector["now"].replace("Z", "+00:00"))
                expect = vector["expect"]
                try:
                    webhook = verify(body, vector["secrets"], max_age=vector["max_age_seconds"],
                                     max_body=vector["max_body"], now=now)
                except WebhookError as error:
                    self.assertFalse(expect["valid"], f"refused as {error.code}: {error}")
                    self.assertEqual(error.code, expect["error"])
                    self.assertEqual(error.status, 413 if error.code == "too-large" else 400)
                    continue
                self.assertTrue(expect["valid"], f"accepted, expected {expect.get('error')}")
                self.assertEqual(webhook.raw, expect["payload"].encode())
                self.assertEqual(webhook.event, expect["event"])
                self.assertEqual(webhook.delivery_key, expect["delivery_key"])
                self.assertEqual(webhook.secret_index, expect["secret_index"])
                self.assertEqual(webhook.encoding, expect["encoding"])


class DeliveryKeys(unittest.TestCase):
    def test_every_key(self):
        vectors = conformance("delivery-keys.json")["vectors"]
        self.assertGreaterEqual(len(vectors), 37)
        for vector in vectors:
            with self.subTest(vector["name"]):
                self.assertEqual(delivery_key(vector["payload"]), vector["key"])
                self.assertEqual(delivery_key(vector["payload"].encode()), vector["key"])

    def test_a_parsed_payload_keys_a_purchase_only(self):
        purchase = {"event": "PurchasePlayerPurchase", "result": {"purchase": {"_id": "a b/ü"}}}
        self.assertEqual(delivery_key(purchase), "PurchasePlayerPurchase:a%20b%2F%C3%BC")
        with self.assertRaises(ValueError):
            delivery_key({"event": "GivePlayerReward"})

    def test_whole_numbers(self):
        for value, expected in ((777, 777), (777.0, 777), (-0.0, 0), (2**53 - 1, 2**53 - 1),
                                (2**53, None), (1.5, None), (True, None), ("7", None), (None, None),
                                (float("inf"), None)):
            self.assertEqual(whole_number(value), expected, value)


if __name__ == "__main__":
    unittest.main()
