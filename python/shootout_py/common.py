"""What every Python contestant shares: the job it is given, the records it returns, parsing,
the crawl frontier, and measuring a run.

This is the Python twin of `shootout_core` (crates/core). The contestants (`sequential.py`,
`aio.py`, `threads.py`, `pool.py`) keep only their orchestration, so they read side by side
like `crates/*/src/scrape.rs` do.

The records must be the ones the Rust contestants make, field for field, because the same
verifier checks them against the same ground truth:

- `title` is the whitespace-trimmed text of the first `<title>`, `links` counts every `<a>`
  (with or without href), `size` is the body's length in bytes;
- only a 2xx response whose Content-Type is HTML (or missing) is parsed;
- a failure is a record whose `error` starts with a kind word: `status`, `timeout`,
  `connect`, `too_large`, `protocol`, `url`, `tls`, `redirect`, `robots`, `internal`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import resource
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TextIO
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

# ----------------------------------------------------------------------------------------------
# The job


@dataclasses.dataclass(frozen=True)
class Knobs:
    """The same knobs every Rust contestant takes (crates/core/src/knobs.rs)."""

    pages: int
    latency_ms: int
    page_kb: int
    concurrency: int
    threads: int
    timeout_ms: int
    max_body: int
    user_agent: str
    max_redirects: int
    ca_pem: str | None
    queue: int = 1000  # load: Q, the most due requests waiting for a connection
    fsync: bool = False  # write: flush each file to the disk before closing it

    @property
    def timeout_s(self) -> float:
        return self.timeout_ms / 1000

    @staticmethod
    def from_json(k: dict[str, Any]) -> Knobs:
        net = k.get("net") or {}
        return Knobs(
            pages=k["pages"],
            latency_ms=k["latency_ms"],
            page_kb=k["page_kb"],
            concurrency=k["concurrency"],
            threads=k["threads"],
            timeout_ms=k["timeout_ms"],
            max_body=k["max_body"],
            user_agent=net.get("user_agent") or "shootout",
            max_redirects=net.get("max_redirects", 10),
            ca_pem=net.get("ca_pem"),
            queue=(k.get("load") or {}).get("queue", 1000),
            fsync=bool(k.get("fsync", False)),
        )


PROTOCOL = 1  # crates/core/src/job.rs: PROTOCOL


class BadJob(Exception):
    """A job this program cannot run: malformed, or not one this contestant runs. The child
    says why in one line and exits with status 2 (docs/protocol.md)."""


class Unsupported(BadJob):
    """A scenario (or pitfall variant) this contestant does not run."""


@dataclasses.dataclass(frozen=True)
class RobotsTxt:
    """The site's robots.txt, fetched once by the harness and sent in the job."""

    url: str
    status: int
    body: str


