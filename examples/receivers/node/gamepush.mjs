// Receiving GamePush webhooks in JavaScript: checkBody says whether a body
// is a genuine, fresh webhook, deliveryKey says which delivery it is, and
// receive hands each genuine delivery to your code once, inside a database
// transaction that records its key. Copy this file into your project as it
// is; every recipe in examples/receivers/ that runs on Node.js uses the same
// one, and only the code that hands it the raw body differs.
//
// The database is the one DATABASE_URL names (openDeliveries): unset or
// empty, SQLite in the file gamepush.sqlite3 of the working directory;
// sqlite:PATH, SQLite in the file PATH; postgres://user:password@host:5432/db
// (or postgresql://), PostgreSQL. SQLite needs the package better-sqlite3,
// PostgreSQL the package pg; each is loaded only when it is used.
//
// What is known, and what is not: the body is BASE64(JSON) "." SIGNATURE and
// the signature is SHA-256 over the first part, '_' and your secret key
// (documented). How the digest is written is not documented (lowercase hex
// is likely, base64 possible), nor whether or when GamePush sends a delivery
// again. So every way of writing the same 32 bytes is accepted, each
// delivery is acted on once, and the window on `time` is wide enough for
// any redelivery schedule. docs/exactly-once.md in gpwh's repository is the
// contract this file follows.

import { createHash, timingSafeEqual } from 'node:crypto';

