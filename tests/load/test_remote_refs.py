"""Remote `$ref`s (`--allow-remote-ref HOST`): every redirect hop must be an allowed
host, and the whole fetch has one deadline. Real local servers."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from oagen import load as loading
from oagen.cli import main

HEAD = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"
PATHS = """paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'REF'}
"""
COMMON = b"components:\n  schemas:\n    X: {type: string}\n"


class _Handler(http.server.BaseHTTPRequestHandler):
    """`/redirect?to=URL` answers 302 to URL, `/drip` sends a byte every 0.5 s,
    anything else the common document. Requests are counted per server."""

    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        if self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/drip"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(COMMON)))
            self.end_headers()
            try:
                for byte in COMMON:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:  # the fetch gave up (its deadline): stop dripping
                return
        else:
            self.send_response(200)
            self.send_header("Content-Length", str(len(COMMON)))
            self.end_headers()
            self.wfile.write(COMMON)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client gone mid-answer is no error of the test's (its traceback, printed
        by a handler thread that outlived its test, landed in the next test's stderr)."""


@contextmanager
def _server() -> Iterator[http.server.ThreadingHTTPServer]:
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _spec(tmp_path: Path, url: str) -> str:
    spec = tmp_path / "s.yaml"
    spec.write_text(HEAD + PATHS.replace("REF", url + "#/components/schemas/X"), encoding="utf-8")
    return str(spec)


def test_redirect_to_a_host_not_allowed_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with _server() as allowed, _server() as other:
        elsewhere = f"http://localhost:{other.server_port}/common.yaml"
        url = f"http://127.0.0.1:{allowed.server_port}/redirect?to={elsewhere}"
        spec = _spec(tmp_path, url)
        assert main(["validate", spec, "--allow-remote-ref", "127.0.0.1"]) == 1
        assert "not on an allowed host" in capsys.readouterr().err
        assert other.requests == []  # the other host was never asked
        # a redirect among allowed hosts is followed
        hosts = ["--allow-remote-ref", "127.0.0.1", "--allow-remote-ref", "localhost"]
        assert main(["validate", spec, *hosts]) == 0
        assert other.requests and set(other.requests) == {"/common.yaml"}


def test_remote_fetch_has_one_overall_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that sends one byte every 0.5 s cannot hold the fetch past its deadline
    (each read is quick; only a deadline for the whole fetch stops it)."""
    monkeypatch.setattr(loading, "REMOTE_TIMEOUT", 1.0)
    with _server() as slow:
        spec = _spec(tmp_path, f"http://127.0.0.1:{slow.server_port}/drip")
        started = time.monotonic()
        assert main(["validate", spec, "--allow-remote-ref", "127.0.0.1"]) == 1
        assert time.monotonic() - started < 5
        assert "deadline" in capsys.readouterr().err


def test_malformed_urls_are_refused_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A redirect `Location` a server sends, and a `$ref` to an allowed host, are
    untrusted text: one `urlsplit` cannot read (an unclosed `[`) or whose port is no
    port is a located error, not a traceback."""
    with _server() as allowed:
        bad = f"http://127.0.0.1:{allowed.server_port}/redirect?to=http://[::1/x.yaml"
        spec = _spec(tmp_path, bad)
        assert main(["validate", spec, "--allow-remote-ref", "127.0.0.1"]) == 1
        err = capsys.readouterr().err
        assert "redirects to 'http://[::1/x.yaml', not a URL" in err
        assert "Traceback" not in err
    for url, allow in [("http://127.0.0.1:99999/x.yaml", "127.0.0.1"), ("http://h:port/x", "h")]:
        assert main(["validate", _spec(tmp_path, url), "--allow-remote-ref", allow]) == 1
        err = capsys.readouterr().err
        assert f"s.yaml:11:30: error: cannot fetch $ref {url!r}: {url!r} is not a URL" in err
