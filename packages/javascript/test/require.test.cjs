// The package as CommonJS: require() of both entry points, through the
// same exports a user's require() goes through.

const assert = require('node:assert/strict');
const { test } = require('node:test');

test('require("@gpwh/webhooks") is the node:crypto build, and it verifies', async () => {
  assert.match(require.resolve('@gpwh/webhooks'), /dist[\\/]node\.cjs$/);
  const { sign, verify, WebhookError, sqliteStore, postgresStore, fetchHandler, nodeHandler } = require('@gpwh/webhooks');
  for (const f of [sqliteStore, postgresStore, fetchHandler, nodeHandler]) assert.equal(typeof f, 'function');
  const body = await sign({ event: 'GetPlayer', time: new Date().toISOString() }, 's');
  const webhook = await verify(Buffer.from(body), ['t', 's']);
  assert.equal(webhook.event, 'GetPlayer');
  assert.equal(webhook.secretIndex, 1);
  await assert.rejects(verify(Buffer.from(body), 't'), (e) => e instanceof WebhookError && e.code === 'signature-mismatch');
});

test('require("@gpwh/webhooks/database") opens a store', async () => {
  const { openStore, DatabaseUrlError } = require('@gpwh/webhooks/database');
  await assert.rejects(openStore('redis://x'), DatabaseUrlError);
  const store = await openStore('sqlite::memory:');
  assert.equal(await store.once('k', () => {}), true);
  assert.equal(await store.once('k', () => {}), false);
  await store.close();
});
