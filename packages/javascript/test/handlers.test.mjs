// The two handlers as servers use them: fetchHandler with real Requests,
// nodeHandler on a real node:http server on 127.0.0.1.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';

import * as webhooks from '@gpwh/webhooks';

const SECRET = 'demo';
const time = () => new Date().toISOString();

function memoryStore() {
  const keys = new Set();
  return {
    once: async (key, work) => {
      if (keys.has(key)) return false;
      await work({ key, run: async () => ({ changes: 1 }), all: async () => [] });
      keys.add(key);
      return true;
    },
  };
}

function options(seen, extra = {}) {
  return {
    secrets: SECRET, store: memoryStore(), handle: (payload) => seen.handled.push(payload.event),
    onOutcome: (outcome) => seen.outcomes.push(outcome), ...extra,
  };
}
const log = () => ({ handled: [], outcomes: [] });

describe('fetchHandler', () => {
  test('a genuine body: 200 ok; again: 200 already handled; each told to onOutcome', async () => {
    const seen = log();
    const handler = webhooks.fetchHandler(options(seen));
    const body = await webhooks.sign({ event: 'GivePlayerReward', time: time() }, SECRET);
    const post = () => handler(new Request('http://127.0.0.1/webhooks/gamepush', { method: 'POST', body, headers: { 'content-type': 'application/json' } }));
    const first = await post();
    assert.equal(first.status, 200);
    assert.equal(await first.text(), 'ok\n');
    assert.equal(first.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(await (await post()).text(), 'already handled\n');
    assert.deepEqual(seen.handled, ['GivePlayerReward']);
    assert.deepEqual(seen.outcomes.map((o) => o.outcome), ['handled', 'repeat']);
  });
  test('a forged body: 400 with why; GET: 405', async () => {
    const seen = log();
    const handler = webhooks.fetchHandler(options(seen));
    const forged = await webhooks.sign({ event: 'GivePlayerReward', time: time() }, 'other');
    const answer = await handler(new Request('http://x/', { method: 'POST', body: forged }));
    assert.equal(answer.status, 400);
    assert.match(await answer.text(), /^signature does not match/);
    const get = await handler(new Request('http://x/'));
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.deepEqual(seen.handled, []);
  });
  test('over the limit: 413, declared or streamed, without reading it all', async () => {
    const seen = log();
    const handler = webhooks.fetchHandler(options(seen, { maxBody: 1000 }));
    const declared = await handler(new Request('http://x/', { method: 'POST', body: 'x'.repeat(1001) }));
    assert.equal(declared.status, 413);
    assert.match(await declared.text(), /^body too large: more than 1000 bytes/);
    let pulled = 0;
    const endless = new ReadableStream({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(400));
      },
    });
    const streamed = await handler(new Request('http://x/', { method: 'POST', body: endless, duplex: 'half' }));
    assert.equal(streamed.status, 413);
    assert.ok(pulled < 10, `pulled ${pulled} chunks`);
    assert.equal(seen.outcomes.at(-1).error.code, 'too-large');
    const exact = await handler(new Request('http://x/', { method: 'POST', body: 'x'.repeat(1000) }));
    assert.equal(exact.status, 400);
  });
  test('handle failing: 500 handler failed, and the repeat runs it', async () => {
    const seen = log();
    let fail = true;
    const handler = webhooks.fetchHandler(options(seen, { handle: () => { if (fail) throw new Error('down'); } }));
    const body = await webhooks.sign({ event: 'GivePlayerReward', time: time() }, SECRET);
    const answer = await handler(new Request('http://x/', { method: 'POST', body }));
    assert.equal(answer.status, 500);
    assert.equal(await answer.text(), 'handler failed\n');
    assert.match(webhooks.describeOutcome(seen.outcomes[0]), /: not handled: down$/);
    fail = false;
    assert.equal((await handler(new Request('http://x/', { method: 'POST', body }))).status, 200);
  });
});

describe('nodeHandler on node:http', () => {
  let server;
  let port;
  let seen;
  // What runs before the handler, as a body parser would.
  let before_ = () => {};
  let handler;
  before(async () => {
    server = createServer((req, res) => {
      before_(req, res, () => handler(req, res));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = server.address().port;
  });
  after(() => new Promise((resolve) => server.close(resolve)));
  const reset = (extra) => {
    seen = log();
    handler = webhooks.nodeHandler(options(seen, extra));
    before_ = (req, res, next) => next();
  };
  const post = (body, headers = {}) => fetch(`http://127.0.0.1:${port}/webhooks/gamepush`, { method: 'POST', body, headers });

  test('a genuine body, then its repeat; chunked too', async () => {
    reset();
    const body = await webhooks.sign({ event: 'SyncPlayer', time: time() }, SECRET);
    const first = await post(body);
    assert.equal(first.status, 200);
    assert.equal(await first.text(), 'ok\n');
    assert.equal(await (await post(body)).text(), 'already handled\n');
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body.slice(0, 10)));
        controller.enqueue(new TextEncoder().encode(body.slice(10)));
        controller.close();
      },
    });
    const third = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: chunked, duplex: 'half' });
    assert.equal(await third.text(), 'already handled\n');
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 405);
    assert.deepEqual(seen.handled, ['SyncPlayer']);
  });

  test('a body over the limit gets 413 without being read whole', async () => {
    reset({ maxBody: 1 << 20 });
    for (const declared of [true, false]) {
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      let answer = '';
      socket.on('data', (chunk) => { answer += chunk; });
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.on('error', () => {});
      socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n${declared ? 'Content-Length: 104857600' : 'Transfer-Encoding: chunked'}\r\n\r\n`);
      // Write until the answer comes: far less than the 100 MiB announced.
      let sent = 0;
      const piece = 'x'.repeat(64 << 10);
      while (!answer && sent < 20 << 20 && !socket.destroyed) {
        const chunk = declared ? piece : `${(piece.length).toString(16)}\r\n${piece}\r\n`;
        if (!socket.write(chunk)) await new Promise((resolve) => { socket.once('drain', resolve); setTimeout(resolve, 50); });
        sent += piece.length;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await closed;
      assert.match(answer, /^HTTP\/1\.1 413 /);
      assert.match(answer, /body too large: more than 1 MiB/);
      assert.ok(sent < 8 << 20, `sent ${sent} bytes before the answer`);
    }
    assert.equal(seen.outcomes.length, 2);
    assert.ok(seen.outcomes.every((o) => o.status === 413));
  });

  test("express.raw()'s Buffer in req.body is taken as the body", async () => {
    reset();
    before_ = (req, res, next) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => { req.body = Buffer.concat(chunks); next(); });
    };
    const body = await webhooks.sign({ event: 'GetPlayer', time: time() }, SECRET);
    assert.equal(await (await post(body)).text(), 'ok\n');
    assert.deepEqual(seen.handled, ['GetPlayer']);
  });

  test('a body a parser already turned into an object or text is refused, loudly', async () => {
    for (const parsed of [{ event: 'GetPlayer' }, 'eyJ9.abc']) {
      reset();
      before_ = (req, res, next) => {
        req.resume();
        req.on('end', () => { req.body = parsed; next(); });
      };
      const answer = await post('{"event":"GetPlayer"}', { 'content-type': 'application/json' });
      assert.equal(answer.status, 500);
      assert.match(await answer.text(), /parsed before the webhook handler.*express\.json\(\)/);
      assert.equal(seen.outcomes[0].outcome, 'failed');
      assert.deepEqual(seen.handled, []);
    }
  });
});