@dataclasses.dataclass(frozen=True)
class Job:
    """One run: a scenario and its inputs, as the harness sends it on stdin (docs/protocol.md).
    The pages of `parse` arrive in a file the harness wrote; they are read here, before the
    clock starts."""

    contestant: str
    scenario: str
    knobs: Knobs
    urls: list[str]
    pages: list[tuple[str, bytes]]
    root: str | None
    max_pages: int
    max_depth: int | None
    prefix: str | None
    robots: RobotsTxt | None
    offload: str | None
    stream: bool
    budget_s: float
    due_us: list[int] = dataclasses.field(default_factory=list)  # load: the schedule
    files: list[str] = dataclasses.field(default_factory=list)  # files: the paths to read
    source: bytes = b""  # write: the bytes every written file starts from

    @staticmethod
    def from_json(j: Any) -> Job:
        """Reads and checks a job; a job that cannot be run raises `BadJob`."""
        try:
            if not isinstance(j, dict):
                raise BadJob("malformed job: not a JSON object")
            if j.get("protocol", PROTOCOL) != PROTOCOL:
                raise BadJob(f"malformed job: protocol {j.get('protocol')} (this program speaks {PROTOCOL})")
            scenario = j["scenario"]
            crawl = j.get("crawl") or {}
            robots = crawl.get("robots")
            job = Job(
                contestant=j["contestant"],
                scenario=scenario,
                knobs=Knobs.from_json(j["knobs"]),
                urls=list(j.get("urls") or []),
                pages=_read_pages(j["pages"]) if scenario == "parse" else [],
                root=crawl.get("root"),
                max_pages=crawl.get("max_pages") or 0,
                max_depth=crawl.get("max_depth"),
                prefix=crawl.get("prefix"),
                robots=RobotsTxt(robots["url"], robots["status"], robots["body"]) if robots else None,
                offload=j.get("offload"),
                stream=bool(j.get("stream")),
                # A streamed crawl runs once: its lines are the user's output.
                budget_s=0.0 if j.get("stream") else float(j.get("budget_s") or 0.0),
                due_us=list(j.get("due_us") or []),  # the parsed ints, not copies of them
                files=list((j.get("files") or {}).get("paths") or []),
                source=_read_source(j) if scenario == "write" else b"",
            )
        except (KeyError, TypeError, ValueError) as e:
            raise BadJob(f"malformed job: {type(e).__name__}: {e}") from e
        needs = {
            "download": "urls",
            "scrape": "urls",
            "pitfall": "urls",
            "crawl": "crawl",
            "load": "urls",
            "files": "files",
            "write": "files",
        }.get(scenario)
        if scenario == "load" and ("due_us" not in j or not job.urls):
            raise BadJob("a load job needs `urls` and `due_us`")
        if needs == "urls" and "urls" not in j or needs == "crawl" and job.root is None or needs == "files" and "files" not in j:
            raise BadJob(f"a {scenario} job needs `{needs}`")
        if scenario == "pitfall" and job.offload is None:
            raise BadJob("a pitfall job needs `offload`")
        return job


def _read_source(j: dict[str, Any]) -> bytes:
    """The bytes a `write` job's files start from: read before the clock starts."""
    source = (j.get("files") or {}).get("source")
    if not source:
        raise BadJob("a write job needs `files.source`")
    try:
        with open(source, "rb") as f:
            return f.read()
    except OSError as e:
        raise BadJob(f"source file {source}: {e}") from e


def _read_pages(pages: dict[str, Any]) -> list[tuple[str, bytes]]:
    """The pages of a `parse` job: their bodies one after another in one file, in the order
    of the index."""
    out = []
    try:
        with open(pages["file"], "rb") as f:
            for entry in pages["index"]:
                body = f.read(entry["len"])
                if len(body) != entry["len"]:
                    raise BadJob(f"pages file {pages['file']}: ends before the body of {entry['url']}")
                out.append((entry["url"], body))
    except OSError as e:
        raise BadJob(f"pages file {pages['file']}: {e}") from e
    return out


# ----------------------------------------------------------------------------------------------
# Records


Record = dict[str, Any]


def record(
    url: str,
    *,
    status: int | None = None,
    title: str | None = None,
    links: int = 0,
    size: int = 0,
    error: str | None = None,
    final_url: str | None = None,
) -> Record:
    """One page's record, in the JSON shape of `shootout_core::PageRecord`."""
    r: Record = {
        "url": url,
        "status": status,
        "title": title,
        "links": links,
        "size": size,
        "error": error,
    }
    if final_url is not None:
        r["final_url"] = final_url
    return r


def file_record(path: str, data: bytes | OSError) -> Record:
    """A file's record (the `files` scenario): its size and the CRC-32 of its bytes, as
    `zlib.crc32` and crates/core/src/files.rs give it, or an `io` error."""
    if isinstance(data, OSError):
        return record(path, error=f"io: {data.strerror or data}")
    r = record(path, size=len(data))
    r["checksum"] = zlib.crc32(data)
    return r


