#!/usr/bin/env bash
# Load on `gpwh listen` from a real load tool, ApacheBench (apt-get install
# apache2-utils): 10,000 requests in a row, then 10,000 from 200 clients at
# once, mixing valid and forged bodies. Afterwards every request must have
# exactly one log line with the right verdict, and one output record.
#
#     bash bench/listen-load.sh            # from the repository's root
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ab >/dev/null || { echo "needs ab: apt-get install apache2-utils" >&2; exit 2; }

cargo build --release --quiet --bin gpwh
gpwh=target/release/gpwh
work=$(mktemp -d)
trap 'kill -INT "$listener" 2>/dev/null || true; rm -rf "$work"' EXIT

export GPWH_SECRET=load-secret
"$gpwh" sign --event GivePlayerReward > "$work/valid.body"
GPWH_SECRET=another-key "$gpwh" sign --event PurchasePlayerPurchase > "$work/forged.body"

"$gpwh" listen --port 0 --json --log "$work/hooks.log" > "$work/records.ndjson" 2> "$work/listen.err" &
listener=$!
for _ in $(seq 50); do grep -q listening "$work/listen.err" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/listen.err")/webhooks/gamepush
echo "listening at $url"

run() { # name, requests, concurrency, body file
  ab -q -n "$2" -c "$3" -p "$4" -T 'text/plain; charset=utf-8' "$url" > "$work/$1.ab" 2>&1 || true
  printf '%-36s %s req/s, mean %s ms, 99%% under %s ms, failed %s, non-2xx %s\n' "$1" \
    "$(awk '/Requests per second/ {print $4}' "$work/$1.ab")" \
    "$(awk '/Time per request:.*\(mean\)$/ {print $4}' "$work/$1.ab")" \
    "$(awk '/ 99% / {print $2}' "$work/$1.ab")" \
    "$(awk '/Failed requests/ {print $3}' "$work/$1.ab")" \
    "$(awk '/Non-2xx responses/ {print $3} END {}' "$work/$1.ab" | grep . || echo 0)"
}
run "valid, 10,000 in a row" 10000 1 "$work/valid.body"
run "valid, 10,000 from 200 at once" 10000 200 "$work/valid.body"
run "forged, 10,000 from 200 at once" 10000 200 "$work/forged.body"

kill -INT "$listener"; wait "$listener"; status=$?
echo "gpwh listen exited $status after Ctrl-C"
lines=$(wc -l < "$work/hooks.log")
valid=$(grep -c '"verdict":"valid"' "$work/hooks.log" || true)
forged=$(grep -c '"verdict":"signature-mismatch"' "$work/hooks.log" || true)
records=$(wc -l < "$work/records.ndjson")
echo "log: $lines lines ($valid valid, $forged signature-mismatch); output: $records records; expected 30000, 20000, 10000"
[ "$lines" -eq 30000 ] && [ "$valid" -eq 20000 ] && [ "$forged" -eq 10000 ] && [ "$records" -eq 30000 ]
