"""Times gpwh against the scripts it replaces and against the SHA-256 floor,
side by side in one run, and prints medians and ratios as Markdown.

    python3 bench/compare.py            # 1,000,000 bodies, 3 runs each
    python3 bench/compare.py --bodies 100000 --runs 5
    python3 bench/compare.py --baseline OTHER/gpwh   # also time another build

With --baseline, the batch jobs of another gpwh binary (an earlier commit,
built into another target directory) are timed in the same run, so that
before and after are compared on one machine at one moment.

It builds gpwh and the body generator in release mode, writes the bodies
to a temporary folder, and needs python3, node, openssl and jq on PATH
(node and jq rows are skipped when missing). Nothing here asserts: the
figures go into docs/performance.md with the machine they came from.
"""

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GPWH = os.path.join(ROOT, "target", "release", "gpwh")
BODIES = os.path.join(ROOT, "target", "release", "examples", "bodies")
SECRET = "bench-secret"


def run(command, stdin_path=None, stdout=subprocess.DEVNULL):
    """Wall seconds and peak RSS (KiB) of one run."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    finally:
        if stdin_path:
            stdin.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 3):
        sys.exit(f"{command} exited with {code}")
    return elapsed, usage.ru_maxrss


def median_time(command, stdin_path, runs):
    return statistics.median(run(command, stdin_path)[0] for _ in range(runs))


def sha256_floor(body_bytes):
    """Seconds openssl needs to hash these bytes on every core, in blocks of
    the average body size."""
    lines, total = 0, 0
    with open(body_bytes, "rb") as bodies:
        for line in bodies:
            lines += 1
            total += len(line)
    size = max(16, round(total / lines))
    cores = os.cpu_count() or 1
    output = subprocess.run(
        ["openssl", "speed", "-multi", str(cores), "-seconds", "3", "-evp", "sha256", "-bytes", str(size)],
        capture_output=True, text=True, check=True).stdout
    kilobytes = float(re.findall(r"sha256\s+([0-9.]+)k", output)[-1])
    return total / (kilobytes * 1000), size, total, lines


def machine():
    model = "unknown processor"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(l.split(":", 1)[1].strip() for l in cpuinfo if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", metavar="GPWH", help="another gpwh binary to time beside this one")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "gpwh", "--example", "bodies"],
                   cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="gpwh-bench-")
    try:
        bodies = os.path.join(work, "bodies.txt")
        with open(bodies, "wb") as out:
            subprocess.run([BODIES, str(args.bodies), "--secret", SECRET], stdout=out, check=True)
        floor, size, total, lines = sha256_floor(bodies)
        print(f"Machine: {machine()}")
        print(f"Input: {lines:,} bodies, {total / 1e6:.0f} MB, {size} bytes on average; "
              f"median of {args.runs} runs\n")

        gpwh = [GPWH]
        python = [sys.executable, os.path.join(ROOT, "bench", "baseline.py")]
        rows = [
            ("SHA-256 floor: `openssl speed` on every core, same bytes", None, floor, None),
        ]
        quiet = median_time(gpwh + ["verify", "--lines", "-q", "--secret", SECRET], bodies, args.runs)
        python_count = median_time(python + ["count", SECRET], bodies, args.runs)
        rows.append(("`gpwh verify --lines -q`", "verify", quiet, python_count))
        rows.append(("Python hashlib loop, counting", "verify", python_count, python_count))
        if shutil.which("node"):
            node = median_time(["node", os.path.join(ROOT, "bench", "baseline.mjs"), SECRET], bodies, args.runs)
            rows.append(("Node, the vendor's example in a loop", "verify", node, python_count))
        verdicts = median_time(gpwh + ["verify", "--lines", "--secret", SECRET], bodies, args.runs)
        python_verdicts = median_time(python + ["verdicts", SECRET], bodies, args.runs)
        rows.append(("`gpwh verify --lines` (a verdict per body)", "verdicts", verdicts, python_verdicts))
        rows.append(("Python, a verdict per body", "verdicts", python_verdicts, python_verdicts))
        decode = median_time(gpwh + ["decode", "--lines"], bodies, args.runs)
        python_decode = median_time(python + ["decode"], bodies, args.runs)
        rows.append(("`gpwh decode --lines`", "decode", decode, python_decode))
        rows.append(("Python, decode to NDJSON", "decode", python_decode, python_decode))

        if args.baseline:
            for job in (["verify", "--lines", "-q", "--secret", SECRET],
                        ["verify", "--lines", "--secret", SECRET],
                        ["decode", "--lines"]):
                shown = " ".join(job).replace(SECRET, "S")
                seconds = median_time([args.baseline] + job, bodies, args.runs)
                rows.append((f"baseline: `gpwh {shown}`", None, seconds, None))

        print("| job | median | vs SHA-256 floor | Python's time / this |")
        print("|---|---:|---:|---:|")
        for name, _, seconds, python_seconds in rows:
            speedup = f"{python_seconds / seconds:.1f}x" if python_seconds else ""
            print(f"| {name} | {seconds:.2f} s | {seconds / floor:.2f}x | {speedup} |")

        # Peak memory with a small and a large input.
        small = os.path.join(work, "small.txt")
        with open(bodies, "rb") as source, open(small, "wb") as out:
            out.write(source.read(1_000_000).rsplit(b"\n", 1)[0] + b"\n")
        large = os.path.join(work, "large.txt")
        with open(large, "wb") as out:
            while out.tell() < 1_000_000_000:
                with open(bodies, "rb") as source:
                    shutil.copyfileobj(source, out)
        print("\n| peak memory (RSS) | 1 MB input | "
              f"{os.path.getsize(large) / 1e9:.1f} GB input |")
        print("|---|---:|---:|")
        for name, command in [
            ("`gpwh verify --lines -q`", gpwh + ["verify", "--lines", "-q", "--secret", SECRET]),
            ("`gpwh verify --lines`", gpwh + ["verify", "--lines", "--secret", SECRET]),
            ("`gpwh decode --lines`", gpwh + ["decode", "--lines"]),
        ]:
            peaks = [run(command, path)[1] / 1024 for path in (small, large)]
            print(f"| {name} | {peaks[0]:.1f} MiB | {peaks[1]:.1f} MiB |")

        # One body: the start-up cost a webhook handler pays per call.
        with open(bodies, "rb") as source:
            body = source.readline().strip().decode()
        payload = os.path.join(work, "payload.json")
        subprocess.run([GPWH, "decode", "-r", body], stdout=open(payload, "wb"), check=True)
        one = statistics.median(run([GPWH, "verify", "--secret", SECRET, body])[0] for _ in range(101))
        print("\n| one body | median of 101 runs |")
        print("|---|---:|")
        print(f"| `gpwh verify --secret S BODY` | {one * 1000:.2f} ms |")
        if shutil.which("jq"):
            jq = statistics.median(run(["jq", ".", payload])[0] for _ in range(101))
            print(f"| `jq .` on the same payload | {jq * 1000:.2f} ms ({jq / one:.1f}x gpwh) |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
