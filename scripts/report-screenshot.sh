#!/usr/bin/env bash
# Screenshots the top of a report's page in headless chromium: the picture in the README.
# Usage: scripts/report-screenshot.sh [PAGE] [PNG]   (defaults: target/report/index.html docs/report.png)
set -euo pipefail
page=${1:-target/report/index.html}
png=${2:-docs/report.png}
browser=${SHOOTOUT_CHROMIUM:-}
if [ -z "$browser" ]; then
    for c in chromium chromium-browser google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then browser=$c; break; fi
    done
fi
if [ -z "$browser" ]; then
    echo "note: no chromium, so $png was not updated (scripts/chromium.sh installs it)" >&2
    exit 0
fi
[ -f "$page" ] || { echo "error: no page at $page; run \`just results\` first" >&2; exit 1; }
"$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --window-size=1100,2600 --screenshot="$(realpath -m "$png")" "file://$(realpath "$page")" \
    >/dev/null 2>&1
echo "screenshot: $png"
