// The verification of a GamePush webhook body, written once for every
// runtime: src/node.js gives it node:crypto, src/web.js gives it WebCrypto.
// Nothing here touches Buffer or any other runtime's own API.
//
// What is known: the body is BASE64(JSON) "." SIGNATURE, and the signature
// is SHA-256 over the base64 text exactly as sent, '_' and the secret key
// (GamePush's documentation). What is not: how the digest is written
// (lowercase hex is likely, base64 possible), and whether or when a
// delivery is sent again. So every way of writing the same 32 bytes is
// accepted, and the window on `time` is wide (72 hours) for any redelivery
// schedule. gpwh's Rust library is the reference: every check below runs in
// its order and refuses with its error code, and the conformance vectors of
// gpwh's repository hold every implementation to it.

/** The largest body accepted, in bytes: a webhook is a few kilobytes. */
export const MAX_BODY = 1 << 20;
/** How old a body may be, in seconds: 72 hours (see the README for why). */
export const MAX_AGE_SECONDS = 72 * 60 * 60;
// A clock a little ahead of ours is not an attack.
const CLOCK_SKEW_SECONDS = 60;

/**
 * A body refused. `code` is gpwh's error code, `status` the HTTP status to
 * answer with (413 for a body over the limit, 400 for every other). The
 * message never holds a secret.
 */
export class WebhookError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'WebhookError';
    this.code = code;
    this.status = code === 'too-large' ? 413 : 400;
  }
}

const fail = (code, message) => {
  throw new WebhookError(code, message);
};

// ---------------------------------------------------------------------------
// Base64, strictly: either alphabet, padded or not, never both alphabets in
// one text, no byte outside the alphabet, no '=' but the padding the length
// calls for, and no bits set past the last whole byte. Lenient decoders
// (Buffer.from(text, 'base64'), atob) accept some of these, so none is used.

// Each byte's value as a base64 symbol, or -1; '+' '/' (the standard
// alphabet's own) and '-' '_' (the URL-safe one's) are marked so that a text
// mixing them is caught.
const SYMBOL = new Int16Array(256).fill(-1);
const STANDARD_ONLY = 0x100;
const URL_SAFE_ONLY = 0x200;
{
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < letters.length; i++) SYMBOL[letters.charCodeAt(i)] = i;
  SYMBOL[0x2b] = 62 | STANDARD_ONLY; // '+'
  SYMBOL[0x2f] = 63 | STANDARD_ONLY; // '/'
  SYMBOL[0x2d] = 62 | URL_SAFE_ONLY; // '-'
  SYMBOL[0x5f] = 63 | URL_SAFE_ONLY; // '_'
}
const EQUALS = 0x3d;

