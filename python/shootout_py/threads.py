"""python-threads: what most Python programmers write first for concurrent downloads, and the
articles' third way ("threading for I/O-bound work"): a `concurrent.futures.ThreadPoolExecutor`
with C worker threads, each with its own `requests.Session`, parsing with BeautifulSoup and
lxml inline in the worker.

The twin of crates/threads. The waits overlap as well as on an event loop: a thread blocked in
a socket read releases the GIL. The parsing does not: under the GIL one thread runs Python at
a time, so T threads parse with one core's worth of CPU. On a free-threaded build (3.13t,
3.14t: `sys._is_gil_enabled()` is false) they parse on T cores. The child reports which it
ran on, and the harness sets its ideal from that report.

As in crates/threads, at most T of the C threads parse at once (a `threading.Semaphore(T)`),
so the knobs mean what they mean for every contestant. `crawl` has C workers pulling from one
queue, the shared frontier behind a lock; `load` is the open loop: this thread sleeps until
each request falls due and hands it to the pool. There is no event loop to block, so
`pitfall` does not apply.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from .common import (
    OpenLoop,
    Frontier,
    Job,
    Output,
    Record,
    Unsupported,
    contained,
    contained_crawl,
    download_record,
    fetches,
    late,
    load_record,
    load_robots,
    parse_record,
    read_file,
    scrape_record,
    sleep_record,
    timed,
    write_file,
)
from .http import BlockingClient


class Clients:
    """One `BlockingClient` (a `requests.Session`) per worker thread: a Session is not
    thread-safe to share, and its connection pool is per thread, as each ureq agent's is in
    crates/threads."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._local = threading.local()
        self._all: list[BlockingClient] = []
        self._lock = threading.Lock()

    def get(self) -> BlockingClient:
        client: BlockingClient | None = getattr(self._local, "client", None)
        if client is None:
            client = BlockingClient(self._job.knobs)
            self._local.client = client
            with self._lock:
                self._all.append(client)
        return client

    def reconnect(self) -> None:
        """Every thread's pooled connections closed (between repetitions, while the pool is
        idle): the next request connects as the first one did."""
        with self._lock:
            for c in self._all:
                c.reconnect()


def started(size: int, clients: Clients | None) -> ThreadPoolExecutor:
    """A pool of `size` threads, every one of them running before the clock starts: the
    executor starts a thread per submit only while none is idle, so `size` tasks that wait
    for each other at a barrier start all `size`. Each makes its client there too."""
    pool = ThreadPoolExecutor(size, thread_name_prefix="worker")
    everyone = threading.Barrier(size)

    def up(_: int) -> None:
        if clients is not None:
            clients.get()
        everyone.wait(timeout=60)

    list(pool.map(up, range(size)))
    return pool


def run(job: Job, out: Output) -> dict[str, Any]:
    k = job.knobs
    if job.scenario == "pitfall":
        raise Unsupported("python-threads has no event loop to block, so it does not run pitfall")
    network = fetches(job.scenario)
    clients = Clients(job) if network else None
    # A thread per request in flight (a waiting thread is a whole thread), or T to parse.
    size = k.concurrency if job.scenario != "parse" else k.threads
    pool = started(size, clients)
    parsing = threading.Semaphore(k.threads)  # at most T parse at once, as in crates/threads
    wait = k.latency_ms / 1000
    robots = load_robots(job)

    def client() -> BlockingClient:
        assert clients is not None, "a fetching scenario has clients"
        return clients.get()

    def each(fn: Callable[[Any], Record], items: list[Any]) -> Callable[[], list[Record]]:
        return lambda: list(pool.map(fn, items))

    def sleep_one(i: int) -> Record:
        time.sleep(wait)  # blocks this thread only, and releases the GIL meanwhile
        return sleep_record(i)

    def download_one(url: str) -> Record:
        return contained(url, lambda: download_record(url, client().get(url)))

    def scrape_one(url: str) -> Record:
        got = client().get(url)
        with parsing:  # at most T parse at once; under the GIL, one runs Python at a time anyway
            return contained(url, lambda: scrape_record(url, got))

    def parse_one(page: tuple[str, bytes]) -> Record:
        return contained(page[0], lambda: parse_record(*page))

    def file_one(path: str) -> Record:
        # Plain `open`: the read blocks this thread, and releases the GIL while it waits.
        return read_file(path)

    def write_one(i: int) -> Record:
        return write_file(job.files[i], job.source, i, k.fsync)

    def crawl() -> list[Record]:
        # C workers pull URLs from one queue; the frontier, shared, decides what is queued,
        # under a lock (a Python dict is safe to share, but admitting a URL reads and writes
        # several of them, and writes its line to the output).
        frontier = Frontier(job, out, robots)
        lock = threading.Lock()
        todo: queue.Queue[str | None] = queue.Queue()
        todo.put(frontier.root)

        def worker() -> None:
            while (url := todo.get()) is not None:
                try:
                    got = client().get(url, frontier.scope)
                    with parsing:
                        r, links = contained_crawl(url, got)
                    with lock:
                        following = frontier.finish(r, links)
                    for u in following:
                        todo.put(u)
                finally:
                    todo.task_done()  # even if this page raised, the crawl can end

        workers = [pool.submit(worker) for _ in range(k.concurrency)]
        try:
            todo.join()
        finally:
            # One stop marker per worker, Ctrl-C included: no thread is left waiting.
            for _ in workers:
                todo.put(None)
        for w in workers:
            w.result()  # a worker that raised says so here, not silently
        return frontier.records

    def load() -> list[Record]:
        # The open loop (crates/threads/src/load.rs): this thread sleeps until each request
        # falls due and hands it to the C threads; the executor's queue is where it waits, at
        # most C + Q outstanding (common.OpenLoop).
        loop = OpenLoop(job)

        def one(i: int, url: str, due: float) -> None:
            # `contained` catches anything, so every admitted request is answered.
            loop.answered(i, contained(url, lambda: load_record(url, due, late(due, k) or client().get(url))))

        pending = [pool.submit(one, i, url, due) for i, url, due in loop.due()]
        for p in pending:
            p.result()
        return loop.records

    work = {
        "sleep": each(sleep_one, list(range(k.pages))),
        "download": each(download_one, job.urls),
        "scrape": each(scrape_one, job.urls),
        "parse": each(parse_one, job.pages),
        "files": each(file_one, job.files),
        "write": each(write_one, list(range(len(job.files)))),
        "crawl": crawl,
        "load": load,
    }.get(job.scenario)
    with shut(pool):
        if work is None:
            raise Unsupported(f"python-threads does not run the {job.scenario} scenario")
        # Each repetition connects as the first did (docs/methodology.md): every thread's
        # session is closed and made again, off the clock.
        between = clients.reconnect if clients is not None else None
        return timed(work, budget_s=job.budget_s, between=between)


@contextmanager
def shut(pool: ThreadPoolExecutor) -> Iterator[None]:
    """The pool shut down however the run ends; on Ctrl-C, without waiting for queued work."""
    try:
        yield
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
