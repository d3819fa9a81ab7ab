#!/usr/bin/env bash
# Crawl a real documentation tree with every contestant and both sound extraction strategies,
# several times, interleaved (so a slow minute on a shared machine hits every configuration
# alike), and print one Markdown table of medians: wall, CPU, CPU per page, peak memory.
# Then check that every sound strategy gave the same records as `--extract dom`, and that every
# contestant gave the same records as the first.
#
# Usage: scripts/crawl-corpus.sh [URL]
#   URL        a site already being served; default: start `shootout serve --dir DOCS`
#   RUNS=5     runs per configuration (the median is reported)
#   DOCS=...   the tree to serve; default: the Rust toolchain's HTML docs
#   CONTESTANTS="tokio hybrid ..."  default: every contestant of the tour that can run here
#   STRATEGIES="tokenize stream dom" default: every sound strategy
#   BEFORE=/path/to/old/shootout    also crawl with an older build, in the same rounds, with
#                                   the same contestants and BEFORE_STRATEGIES (default: stream);
#                                   its rows are marked "before"
#   BEFORE_URL=http://...           the site BEFORE crawls (default: URL), for example one
#                                   served by the old build, to time the old server too
#   SPIDER=/path/to/spider          also time spider_cli (`cargo install spider_cli
#                                   --no-default-features`), counting only runs that list
#                                   every URL our crawlers found
#   BIN=target/release/shootout     the binary (for example one built with --features mimalloc)
#   KEEP=dir                        keep every run's records and totals in dir
#
# Needs: a release build (`cargo build --release`), bash and awk.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/shootout}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }

runs=${RUNS:-5}
docs=${DOCS:-$(rustc --print sysroot)/share/doc/rust/html}
contestants=${CONTESTANTS:-$("$bin" list --names)}
strategies=${STRATEGIES:-tokenize stream dom}
before_strategies=${BEFORE_STRATEGIES:-stream}
# shellcheck source=scripts/measure-lib.sh
. scripts/measure-lib.sh
keep_or_scratch

url=${1:-}
if [ -z "$url" ]; then
    serve_dir "$bin" "$docs"
fi

echo "# $(date -u +%F) $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs)"
echo "# $url ($docs), $runs runs each, interleaved; rustc $(rustc --version | cut -d' ' -f2); commit $(git rev-parse --short HEAD); $bin"
[ -n "${BEFORE:-}" ] && echo "# before: $BEFORE against ${BEFORE_URL:-$url}"

# One crawl: JSON Lines to a file, the totals line (wall, cpu, peak mem) kept for the table.
crawl() { # contestant strategy run [binary label]
    local b=${4:-$bin} tag=${5:-} from=${6:-$url}
    "$b" crawl --url "$from" --contestant "$1" --extract "$2" --max-pages 10000000 --json \
        >"$out/$1$tag.$2.jsonl" 2>"$out/$1$tag.$2.$3.err"
    tail -n 1 "$out/$1$tag.$2.$3.err" >>"$out/$1$tag.$2.totals"
}

for r in $(seq "$runs"); do
    for c in $contestants; do
        for s in $strategies; do
            crawl "$c" "$s" "$r"
        done
        if [ -n "${BEFORE:-}" ]; then
            for s in $before_strategies; do
                crawl "$c" "$s" "$r" "$BEFORE" "@before" "${BEFORE_URL:-$url}"
            done
        fi
    done
    if [ -n "${SPIDER:-}" ]; then
        start=$(date +%s.%N)
        "$SPIDER" --url "$url" crawl -o >"$out/spider.$r.txt" 2>/dev/null || true
        end=$(date +%s.%N)
        echo "$(wc -l <"$out/spider.$r.txt") $(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" >>"$out/spider.runs"
    fi
    echo "# run $r of $runs done" >&2
done

# A crawl's records, sorted, with the site's origin cut from every URL: the before build may
# crawl its own server, on another port.
records() { sed -E 's#https?://[^/"]*/#/#g' "$1" | sort; }