// Decodes bytes[start, end) into a new array from alloc(length). Returns the
// bytes, or a string saying why they are not base64.
export function decodeBase64(bytes, start, end, alloc) {
  let pads = 0;
  while (end - pads > start && bytes[end - pads - 1] === EQUALS) pads++;
  const symbols = end - pads - start;
  const rest = symbols & 3;
  if (rest === 1) return `its ${symbols} characters leave one over (a base64 text is never 4n+1 long)`;
  if (pads !== 0 && pads !== ((4 - rest) & 3)) {
    return `${pads} '=' of padding after ${symbols} characters: expected ${(4 - rest) & 3}`;
  }
  const out = alloc((symbols >> 2) * 3 + (rest === 0 ? 0 : rest - 1));
  let seen = 0;
  let o = 0;
  const whole = start + symbols - rest;
  let i = start;
  for (; i < whole; i += 4) {
    const a = SYMBOL[bytes[i]];
    const b = SYMBOL[bytes[i + 1]];
    const c = SYMBOL[bytes[i + 2]];
    const d = SYMBOL[bytes[i + 3]];
    if ((a | b | c | d) < 0) return notASymbol(bytes, i, start);
    seen |= a | b | c | d;
    const n = ((a & 63) << 18) | ((b & 63) << 12) | ((c & 63) << 6) | (d & 63);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (rest !== 0) {
    const a = SYMBOL[bytes[i]];
    const b = SYMBOL[bytes[i + 1]];
    const c = rest === 3 ? SYMBOL[bytes[i + 2]] : 0;
    if ((a | b | c) < 0) return notASymbol(bytes, i, start);
    seen |= a | b | c;
    out[o++] = ((a & 63) << 2) | ((b & 63) >> 4);
    if (rest === 3) out[o++] = ((b & 15) << 4) | ((c & 63) >> 2);
    const last = rest === 3 ? c & 63 : b & 63;
    if ((last & (rest === 3 ? 3 : 15)) !== 0) {
      return 'its last character has bits set past the last byte (not the canonical encoding)';
    }
  }
  if ((seen & STANDARD_ONLY) && (seen & URL_SAFE_ONLY)) {
    return "it mixes the standard alphabet ('+', '/') with the URL-safe one ('-', '_')";
  }
  return out;
}

// Whether the end of bytes[start, end), taken as base64 in one alphabet,
// has the padding its length calls for (or none) and no bits set past the
// last byte: what a decoder that checks only the alphabet leaves unchecked.
export function canonicalEnd(bytes, start, end) {
  let pads = 0;
  while (pads < 3 && end - pads > start && bytes[end - pads - 1] === EQUALS) pads++;
  const symbols = end - pads - start;
  const rest = symbols & 3;
  if (rest === 1 || (pads !== 0 && pads !== ((4 - rest) & 3))) return false;
  if (rest === 0) return true;
  return (SYMBOL[bytes[end - pads - 1]] & (rest === 3 ? 3 : 15)) === 0;
}

function notASymbol(bytes, from, start) {
  let i = from;
  while (SYMBOL[bytes[i]] >= 0) i++;
  return `invalid byte ${describeByte(bytes[i])} at offset ${i - start}`;
}

function describeByte(byte) {
  return byte >= 0x21 && byte <= 0x7e && byte !== 0x27
    ? `'${String.fromCharCode(byte)}'`
    : `0x${byte.toString(16).padStart(2, '0')}`;
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

// The signature's 32 bytes from bytes[start, end): 64 hex digits in either
// case, or 43-44 characters of base64 in either alphabet. Returns
// [digest, 'hex' | 'base64'], or null.
export function parseSignature(bytes, start, end, alloc) {
  const length = end - start;
  if (length === 64) {
    const digest = alloc(32);
    let bad = 0;
    for (let i = 0; i < 32; i++) {
      const hi = HEX[bytes[start + 2 * i]];
      const lo = HEX[bytes[start + 2 * i + 1]];
      bad |= hi | lo;
      digest[i] = (hi << 4) | lo;
    }
    if (bad >= 0) return [digest, 'hex'];
  } else if (length === 43 || length === 44) {
    const digest = decodeBase64(bytes, start, end, alloc);
    if (typeof digest !== 'string' && digest.length === 32) return [digest, 'base64'];
  }
  return null;
}

function describeSignature(bytes, start, end) {
  const length = end - start;
  if (length === 0) return "nothing after the last '.'";
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (HEX[byte] < 0 && SYMBOL[byte] < 0 && byte !== EQUALS) {
      return `${length} characters with ${describeByte(byte)} at offset ${i - start}`;
    }
  }
  return `${length} characters`;
}

// ---------------------------------------------------------------------------
// The checks, in gpwh's order: size, whitespace, the last '.', the payload's
// base64, its JSON, an object, the signature's form. What is left (the
// digest, and the time) needs the runtime's hash, so the caller does it.

const isSpace = (b) => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;

// Returns { bytes, payloadStart, payloadEnd, json, payload, digest, encoding }.
export function parse(bytes, maxBody, alloc, utf8, decode = decodeBase64) {
  if (bytes.length > maxBody) throw tooLarge(maxBody);
  let start = 0;
  let end = bytes.length;
  while (start < end && isSpace(bytes[start])) start++;
  while (end > start && isSpace(bytes[end - 1])) end--;
  if (start === end) fail('empty-body', 'body is empty: expected BASE64.SIGNATURE');
  // '.' is in no base64 alphabet, so the last one is the separator.
  let dot = end - 1;
  while (dot >= start && bytes[dot] !== 0x2e) dot--;
  if (dot < start) fail('no-signature', "body has no signature: expected BASE64.SIGNATURE, found no '.'");
  if (dot === start) fail('empty-payload', "payload is empty: the body starts with '.'");

  const json = decode(bytes, start, dot, alloc);
  if (typeof json === 'string') fail('payload-not-base64', `payload is not valid base64: ${json}`);
  const text = utf8(json);
  if (text === null) fail('payload-not-json', 'payload is not JSON: it is not valid UTF-8');
  let payload;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the error as it is: made inert, since
    // anyone can send it and it may reach a log and a terminal.
    fail('payload-not-json', `payload is not JSON: ${inert(lowerFirst(error.message))}`);
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    fail('payload-not-object',
      `payload is not a JSON object: a webhook payload is an object, this is ${kind(payload)}`);
  }

  const signature = parseSignature(bytes, dot + 1, end, alloc);
  if (signature === null) {
    fail('signature-format', 'signature is not a SHA-256 digest: expected 64 hex digits or '
      + `43-44 base64 characters, found ${describeSignature(bytes, dot + 1, end)}`);
  }
  return {
    payloadStart: start, payloadEnd: dot, json, payload, digest: signature[0], encoding: signature[1],
  };
}

