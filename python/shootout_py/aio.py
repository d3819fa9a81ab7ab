"""python-asyncio: the first article's program. One thread, one event loop, aiohttp for the
requests, `asyncio.gather` over every page with a `Semaphore(C)` around each, and
BeautifulSoup parsing inline, right in the coroutine, as the article writes it.

The twin of crates/tokio (current-thread): the loop overlaps the waits, and all the parsing
queues on its one thread. `parse` offloads to `asyncio.to_thread` on T threads, the fix a
Python reader tries first, and the GIL still lets one thread run Python at a time. `pitfall`
runs the scrape with a heartbeat on the loop, with the parse inline, after a blocking
`time.sleep`, on `asyncio.to_thread`, and on a process pool (the only one of them that parses
in parallel under the GIL). `load` is the open loop: a task started on the loop's timer as
each request falls due. `files` reads with `async with aiofiles.open(...)`, the articles' own
async context manager, which hands each call to a thread.

python-uvloop is this same program on uvloop's event loop (libuv underneath) in place of the
default selector loop: `run_uvloop`. Nothing else differs, so its row against this one is the
loop's own cost.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import aiofiles

from .common import (
    FetchError,
    Frontier,
    Job,
    Output,
    Record,
    Repetitions,
    Unsupported,
    contained_crawl,
    download_record,
    failed,
    fetches,
    file_record,
    write_content,
    load_record,
    load_robots,
    Refused,
    parse_record,
    request_url,
    scrape_record,
    sleep_record,
    Usage,
    workers,
)
from .http import AsyncClient, BlockingClient

HEARTBEAT_PERIOD = 0.010  # crates/core/src/pitfall.rs: HEARTBEAT_PERIOD
BLOCKING_CALL = 0.005  # crates/core/src/pitfall.rs: BLOCKING_CALL


def selector(loop: asyncio.AbstractEventLoop) -> str:
    """The readiness interface the loop waits on, as its `selectors` class names it
    (`EpollSelector` on Linux): the row's driver, as the runtime reports it."""
    if type(loop).__module__.startswith("uvloop"):
        # libuv waits on epoll on Linux (kqueue on the BSDs and macOS).
        return "epoll" if sys.platform.startswith("linux") else "kqueue"
    chosen = getattr(loop, "_selector", None)  # asyncio's SelectorEventLoop keeps it here
    name = type(chosen).__name__ if chosen is not None else "EpollSelector"
    return name.removesuffix("Selector").lower()


async def bounded(
    n: int, limit: int, label: Callable[[int], str], one: Callable[[int], Awaitable[Record]]
) -> list[Record]:
    """`gather` over inputs 0..n, at most `limit` at once: the article's semaphore pattern
    (the twin of crates/tokio/src/bounded.rs). An exception in one input becomes its own
    `internal` record, named by `label`."""
    sem = asyncio.Semaphore(limit)

    async def guarded(i: int) -> Record:
        async with sem:
            try:
                return await one(i)
            except Exception as e:  # noqa: BLE001 - recorded, never lost
                return failed(label(i), e)

    return list(await asyncio.gather(*(guarded(i) for i in range(n))))


async def heartbeat(stop: asyncio.Event) -> list[float]:
    """Asks to wake every 10 ms until `stop`, and records how late each wake-up was."""
    loop = asyncio.get_running_loop()
    lags = []
    while not stop.is_set():
        due = loop.time() + HEARTBEAT_PERIOD
        await asyncio.sleep(HEARTBEAT_PERIOD)
        lags.append(max(loop.time() - due, 0.0))
    return lags


