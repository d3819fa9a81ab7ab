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

# Run every bench briefly: fewer samples, shorter windows; for a quick look, not for results.
[group('bench')]
bench-quick *args:
    cargo bench {{args}} -- --warm-up-time 0.2 --measurement-time 0.5

# Crawl the Rust toolchain's HTML docs with every contestant and strategy (medians of RUNS=5).
[group('bench')]
corpus *args:
    cargo build --release
    scripts/crawl-corpus.sh {{args}}
