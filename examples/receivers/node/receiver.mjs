// A GamePush webhook receiver for Node.js, with nothing but the standard
// library (node:http). Copy it with gamepush.mjs, or run it as it is:
//
//   GPWH_SECRET='your secret key' PORT=3000 node receiver.mjs
//
// and check it with: gpwh probe --all-events --strict http://127.0.0.1:3000/
//
// Environment: GPWH_SECRET (required), PORT (3000; 0 picks a free port),
// HOST (127.0.0.1), MAX_AGE_SECONDS (600: how old a body may be).

import { createServer } from 'node:http';

import { MAX_BODY, checkBody } from './gamepush.mjs';

// Your game's work. Every event must be answered 2xx, including events you
// do not handle: GamePush adds new ones. A webhook may also arrive twice, so
// make each effect happen once (for instance, key it on the purchase id).
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

function serve() {
  const secret = process.env.GPWH_SECRET;
  if (!secret) {
    console.error("set GPWH_SECRET to your project's secret key");
    process.exit(2);
  }
  const maxAge = Number(process.env.MAX_AGE_SECONDS ?? 600);
  const answer = (res, status, text, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(text + '\n');
  };

  const server = createServer((req, res) => {
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
    req.on('end', () => {
      if (res.headersSent) return;
      const verdict = checkBody(Buffer.concat(chunks), secret, maxAge);
      // 4xx, not 5xx: the body is at fault, and a 5xx invites a retry.
      if (verdict.reason) return answer(res, 400, verdict.reason);
      handle(verdict.payload);
      answer(res, 200, 'ok');
    });
  });
  // A client that sends half a request must not hold a connection forever.
  server.requestTimeout = 30_000;
  server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
    const { address, port } = server.address();
    console.error(`listening on http://${address}:${port}`);
  });
}

serve();
