// A GamePush webhook receiver on Hono, served on Node.js by
// @hono/node-server, granting each delivery once in SQLite or PostgreSQL,
// with @gpwh/webhooks. Run it as it is:
//
//   npm ci
//   GPWH_SECRET='your secret key' PORT=3000 node server.mjs
//
// and check it with:
//   gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush
//
// Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
// HOST (127.0.0.1), DATABASE_URL (unset or empty: SQLite in
// ./gamepush.sqlite3; sqlite:PATH; postgres://user:password@host:5432/db),
// MAX_AGE_SECONDS (259200, 72 hours: how old a body may be; a repeat after
// downtime most likely carries the time of the first try, and the
// delivery's key in the database, not the window, is what stops a replay).

import { serve } from '@hono/node-server';
import { Hono } from 'hono';

import { MAX_AGE_SECONDS, describeOutcome, fetchHandler } from '@gpwh/webhooks';
import { DatabaseUrlError, openStore } from '@gpwh/webhooks/database';

// The demo's effect: a row per delivery handled. No unique constraint, on
// purpose: a double grant would show as two rows.
const GRANTS = `
CREATE TABLE IF NOT EXISTS grants (
    delivery_key TEXT NOT NULL,
    event        TEXT NOT NULL,
    player_id    BIGINT
);`;

// Your game's work, run once per delivery, inside the transaction that
// records the delivery's key: write what you grant through tx, and it is
// committed together with the key, or not at all. A repeat of the delivery
// finds its key and is answered 2xx without running this again; if this
// throws, everything rolls back, the answer is 500, and the repeat runs it.
// This demo records each delivery in the table grants; a game would look at
// payload.event and give what payload.result describes to payload.player.id.
// Every event must be answered 2xx, including those you ignore: GamePush
// adds new ones.
async function handle(payload, tx) {
  const playerId = Number.isSafeInteger(payload.player?.id) ? payload.player.id : null;
  const event = typeof payload.event === 'string' ? payload.event : '';
  await tx.run(
    'INSERT INTO grants (delivery_key, event, player_id) VALUES (?, ?, ?)',
    [tx.key, event, playerId],
  );
}

const secret = process.env.GPWH_SECRET;
if (!secret) {
  console.error("set GPWH_SECRET to your project's secret key");
  process.exit(2);
}
// The tables are created here, before the first delivery can arrive.
const store = await openStore(process.env.DATABASE_URL, { schema: GRANTS }).catch((error) => {
  console.error(error.message);
  process.exit(error instanceof DatabaseUrlError ? 2 : 1);
});
// Each outcome is logged: `delivery KEY: handled` once per delivery committed.
const webhooks = {
  secrets: secret,
  store,
  handle,
  maxAgeSeconds: Number(process.env.MAX_AGE_SECONDS ?? MAX_AGE_SECONDS),
  onOutcome: (outcome) => console.error(describeOutcome(outcome)),
};

const app = new Hono();

// The trap: c.req.json(), c.req.parseBody() or a validator middleware
// (zValidator('json', ...)) read the body as JSON or a form, and the exact
// bytes that were signed are gone; GamePush's body is not JSON anyway, but
// base64 "." signature. fetchHandler reads the raw Request itself (413 past
// 1 MiB, without reading the rest): give it c.req.raw, and nothing else
// before it.
const receiveWebhook = fetchHandler(webhooks);
app.post('/webhooks/gamepush', (c) => receiveWebhook(c.req.raw));
app.all('/webhooks/gamepush', (c) => c.text('POST only\n', 405, { Allow: 'POST' }));

serve(
  {
    fetch: app.fetch,
    port: Number(process.env.PORT ?? 3000),
    hostname: process.env.HOST ?? '127.0.0.1',
    // A client that sends half a request, or a byte now and then, must not
    // hold a connection: the whole request (headers and body) must arrive
    // within 30 s. Node checks that deadline every
    // connectionsCheckingInterval (30 s by default, so up to a minute):
    // every 5 s instead.
    serverOptions: { requestTimeout: 30_000, headersTimeout: 10_000, connectionsCheckingInterval: 5_000 },
  },
  (info) => console.error(`listening on http://${info.address}:${info.port}`),
);
