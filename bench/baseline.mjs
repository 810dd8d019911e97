// The vendor's JavaScript example (webhooks.txt), with its comparison fixed
// (.digest('hex')), run over captured bodies, one per line:
//
//     node bench/baseline.mjs SECRET < bodies.txt
import crypto from 'node:crypto';
import readline from 'node:readline';

const secretKey = process.argv[2];
let valid = 0;
let invalid = 0;
for await (const body of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!body) continue;
  const [base64payload, signature] = body.split('.');
  const signData = `${base64payload}_${secretKey}`;
  const hash = crypto.createHash('sha256').update(signData).digest('hex');
  if (hash !== signature) {
    invalid++;
    continue;
  }
  const payload = JSON.parse(atob(base64payload));
  if (payload.event) valid++;
}
console.error(`${valid + invalid} bodies: ${valid} valid, ${invalid} invalid`);
