"""A whole contestant in one file of standard-library Python: the example of docs/protocol.md.

It reads one job as JSON on stdin, runs it one page at a time with `urllib.request` and
`html.parser`, writes one `{"record": ...}` line per input (and `{"admitted": ...}` lines
when a crawl streams), then one `{"done": ...}` line with what it measured of itself. A job
it cannot run gets one line on stderr and exit status 2.

It is registered as `protocol-example` (crates/lab/src/registry.rs: one entry, launched as
`python3 docs/protocol/example.py`), kept out of the tour, and run by tests/protocol.rs:

    cargo run --release -- run scrape --contestants protocol-example,sequential
"""

import collections
import http.client
import json
import resource
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from html.parser import HTMLParser


class Page(HTMLParser):
    """The first <title>'s text, every <a> (with or without href), and their hrefs."""

    def __init__(self):
        super().__init__()
        self.title, self.links, self.hrefs, self._in_title = None, 0, [], False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links += 1
            self.hrefs += [v for k, v in attrs if k == "href" and v is not None][:1]
        elif tag == "title" and self.title is None:
            self._in_title, self.title = True, ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def record(url, status=None, title=None, links=0, size=0, error=None):
    return {"url": url, "status": status, "title": title, "links": links, "size": size, "error": error}


def parsed(url, body, status=None):
    page = Page()
    page.feed(body.decode("utf-8", "replace"))
    title = page.title.strip() if page.title is not None else None
    return record(url, status, title, page.links, len(body)), page.hrefs


def fetch(url, knobs, parse):
    """One GET: its record (an error starts with its kind word, and a response has its
    latency: microseconds from now to the body, and to the record), and the page's hrefs."""
    start = time.monotonic()
    r, hrefs = get(url, knobs, parse)
    if r["status"] is not None:
        us = int((time.monotonic() - start) * 1e6)
        r["latency"] = {"body_us": us, "ready_us": us}
    return r, hrefs


def get(url, knobs, parse):
    """The GET itself."""
    request = urllib.request.Request(url, headers={"User-Agent": knobs["net"]["user_agent"]})
    context = ssl.create_default_context()
    if knobs["net"].get("ca_pem"):
        context.load_verify_locations(cadata=knobs["net"]["ca_pem"])  # --ca-cert, on top
    try:
        with urllib.request.urlopen(request, timeout=knobs["timeout_ms"] / 1000, context=context) as response:
            body = response.read(knobs["max_body"] + 1)
            status, mime = response.status, response.headers.get("Content-Type")
    except urllib.error.HTTPError as e:
        return record(url, e.code, size=len(e.read()), error=f"status: HTTP {e.code}"), []
    except http.client.HTTPException as e:  # the peer spoke something that is not HTTP
        return record(url, error=f"protocol: {type(e).__name__}: {e}"), []
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, TimeoutError):
            return record(url, error=f"timeout: no response within {knobs['timeout_ms']} ms"), []
        kind = "tls" if isinstance(reason, ssl.SSLError) else "connect"
        return record(url, error=f"{kind}: {reason}"), []
    if len(body) > knobs["max_body"]:
        return record(url, error=f"too_large: body exceeds {knobs['max_body']} bytes"), []
    html = mime is None or mime.split(";")[0].strip() in ("text/html", "application/xhtml+xml")
    if not (parse and html and 200 <= status < 300):
        return record(url, status, size=len(body)), []
    return parsed(url, body, status)


def crawl(job, out):
    """Breadth first from the root: one origin (and prefix), each URL once, up to the caps."""
    spec, knobs = job["crawl"], job["knobs"]
    root = spec["root"]
    robots = None
    if spec.get("robots"):
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(spec["robots"]["body"].splitlines())
    depth, queue, records = {root: 0}, [root], []
    out.admitted(root)
    while queue:
        url = queue.pop(0)
        r, hrefs = fetch(url, knobs, parse=True)
        records.append(out.finished(r))
        for href in hrefs:
            link = urllib.parse.urldefrag(urllib.parse.urljoin(url, href.strip())).url
            parts = urllib.parse.urlsplit(link)
            if (link in depth or len(depth) >= spec["max_pages"]
                    or parts[:2] != urllib.parse.urlsplit(root)[:2]
                    or (spec.get("max_depth") is not None and depth[url] + 1 > spec["max_depth"])
                    or not parts.path.startswith(spec.get("prefix") or "/")):
                continue
            depth[link] = depth[url] + 1
            if robots is not None and not robots.can_fetch(knobs["net"]["user_agent"], link):
                records.append(out.finished(record(link, error="robots: disallowed")))
                continue
            out.admitted(link)
            queue.append(link)
    return records