export function tooLarge(maxBody) {
  return new WebhookError('too-large', `body too large: more than ${humanSize(maxBody)}`);
}

export function mismatch(tried) {
  const secrets = tried === 0 ? 'any secret (none was given)'
    : tried === 1 ? 'the given secret' : `any of the ${tried} given secrets`;
  return new WebhookError('signature-mismatch',
    `signature does not match: the body was not signed with ${secrets} (check that it is the project's secret key from GamePush)`);
}

function kind(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  return `a ${typeof value}`;
}

function lowerFirst(text) {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function humanSize(bytes) {
  if (bytes > 0 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes > 0 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KiB`;
  return `${bytes} bytes`;
}

// ---------------------------------------------------------------------------
// Freshness: `time`, RFC 3339, at most maxAge seconds old and at most 60 s
// ahead, to the nanosecond.

// RFC 3339 as gpwh reads it: 'T' (or 't') between date and time, seconds,
// a fraction of 1 to 9 digits after '.', and 'Z' (or 'z') or an offset of
// hours and minutes below 24:00. No leap second, no space for 'T'.
const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d\d):(\d\d))$/;

// [seconds since the epoch, nanoseconds], or null.
export function parseTime(text) {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offset = 0;
  if (m[8] !== undefined) {
    if (+m[9] > 23 || +m[10] > 59) return null;
    offset = (m[8] === '-' ? -1 : 1) * (+m[9] * 3600 + +m[10] * 60);
  }
  const nanos = m[7] === undefined ? 0 : +m[7].padEnd(9, '0');
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  return [seconds, nanos];
}

function daysIn(year, month) {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil).
function daysFromCivil(year, month, day) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// Throws when `time` is missing, unreadable, too old or too far ahead.
// nowMs: milliseconds since the epoch.
export function checkTime(time, maxAgeSeconds, nowMs) {
  if (typeof time !== 'string') fail('time-missing', 'payload has no "time" to check its age against');
  const sent = parseTime(time);
  if (sent === null) fail('time-format', `payload time is not an RFC 3339 time: found ${quoted(time)}`);
  const nowSeconds = Math.floor(nowMs / 1000);
  const nowNanos = Math.round((nowMs - nowSeconds * 1000) * 1e6);
  const maxSeconds = Math.floor(maxAgeSeconds);
  const maxNanos = Math.round((maxAgeSeconds - maxSeconds) * 1e9);
  const ageSeconds = nowSeconds - sent[0];
  const ageNanos = nowNanos - sent[1];
  // The sign of (age - max) and of (age + skew), each a whole number of
  // seconds plus less than one second of nanoseconds.
  if ((ageSeconds - maxSeconds) * 1e9 + (ageNanos - maxNanos) > 0) {
    fail('stale', `signature valid but the body is stale: sent ${human(ageSeconds)} ago, `
      + `limit ${human(maxAgeSeconds)} (set maxAgeSeconds to accept older bodies)`);
  }
  if ((ageSeconds + CLOCK_SKEW_SECONDS) * 1e9 + ageNanos < 0) {
    fail('stale', `signature valid but the body is from the future: sent ${human(-ageSeconds)} `
      + `from now, allowance ${human(CLOCK_SKEW_SECONDS)} (check this machine's clock)`);
  }
}

function human(seconds) {
  let s = Math.floor(seconds);
  const parts = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]]) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join(' ');
}

