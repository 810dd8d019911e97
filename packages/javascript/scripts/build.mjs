// The CommonJS build and its types, for `require`: dist/*.cjs bundled from
// the ES modules in src/ by esbuild, dist/*.d.cts copied from src/*.d.ts;
// and LICENSE from the repository's root. npm runs it before packing.

import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);

const common = { bundle: true, format: 'cjs', target: 'node18', logLevel: 'warning', legalComments: 'none' };
await build({ ...common, entryPoints: [join(root, 'src/node.js')], outfile: join(dist, 'node.cjs'), platform: 'node' });
await build({ ...common, entryPoints: [join(root, 'src/web.js')], outfile: join(dist, 'web.cjs'), platform: 'neutral' });
await build({
  ...common,
  entryPoints: [join(root, 'src/database.js')],
  outfile: join(dist, 'database.cjs'),
  platform: 'node',
  external: ['better-sqlite3', 'pg'],
});

// The same declarations, read as CommonJS ones.
for (const name of ['index', 'events', 'database']) {
  const text = readFileSync(join(root, `src/${name}.d.ts`), 'utf8')
    .replace(/from '\.\/(index|events)\.js'/g, "from './$1.cjs'");
  writeFileSync(join(dist, `${name}.d.cts`), text);
}

const license = join(root, '..', '..', 'LICENSE');
copyFileSync(license, join(root, 'LICENSE'));
