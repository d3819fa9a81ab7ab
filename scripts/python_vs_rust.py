#!/usr/bin/env python3
"""The Rust-vs-Python table of docs/results.md, from one run of the tour.

Runs `shootout tour --json` with the arguments given (the tour's own flags: --pages,
--latency-ms, --page-kb, --concurrency, --threads, --runs, ...), then prints, per scenario, the
fastest verified Rust row beside the fastest verified Python row: wall, CPU, peak memory and
pages/s, and how many times slower Python's best is. Only verified rows are candidates, and a
scenario where either side has none is marked so and makes the command fail.

Usage: scripts/python_vs_rust.py [TOUR FLAGS]     (or: just python-vs-rust [TOUR FLAGS])
Needs the Python contestants set up (`just python`); standard library only.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tour(args: list[str]) -> list[dict[str, Any]]:
    cmd = ["cargo", "run", "--release", "--quiet", "--", "tour", "--json", *args]
    print(f"running: {' '.join(cmd)}", file=sys.stderr)
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    # With --runs K the tour writes every run, then one median row per entry: keep those.
    if any(r.get("kind") == "median" for r in rows):
        rows = [r for r in rows if r.get("kind") == "median"]
    if not any(r["family"] == "python" for r in rows):
        sys.exit("error: the tour ran no Python rows; run `just python` first")
    return rows


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def best(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    ok = [r for r in rows if r["verified"] and r["wall_s"] is not None]
    return min(ok, key=lambda r: r["wall_s"]) if ok else None


def label(r: dict[str, Any]) -> str:
    parts = [r["contestant"]]
    if r.get("variant"):
        parts.append(r["variant"])
    if r.get("extractor"):
        parts.append(r["extractor"])
    return " / ".join(parts)


def secs(s: float | None) -> str:
    if s is None:
        return "—"
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def cells(r: dict[str, Any]) -> list[str]:
    pps = r.get("pages_per_s")
    return [
        f"`{label(r)}`",
        secs(r["wall_s"]),
        secs(r.get("cpu_s")),
        f"{r['peak_rss_mb']:.0f} MiB" if r.get("peak_rss_mb") is not None else "—",
        f"{pps:.0f}" if pps is not None else "—",
    ]


def main() -> int:
    args = sys.argv[1:]
    rows = tour(args)
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    print(f"Command: `scripts/python_vs_rust.py{''.join(' ' + a for a in args)}`")
    print(f"Machine: {cpu_model()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}")
    print()
    head = ["scenario", "Rust's best", "wall", "cpu", "peak mem", "pages/s",
            "Python's best", "wall", "cpu", "peak mem", "pages/s", "Python ÷ Rust (wall)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    failed = False
    for s in scenarios:
        mine = [r for r in rows if r["scenario"] == s]
        rust = best([r for r in mine if r["family"] != "python"])
        py = best([r for r in mine if r["family"] == "python"])
        if rust is None or py is None:
            failed = True
            print(f"| {s} | " + ("✗ no verified Rust row" if rust is None else "") +
                  ("✗ no verified Python row" if py is None else "") + " |")
            continue
        ratio = py["wall_s"] / rust["wall_s"] if rust["wall_s"] else float("nan")
        print("| " + " | ".join([s, *cells(rust), *cells(py), f"{ratio:.1f}×"]) + " |")
    print()
    print("Every row in this table was verified against the site's ground truth.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
