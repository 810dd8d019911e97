// The stores on real databases: better-sqlite3 on a temporary file, and a
// PostgreSQL server of the test's own (test/postgres.mjs).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import Database from 'better-sqlite3';
import pg from 'pg';

import { postgresStore, sqliteStore } from '@gpwh/webhooks';
import { DatabaseUrlError, openStore } from '@gpwh/webhooks/database';

import { startPostgres } from './postgres.mjs';

const GRANTS = 'CREATE TABLE IF NOT EXISTS grants (delivery_key TEXT NOT NULL, n BIGINT);';
const folder = mkdtempSync(join(tmpdir(), 'gpwh-webhooks-sqlite-'));
after(() => rmSync(folder, { recursive: true, force: true }));

// What every store must do, given a way to count the rows of a table.
function behaves(name, open) {
  describe(name, () => {
    let store;
    let count;
    let close;
    before(async () => ({ store, count, close } = await open()));
    after(async () => close());

    test('runs work once per key, in the transaction that records the key', async () => {
      const grant = (tx) => tx.run('INSERT INTO grants (delivery_key, n) VALUES (?, ?)', [tx.key, 1]);
      assert.equal(await store.once('k1', grant), true);
      assert.equal(await store.once('k1', grant), false);
      assert.equal(await count('grants'), 1);
      assert.equal(await count('gamepush_deliveries'), 1);
      assert.deepEqual(await store.once('k2', async (tx) => {
        await grant(tx);
        assert.deepEqual((await tx.all('SELECT n FROM grants WHERE delivery_key = ?', ['k2'])).map((r) => Number(r.n)), [1]);
        assert.equal((await tx.run('UPDATE grants SET n = ? WHERE delivery_key = ?', [2, 'k2'])).changes, 1);
      }), true);
    });
    test('a failing effect rolls back the key too, and its repeat runs it', async () => {
      await assert.rejects(store.once('k3', async (tx) => {
        await tx.run('INSERT INTO grants (delivery_key, n) VALUES (?, ?)', [tx.key, 3]);
        throw new Error('no coins');
      }), /no coins/);
      assert.equal(await count('grants'), 2);
      assert.equal(await store.once('k3', () => {}), true);
    });
    test('tx refuses to run anything once its transaction is over', async () => {
      let kept;
      await store.once('k4', (tx) => { kept = tx; });
      await assert.rejects(kept.run('SELECT 1'), /transaction of delivery k4 is over/);
      await assert.rejects(kept.all('SELECT 1'), /is over/);
    });
    test('two deliveries of one key at once: one runs, the other is a repeat', async () => {
      let runs = 0;
      const slow = async (tx) => {
        runs++;
        await tx.run('INSERT INTO grants (delivery_key, n) VALUES (?, ?)', [tx.key, 5]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      };
      const results = await Promise.all([store.once('k5', slow), store.once('k5', slow), store.once('k6', slow)]);
      assert.deepEqual(results.sort(), [false, true, true]);
      assert.equal(runs, 2);
    });
  });
}

behaves('sqliteStore on better-sqlite3', async () => {
  const db = new Database(join(folder, 'store.sqlite3'));
  const store = sqliteStore(db, { schema: GRANTS });
  assert.equal(store.kind, 'sqlite');
  await store.ready();
  return { store, count: async (table) => db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n, close: () => db.close() };
});

let postgres;
before(async () => { postgres = await startPostgres(); });
after(() => postgres?.stop());

behaves('postgresStore on a pg Pool', async () => {
  const pool = new pg.Pool({ connectionString: postgres.url });
  const store = postgresStore(pool, { schema: GRANTS, lockWaitMs: 5000 });
  await store.ready();
  await store.ready();
  return {
    store,
    count: async (table) => Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
    close: () => pool.end(),
  };
});

describe('postgresStore: what only PostgreSQL does', () => {
  test('a statement that failed inside the effect, its error caught: COMMIT rolls back, and that is a failure', async () => {
    const pool = new pg.Pool({ connectionString: postgres.url });
    const store = postgresStore(pool);
    await assert.rejects(store.once('aborted', async (tx) => {
      await tx.run('SELECT 1 / 0').catch(() => {});
    }), /rolled back at commit/);
    assert.equal((await pool.query("SELECT count(*) AS n FROM gamepush_deliveries WHERE key = 'aborted'")).rows[0].n, '0');
    assert.equal(await store.once('aborted', () => {}), true);
    await pool.end();
  });
  test('a key another transaction holds: waits for it, then sees the repeat', async () => {
    const pool = new pg.Pool({ connectionString: postgres.url });
    const otherPool = new pg.Pool({ connectionString: postgres.url });
    const other = postgresStore(otherPool);
    const store = postgresStore(pool);
    let release;
    const holding = store.once('held', () => new Promise((resolve) => { release = resolve; }));
    while (release === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    const waiting = other.once('held', () => assert.fail('ran twice'));
    setTimeout(release, 300);
    assert.equal(await holding, true);
    assert.equal(await waiting, false);
    await pool.end();
    await otherPool.end();
  });
  test('a lock not had within lockWaitMs fails, and nothing is left', async () => {
    const pool = new pg.Pool({ connectionString: postgres.url });
    const store = postgresStore(pool);
    const impatient = postgresStore(pool, { lockWaitMs: 200 });
    let release;
    const holding = store.once('stuck', () => new Promise((resolve) => { release = resolve; }));
    while (release === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    await assert.rejects(impatient.once('stuck', () => {}), /lock timeout/);
    release();
    assert.equal(await holding, true);
    await pool.end();
  });
});

describe('openStore: the DATABASE_URL forms', () => {
  test('sqlite:PATH, with the demo table beside the keys', async () => {
    const path = join(folder, 'opened.sqlite3');
    const store = await openStore(`sqlite:${path}`, { schema: GRANTS });
    assert.equal(store.kind, 'sqlite');
    assert.equal(await store.once('a', (tx) => tx.run('INSERT INTO grants (delivery_key) VALUES (?)', [tx.key])), true);
    await store.close();
    const db = new Database(path);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.prepare('SELECT count(*) AS n FROM grants').get().n, 1);
    db.close();
  });
  test('unset: ./gamepush.sqlite3', async () => {
    const cwd = process.cwd();
    process.chdir(folder);
    try {
      const store = await openStore(undefined);
      await store.close();
    } finally {
      process.chdir(cwd);
    }
  });
  test('postgres:// and postgresql://', async () => {
    for (const url of [postgres.url, postgres.url.replace('postgres:', 'postgresql:')]) {
      const store = await openStore(url, { schema: GRANTS });
      assert.equal(store.kind, 'postgres');
      assert.equal(typeof await store.once(`url ${url}`, () => {}), 'boolean');
      await store.close();
    }
  });
  test('any other form: DatabaseUrlError, never the URL', async () => {
    await assert.rejects(openStore('mysql://game:pw-5ecret@127.0.0.1/game'), (error) => {
      assert.ok(error instanceof DatabaseUrlError);
      assert.ok(!error.message.includes('pw-5ecret'));
      assert.match(error.message, /DATABASE_URL/);
      return true;
    });
    await assert.rejects(openStore('sqlite:'), DatabaseUrlError);
  });
  test('a database that cannot be opened: why, never the URL', async () => {
    const url = 'postgres://game:pw-5ecret@127.0.0.1:1/game';
    await assert.rejects(openStore(url), (error) => {
      assert.match(error.message, /^cannot open the database: /);
      assert.ok(!error.message.includes('pw-5ecret'), error.message);
      return true;
    });
  });
});