// Webhooks are a few kilobytes; a larger body is not one, and reading it
// all would let anyone fill our memory.
export const MAX_BODY = 1 << 20;
// How old a body may be: 72 hours. `time` is when the operation happened,
// and a delivery sent again after your server was down most likely carries
// that time: a window of minutes would refuse it and lose the purchase.
// What stops a captured body replayed within the window is its delivery
// key in the database, not the window; the window bounds how long such a
// body is worth anything at all (and how long keys must be kept).
export const MAX_AGE_SECONDS = 72 * 60 * 60;
// A clock a little ahead of ours is not an attack.
const CLOCK_SKEW_MS = 60_000;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;
// A SHA-256 digest as 64 hex digits in either case, or as base64 in either
// alphabet, padded or not.
const HEX_DIGEST = /^[0-9a-f]{64}$/i;
const BASE64_DIGEST = /^(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$/;

// Judges a raw body (a Buffer, exactly as received). Returns { payload, json }
// for a genuine, fresh webhook (the parsed payload, and the decoded JSON
// bytes the signature covers), or { reason } to refuse it with a 4xx.
export function checkBody(raw, secret, maxAgeSeconds = MAX_AGE_SECONDS, now = Date.now()) {
  // Work on the bytes as received: turning them into a string first could
  // change them, and the signature covers the exact bytes.
  let start = 0;
  let end = raw.length;
  const isSpace = (b) => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
  while (start < end && isSpace(raw[start])) start++;
  while (end > start && isSpace(raw[end - 1])) end--;

  // BASE64(JSON) "." SIGNATURE. '.' is in no base64 alphabet, so the last
  // one is the separator.
  const dot = raw.subarray(start, end).lastIndexOf(0x2e);
  if (dot < 0) return { reason: 'no signature' };
  const payloadPart = raw.subarray(start, start + dot);
  const signature = raw.subarray(start + dot + 1, end).toString('latin1');

  // SHA-256 over the payload part exactly as received, '_', and the secret.
  // Note .digest(): the vendor's page compares the hash object itself,
  // which never equals a string, so its example refuses every webhook.
  const expected = createHash('sha256').update(payloadPart).update('_' + secret).digest();
  // The signature's 32 bytes, however they are written, compared in
  // constant time, so that the answer's timing does not reveal how much of
  // a forged signature was right.
  let received = null;
  if (HEX_DIGEST.test(signature)) received = Buffer.from(signature, 'hex');
  else if (BASE64_DIGEST.test(signature)) received = Buffer.from(signature, 'base64');
  if (received === null || received.length !== 32 || !timingSafeEqual(received, expected)) {
    return { reason: 'signature does not match' };
  }

  // Only now is the payload trusted enough to parse. Buffer.from skips bytes
  // that are not base64, so check the text first.
  const text = payloadPart.toString('latin1');
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    return { reason: 'payload is not base64' };
  }
  const json = Buffer.from(text, 'base64');
  let payload;
  try {
    payload = JSON.parse(json.toString('utf8'));
  } catch {
    return { reason: 'payload is not JSON' };
  }
  if (!isObject(payload)) return { reason: 'payload is not a JSON object' };

  // A captured body stays validly signed forever: the window bounds how
  // long a replay is possible at all.
  const time = typeof payload.time === 'string' && RFC3339.test(payload.time)
    ? Date.parse(payload.time) : NaN;
  if (Number.isNaN(time)) return { reason: 'payload has no RFC 3339 time' };
  if (now - time > maxAgeSeconds * 1000 || time - now > CLOCK_SKEW_MS) {
    return { reason: 'body is too old, or from the future' };
  }
  return { payload, json };
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Events that happen once per purchase, whichever body carries them. The
// subscription events may happen again for one purchase, so they are keyed
// on their payload.
const ONCE_PER_PURCHASE = new Set(['PurchasePlayerPurchase', 'ConsumePlayerPurchase']);
const MAX_ID_BYTES = 200;
// The bytes of an _id that stay as they are in a key; every other is %XX.
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

// What makes a delivery the same delivery again, from its decoded payload:
// `json`, the JSON bytes exactly as GamePush encoded them (a Buffer, or a
// string, taken as UTF-8), as checkBody returns them after the signature
// is verified; `payload` is the same parsed, when you have it.
//
// For a purchase, or its consumption, it is the event and the purchase's
// _id (`PurchasePlayerPurchase:65f1c0ffee`), whatever body carries it: a
// string of 1 to 200 bytes of UTF-8, percent-encoded, or a whole number up
// to 2^53 - 1 in decimal (777.0 is 777). For anything else, `sha256:` and
// the hex SHA-256 of the decoded payload. Never from the body as received:
// anyone can add whitespace to it or rewrite its digest without the key,
// but nobody can change the payload. Keys are printable ASCII, at most 623
// characters. docs/exactly-once.md defines them.
export function deliveryKey(json, payload = parseOrNull(json)) {
  const event = payload?.event;
  const purchase = isObject(payload) && isObject(payload.result) ? payload.result.purchase : null;
  const id = isObject(purchase) ? purchase._id : undefined;
  if (ONCE_PER_PURCHASE.has(event)) {
    // JSON.parse reads 777.0 and 7.77e2 as 777, and -0.0 as -0, which
    // String() writes as 0.
    if (Number.isSafeInteger(id)) return `${event}:${String(id)}`;
    // A string with half a UTF-16 surrogate pair ("\ud800") has no UTF-8
    // bytes of its own: it is keyed on the payload.
    if (typeof id === 'string' && id.isWellFormed()) {
      const bytes = Buffer.from(id, 'utf8');
      if (bytes.length >= 1 && bytes.length <= MAX_ID_BYTES) {
        let encoded = '';
        for (const byte of bytes) {
          const char = String.fromCharCode(byte);
          encoded += UNRESERVED.test(char)
            ? char : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
        }
        return `${event}:${encoded}`;
      }
    }
  }
  return 'sha256:' + createHash('sha256').update(json).digest('hex');
}

function parseOrNull(json) {
  try {
    return JSON.parse(Buffer.isBuffer(json) ? json.toString('utf8') : String(json));
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// The database: where the delivery keys live.
//
// What stops a delivery from acting twice (a repeat from GamePush, or a
// captured body replayed) is its key in the table gamepush_deliveries,
// where it is the primary key, inserted in the same transaction as your
// effect: the database refuses it the second time, and an insert of a key
// that another transaction is still inserting (another request, another
// instance) waits for that one to commit or roll back. Not a lookup before
// an insert: two deliveries at once would both see nothing and both grant.
// The effect and the key commit together or not at all, so a crash halfway
// loses nothing and grants nothing twice. Keep keys at least 72 hours (the
// window); older rows may be deleted.

// How long a delivery waits for a lock (SQLite's write lock, a key another
// transaction is inserting) or a connection before it fails with 500, so
// that GamePush sends it again rather than waiting on a stuck database.
const LOCK_WAIT_MS = 5_000;
// Taken while the tables are created on PostgreSQL, so that two instances
// starting at once do not trip over each other.
const CREATE_LOCK = 1735423848;

const SQLITE_TABLES = `
CREATE TABLE IF NOT EXISTS gamepush_deliveries (
    key        TEXT PRIMARY KEY,
    handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE IF NOT EXISTS grants (
    delivery_key TEXT NOT NULL,
    event        TEXT NOT NULL,
    player_id    INTEGER
);`;

const POSTGRES_TABLES = `
CREATE TABLE IF NOT EXISTS gamepush_deliveries (
    key        text PRIMARY KEY,
    handled_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS grants (
    delivery_key text NOT NULL,
    event        text NOT NULL,
    player_id    bigint
);`;

// No row inserted: the key was there, so the delivery was handled before.
const CLAIM = 'INSERT INTO gamepush_deliveries (key) VALUES (?) ON CONFLICT (key) DO NOTHING';

// DATABASE_URL is none of the forms below. The message never holds the URL,
// which may hold a password.
export class DatabaseUrlError extends Error {
  constructor() {
    super('DATABASE_URL must be unset or empty (SQLite in ./gamepush.sqlite3), sqlite:PATH '
      + '(SQLite in the file PATH) or postgres://user:password@host:5432/database '
      + '(PostgreSQL; postgresql:// too)');
    this.name = 'DatabaseUrlError';
  }
}

// Opens the database that `url` (DATABASE_URL's value) names, and creates
// the two tables where they are missing. Returns a store whose once(key,
// work) runs work(tx) in one transaction with the key claimed (see below).
// Throws DatabaseUrlError for a URL of no known form, and an Error saying
// why when the database cannot be opened.
export async function openDeliveries(url = '') {
  let open;
  if (!url) {
    open = () => SqliteDeliveries.open('gamepush.sqlite3');
  } else if (url.startsWith('sqlite:') && url.length > 'sqlite:'.length) {
    open = () => SqliteDeliveries.open(url.slice('sqlite:'.length));
  } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    open = () => PostgresDeliveries.open(url);
  } else {
    throw new DatabaseUrlError();
  }
  try {
    return await open();
  } catch (error) {
    throw new Error(`cannot open the database: ${reason(error)}`, { cause: error });
  }
}

// What work(tx) is given: the delivery's key, and run(sql, params) and
// all(sql, params) on its transaction, with ? marking each parameter on
// both databases. run resolves to { changes }, all to the rows.
//
// Both stores below do the same, in one transaction: insert the key; when
// it was there, roll back and resolve false (a repeat); else run work(tx),
// commit, and resolve true. When anything throws, they roll back, the key
// too, and throw, so that the delivery is answered 500 and its repeat runs
// it again.

// SQLite through better-sqlite3, which is synchronous: one connection, one
// transaction on it at a time.
class SqliteDeliveries {
  #db;
  #claim;
  #turn = Promise.resolve();

  constructor(db) {
    this.#db = db;
    this.#claim = db.prepare(CLAIM);
  }

  static async open(path) {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path, { timeout: LOCK_WAIT_MS });
    // Wait up to 5 s for another connection's write lock; WAL, so that
    // readers and the writer do not block each other.
    db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    db.pragma('journal_mode = WAL');
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(SQLITE_TABLES);
      db.exec('COMMIT');
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
    return new SqliteDeliveries(db);
  }

  once(key, work) {
    return this.#inTurn(async () => {
      const db = this.#db;
      // IMMEDIATE takes the write lock now (waiting up to busy_timeout, with
      // the event loop blocked meanwhile) instead of failing to upgrade a
      // read lock halfway through.
      db.exec('BEGIN IMMEDIATE');
      const tx = transaction(key, {
        run: (sql, params) => ({ changes: db.prepare(sql).run(...params).changes }),
        all: (sql, params) => db.prepare(sql).all(...params),
      });
      try {
        if (this.#claim.run(key).changes === 0) {
          db.exec('ROLLBACK');
          return false;
        }
        await work(tx);
        db.exec('COMMIT');
        return true;
      } finally {
        tx.end();
        if (db.inTransaction) db.exec('ROLLBACK');
      }
    });
  }

  // Runs fn once the transactions before it are done, which it waits for
  // at most 5 s: a second BEGIN on one connection would fail, and SQLite
  // has one writer anyway.
  async #inTurn(fn) {
    const before = this.#turn;
    let done;
    const mine = new Promise((resolve) => { done = resolve; });
    this.#turn = before.then(() => mine);
    try {
      let timer;
      const timeout = new Promise((resolve) => { timer = setTimeout(resolve, LOCK_WAIT_MS, false); });
      const ready = await Promise.race([before.then(() => true), timeout]);
      clearTimeout(timer);
      if (!ready) throw new Error(`database is locked: no turn within ${LOCK_WAIT_MS / 1000} s`);
      return await fn();
    } finally {
      done();
    }
  }
}

