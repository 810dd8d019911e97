// Where the delivery keys live: your own database, through the client you
// already have (a better-sqlite3 Database, a pg Pool). No driver is a
// dependency of this package.
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
// window); older rows may be deleted. docs/exactly-once.md in gpwh's
// repository is the contract.
//
// Each store's once(key, work) does the same, in one transaction: insert the
// key; when it was there, roll back and resolve false (a repeat); else run
// work(tx), commit, and resolve true. When anything throws, it rolls back,
// the key too, and rejects, so that the delivery is answered 500 and its
// repeat runs it again. tx is { key, run(sql, params), all(sql, params) },
// with ? marking each parameter on both databases; run resolves to
// { changes }, all to the rows.

// How long a delivery waits for a lock (SQLite's write lock, a key another
// transaction is inserting) before it fails with 500, so that GamePush
// sends it again rather than waiting on a stuck database.
export const LOCK_WAIT_MS = 5_000;
// Taken while the tables are created on PostgreSQL, so that two instances
// starting at once do not trip over each other.
const CREATE_LOCK = 1735423848;

const SQLITE_TABLE = `
CREATE TABLE IF NOT EXISTS gamepush_deliveries (
    key        TEXT PRIMARY KEY,
    handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);`;

const POSTGRES_TABLE = `
CREATE TABLE IF NOT EXISTS gamepush_deliveries (
    key        text PRIMARY KEY,
    handled_at timestamptz NOT NULL DEFAULT now()
);`;

// No row inserted: the key was there, so the delivery was handled before.
const CLAIM = 'INSERT INTO gamepush_deliveries (key) VALUES (?) ON CONFLICT (key) DO NOTHING';

/**
 * A store on SQLite through better-sqlite3 (synchronous: one transaction on
 * the connection at a time). Creates gamepush_deliveries when it is missing,
 * and `schema` (SQL of your own tables) with it, in one transaction.
 */
export function sqliteStore(db, { schema = '', lockWaitMs = LOCK_WAIT_MS } = {}) {
  if (!db || typeof db.prepare !== 'function' || typeof db.exec !== 'function') {
    throw new TypeError('sqliteStore takes a better-sqlite3 Database: new Database(path)');
  }
  // IMMEDIATE takes the write lock now (waiting up to the connection's
  // busy timeout) instead of failing to upgrade a read lock halfway.
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(SQLITE_TABLE + schema);
    db.exec('COMMIT');
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
  const claim = db.prepare(CLAIM);
  const statements = new Map();
  const prepared = (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      if (statements.size < 100) statements.set(sql, statement);
    }
    return statement;
  };
  let turn = Promise.resolve();

  // Runs fn once the transactions before it are done, which it waits for
  // at most lockWaitMs: a second BEGIN on one connection would fail, and
  // SQLite has one writer anyway.
  async function inTurn(fn) {
    const before = turn;
    let done;
    const mine = new Promise((resolve) => { done = resolve; });
    turn = before.then(() => mine);
    try {
      let timer;
      const timeout = new Promise((resolve) => { timer = setTimeout(resolve, lockWaitMs, false); });
      const ready = await Promise.race([before.then(() => true), timeout]);
      clearTimeout(timer);
      if (!ready) throw new Error(`database is locked: no turn within ${lockWaitMs / 1000} s`);
      return await fn();
    } finally {
      done();
    }
  }

  return {
    kind: 'sqlite',
    ready: async () => {},
    once: (key, work) => inTurn(async () => {
      db.exec('BEGIN IMMEDIATE');
      const tx = transaction(key, {
        run: (sql, params) => ({ changes: prepared(sql).run(...params).changes }),
        all: (sql, params) => prepared(sql).all(...params),
      });
      try {
        if (claim.run(key).changes === 0) {
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
    }),
  };
}

/**
 * A store on PostgreSQL through a pg Pool: a connection of it for each
 * transaction, always given back. Creates gamepush_deliveries (and
 * `schema`) before the first delivery, or when ready() is awaited.
 */
export function postgresStore(pool, { schema = '', lockWaitMs = LOCK_WAIT_MS } = {}) {
  if (!pool || typeof pool.connect !== 'function') {
    throw new TypeError('postgresStore takes a pg Pool: new pg.Pool({ connectionString })');
  }
  // Each transaction waits at most lockWaitMs for a lock.
  const begin = `BEGIN; SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockWaitMs))}`;

  // BEGIN, fn(client), then COMMIT when fn resolves anything but false,
  // else ROLLBACK.
  async function inTransaction(fn) {
    const client = await pool.connect();
    // The server may drop the connection while it is ours, between two
    // queries: the next query fails, and the pool must not reuse it.
    let broken = false;
    const onError = () => { broken = true; };
    client.on('error', onError);
    try {
      await client.query(begin);
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

  let created = null;
  const ready = () => {
    created ??= inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK]);
      await client.query(POSTGRES_TABLE + schema);
    }).then(() => {}, (error) => {
      created = null;
      throw error;
    });
    return created;
  };

  return {
    kind: 'postgres',
    ready,
    once: async (key, work) => {
      await ready();
      return inTransaction(async (client) => {
        const { rowCount } = await client.query(numbered(CLAIM), [key]);
        if (rowCount === 0) return false;
        const tx = transaction(key, {
          run: async (sql, params) => ({ changes: (await client.query(numbered(sql), params)).rowCount ?? 0 }),
          all: async (sql, params) => (await client.query(numbered(sql), params)).rows,
        });
        try {
          await work(tx);
        } finally {
          tx.end();
        }
        return true;
      });
    },
  };
}

// The tx that work(tx) is given, which refuses to run anything once its
// transaction is over (a query not awaited in handle, say).
function transaction(key, { run, all }) {
  let over = false;
  const open = () => {
    if (over) throw new Error(`the transaction of delivery ${key} is over: await every query in handle`);
  };
  const tx = {
    key,
    run: async (sql, params = []) => { open(); return run(sql, params); },
    all: async (sql, params = []) => { open(); return all(sql, params); },
  };
  Object.defineProperty(tx, 'end', { value: () => { over = true; }, enumerable: false });
  return tx;
}

// `?` to PostgreSQL's `$1`, `$2`, ...
function numbered(sql) {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
