// The types as a CommonJS TypeScript program sees them (dist/index.d.cts,
// through the `require` condition); checked by tsc with test/consumer.ts.

import webhooks = require('@gpwh/webhooks');
import database = require('@gpwh/webhooks/database');

export async function check(body: Uint8Array): Promise<string> {
  const webhook = await webhooks.verify(body, 'secret');
  if (webhook.event === 'ConsumePlayerPurchase') return webhook.payload.result.purchase?._id ?? '';
  const store: webhooks.Store = await database.openStore('sqlite:keys.sqlite3');
  return `${webhook.deliveryKey} ${store.kind}`;
}
