// Receiving GamePush webhooks in JavaScript, with nothing but Node.js's
// standard library: checkBody says whether a body is a genuine, fresh
// webhook, and receive hands each genuine delivery to your code once. Copy
// this file into your project as it is; every recipe in examples/receivers/
// that runs on Node.js uses the same one, and only the code that hands it the
// raw body differs.
//
// What is known, and what is not: the body is BASE64(JSON) "." SIGNATURE and
// the signature is SHA-256 over the first part, '_' and your secret key
// (documented). How the digest is written is not documented (lowercase hex
// is likely, base64 possible), nor whether or when GamePush sends a delivery
// again. So every way of writing the same 32 bytes is accepted, each
// delivery is acted on once, and the window on `time` is wide enough for
// any redelivery schedule.

import { createHash, timingSafeEqual } from 'node:crypto';

// Webhooks are a few kilobytes; a larger body is not one, and reading it
// all would let anyone fill our memory.
export const MAX_BODY = 1 << 20;
// How old a body may be: 72 hours. `time` is when the operation happened,
// and a delivery sent again after your server was down most likely carries
// that time: a window of minutes would refuse it and lose the purchase. The
// delivery key, not the window, is what stops a captured body replayed.
export const MAX_AGE_SECONDS = 72 * 60 * 60;
// A clock a little ahead of ours is not an attack.
const CLOCK_SKEW_MS = 60_000;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;
// A SHA-256 digest as 64 hex digits in either case, or as base64 in either
// alphabet, padded or not.
const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const BASE64_DIGEST = /^(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$/;
// Events that happen once per purchase, whichever body carries them.
const ONCE_PER_PURCHASE = new Set(['PurchasePlayerPurchase', 'ConsumePlayerPurchase']);
// A purchase id used as a key only when it is plain printable text.
const PLAIN_ID = /^[\x21-\x7e]{1,200}$/;

// Judges a raw body (a Buffer, exactly as received). Returns { payload } for
// a genuine, fresh webhook, or { reason } to refuse it with a 4xx.
export function checkBody(raw, secret, maxAgeSeconds = MAX_AGE_SECONDS, now = Date.now()) {
  // Work on the bytes as received: turning them into a string first could
  // change them, and the signature covers the exact bytes.
  let start = 0;
  let end = raw.length;
  const isSpace = (b) => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
  while (start < end && isSpace(raw[start])) start++;
  while (end > start && isSpace(raw[end - 1])) end--;

  // BASE64(JSON) "." SIGNATURE. '.' is in no base64 alphabet, so the last
  // one is the separator.
  const dot = raw.subarray(start, end).lastIndexOf(0x2e);
  if (dot < 0) return { reason: 'no signature' };
  const payloadPart = raw.subarray(start, start + dot);
  const signature = raw.subarray(start + dot + 1, end).toString('latin1');

  // SHA-256 over the payload part exactly as received, '_', and the secret.
  // Note .digest(): the vendor's page compares the hash object itself,
  // which never equals a string, so its example refuses every webhook.
  const expected = createHash('sha256').update(payloadPart).update('_' + secret).digest();
  // The signature's 32 bytes, however they are written, compared in
  // constant time, so that the answer's timing does not reveal how much of
  // a forged signature was right.
  let received = null;
  if (HEX_DIGEST.test(signature)) received = Buffer.from(signature, 'hex');
  else if (BASE64_DIGEST.test(signature)) received = Buffer.from(signature, 'base64');
  if (received === null || received.length !== 32 || !timingSafeEqual(received, expected)) {
    return { reason: 'signature does not match' };
  }

  // Only now is the payload trusted enough to parse. Buffer.from skips bytes
  // that are not base64, so check the text first.
  const text = payloadPart.toString('latin1');
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    return { reason: 'payload is not base64' };
  }
  let payload;
  try {
    payload = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    return { reason: 'payload is not JSON' };
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { reason: 'payload is not a JSON object' };
  }

  // A captured body stays validly signed forever: the window bounds how
  // long a replay is possible at all.
  const time = typeof payload.time === 'string' && RFC3339.test(payload.time)
    ? Date.parse(payload.time) : NaN;
  if (Number.isNaN(time)) return { reason: 'payload has no RFC 3339 time' };
  if (now - time > maxAgeSeconds * 1000 || time - now > CLOCK_SKEW_MS) {
    return { reason: 'body is too old, or from the future' };
  }
  return { payload };
}

// What makes a delivery the same delivery again: for a purchase, or its
// consumption, the purchase's _id (`PurchasePlayerPurchase:<_id>`), whatever
// body carries it; for anything else, the SHA-256 of the body as received
// (`sha256:<hex>`).
export function deliveryKey(payload, raw) {
  const id = payload.result?.purchase?._id;
  if (ONCE_PER_PURCHASE.has(payload.event)
      && (Number.isSafeInteger(id) || (typeof id === 'string' && PLAIN_ID.test(id)))) {
    return `${payload.event}:${id}`;
  }
  return 'sha256:' + createHash('sha256').update(raw).digest('hex');
}

// The delivery keys already handled. Any store with these two methods will
// do: claim(key) is true the first time it sees a key and false after;
// release(key) forgets a key whose handling failed, so that a repeat runs
// it again.
//
// This one keeps the keys in memory for as long as the window, up to
// maxKeys (past that it forgets the oldest first), and loses them when the
// process stops. A real game keeps them in its database instead: a table
// whose key column is UNIQUE (or the primary key), with the key inserted in
// the same transaction as the purchase it grants, so that a repeat fails on
// the constraint and grants nothing.
export class MemoryDeliveries {
  #expiry = new Map(); // key -> when it may be forgotten, oldest first

  constructor(ttlSeconds = MAX_AGE_SECONDS, maxKeys = 100_000) {
    this.ttlMs = ttlSeconds * 1000;
    this.maxKeys = maxKeys;
  }

  claim(key, now = Date.now()) {
    for (const [old, expires] of this.#expiry) {
      if (expires > now) break;
      this.#expiry.delete(old);
    }
    if (this.#expiry.has(key)) return false;
    if (this.#expiry.size >= this.maxKeys) this.#expiry.delete(this.#expiry.keys().next().value);
    this.#expiry.set(key, now + this.ttlMs);
    return true;
  }

  release(key) {
    this.#expiry.delete(key);
  }
}

// Judges a raw body and hands a genuine one to handle(payload), once per
// delivery key; logs `delivery KEY: handled` for each time it runs. Returns
// the { status, text } to answer: 200 for a delivery handled now or before,
// 400 for a body that is not a genuine, fresh webhook (4xx, not 5xx: the
// body is at fault, and a 5xx invites a retry), 500 when handle throws (the
// key is released, so that a repeat runs it again).
export async function receive(raw, { secret, maxAgeSeconds = MAX_AGE_SECONDS, deliveries, handle }) {
  const verdict = checkBody(raw, secret, maxAgeSeconds);
  if (verdict.reason) return { status: 400, text: verdict.reason };
  const key = deliveryKey(verdict.payload, raw);
  if (!deliveries.claim(key)) {
    console.error(`delivery ${key}: a repeat, answered without handling it again`);
    return { status: 200, text: 'already handled' };
  }
  try {
    await handle(verdict.payload);
  } catch (error) {
    deliveries.release(key);
    console.error(`delivery ${key}: handle failed:`, error);
    return { status: 500, text: 'handler failed' };
  }
  console.error(`delivery ${key}: handled`);
  return { status: 200, text: 'ok' };
}