def read_file(path: str) -> Record:
    """Reads a file whole with plain `open`, as the articles do, and makes its record."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return file_record(path, e)
    return file_record(path, data)


def write_content(source: bytes, i: int) -> bytes:
    """File i's bytes in `write`: the source's, its first 8 bytes replaced by i (little-endian),
    as crates/core/src/files.rs makes them."""
    tag = i.to_bytes(8, "little")[: len(source)]
    return tag + source[len(tag) :]


def write_file(path: str, source: bytes, i: int, fsync: bool) -> Record:
    """Writes file i with plain `open`, as the articles do (`fsync` first if asked), and makes
    its record: the size and CRC-32 of what it wrote, or an `io` error."""
    data = write_content(source, i)
    try:
        with open(path, "wb") as f:
            f.write(data)
            if fsync:
                f.flush()
                os.fsync(f.fileno())
    except OSError as e:
        return file_record(path, e)
    return file_record(path, data)


def sleep_record(i: int) -> Record:
    """The record of the sleep scenario's i-th simulated download."""
    return record(f"sleep:{i}")


class FetchError(Exception):
    """A fetch that got no usable response. `kind` is the record's error kind word."""

    def __init__(self, kind: str, detail: str) -> None:
        # Both arguments go to Exception, so the error pickles (to and from pool workers).
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclasses.dataclass
class Fetched:
    """A response, whatever its status: what both HTTP libraries are reduced to."""

    status: int
    content_type: str | None
    body: bytes
    final_url: str | None = None
    # `time.monotonic()` when the request was taken up (or fell due, in `load`) and when its
    # body was complete: the request's latency (crates/core/src/latency.rs). CLOCK_MONOTONIC
    # is one clock for every process, so a pool worker's stamps compare with its parent's.
    due: float | None = None
    body_at: float | None = None


def with_latency(r: Record, got: Fetched | FetchError, due: float | None = None) -> Record:
    """`r` with its latency, `{"body_us", "ready_us"}`, ready now. `due` overrides the
    response's own (in `load`, the schedule's); an error has a latency only then."""
    now = time.monotonic()
    due = due if due is not None else getattr(got, "due", None)
    body_at = getattr(got, "body_at", None) or now
    if due is None:
        return r
    r["latency"] = {
        "body_us": max(0, int((body_at - due) * 1e6)),
        "ready_us": max(0, int((max(now, body_at) - due) * 1e6)),
    }
    return r


def is_html(content_type: str | None) -> bool:
    """A missing Content-Type counts as HTML, as browsers sniff it."""
    if content_type is None:
        return True
    mime = content_type.split(";")[0].strip().lower()
    return mime in ("text/html", "application/xhtml+xml")


def charset_of(content_type: str | None) -> str | None:
    """The `charset` parameter of a Content-Type header, if any."""
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


@dataclasses.dataclass
class Extracted:
    """What parsing a page finds."""

    title: str | None
    links: int
    hrefs: list[str]
    base: str | None


def extract(body: bytes, content_type: str | None = None) -> Extracted:
    """Parses `body` with BeautifulSoup over lxml, as the articles do.

    The declared charset is passed on; without one, BeautifulSoup looks for a `<meta charset>`
    and then guesses, as its users expect.
    """
    soup = BeautifulSoup(body, "lxml", from_encoding=charset_of(content_type))
    title = soup.find("title")
    anchors = soup.find_all("a")
    base = soup.find("base", href=True)
    return Extracted(
        title=title.get_text().strip() if title is not None else None,
        links=len(anchors),
        hrefs=[str(a["href"]) for a in anchors if a.has_attr("href")],
        base=str(base["href"]) if base is not None else None,
    )


def status_error(status: int) -> str | None:
    return None if 200 <= status < 300 else f"status: HTTP {status}"


def download_record(url: str, got: Fetched | FetchError) -> Record:
    """Status and size, no parsing."""
    if isinstance(got, FetchError):
        return record(url, error=str(got))
    r = record(
        url,
        status=got.status,
        size=len(got.body),
        error=status_error(got.status),
        final_url=got.final_url,
    )
    return with_latency(r, got)


