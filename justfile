# shootout recipes. Needs just >= 1.19 (for [group]); install with `cargo install just`.
# None of these is needed for the two main commands: `cargo run --release` and
# `cargo test --workspace` work without just.

set shell := ["bash", "-uc"]

# List the recipes (the default).
default:
    @just --list

# Run every scenario with every contestant and print the leaderboards.
[group('run')]
tour *args:
    cargo run --release -- tour {{args}}

# Run one scenario, e.g. `just run download --pages 1000 --concurrency 100`.
[group('run')]
run scenario *args:
    cargo run --release -- run {{scenario}} {{args}}

# Crawl any http(s) site, e.g. `just crawl http://127.0.0.1:8000/ --contestant tokio`.
[group('run')]
crawl url *args:
    cargo run --release -- crawl --url {{url}} {{args}}

# Serve the synthetic site (or `--dir PATH`) on 127.0.0.1 until Ctrl-C.
[group('run')]
serve *args:
    cargo run --release -- serve {{args}}

# Serve the fault site until Ctrl-C: every page fails its own way (docs/scenarios.md). Add --tls for https.
[group('run')]
faults *args:
    cargo run --release -- serve --faults {{args}}

# List contestants and scenarios.
[group('run')]
list:
    cargo run --release -- list

# Make .venv for the python-* contestants (uv if present, else python3 -m venv) and install python/requirements.txt.
[group('run')]
python:
    scripts/python-venv.sh

# The Rust-vs-Python table of docs/results.md: the tour with these flags, each side's best verified row per scenario.
[group('bench')]
python-vs-rust *args:
    scripts/python_vs_rust.py {{args}}

# Two builds' rows side by side, interleaved: `BEFORE=../before/target/release/shootout just before-after run parse -n 400`.
[group('bench')]
before-after *args:
    scripts/before-after.sh {{args}}

# Run every test in the workspace.
[group('check')]
test *args:
    cargo test --workspace {{args}}

# Check formatting and lints exactly as CI does.
[group('check')]
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# Everything CI runs.
[group('check')]
ci:
    bash .ci/run

# Run every example once (release), or only those named: `just examples scraper gather`.
[group('docs')]
examples *names:
    scripts/run-examples.sh {{names}}

# Build the API docs for every crate (into target/doc).
[group('docs')]
doc *args:
    cargo doc --workspace --no-deps {{args}}

# Run every criterion bench (minutes; the report lands in target/criterion/report/index.html).
[group('bench')]
bench *args:
    cargo bench {{args}}

# Run every bench briefly, for a quick look, not for results. Extra words go to criterion
# (`--bench '*'` keeps them from the library's test harness, which refuses them),
# e.g. `just bench-quick scrape` (a filter) or `just bench-quick --save-baseline quick`.
[group('bench')]
bench-quick *args:
    cargo bench --bench '*' -- --warm-up-time 0.2 --measurement-time 0.5 {{args}}

# Run every bench and keep the results as baseline NAME (criterion's --save-baseline).
[group('bench')]
bench-save name *args:
    cargo bench --bench '*' -- --save-baseline {{name}} {{args}}

# Run every bench against baseline NAME (criterion's --baseline), then critcmp's table if it is installed.
[group('bench')]
bench-compare name *args:
    cargo bench --bench '*' -- --baseline {{name}} {{args}}
    @if command -v critcmp >/dev/null; then critcmp {{name}} new; else echo "(cargo install critcmp for a side-by-side table)"; fi

# The report: every published number with its spread, a page of charts (target/report/index.html), docs/results.md's tables, and docs/report.png. About 11 minutes on 2 cores; --quick takes under 2.
[group('bench')]
results *args:
    cargo run --release -- report --out target/report --markdown docs/results.md {{args}}
    scripts/report-screenshot.sh target/report/index.html docs/report.png

# The report's suite without touching docs/: `just report --quick` for a first look.
[group('bench')]
report *args:
    cargo run --release -- report {{args}}

# Compare two results files (a report's results.jsonl, or `run --json` output): B / A per row.
[group('bench')]
compare a b:
    cargo run --release -- compare {{a}} {{b}}

# A crawl against its floor (scripts/crawl-floor.sh): the same pages' bare fetch, fetch and extraction, the crawl and the server's CPU, per page, with the ratios. `just floor` crawls the Rust docs; `just floor DIR` or `just floor URL` another site; RUNS=5 CONTESTANTS="compio tokio" as the script says.
[group('bench')]
floor *target:
    scripts/crawl-floor.sh {{target}}

# A flame graph of one job's CPU (perf + inferno, installed when missing): `just profile download`, `just profile corpus`; CONTESTANT=smol picks whose code runs. Writes target/profile/SCENARIO.svg.
[group('bench')]
profile scenario *out:
    scripts/profile.sh {{scenario}} {{out}}

# Crawl the Rust toolchain's HTML docs with every contestant and strategy (medians of RUNS=5).
[group('bench')]
corpus *args:
    cargo build --release
    scripts/crawl-corpus.sh {{args}}
