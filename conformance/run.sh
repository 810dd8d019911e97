#!/usr/bin/env bash
# Runs every vector of conformance/vectors.json through the verification
# files of the Go, PHP and Java receivers (examples/receivers/{go,php,java}),
# after checking that the file is what conformance/generate.py writes. The
# Rust library runs the same vectors in tests/conformance.rs, and each
# package in its own test.sh.
#
#   bash conformance/run.sh
#
# Needs python3, Go with Debian's lib/pq and go-sqlite3 sources under
# /usr/share/gocode (as the Go receiver's setup builds), PHP and a JDK: a
# missing one fails, never skips. Prints each language's disagreements, a
# line per language, and ends with `N passed, N failed` over every vector
# of every language (and the file's check); exits non-zero when anything
# failed.

set -u
cd "$(dirname "$0")/.."
root=$PWD
vectors=$root/conformance/vectors.json
passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a step and adds up the `LANG: N passed, N failed` line it prints; a
# step that prints none (a missing tool, a build that failed) counts as one
# failure.
step() {
    local name=$1
    shift
    echo "== $name"
    "$@" >"$work/out" 2>&1
    local status=$?
    cat "$work/out"
    local counts
    counts=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" "$work/out" | tail -1)
    if [ -z "$counts" ]; then
        echo "$name: did not run (exit status $status)"
        failed=$((failed + 1))
        return
    fi
    local p f
    p=$(echo "$counts" | sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed$/\1/')
    f=$(echo "$counts" | sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed$/\2/')
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "$name: exited $status"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
}

generated() {
    python3 conformance/generate.py --check && echo "generate: 1 passed, 0 failed"
}

go_vectors() (
    cd examples/receivers/go &&
        GO111MODULE=off GOPATH=/usr/share/gocode go test -count=1 -v -run '^TestConformanceVectors$' .
)

php_vectors() {
    php examples/receivers/php/conformance.php "$vectors"
}

java_vectors() {
    javac -d "$work/java" examples/receivers/java/Receiver.java examples/receivers/java/Conformance.java &&
        java -cp "$work/java" Conformance "$vectors"
}

step generate generated
step go go_vectors
step php php_vectors
step java java_vectors

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
