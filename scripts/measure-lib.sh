# Shared by scripts/crawl-corpus.sh and scripts/crawl-floor.sh; sourced, not run.
#
# keep_or_scratch: sets $out to KEEP (kept) or a temporary directory (removed at exit), and
#   kills the server serve_dir started, if any, at exit.
# serve_dir BIN DIR: serves DIR with `BIN serve --dir` on a free-ish port at L = 0, sets $url
#   and $server_pid, and waits until it serves (its log is $out/serve.log).
# secs: "3.2 ms" lines to seconds. median: the median of numbers, one a line.

keep_or_scratch() {
    if [ -n "${KEEP:-}" ]; then
        out=$KEEP
        mkdir -p "$out"
        trap 'kill ${server_pid:-} 2>/dev/null || true' EXIT
    else
        out=$(mktemp -d)
        trap 'kill ${server_pid:-} 2>/dev/null || true; rm -rf "$out"' EXIT
    fi
}

serve_dir() { # bin dir
    local port=$((20000 + RANDOM % 20000))
    "$1" serve --dir "$2" --port "$port" --latency-ms 0 >"$out/serve.log" 2>&1 &
    server_pid=$!
    url="http://127.0.0.1:$port/"
    for _ in $(seq 100); do grep -q serving "$out/serve.log" 2>/dev/null && break; sleep 0.1; done
    grep -q serving "$out/serve.log" || { cat "$out/serve.log" >&2; exit 1; }
}

secs() { awk '{ v = $1; if ($2 == "ms") v /= 1000; if ($2 == "µs") v /= 1e6; print v }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print ""; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