# The lab's test hook (crates/core/src/page.rs: PANIC_ON_URL): parsing this URL raises, so a
# test can check that one page that fails costs that page's record and nothing else.
_FAIL_ON = os.environ.get("SHOOTOUT_TEST_PANIC_URL")


def _fail_if_asked(url: str) -> None:
    if _FAIL_ON is not None and url == _FAIL_ON:
        raise RuntimeError(f"SHOOTOUT_TEST_PANIC_URL asked for a failure while parsing {url}")


def _scraped(url: str, got: Fetched | FetchError) -> tuple[Record, Extracted | None]:
    """A page's record, and what parsing found (nothing unless it was 2xx HTML)."""
    if isinstance(got, FetchError) or status_error(got.status) or not is_html(got.content_type):
        return download_record(url, got), None
    _fail_if_asked(url)
    e = extract(got.body, got.content_type)
    r = record(
        url,
        status=got.status,
        title=e.title,
        links=e.links,
        size=len(got.body),
        final_url=got.final_url,
    )
    # Ready now, after parsing: a page that waited for a parser shows it.
    return with_latency(r, got), e


def scrape_record(url: str, got: Fetched | FetchError) -> Record:
    """A 2xx HTML page is parsed; anything else is recorded as it came. No link is resolved:
    a scrape does not follow them."""
    return _scraped(url, got)[0]


def crawl_page(url: str, got: Fetched | FetchError) -> tuple[Record, list[str]]:
    """A page's record, and its links resolved and normalised (for a crawl)."""
    r, e = _scraped(url, got)
    if e is None or isinstance(got, FetchError):
        return r, []
    here = got.final_url or url
    base = urljoin(here, e.base.strip()) if e.base is not None else here
    links = [u for u in (normalise(base, h) for h in e.hrefs) if u is not None]
    return r, links


def contained_crawl(url: str, got: Fetched | FetchError) -> tuple[Record, list[str]]:
    """`crawl_page`, with an exception turned into the page's `internal` record and no links
    (the twin of `shootout_core::page::contained_crawl`)."""
    try:
        return crawl_page(url, got)
    except Exception as e:  # noqa: BLE001 - recorded, never lost
        return failed(url, e), []


# The open-loop `load` scenario (crates/core/src/load.rs): requests fall due on a schedule
# the harness sends, each timed from when it fell due.


def request_url(page: str, i: int) -> str:
    """Request i of a load run: its page with `?r=i`, a URL of its own (as
    `shootout_core::load::request_url` makes it)."""
    return page.split("#", 1)[0].split("?", 1)[0] + f"?r={i}"


class OpenLoop:
    """A load run for a program whose dispatcher is a plain thread (python-threads,
    python-pool): `due()` sleeps until each request falls due and yields those there is room
    for, at most C + Q outstanding; a request past that is refused (held as its `Refused`
    index). Whatever answers a request hands its record to `answered`, which frees its room."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._room = threading.BoundedSemaphore(job.knobs.concurrency + job.knobs.queue)
        self.records: list[Any] = [{}] * len(job.due_us)  # a Record, or a Refused index

    def due(self) -> Iterator[tuple[int, str, float]]:
        """Each admitted request as it falls due: its index, its URL and its due instant (a
        `time.monotonic()`: one clock for every process on the machine)."""
        job = self._job
        start = time.monotonic()
        for i, offset in enumerate(job.due_us):
            due = start + offset / 1e6
            time.sleep(max(due - time.monotonic(), 0.0))
            if not self._room.acquire(blocking=False):
                self.records[i] = Refused(i)  # its record is made as it is written out
                continue
            yield i, request_url(job.urls[i % len(job.urls)], i), due

    def answered(self, i: int, r: Record) -> None:
        """Request i's record; its room is free for the next."""
        self.records[i] = r
        self._room.release()


def load_record(url: str, due: float, got: Fetched | FetchError) -> Record:
    """A load request's record, its latency from `due` (a `time.monotonic()`), errors
    included: a timeout's latency is how long it was owed."""
    return with_latency(download_record(url, got), got, due)