// PostgreSQL through pg: a pool, and a connection of it for each
// transaction, always given back.
class PostgresDeliveries {
  #pool;

  constructor(pool) {
    this.#pool = pool;
  }

  static async open(url) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: url,
      // Wait at most 5 s for a connection (the server down or
      // unreachable, or every pooled connection busy) and for a lock,
      // such as a key another transaction is inserting.
      connectionTimeoutMillis: LOCK_WAIT_MS,
      lock_timeout: LOCK_WAIT_MS,
    });
    // A pooled connection that fails while idle (the server restarted) is
    // dropped, and must not take the process down.
    pool.on('error', (error) => console.error(`database: an idle connection failed: ${reason(error)}`));
    const deliveries = new PostgresDeliveries(pool);
    try {
      await deliveries.#transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK]);
        await client.query(POSTGRES_TABLES);
      });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return deliveries;
  }

  async once(key, work) {
    return this.#transaction(async (client) => {
      const { rowCount } = await client.query(numbered(CLAIM), [key]);
      if (rowCount === 0) return false;
      const tx = transaction(key, {
        run: async (sql, params) => ({ changes: (await client.query(numbered(sql), params)).rowCount }),
        all: async (sql, params) => (await client.query(numbered(sql), params)).rows,
      });
      try {
        await work(tx);
      } finally {
        tx.end();
      }
      return true;
    });
  }

  // BEGIN, fn(client), then COMMIT when fn resolves true (or nothing),
  // else ROLLBACK.
  async #transaction(fn) {
    const client = await this.#pool.connect();
    // The server may drop the connection while it is ours, between two
    // queries: the next query fails, and the pool must not reuse it.
    let broken = false;
    const onError = () => { broken = true; };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const outcome = await fn(client);
      if (outcome === false) {
        await client.query('ROLLBACK');
        return false;
      }
      // A transaction where a statement failed (an error caught and ignored
      // in handle) answers COMMIT by rolling back: that is no success.
      const { command } = await client.query('COMMIT');
      if (command !== 'COMMIT') throw new Error('the transaction was rolled back at commit');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}