# Medians from lines like "... in 3.210 s with ...: ... ok, 0 failed; cpu 4.5 s, peak mem 52.6 MiB".

echo
echo "| contestant | extract | URLs | wall (median) | CPU (median) | CPU per page | server CPU (median) | peak mem (max) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
rows=""
for c in $contestants; do
    for s in $strategies; do rows="$rows $c.$s"; done
    if [ -n "${BEFORE:-}" ]; then
        for s in $before_strategies; do rows="$rows $c@before.$s"; done
    fi
done
for row in $rows; do
    c=${row%%.*} s=${row#*.}
    [ "$c" != "${c%@before}" ] && c="${c%@before} (before)"
    {
        t="$out/$row.totals"
        urls=$(head -n 1 "$t" | awk '{print $1}')
        wall=$(sed -E 's/.* in ([0-9.]+ (s|ms|µs)) with.*/\1/' "$t" | secs | median)
        cpu=$(sed -E 's/.*; cpu ([0-9.]+ (s|ms|µs)),.*/\1/' "$t" | secs | median)
        mem=$(sed -E 's/.*peak mem ([0-9.]+) MiB.*/\1/' "$t" | sort -g | tail -n 1)
        # The server's CPU, which `crawl` reads from the local listener's process (a build
        # from before that reading printed none).
        server=""
        if grep -q 'server cpu' "$t"; then
            server=$(sed -E 's/.*server cpu ([0-9.]+ (s|ms|µs)).*/\1/' "$t" | secs | median)
        fi
        printf '| %s | %s | %s | %.2f s | %.2f s | %.0f µs | %s | %.1f MiB |\n' \
            "$c" "$s" "$urls" "$wall" "$cpu" "$(awk -v c="$cpu" -v n="$urls" 'BEGIN { print c * 1e6 / n }')" \
            "${server:+$(printf '%.2f s' "$server")}" "$mem"
    }
done

if [ -n "${SPIDER:-}" ]; then
    first=$(echo $contestants | awk '{print $1}')
    want=$(head -n 1 "$out/$first.$(echo $strategies | awk '{print $1}').totals" | awk '{print $1}')
    complete=$(awk -v w="$want" '$1 >= w' "$out/spider.runs" | wc -l)
    wall=$(awk -v w="$want" '$1 >= w {print $2}' "$out/spider.runs" | median)
    echo
    echo "spider_cli: $complete of $runs runs listed all $want URLs; median wall of those: ${wall:-n/a} s"
    awk '{print "  run: " $1 " URLs in " $2 " s"}' "$out/spider.runs"
fi

echo
for row in $rows; do
    c=${row%%.*} s=${row#*.}
    [ "$s" = dom ] && continue
    if [ -f "$out/$row.jsonl" ] && [ -f "$out/${c%@before}.dom.jsonl" ]; then
        if cmp -s <(records "$out/$row.jsonl") <(records "$out/${c%@before}.dom.jsonl"); then
            echo "$c: $s and dom gave the same $(wc -l <"$out/$row.jsonl") records"
        else
            echo "$c: $s and dom DIFFER"
        fi
    fi
done
# Every contestant against the first, strategy by strategy: the same records, byte for byte
# (sorted, since each finishes pages in its own order).
first=$(echo $contestants | awk '{print $1}')
for s in $strategies; do
    for c in $contestants; do
        [ "$c" = "$first" ] && continue
        [ -f "$out/$c.$s.jsonl" ] && [ -f "$out/$first.$s.jsonl" ] || continue
        if cmp -s <(records "$out/$c.$s.jsonl") <(records "$out/$first.$s.jsonl"); then
            echo "$c and $first ($s): the same $(wc -l <"$out/$c.$s.jsonl") records"
        else
            echo "$c and $first ($s): records DIFFER"
        fi
    done
done
