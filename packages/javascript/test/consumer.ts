// A TypeScript program using the package as a user would; `tsc --noEmit`
// (test.sh) must accept it, and must refuse the line marked below.

import { fetchHandler, nodeHandler, receive, sign, sqliteStore, verify, WebhookError } from '@gpwh/webhooks';
import type { ErrorCode, Outcome, Payload, Transaction, Webhook } from '@gpwh/webhooks';
import { openStore } from '@gpwh/webhooks/database';

declare const env: Record<string, string | undefined>;

export async function check(body: Uint8Array): Promise<number | string | null> {
  try {
    const webhook: Webhook = await verify(body, [env.OLD ?? '', 'secret'], { maxAgeSeconds: 3600, now: new Date() });
    const key: string = webhook.deliveryKey;
    if (webhook.event === 'PurchasePlayerPurchase') {
      // Narrowed by event: the purchase's result.
      const id: string | undefined = webhook.payload.result.purchase?._id;
      return id ?? key;
    }
    if (webhook.payload.event === 'GivePlayerReward') {
      const reward: number = webhook.payload.result.rewardId;
      const player: number = webhook.payload.player.id;
      return reward + player;
    }
    // @ts-expect-error: a reward's result is not a purchase's, unless narrowed to one
    return webhook.payload.result.purchase;
  } catch (error) {
    if (error instanceof WebhookError) {
      const code: ErrorCode = error.code;
      const status: 400 | 413 = error.status;
      return `${code} ${status}`;
    }
    throw error;
  }
}

export async function serve(db: { prepare(sql: string): unknown; exec(sql: string): unknown; inTransaction: boolean }) {
  const store = sqliteStore(db, { schema: 'CREATE TABLE IF NOT EXISTS coins (player BIGINT, n BIGINT);' });
  const handle = async (payload: Payload, tx: Transaction) => {
    if (payload.event === 'GivePlayerReward') {
      await tx.run('INSERT INTO coins (player, n) VALUES (?, ?)', [payload.player.id, payload.result.countTotal]);
    }
  };
  const outcome: Outcome = await receive(new Uint8Array(), { secrets: 'secret', store, handle });
  const onFetch: (request: Request) => Promise<Response> = fetchHandler({ secrets: 'secret', store, handle });
  const onNode = nodeHandler({ secrets: 'secret', store: await openStore(env.DATABASE_URL), handle, onOutcome: (o) => console.error(o.text) });
  const body: string = await sign({ event: 'GetPlayer' }, 'secret', { encoding: 'base64' });
  return [outcome.outcome, onFetch, onNode, body];
}