// The tx that work(tx) is given, which refuses to run anything once its
// transaction is over (a query not awaited in handle, say).
function transaction(key, { run, all }) {
  let over = false;
  const open = () => {
    if (over) throw new Error(`the transaction of delivery ${key} is over`);
  };
  return {
    key,
    run: async (sql, params = []) => { open(); return run(sql, params); },
    all: async (sql, params = []) => { open(); return all(sql, params); },
    end: () => { over = true; },
  };
}

// `?` to PostgreSQL's `$1`, `$2`, ...
function numbered(sql) {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

// An error as a short line for the log.
function reason(error) {
  const text = error instanceof Error ? error.message || error.code || error.name : String(error);
  return text.split('\n')[0].slice(0, 300);
}

// ---------------------------------------------------------------------------

// Judges a raw body and hands a genuine one to handle(payload, tx), once
// per delivery key, inside the transaction that records the key (tx: see
// transaction above; handle writes its effect with it). Logs
// `delivery KEY: handled` each time one commits. Returns the
// { status, text } to answer: 200 for a delivery handled now or before (a
// repeat is answered 2xx: it was handled, and a 4xx or 5xx would only make
// GamePush send it again, forever); 400 for a body that is not a genuine,
// fresh webhook (4xx, not 5xx: the body is at fault), before the database
// is touched; 500 when handle or the database fails, with everything rolled
// back, so that a repeat runs it again.
export async function receive(raw, { secret, maxAgeSeconds = MAX_AGE_SECONDS, deliveries, handle }) {
  const verdict = checkBody(raw, secret, maxAgeSeconds);
  if (verdict.reason) return { status: 400, text: verdict.reason };
  const key = deliveryKey(verdict.json, verdict.payload);
  let handled;
  try {
    handled = await deliveries.once(key, (tx) => handle(verdict.payload, tx));
  } catch (error) {
    console.error(`delivery ${key}: not handled: ${reason(error)}`);
    return { status: 500, text: 'handler failed' };
  }
  if (!handled) {
    console.error(`delivery ${key}: a repeat, answered without handling it again`);
    return { status: 200, text: 'already handled' };
  }
  console.error(`delivery ${key}: handled`);
  return { status: 200, text: 'ok' };
}
