"""The articles' own programs, as contestants in the shootout lab.

Five contestants, sharing `common` (records, parsing, the crawl frontier, measuring) and
`http` (requests and aiohttp):

- `python-sequential` (sequential.py): requests, one page at a time.
- `python-asyncio` (aio.py): asyncio + aiohttp + BeautifulSoup, gather and a Semaphore(C).
- `python-uvloop` (aio.py): the same program on uvloop's event loop
  (python/requirements-uvloop.txt, installed apart so that its absence costs this row only).
- `python-threads` (threads.py): a ThreadPoolExecutor of C threads with requests: the
  articles' "threading for I/O", under the GIL (or not, on a free-threaded build).
- `python-pool` (pool.py): multiprocessing.Pool, blocking fetches and parsing in processes.

Every row names the interpreter and whether its GIL was on in that run (`common.runtime`).

The Rust harness runs `python -m shootout_py` as a child process, writes one job as JSON on
its stdin, and reads JSON lines back (see `__main__`).
"""

__all__ = ["CONTESTANTS"]

CONTESTANTS = ("python-sequential", "python-asyncio", "python-uvloop", "python-threads", "python-pool")