def overload_record(url: str, concurrency: int, queue: int) -> Record:
    """A request that fell due with C in flight and Q waiting: refused, no latency."""
    return record(url, error=f"overload: {concurrency} in flight and {queue} waiting")


class Refused(int):
    """A `load` request refused as `overload`, held as its index (28 bytes) until the records
    are written: past capacity most requests are refused, and a whole record each, held to
    the end, was hundreds of MiB (crates/core/src/load.rs: `LoadRun`). `Output` makes its
    record as it writes it."""

    __slots__ = ()


def late(due: float, knobs: Knobs) -> FetchError | None:
    """A timeout for a request already a timeout past due when it is taken up: never sent."""
    if time.monotonic() - due >= knobs.timeout_s:
        return FetchError("timeout", f"no response within {knobs.timeout_ms} ms")
    return None


class Backlog:
    """The queue of a client that sends one request at a time (the twin of
    `shootout_core::load::Backlog`): `next` says what to do `elapsed` seconds into the run."""

    def __init__(self, due: Sequence[float], queue: int) -> None:
        self.due, self.queue = due, queue
        self.next_due = 0
        self.waiting: deque[int] = deque()
        self.sent = False  # what falls due while one is in flight may only queue Q deep

    def next(self, elapsed: float) -> tuple[str, float]:
        """("send", i), ("refuse", i), ("wait", seconds) or ("done", 0)."""
        while self.next_due < len(self.due) and self.due[self.next_due] <= elapsed:
            i = self.next_due
            self.next_due += 1
            if len(self.waiting) >= (self.queue if self.sent else self.queue + 1):
                return "refuse", i
            self.waiting.append(i)
        self.sent = bool(self.waiting)
        if self.waiting:
            return "send", self.waiting.popleft()
        if self.next_due < len(self.due):
            return "wait", self.due[self.next_due] - elapsed
        return "done", 0.0


def parse_record(url: str, body: bytes) -> Record:
    """The parse scenario: an in-memory page, no HTTP."""
    _fail_if_asked(url)
    e = extract(body)
    return record(url, title=e.title, links=e.links, size=len(body))


def failed(url: str, why: BaseException) -> Record:
    """A page whose work raised: kept as an `internal` record, so the URL is not lost."""
    return record(url, error=f"internal: task failed: {type(why).__name__}: {why}")


# ----------------------------------------------------------------------------------------------
# Crawling

_DEFAULT_PORT = {"http": 80, "https": 443}


def normalise(base: str, href: str) -> str | None:
    """Resolves `href` against `base` the way `shootout_core::scope::normalise` does: the
    fragment and an empty query are dropped, scheme and host are lowercased, a default port is
    removed, dot segments are resolved, and only http(s) survives."""
    try:
        parts = urlsplit(urljoin(base, href.strip()))
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in _DEFAULT_PORT or not host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORT[scheme]:
        netloc += f":{port}"
    url = f"{scheme}://{netloc}{parts.path or '/'}"
    return f"{url}?{parts.query}" if parts.query else url


def origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or _DEFAULT_PORT.get(parts.scheme)


class Scope:
    """Where a crawl may go: the root's origin, a path prefix, and what robots.txt allows (the
    twin of `shootout_core::Scope`). A crawl admits only links inside it, and follows a
    redirect only to a URL inside it."""

    def __init__(self, root: str, prefix: str | None, robots: RobotRules | None) -> None:
        self.root = normalise(root, "") or root
        self._origin = origin(self.root)
        self._prefix = prefix
        self.robots = robots

    @staticmethod
    def of(job: Job, robots: RobotRules | None) -> Scope:
        assert job.root is not None, "a crawl job has a root"
        return Scope(job.root, job.prefix, robots)

    def contains(self, url: str) -> bool:
        """The origin and the prefix; robots.txt is asked apart (a disallowed URL still gets
        its `robots` record)."""
        return origin(url) == self._origin and (
            self._prefix is None or urlsplit(url).path.startswith(self._prefix)
        )

    def robots_refusal(self, url: str) -> str | None:
        if self.robots is None or self.robots.allows(url):
            return None
        return f"{self.robots.source} disallows {urlsplit(url).path}"


REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class Redirects:
    """One request's trail of redirects (the twin of `shootout_core::net::Redirects`): at most
    `max_redirects` hops, no loop, http(s) only, and in a crawl only inside its scope."""

    def __init__(self, first: str, max_redirects: int, scope: Scope | None) -> None:
        self._first = first
        self._max = max_redirects
        self._scope = scope
        self._hops: list[str] = []

    def current(self) -> str:
        return self._hops[-1] if self._hops else self._first

    def final_url(self) -> str | None:
        return self._hops[-1] if self._hops else None

    def next(self, status: int, location: str | None) -> bool:
        """After a response to `current()`: True if a redirect was followed (`current()` is
        its target now), False if this response is the one to keep; raises `FetchError`
        (`redirect`) if the redirect cannot be followed."""
        if self._max == 0 or status not in REDIRECT_STATUSES:
            return False
        here = self.current()
        if location is None:
            raise FetchError("redirect", f"HTTP {status} from {here} has no Location")
        to = urldefrag(urljoin(here, location.strip())).url
        if urlsplit(to).scheme not in ("http", "https"):
            raise FetchError("redirect", f"{here} redirects to {to}, which is not http(s)")
        if to == self._first or to in self._hops:
            raise FetchError("redirect", f"loop: {here} redirects back to {to}")
        if len(self._hops) >= self._max:
            raise FetchError("redirect", f"more than {self._max} redirects (last: {here} -> {to})")
        if self._scope is not None:
            if not self._scope.contains(to):
                raise FetchError("redirect", f"{here} redirects to {to}, outside the crawl's scope")
            why = self._scope.robots_refusal(to)
            if why is not None:
                raise FetchError("redirect", f"{here} redirects to {to}: {why}")
        self._hops.append(to)
        return True


class Frontier:
    """Which URLs a crawl fetches: its `Scope` (one origin, and `prefix`), each URL once, at
    most `max_pages`, at most `max_depth` hops, and what robots.txt allows. The twin of
    `shootout_core::Frontier`; it holds no queue, because how work is queued is each
    contestant's own choice."""

    def __init__(self, job: Job, out: Output, robots: RobotRules | None = None) -> None:
        self.scope = Scope.of(job, robots)
        self.root = self.scope.root
        self._depth: dict[str, int] = {self.root: 0}
        self._admitted = 1
        self._max_pages = max(job.max_pages, 1)
        self._max_depth = job.max_depth
        self._out = out
        self.records: list[Record] = []
        out.admitted(self.root)

    def finish(self, r: Record, links: Iterable[str]) -> list[str]:
        """Takes a finished page's record and links; returns the links to fetch next."""
        depth = self._depth.get(r["url"], 0) + 1
        if "final_url" in r:
            self._depth.setdefault(r["final_url"], depth - 1)
        self.records.append(r)
        self._out.finished(r)
        return [u for u in links if self._admit(u, depth)]

    def _admit(self, url: str, depth: int) -> bool:
        if (
            self._admitted >= self._max_pages
            or (self._max_depth is not None and depth > self._max_depth)
            or url in self._depth
            or not self.scope.contains(url)
        ):
            return False
        self._depth[url] = depth
        self._admitted += 1
        why = self.scope.robots_refusal(url)
        if why is not None:
            r = record(url, error=f"robots: {why}")
            self.records.append(r)
            self._out.finished(r)
            return False
        self._out.admitted(url)
        return True


class RobotRules:
    """robots.txt, read with the standard library's `urllib.robotparser`."""

    def __init__(self, source: str, status: int, text: str, agent: str) -> None:
        from urllib.robotparser import RobotFileParser

        self.source = source
        self._agent = agent
        self._parser = RobotFileParser(source)
        self._parser.parse(text.splitlines())
        # RFC 9309: rules only from a 2xx; a 4xx means no rules, and a server error means the
        # whole site is disallowed.
        self._everything: bool | None = None if 200 <= status < 300 else status < 500

    def allows(self, url: str) -> bool:
        if self._everything is not None:
            return self._everything
        return self._parser.can_fetch(self._agent, url)


