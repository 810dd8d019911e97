// A PostgreSQL server of the tests' own: initdb and pg_ctl on a temporary
// folder, listening on 127.0.0.1 and a free port only, with password-less
// access; stopped (and its folder removed) by stop().

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function bin() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => b - a) : [];
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error("PostgreSQL's initdb is needed (Debian's postgresql package)");
}

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPostgres() {
  const dir = bin();
  const folder = mkdtempSync(join(tmpdir(), 'gpwh-webhooks-pg-'));
  const data = join(folder, 'data');
  // PostgreSQL will not run as root: as root, its files belong to postgres.
  const root = process.getuid?.() === 0;
  if (root) execFileSync('chown', ['-R', 'postgres', folder]);
  const run = (program, args) => execFileSync(root ? 'runuser' : join(dir, program),
    root ? ['-u', 'postgres', '--', join(dir, program), ...args] : args, { stdio: 'pipe' });
  run('initdb', ['--auth=trust', '--username=postgres', '--encoding=UTF8', '-D', data]);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', join(folder, 'log'), '--wait', '--timeout=60', '--options',
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='${folder}'`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '--mode=immediate', 'stop']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

