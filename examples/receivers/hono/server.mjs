// A GamePush webhook receiver on Hono, served on Node.js by
// @hono/node-server. Copy it with gamepush.mjs, or run it as it is:
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

import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';

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

const app = new Hono();

app.post(
  '/webhooks/gamepush',
  bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.text('body too large\n', 413) }),
  async (c) => {
    // The trap: c.req.json(), c.req.parseBody() or a validator middleware
    // (zValidator('json', ...)) read the body as JSON or a form, and the
    // exact bytes that were signed are gone; GamePush's body is not JSON
    // anyway, but base64 "." signature. Read the raw bytes, and nothing else
    // first.
    const raw = Buffer.from(await c.req.arrayBuffer());
    const { status, text } = await receive(raw, { secret, maxAgeSeconds, deliveries, handle });
    return c.text(text + '\n', status);
  },
);
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
