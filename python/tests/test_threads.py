"""Unit tests of what python-threads and the interpreter check add: a pool whose threads are
all running before the clock starts, one requests session per thread, and `--check`'s one
line. (Every scenario of every contestant is tested from Rust: tests/contestants.rs.)"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
import unittest
from typing import Any

from shootout_py import __main__ as entry
from shootout_py.common import Job
from shootout_py.threads import Clients, started
from tests.test_common import KNOBS


def job() -> Job:
    return Job.from_json(
        {"protocol": 1, "contestant": "python-threads", "scenario": "download", "knobs": KNOBS, "urls": []}
    )


class Pool(unittest.TestCase):
    def test_every_thread_is_running_before_the_clock_starts(self) -> None:
        pool = started(4, None)
        try:
            names = [t.name for t in threading.enumerate() if t.name.startswith("worker")]
            self.assertEqual(len(names), 4, names)
        finally:
            pool.shutdown()

    def test_each_thread_has_its_own_session_and_reconnect_replaces_them_all(self) -> None:
        clients = Clients(job())
        pool = started(3, clients)
        try:
            # Each thread made its own as it started, and keeps using that one.
            self.assertEqual(len({id(c) for c in clients._all}), 3)
            seen = set(pool.map(lambda _: (threading.current_thread().name, id(clients.get())), range(30)))
            self.assertEqual(len({name for name, _ in seen}), len(seen), seen)
            self.assertLessEqual({c for _, c in seen}, {id(c) for c in clients._all})
            before = [c.session for c in clients._all]
            clients.reconnect()
            after = [c.session for c in clients._all]
            self.assertTrue(all(a is not b for a, b in zip(before, after)))
        finally:
            pool.shutdown()


class Check(unittest.TestCase):
    def check(self, *args: Any) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = entry.check(*args)
        return code, out.getvalue(), err.getvalue()

    def test_the_interpreter_is_named_with_its_gil_as_this_run_has_it(self) -> None:
        gil = getattr(sys, "_is_gil_enabled", lambda: True)()
        name = entry.interpreter()
        self.assertTrue(name.startswith("CPython 3."), name)
        self.assertTrue(name.endswith("GIL on" if gil else "GIL off"), name)
        code, out, _ = self.check(None)
        self.assertEqual(code, 0)
        self.assertTrue(out.startswith(name + "; aiofiles "), out)

    def test_a_missing_own_requirement_is_one_line_that_says_how(self) -> None:
        saved = dict(entry.OWN_IMPORTS)
        entry.OWN_IMPORTS["python-x"] = "no_such_module_shootout"
        try:
            code, out, err = self.check("python-x")
        finally:
            entry.OWN_IMPORTS.clear()
            entry.OWN_IMPORTS.update(saved)
        self.assertEqual((code, out), (2, ""))
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("python-x needs no_such_module_shootout", err)
        self.assertIn("requirements-no_such_module_shootout.txt", err)

    def test_an_interpreter_too_old_is_one_line(self) -> None:
        saved = entry.OLDEST
        entry.OLDEST = (99, 0)
        try:
            code, out, err = self.check(None)
        finally:
            entry.OLDEST = saved
        self.assertEqual((code, out), (2, ""))
        self.assertIn("older than the 99.0 the python-* contestants need", err)


if __name__ == "__main__":
    unittest.main()
