#!/usr/bin/env bash
# gpwh listen beside a plain Node.js receiver (bench/node-receiver.mjs: the
# vendor's recipe on node:http), under one load tool, ApacheBench (apt-get
# install apache2-utils), in one run: 1 and 50 concurrent clients, with and
# without keep-alive, valid bodies. gpwh listen works as a user runs it, with
# --json and --log; afterwards every request must have exactly one log line
# and one output record. Then the memory gpwh listen holds with 1000 idle
# connections open (--max-connections raised past them: 512 by default).
#
#     bash bench/listen-load.sh            # from the repository's root
#     REQUESTS=50000 bash bench/listen-load.sh
#     bash bench/listen-load.sh flood      # only the memory under a flood
#
# Prints a Markdown table. On two cores the load tool's own connection set-up
# caps what it can measure without keep-alive; read those rows with that.
#
# `flood` needs only python3: 1500 connections each declare a 1 MiB body
# and send all of it but its last byte (then the same, chunked), against
# gpwh listen with its defaults; it prints listen's peak resident memory
# and how the senders were answered. --max-buffered (64 MiB) is the ceiling
# on what it holds.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 4096

if [ "${1:-}" = flood ]; then
  cargo build --release --quiet --bin gpwh
  work=$(mktemp -d)
  pid=
  trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
  for framing in declared chunked; do
    target/release/gpwh listen --port 0 --secret flood-secret > /dev/null 2> "$work/err" &
    pid=$!
    for _ in $(seq 100); do grep -q 'listening on' "$work/err" && break; sleep 0.1; done
    address=$(grep -o '127.0.0.1:[0-9]*' "$work/err" | head -1)
    python3 - "$address" "$pid" "$framing" <<'PY'
import selectors, socket, sys, time
host, port = sys.argv[1].split(":")
pid, chunked = sys.argv[2], sys.argv[3] == "chunked"
size, senders, piece = (1 << 20) - 1, 1500, 64 << 10
def peak():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024
if chunked:
    head = b"POST /flood HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
else:
    head = f"POST /flood HTTP/1.1\r\nHost: x\r\nContent-Length: {size + 1}\r\n\r\n".encode()
select = selectors.DefaultSelector()
state = {}
for _ in range(senders):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect((host, int(port)))
    except BlockingIOError:
        pass
    state[s] = [head, 0]
    select.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
answers = {}
def done(s, why):
    answers[why] = answers.get(why, 0) + 1
    select.unregister(s)
    s.close()
start = time.time()
while time.time() - start < 20 and select.get_map():
    for key, events in select.select(timeout=0.1):
        s, sending = key.fileobj, state[key.fileobj]
        try:
            if events & selectors.EVENT_READ:
                answer = s.recv(64)
                done(s, answer.split(b" ")[1].decode() if answer[:5] == b"HTTP/" else "closed")
                continue
            if sending[0]:
                sending[0] = sending[0][s.send(sending[0]):]
            elif sending[1] < size:
                n = min(piece, size - sending[1])
                if chunked:
                    s.sendall(b"%x\r\n" % n + b"A" * n + b"\r\n")
                    sending[1] += n
                else:
                    sending[1] += s.send(b"A" * n)
            else:
                select.modify(s, selectors.EVENT_READ)
        except BlockingIOError:
            pass
        except OSError:
            done(s, "reset")
print(f"{sys.argv[3]}: peak {peak()} MiB resident; senders answered {answers}")
PY
    kill -INT "$pid"; wait "$pid" || true
  done
  exit 0
fi

command -v ab >/dev/null || { echo "needs ab: apt-get install apache2-utils" >&2; exit 2; }
command -v node >/dev/null || { echo "needs node: apt-get install nodejs" >&2; exit 2; }
requests=${REQUESTS:-20000}

cargo build --release --quiet --bin gpwh
gpwh=target/release/gpwh
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

export GPWH_SECRET=load-secret
"$gpwh" sign --event PurchasePlayerPurchase > "$work/valid.body"

# Starts a server whose first stderr line names its address; sets $url.
start() { # name, command...
  local name=$1; shift
  "$@" > "$work/$name.out" 2> "$work/$name.err" &
  pids+=($!)
  for _ in $(seq 100); do grep -q 'listening on' "$work/$name.err" && break; sleep 0.1; done
  url="$(grep -o 'http://[0-9.:]*' "$work/$name.err" | head -1)/webhooks/gamepush"
}

