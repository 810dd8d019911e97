// Every function of both builds (node:crypto and WebCrypto), on bodies built
// here with Node's own hash and base64, independent of the package.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';

import * as nodeBuild from '../src/node.js';
import * as webBuild from '../src/web.js';

const NOW = Date.parse('2024-04-26T12:00:00Z');
const TIME = '2024-04-26T11:34:23.415923998Z';
const REWARD = { event: 'GivePlayerReward', player: { id: 1820283, test: true }, result: { __typename: 'PlayerReward', countAccepted: 0, countTotal: 1, rewardId: 685 }, time: TIME };

// BASE64(JSON) "." SHA-256(BASE64 "_" secret), by hand.
function body(json, secret = 'demo', { alphabet = 'base64', digest = 'hex', pad = true } = {}) {
  let text = (Buffer.isBuffer(json) ? json : Buffer.from(typeof json === 'string' ? json : JSON.stringify(json))).toString(alphabet);
  if (alphabet === 'base64' && !pad) text = text.replace(/=+$/, '');
  const hash = createHash('sha256').update(`${text}_${secret}`).digest(digest);
  return `${text}.${hash}`;
}
const bytes = (text) => Buffer.from(text);
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

for (const [name, m] of [['node:crypto', nodeBuild], ['WebCrypto', webBuild]]) {
  const verify = (b, secrets = 'demo', options = {}) => m.verify(typeof b === 'string' ? bytes(b) : b, secrets, { now: NOW, ...options });
  const refused = async (b, code, options, secrets) => {
    await assert.rejects(verify(b, secrets, options), (error) => {
      assert.ok(error instanceof m.WebhookError, String(error));
      assert.equal(error.code, code, error.message);
      assert.equal(error.status, code === 'too-large' ? 413 : 400);
      assert.match(error.message, /^[a-z]/);
      assert.ok(!error.message.includes('demo'), error.message);
      return true;
    });
  };

  describe(`verify (${name})`, () => {
    test('a reward in lowercase hex: the payload, its bytes, its key', async () => {
      const webhook = await verify(body(REWARD));
      assert.deepEqual(webhook.payload, REWARD);
      assert.equal(webhook.event, 'GivePlayerReward');
      assert.equal(webhook.time, TIME);
      assert.deepEqual(Buffer.from(webhook.raw), Buffer.from(JSON.stringify(REWARD)));
      assert.equal(webhook.deliveryKey, `sha256:${sha256(JSON.stringify(REWARD))}`);
      assert.equal(webhook.secretIndex, 0);
      assert.equal(webhook.encoding, 'hex');
      assert.equal(JSON.parse(JSON.stringify(webhook)).deliveryKey, webhook.deliveryKey);
    });
    test('every digest form and both alphabets, padded or not', async () => {
      const json = JSON.stringify({ ...REWARD, player: { id: 1, name: '??>>' } });
      for (const digest of ['hex', 'base64', 'base64url']) {
        for (const alphabet of ['base64', 'base64url']) {
          for (const pad of [true, false]) {
            const b = body(json, 'demo', { alphabet, digest, pad });
            const webhook = await verify(b);
            assert.equal(webhook.encoding, digest === 'hex' ? 'hex' : 'base64', b);
          }
        }
      }
      const [payload, hex] = body(REWARD).split('.');
      assert.equal((await verify(`${payload}.${hex.toUpperCase()}`)).encoding, 'hex');
      const base64 = Buffer.from(hex, 'hex').toString('base64');
      assert.equal((await verify(`${payload}.${base64.slice(0, 43)}`)).encoding, 'base64');
    });
    test('whitespace around the body, and only ASCII whitespace', async () => {
      await verify(` \t\r\n${body(REWARD)}\n\n`);
      await refused(`\u00a0${body(REWARD)}`, 'payload-not-base64');
      await refused(`\ufeff${body(REWARD)}`, 'payload-not-base64');
      await refused(`${body(REWARD)}\u000b`, 'signature-format');
    });
    test('several secrets: the first that signed it', async () => {
      assert.equal((await verify(body(REWARD, 'new'), ['old', 'new', 'new'])).secretIndex, 1);
      assert.equal((await verify(body(REWARD, 'new'), [new TextEncoder().encode('new')])).secretIndex, 0);
      await refused(body(REWARD, 'new'), 'signature-mismatch', {}, ['old']);
      await refused(body(REWARD, 'new'), 'signature-mismatch', {}, []);
    });
    test('each refusal in order', async () => {
      const good = body(REWARD);
      await refused(good, 'too-large', { maxBody: good.length - 1 });
      await verify(`${good}  `, 'demo', { maxBody: good.length + 2 });
      await refused(`${good}  `, 'too-large', { maxBody: good.length + 1 });
      await refused('', 'empty-body');
      await refused(' \r\n\t', 'empty-body');
      await refused('e30', 'no-signature');
      await refused(`.${'0'.repeat(64)}`, 'empty-payload');
      await refused(`e3-+.${'0'.repeat(64)}`, 'payload-not-base64');
      await refused(`e30!.${'0'.repeat(64)}`, 'payload-not-base64');
      await refused(`e30==.${'0'.repeat(64)}`, 'payload-not-base64');
      await refused(`e30A=.${'0'.repeat(64)}`, 'payload-not-base64');
      await refused(`e3=.${'0'.repeat(64)}`, 'payload-not-base64');
      await refused(`e31=.${'0'.repeat(64)}`, 'payload-not-base64');
      await refused(`e=30.${'0'.repeat(64)}`, 'payload-not-base64');
      await refused(`e30AB.${'0'.repeat(64)}`, 'payload-not-base64');
      await refused(`====.${'0'.repeat(64)}`, 'payload-not-base64');
      await refused(body('{"a":1'), 'payload-not-json');
      await refused(body(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), 'payload-not-json');
      await refused(body('\ufeff{}'), 'payload-not-json');
      await refused(body('{"a":NaN}'), 'payload-not-json');
      await refused(body('{} x'), 'payload-not-json');
      await refused(body('[1]'), 'payload-not-object');
      await refused(body('null'), 'payload-not-object');
      await refused(body('"x"'), 'payload-not-object');
      const [payload] = good.split('.');
      await refused(`${payload}.`, 'signature-format');
      await refused(`${payload}.${'g'.repeat(64)}`, 'signature-format');
      await refused(`${payload}.${'A'.repeat(44)}`, 'signature-format');
      await refused(`${payload}.${'A'.repeat(42)}==`, 'signature-format');
      await refused(`${payload}.${'A'.repeat(42)}B=`, 'signature-format');
      await refused(`${payload}.${'0'.repeat(64)}`, 'signature-mismatch');
      await refused(`${body({ ...REWARD, player: { id: 1 } }).split('.')[0]}.${good.split('.')[1]}`, 'signature-mismatch');
      await refused(`${payload.slice(0, -4)}.${good.split('.')[1]}`, 'payload-not-json');
    });
    test('a payload whose bytes are invalid UTF-8 only inside the JSON string', async () => {
      const json = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
      const text = json.toString('base64');
      const b = `${text}.${createHash('sha256').update(`${text}_demo`).digest('hex')}`;
      await refused(b, 'payload-not-json');
    });
    test('the window: 72 hours back, 60 s ahead, to the nanosecond', async () => {
      const at = (time) => body({ ...REWARD, time });
      await verify(at('2024-04-23T12:00:00Z'));
      await refused(at('2024-04-23T11:59:59.999999999Z'), 'stale');
      await verify(at('2024-04-23T11:59:59.999999999Z'), 'demo', { maxAgeSeconds: null });
      await verify(at('2024-04-26T12:01:00Z'));
      await refused(at('2024-04-26T12:01:00.000000001Z'), 'stale');
      await verify(at('2024-04-26T14:00:30+02:00'));
      await verify(at('2024-04-26t11:00:00z'));
      await refused(at('2024-04-26T11:00:00'), 'time-format');
      await refused(at('2024-02-30T11:00:00Z'), 'time-format');
      await refused(at('yesterday'), 'time-format');
      await refused(body({ event: 'X' }), 'time-missing');
      await refused(body({ event: 'X', time: 1714131263 }), 'time-missing');
      await verify(body({ event: 'X' }), 'demo', { maxAgeSeconds: null });
      await verify(at('2024-04-26T11:59:00Z'), 'demo', { maxAgeSeconds: 60 });
      await refused(at('2024-04-26T11:58:59Z'), 'stale', { maxAgeSeconds: 60 });
      await verify(at(new Date().toISOString()), 'demo', { now: undefined });
      await verify(at('2024-04-26T11:59:00Z'), 'demo', { now: new Date(NOW) });
    });
    test('bytes in any form, and never a string', async () => {
      const b = bytes(body(REWARD));
      await verify(new Uint8Array(b));
      await verify(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
      await verify(new DataView(b.buffer, b.byteOffset, b.length));
      await assert.rejects(m.verify(body(REWARD), 'demo'), { name: 'TypeError', message: /raw bytes/ });
      await assert.rejects(m.verify({ a: 1 }, 'demo'), TypeError);
      await assert.rejects(m.verify(b, undefined), { name: 'TypeError', message: /secret/ });
      await assert.rejects(m.verify(b, 'demo', { maxAgeSeconds: -1 }), TypeError);
      await assert.rejects(m.verify(b, 'demo', { maxBody: 1.5 }), TypeError);
    });
  });

  describe(`sign and deliveryKey (${name})`, () => {
    test('sign writes what GamePush writes, and verify takes it', async () => {
      assert.equal(await m.sign(JSON.stringify(REWARD), 'demo'), body(REWARD));
      assert.equal(await m.sign(REWARD, 'demo', { encoding: 'base64' }), body(REWARD, 'demo', { digest: 'base64' }));
      assert.equal(await m.sign(bytes(JSON.stringify(REWARD)), 'demo'), body(REWARD));
      await assert.rejects(m.sign(REWARD, 'demo', { encoding: 'hex2' }), TypeError);
      await assert.rejects(m.sign([1], 'demo'), TypeError);
      for (let n = 0; n < 5; n++) {
        const json = JSON.stringify({ event: 'X', pad: 'x'.repeat(n) });
        assert.equal(await m.sign(json, 's'), body(json, 's'));
      }
    });
    test('deliveryKey: a purchase by its _id, anything else by its hash', async () => {
      const purchase = (id, event = 'PurchasePlayerPurchase') => JSON.stringify({ event, result: { purchase: { _id: id } } });
      assert.equal(await m.deliveryKey(purchase('65f1c0ffee')), 'PurchasePlayerPurchase:65f1c0ffee');
      assert.equal(await m.deliveryKey(purchase('a b/ü')), 'PurchasePlayerPurchase:a%20b%2F%C3%BC');
      assert.equal(await m.deliveryKey('{"event":"ConsumePlayerPurchase","result":{"purchase":{"_id":7.77e2}}}'), 'ConsumePlayerPurchase:777');
      assert.equal(await m.deliveryKey('{"event":"ConsumePlayerPurchase","result":{"purchase":{"_id":-0.0}}}'), 'ConsumePlayerPurchase:0');
      for (const odd of ['', 'x'.repeat(201), 1.5, 2 ** 53, null, true, {}, []]) {
        const json = purchase(odd);
        assert.equal(await m.deliveryKey(json), `sha256:${sha256(json)}`, json);
      }
      assert.equal(await m.deliveryKey('{"event":"PurchasePlayerPurchase","result":{"purchase":{"_id":"\\ud800"}}}'), `sha256:${sha256('{"event":"PurchasePlayerPurchase","result":{"purchase":{"_id":"\\ud800"}}}')}`);
      assert.equal(await m.deliveryKey(purchase('x'.repeat(200))), `PurchasePlayerPurchase:${'x'.repeat(200)}`);
      assert.equal(await m.deliveryKey(purchase('x', 'ExpirePlayerSubscription')), `sha256:${sha256(purchase('x', 'ExpirePlayerSubscription'))}`);
      assert.equal(await m.deliveryKey('not json'), `sha256:${sha256('not json')}`);
      assert.equal(await m.deliveryKey(bytes(purchase('z'))), 'PurchasePlayerPurchase:z');
      assert.equal(await m.deliveryKey('{}', JSON.parse(purchase('y'))), 'PurchasePlayerPurchase:y');
      const verified = await verify(body(JSON.parse(purchase('q'))), 'demo', { maxAgeSeconds: null });
      assert.equal(verified.deliveryKey, 'PurchasePlayerPurchase:q');
      assert.equal(await m.deliveryKey(verified.raw), verified.deliveryKey);
    });
  });

  describe(`receive (${name})`, () => {
    const memory = () => {
      const keys = new Set();
      return { keys, once: async (key, work) => { if (keys.has(key)) return false; await work({ key }); keys.add(key); return true; } };
    };
    test('handled, then a repeat; refused before the store; a failure is 500', async () => {
      const store = memory();
      const seen = [];
      const options = { secrets: 'demo', store, now: NOW, handle: (payload, tx, webhook) => { seen.push([payload.event, tx?.key, webhook.secretIndex]); } };
      const b = bytes(body(REWARD));
      const first = await m.receive(b, options);
      assert.deepEqual({ ...first }, { status: 200, text: 'ok', key: `sha256:${sha256(JSON.stringify(REWARD))}`, outcome: 'handled' });
      assert.equal(m.describeOutcome(first), `delivery ${first.key}: handled`);
      const again = await m.receive(b, options);
      assert.equal(again.text, 'already handled');
      assert.equal(again.outcome, 'repeat');
      assert.match(m.describeOutcome(again), /: a repeat, answered without handling it again$/);
      assert.equal(seen.length, 1);
      const forged = await m.receive(bytes(body(REWARD, 'other')), options);
      assert.equal(forged.status, 400);
      assert.equal(forged.outcome, 'refused');
      assert.equal(forged.error.code, 'signature-mismatch');
      assert.equal(forged.key, undefined);
      assert.equal((await m.receive(bytes('x'.repeat(2 << 20)), options)).status, 413);
      const failing = await m.receive(bytes(body({ ...REWARD, n: 1 })), { ...options, handle: () => { throw new Error('no coins\nat all'); } });
      assert.equal(failing.status, 500);
      assert.equal(failing.outcome, 'failed');
      assert.match(m.describeOutcome(failing), /^delivery sha256:[0-9a-f]{64}: not handled: no coins$/);
      const noStore = { ...options, store: undefined };
      assert.equal((await m.receive(b, noStore)).outcome, 'handled');
      assert.equal((await m.receive(b, noStore)).outcome, 'handled');
      await assert.rejects(m.receive(b, { secrets: 'demo' }), TypeError);
      await assert.rejects(m.receive(b, { ...options, store: {} }), TypeError);
    });

    test('text from the wire reaches the answer and the log line inert', async () => {
      // Unsigned: V8's message quotes the text around a JSON error as it is.
      const hostile = Buffer.from('{"a":\x1b[2J\x1b]0;owned\x07\r\nFAKE: delivery x: handled\u2028').toString('base64');
      const outcome = await m.receive(bytes(`${hostile}.${'0'.repeat(64)}`), { secrets: 'demo', now: NOW, handle: () => {} });
      assert.equal(outcome.error.code, 'payload-not-json');
      const active = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
      assert.doesNotMatch(outcome.text, active, outcome.text);
      assert.doesNotMatch(m.describeOutcome(outcome), active);
      assert.match(m.describeOutcome(outcome), /\\u001b\[2J/);
      // A handler's error quoting the payload, CR and ESC in it.
      const failing = await m.receive(bytes(body({ ...REWARD, n: 2 })), {
        secrets: 'demo', now: NOW, handle: () => { throw new Error('bad \x1b[31mname\rFAKE'); },
      });
      assert.equal(m.describeOutcome(failing), `delivery ${failing.key}: not handled: bad \\u001b[31mname`);
    });
  });
}
