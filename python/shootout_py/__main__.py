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

`python -m shootout_py --check` imports everything and prints the versions: the harness's
test that an interpreter is ready.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    if sys.argv[1:] == ["--check"]:
        import aiohttp
        import bs4
        import lxml.etree
        import requests

        print(
            f"python {sys.version.split()[0]}, aiohttp {aiohttp.__version__}, "
            f"beautifulsoup4 {bs4.__version__}, lxml {lxml.etree.__version__}, "
            f"requests {requests.__version__}"
        )
        return 0
    from . import aio, pool, sequential
    from .common import BadJob, Job, Output

    contestants = {
        "python-sequential": sequential.run,
        "python-asyncio": aio.run,
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
