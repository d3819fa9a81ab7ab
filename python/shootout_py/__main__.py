"""`python -m shootout_py`: run one job for the harness, on the protocol every contestant
speaks (docs/protocol.md; the Rust side is crates/core/src/job.rs).

- stdin: one JSON object, the job: `protocol`, `contestant`, `scenario`, `knobs` (the lab's
  `Knobs`), and the scenario's inputs, built by the harness so every contestant gets the very
  same ones: `urls` (download, scrape, pitfall), `pages` (parse: a file and its index),
  `crawl` (`root`, `max_pages`, `max_depth`, `prefix`, `robots`), `offload` (pitfall) and
  `stream`.
- stdout: JSON lines. `{"record": RECORD}` once per input; with `stream` (used by `shootout
  crawl`), `{"admitted": URL}` and `{"record": RECORD}` as they happen. Last, `{"done":
  {"wall_s", "cpu_s", "peak_rss", "lags_s", "driver", "runtime"}}`, measured around the
  scenario alone, like a Rust child.
- exit status 0; 2 with one line on stderr for a job it cannot run; anything else is a crash.

`python -m shootout_py --check [CONTESTANT]` imports what the contestants share (and what
CONTESTANT needs of its own) and prints the interpreter, its GIL and the versions: the
harness's test that an interpreter is ready for that contestant.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import platform
import sys


# The oldest CPython the package supports (python/pyproject.toml: requires-python).
OLDEST = (3, 10)


def interpreter() -> str:
    """This interpreter, as every Python row names it: `CPython 3.11.7, GIL on`. The GIL's
    state is the one of this run (`sys._is_gil_enabled()`, 3.13 and later: a free-threaded
    build may turn it back on, for a module that needs it); before 3.13 it is always on."""
    gil = getattr(sys, "_is_gil_enabled", None)
    on = bool(gil()) if gil is not None else True
    name = {"cpython": "CPython", "pypy": "PyPy"}.get(sys.implementation.name, sys.implementation.name)
    return f"{name} {platform.python_version()}, GIL {'on' if on else 'off'}"


def check(contestant: str | None) -> int:
    """`--check [CONTESTANT]`: imports what every Python contestant needs (and, with a name,
    what that one needs of its own, such as uvloop), and prints the versions on one line; or
    one line on stderr that says what is missing, and exits 2."""
    if sys.version_info < OLDEST:
        print(
            f"Python {platform.python_version()} is older than the "
            f"{OLDEST[0]}.{OLDEST[1]} the python-* contestants need: pass --python with a newer one",
            file=sys.stderr,
        )
        return 2
    try:
        import aiofiles  # noqa: F401 - its version is read from its metadata (it has no __version__)
        import aiohttp
        import bs4
        import lxml.etree
        import requests
    except ImportError as e:
        # Read by the harness, which puts it in its own one-line error: no prefix of ours.
        print(f"{e}: python/requirements.txt is not installed for {sys.executable}", file=sys.stderr)
        return 2
    line = (
        f"{interpreter()}; aiofiles {importlib.metadata.version('aiofiles')}, aiohttp {aiohttp.__version__}, "
        f"beautifulsoup4 {bs4.__version__}, lxml {lxml.etree.__version__}, "
        f"requests {requests.__version__}"
    )
    own = OWN_IMPORTS.get(contestant or "")
    if own is not None:
        try:
            module = importlib.import_module(own)
        except ImportError as e:
            print(
                f"{contestant} needs {own}, which does not import here ({e}): "
                f"install python/requirements-{own}.txt",
                file=sys.stderr,
            )
            return 2
        line += f", {own} {getattr(module, '__version__', '?')}"
    print(line)
    return 0


# What a contestant imports beyond the shared requirements (python/requirements.txt): each is
# a requirements file of its own, so a machine or interpreter without it loses that row only.
OWN_IMPORTS = {"python-uvloop": "uvloop"}


def main() -> int:
    if sys.argv[1:2] == ["--check"]:
        return check(sys.argv[2] if len(sys.argv) > 2 else None)
    from . import aio, pool, sequential, threads
    from .common import BadJob, Job, Output

    contestants = {
        "python-sequential": sequential.run,
        "python-asyncio": aio.run,
        "python-uvloop": aio.run_uvloop,
        "python-threads": threads.run,
        "python-pool": pool.run,
    }
    try:
        try:
            text = json.load(sys.stdin)
        except ValueError as e:
            raise BadJob(f"malformed job: {e}") from e
        job = Job.from_json(text)
        run = contestants.get(job.contestant)
        if run is None:
            raise BadJob(f"unknown contestant '{job.contestant}'")
        out = Output(job.stream, job=job)
        out.done(run(job, out))
    except BadJob as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