function quoted(text) {
  const short = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  // It came off the wire: control characters and bidi overrides escaped.
  return inert(JSON.stringify(short));
}

// What a terminal acts on (C0 and C1 controls, DEL, the bidi controls, the
// line and paragraph separators), written as \uXXXX escapes: text from the
// wire, in a message, a log line or an answer, is only ever shown.
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function inert(text) {
  return String(text).replace(ACTIVE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------
// Options and arguments, checked once with messages that say what to pass.

export function bodyBytes(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') {
    throw new TypeError('the body is a string: pass the raw bytes as received (a Buffer, Uint8Array '
      + 'or ArrayBuffer); turning them into text can change them, and the signature covers the bytes');
  }
  throw new TypeError(`the body is ${body === null ? 'null' : typeof body}: pass the raw bytes as `
    + 'received (a Buffer, Uint8Array or ArrayBuffer), not a parsed body');
}

export function secretList(secrets, encode) {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  return list.map((secret, i) => {
    if (typeof secret === 'string') return encode(secret);
    if (secret instanceof Uint8Array) return secret;
    throw new TypeError(`secret ${i} is ${secret === null ? 'null' : typeof secret}: pass the `
      + "project's secret key as a string or Uint8Array (is its environment variable set?)");
  });
}

export function settings(options = {}) {
  const maxBody = options.maxBody ?? MAX_BODY;
  if (!Number.isSafeInteger(maxBody) || maxBody < 0) {
    throw new TypeError(`maxBody is ${String(maxBody)}: pass a whole number of bytes`);
  }
  const maxAge = options.maxAgeSeconds === undefined ? MAX_AGE_SECONDS : options.maxAgeSeconds;
  if (maxAge !== null && !(typeof maxAge === 'number' && maxAge >= 0 && Number.isFinite(maxAge))) {
    throw new TypeError(`maxAgeSeconds is ${String(maxAge)}: pass a number of seconds, or null for no window`);
  }
  const now = options.now;
  let nowMs = null;
  if (now instanceof Date) nowMs = now.getTime();
  else if (typeof now === 'number') nowMs = now;
  else if (now !== undefined && now !== null) {
    throw new TypeError('now is neither a Date nor a number of milliseconds since the epoch');
  }
  if (nowMs !== null && !Number.isFinite(nowMs)) throw new TypeError('now is not a valid time');
  return { maxBody, maxAge, nowMs };
}

// ---------------------------------------------------------------------------
// The delivery key: what makes a delivery the same delivery again
// (docs/exactly-once.md in gpwh's repository). For a purchase, or its
// consumption, the event and the purchase's _id, whatever body carries it:
// a string of 1 to 200 bytes of UTF-8, percent-encoded, or a whole number
// up to 2^53 - 1 in decimal (777.0 is 777). For anything else, `sha256:` and
// the hex SHA-256 of the decoded payload. Never from the body as received:
// anyone can add whitespace to it or rewrite its digest without the key,
// but nobody can change the payload. Keys are printable ASCII, at most 623
// characters.

// Events that happen once per purchase, whichever body carries them. The
// subscription events may happen again for one purchase, so they are keyed
// on their payload.
const ONCE_PER_PURCHASE = new Set(['PurchasePlayerPurchase', 'ConsumePlayerPurchase']);
const MAX_ID_BYTES = 200;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

// The key when the payload names a purchase, else null (key on the hash).
export function purchaseKey(payload, encode) {
  if (!isObject(payload) || !ONCE_PER_PURCHASE.has(payload.event)) return null;
  const purchase = isObject(payload.result) ? payload.result.purchase : null;
  const id = isObject(purchase) ? purchase._id : undefined;
  // JSON.parse reads 777.0 and 7.77e2 as 777, and -0.0 as -0, which
  // String() writes as 0.
  if (Number.isSafeInteger(id)) return `${payload.event}:${String(id)}`;
  // A string with half a UTF-16 surrogate pair ("\ud800") has no UTF-8
  // bytes of its own: it is keyed on the payload.
  if (typeof id !== 'string' || LONE_SURROGATE.test(id)) return null;
  const bytes = encode(id);
  if (bytes.length < 1 || bytes.length > MAX_ID_BYTES) return null;
  let encoded = '';
  for (const byte of bytes) {
    encoded += UNRESERVED[byte] ? String.fromCharCode(byte) : PERCENT[byte];
  }
  return `${payload.event}:${encoded}`;
}

// The bytes of an _id that stay as they are in a key; every other is %XX.
const UNRESERVED = new Uint8Array(256);
const PERCENT = [];
for (let byte = 0; byte < 256; byte++) {
  const c = String.fromCharCode(byte);
  UNRESERVED[byte] = /[A-Za-z0-9\-._~]/.test(c) ? 1 : 0;
  PERCENT.push(`%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
}

export function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function toHex(bytes) {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX_PAIRS[bytes[i]];
  return hex;
}
const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// The JSON bytes of a payload given as text or bytes, with it parsed (null
// when it is not JSON).
export function payloadOf(json, encode, utf8) {
  if (typeof json === 'string') {
    return [encode(json), parsedOrNull(json)];
  }
  const bytes = bodyBytesOf(json);
  const text = utf8(bytes);
  return [bytes, text === null ? null : parsedOrNull(text)];
}

function bodyBytesOf(json) {
  if (json instanceof Uint8Array) return json;
  if (json instanceof ArrayBuffer) return new Uint8Array(json);
  if (ArrayBuffer.isView(json)) return new Uint8Array(json.buffer, json.byteOffset, json.byteLength);
  throw new TypeError('deliveryKey takes the decoded payload as JSON text or bytes (webhook.raw)');
}

function parsedOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// What `sign` signs: an object (written as JSON), JSON text, or JSON bytes.

export function payloadToSign(payload, encode) {
  if (typeof payload === 'string') return encode(payload);
  if (payload instanceof Uint8Array) return payload;
  if (isObject(payload)) return encode(JSON.stringify(payload));
  throw new TypeError('sign takes the payload as an object, JSON text or JSON bytes');
}

const BASE64_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// Standard base64 with padding, as GamePush writes the payload.
export function encodeBase64(bytes) {
  let text = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    text += BASE64_LETTERS[n >> 18] + BASE64_LETTERS[(n >> 12) & 63]
      + BASE64_LETTERS[(n >> 6) & 63] + BASE64_LETTERS[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    text += BASE64_LETTERS[n >> 18] + BASE64_LETTERS[(n >> 12) & 63]
      + (i + 1 < bytes.length ? BASE64_LETTERS[(n >> 6) & 63] : '=') + '=';
  }
  return text;
}

// ---------------------------------------------------------------------------

/** A verified webhook: what verify() resolves to. */
export class Webhook {
  #key;
  #keyOf;

  constructor(parsed, secretIndex, key, keyOf) {
    const { payload } = parsed;
    /** The payload, parsed. */
    this.payload = payload;
    /** payload.event when it is a string, else null. */
    this.event = typeof payload.event === 'string' ? payload.event : null;
    /** payload.time when it is a string, else null. */
    this.time = typeof payload.time === 'string' ? payload.time : null;
    /** The decoded payload: the JSON bytes exactly as GamePush encoded them. */
    this.raw = parsed.json;
    /** Which of the secrets signed it (0-based). */
    this.secretIndex = secretIndex;
    /** How the digest was written: 'hex' or 'base64'. */
    this.encoding = parsed.encoding;
    this.#key = key;
    this.#keyOf = keyOf;
  }

  /** What makes this delivery the same delivery again (see deliveryKey). */
  get deliveryKey() {
    if (this.#key === null) this.#key = this.#keyOf(this.raw, this.payload);
    return this.#key;
  }

  toJSON() {
    const { payload, event, time, secretIndex, encoding } = this;
    return { payload, event, time, deliveryKey: this.deliveryKey, secretIndex, encoding };
  }
}
