// A GamePush webhook receiver on Fastify 5, granting each delivery once in
// SQLite or PostgreSQL, with @gpwh/webhooks. Run it as it is:
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

import Fastify from 'fastify';

import { MAX_AGE_SECONDS, MAX_BODY, describeOutcome, receive } from '@gpwh/webhooks';
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
const receiving = {
  secrets: secret,
  store,
  handle,
  maxAgeSeconds: Number(process.env.MAX_AGE_SECONDS ?? MAX_AGE_SECONDS),
  onOutcome: (outcome) => console.error(describeOutcome(outcome)),
};

// bodyLimit answers 413 past it. A client that sends half a request, or a
// byte now and then, must not hold a connection: the whole request must
// arrive within 30 s (requestTimeout), which Node checks every
// connectionsCheckingInterval (30 s by default, so up to a minute): every
// 5 s instead.
const app = Fastify({
  bodyLimit: MAX_BODY,
  requestTimeout: 30_000,
  http: { headersTimeout: 10_000, connectionsCheckingInterval: 5_000 },
});

// The trap: Fastify parses application/json bodies itself before any
// handler runs (and refuses an unknown Content-Type with 415), so the exact
// bytes that were signed never reach the route, and GamePush's body is not
// JSON anyway, but base64 "." signature. Inside this plugin every
// Content-Type is read as a raw Buffer instead; the rest of your app keeps
// Fastify's parsers.
app.register(async (webhooks) => {
  webhooks.removeAllContentTypeParsers();
  webhooks.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => done(null, body));

  webhooks.post('/webhooks/gamepush', async (req, reply) => {
    // With no body at all there is no Buffer.
    const outcome = await receive(req.body ?? new Uint8Array(0), receiving);
    receiving.onOutcome(outcome);
    return reply.code(outcome.status).type('text/plain').send(`${outcome.text}\n`);
  });
  webhooks.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: '/webhooks/gamepush',
    handler: (req, reply) => reply.code(405).header('Allow', 'POST').type('text/plain').send('POST only\n'),
  });
});

const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
});
console.error(`listening on ${address}`);
