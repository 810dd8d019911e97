// From a verified body to an answer: receive() hands each genuine delivery
// to your code once, through a store (src/stores.js), and the two handlers
// read the raw body from a Fetch Request or a node:http request, with the
// size limit, and answer with what receive() says. Written once for every
// runtime: each build gives it its own verify().

import { MAX_BODY, WebhookError, inert, tooLarge } from './core.js';

export function makeReceiving(verify) {
  // Judges a raw body and hands a genuine one to handle(payload, tx,
  // webhook), once per delivery key, inside the transaction that records
  // the key. Resolves to the answer: 200 for a delivery handled now or
  // before (a repeat is answered 2xx: it was handled, and a 4xx or 5xx
  // would only make GamePush send it again, forever); 400 or 413 for a body
  // that is not a genuine, fresh webhook, before the store is touched; 500
  // when handle or the database fails, with everything rolled back, so that
  // a repeat runs it again.
  async function receive(body, options) {
    const { secrets, store, handle } = options ?? {};
    if (typeof handle !== 'function') {
      throw new TypeError('receive needs handle(payload, tx): the function that acts on a delivery');
    }
    if (store !== undefined && store !== null && typeof store.once !== 'function') {
      throw new TypeError('store is not a store: pass sqliteStore(db) or postgresStore(pool), or leave it out');
    }
    let webhook;
    try {
      webhook = await verify(body, secrets, options);
    } catch (error) {
      if (error instanceof WebhookError) return refused(error);
      throw error;
    }
    const key = webhook.deliveryKey;
    if (store === undefined || store === null) {
      // No store: every delivery is handled, repeats included.
      try {
        await handle(webhook.payload, null, webhook);
      } catch (error) {
        return { status: 500, text: 'handler failed', key, outcome: 'failed', error };
      }
      return { status: 200, text: 'ok', key, outcome: 'handled' };
    }
    let handled;
    try {
      handled = await store.once(key, (tx) => handle(webhook.payload, tx, webhook));
    } catch (error) {
      return { status: 500, text: 'handler failed', key, outcome: 'failed', error };
    }
    if (!handled) return { status: 200, text: 'already handled', key, outcome: 'repeat' };
    return { status: 200, text: 'ok', key, outcome: 'handled' };
  }

  // A handler for Fetch-API servers (Hono, Next.js route handlers,
  // Cloudflare Workers, Deno.serve, Bun.serve): a Request in, a Response out.
  function fetchHandler(options) {
    const maxBody = limitOf(options);
    return async (request) => {
      if (request.method !== 'POST') return reply(answerOnly(405, 'POST only'), { allow: 'POST' });
      let outcome;
      try {
        const body = await readRequest(request, maxBody);
        outcome = body === null ? refused(tooLarge(maxBody)) : await receive(body, options);
      } catch (error) {
        outcome = { status: 500, text: 'internal error', outcome: 'failed', error };
      }
      report(options, outcome);
      return reply(outcome);
    };
  }

  // A handler for node:http and what builds on it (Express, Connect): reads
  // the raw body itself, with the size limit, or takes the Buffer that
  // express.raw() left in req.body; refuses with 500 when a body parser
  // such as express.json() already turned the body into something else.
  function nodeHandler(options) {
    const maxBody = limitOf(options);
    return (req, res) => {
      const done = (outcome, headers) => {
        report(options, outcome);
        answer(res, outcome, headers);
      };
      if (req.method !== 'POST') {
        answer(res, answerOnly(405, 'POST only'), { Allow: 'POST' });
        return;
      }
      const given = req.body;
      if (given instanceof Uint8Array) {
        receive(given, options).then(done, (error) => done(internal(error)));
        return;
      }
      if (given !== undefined && given !== null) {
        done(internal(new TypeError(`the body was parsed before the webhook handler (req.body is ${
          typeof given === 'string' ? 'a string' : 'an object'}), and the bytes GamePush signed are `
          + 'gone: mount the handler before express.json() and other body parsers, or give it '
          + "express.raw({ type: () => true }) on its own route"), true));
        return;
      }
      if (req.readableEnded) {
        done(internal(new TypeError('the body was read before the webhook handler, and not left in '
          + 'req.body as a Buffer: mount the handler before anything that reads the body'), true));
        return;
      }
      const tooBig = () => {
        // Answer now, then close the connection rather than read the rest.
        const outcome = refused(tooLarge(maxBody));
        report(options, outcome);
        res.once('finish', () => linger(req));
        answer(res, outcome);
      };
      const declared = req.headers['content-length'];
      if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBody) {
        tooBig();
        return;
      }
      const chunks = [];
      let size = 0;
      let over = false;
      req.on('data', (chunk) => {
        if (over) return;
        size += chunk.length;
        if (size > maxBody) {
          over = true;
          chunks.length = 0;
          tooBig();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (over || res.headersSent) return;
        receive(concat(chunks, size), options).then(done, (error) => done(internal(error)));
      });
    };
  }

  return { receive, fetchHandler, nodeHandler };
}

