"""python-sequential: one request at a time, with requests. The "before" picture of both
articles: every wait is waited in full, one after another.

The twin of crates/sequential. A crawl is a plain breadth-first loop over a deque.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from .common import (
    Frontier,
    Job,
    Output,
    Unsupported,
    contained,
    contained_crawl,
    download_record,
    load_robots,
    parse_record,
    scrape_record,
    sleep_record,
    timed,
)
from .http import BlockingClient


def run(job: Job, out: Output) -> dict[str, Any]:
    client = BlockingClient(job.knobs)
    wait = job.knobs.latency_ms / 1000
    # Each repetition connects as the first did (docs/methodology.md).
    again = client.reconnect

    def sleep() -> list[dict[str, Any]]:
        records = []
        for i in range(job.knobs.pages):
            time.sleep(wait)  # the blocking wait: nothing else can happen meanwhile
            records.append(sleep_record(i))
        return records

    if job.scenario == "sleep":
        return timed(sleep, budget_s=job.budget_s)
    if job.scenario == "download":
        download = lambda: [contained(u, lambda: download_record(u, client.get(u))) for u in job.urls]  # noqa: E731
        return timed(download, budget_s=job.budget_s, between=again)
    if job.scenario == "scrape":
        scrape = lambda: [contained(u, lambda: scrape_record(u, client.get(u))) for u in job.urls]  # noqa: E731
        return timed(scrape, budget_s=job.budget_s, between=again)
    if job.scenario == "parse":
        return timed(lambda: [contained(u, lambda: parse_record(u, b)) for u, b in job.pages], budget_s=job.budget_s)
    if job.scenario == "crawl":
        robots = load_robots(job)

        def crawl() -> list[dict[str, Any]]:
            frontier = Frontier(job, out, robots)
            queue = deque([frontier.root])
            while queue:
                url = queue.popleft()
                queue.extend(frontier.finish(*contained_crawl(url, client.get(url, frontier.scope))))
            return frontier.records

        return timed(crawl, budget_s=job.budget_s, between=again)
    raise Unsupported(f"python-sequential does not run the {job.scenario} scenario")
