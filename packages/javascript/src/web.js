// @gpwh/webhooks on WebCrypto runtimes (Deno, Bun, Cloudflare Workers,
// Vercel Edge, browsers): the checks of src/core.js with crypto.subtle's
// SHA-256 and a comparison of all 32 bytes with no early exit.

import {
  MAX_AGE_SECONDS, MAX_BODY, Webhook, WebhookError, bodyBytes, checkTime, encodeBase64, mismatch,
  parse, payloadOf, payloadToSign, purchaseKey, secretList, settings, toHex,
} from './core.js';
import { describeOutcome, makeReceiving } from './receive.js';

export { MAX_AGE_SECONDS, MAX_BODY, Webhook, WebhookError, describeOutcome };
export { LOCK_WAIT_MS, postgresStore, sqliteStore } from './stores.js';

const encoder = new TextEncoder();
const encode = (text) => encoder.encode(text);
const alloc = (length) => new Uint8Array(length);
const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = (bytes) => {
  try {
    return fatal.decode(bytes);
  } catch {
    return null;
  }
};

async function sha256(...parts) {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) {
    throw new TypeError('crypto.subtle is missing: this build needs WebCrypto (on Node.js, import the package from Node)');
  }
  let data = parts[0];
  if (parts.length > 1) {
    data = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      data.set(part, at);
      at += part.length;
    }
  }
  return new Uint8Array(await subtle.digest('SHA-256', data));
}

// Constant time: every byte is looked at, whatever differs.
function same(a, b) {
  let difference = a.length ^ b.length;
  for (let i = 0; i < 32; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

const UNDERSCORE = encode('_');

async function keyOf(json, payload) {
  return purchaseKey(payload, encode) ?? `sha256:${toHex(await sha256(json))}`;
}

/**
 * Verifies a body exactly as received. Resolves to the webhook, or rejects
 * with a WebhookError whose code says why (gpwh's error codes).
 */
export async function verify(body, secrets, options) {
  const bytes = bodyBytes(body);
  const { maxBody, maxAge, nowMs } = settings(options);
  const keys = secretList(secrets, encode);
  const parsed = parse(bytes, maxBody, alloc, utf8);
  const part = bytes.subarray(parsed.payloadStart, parsed.payloadEnd);
  let found = -1;
  for (let i = 0; i < keys.length; i++) {
    const digest = await sha256(part, UNDERSCORE, keys[i]);
    if (same(digest, parsed.digest) && found < 0) found = i;
  }
  if (found < 0) throw mismatch(keys.length);
  if (maxAge !== null) checkTime(parsed.payload.time, maxAge, nowMs ?? Date.now());
  const key = await keyOf(parsed.json, parsed.payload);
  return new Webhook(parsed, found, key, null);
}

/** Signs a payload as GamePush does: BASE64(JSON) "." SHA-256 digest. For tests. */
export async function sign(payload, secret, options = {}) {
  const text = encodeBase64(payloadToSign(payload, encode));
  const [key] = secretList(secret, encode);
  const digest = await sha256(encode(text), UNDERSCORE, key ?? new Uint8Array(0));
  const encoding = options.encoding ?? 'hex';
  if (encoding === 'hex') return `${text}.${toHex(digest)}`;
  if (encoding === 'base64') return `${text}.${encodeBase64(digest)}`;
  throw new TypeError(`encoding is ${String(encoding)}: pass 'hex' or 'base64'`);
}

/** The delivery key of a decoded payload (JSON text or bytes). */
export async function deliveryKey(json, parsed) {
  const [bytes, payload] = payloadOf(json, encode, utf8);
  return keyOf(bytes, parsed === undefined ? payload : parsed);
}

export const { receive, fetchHandler, nodeHandler } = makeReceiving(verify);
