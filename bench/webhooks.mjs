// How fast @gpwh/webhooks verifies bodies, beside the shortest correct loop
// written by hand and the bare SHA-256 of each body, measured side by side
// in one run (issue: the package within 1.3x of the hand loop).
//
//     node bench/webhooks.mjs [--bodies N]    (default 1,000,000)
//
// It imports the package from packages/javascript (its node:crypto build,
// the one Node.js gets). The bodies are realistic GamePush payloads (about
// 560 bytes), signed in lowercase hex, all valid and sent a minute ago; the
// same list is verified by each loop in turn, against the system clock as a
// server does, and each loop checks that every body passed.

import { createHash, timingSafeEqual } from 'node:crypto';
import os from 'node:os';

import { verify } from '../packages/javascript/src/node.js';

const SECRET = 'bench secret key';
const MAX_AGE_MS = 72 * 3600 * 1000;
const DISTINCT = 1000;

function bodies(count) {
  const sent = new Date(Date.now() - 60_000).toISOString().slice(0, 23);
  const made = [];
  for (let i = 0; i < DISTINCT; i++) {
    const payload = {
      event: i % 2 ? 'PurchasePlayerPurchase' : 'GivePlayerReward',
      player: {
        id: 1820283 + i, name: 'Alex', avatar: 'https://cdn.example.com/a.png', projectId: 4, credentials: '',
        platformType: 'NONE', active: true, removed: false, test: false, modifiedAt: '2024-04-26T11:34:23.415923998Z',
      },
      result: { __typename: 'PlayerReward', countAccepted: 0, countTotal: 1, rewardId: i },
      time: `${sent}${String(i % 1000).padStart(3, '0')}Z`,
    };
    const part = Buffer.from(JSON.stringify(payload)).toString('base64');
    const digest = createHash('sha256').update(`${part}_${SECRET}`).digest('hex');
    made.push(Buffer.from(`${part}.${digest}`));
  }
  return Array.from({ length: count }, (_, i) => made[i % DISTINCT]);
}

async function byPackage(items) {
  let ok = 0;
  for (const body of items) {
    await verify(body, SECRET);
    ok++;
  }
  return ok;
}

// The shortest correct loop: hash, constant-time compare, base64 checked
// then decoded, JSON, and the time checked against the window; lowercase
// hex digests only.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
function byHand(items) {
  const suffix = `_${SECRET}`;
  let ok = 0;
  for (const body of items) {
    const text = body.toString('latin1').trim();
    const dot = text.lastIndexOf('.');
    const part = text.slice(0, dot);
    const expected = createHash('sha256').update(part + suffix).digest();
    const signature = Buffer.from(text.slice(dot + 1), 'hex');
    if (signature.length !== 32 || !timingSafeEqual(signature, expected)) throw new Error('signature does not match');
    if (!BASE64.test(part)) throw new Error('payload is not base64');
    const payload = JSON.parse(Buffer.from(part, 'base64').toString('utf8'));
    const age = Date.now() - Date.parse(payload.time);
    if (!(age >= -60_000 && age <= MAX_AGE_MS)) throw new Error('stale');
    ok++;
  }
  return ok;
}

function bareHash(items) {
  const suffix = `_${SECRET}`;
  let ok = 0;
  for (const body of items) {
    const text = body.toString('latin1');
    createHash('sha256').update(text.slice(0, text.lastIndexOf('.')) + suffix).digest();
    ok++;
  }
  return ok;
}

async function timed(loop, items) {
  const started = process.hrtime.bigint();
  const ok = await loop(items);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (ok !== items.length) throw new Error(`${loop.name}: ${ok} of ${items.length} passed`);
  return seconds;
}

const at = process.argv.indexOf('--bodies');
const count = at > 0 ? Number(process.argv[at + 1]) : 1_000_000;
const items = bodies(count);
// A warm-up of each loop, so that each is measured compiled.
const warm = items.slice(0, 20_000);
for (const loop of [byPackage, byHand, bareHash]) await timed(loop, warm);
const times = {};
for (const loop of [byPackage, byHand, bareHash]) times[loop.name] = await timed(loop, items);

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`${count.toLocaleString('en')} bodies of ${items[0].length} bytes, Node.js ${process.version}, ${os.cpus().length} x ${cpu}`);
const rate = (seconds) => `${Math.round(count / seconds).toLocaleString('en')} bodies/s`;
console.log(`@gpwh/webhooks verify   ${times.byPackage.toFixed(2)} s  ${rate(times.byPackage)}`);
console.log(`by hand                 ${times.byHand.toFixed(2)} s  ${rate(times.byHand)}`);
console.log(`bare createHash         ${times.bareHash.toFixed(2)} s  ${rate(times.bareHash)}`);
console.log(`package / by hand       ${(times.byPackage / times.byHand).toFixed(2)}x (goal: at most 1.30x)`);
console.log(`package / bare hash     ${(times.byPackage / times.bareHash).toFixed(2)}x`);
console.log(`by hand / bare hash     ${(times.byHand / times.bareHash).toFixed(2)}x`);
