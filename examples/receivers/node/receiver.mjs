// A GamePush webhook receiver for Node.js, with nothing but the standard
// library (node:http). Copy it with gamepush.mjs, or run it as it is:
//
//   GPWH_SECRET='your secret key' PORT=3000 node receiver.mjs
//
// and check it with: gpwh probe --all-events --strict http://127.0.0.1:3000/
//
// Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
// HOST (127.0.0.1), MAX_AGE_SECONDS (259200, 72 hours: how old a body may
// be; gamepush.mjs says why so long).

import { createServer } from 'node:http';

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

// A client that sends half a request, or a byte now and then, must not hold
// a connection: the whole request (headers and body) must arrive within
// 30 s. Node checks that deadline every connectionsCheckingInterval (30 s
// by default, so up to a minute): every 5 s instead.
const DEADLINE = { requestTimeout: 30_000, headersTimeout: 10_000, connectionsCheckingInterval: 5_000 };

function serve() {
  const secret = process.env.GPWH_SECRET;
  if (!secret) {
    console.error("set GPWH_SECRET to your project's secret key");
    process.exit(2);
  }
  const maxAgeSeconds = Number(process.env.MAX_AGE_SECONDS ?? MAX_AGE_SECONDS);
  const deliveries = new MemoryDeliveries(maxAgeSeconds);
  const answer = (res, status, text, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(text + '\n');
  };

  const server = createServer(DEADLINE, (req, res) => {
    if (req.method !== 'POST') return answer(res, 405, 'POST only', { Allow: 'POST' });
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        answer(res, 413, 'body too large', { Connection: 'close' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', async () => {
      if (res.headersSent) return;
      const raw = Buffer.concat(chunks);
      const { status, text } = await receive(raw, { secret, maxAgeSeconds, deliveries, handle });
      answer(res, status, text);
    });
  });
  server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
    const { address, port } = server.address();
    console.error(`listening on http://${address}:${port}`);
  });
}

serve();
