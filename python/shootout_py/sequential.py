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
    fetches,
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

    def measure(work: Any) -> dict[str, Any]:
        # Repeated until the budget; each repetition connects as the first did
        # (docs/methodology.md).
        return timed(work, budget_s=job.budget_s, between=client.reconnect if fetches(job.scenario) else None)

    def sleep() -> list[dict[str, Any]]:
        records = []
        for i in range(job.knobs.pages):
            time.sleep(wait)  # the blocking wait: nothing else can happen meanwhile
            records.append(sleep_record(i))
        return records

    if job.scenario == "sleep":
        return measure(sleep)
    if job.scenario == "download":
        return measure(lambda: [contained(u, lambda: download_record(u, client.get(u))) for u in job.urls])
    if job.scenario == "scrape":
        return measure(lambda: [contained(u, lambda: scrape_record(u, client.get(u))) for u in job.urls])
    if job.scenario == "parse":
        return measure(lambda: [contained(u, lambda: parse_record(u, b)) for u, b in job.pages])
    if job.scenario == "crawl":
        robots = load_robots(job)

        def crawl() -> list[dict[str, Any]]:
            frontier = Frontier(job, out, robots)
            queue = deque([frontier.root])
            while queue:
                url = queue.popleft()
                queue.extend(frontier.finish(*contained_crawl(url, client.get(url, frontier.scope))))
            return frontier.records

        return measure(crawl)
    raise Unsupported(f"python-sequential does not run the {job.scenario} scenario")
