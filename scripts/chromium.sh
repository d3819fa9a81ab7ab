#!/usr/bin/env bash
# Makes sure headless chromium is there for the report's browser test (tests/report.rs) and
# for `just results`' screenshot: Debian's `chromium` package, installed with apt-get when
# running as root, else a line that says how.
set -euo pipefail
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then
        echo "chromium: $("$c" --version 2>/dev/null | head -n 1)"
        exit 0
    fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium: installing Debian's chromium package"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    chromium --version 2>/dev/null | head -n 1
else
    echo "error: no chromium; install it (sudo apt-get install chromium) or set SHOOTOUT_CHROMIUM" >&2
    exit 1
fi
