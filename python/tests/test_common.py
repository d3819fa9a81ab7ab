"""Unit tests of the parts every Python contestant shares: records, parsing, URLs, the frontier.
Run with `.venv/bin/python -m unittest discover -s python` (CI does)."""

from __future__ import annotations

import io
import json
import pickle
import unittest

from shootout_py.common import (
    Backlog,
    BadJob,
    Refused,
    Fetched,
    FetchError,
    Frontier,
    Job,
    OpenLoop as Dispatcher,
    Output,
    Redirects,
    RobotRules,
    Scope,
    crawl_page,
    download_record,
    extract,
    is_html,
    load_record,
    normalise,
    overload_record,
    parse_record,
    read_file,
    request_url,
    write_content,
    write_file,
)

KNOBS = {
    "pages": 1,
    "latency_ms": 0,
    "page_kb": 1,
    "concurrency": 1,
    "threads": 1,
    "timeout_ms": 1000,
    "max_body": 1000,
    "net": {},
}


def crawl_job(stream: bool = False, **over: object) -> Job:
    crawl: dict[str, object] = {"root": "http://h/", "max_pages": 100}
    crawl.update(over)
    j = {"protocol": 1, "contestant": "python-sequential", "scenario": "crawl", "knobs": KNOBS}
    j.update(crawl=crawl, stream=stream)
    return Job.from_json(j)


class Records(unittest.TestCase):
    def test_title_and_links_are_counted_as_the_rust_extractors_do(self) -> None:
        html = (
            b"<html><head><title>\n  Caf&eacute; &amp; co\n </title>"
            b"<script>var a = '<a href=/x>no</a>';</script></head><body>"
            b"<!-- <a href=/c>no</a> --><a href=/a>a</a><a name=top></a><a href='b#f'>b</a></body></html>"
        )
        e = extract(html)
        self.assertEqual(e.title, "Caf\u00e9 & co")
        self.assertEqual(e.links, 3)  # anchors with or without href; none in script or comment
        self.assertEqual(e.hrefs, ["/a", "b#f"])

    def test_the_declared_charset_is_used(self) -> None:
        body = "<title>Caf\u00e9 na\u00efve</title>".encode("latin-1")
        self.assertEqual(extract(body, "text/html; charset=iso-8859-1").title, "Caf\u00e9 na\u00efve")

    def test_only_2xx_html_is_parsed(self) -> None:
        html = b"<title>T</title><a href=/x>x</a>"
        ok, links = crawl_page("http://h/p", Fetched(200, "text/html", html))
        self.assertEqual((ok["title"], ok["links"], ok["error"]), ("T", 1, None))
        self.assertEqual(links, ["http://h/x"])
        missing, links = crawl_page("http://h/p", Fetched(404, "text/html", html))
        self.assertEqual((missing["status"], missing["error"], missing["links"], links), (404, "status: HTTP 404", 0, []))
        text, _ = crawl_page("http://h/p", Fetched(200, "text/plain", html))
        self.assertEqual((text["title"], text["size"]), (None, len(html)))
        self.assertFalse(is_html("image/png"))
        self.assertTrue(is_html(None))

    def test_errors_keep_their_kind_and_survive_a_pipe(self) -> None:
        e = pickle.loads(pickle.dumps(FetchError("timeout", "no response within 5 ms")))
        self.assertEqual(download_record("u", e)["error"], "timeout: no response within 5 ms")

    def test_parse_records_have_no_status(self) -> None:
        r = parse_record("p", b"<title>x</title>")
        self.assertEqual((r["status"], r["title"], r["size"]), (None, "x", 16))


class Urls(unittest.TestCase):
    def test_normalise_matches_the_rust_frontier(self) -> None:
        base = "http://h:8080/page/1"
        self.assertEqual(normalise(base, "./2"), "http://h:8080/page/2")
        self.assertEqual(normalise(base, "../page/./3"), "http://h:8080/page/3")
        self.assertEqual(normalise(base, "HTTP://H:8080/page/4#x"), "http://h:8080/page/4")
        self.assertEqual(normalise(base, "/q?"), "http://h:8080/q")
        self.assertEqual(normalise("http://h:80/", "/a"), "http://h/a")
        self.assertIsNone(normalise(base, "mailto:x@y"))
        self.assertIsNone(normalise(base, "javascript:void(0)"))
        self.assertIsNone(normalise(base, "http://[::1"))


