// Types of @gpwh/webhooks/database.

import type { Store } from './index.js';

/** DATABASE_URL is of no known form. The message never holds the URL. */
export declare class DatabaseUrlError extends Error {
  readonly name: 'DatabaseUrlError';
}

/** A store with the database it opened, to close at shutdown. */
export interface OpenedStore extends Store {
  close(): Promise<void>;
}

/**
 * Opens the database a URL names (unset or empty: SQLite in
 * ./gamepush.sqlite3; sqlite:PATH; postgres:// or postgresql://), with
 * better-sqlite3 or pg, whichever it needs, and creates gamepush_deliveries
 * and `schema` where missing.
 */
export declare function openStore(url?: string, options?: { schema?: string }): Promise<OpenedStore>;
