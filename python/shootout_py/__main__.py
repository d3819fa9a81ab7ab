"""`python -m shootout_py`: run one job for the Rust harness.

The protocol (the Rust side is crates/lab/src/python.rs):

- stdin: one JSON object, the job: `contestant`, `scenario`, `knobs` (the lab's `Knobs`), and
  the scenario's inputs, built by the harness so every contestant gets the very same ones:
  `urls` (download, scrape, pitfall), `pages` (parse: `url` and `body`), `root`, `max_pages`,
  `max_depth`, `prefix` and `robots` (crawl), `offload` (pitfall) and `stream`.
- stdout: JSON lines. With `stream` (used by `shootout crawl`), `{"admitted": URL}` and
  `{"record": RECORD}` as they happen. Always, last, `{"result": {"records", "wall_s",
  "cpu_s", "peak_rss", "lags_s"}}`, measured around the scenario alone, like a Rust child.
- exit status 0, or 2 for a job this contestant does not run, or a traceback and 1.

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
    from .common import Job, Output, Unsupported

    job = Job.from_json(json.load(sys.stdin))
    contestants = {
        "python-sequential": sequential.run,
        "python-asyncio": aio.run,
        "python-pool": pool.run,
    }
    run = contestants.get(job.contestant)
    if run is None:
        print(f"error: unknown contestant '{job.contestant}'", file=sys.stderr)
        return 2
    out = Output(job.stream)
    try:
        out.result(run(job, out))
    except Unsupported as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
