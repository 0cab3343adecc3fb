#!/usr/bin/env python3
"""Incremental rebuild benchmark: how soon after a lesson is saved `sabaq serve` has the new
page ready for the browser, in a site of N lessons.

Starts `sabaq serve` (release build) on the same synthetic lessons as build_speed.py, then
edits one lesson at a time, as an author would, and measures from the save until the page's
reload request returns and the new page is served: the reload script in every served page
long-polls /__sabaq/wait, which answers when a rebuild lands, and then the page reloads. Each
edit changes a different lesson. Reports the median and the spread, and the server's own
"rebuilt in" times. A benchmark, not a test: the figures go into BENCHMARKS.md.

Usage: python3 bench/serve_latency.py --lessons 1000 --edits 21
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_speed  # noqa: E402  (the same synthetic lessons)

ROOT = Path(__file__).resolve().parent.parent


def get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=21)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--locked", "-p", "sabaq"],
                   cwd=ROOT, check=True)
    sabaq = ROOT / "target" / "release" / "sabaq"
    with tempfile.TemporaryDirectory(prefix="sabaq-serve-bench-") as tmp:
        root, _, _, _ = build_speed.make_content(args.lessons, Path(tmp))
        server = subprocess.Popen([str(sabaq), "serve", str(root), "--port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = server.stdout.readline()
            base = re.search(r"(http://\S+/)", line).group(1)
            rebuilt = []
            threading.Thread(target=lambda: [
                rebuilt.append(int(m.group(1)))
                for l in server.stderr if (m := re.match(r"rebuilt in (\d+) ms", l))
            ], daemon=True).start()
            lessons = sorted(root.rglob("0*-lesson-*.md"))
            latencies = []
            for edit in range(args.edits):
                lesson = lessons[(edit * 37) % len(lessons)]
                course, module = lesson.parts[-3], lesson.parts[-2]
                url = (f"{base}{course}/{module.split('-', 1)[1]}/"
                       f"{lesson.stem.split('-', 1)[1]}/")
                version = get(base + "__sabaq/wait")
                marker = f"Edited {edit} at {time.time_ns()}."
                answered = threading.Event()
                threading.Thread(target=lambda: (get(f"{base}__sabaq/wait?v={version}"),
                                                 answered.set()), daemon=True).start()
                time.sleep(0.05)  # the long-poll is waiting, as a browser's would be
                text = lesson.read_text()
                started = time.perf_counter()
                lesson.write_text(text + f"\n\n{marker}\n")
                if not answered.wait(10):
                    raise SystemExit(f"no reload within 10 s after editing {lesson}")
                page = get(url)
                latencies.append((time.perf_counter() - started) * 1000)
                if marker not in page:
                    raise SystemExit(f"{url} does not show the edit")
                time.sleep(0.2)
            latencies.sort()
            print(f"{args.lessons} lessons, {args.edits} edits of different lessons: save to new "
                  f"page served, median {statistics.median(latencies):.0f} ms "
                  f"(min {latencies[0]:.0f}, max {latencies[-1]:.0f}); "
                  f"server rebuild median {statistics.median(rebuilt[-args.edits:]):.0f} ms")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
