#!/usr/bin/env bash
# Make .venv for the python-* contestants and install python/requirements.txt into it (and
# python/requirements-uvloop.txt, whose failure costs python-uvloop's row only), then
# check that the package imports. `just python` and CI run this; with --dev (CI) it installs
# python/requirements-dev.txt instead, which adds the type checker.
#
# uv is used if present; otherwise python3 -m venv. If python3 (or its venv module) is
# missing and we are root on Debian or Ubuntu, apt-get installs it.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=python/requirements.txt
[ "${1:-}" = --dev ] && requirements=python/requirements-dev.txt

if ! command -v uv >/dev/null && ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "python3 or its venv module is missing: installing python3-venv with apt-get"
        apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
    else
        echo "error: python3 with its venv module is needed (apt-get install python3-venv), or uv" >&2
        exit 1
    fi
fi
if command -v uv >/dev/null; then
    [ -x .venv/bin/python ] || uv venv --quiet .venv
    uv pip install --quiet --python .venv/bin/python -r "$requirements"
else
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r "$requirements"
fi
# uvloop is python-uvloop's alone (python/requirements-uvloop.txt): where it will not install,
# that row is skipped with one line, and the rest go on.
if command -v uv >/dev/null; then
    uv pip install --quiet --python .venv/bin/python -r python/requirements-uvloop.txt
else
    .venv/bin/pip install --quiet --disable-pip-version-check -r python/requirements-uvloop.txt
fi || echo "note: uvloop did not install, so python-uvloop will be skipped (python/requirements-uvloop.txt)" >&2
PYTHONPATH=python .venv/bin/python -m shootout_py --check
PYTHONPATH=python .venv/bin/python -m shootout_py --check python-uvloop || true