# ----------------------------------------------------------------------------------------------
# Output and measurement


class Output:
    """Where the protocol's lines go (docs/protocol.md). In stream mode (`shootout crawl`),
    every admitted URL and every finished record is one JSON line as it happens, so Ctrl-C
    loses nothing; otherwise the records are written after the clock stops. Either way the
    last line is `done`, with what this process measured of itself."""

    def __init__(self, stream: bool, out: TextIO = sys.stdout, job: Job | None = None) -> None:
        self._stream = stream
        self._out = out
        self._written: set[str] = set()
        self._job = job

    def _record(self, r: Record | Refused) -> Record:
        """`r`, or the `overload` record of a refused `load` request."""
        if not isinstance(r, Refused):
            return r
        job = self._job
        assert job is not None and job.urls, "a load run's Output knows its job"
        url = request_url(job.urls[r % len(job.urls)], r)
        return overload_record(url, job.knobs.concurrency, job.knobs.queue)

    def admitted(self, url: str) -> None:
        if self._stream:
            self._line({"admitted": url})

    def finished(self, r: Record) -> None:
        if self._stream:
            self._written.add(r["url"])
            self._line({"record": r})

    def done(self, result: dict[str, Any]) -> None:
        """Writes every record not written yet, each later repetition's after its marker,
        then the closing line."""
        for r in map(self._record, result.pop("records")):
            if r["url"] not in self._written:
                self._line({"record": r})
        for k, records in enumerate(result.pop("repeated", []), start=2):
            self._line({"repetition": k})
            for r in map(self._record, records):
                self._line({"record": r})
        self._line({"done": result})

    def _line(self, obj: dict[str, Any]) -> None:
        self._out.write(json.dumps(obj, ensure_ascii=False))
        self._out.write("\n")
        if self._stream:
            self._out.flush()


def _proc_stat(pid: int) -> tuple[float, int] | None:
    """CPU seconds and peak RSS (bytes) of a live process, from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        with open(f"/proc/{pid}/status") as f:
            hwm = next((line for line in f if line.startswith("VmHWM:")), "VmHWM: 0 kB")
        return cpu, int(hwm.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None


class Usage:
    """CPU time and peak memory of this process and its live worker processes.

    A Rust contestant is one process, so `getrusage(RUSAGE_SELF)` covers it. A process pool is
    several, so the workers count too: their CPU (from /proc, while they live) is added to
    ours, and the peak RSS is ours plus each worker's own peak. That sum is an upper bound on
    the pool's real peak (the workers need not peak at the same moment), and it is what a
    reader pays for T interpreters.
    """

    def __init__(self, cpu: float, peak_rss: int) -> None:
        self.cpu = cpu
        self.peak_rss = peak_rss

    @staticmethod
    def now(workers: Iterable[int] = ()) -> Usage:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        cpu = ru.ru_utime + ru.ru_stime
        # VmHWM where Linux has it: ru_maxrss can carry the parent's peak over through fork
        # and exec (docs/methodology.md). Elsewhere ru_maxrss, in bytes on macOS.
        own = _proc_stat(os.getpid())
        peak = own[1] if own is not None else ru.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        for pid in workers:
            stat = _proc_stat(pid)
            if stat is not None:
                cpu += stat[0]
                peak += stat[1]
        return Usage(cpu, peak)


def workers() -> list[int]:
    """The pids of this process's live child processes (pool workers)."""
    import multiprocessing

    return [p.pid for p in multiprocessing.active_children() if p.pid is not None]


# ----------------------------------------------------------------------------------------------
# Timing


