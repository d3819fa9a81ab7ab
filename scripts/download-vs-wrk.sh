#!/usr/bin/env bash
# download at L = 0 next to wrk, in interleaved rounds: wrk against `shootout serve`, then
# `shootout run download` with the same site, page size and C (its embedded server is the same
# code with the same knobs), so a slow minute on a shared machine hits both alike. Prints one
# Markdown table: requests/s per round, the medians, and each contestant's median ÷ wrk's.
#
# Usage: scripts/download-vs-wrk.sh
#   ROUNDS=5                        rounds
#   CONTESTANTS="compio,tokio,hybrid"
#   PAGES=20000 PAGE_KB=64 C=100    the site and the concurrency (wrk -c C, and -t = cores)
#   SECONDS_PER_WRK=5               how long each wrk round lasts
#
# wrk asks for /page/0, /page/1, … in turn (a Lua script), as the contestants do, so the server
# builds and sends a different page each time for both. Needs: a release build and wrk
# (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/shootout}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
rounds=${ROUNDS:-5}
contestants=${CONTESTANTS:-compio,tokio,hybrid}
pages=${PAGES:-20000}
page_kb=${PAGE_KB:-64}
c=${C:-100}
secs=${SECONDS_PER_WRK:-5}
threads=$(nproc)

out=$(mktemp -d)
trap 'kill ${server_pid:-} 2>/dev/null || true; rm -rf "$out"' EXIT
port=$((20000 + RANDOM % 20000))
"$bin" serve --port "$port" --pages "$pages" --page-kb "$page_kb" --latency-ms 0 >"$out/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q serving "$out/serve.log" 2>/dev/null && break; sleep 0.1; done
cat >"$out/pages.lua" <<EOF
local i = 0
request = function()
  local path = "/page/" .. (i % $pages)
  i = i + 1
  return wrk.format("GET", path)
end
EOF

echo "# $(date -u +%F) $threads cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); commit $(git rev-parse --short HEAD)"
echo "# wrk -t$threads -c$c -d${secs}s over $pages pages of $page_kb KiB; shootout run download -n $pages -l 0 -s $page_kb -c $c -t $threads"
IFS=, read -r -a names <<<"$contestants"
for r in $(seq "$rounds"); do
    wrk -t"$threads" -c"$c" -d"${secs}s" -s "$out/pages.lua" "http://127.0.0.1:$port/" |
        awk '/Requests\/sec/ {print $2}' >>"$out/wrk"
    "$bin" run download -n "$pages" -l 0 -s "$page_kb" -c "$c" -t "$threads" \
        --contestants "$contestants" --json >"$out/run.$r.jsonl"
    for n in "${names[@]}"; do
        # The row's pages/s and driver; a row that is not verified counts as nothing.
        python3 - "$out/run.$r.jsonl" "$n" >>"$out/$n" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row["contestant"] == sys.argv[2]:
        print(row["pages_per_s"] if row["verified"] else 0, row["driver"])
PY
    done
    echo "# round $r of $rounds done" >&2
done

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
wrk_median=$(median <"$out/wrk")
printf '\n| round | wrk |'
for n in "${names[@]}"; do printf ' %s (%s) |' "$n" "$(awk 'NR == 1 {print $2}' "$out/$n")"; done
printf '\n|---|---:|'
for _ in "${names[@]}"; do printf -- '---:|'; done
echo
for r in $(seq "$rounds"); do
    printf '| %s | %.0f/s |' "$r" "$(sed -n "${r}p" "$out/wrk")"
    for n in "${names[@]}"; do printf ' %.0f/s |' "$(awk -v r="$r" 'NR == r {print $1}' "$out/$n")"; done
    echo
done
printf '| median | %.0f/s |' "$wrk_median"
for n in "${names[@]}"; do printf ' %.0f/s |' "$(awk '{print $1}' "$out/$n" | median)"; done
echo
printf '| ÷ wrk | 100%% |'
for n in "${names[@]}"; do
    printf ' %.0f%% |' "$(awk '{print $1}' "$out/$n" | median | awk -v w="$wrk_median" '{print 100 * $1 / w}')"
done
echo
