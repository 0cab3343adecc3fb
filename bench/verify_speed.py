#!/usr/bin/env python3
"""Verify-speed benchmark: `sabaq verify --csv` over CSVs of valid completion codes.

Makes a key, takes the two-module course of the test fixtures, writes CSVs of N valid codes
(every module passed today by N/2 learners; `generator/examples/bench_codes.rs`), and times the
release `sabaq verify` over each into a fresh ledger database (every code recorded now), then
again over the same CSV (every code already recorded). Reports the median wall time, rows per
second and peak memory (the child's maximum resident set size) per size, and how time and
memory grow from the smallest size to the largest. A benchmark, not a test: the figures go
into BENCHMARKS.md.

Usage: python3 bench/verify_speed.py --rows 10000 100000 --runs 3
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command, cwd):
    """Wall seconds and peak resident memory (MiB) of one run, its output thrown away."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    stderr = child.stderr.read().decode()
    child.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(map(str, command))} exited with {code}:\n{stderr}")
    return wall, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--locked", "-p", "sabaq",
                    "--bin", "sabaq", "--example", "bench_codes"], cwd=ROOT, check=True)
    sabaq = ROOT / "target" / "release" / "sabaq"
    make_codes = ROOT / "target" / "release" / "examples" / "bench_codes"
    results = {}
    with tempfile.TemporaryDirectory(prefix="sabaq-verify-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "tests" / "fixtures" / "assessed-course", work / "course")
        subprocess.run([sabaq, "keys", "new", "institution.key"], cwd=work, check=True,
                       stderr=subprocess.DEVNULL)
        for rows in args.rows:
            subprocess.run([make_codes, "institution.key", "course", str(rows),
                            f"codes-{rows}.csv"], cwd=work, check=True)
        fresh, again = {n: [] for n in args.rows}, {n: [] for n in args.rows}
        # Sizes alternate within each round, so a busy moment of the machine hits them alike.
        for run in range(args.runs):
            for rows in args.rows:
                ledger = f"ledger-{rows}-{run}.sqlite"
                verify = [sabaq, "verify", "--course", "course", "--key", "institution.key",
                          "--csv", f"codes-{rows}.csv", "--ledger", ledger]
                fresh[rows].append(timed(verify, work))
                again[rows].append(timed(verify, work))
        for rows in args.rows:
            results[rows] = {
                kind: (statistics.median(w for w, _ in runs), max(m for _, m in runs))
                for kind, runs in (("recorded now", fresh[rows]),
                                   ("already recorded", again[rows]))
            }
    print(f"| rows | codes | wall (median of {args.runs}) | rows/s | peak memory (max) |")
    print("|---|---|---|---|---|")
    for rows in args.rows:
        for kind, (wall, memory) in results[rows].items():
            print(f"| {rows:,} | {kind} | {wall:.2f} s | {rows / wall:,.0f} | {memory:.0f} MiB |")
    small, large = min(args.rows), max(args.rows)
    if small != large:
        for kind in ("recorded now", "already recorded"):
            (w1, m1), (w2, m2) = results[small][kind], results[large][kind]
            print(f"\n{kind}: {large // small}x the rows took {w2 / w1:.1f}x the time and "
                  f"{m2 / m1:.1f}x the peak memory")


if __name__ == "__main__":
    main()