def contained(url: str, work: Callable[[], Record]) -> Record:
    """Runs one page's work; an exception becomes that page's `internal` record, so one bad
    page never costs the others theirs (the twin of `shootout_core::page::contained`)."""
    try:
        return work()
    except Exception as e:  # noqa: BLE001 - any failure is recorded, never lost
        return failed(url, e)


def runtime() -> dict[str, Any]:
    """What this interpreter says about itself, for every row it runs: its version, and whether
    the GIL is on (`sys._is_gil_enabled`, where it exists: 3.13 and later; before, always)."""
    gil = getattr(sys, "_is_gil_enabled", None)
    return {
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "gil": bool(gil()) if gil is not None else True,
    }


def result(
    records: list[Record],
    before: Usage,
    after: Usage,
    wall: float,
    lags: list[float] | None = None,
    driver: str | None = None,
) -> dict[str, Any]:
    """The records, and the closing line's measurements (docs/protocol.md: `done`)."""
    out: dict[str, Any] = {
        "records": records,
        "wall_s": wall,
        "cpu_s": max(after.cpu - before.cpu, 0.0),
        "peak_rss": after.peak_rss,
        "runtime": runtime(),
    }
    if lags is not None:
        out["lags_s"] = lags
    if driver is not None:
        out["driver"] = {"name": driver}
    return out


MAX_REPETITIONS = 1000  # crates/core/src/job.rs: MAX_REPETITIONS


class Repetitions:
    """A scenario measured again and again until `budget_s` seconds of it have been measured
    (at least once, at most `MAX_REPETITIONS` times), as a Rust child does: the closing line
    reports the median repetition, and every repetition's records are sent to be verified."""

    def __init__(self, budget_s: float) -> None:
        self._budget_s = budget_s
        self._spent = 0.0
        self._reps: list[tuple[float, Usage, Usage, list[Record], list[float] | None]] = []

    def add(
        self, wall: float, before: Usage, after: Usage, records: list[Record], lags: list[float] | None
    ) -> bool:
        """Keeps one repetition; whether to run another."""
        self._reps.append((wall, before, after, records, lags))
        self._spent += wall
        return self._spent < self._budget_s and len(self._reps) < MAX_REPETITIONS

    def result(self, driver: str | None = None) -> dict[str, Any]:
        """The median repetition (the lower middle of an even count) and every one's records."""
        order = sorted(range(len(self._reps)), key=lambda i: self._reps[i][0])
        wall, before, after, _, lags = self._reps[order[(len(order) - 1) // 2]]
        out = result(self._reps[0][3], before, self._reps[-1][2], wall, lags, driver)
        # CPU is the median repetition's own; the peak is the last reading, the highest.
        out["cpu_s"] = max(after.cpu - before.cpu, 0.0)
        out["reps"] = len(self._reps)
        out["repeated"] = [r[3] for r in self._reps[1:]]
        return out


def fetches(scenario: str) -> bool:
    """Whether the scenario fetches pages from the server (all but `sleep`, `parse` and
    `files`)."""
    return scenario not in ("sleep", "parse", "files", "write")


def timed(
    work: Any, pids: Any = lambda: (), budget_s: float = 0.0, between: Any = None
) -> dict[str, Any]:
    """Runs `work()` (which returns records, or records and heartbeat lags) between two
    readings of the clock and of CPU and memory, again until `budget_s` has been measured:
    set-up happens before this is called, and `between()`, if given, before every repetition
    after the first, off the clock (a fetching scenario reconnects there)."""
    reps = Repetitions(budget_s)
    while True:
        before = Usage.now(pids())
        start = time.perf_counter()
        out = work()
        wall = time.perf_counter() - start
        after = Usage.now(pids())
        records, lags = out if isinstance(out, tuple) else (out, None)
        if not reps.add(wall, before, after, records, lags):
            return reps.result()
        if between is not None:
            between()


def load_robots(job: Job) -> RobotRules | None:
    """The site's robots.txt rules, from the job (the harness fetched the file once), if the
    job obeys them."""
    if job.robots is None:
        return None
    r = job.robots
    return RobotRules(r.url, r.status, r.body, job.knobs.user_agent)