class Jobs(unittest.TestCase):
    def test_a_job_that_cannot_run_is_refused_before_it_starts(self) -> None:
        with self.assertRaisesRegex(BadJob, "malformed job"):
            Job.from_json({"protocol": 1, "scenario": "sleep"})
        with self.assertRaisesRegex(BadJob, "protocol 9"):
            Job.from_json({"protocol": 9})
        with self.assertRaisesRegex(BadJob, "needs `urls`"):
            Job.from_json({"protocol": 1, "contestant": "x", "scenario": "download", "knobs": KNOBS})
        with self.assertRaisesRegex(BadJob, "pages file /nonexistent"):
            pages = {"file": "/nonexistent", "index": [{"url": "u", "len": 1}]}
            Job.from_json({"protocol": 1, "contestant": "x", "scenario": "parse", "knobs": KNOBS, "pages": pages})

    def test_records_not_streamed_are_written_before_the_closing_line(self) -> None:
        out = io.StringIO()
        o = Output(False, out)
        o.finished({"url": "a"})  # not streamed: written at the end
        o.done({"records": [{"url": "a"}, {"url": "b"}], "wall_s": 1.0})
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual(lines, [{"record": {"url": "a"}}, {"record": {"url": "b"}}, {"done": {"wall_s": 1.0}}])


class Crawl(unittest.TestCase):
    def test_each_url_once_one_origin_and_the_cap(self) -> None:
        out = io.StringIO()
        f = Frontier(crawl_job(max_pages=3, stream=True), Output(True, out))
        r = {"url": "http://h/", "status": 200, "title": None, "links": 0, "size": 0, "error": None}
        nxt = f.finish(r, ["http://h/a", "http://h/a", "http://other/b", "https://h/c", "http://h/d", "http://h/e"])
        self.assertEqual(nxt, ["http://h/a", "http://h/d"])  # the cap of 3 counts the root
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual(lines[0], {"admitted": "http://h/"})
        self.assertEqual(lines[1]["record"]["url"], "http://h/")

    def test_depth_and_prefix(self) -> None:
        f = Frontier(crawl_job(max_depth=1, prefix="/docs/"), Output(False))
        r = {"url": "http://h/", "error": None}
        self.assertEqual(f.finish(r, ["http://h/docs/a", "http://h/blog/b"]), ["http://h/docs/a"])
        self.assertEqual(f.finish({"url": "http://h/docs/a", "error": None}, ["http://h/docs/deeper"]), [])

    def test_robots_disallowed_links_get_a_record_and_no_fetch(self) -> None:
        robots = RobotRules("http://h/robots.txt", 200, "User-agent: *\nDisallow: /private/\n", "shootout")
        f = Frontier(crawl_job(), Output(False), robots)
        nxt = f.finish({"url": "http://h/", "error": None}, ["http://h/private/x", "http://h/ok"])
        self.assertEqual(nxt, ["http://h/ok"])
        self.assertEqual(f.records[-1]["error"], "robots: http://h/robots.txt disallows /private/x")


class Redirect(unittest.TestCase):
    """The twin of `shootout_core::net::Redirects`: the same hops followed and refused."""

    def test_a_chain_is_followed_and_its_end_is_the_final_url(self) -> None:
        trail = Redirects("http://h/a", 10, None)
        self.assertTrue(trail.next(301, "/b#frag"))
        self.assertTrue(trail.next(302, "c"))
        self.assertFalse(trail.next(200, None))
        self.assertEqual(trail.final_url(), "http://h/c")
        self.assertFalse(Redirects("http://h/a", 0, None).next(301, "/b"), "0 keeps the 3xx")

    def test_a_redirect_that_cannot_be_followed_is_a_redirect_error(self) -> None:
        scope = Scope("http://h/", "/docs/", RobotRules("http://h/robots.txt", 200, "User-agent: *\nDisallow: /docs/private/\n", "shootout"))
        cases = [
            (Redirects("http://h/docs/a", 10, None), 301, None, "has no Location"),
            (Redirects("http://h/docs/a", 10, None), 301, "/docs/a", "loop"),
            (Redirects("http://h/docs/a", 10, None), 301, "ftp://h/x", "not http(s)"),
            (Redirects("http://h/docs/a", 10, scope), 301, "http://elsewhere/docs/b", "outside the crawl's scope"),
            (Redirects("http://h/docs/a", 10, scope), 301, "/blog/b", "outside the crawl's scope"),
            (Redirects("http://h/docs/a", 10, scope), 301, "/docs/private/x", "disallows /docs/private/x"),
        ]
        for trail, status, location, says in cases:
            with self.assertRaises(FetchError) as e:
                trail.next(status, location)
            self.assertEqual(e.exception.kind, "redirect")
            self.assertIn(says, e.exception.detail)
        many = Redirects("http://h/0", 2, None)
        many.next(301, "/1")
        many.next(301, "/2")
        with self.assertRaisesRegex(FetchError, "more than 2 redirects"):
            many.next(301, "/3")


if __name__ == "__main__":
    unittest.main()


