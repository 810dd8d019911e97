// A GamePush webhook receiver on Fastify 5. Copy it with gamepush.mjs, or
// run it as it is:
//
//   npm ci
//   GPWH_SECRET='your secret key' PORT=3000 node server.mjs
//
// and check it with:
//   gpwh probe --all-events --strict http://127.0.0.1:3000/webhooks/gamepush
//
// Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
// HOST (127.0.0.1), MAX_AGE_SECONDS (259200, 72 hours: how old a body may
// be; gamepush.mjs says why so long).

import Fastify from 'fastify';

import { MAX_AGE_SECONDS, MAX_BODY, MemoryDeliveries, receive } from './gamepush.mjs';

// Your game's work, run once per delivery: receive() answers a repeat 2xx
// without running it again. Every event must be answered 2xx, including
// events you do not handle: GamePush adds new ones.
function handle(payload) {
  switch (payload.event) {
    case 'GivePlayerReward':
    case 'PurchasePlayerPurchase':
      // grant what payload.result describes to payload.player.id
      break;
    default:
      break;
  }
}

const secret = process.env.GPWH_SECRET;
if (!secret) {
  console.error("set GPWH_SECRET to your project's secret key");
  process.exit(2);
}
const maxAgeSeconds = Number(process.env.MAX_AGE_SECONDS ?? MAX_AGE_SECONDS);
const deliveries = new MemoryDeliveries(maxAgeSeconds);

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
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const { status, text } = await receive(raw, { secret, maxAgeSeconds, deliveries, handle });
    return reply.code(status).type('text/plain').send(text + '\n');
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
