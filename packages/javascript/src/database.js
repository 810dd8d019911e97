// @gpwh/webhooks/database: a store on the database a URL names, the form
// gpwh's recipes read from DATABASE_URL, so that a server is a dozen lines.
// better-sqlite3 and pg are loaded only when the URL asks for them: install
// the one you use.
//
//   unset or empty                  SQLite in ./gamepush.sqlite3
//   sqlite:PATH                     SQLite in the file PATH
//   postgres://user:pw@host:5432/db PostgreSQL (postgresql:// too)

import { LOCK_WAIT_MS, postgresStore, sqliteStore } from './stores.js';

/**
 * The URL is none of the forms above. The message never holds the URL,
 * which may hold a password.
 */
export class DatabaseUrlError extends Error {
  constructor() {
    super('DATABASE_URL must be unset or empty (SQLite in ./gamepush.sqlite3), sqlite:PATH '
      + '(SQLite in the file PATH) or postgres://user:password@host:5432/database '
      + '(PostgreSQL; postgresql:// too)');
    this.name = 'DatabaseUrlError';
  }
}

/**
 * Opens the database `url` names and creates gamepush_deliveries (and
 * `schema`, SQL of your own tables, in the same transaction) where missing.
 * Resolves to a store, with close(). Rejects with DatabaseUrlError for a URL
 * of no known form, and with an Error saying why (never the URL) when the
 * database cannot be opened.
 */
export async function openStore(url = '', { schema = '' } = {}) {
  let open;
  if (!url) {
    open = () => openSqlite('gamepush.sqlite3', schema);
  } else if (url.startsWith('sqlite:') && url.length > 'sqlite:'.length) {
    open = () => openSqlite(url.slice('sqlite:'.length), schema);
  } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    open = () => openPostgres(url, schema);
  } else {
    throw new DatabaseUrlError();
  }
  try {
    return await open();
  } catch (error) {
    const text = String(error?.message || error?.code || error).split('\n')[0].slice(0, 300);
    throw new Error(`cannot open the database: ${text.split(url).join('DATABASE_URL')}`, { cause: error });
  }
}

async function openSqlite(path, schema) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path, { timeout: LOCK_WAIT_MS });
  try {
    // Wait up to 5 s for another connection's write lock; WAL, so that
    // readers and the writer do not block each other.
    db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    db.pragma('journal_mode = WAL');
    const store = sqliteStore(db, { schema });
    return { ...store, db, close: async () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

async function openPostgres(url, schema) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    // Wait at most 5 s for a connection (the server down or unreachable,
    // or every pooled connection busy).
    connectionTimeoutMillis: LOCK_WAIT_MS,
  });
  // A pooled connection that fails while idle (the server restarted) is
  // dropped, and must not take the process down: the next delivery gets
  // a new one.
  pool.on('error', () => {});
  const store = postgresStore(pool, { schema });
  try {
    await store.ready();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return { ...store, pool, close: () => pool.end() };
}
