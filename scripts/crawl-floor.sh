#!/usr/bin/env bash
# A crawl against its floor: what the same pages cost the client with nothing but the fetch,
# with the fetch and extraction, and crawled; and what the server spent. All in one sitting,
# the runs interleaved, so a slow minute hits every measure alike.
#
# Usage: scripts/crawl-floor.sh [DIR | URL]
#   DIR        a tree of HTML files, served here by `shootout serve --dir DIR --latency-ms 0`
#              (default: the Rust toolchain's HTML docs)
#   URL        a site already served on this machine (nginx, `shootout serve`, ...): its
#              server's CPU is read from the processes that hold its port. Extraction alone is
#              timed on DOCS=DIR if set (the tree that URL serves); if not, on the parsed pages
#              fetched again with curl into a temporary directory; without curl, the client's
#              floor is the scrape's CPU (fetch and extraction together), and the ratio to
#              fetch plus extraction is not shown. For a generated site with a sidebar:
#              `shootout serve --pages 20000 -s 20 --links-per-page 100 -l 0 --port 18700 &`
#              then `scripts/crawl-floor.sh http://127.0.0.1:18700/`.
#   RUNS=3                       interleaved runs of each measure; the median is reported
#   CONTESTANTS="compio tokio hybrid"   who crawls (each row is one contestant's)
#   C=32                         requests in flight, the same in every measure
#   EXTRACT=tokenize             the extraction strategy
#   BIN=target/release/shootout  the binary
#   KEEP=dir                     keep every run's records and totals in dir
#   BEFORE=/path/to/old/shootout also crawl with an older build, in the same rounds; its rows
#                                ("before") take fetch, scrape and extraction from this build
#                                (an old build may have no --fetch-list), so change only the
#                                crawl's own work between the two
#
# For each contestant, per page (median of RUNS) and in all:
#   fetch        `crawl --fetch-list`: the crawl's own pages fetched again, nothing parsed
#   scrape       `crawl --scrape-list`: the same, each page parsed and given its record
#   extraction   `compare_strategies --only EXTRACT` over DIR (or the parsed pages, fetched
#                again), as MB/s on one core, applied to the bytes of the pages the crawl parsed;
#                timed in every round
#   crawl        `crawl`: fetch, extract, resolve, the frontier, the records
#   server       the server's CPU while the crawl ran, and while the bare fetch ran
# the idle share (of cores × wall, what neither client, relay nor server used: the waiting),
# and two ratios: crawl CPU ÷ (fetch + extraction), and crawl wall ÷ the floor, where the
# floor is (client floor + server CPU of the bare fetch) ÷ cores, the client floor being
# (fetch + extraction) × pages. Each ratio is the median of the rounds' own ratios (a round
# runs every measure once, extraction alone included, one after another), not a ratio of
# medians: this VM's cores change speed for seconds at a time, and a ratio within a round
# sees one speed. CPU is each client process's own, around its work alone (the
# child's closing line). Finally it checks that the crawl's records and the scrape's are the
# same, field for field (each record's latency aside).
#
# Needs: a release build (`cargo build --release`, done here), bash and awk.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cargo build --release --quiet -p shootout-core --example compare_strategies
bin=${BIN:-target/release/shootout}
runs=${RUNS:-3}
contestants=${CONTESTANTS:-compio tokio hybrid}
c=${C:-32}
extract=${EXTRACT:-tokenize}
cores=$(nproc)

# shellcheck source=scripts/measure-lib.sh
. scripts/measure-lib.sh
keep_or_scratch

target=${1:-$(rustc --print sysroot)/share/doc/rust/html}
case "$target" in
http://* | https://*)
    url=$target
    docs=${DOCS:-}
    ;;
*)
    [ -d "$target" ] || { echo "crawl-floor: $target is neither a directory nor an http(s) URL" >&2; exit 2; }
    docs=$target
    serve_dir "$bin" "$docs"
    ;;
esac

echo "# $(date -u +%F) $cores cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); rustc $(rustc --version | cut -d' ' -f2); commit $(git rev-parse --short HEAD)"
echo "# $url${docs:+ ($docs)}, C=$c, --extract $extract, $runs interleaved runs each"

# One measure: records to a file, the totals line kept. `what` is crawl, fetch or scrape.
measure() { # contestant what run [binary label]
    local list=() b=${4:-$bin} tag=${5:-}
    case "$2" in
    fetch) list=(--fetch-list "$out/list.jsonl") ;;
    scrape) list=(--scrape-list "$out/list.jsonl") ;;
    crawl) list=(--max-pages 10000000) ;;
    esac
    "$b" crawl --url "$url" --contestant "$1" -c "$c" --extract "$extract" "${list[@]}" --json \
        >"$out/$1$tag.$2.jsonl" 2>"$out/$1$tag.$2.$3.err"
    tail -n 1 "$out/$1$tag.$2.$3.err" >>"$out/$1$tag.$2.totals"
}

