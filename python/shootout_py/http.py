"""The two HTTP engines of the Python family, each reduced to `Fetched | FetchError`.

As in the Rust lab, one engine per family: the blocking contestants (`python-sequential`,
`python-threads`, `python-pool`) share requests, and `python-asyncio` and `python-uvloop` use
aiohttp, the articles' choice. Both
follow the lab's rules: at most `max_redirects` hops (0 records the 3xx itself), a body over
`max_body` is a `too_large` record, the whole request has `timeout_ms`, the environment's
proxies are ignored, and every failure becomes a typed error rather than an exception.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import tempfile
from typing import Any

import aiohttp
import requests

from .common import FetchError, Fetched, Knobs, Redirects, Scope

_CHUNK = 64 * 1024


def _too_large(knobs: Knobs) -> FetchError:
    return FetchError("too_large", f"body exceeds {knobs.max_body} bytes")


class BlockingClient:
    """requests, one `Session` (a connection pool) per thread or process that uses it."""

    def __init__(self, knobs: Knobs) -> None:
        self.knobs = knobs
        self.session = self._session()
        self._verify: bool | str = True
        if knobs.ca_pem:
            # requests takes a CA bundle by path only.
            with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as f:
                f.write(knobs.ca_pem)
            self._verify = f.name

    def _session(self) -> requests.Session:
        session = requests.Session()
        # The lab's proxy policy: the environment's proxies are ignored in both families.
        session.trust_env = False
        session.max_redirects = self.knobs.max_redirects
        session.headers["User-Agent"] = self.knobs.user_agent
        return session

    def reconnect(self) -> None:
        """Closes every pooled connection and starts a new pool: the next request connects
        as the first one did (between repetitions, so each does the same work)."""
        self.session.close()
        self.session = self._session()

    def get(self, url: str, scope: Scope | None = None) -> Fetched | FetchError:
        """GET `url`, following redirects as `Redirects` allows (within `scope`, in a crawl)."""
        k = self.knobs
        trail = Redirects(url, k.max_redirects, scope)
        due = time.monotonic()  # taken up now (see common.with_latency)
        try:
            while True:
                with self.session.get(
                    trail.current(),
                    timeout=k.timeout_s,
                    stream=True,
                    allow_redirects=False,
                    verify=self._verify,
                ) as r:
                    if trail.next(r.status_code, r.headers.get("Location")):
                        continue
                    body = bytearray()
                    for chunk in r.iter_content(_CHUNK):
                        body += chunk
                        if len(body) > k.max_body:
                            return _too_large(k)
                    return Fetched(
                        status=r.status_code,
                        content_type=r.headers.get("Content-Type"),
                        body=bytes(body),
                        final_url=trail.final_url(),
                        due=due,
                        body_at=time.monotonic(),
                    )
        except FetchError as e:
            return e
        except requests.exceptions.Timeout:
            return FetchError("timeout", f"no response within {k.timeout_ms} ms")
        except requests.exceptions.SSLError as e:
            return FetchError("tls", str(e))
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as e:
            return FetchError("protocol", str(e))
        except requests.exceptions.ConnectionError as e:
            # requests raises ConnectionError for a refused connection and for one that broke
            # mid-response; only the first is a connect error.
            kind = "connect" if isinstance(e, requests.exceptions.ConnectTimeout) or _refused(e) else "protocol"
            return FetchError(kind, str(e))
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema) as e:
            return FetchError("url", str(e))
        except requests.exceptions.RequestException as e:
            return FetchError("protocol", str(e))


def _refused(e: Exception) -> bool:
    text = str(e)
    return any(
        s in text
        for s in ("Connection refused", "Failed to establish", "Name or service", "No route")
    )


class AsyncClient:
    """aiohttp, one `ClientSession` whose connector keeps at most C connections."""

    def __init__(self, knobs: Knobs) -> None:
        self.knobs = knobs
        ctx: ssl.SSLContext | bool = True
        if knobs.ca_pem:
            ctx = ssl.create_default_context()
            ctx.load_verify_locations(cadata=knobs.ca_pem)
        # Made inside the running loop (aiohttp requires it): see `open`.
        self._ssl = ctx
        self.session: aiohttp.ClientSession | None = None

    async def open(self) -> AsyncClient:
        k = self.knobs
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=k.concurrency, ssl=self._ssl),
            timeout=aiohttp.ClientTimeout(total=k.timeout_s),
            headers={"User-Agent": k.user_agent},
            trust_env=False,
        )
        return self

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    async def reconnect(self) -> None:
        """Closes every pooled connection and opens a new session: the next request connects
        as the first one did (between repetitions, so each does the same work)."""
        await self.close()
        await self.open()

    async def get(self, url: str, scope: Scope | None = None) -> Fetched | FetchError:
        """GET `url`, following redirects as `Redirects` allows (within `scope`, in a crawl)."""
        k = self.knobs
        assert self.session is not None, "AsyncClient.open() was awaited"
        trail = Redirects(url, k.max_redirects, scope)
        due = time.monotonic()  # taken up now (see common.with_latency)
        try:
            while True:
                async with self.session.get(trail.current(), allow_redirects=False) as resp:
                    if trail.next(resp.status, resp.headers.get("Location")):
                        continue
                    body = bytearray()
                    async for chunk in resp.content.iter_chunked(_CHUNK):
                        body += chunk
                        if len(body) > k.max_body:
                            return _too_large(k)
                    return Fetched(
                        status=resp.status,
                        content_type=resp.headers.get("Content-Type"),
                        body=bytes(body),
                        final_url=trail.final_url(),
                        due=due,
                        body_at=time.monotonic(),
                    )
        except FetchError as e:
            return e
        except asyncio.TimeoutError:
            return FetchError("timeout", f"no response within {k.timeout_ms} ms")
        except (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError) as e:
            return FetchError("tls", str(e))
        except aiohttp.ClientConnectorError as e:
            return FetchError("connect", str(e))
        except aiohttp.InvalidURL as e:
            return FetchError("url", str(e))
        except (aiohttp.ClientError, OSError) as e:
            return FetchError("protocol", str(e) or type(e).__name__)
