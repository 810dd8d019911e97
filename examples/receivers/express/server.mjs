// A GamePush webhook receiver on Express 5. Copy it with gamepush.mjs, or
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

import { createServer } from 'node:http';
import express from 'express';

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

const app = express();

// The trap: app.use(express.json()) (or express.urlencoded(), or
// body-parser) registered before this route reads the body and parses it,
// and the exact bytes that were signed are gone: GamePush's body is not JSON
// anyway, but base64 "." signature. This route takes the raw bytes with
// express.raw(), for every Content-Type (GamePush documents none, and a
// proxy may set one). Keep express.json() after this route, or on the
// routes that need it.
app.post(
  '/webhooks/gamepush',
  express.raw({ type: () => true, limit: MAX_BODY }),
  async (req, res) => {
    // With no body at all, express.raw leaves req.body undefined.
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const { status, text } = await receive(raw, { secret, maxAgeSeconds, deliveries, handle });
    res.status(status).type('text/plain').send(text + '\n');
  },
);
app.all('/webhooks/gamepush', (req, res) => {
  res.set('Allow', 'POST').status(405).type('text/plain').send('POST only\n');
});

// express.raw's own refusals (413 for a body over the limit, 400 for one
// that is cut short) keep their 4xx status; Express's default handler would
// answer with an HTML page, and with 500 for anything without a status.
app.use((err, req, res, next) => {
  const status = err.status >= 400 && err.status < 500 ? err.status : 500;
  res.status(status).type('text/plain').send((status < 500 ? err.message : 'internal error') + '\n');
});

// A client that sends half a request, or a byte now and then, must not hold
// a connection: the whole request (headers and body) must arrive within
// 30 s. Node checks that deadline every connectionsCheckingInterval (30 s
// by default, so up to a minute): every 5 s instead.
const server = createServer(
  { requestTimeout: 30_000, headersTimeout: 10_000, connectionsCheckingInterval: 5_000 },
  app,
);
server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  console.error(`listening on http://${address}:${port}`);
});
