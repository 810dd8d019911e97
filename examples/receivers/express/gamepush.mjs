// Verifying a GamePush webhook in JavaScript: one function, checkBody, with
// nothing but Node.js's standard library. Copy this file into your project
// as it is; every recipe in examples/receivers/ that runs on Node.js uses the
// same one, and only the code that hands it the raw body differs.

import { createHash, timingSafeEqual } from 'node:crypto';

// Webhooks are a few kilobytes; a larger body is not one, and reading it
// all would let anyone fill our memory.
export const MAX_BODY = 1 << 20;
// A clock a little ahead of ours is not an attack.
const CLOCK_SKEW_MS = 60_000;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;

// Judges a raw body (a Buffer, exactly as received). Returns { payload } for
// a genuine, fresh webhook, or { reason } to refuse it with a 4xx.
export function checkBody(raw, secret, maxAgeSeconds, now = Date.now()) {
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
  const signature = raw.subarray(start + dot + 1, end).toString('latin1').toLowerCase();

  // SHA-256 over the payload part exactly as received, '_', and the secret.
  // Note .digest('hex'): the vendor's page compares the hash object itself,
  // which never equals a string, so its example refuses every webhook.
  const expected = createHash('sha256')
    .update(payloadPart)
    .update('_' + secret)
    .digest('hex');
  // Constant time, so that the answer's timing does not reveal how much of
  // a forged signature was right.
  if (!/^[0-9a-f]{64}$/.test(signature)
      || !timingSafeEqual(Buffer.from(signature, 'latin1'), Buffer.from(expected, 'latin1'))) {
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

  // A captured body stays validly signed forever: refuse old ones, so that
  // nobody can replay a purchase.
  const time = typeof payload.time === 'string' && RFC3339.test(payload.time)
    ? Date.parse(payload.time) : NaN;
  if (Number.isNaN(time)) return { reason: 'payload has no RFC 3339 time' };
  if (now - time > maxAgeSeconds * 1000 || time - now > CLOCK_SKEW_MS) {
    return { reason: 'body is too old, or from the future' };
  }
  return { payload };
}