# A first crawl warms the server (its files into the page cache) and lists the pages.
first=$(echo $contestants | awk '{print $1}')
"$bin" crawl --url "$url" --contestant "$first" -c "$c" --extract "$extract" --max-pages 10000000 \
    --json >"$out/list.jsonl" 2>"$out/warm.err" || { cat "$out/warm.err" >&2; exit 1; }
pages=$(grep -c '"status":[0-9]' "$out/list.jsonl" || true)
# The bytes extraction had to read: the pages a crawl parsed (a title or a link found). A page
# parsed with neither is left out, so the floor is, if anything, too low.
parsed_bytes=$(grep -E '"title":"|"links":[1-9]' "$out/list.jsonl" | sed -E 's/.*"size":([0-9]+).*/\1/' | awk '{ s += $1 } END { print s + 0 }')
echo "# $pages pages fetched, $parsed_bytes bytes of them parsed"

if [ -z "$docs" ] && command -v curl >/dev/null; then
    # No tree to time extraction on: fetch the pages the crawl parsed into one (with curl,
    # 32 at a time, before the runs, so it perturbs none), each as N.html.
    mkdir -p "$out/pages"
    grep -E '"title":"|"links":[1-9]' "$out/list.jsonl" | sed -E 's/^\{"url":"([^"]*)".*/\1/' |
        awk -v d="$out/pages" '{ printf "url = \"%s\"\noutput = \"%s/%d.html\"\n", $0, d, NR }' >"$out/curl.cfg"
    curl -s --parallel --parallel-max 32 -K "$out/curl.cfg"
    docs=$out/pages
fi
# Extraction alone, timed in every round beside the crawls, as seconds over the parsed bytes
# (appended to $out/extraction.s, one line a round); nothing without a tree.
extraction() {
    [ -n "$docs" ] || return 0
    local line rate
    line=$(target/release/examples/compare_strategies --only "$extract" "$docs" | grep "MB/s")
    rate=$(echo "$line" | awk '{ print $4 }') # MB/s on one core
    echo "$rate" >>"$out/extraction.rates"
    awk -v b="$parsed_bytes" -v r="$rate" 'BEGIN { print b / 1e6 / r }' >>"$out/extraction.s"
}

for r in $(seq "$runs"); do
    for who in $contestants; do
        for what in fetch scrape crawl; do
            measure "$who" "$what" "$r"
        done
        if [ -n "${BEFORE:-}" ]; then
            measure "$who" crawl "$r" "$BEFORE" @before
        fi
    done
    extraction
    echo "# run $r of $runs done" >&2
done

extraction_s=""
if [ -n "$docs" ]; then
    extraction_s=$(median <"$out/extraction.s")
    rate=$(median <"$out/extraction.rates")
    echo "# extraction alone: $extract at $rate MB/s on one core (median of $runs) over $docs (compare_strategies --only)"
else
    echo "# extraction alone: not timed (no DOCS=DIR for $url, and no curl to fetch its pages); the floor wall uses the scrape's CPU for the client, which is more than fetch plus extraction"
fi

# One value a line, a line a round, in round order: each round's runs were adjacent, so a
# ratio taken within a round is not moved by a slow minute that hit one measure and not another.
per_round() { # totals-file what
    case "$2" in
    cpu) sed -E 's/.*; cpu ([0-9.]+ (s|ms|µs)),.*/\1/' "$1" | secs ;;
    wall) sed -E 's/.* in ([0-9.]+ (s|ms|µs)) with.*/\1/' "$1" | secs ;;
    server) sed -E -n 's/.*server cpu (under )?([0-9.]+ (s|ms|µs)).*/\2/p' "$1" | secs ;;
    esac
}
field() { # totals-file what
    case "$2" in
    wall | cpu) per_round "$1" "$2" | median ;;
    server) grep 'server cpu [0-9]' "$1" | sed -E 's/.*server cpu ([0-9.]+ (s|ms|µs)).*/\1/' | secs | median ;;
    mem) sed -E 's/.*peak mem ([0-9.]+) MiB.*/\1/' "$1" | sort -g | tail -n 1 ;;
    # The share of the cores' time that neither the client, its relaying parent nor the
    # server used: the crawl waiting (for the server, for work), whatever it waits on.
    idle) grep 'server cpu [0-9]' "$1" | while read -r line; do
            w=$(echo "$line" | sed -E 's/.* in ([0-9.]+ (s|ms|µs)) with.*/\1/' | secs)
            c=$(echo "$line" | sed -E 's/.*; cpu ([0-9.]+ (s|ms|µs)),.*/\1/' | secs)
            r=$(echo "$line" | sed -E 's/.*relaying ([0-9.]+ (s|ms|µs)).*/\1/' | secs)
            v=$(echo "$line" | sed -E 's/.*server cpu ([0-9.]+ (s|ms|µs)).*/\1/' | secs)
            awk -v w="$w" -v c="$c" -v r="$r" -v v="$v" -v n="$cores" 'BEGIN { print 1 - (c + r + v) / (n * w) }'
        done | median ;;
    esac
}
us() { awk -v s="$1" -v n="$pages" 'BEGIN { if (s == "") print "n/a"; else printf "%.1f µs", s * 1e6 / n }'; }