class OpenLoop(unittest.TestCase):
    """The twins of crates/core/src/load.rs's tests: the same queue, the same URLs."""

    def test_a_backlog_queues_what_fell_due_and_refuses_past_q(self) -> None:
        due = [0.0, 0.010, 0.020, 0.030, 0.040]
        b = Backlog(due, 2)
        self.assertEqual(b.next(0.0), ("send", 0))
        # Request 0 took 45 ms: 1..4 fell due meanwhile; the queue holds 2.
        self.assertEqual(b.next(0.045), ("refuse", 3))
        self.assertEqual(b.next(0.045), ("refuse", 4))
        self.assertEqual(b.next(0.045), ("send", 1))
        self.assertEqual(b.next(0.046), ("send", 2))
        self.assertEqual(b.next(0.047), ("done", 0.0))
        # On time it waits, and sends when due even with Q = 0; while one is out, Q = 0 refuses.
        b = Backlog(due, 0)
        self.assertEqual(b.next(0.0), ("send", 0))
        step, wait = b.next(0.004)
        self.assertEqual(step, "wait")
        self.assertAlmostEqual(wait, 0.006)
        self.assertEqual(b.next(0.010), ("send", 1))
        self.assertEqual(b.next(0.025), ("refuse", 2))

    def test_records_carry_their_latency_from_due_and_refusals_none(self) -> None:
        self.assertEqual(request_url("http://h:1/page/3", 7), "http://h:1/page/3?r=7")
        self.assertEqual(request_url("http://h:1/page/3?x=1#f", 7), "http://h:1/page/3?r=7")
        got = Fetched(status=200, content_type="text/html", body=b"x", due=10.0, body_at=10.5)
        r = load_record("u", 10.25, got)
        self.assertEqual(r["latency"]["body_us"], 250_000)
        self.assertGreaterEqual(r["latency"]["ready_us"], r["latency"]["body_us"])
        late = load_record("u", 0.0, FetchError("timeout", "no response within 5 ms"))
        self.assertTrue(late["error"].startswith("timeout:"))
        self.assertIn("latency", late)
        refused = overload_record("u", 50, 1000)
        self.assertEqual(refused["error"], "overload: 50 in flight and 1000 waiting")
        self.assertNotIn("latency", refused)

    def test_a_dispatcher_thread_admits_c_plus_q_and_refuses_the_rest(self) -> None:
        job = Job.from_json(
            {
                "protocol": 1,
                "contestant": "python-threads",
                "scenario": "load",
                "knobs": {**KNOBS, "concurrency": 1, "load": {"queue": 1}},
                "urls": ["http://h:1/page/0"],
                "due_us": [0, 0, 0, 0],
            }
        )
        # Nothing answered: C + Q = 2 admitted, the rest refused as their indices.
        loop = Dispatcher(job)
        admitted = [(i, url) for i, url, _ in loop.due()]
        self.assertEqual(admitted, [(0, "http://h:1/page/0?r=0"), (1, "http://h:1/page/0?r=1")])
        self.assertIsInstance(loop.records[2], Refused)
        self.assertEqual(loop.records[3], Refused(3))
        # An answer frees its room: request 2 is admitted, 3 is not.
        loop = Dispatcher(job)
        order = []
        for i, _, _ in loop.due():
            order.append(i)
            if i == 1:
                loop.answered(0, {"url": "answered"})
        self.assertEqual(order, [0, 1, 2])
        self.assertEqual(loop.records[0], {"url": "answered"})
        self.assertIsInstance(loop.records[3], Refused)

    def test_a_refusal_is_an_index_until_it_is_written(self) -> None:
        job = Job.from_json(
            {
                "protocol": 1,
                "contestant": "python-asyncio",
                "scenario": "load",
                "knobs": {**KNOBS, "concurrency": 2, "load": {"queue": 3}},
                "urls": ["http://h:1/page/0", "http://h:1/page/1"],
                "due_us": [0, 10, 20],
            }
        )
        out = io.StringIO()
        Output(False, out, job=job).done({"records": [Refused(1)], "wall_s": 0.1})
        first = json.loads(out.getvalue().splitlines()[0])["record"]
        self.assertEqual(first["url"], "http://h:1/page/1?r=1")
        self.assertEqual(first["error"], "overload: 2 in flight and 3 waiting")
        self.assertNotIn("latency", first)


class FilesTest(unittest.TestCase):
    """`files` and `write`: the records, checksums and bytes crates/core/src/files.rs makes."""

    def test_a_file_is_read_into_its_size_and_zlib_checksum(self) -> None:
        import os
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "f")
            with open(path, "wb") as f:
                f.write(b"123456789")
            r = read_file(path)
            # zlib's CRC-32, as crates/core/src/files.rs's `checksum` gives it.
            self.assertEqual((r["size"], r["checksum"], r["error"]), (9, 0xCBF43926, None))
            missing = read_file(os.path.join(d, "not-there"))
            self.assertTrue(missing["error"].startswith("io: "), missing)
            self.assertNotIn("checksum", missing)

    def test_a_written_file_holds_the_source_tagged_with_its_index(self) -> None:
        import os
        import tempfile

        source = bytes(range(16))
        self.assertEqual(write_content(source, 258), (258).to_bytes(8, "little") + source[8:])
        self.assertNotEqual(write_content(source, 1), write_content(source, 2))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "w")
            r = write_file(path, source, 3, fsync=True)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), write_content(source, 3))
            self.assertEqual(r["size"], 16)
            bad = write_file(os.path.join(d, "no-dir", "w"), source, 0, fsync=False)
            self.assertTrue(bad["error"].startswith("io: "), bad)
