// @gpwh/webhooks on Node.js: the checks of src/core.js with node:crypto's
// SHA-256 and timingSafeEqual.

import { Buffer } from 'node:buffer';
import * as buffers from 'node:buffer';
import { createHash, timingSafeEqual } from 'node:crypto';

import {
  MAX_AGE_SECONDS, MAX_BODY, Webhook, WebhookError, bodyBytes, canonicalEnd, checkTime, decodeBase64,
  encodeBase64, mismatch, parse, payloadOf, payloadToSign, purchaseKey, secretList, settings,
} from './core.js';
import { describeOutcome, makeReceiving } from './receive.js';

export { MAX_AGE_SECONDS, MAX_BODY, Webhook, WebhookError, describeOutcome };
export { LOCK_WAIT_MS, postgresStore, sqliteStore } from './stores.js';

const alloc = (length) => Buffer.allocUnsafe(length);
const encode = (text) => Buffer.from(text, 'utf8');
const asBuffer = (bytes) => (Buffer.isBuffer(bytes)
  ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
// Strict UTF-8: null for bytes that are not. isUtf8 is Node 18.14's.
const { isUtf8 } = buffers;
const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = typeof isUtf8 === 'function'
  ? (bytes) => (isUtf8(bytes) ? asBuffer(bytes).toString('utf8') : null)
  : (bytes) => {
    try {
      return fatal.decode(bytes);
    } catch {
      return null;
    }
  };
const UNDERSCORE = Buffer.from('_');
// Strings are hashed as UTF-8 by createHash itself.
const asIs = (secret) => secret;

// The payload's base64, decoded by Node's own decoder where the text is
// in one alphabet and canonical (Buffer.from alone would skip stray bytes
// and ignore bad padding); anything else goes to the strict decoder, which
// says what is wrong.
const ONE_ALPHABET = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)={0,2}$/;
function decode(bytes, start, end, alloc) {
  const text = asBuffer(bytes).latin1Slice(start, end);
  if (ONE_ALPHABET.test(text) && canonicalEnd(bytes, start, end)) return Buffer.from(text, 'base64');
  return decodeBase64(bytes, start, end, alloc);
}

function keyOf(json, payload) {
  return purchaseKey(payload, encode) ?? `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

function check(body, secrets, options) {
  const bytes = bodyBytes(body);
  const { maxBody, maxAge, nowMs } = settings(options);
  const keys = secretList(secrets, asIs);
  const parsed = parse(bytes, maxBody, alloc, utf8, decode);
  const part = bytes.subarray(parsed.payloadStart, parsed.payloadEnd);
  // Every secret is tried, and compared in constant time, whichever matches.
  let found = -1;
  for (let i = 0; i < keys.length; i++) {
    const digest = createHash('sha256').update(part).update(UNDERSCORE).update(keys[i]).digest();
    if (timingSafeEqual(digest, parsed.digest) && found < 0) found = i;
  }
  if (found < 0) throw mismatch(keys.length);
  if (maxAge !== null) checkTime(parsed.payload.time, maxAge, nowMs ?? Date.now());
  return new Webhook(parsed, found, null, keyOf);
}

/**
 * Verifies a body exactly as received. Resolves to the webhook, or rejects
 * with a WebhookError whose code says why (gpwh's error codes).
 */
export async function verify(body, secrets, options) {
  return check(body, secrets, options);
}

/** Signs a payload as GamePush does: BASE64(JSON) "." SHA-256 digest. For tests. */
export async function sign(payload, secret, options = {}) {
  const text = encodeBase64(payloadToSign(payload, encode));
  const [key] = secretList(secret, asIs);
  const digest = createHash('sha256').update(text).update(UNDERSCORE).update(key ?? '').digest();
  return `${text}.${signatureText(digest, options.encoding)}`;
}

function signatureText(digest, encoding = 'hex') {
  if (encoding === 'hex') return digest.toString('hex');
  if (encoding === 'base64') return digest.toString('base64');
  throw new TypeError(`encoding is ${String(encoding)}: pass 'hex' or 'base64'`);
}

/** The delivery key of a decoded payload (JSON text or bytes). */
export async function deliveryKey(json, parsed) {
  const [bytes, payload] = payloadOf(json, encode, utf8);
  return keyOf(bytes, parsed === undefined ? payload : parsed);
}

export const { receive, fetchHandler, nodeHandler } = makeReceiving(verify);
