// The classic mistake, for the tests of the Express recipe: an Express app
// with app.use(express.json()) in front, as most have it, and a webhook
// route that verifies what express.json() left in req.body. GamePush's body
// is base64 "." signature, not JSON: express.json() refuses it with 400
// when it is labelled application/json, and skips it otherwise, leaving no
// body at all. Either way the exact bytes that were signed are gone, and
// `gpwh probe` must fail the valid body.
//
// Express is loaded from examples/receivers/express/ (after its `npm ci`);
// GPWH_SECRET and PORT as for the recipe.

import { createRequire } from 'node:module';

const recipe = new URL('../../examples/receivers/express/package.json', import.meta.url);
const express = createRequire(recipe)('express');
const { verify } = createRequire(recipe)('@gpwh/webhooks');

const secret = process.env.GPWH_SECRET;
const app = express();
app.use(express.json());
app.post('/webhooks/gamepush', async (req, res) => {
  // What such code does: make bytes again out of what was parsed.
  const raw = Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? ''));
  try {
    await verify(raw, secret);
  } catch (error) {
    return res.status(error.status ?? 500).type('text/plain').send(error.message + '\n');
  }
  res.type('text/plain').send('ok\n');
});
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { address, port } = server.address();
  console.error(`listening on http://${address}:${port}`);
});
