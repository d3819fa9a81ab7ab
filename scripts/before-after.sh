#!/usr/bin/env bash
# Every row of a command, from two builds, run interleaved on this machine: the before build,
# then the after build, then again, ROUNDS times. A shared VM drifts between runs minutes
# apart; interleaving gives the two builds the same drift. Prints, per row, the median of the
# rounds' wall time, CPU and peak memory for each build and their ratio (B / A), then
# `shootout compare`'s view of the wall times.
#
#   BEFORE=/path/to/old/shootout scripts/before-after.sh [ARGS...]
#
#   ARGS     the shootout command and its flags, with --json added  [default: tour]
#   BEFORE   the older build's binary (required): `git worktree add ../before <commit>`, then
#            `cargo build --release` there
#   AFTER    the newer build's binary  [default: target/release/shootout, built first]
#   ROUNDS   rounds of the two builds  [default: 5]
#   OUT      where the JSON rows go  [default: target/before-after]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BEFORE:?set BEFORE to the shootout binary of the older build}"
rounds=${ROUNDS:-5}
out=${OUT:-target/before-after}
if [ -z "${AFTER:-}" ]; then
    cargo build --release --quiet
    AFTER=target/release/shootout
fi
[ $# -gt 0 ] || set -- tour
mkdir -p "$out"
: > "$out/before.jsonl"
: > "$out/after.jsonl"
: > "$out/before.stderr"
: > "$out/after.stderr"
for round in $(seq 1 "$rounds"); do
    for side in before after; do
        bin=$BEFORE
        [ "$side" = after ] && bin=$AFTER
        echo "round $round/$rounds: $side ($bin $*)" >&2
        # A run that is not verified makes the command fail; its rows still count, marked.
        "$bin" "$@" --json >> "$out/$side.jsonl" 2>> "$out/$side.stderr" ||
            echo "  $side exited $? (see $out/$side.stderr)" >&2
    done
done
python3 - "$out/before.jsonl" "$out/after.jsonl" <<'PY'
import json, statistics, sys

def rows(path):
    by = {}
    for line in open(path):
        r = json.loads(line)
        if r.get("kind") != "run":
            continue
        p = r["point"]
        key = (r["scenario"], r["contestant"], r.get("variant") or "", r.get("extractor") or "",
               p["pages"], p["latency_ms"], p["page_kb"], p["concurrency"], p["threads"])
        by.setdefault(key, []).append(r)
    return by

def med(rs, field):
    vals = [r[field] for r in rs if r.get(field) is not None]
    return statistics.median(vals) if vals else None

a, b = rows(sys.argv[1]), rows(sys.argv[2])
print(f"{'row':<48} {'wall A':>9} {'wall B':>9} {'B/A':>5}  {'cpu A':>9} {'cpu B':>9} {'B/A':>5}  {'MiB A':>6} {'MiB B':>6} {'B/A':>5}")
ratios = {"wall_s": [], "cpu_s": [], "peak_rss_mb": []}
def show(x, unit):
    if x is None:
        return "—"
    return f"{x*1e3:.1f}ms" if unit == "s" else f"{x:.1f}"
for key in sorted(set(a) & set(b)):
    name = f"{key[0]} {key[1]}" + "".join(f" / {k}" for k in key[2:4] if k)
    cells = []
    for field, unit in [("wall_s", "s"), ("cpu_s", "s"), ("peak_rss_mb", "MiB")]:
        ma, mb = med(a[key], field), med(b[key], field)
        r = mb / ma if ma and mb else None
        if r is not None:
            ratios[field].append(r)
        cells.append(f"{show(ma, unit):>9} {show(mb, unit):>9} {('%.2f' % r) if r else '—':>5}")
    print(f"{name:<48} " + "  ".join(cells))
for field, rs in ratios.items():
    if rs:
        print(f"{field}: median B/A over {len(rs)} rows {statistics.median(rs):.3f} (from {min(rs):.2f} to {max(rs):.2f})")
PY
"$AFTER" compare "$out/before.jsonl" "$out/after.jsonl" | tail -n 1
