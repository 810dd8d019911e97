// Types of @gpwh/webhooks: the same for every build (node:crypto and
// WebCrypto). The payload types come from events.d.ts, generated from gpwh's
// event catalog.

import type { Payload } from './events.js';

export type * from './events.js';

/** The largest body accepted by default, in bytes (1 MiB). */
export declare const MAX_BODY: number;
/** How old a body may be by default, in seconds (72 hours). */
export declare const MAX_AGE_SECONDS: number;
/** How long a store waits for a lock before failing, in milliseconds (5 s). */
export declare const LOCK_WAIT_MS: number;

/** Why a body was refused: gpwh's error codes. */
export type ErrorCode =
  | 'too-large'
  | 'empty-body'
  | 'no-signature'
  | 'empty-payload'
  | 'payload-not-base64'
  | 'payload-not-json'
  | 'payload-not-object'
  | 'signature-format'
  | 'signature-mismatch'
  | 'stale'
  | 'time-missing'
  | 'time-format';

/** A body refused. The message never holds a secret. */
export declare class WebhookError extends Error {
  readonly name: 'WebhookError';
  readonly code: ErrorCode;
  /** 413 for too-large, 400 for every other code. */
  readonly status: 400 | 413;
}

/** Raw bytes, exactly as received. */
export type Body = Uint8Array | ArrayBuffer | ArrayBufferView;
/** The project's secret key, or several (tried in order, for rotation). */
export type Secrets = string | Uint8Array | ReadonlyArray<string | Uint8Array>;

export interface VerifyOptions {
  /** How old a body may be, in seconds; null: `time` is not looked at. Default 259200 (72 hours). */
  maxAgeSeconds?: number | null;
  /** The largest body, in bytes. Default 1048576 (1 MiB). */
  maxBody?: number;
  /** The clock: a Date, or milliseconds since the epoch. Default: now. */
  now?: Date | number;
}

interface WebhookOf<P> {
  /** The payload, parsed. */
  readonly payload: P;
  /** payload.event when it is a string, else null. */
  readonly event: P extends { event: infer E } ? E : string | null;
  /** payload.time when it is a string, else null. */
  readonly time: string | null;
  /** What makes this delivery the same delivery again: `EVENT:ID` for a purchase, else `sha256:HEX`. */
  readonly deliveryKey: string;
  /** The decoded payload: the JSON bytes exactly as GamePush encoded them. */
  readonly raw: Uint8Array;
  /** Which of the secrets signed it (0-based). */
  readonly secretIndex: number;
  /** How the digest was written. */
  readonly encoding: 'hex' | 'base64';
  toJSON(): object;
}

/** A verified webhook: check `event` and `payload` narrows with it. */
export type Webhook<P = Payload> = P extends unknown ? WebhookOf<P> : never;
export declare const Webhook: { readonly prototype: object };

/** Verifies a body exactly as received; rejects with a WebhookError. */
export declare function verify<P = Payload>(body: Body, secrets: Secrets, options?: VerifyOptions): Promise<Webhook<P>>;

/** Signs a payload as GamePush does (BASE64(JSON) "." digest): for tests. */
export declare function sign(
  payload: object | string | Uint8Array,
  secret: string | Uint8Array,
  options?: { encoding?: 'hex' | 'base64' },
): Promise<string>;

/** The delivery key of a decoded payload: JSON text, or its bytes (webhook.raw). */
export declare function deliveryKey(payload: string | Uint8Array | ArrayBuffer, parsed?: unknown): Promise<string>;

/** The transaction a delivery is handled in: write your effect through it. */
export interface Transaction {
  /** The delivery's key, as stored in gamepush_deliveries. */
  readonly key: string;
  /** Runs a statement; `?` marks each parameter, on SQLite and PostgreSQL alike. */
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
  /** Runs a query and resolves to its rows. */
  all<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** Where delivery keys live. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres' | string;
  /** Resolves once gamepush_deliveries exists. */
  ready(): Promise<void>;
  /** Runs work(tx) once per key, in the transaction that records it: true when it ran, false for a repeat. */
  once(key: string, work: (tx: Transaction) => unknown | Promise<unknown>): Promise<boolean>;
}

export interface StoreOptions {
  /** SQL creating your own tables, run with gamepush_deliveries' creation. */
  schema?: string;
  /** How long to wait for a lock, in milliseconds. Default 5000. */
  lockWaitMs?: number;
}

/** The parts of a better-sqlite3 Database a store uses. */
export interface SqliteDatabase {
  prepare(sql: string): unknown;
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

/** The parts of a pg Pool a store uses. */
export interface PostgresPool {
  connect(): Promise<unknown>;
}

/** A store on SQLite through the better-sqlite3 Database you opened. */
export declare function sqliteStore(db: SqliteDatabase, options?: StoreOptions): Store;
/** A store on PostgreSQL through the pg Pool you created. */
export declare function postgresStore(pool: PostgresPool, options?: StoreOptions): Store;

export type Handle<P = Payload> = (payload: P, tx: Transaction, webhook: Webhook<P>) => unknown | Promise<unknown>;

export interface ReceiveOptions<P = Payload> extends VerifyOptions {
  secrets: Secrets;
  /** Runs your effect once per delivery. Without a store, handle runs for every delivery, repeats too (and tx is null). */
  handle: Handle<P>;
  store?: Store | null;
}

/** What to answer, and what happened. */
export interface Outcome {
  status: number;
  /** The answer's text: 'ok', 'already handled', 'handler failed', or why the body was refused. */
  text: string;
  /** The delivery key, once the body is verified. */
  key?: string;
  outcome: 'handled' | 'repeat' | 'refused' | 'failed';
  /** The refusal (a WebhookError) or the failure. */
  error?: unknown;
}

/** Verifies a body and hands a genuine delivery to handle, once per delivery key. */
export declare function receive<P = Payload>(body: Body, options: ReceiveOptions<P>): Promise<Outcome>;

export interface HandlerOptions<P = Payload> extends ReceiveOptions<P> {
  /** Told every outcome, for your log: describeOutcome(outcome) is its line. */
  onOutcome?: (outcome: Outcome) => void;
}

/** A Fetch-API handler: Hono, Next.js route handlers, Workers, Deno.serve, Bun.serve. */
export declare function fetchHandler<P = Payload>(options: HandlerOptions<P>): (request: Request) => Promise<Response>;

/** The parts of node:http's IncomingMessage the handler reads. */
export interface NodeRequest {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  readonly readableEnded: boolean;
  /** A Buffer left by express.raw(); a parsed body is refused. */
  body?: unknown;
  readonly socket?: { readonly destroyed: boolean; destroy(): unknown; once(event: 'close', listener: () => void): unknown } | null;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  resume(): unknown;
}

/** The parts of node:http's ServerResponse the handler writes. */
export interface NodeResponse {
  readonly headersSent: boolean;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(text?: string): unknown;
  once(event: 'finish', listener: () => void): unknown;
}

/** A node:http handler, also for Express and Connect. */
export declare function nodeHandler<P = Payload>(options: HandlerOptions<P>): (req: NodeRequest, res: NodeResponse) => void;

/** The line to log for an outcome, such as `delivery KEY: handled`. */
export declare function describeOutcome(outcome: Outcome): string;