// The line to log for an outcome: `delivery KEY: handled`, `delivery KEY: a
// repeat, answered without handling it again`, `delivery KEY: not handled:
// REASON`, or `body refused (STATUS): WHY`.
export function describeOutcome(outcome) {
  const { key, error } = outcome;
  switch (outcome.outcome) {
    case 'handled': return `delivery ${key}: handled`;
    case 'repeat': return `delivery ${key}: a repeat, answered without handling it again`;
    case 'refused': return `body refused (${outcome.status}): ${inert(outcome.text)}`;
    default: return `${key ? `delivery ${key}: ` : ''}not handled: ${reason(error)}`;
  }
}

// An error as a short line for a log.
function reason(error) {
  if (error === undefined) return 'failed';
  const text = error instanceof Error ? error.message || error.code || error.name : String(error);
  // A handler's or database's error may quote what came off the wire.
  return inert(String(text).split(/[\r\n]/)[0].slice(0, 300));
}

function refused(error) {
  return { status: error.status, text: error.message, outcome: 'refused', error };
}

// A failure of the server, not of the body: 500. Only a mistake in how the
// handler is mounted is said in the answer, for the developer trying it.
function internal(error, say = false) {
  return { status: 500, text: say ? error.message : 'internal error', outcome: 'failed', error };
}

function answerOnly(status, text) {
  return { status, text };
}

function limitOf(options) {
  const maxBody = options?.maxBody ?? MAX_BODY;
  if (!Number.isSafeInteger(maxBody) || maxBody < 0) {
    throw new TypeError(`maxBody is ${String(maxBody)}: pass a whole number of bytes`);
  }
  return maxBody;
}

function report(options, outcome) {
  if (typeof options?.onOutcome === 'function') options.onOutcome(outcome);
}

// The body, or null when it is longer than maxBody (read no further).
async function readRequest(request, maxBody) {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBody) return null;
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBody) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

// After a 413, the connection is closed, but not at once: a socket closed
// with bytes of the request unread sends a reset, and the client may lose
// the answer with it. It reads (and drops) what comes for up to a second
// and 1 MiB, time for the client to read the answer and stop sending.
function linger(req) {
  const socket = req.socket;
  if (!socket || socket.destroyed) return;
  let dropped = 0;
  const close = () => socket.destroy();
  const timer = setTimeout(close, 1000);
  socket.once('close', () => clearTimeout(timer));
  req.on('data', (chunk) => {
    dropped += chunk.length;
    if (dropped > 1 << 20) close();
  });
  req.resume();
}

function concat(chunks, size) {
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

function reply(outcome, headers = {}) {
  return new Response(`${outcome.text}\n`, {
    status: outcome.status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  });
}

function answer(res, outcome, headers = {}) {
  if (res.headersSent) return;
  res.writeHead(outcome.status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${outcome.text}\n`);
}