echo
echo "| contestant | fetch | scrape | extraction alone | crawl | server (crawl) | server (fetch) | crawl ÷ (fetch + extraction) | crawl ÷ scrape | crawl wall | floor wall | wall ÷ floor | idle (crawl, fetch) | peak mem (crawl) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
row() { # label contestant crawl-totals
    local fetch scrape crawl wall server_crawl server_fetch mem ratio=n/a floor=n/a wall_ratio=n/a
    fetch=$(field "$out/$2.fetch.totals" cpu)
    scrape=$(field "$out/$2.scrape.totals" cpu)
    crawl=$(field "$3" cpu)
    wall=$(field "$3" wall)
    server_crawl=$(field "$3" server)
    server_fetch=$(field "$out/$2.fetch.totals" server)
    mem=$(field "$3" mem)
    # The client's floor: the bare fetch plus extraction alone; with no tree to time
    # extraction on, the scrape (fetch and extraction in one process, which is more).
    local client
    if [ -n "$extraction_s" ]; then
        ratio=$(paste <(per_round "$3" cpu) <(per_round "$out/$2.fetch.totals" cpu) "$out/extraction.s" |
            awk '{ print $1 / ($2 + $3) }' | median | awk '{ printf "%.2f×", $1 }')
        client=$(awk -v f="$fetch" -v e="$extraction_s" 'BEGIN { print f + e }')
    else
        client=$scrape
    fi
    if [ -n "$server_fetch" ]; then
        floor=$(awk -v c="$client" -v s="$server_fetch" -v n="$cores" 'BEGIN { print (c + s) / n }')
        wall_ratio=$(awk -v w="$wall" -v f="$floor" 'BEGIN { printf "%.2f×", w / f }')
        floor=$(awk -v f="$floor" 'BEGIN { printf "%.3f s", f }')
        # Within each round instead, where every round has the server's CPU and extraction.
        if [ -n "$extraction_s" ] && [ "$(per_round "$out/$2.fetch.totals" server | wc -l)" -eq "$runs" ]; then
            wall_ratio=$(paste <(per_round "$3" wall) <(per_round "$out/$2.fetch.totals" cpu) \
                "$out/extraction.s" <(per_round "$out/$2.fetch.totals" server) |
                awk -v n="$cores" '{ print $1 / (($2 + $3 + $4) / n) }' | median | awk '{ printf "%.2f×", $1 }')
        fi
    fi
    local idle
    idle=$(awk -v a="$(field "$3" idle)" -v b="$(field "$out/$2.fetch.totals" idle)" \
        'BEGIN { if (a == "" || b == "") print "n/a"; else printf "%.0f%%, %.0f%%", (a > 0 ? a : 0) * 100, (b > 0 ? b : 0) * 100 }')
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.3f s | %s | %s | %s | %s MiB |\n' \
        "$1" "$(us "$fetch")" "$(us "$scrape")" "$(us "$extraction_s")" "$(us "$crawl")" \
        "$(us "$server_crawl")" "$(us "$server_fetch")" "$ratio" \
        "$(awk -v k="$crawl" -v s="$scrape" 'BEGIN { printf "%.2f×", k / s }')" \
        "$wall" "$floor" "$wall_ratio" "$idle" "$mem"
}
for who in $contestants; do
    row "$who" "$who" "$out/$who.crawl.totals"
    [ -n "${BEFORE:-}" ] && row "$who (before)" "$who" "$out/$who@before.crawl.totals"
done
echo
echo "In all (s, medians): fetch, scrape, crawl CPU; extraction alone ${extraction_s:-n/a} s over $pages pages"
for who in $contestants; do
    echo "  $who: $(field "$out/$who.fetch.totals" cpu) $(field "$out/$who.scrape.totals" cpu) $(field "$out/$who.crawl.totals" cpu)${BEFORE:+ (before: $(field "$out/$who@before.crawl.totals" cpu))}"
done

# The crawl's records against the scrape's: every field the same, each latency aside.
records() { grep "\"status\":[0-9]" "$1" | sed -E 's/,"latency":\{[^}]*\}//' | sort; }
echo
for who in $contestants; do
    if cmp -s <(records "$out/$who.crawl.jsonl") <(records "$out/$who.scrape.jsonl"); then
        echo "$who: the crawl and the scrape gave the same $(wc -l <"$out/$who.crawl.jsonl") records"
    else
        echo "$who: the crawl's records and the scrape's DIFFER"
    fi
    if [ -n "${BEFORE:-}" ]; then
        if cmp -s <(records "$out/$who.crawl.jsonl") <(records "$out/$who@before.crawl.jsonl"); then
            echo "$who: this build's crawl and the before build's gave the same $(wc -l <"$out/$who.crawl.jsonl") records"
        else
            echo "$who: this build's crawl and the before build's records DIFFER"
        fi
    fi
done