async def crawl(job: Job, out: Output, client: AsyncClient, robots: Any) -> list[Record]:
    """C worker tasks take URLs from a queue; the frontier decides what is queued."""
    frontier = Frontier(job, out, robots)
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(frontier.root)

    async def worker() -> None:
        while True:
            url = await queue.get()
            for u in frontier.finish(*contained_crawl(url, await client.get(url, frontier.scope))):
                queue.put_nowait(u)
            queue.task_done()

    tasks = [asyncio.create_task(worker()) for _ in range(job.knobs.concurrency)]
    try:
        await queue.join()
    finally:
        # Stopped (Ctrl-C, a deadline) or done: the workers end before the caller closes the
        # session, so a request in flight is cancelled (no record: the harness records it
        # `cancelled`) rather than failed by the closed connector.
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return frontier.records


async def main(job: Job, out: Output, processes: ProcessPoolExecutor | None) -> dict[str, Any]:
    k = job.knobs
    loop = asyncio.get_running_loop()
    # asyncio.to_thread runs on the loop's default executor: pin it to T threads, like every
    # pool in the lab, and start them now rather than on the clock.
    threads = ThreadPoolExecutor(k.threads, thread_name_prefix="to_thread")
    loop.set_default_executor(threads)
    await asyncio.gather(*(asyncio.to_thread(time.sleep, 0.01) for _ in range(k.threads)))
    client = await AsyncClient(k).open()
    robots = load_robots(job)
    wait = k.latency_ms / 1000

    async def sleep_one(i: int) -> Record:
        await asyncio.sleep(wait)  # yields to the loop: the other waits overlap this one
        return sleep_record(i)

    async def download_one(i: int) -> Record:
        url = job.urls[i]
        return download_record(url, await client.get(url))

    async def scrape_one(i: int) -> Record:
        url = job.urls[i]
        return scrape_record(url, await client.get(url))  # the parse holds the loop meanwhile

    async def file_one(i: int) -> Record:
        # The articles' async context manager. aiofiles runs each call (open, read, close) on
        # the loop's default executor, the T threads above: a hop to a thread and back per
        # call, since the loop cannot wait on a file. The checksum runs on the loop.
        path = job.files[i]
        try:
            async with aiofiles.open(path, "rb") as f:
                data = await f.read()
        except OSError as e:
            return file_record(path, e)
        return file_record(path, data)

    async def write_one(i: int) -> Record:
        # The same context manager, writing: each call (open, write, close; flush and fsync
        # when asked) a hop to the loop's default executor.
        path = job.files[i]
        data = write_content(job.source, i)
        try:
            async with aiofiles.open(path, "wb") as f:
                await f.write(data)
                if k.fsync:
                    await f.flush()
                    await loop.run_in_executor(None, os.fsync, f.fileno())
        except OSError as e:
            return file_record(path, e)
        return file_record(path, data)

    async def parse_one(i: int) -> Record:
        url, body = job.pages[i]
        return await asyncio.to_thread(parse_record, url, body)

    async def pitfall_one(i: int) -> Record:
        url = job.urls[i]
        if job.offload == "thread-sleep":
            time.sleep(BLOCKING_CALL)  # the mistake: a blocking call where an await belongs
        got = await client.get(url)
        if job.offload == "inline":
            return scrape_record(url, got)  # the mistake: the loop parses, and nothing else runs
        if job.offload == "rayon":
            return await loop.run_in_executor(processes, scrape_record, url, got)
        return await asyncio.to_thread(scrape_record, url, got)

    async def load() -> list[Record]:
        """The open loop (crates/tokio/src/load.rs): sleep on the loop until each request
        falls due and start it as a task, whatever happened to the ones before. aiohttp's
        connector holds C connections; a task waits there when C are in flight, and its wait
        counts. Past C + Q outstanding, a due request is refused."""
        start = time.monotonic()
        outstanding = 0  # one thread, one loop: a plain counter is enough
        records: list[Any] = [{}] * len(job.due_us)  # a Record, or a Refused index
        tasks = []

        async def one(i: int, url: str, due: float) -> None:
            nonlocal outstanding
            try:
                left = due + k.timeout_s - time.monotonic()
                try:
                    got = await asyncio.wait_for(client.get(url), max(left, 0.0))
                except asyncio.TimeoutError:
                    got = FetchError("timeout", f"no response within {k.timeout_ms} ms")
                records[i] = load_record(url, due, got)
            except Exception as e:  # noqa: BLE001 - recorded, never lost
                records[i] = failed(url, e)
            finally:
                outstanding -= 1

        for i, offset in enumerate(job.due_us):
            due = start + offset / 1e6
            await asyncio.sleep(max(due - time.monotonic(), 0.0))
            url = request_url(job.urls[i % len(job.urls)], i)
            if outstanding >= k.concurrency + k.queue:
                records[i] = Refused(i)  # its record is made as it is written out
                continue
            outstanding += 1
            tasks.append(asyncio.create_task(one(i, url, due)))
        await asyncio.gather(*tasks)
        return records

    async def work() -> tuple[list[Record], list[float] | None]:
        def url(i: int) -> str:
            return job.urls[i]

        if job.scenario == "sleep":
            return await bounded(k.pages, k.concurrency, lambda i: f"sleep:{i}", sleep_one), None
        if job.scenario == "download":
            return await bounded(len(job.urls), k.concurrency, url, download_one), None
        if job.scenario == "scrape":
            return await bounded(len(job.urls), k.concurrency, url, scrape_one), None
        if job.scenario == "parse":
            page = lambda i: job.pages[i][0]  # noqa: E731
            return await bounded(len(job.pages), k.threads, page, parse_one), None
        if job.scenario == "files":
            return await bounded(len(job.files), k.concurrency, lambda i: job.files[i], file_one), None
        if job.scenario == "write":
            return await bounded(len(job.files), k.concurrency, lambda i: job.files[i], write_one), None
        if job.scenario == "crawl":
            return await crawl(job, out, client, robots), None
        if job.scenario == "load":
            return await load(), None
        if job.scenario == "pitfall":
            stop = asyncio.Event()
            beat = asyncio.create_task(heartbeat(stop))
            records = await bounded(len(job.urls), k.concurrency, url, pitfall_one)
            stop.set()
            return records, await beat
        raise Unsupported(f"{job.contestant} does not run the {job.scenario} scenario")

    try:
        reps = Repetitions(job.budget_s)
        while True:
            before = Usage.now(workers())
            start = time.perf_counter()
            records, lags = await work()
            wall = time.perf_counter() - start
            after = Usage.now(workers())
            if not reps.add(wall, before, after, records, lags):
                return reps.result(driver=selector(loop))
            if fetches(job.scenario):
                # Each repetition connects as the first did (docs/methodology.md): a new
                # session, its pool empty, off the clock.
                await client.reconnect()
    finally:
        await client.close()
        threads.shutdown(wait=False)


def run(job: Job, out: Output) -> dict[str, Any]:
    """python-asyncio: `asyncio.run`, on the default (selector) event loop."""
    return _run(job, out, asyncio.run)


def run_uvloop(job: Job, out: Output) -> dict[str, Any]:
    """python-uvloop: the same program on uvloop's loop. `uvloop.run` (uvloop 0.18 and
    later) rather than `uvloop.install()`, which sets an event loop policy: policies are
    deprecated from Python 3.14."""
    import uvloop

    return _run(job, out, uvloop.run)


def _run(job: Job, out: Output, runner: Callable[[Any], Any]) -> dict[str, Any]:
    processes = None
    if job.scenario == "pitfall" and job.offload == "rayon":
        # The process pool is made, and its T workers started, before the loop and its
        # threads exist (forking a process with threads is unsafe) and before the clock.
        processes = ProcessPoolExecutor(job.knobs.threads)
        list(processes.map(time.sleep, [0.05] * job.knobs.threads))
    try:
        result: dict[str, Any] = runner(main(job, out, processes))
        return result
    finally:
        if processes is not None:
            processes.shutdown(cancel_futures=True)
