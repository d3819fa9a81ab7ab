#!/usr/bin/env bash
# Profile one job with perf and write an SVG flame graph of where its CPU went.
#
# Usage: scripts/profile.sh SCENARIO [OUT.svg]
#   SCENARIO   download   `shootout run download -n 20000 -l 0 -s 64 -c 100` (L = 0, the wrk comparison)
#              corpus     `shootout crawl` of the Rust docs, served by `shootout serve --dir`
#              sleep|scrape|crawl|parse|pitfall   `shootout run SCENARIO` at its defaults
#   OUT.svg    default: target/profile/SCENARIO.svg
#   CONTESTANT=tokio       whose code runs (one contestant, so the graph is one model's)
#   EXTRA="..."            more flags for `shootout run` or `shootout crawl`
#   FREQ=499               samples per second
#   THREADS=REGEX          keep only the stacks of threads whose name matches (default for
#                          `run` scenarios: every thread but the main ones, named `shootout`;
#                          THREADS=. keeps them all)
#
# perf follows child processes, so for `run` the graph holds the contestant's threads and the
# embedded server's side by side (each stack starts at its thread's name). The main threads
# are left out by default: in `run` they build the site before the clock starts and then only
# wait, and they held 54% of a download profile's samples. (sequential runs its work on its
# main thread: profile it with THREADS=.) For `corpus`, only the crawler is recorded: the
# server is a separate process. Stacks come from DWARF unwinding (release builds keep no
# frame pointers, and the workspace's release profile keeps line tables). Needs: perf (Debian's linux-perf; installed here with apt-get when run
# as root) and inferno (`cargo install inferno`, done here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: scripts/profile.sh SCENARIO [OUT.svg]  (download, corpus, sleep, scrape, crawl, parse, pitfall)}
out=${2:-target/profile/$scenario.svg}
contestant=${CONTESTANT:-tokio}
freq=${FREQ:-499}
extra=${EXTRA:-}
threads=${THREADS:-}

if ! command -v perf >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -q linux-perf >/dev/null
    else
        echo "needs perf: apt-get install linux-perf" >&2
        exit 1
    fi
fi
if ! command -v inferno-flamegraph >/dev/null; then
    cargo install inferno --locked --quiet
fi
cargo build --release --quiet
bin=target/release/shootout
mkdir -p "$(dirname "$out")"
data=$(mktemp --suffix=.perf.data)
folded=$(mktemp --suffix=.folded)
server=
cleanup() {
    rm -f "$data" "$folded"
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
}
trap cleanup EXIT

case "$scenario" in
download)
    cmd=("$bin" run download -n 20000 -l 0 -s 64 -c 100 --contestants "$contestant")
    ;;
corpus)
    docs="$(rustc --print sysroot)/share/doc/rust/html"
    [ -d "$docs" ] || { echo "no docs at $docs (rustup component add rust-docs)" >&2; exit 1; }
    port=${PORT:-18571}
    # L = 0, as scripts/crawl-corpus.sh serves it: the crawler's own CPU is the story.
    "$bin" serve --dir "$docs" --port "$port" --latency-ms 0 >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    # The whole tree, as scripts/crawl-corpus.sh crawls it.
    cmd=("$bin" crawl --url "http://127.0.0.1:$port/" --contestant "$contestant" --max-pages 10000000 --json)
    ;;
sleep | scrape | crawl | parse | pitfall)
    cmd=("$bin" run "$scenario" --contestants "$contestant")
    ;;
*)
    echo "unknown scenario '$scenario': download, corpus, sleep, scrape, crawl, parse or pitfall" >&2
    exit 2
    ;;
esac
# A `run`'s main threads only build the site and wait (see the header); corpus keeps them all.
[ "$scenario" = corpus ] || threads=${threads:-'^(?!shootout$)'}
# shellcheck disable=SC2206 # EXTRA is meant to split into flags
cmd+=($extra)

echo "profiling: ${cmd[*]}${threads:+ (threads matching $threads)}" >&2
perf record -q -F "$freq" --call-graph dwarf,16384 -o "$data" -- "${cmd[@]}" >/dev/null
# A folded stack starts with its thread's name: keep the threads asked for.
perf script -i "$data" 2>/dev/null | inferno-collapse-perf --all 2>/dev/null |
    THREADS=${threads:-.} perl -ne 'my ($t) = /^([^;]*)/; print if $t =~ /$ENV{THREADS}/' >"$folded"
if [ ! -s "$folded" ]; then
    echo "no samples from threads matching '${threads:-.}': the job spent almost no CPU there (raise FREQ, or THREADS=. for every thread)" >&2
    exit 1
fi
inferno-flamegraph --title "shootout ${cmd[*]:1}" --width 1400 --minwidth 0.5 <"$folded" >"$out"
echo "flame graph: $out (open it in a browser: hover for each frame's share, click to zoom)" >&2
