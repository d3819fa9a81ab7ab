"""python-pool: the second article's program. `multiprocessing.Pool(T).map` parses on T
processes, each with its own interpreter and its own GIL, which is how Python gets parallel
CPU work under the GIL. For the network scenarios, a pool of C processes does blocking fetches
with requests, and at most T of them parse at once (a `multiprocessing.Semaphore(T)`), so the
knobs mean what they mean for every other contestant.

The twin of crates/threads, with processes where Rust has threads: every worker is a whole
interpreter (its memory counts), and every page and record crosses a pipe, pickled.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from .common import (
    OpenLoop,
    Frontier,
    Job,
    Knobs,
    Output,
    Record,
    Scope,
    Unsupported,
    contained,
    contained_crawl,
    download_record,
    failed,
    fetches,
    late,
    load_record,
    load_robots,
    parse_record,
    read_file,
    write_file,
    scrape_record,
    sleep_record,
    timed,
    workers,
)
from .http import BlockingClient

# Each worker's own state, made once per process by `_init`.
_client: BlockingClient | None = None
_parsing: Any = None
_everyone: Any = None
_wait = 0.0
_scope: Scope | None = None


def _init(knobs: Knobs, parsing: Any, everyone: Any, scope: Scope | None) -> None:
    global _client, _parsing, _everyone, _wait, _scope
    _client = BlockingClient(knobs)
    _parsing = parsing
    _everyone = everyone
    _wait = knobs.latency_ms / 1000
    _scope = scope


def _reconnect(_: int) -> None:
    """Drops this worker's pooled connections, then waits for every other worker to do the
    same: a worker held at the barrier takes no second task, so each worker runs this once."""
    assert _client is not None, "the pool initializer ran"
    _client.reconnect()
    _everyone.wait()


def _get(url: str) -> Any:
    assert _client is not None, "the pool initializer ran"
    # In a crawl, redirects are followed only within its scope.
    return _client.get(url, _scope)


def _sleep(i: int) -> Record:
    time.sleep(_wait)
    return sleep_record(i)


def _download(url: str) -> Record:
    return contained(url, lambda: download_record(url, _get(url)))


def _scrape(url: str) -> Record:
    got = _get(url)
    with _parsing:  # at most T processes parse at once; the rest are waiting on the network
        return contained(url, lambda: scrape_record(url, got))


def _crawl(url: str) -> tuple[Record, list[str]]:
    got = _get(url)
    with _parsing:
        return contained_crawl(url, got)


def _load(url: str, due: float) -> Record:
    # `due` is the parent's `time.monotonic()`: one clock for every process on the machine.
    assert _client is not None, "the pool initializer ran"
    got = late(due, _client.knobs) or _get(url)
    return contained(url, lambda: load_record(url, due, got))


def _parse(page: tuple[str, bytes]) -> Record:
    return contained(page[0], lambda: parse_record(*page))


def _file(path: str) -> Record:
    return read_file(path)


def _write(task: tuple[str, bytes, int, bool]) -> Record:
    return write_file(*task)


def run(job: Job, out: Output) -> dict[str, Any]:
    k = job.knobs
    if job.scenario == "pitfall":
        raise Unsupported("python-pool has no event loop to block, so it does not run pitfall")
    network = job.scenario != "parse"
    # A process per read in flight for `files` too: a read blocks its process as a request does.
    size = k.concurrency if network else k.threads
    parsing = multiprocessing.Semaphore(k.threads)
    everyone = multiprocessing.Barrier(size)
    robots = load_robots(job)
    scope = Scope.of(job, robots) if job.scenario == "crawl" else None
    # Set-up, outside the clock: the pool starts its processes now, and the warm-up map makes
    # sure every one of them is up before timing starts.
    with multiprocessing.Pool(size, initializer=_init, initargs=(k, parsing, everyone, scope)) as pool:
        pool.map(time.sleep, [0.05] * size, chunksize=1)

        def each(fn: Callable[[Any], Record], items: list[Any]) -> Callable[[], list[Record]]:
            # chunksize=1: one page per message, so a slow page never holds up a batch behind it.
            chunk = 1 if network else max(1, len(items) // (4 * size))
            return lambda: pool.map(fn, items, chunksize=chunk)

        def crawl() -> list[Record]:
            # Level by level: the pool fetches and parses a whole level, then the frontier
            # admits the next.
            frontier = Frontier(job, out, robots)
            level = [frontier.root]
            while level:
                following: list[str] = []
                for r, links in pool.imap_unordered(_crawl, level):
                    following.extend(frontier.finish(r, links))
                level = following
            return frontier.records

        def load() -> list[Record]:
            # The open loop on C processes: the parent sleeps until each request falls due
            # and hands it to the pool; the pool's task queue is where it waits, at most C + Q
            # outstanding (common.OpenLoop).
            loop = OpenLoop(job)

            def raised(i: int, url: str) -> Callable[[BaseException], None]:
                # A worker that raised still answers: its URL's `internal` record.
                return lambda e: loop.answered(i, failed(url, e))

            pending = [
                pool.apply_async(
                    _load,
                    (url, due),
                    callback=partial(loop.answered, i),
                    error_callback=raised(i, url),
                )
                for i, url, due in loop.due()
            ]
            for p in pending:
                p.wait()
            return loop.records

        work = {
            "sleep": each(_sleep, list(range(k.pages))),
            "download": each(_download, job.urls),
            "scrape": each(_scrape, job.urls),
            "parse": each(_parse, job.pages),
            "files": each(_file, job.files),
            # Each task carries its file's source bytes to its worker: a process pool's cost.
            "write": each(_write, [(p, job.source, i, k.fsync) for i, p in enumerate(job.files)]),
            "crawl": crawl,
            "load": load,
        }.get(job.scenario)
        if work is None:
            raise Unsupported(f"python-pool does not run the {job.scenario} scenario")
        # Each repetition connects as the first did (docs/methodology.md): every worker
        # drops its connections, off the clock.
        def reconnect() -> None:
            pool.map(_reconnect, range(size), chunksize=1)

        return timed(work, workers, job.budget_s, reconnect if fetches(job.scenario) else None)
