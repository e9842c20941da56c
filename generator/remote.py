"""Remote `$ref` documents (only with `--allow-remote-ref HOST`): one GET, bounded.

Every hop of a redirect must be an allowed host over http(s); the whole fetch
(connecting, every redirect, every byte) has one deadline; the body has a size cap.
`http.client` directly, so each of those is explicit.
"""

from __future__ import annotations

import http.client
import socket
import time
from urllib.parse import urljoin, urlsplit

__all__ = ["FetchError", "fetch"]

MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The document could not be fetched as the policy allows (the message says why)."""


def fetch(url: str, allowed_hosts: frozenset[str], deadline: float, max_bytes: int) -> bytes:
    """The body of `url`, following redirects among `allowed_hosts` only, within
    `deadline` seconds in all, at most `max_bytes` long."""
    ends = time.monotonic() + deadline
    for _ in range(MAX_REDIRECTS + 1):
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:  # an unclosed `[`, a port that is no number (or too big)
            raise FetchError(f"{url!r} is not a URL") from None
        if parts.scheme not in ("http", "https") or (parts.hostname or "") not in allowed_hosts:
            raise FetchError(f"{url!r} is not on an allowed host (--allow-remote-ref)")
        connection_type = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_type(parts.hostname or "", port, timeout=_left(ends, url))
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", target, headers={"Accept": "*/*"})
            sock = connection.sock  # (the connection forgets it once the response is read)
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                try:
                    url = urljoin(url, location)
                except ValueError:
                    raise FetchError(f"{url!r} redirects to {location!r}, not a URL") from None
                continue
            if response.status != 200:
                raise FetchError(f"{url!r} answered HTTP {response.status}")
            return _body(sock, response, ends, url, max_bytes)
        except TimeoutError:
            raise FetchError(f"fetching {url!r} took longer than the deadline") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"cannot fetch {url!r}: {exc or type(exc).__name__}") from None
        finally:
            connection.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _body(
    sock: socket.socket | None,
    response: http.client.HTTPResponse,
    ends: float,
    url: str,
    max_bytes: int,
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        left = _left(ends, url)
        if sock is not None:
            sock.settimeout(left)  # what is left of the deadline, not a time per read
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url!r} is larger than {max_bytes} bytes")
        chunks.append(chunk)


def _left(ends: float, url: str) -> float:
    left = ends - time.monotonic()
    if left <= 0:
        raise FetchError(f"fetching {url!r} took longer than the deadline")
    return left
