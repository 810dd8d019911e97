// Webhook handlers with one flaw each, for the tests of `gpwh probe`: each
// must be caught by the case that is about its flaw. FLAW picks one:
//
//   vendor        the vendor's page, as written: compares a hash object with
//                 a string, and so refuses every webhook
//   accept-all    answers 200 to anything
//   reject-all    answers 400 to anything
//   known-events  correct, but refuses events it does not know
//   no-window     correct, but takes bodies of any age
//   hex-and-minutes  correct, but reads only a lowercase hex digest and
//                 takes bodies up to ten minutes old: the bet the recipes
//                 once made
//   server-error  correct, but refuses with 500
//   once          correct, but refuses a body it has seen before
//   slow          correct, but takes 5.3 s over its first answer
//   redirect      answers every POST with a redirect to /moved, and 500 to
//                 any request for /moved
//   body-parser   correct, behind what app.use(express.json()) and
//                 app.use(express.urlencoded()) do before the route: a
//                 body labelled JSON is parsed, and refused with Express's
//                 400 when it is not JSON; a form is parsed, and the route
//                 gets what was parsed, written out again
//   throws        answers 500 with a TypeError to anything, as a handler
//                 that crashes before it reads the body
//   anything else (or none): correct
//
// ROUTE, when set, is the one path that takes a POST: any other is answered
// Express's 404, "Cannot POST /path". GPWH_SECRET and PORT as for
// examples/receivers/node/receiver.mjs, whose check the correct ones reuse:
// @gpwh/webhooks, loaded from that recipe's folder (after its setup), and
// answered with the short reason before the message's first ':'.

import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';

const recipe = new URL('../../examples/receivers/node/package.json', import.meta.url);
const { MAX_AGE_SECONDS, verify } = createRequire(recipe)('@gpwh/webhooks');

const secretKey = process.env.GPWH_SECRET;
const flaw = process.env.FLAW;
const KNOWN = new Set(['GivePlayerReward', 'PurchasePlayerPurchase']);
const seen = new Set();
let answered = 0;

// The vendor's example, kept as written, the Express calls aside.
function vendor(body) {
  const [base64payload, signature] = body.split('.');
  const signData = `${base64payload}_${secretKey}`;
  const hash = crypto.createHash('sha256').update(signData);
  if (hash !== signature) {
    return [400, 'Bad request'];
  }
  return [200, 'ok'];
}

// What Express's body parsers leave of a body with this Content-Type: the
// raw bytes, or [status, text] for a refusal, as they would answer.
function parsed(raw, contentType) {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    try {
      return Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    } catch (error) {
      return [400, `SyntaxError: ${error.message}`];
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form = Object.fromEntries(new URLSearchParams(raw.toString()));
    return Buffer.from(JSON.stringify(form));
  }
  return raw;
}

async function judge(raw, contentType) {
  if (flaw === 'body-parser') {
    const left = parsed(raw, contentType);
    if (Array.isArray(left)) return left;
    raw = left;
  }
  switch (flaw) {
    case 'throws':
      return [500, "TypeError: Cannot read properties of undefined (reading 'split')"];
    case 'vendor':
      return vendor(raw.toString());
    case 'accept-all':
      return [200, 'ok'];
    case 'reject-all':
      return [400, 'no'];
    default:
      break;
  }
  if (flaw === 'hex-and-minutes' && !/\.[0-9a-f]{64}\s*$/.test(raw.toString('latin1'))) {
    return [400, 'signature is not lowercase hex'];
  }
  // null: no window at all.
  const windows = { 'no-window': null, 'hex-and-minutes': 600 };
  const maxAgeSeconds = flaw in windows ? windows[flaw] : MAX_AGE_SECONDS;
  let webhook;
  try {
    webhook = await verify(raw, secretKey, { maxAgeSeconds });
  } catch (error) {
    if (typeof error.code !== 'string') throw error;
    return [flaw === 'server-error' ? 500 : 400, error.message.split(':')[0]];
  }
  if (flaw === 'known-events' && !KNOWN.has(webhook.event)) return [400, 'unknown event'];
  if (flaw === 'once') {
    const key = raw.toString('latin1');
    if (seen.has(key)) return [409, 'seen'];
    seen.add(key);
  }
  return [200, 'ok'];
}

const server = createServer((req, res) => {
  if (flaw === 'redirect') {
    const followed = req.url === '/moved';
    res.writeHead(followed ? 500 : 302, followed ? {} : { Location: '/moved' });
    res.end(followed ? 'the redirect was followed' : '');
    return;
  }
  const route = process.env.ROUTE;
  if (route && new URL(req.url, 'http://h').pathname !== route) {
    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end(`<!DOCTYPE html>\n<html><body><pre>Cannot ${req.method} ${req.url}</pre></body></html>\n`);
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const [status, text] = await judge(Buffer.concat(chunks), req.headers['content-type']);
    const delay = flaw === 'slow' && answered++ === 0 ? 5300 : 0;
    setTimeout(() => {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(text);
    }, delay);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { address, port } = server.address();
  console.error(`listening on http://${address}:${port}`);
});
