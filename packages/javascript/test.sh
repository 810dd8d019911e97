#!/usr/bin/env bash
# Every test of @gpwh/webhooks: the unit tests, the handlers, the stores on
# real SQLite and PostgreSQL, CommonJS, every conformance vector under
# Node.js with both builds (node:crypto, and WebCrypto through the `worker`
# condition), under Bun (its `bun` condition) and under Node.js 18, the types with tsc on a
# consumer file, `npm publish --dry-run`, and the packed tarball installed
# into a new project and imported both ways. Installs its tools itself from
# package-lock.json. Ends with one line, `N passed, N failed`; exits non-zero
# when anything failed. A missing tool is a failure, never a skip.

set -u
cd "$(dirname "$0")"
passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }
summary() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# npm ci, unless node_modules already holds what the lock file says: npm
# wrote node_modules/.package-lock.json after the lock last changed (npm ci
# would compile better-sqlite3 again, most of a minute).
installed=node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ package-lock.json -nt "$installed" ]; then
  if npm ci --no-audit --no-fund >"$scratch/npm-ci.log" 2>&1; then
    ok "npm ci"
  else
    cat "$scratch/npm-ci.log"
    not_ok "npm ci"
    summary
  fi
fi
if node scripts/build.mjs; then ok "the CommonJS build"; else not_ok "the CommonJS build"; summary; fi

# A node:test file's TAP output: its counts added to ours, its failures shown.
tap() {
  local name=$1
  shift
  local out="$scratch/tap.txt"
  "$@" >"$out" 2>&1
  local status=$?
  local pass fail
  pass=$(grep -E '^# pass [0-9]+$' "$out" | tail -1 | cut -d' ' -f3)
  fail=$(grep -E '^# fail [0-9]+$' "$out" | tail -1 | cut -d' ' -f3)
  if [ -z "$pass" ] || [ -z "$fail" ]; then
    cat "$out"
    not_ok "$name: no test summary (exit status $status)"
    return
  fi
  passed=$((passed + pass))
  failed=$((failed + fail))
  if [ "$fail" -ne 0 ] || [ "$status" -ne 0 ]; then
    grep -E -B2 -A25 '^ *not ok' "$out" | head -200
    [ "$fail" -eq 0 ] && not_ok "$name: exit status $status"
  fi
  echo "# $name: $pass passed, $fail failed"
}

for file in test/unit.test.mjs test/handlers.test.mjs test/stores.test.mjs test/require.test.cjs; do
  tap "$file" node --test-reporter=tap "$file"
done
tap "vectors, node:crypto build" env EXPECT_BUILD=node.js node --test-reporter=tap test/vectors.test.mjs
tap "vectors, WebCrypto build on Node.js" env EXPECT_BUILD=web.js node --conditions=worker --test-reporter=tap test/vectors.test.mjs
tap "vectors, Bun" env EXPECT_BUILD=web.js node_modules/.bin/bun test/vectors.mjs

# The oldest Node.js the package names (engines: >=18), pinned, from npm's
# node package into target/, as a user on it would run the package.
node18=../../target/node18/node_modules/.bin/node
if [ ! -x "$node18" ] || [ "$("$node18" --version)" != v18.20.8 ]; then
  npm install --prefix ../../target/node18 --no-audit --no-fund --silent node@18.20.8 >"$scratch/node18.log" 2>&1 \
    || { cat "$scratch/node18.log"; not_ok "Node.js 18 from npm"; }
fi
tap "vectors, Node.js 18, node:crypto build" env EXPECT_BUILD=node.js "$node18" --test-reporter=tap --test test/vectors.test.mjs
# better-sqlite3's native module here is built for this Node.js, not 18:
# the store's test is left to the runs above.
tap "CommonJS, Node.js 18" "$node18" --test-reporter=tap --test-name-pattern='node:crypto build' \
  --test test/require.test.cjs

if node_modules/.bin/tsc -p test/tsconfig.json; then
  ok "tsc --noEmit on test/consumer.ts and test/consumer-require.cts"
else
  not_ok "tsc --noEmit on test/consumer.ts and test/consumer-require.cts"
fi
# The line marked @ts-expect-error must be an error: without the mark, tsc fails.
sed 's|// @ts-expect-error.*||' test/consumer.ts >test/consumer-unmarked.ts
sed 's|consumer.ts|consumer-unmarked.ts|' test/tsconfig.json >test/tsconfig-unmarked.json
if node_modules/.bin/tsc -p test/tsconfig-unmarked.json >"$scratch/tsc.txt" 2>&1; then
  not_ok "tsc refuses the line marked @ts-expect-error"
elif grep -q "TS2339: Property 'purchase' does not exist" "$scratch/tsc.txt"; then
  ok "tsc refuses the line marked @ts-expect-error"
else
  cat "$scratch/tsc.txt"
  not_ok "tsc refuses the line marked @ts-expect-error, and only it"
fi
rm -f test/consumer-unmarked.ts test/tsconfig-unmarked.json

# npm publish --dry-run: no warning but the one about not being logged in,
# and exactly these files.
npm publish --dry-run >"$scratch/publish.txt" 2>&1
status=$?
warnings=$(grep -i 'warn' "$scratch/publish.txt" | grep -v 'requires you to be logged in')
files=$(sed -n 's/^npm notice [0-9.]\+k\?B \(.*\)$/\1/p' "$scratch/publish.txt" | sort | tr '\n' ' ')
expected="LICENSE README.md dist/database.cjs dist/database.d.cts dist/events.d.cts dist/index.d.cts dist/node.cjs dist/web.cjs package.json src/core.js src/database.d.ts src/database.js src/events.d.ts src/index.d.ts src/node.js src/receive.js src/stores.js src/web.js "
if [ "$status" -eq 0 ] && [ -z "$warnings" ] && [ "$files" = "$expected" ]; then
  ok "npm publish --dry-run"
else
  cat "$scratch/publish.txt"
  echo "files: $files"
  echo "expected: $expected"
  not_ok "npm publish --dry-run"
fi

# The tarball in a new project, imported as ESM and required as CommonJS.
if tarball=$(npm pack --silent --pack-destination "$scratch" 2>"$scratch/pack.txt") \
  && mkdir "$scratch/project" \
  && (cd "$scratch/project" && echo '{"name":"consumer","private":true}' >package.json \
    && npm install --no-audit --no-fund "$scratch/$tarball" >"$scratch/install.txt" 2>&1); then
  ok "npm install of the packed tarball into a new project"
  check='const body = await m.sign({ event: "GetPlayer", time: new Date().toISOString() }, "s");
    const w = await m.verify(new TextEncoder().encode(body), "s");
    if (w.event !== "GetPlayer" || !w.deliveryKey.startsWith("sha256:")) throw new Error("wrong webhook");'
  if (cd "$scratch/project" && node --input-type=module -e "import * as m from '@gpwh/webhooks'; $check"); then
    ok "the installed tarball, imported"
  else
    not_ok "the installed tarball, imported"
  fi
  if (cd "$scratch/project" && node -e "(async () => { const m = require('@gpwh/webhooks'); $check
      if (typeof require('@gpwh/webhooks/database').openStore !== 'function') throw new Error('no openStore');
    })().catch((e) => { console.error(e); process.exit(1); })"); then
    ok "the installed tarball, required"
  else
    not_ok "the installed tarball, required"
  fi
else
  cat "$scratch/pack.txt" "$scratch/install.txt" 2>/dev/null
  not_ok "npm install of the packed tarball into a new project"
fi

summary
