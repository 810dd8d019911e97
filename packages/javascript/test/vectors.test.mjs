// Every conformance vector, through the build Node's conditions pick: run
// plainly, the node:crypto one; with `node --conditions=worker`, the
// WebCrypto one (test.sh runs both). EXPECT_BUILD names the file expected.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as webhooks from '@gpwh/webhooks';

import { disagreement, keyDisagreement, load } from './vectors.mjs';

const build = import.meta.resolve('@gpwh/webhooks').split('/').pop();

test(`the export condition picks ${process.env.EXPECT_BUILD ?? build}`, () => {
  assert.equal(build, process.env.EXPECT_BUILD ?? build);
});

for (const vector of load('vectors.json')) {
  test(`${build}: ${vector.name}`, async () => {
    assert.equal(await disagreement(webhooks, vector), null);
  });
}

for (const vector of load('delivery-keys.json')) {
  test(`${build}: delivery key: ${vector.name}`, async () => {
    assert.equal(await keyDisagreement(webhooks, vector), null);
  });
}
