// Runs every vector of conformance/vectors.json and delivery-keys.json (gpwh's
// repository) through a build of the package: the same verdict, error code,
// payload bytes, delivery key, secret index and digest form, or a failure
// saying which differs. Used by the tests under Node.js and, as a script,
// under a second runtime:
//
//   bun test/vectors.mjs     (prints `# pass N` and `# fail N`; exit 1 on a failure)

import { readFileSync } from 'node:fs';

const conformance = new URL('../../../conformance/', import.meta.url);

export function load(name) {
  return JSON.parse(readFileSync(new URL(name, conformance), 'utf8')).vectors;
}

function bytesOf(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const same = (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);

// Why a vector's verdict differs, or null when it agrees.
export async function disagreement(webhooks, vector) {
  const options = { maxAgeSeconds: vector.max_age_seconds, maxBody: vector.max_body, now: Date.parse(vector.now) };
  const expect = vector.expect;
  let webhook;
  try {
    webhook = await webhooks.verify(bytesOf(vector.body_base64), vector.secrets, options);
  } catch (error) {
    if (!(error instanceof webhooks.WebhookError)) return `threw ${error?.stack ?? error}`;
    if (expect.valid) return `refused (${error.code}: ${error.message}), expected valid`;
    if (error.code !== expect.error) return `refused with ${error.code} (${error.message}), expected ${expect.error}`;
    if (error.status !== (error.code === 'too-large' ? 413 : 400)) return `status ${error.status} for ${error.code}`;
    return null;
  }
  if (!expect.valid) return `accepted, expected ${expect.error}`;
  const differs = [];
  if (!same(webhook.raw, new TextEncoder().encode(expect.payload))) differs.push('payload bytes');
  if (webhook.deliveryKey !== expect.delivery_key) differs.push(`key ${webhook.deliveryKey}, expected ${expect.delivery_key}`);
  if (webhook.secretIndex !== expect.secret_index) differs.push(`secret ${webhook.secretIndex}, expected ${expect.secret_index}`);
  if (webhook.encoding !== expect.encoding) differs.push(`encoding ${webhook.encoding}, expected ${expect.encoding}`);
  if (webhook.event !== expect.event) differs.push(`event ${webhook.event}, expected ${expect.event}`);
  return differs.length ? differs.join('; ') : null;
}

export async function keyDisagreement(webhooks, vector) {
  const key = await webhooks.deliveryKey(vector.payload);
  const fromBytes = await webhooks.deliveryKey(new TextEncoder().encode(vector.payload));
  if (key !== vector.key) return `key ${key}, expected ${vector.key}`;
  if (fromBytes !== vector.key) return `key of the bytes ${fromBytes}, expected ${vector.key}`;
  return null;
}

// As a script: every vector through the build this runtime's conditions pick.
if (import.meta.main || (globalThis.process?.argv?.[1] ?? '').endsWith('vectors.mjs')) {
  const webhooks = await import('@gpwh/webhooks');
  const resolved = import.meta.resolve('@gpwh/webhooks');
  const runtime = globalThis.Bun ? `bun ${globalThis.Bun.version}` : globalThis.Deno ? 'deno' : `node ${process.version}`;
  console.log(`# ${runtime}: @gpwh/webhooks is ${resolved.slice(resolved.lastIndexOf('/') + 1)}`);
  let pass = 0;
  let fail = 0;
  const expected = process.env.EXPECT_BUILD;
  const builds = expected === undefined || resolved.endsWith(`/${expected}`);
  console.log(`${builds ? 'ok' : 'not ok'} - the export condition picks ${expected ?? 'a build'}`);
  builds ? pass++ : fail++;
  for (const [file, judge] of [['vectors.json', disagreement], ['delivery-keys.json', keyDisagreement]]) {
    for (const vector of load(file)) {
      const why = await judge(webhooks, vector);
      if (why === null) {
        pass++;
        console.log(`ok - ${file}: ${vector.name}`);
      } else {
        fail++;
        console.log(`not ok - ${file}: ${vector.name}: ${why}`);
      }
    }
  }
  console.log(`# pass ${pass}`);
  console.log(`# fail ${fail}`);
  process.exitCode = fail ? 1 : 0;
}
