// The plain Node.js receiver that bench/listen-load.sh puts beside gpwh
// listen: node:http, no framework, the vendor's recipe (webhooks.txt) with
// its digest finished (.digest('hex')). 200 for a valid body, 400 otherwise.
//
//     GPWH_SECRET=... node bench/node-receiver.mjs    # prints its address
import crypto from 'node:crypto';
import { createServer } from 'node:http';

const secretKey = process.env.GPWH_SECRET;

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const [base64payload, signature] = body.split('.');
    const signData = `${base64payload}_${secretKey}`;
    const hash = crypto.createHash('sha256').update(signData).digest('hex');
    if (hash !== signature) {
      res.writeHead(400);
      res.end('Bad request');
      return;
    }
    const payload = JSON.parse(atob(base64payload));
    res.writeHead(payload.event ? 200 : 400);
    res.end(payload.event ? 'OK' : 'no event');
  });
});
server.listen(0, '127.0.0.1', () => {
  const { address, port } = server.address();
  console.error(`listening on http://${address}:${port}`);
});
