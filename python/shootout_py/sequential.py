"""python-sequential: one request at a time, with requests. The "before" picture of both
articles: every wait is waited in full, one after another.

The twin of crates/sequential. A crawl is a plain breadth-first loop over a deque; `load`
sends each request as soon as it can after it falls due, and what falls due meanwhile queues.
"""

from __future__ import annotations

import time
from array import array
from collections import deque
from typing import Any

from .common import (
    Backlog,
    Frontier,
    Job,
    Output,
    Unsupported,
    contained,
    contained_crawl,
    download_record,
    fetches,
    late,
    load_record,
    load_robots,
    Refused,
    parse_record,
    read_file,
    request_url,
    write_file,
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
    if job.scenario == "files":
        # `open(path, "rb").read()` in a loop: each read blocks the only thread.
        return measure(lambda: [read_file(p) for p in job.files])
    if job.scenario == "write":
        return measure(lambda: [write_file(p, job.source, i, job.knobs.fsync) for i, p in enumerate(job.files)])
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
    if job.scenario == "load":

        def load() -> list[dict[str, Any]]:
            # Open loop, one at a time: what falls due while a request is out waits its turn
            # (at most Q deep), and the wait counts (crates/sequential/src/load.rs).
            start = time.monotonic()
            due = array("d", (t / 1e6 for t in job.due_us))  # 8 bytes a request, not 32
            backlog = Backlog(due, job.knobs.queue)
            records: list[Any] = [{}] * len(due)  # a record, or a Refused index
            while True:
                step, arg = backlog.next(time.monotonic() - start)
                if step == "done":
                    return records
                if step == "wait":
                    time.sleep(arg)
                    continue
                i = int(arg)
                url = request_url(job.urls[i % len(job.urls)], i)
                if step == "refuse":
                    records[i] = Refused(i)  # its record is made as it is written out
                    continue
                at = start + due[i]
                got = late(at, job.knobs) or client.get(url)
                records[i] = contained(url, lambda: load_record(url, at, got))

        return measure(load)
    raise Unsupported(f"python-sequential does not run the {job.scenario} scenario")
