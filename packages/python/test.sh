#!/usr/bin/env bash
# The tests of gpwh-webhooks (packages/python), as CI runs them: every unit
# test and conformance vector, the stores on a real SQLite file and a real
# PostgreSQL server, mypy --strict over the package and a consumer file,
# Python 3.8 syntax, the wheel and sdist built, installed into a fresh
# venv and checked by twine. It installs its pinned tools into a venv under
# target/ and ends with one line: "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/target/gpwh-webhooks-python
tools=$work/tools
# Pinned, so that a new release of a tool cannot change a verdict.
pins=(mypy==2.4.1 vermin==1.9.2 twine==7.0.0 flit_core==4.2.0 "psycopg[binary]==3.3.9"
      psycopg-pool==3.3.3 Django==5.2.19)
passed=0
failed=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

check() {  # check NAME COMMAND...: one check, its output shown when it fails
    local name=$1
    shift
    if "$@" > "$logs/out" 2>&1; then
        passed=$((passed + 1))
        echo "ok: $name"
    else
        failed=$((failed + 1))
        echo "FAILED: $name"
        sed 's/^/    /' "$logs/out"
    fi
}

install_tools() {
    if [ "$(cat "$tools/pins" 2>/dev/null)" != "${pins[*]}" ]; then
        rm -rf "$tools"
        python3 -m venv "$tools" &&
            "$tools/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}" &&
            echo "${pins[*]}" > "$tools/pins"
    fi
}

unit_tests() {
    PYTHONPATH="$here/src" "$tools/bin/python" "$here/tests/run.py" > "$logs/unit" 2>&1
    local status=$?
    local counts
    counts=$(grep -E '^unittest: [0-9]+ passed, [0-9]+ failed$' "$logs/unit" | tail -n 1)
    if [ -z "$counts" ]; then
        cat "$logs/unit"
        failed=$((failed + 1))
        echo "FAILED: unit tests (no count)"
        return
    fi
    local ok bad
    ok=$(echo "$counts" | sed -E 's/^unittest: ([0-9]+) passed, ([0-9]+) failed$/\1/')
    bad=$(echo "$counts" | sed -E 's/^unittest: ([0-9]+) passed, ([0-9]+) failed$/\2/')
    passed=$((passed + ok))
    failed=$((failed + bad))
    if [ "$status" -ne 0 ] || [ "$bad" -ne 0 ]; then
        sed 's/^/    /' "$logs/unit"
        [ "$bad" -eq 0 ] && failed=$((failed + 1))
    fi
    echo "unit tests: $ok passed, $bad failed"
}

consumer_fails_only_where_expected() {
    # mypy must report exactly one error, on the line marked EXPECTED.
    local line output
    line=$(grep -n 'EXPECTED' "$here/tests/consumer.py" | cut -d: -f1)
    output=$(cd "$here" && MYPYPATH=src "$tools/bin/mypy" --strict --no-incremental tests/consumer.py)
    echo "$output"
    [ "$(echo "$output" | grep -c ': error:')" -eq 1 ] &&
        echo "$output" | grep -q "^tests/consumer.py:$line: error: TypedDict \"PlayerReward\" has no key \"purchase\""
}

python38_syntax() {
    "$tools/bin/python" - "$here" <<'PY' && "$tools/bin/vermin" -t=3.8- --no-tips --violations \
        --eval-annotations "$here/src" "$here/tests"
import ast, pathlib, sys
bad = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("**/*.py")):
    try:
        ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 8))
    except SyntaxError as error:
        print(f"{path}: not Python 3.8: {error}")
        bad += 1
sys.exit(bad)
PY
}

build_and_install() {
    rm -rf "$work/dist" "$work/fresh"
    mkdir -p "$work/dist"
    (cd "$here" && "$tools/bin/python" -c '
import sys
from flit_core import buildapi
print(buildapi.build_wheel(sys.argv[1]), buildapi.build_sdist(sys.argv[1]))' "$work/dist") &&
        [ -f "$work/dist/gpwh_webhooks-0.1.0-py3-none-any.whl" ] &&
        [ -f "$work/dist/gpwh_webhooks-0.1.0.tar.gz" ] &&
        python3 -m venv "$work/fresh" &&
        "$work/fresh/bin/pip" install --quiet --disable-pip-version-check --no-index \
            "$work/dist/gpwh_webhooks-0.1.0-py3-none-any.whl" &&
        (cd "$work" && "$work/fresh/bin/python" -c '
import gpwh_webhooks, pathlib
assert "site-packages" in gpwh_webhooks.__file__, gpwh_webhooks.__file__
assert (pathlib.Path(gpwh_webhooks.__file__).parent / "py.typed").is_file()
body = gpwh_webhooks.sign({"event": "GivePlayerReward", "time": "2024-04-26T12:00:00Z"}, "k")
assert gpwh_webhooks.verify(body, "k", max_age=None).event == "GivePlayerReward"
print("installed", gpwh_webhooks.__version__)') &&
        "$work/fresh/bin/pip" list --format=freeze | grep -v -e '^pip=' -e '^setuptools=' | grep -qx 'gpwh-webhooks==0.1.0' &&
        [ "$("$work/fresh/bin/pip" list --format=freeze | grep -vc -e '^pip=' -e '^setuptools=' -e '^gpwh-webhooks=')" -eq 0 ]
}

started=$(date +%s)
check "tools installed (${pins[*]})" install_tools
unit_tests
check "mypy --strict over the package" "$tools/bin/mypy" --strict --no-incremental "$here/src/gpwh_webhooks"
check "mypy --strict over tests/consumer.py: one error, where expected" consumer_fails_only_where_expected
check "Python 3.8 syntax and library (ast, vermin)" python38_syntax
check "wheel and sdist built, the wheel installed into a fresh venv with no dependency" build_and_install
check "twine check" "$tools/bin/twine" check --strict "$work/dist/gpwh_webhooks-0.1.0-py3-none-any.whl" \
    "$work/dist/gpwh_webhooks-0.1.0.tar.gz"
echo "($(( $(date +%s) - started )) s)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
