"""wsgi.read_body under a real WSGI server (wsgiref, over a socket) and with
a dechunked input, and asgi.read_body with an ASGI receive callable as
servers call it."""

import asyncio
import http.client
import io
import threading
import unittest
from wsgiref.simple_server import WSGIRequestHandler, make_server

from gpwh_webhooks import WebhookError, asgi, sign, verify, wsgi

NOON = 1714132800


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Wsgi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        def app(environ, start_response):
            try:
                raw = wsgi.read_body(environ, 200)
                webhook = verify(raw, "demo", now=NOON)
                status, text = "200 OK", f"ok {webhook.event}"
            except WebhookError as error:
                status, text = f"{error.status} No", error.code
            start_response(status, [("Content-Type", "text/plain")])
            return [text.encode()]

        cls.server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def post(self, body, content_type="application/x-www-form-urlencoded"):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.server_port, timeout=10)
        connection.request("POST", "/", body, {"Content-Type": content_type})
        response = connection.getresponse()
        result = response.status, response.read().decode()
        connection.close()
        return result

    def test_a_body_read_exactly_whatever_its_type(self):
        raw = sign({"event": "GivePlayerReward", "time": "2024-04-26T12:00:00Z"}, "demo")
        self.assertEqual(self.post(raw), (200, "ok GivePlayerReward"))
        self.assertEqual(self.post(raw, "application/json"), (200, "ok GivePlayerReward"))
        self.assertEqual(self.post(b"x" * 201), (413, "too-large"))
        self.assertEqual(self.post(b""), (400, "empty-body"))

    def test_a_dechunked_input_is_read_to_its_end_and_no_further_than_the_limit(self):
        stream = io.BytesIO(b"a" * 10)
        self.assertEqual(wsgi.read_body({"wsgi.input": stream, "wsgi.input_terminated": True}, 10), b"a" * 10)
        stream = io.BytesIO(b"a" * 100000)
        with self.assertRaises(WebhookError) as caught:
            wsgi.read_body({"wsgi.input": stream, "wsgi.input_terminated": True}, 10)
        self.assertEqual(caught.exception.status, 413)
        self.assertEqual(stream.tell(), 11)

    def test_content_length(self):
        stream = io.BytesIO(b"abcdef")
        self.assertEqual(wsgi.read_body({"wsgi.input": stream, "CONTENT_LENGTH": "3"}), b"abc")
        self.assertEqual(wsgi.read_body({"wsgi.input": io.BytesIO(b"x"), "CONTENT_LENGTH": ""}), b"")
        untouched = io.BytesIO(b"abc")
        with self.assertRaises(WebhookError):
            wsgi.read_body({"wsgi.input": untouched, "CONTENT_LENGTH": "11"}, 10)
        self.assertEqual(untouched.tell(), 0)
        with self.assertRaises(ValueError):
            wsgi.read_body({"wsgi.input": io.BytesIO(), "CONTENT_LENGTH": "-1"})


class Asgi(unittest.TestCase):
    def receive_of(self, *messages):
        queue = list(messages)
        taken = []

        async def receive():
            taken.append(1)
            return queue.pop(0)

        return receive, taken

    def test_chunks_are_joined(self):
        receive, _ = self.receive_of({"type": "http.request", "body": b"ab", "more_body": True},
                                     {"type": "http.request", "body": b"", "more_body": True},
                                     {"type": "http.request", "body": b"cd"})
        self.assertEqual(asyncio.run(asgi.read_body(receive, 10)), b"abcd")

    def test_the_limit_stops_reading(self):
        receive, taken = self.receive_of(*[{"type": "http.request", "body": b"x" * 6, "more_body": True}] * 5)
        with self.assertRaises(WebhookError) as caught:
            asyncio.run(asgi.read_body(receive, 10))
        self.assertEqual((caught.exception.code, len(taken)), ("too-large", 2))

    def test_a_client_that_leaves(self):
        receive, _ = self.receive_of({"type": "http.request", "body": b"x", "more_body": True},
                                     {"type": "http.disconnect"})
        with self.assertRaises(asgi.ClientDisconnected):
            asyncio.run(asgi.read_body(receive))


if __name__ == "__main__":
    unittest.main()