class Out:
    """The protocol's lines on stdout; streamed ones are flushed as they are written."""

    def __init__(self, stream):
        self.stream, self.written = stream, set()

    def line(self, obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        if self.stream:
            sys.stdout.flush()

    def admitted(self, url):
        if self.stream:
            self.line({"admitted": url})

    def finished(self, r):
        if self.stream:
            self.written.add(r["url"])
            self.line({"record": r})
        return r


def load(job, knobs):
    """The open loop, one request at a time: each is sent once it has fallen due and the one
    before is done, and its latency runs from when it fell due. What falls due while one is
    out waits, up to Q; past that it is refused as `overload` (crates/core/src/load.rs)."""
    start, q, n = time.monotonic(), knobs["load"]["queue"], len(job["due_us"])
    due = [start + t / 1e6 for t in job["due_us"]]
    records, waiting, arrived, busy = [None] * n, collections.deque(), 0, False
    while arrived < n or waiting:
        if not waiting and time.monotonic() < due[arrived]:
            time.sleep(due[arrived] - time.monotonic())  # idle until the next falls due
            busy = False
        while arrived < n and due[arrived] <= time.monotonic():
            url = f"{job['urls'][arrived % len(job['urls'])]}?r={arrived}"
            # While one was out, Q may wait; when idle, one more goes straight out.
            if len(waiting) >= (q if busy else q + 1):
                records[arrived] = record(url, error=f"overload: 1 in flight and {q} waiting")
            else:
                waiting.append((arrived, url))
            arrived += 1
        if waiting:
            i, url = waiting.popleft()
            records[i] = fetch(url, knobs, parse=False)[0]
            us = int((time.monotonic() - due[i]) * 1e6)
            records[i]["latency"] = {"body_us": us, "ready_us": us}
            busy = True
    return records


def run(job, out):
    knobs, scenario = job["knobs"], job["scenario"]
    if scenario == "sleep":
        return [time.sleep(knobs["latency_ms"] / 1000) or record(f"sleep:{i}") for i in range(knobs["pages"])]
    if scenario in ("download", "scrape"):
        return [fetch(u, knobs, parse=scenario == "scrape")[0] for u in job["urls"]]
    if scenario == "parse":
        with open(job["pages"]["file"], "rb") as f:
            pages = [(p["url"], f.read(p["len"])) for p in job["pages"]["index"]]
        return [parsed(url, body)[0] for url, body in pages]
    if scenario == "crawl":
        return crawl(job, out)
    if scenario == "load":
        return load(job, knobs)
    raise ValueError(f"protocol-example does not run {scenario} (it has no event loop to block)")


def peak_rss(usage):
    """This process's peak memory in bytes: VmHWM where Linux has it (ru_maxrss carries the
    parent's peak over through exec), else ru_maxrss (KiB on Linux)."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return usage.ru_maxrss * 1024


def main():
    try:
        job = json.load(sys.stdin)
        if job.get("protocol") != 1:
            raise ValueError(f"protocol {job.get('protocol')} (this program speaks 1)")
        needs = {"download": "urls", "scrape": "urls", "parse": "pages", "crawl": "crawl", "load": "due_us"}
        if needs.get(job["scenario"], "knobs") not in job:
            raise ValueError(f"a {job['scenario']} job needs `{needs[job['scenario']]}`")
    except (ValueError, KeyError, AttributeError, TypeError) as e:
        print(f"error: malformed job: {e}", file=sys.stderr)
        return 2
    out = Out(bool(job.get("stream")))
    usage = lambda: resource.getrusage(resource.RUSAGE_SELF)  # noqa: E731
    before, start = usage(), time.perf_counter()
    try:
        records = run(job, out)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    wall, after = time.perf_counter() - start, usage()
    for r in records:
        if r["url"] not in out.written:
            out.line({"record": r})
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    runtime = {"python": sys.version.split()[0], "implementation": sys.implementation.name}
    out.line({"done": {"wall_s": wall, "cpu_s": cpu, "peak_rss": peak_rss(after), "runtime": runtime}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