echo "| server | clients | keep-alive | requests/s | mean (ms) | p99 (ms) | failed | non-2xx |"
echo "|---|---:|---|---:|---:|---:|---:|---:|"
load() { # server name, concurrency, keep-alive (yes/no)
  local flags=(-q -n "$requests" -c "$2" -p "$work/valid.body" -T 'text/plain; charset=utf-8')
  [ "$3" = yes ] && flags+=(-k)
  ab "${flags[@]}" "$url" > "$work/ab.txt" 2>&1 || true
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" \
    "$(awk '/Requests per second/ {printf "%.0f", $4}' "$work/ab.txt")" \
    "$(awk '/Time per request:.*\(mean\)$/ {print $4}' "$work/ab.txt")" \
    "$(awk '/ 99% / {print $2}' "$work/ab.txt")" \
    "$(awk '/Failed requests/ {print $3}' "$work/ab.txt")" \
    "$(awk '/Non-2xx responses/ {print $3}' "$work/ab.txt" | grep . || echo 0)"
}

start gpwh "$gpwh" listen --port 0 --json --log "$work/hooks.log" --max-connections 1100
gpwh_pid=${pids[-1]}
gpwh_url=$url
start node node bench/node-receiver.mjs
node_url=$url
# Keep-alive first: the rows without it leave tens of thousands of sockets in
# TIME_WAIT behind them, which slows every connection set up after.
for keep_alive in yes no; do
  for clients in 1 50; do
    url=$gpwh_url load "gpwh listen" "$clients" "$keep_alive"
    url=$node_url load "node:http" "$clients" "$keep_alive"
  done
done

# 200 clients that send their headers and stop, and 800 connections that send
# nothing, held while one more client delivers as in the first row, and while
# the memory gpwh holds is read. All within the 10 s that gpwh gives a client
# to send its headers.
python3 - "$gpwh_url" "$work/held" "$work/release" <<'PY' &
import os, socket, sys, time, urllib.parse
address = urllib.parse.urlsplit(sys.argv[1])
def connect():
    return socket.create_connection((address.hostname, address.port))
stalled = [connect() for _ in range(200)]
for i, s in enumerate(stalled):
    s.sendall(f"POST /stalled/{i} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\neyJ".encode())
idle = [connect() for _ in range(800)]
open(sys.argv[2], "w").write(str(len(stalled) + len(idle)))
for _ in range(90):
    if os.path.exists(sys.argv[3]):
        break
    time.sleep(0.1)
PY
held=$!
for _ in $(seq 50); do [ -s "$work/held" ] && break; sleep 0.1; done
for _ in $(seq 50); do [ "$(ls "/proc/$gpwh_pid/fd" | wc -l)" -gt 1000 ] && break; sleep 0.1; done
rss=$(awk '/VmRSS/ {print $2}' "/proc/$gpwh_pid/status")
open=$(ls "/proc/$gpwh_pid/fd" | wc -l)
url=$gpwh_url load "gpwh listen, 200 stalled and 800 idle clients held" 1 yes
touch "$work/release"
wait "$held"
peak=$(awk '/VmHWM/ {print $2}' "/proc/$gpwh_pid/status")
echo
echo "gpwh listen holding 200 stalled and 800 idle connections ($open descriptors open): $((rss / 1024)) MiB resident; peak over the whole run $((peak / 1024)) MiB"

kill -INT "$gpwh_pid"; wait "$gpwh_pid" || true
# The stalled clients hung up without finishing their bodies: each is one
# more record, "unreadable".
expected=$((requests * 5))
lines=$(wc -l < "$work/hooks.log")
records=$(wc -l < "$work/gpwh.out")
valid=$(grep -c '"verdict":"valid"' "$work/hooks.log" || true)
unreadable=$(grep -c '"verdict":"unreadable"' "$work/hooks.log" || true)
echo "gpwh log: $lines lines, $valid valid, $unreadable unreadable; output: $records records; expected $expected valid and 200 unreadable"
[ "$valid" -eq "$expected" ] && [ "$unreadable" -eq 200 ] && [ "$lines" -eq $((expected + 200)) ] && [ "$records" -eq "$lines" ]
