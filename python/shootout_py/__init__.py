"""The articles' own programs, as contestants in the shootout lab.

Three contestants, one module each, sharing `common` (records, parsing, the crawl frontier,
measuring) and `http` (requests and aiohttp):

- `python-sequential` (sequential.py): requests, one page at a time.
- `python-asyncio` (aio.py): asyncio + aiohttp + BeautifulSoup, gather and a Semaphore(C).
- `python-pool` (pool.py): multiprocessing.Pool, blocking fetches and parsing in processes.

The Rust harness runs `python -m shootout_py` as a child process, writes one job as JSON on
its stdin, and reads JSON lines back (see `__main__`).
"""

__all__ = ["CONTESTANTS"]

CONTESTANTS = ("python-sequential", "python-asyncio", "python-pool")
