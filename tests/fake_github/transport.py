"""Transports: callbacks on a ``responses.RequestsMock`` and a real local HTTP server."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

if TYPE_CHECKING:
    import responses

    from .fake import FakeGitHub
    from .log import Outcome

_METHODS = ("GET", "HEAD", "POST", "PATCH", "PUT", "DELETE")


class Transports:
    """Mixin giving FakeGitHub ``install`` (responses) and ``serve`` (HTTP)."""

    def __init__(self) -> None:
        self._mocks: list[responses.RequestsMock] = []
        self._served: list[str] = []

    @property
    def mocks(self) -> list[responses.RequestsMock]:
        """The ``responses`` mocks this fake is installed on (to add unrelated stubs)."""
        return list(self._mocks)

    @property
    def base_url(self) -> str:
        """URL clients should use: the HTTP server's while serving, else ``api_url``."""
        fake: FakeGitHub = self  # type: ignore[assignment]
        return self._served[-1] if self._served else fake.api_url

    def api(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """Call the fake through ``requests`` as a client would (``install`` or ``serve``
        must be active). ``token`` defaults to the configured one; "" sends no auth."""
        fake: FakeGitHub = self  # type: ignore[assignment]
        credential = fake.token if token is None else token
        headers = {"Authorization": f"token {credential}"} if credential else {}
        headers.update(kwargs.pop("headers", {}))
        kwargs.setdefault("timeout", 10)
        return requests.request(method, self.base_url + path, headers=headers, **kwargs)

    def subprocess_env(
        self, base: Mapping[str, str] | None = None, block_network: bool = True
    ) -> dict[str, str]:
        """Environment for running the CLI against this fake in a subprocess.

        Sets GITHUB_API_URL (``base_url``, so call it inside ``serve()``), GITHUB_TOKEN and
        GITHUB_REPOSITORY on top of ``base`` (default ``os.environ``). With
        ``block_network`` a ``sitecustomize`` on PYTHONPATH makes the child refuse any
        non-loopback connection, so a bug there cannot reach api.github.com either.
        """
        fake: FakeGitHub = self  # type: ignore[assignment]
        env = dict(os.environ if base is None else base)
        env.update(
            GITHUB_API_URL=self.base_url,
            GITHUB_TOKEN=fake.token,
            GITHUB_REPOSITORY=fake.full_name,
        )
        if block_network:
            guard = str(Path(__file__).resolve().parent / "_sitecustomize")
            env["PYTHONPATH"] = os.pathsep.join(p for p in (guard, env.get("PYTHONPATH")) if p)
            env["FAKE_GITHUB_BLOCK_NETWORK"] = "1"
        return env

    def install(self, rsps: responses.RequestsMock) -> None:
        """Answer every request to ``api_url`` made through ``requests`` inside ``rsps``.

        Each attempt reaches the fake (responses replays urllib3 retries without sleeping,
        so client retries show up as separate log entries). A dropped connection raises
        ``requests.exceptions.ConnectionError``; a timeout raises ``ReadTimeout``.
        """
        fake: FakeGitHub = self  # type: ignore[assignment]
        parts = urlsplit(fake.api_url)
        default_port = ":443" if parts.scheme == "https" else ":80"
        # PyGithub spells the default port out (https://api.github.com:443/...).
        port = "" if parts.port else f"(?:{re.escape(default_port)})?"
        pattern = re.compile(
            re.escape(f"{parts.scheme}://{parts.netloc}")
            + port
            + re.escape(parts.path.rstrip("/"))
            + r"([/?].*)?$"
        )
        for method in _METHODS:
            rsps.add_callback(method, pattern, callback=self._on_mocked, content_type=None)
        for url in self._served:
            rsps.add_passthru(url)
        self._mocks.append(rsps)

    def _on_mocked(self, request: requests.PreparedRequest) -> Any:
        fake: FakeGitHub = self  # type: ignore[assignment]
        raw = request.body
        body = raw.encode() if isinstance(raw, str) else raw if isinstance(raw, bytes) else None
        headers = {k: v if isinstance(v, str) else v.decode() for k, v in request.headers.items()}
        outcome = fake.handle(
            str(request.method),
            str(request.url),
            headers,
            body,
            "responses",
            fake.api_url,
        )
        if outcome.action == "drop":
            return requests.exceptions.ConnectionError(
                "Connection aborted: remote end closed connection without response (fake)",
                request=request,
            )
        if outcome.action == "timeout":
            return requests.exceptions.ReadTimeout("Read timed out (fake)", request=request)
        body = b"" if request.method == "HEAD" else outcome.body
        return (outcome.status, outcome.headers, body)

    @contextmanager
    def serve(self, latency: float = 0.0, port: int = 0) -> Iterator[str]:
        """Serve the same fake over HTTP on 127.0.0.1 and yield its base URL.

        ``latency`` seconds are slept before each request is handled (outside the state
        lock). Drops close the socket without a response; timeouts hold the connection for
        the fault's ``hang`` seconds (released early when the server stops).
        """
        fake: FakeGitHub = self  # type: ignore[assignment]
        stop = threading.Event()
        handler = _make_handler(fake, latency, stop)
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        server.daemon_threads = True
        url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        self._served.append(url)
        for rsps in self._mocks:
            # responses would otherwise refuse in-process calls to the served URL.
            rsps.add_passthru(url)
        try:
            yield url
        finally:
            stop.set()
            self._served.remove(url)
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


def _make_handler(fake: FakeGitHub, latency: float, stop: threading.Event) -> type:
    class Handler(BaseHTTPRequestHandler):
        """Feeds every HTTP request to the fake and replays its Outcome on the socket."""

        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, a kept-alive connection would
        # wait ~40 ms for the delayed ACK on every response (real GitHub does not).
        disable_nagle_algorithm = True
        server_version = "GitHub.com"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if latency:
                time.sleep(latency)
            # URLs in bodies and Link headers follow the Host the client used.
            host = f"http://{self.headers.get('Host', '127.0.0.1')}"
            try:
                outcome = fake.handle(
                    self.command, host + self.path, dict(self.headers.items()), body, "http", host
                )
            except Exception as error:  # a crashing server just loses the connection
                fake.server_errors.append(error)
                self.close_connection = True
                return
            self._deliver(outcome)

        def _deliver(self, outcome: Outcome) -> None:
            if outcome.action == "timeout":
                stop.wait(outcome.hang)
            if outcome.action in ("timeout", "drop") or outcome.status is None:
                self.close_connection = True
                return
            self.send_response_only(outcome.status)
            self.send_header("Server", "GitHub.com")
            for key, value in outcome.headers:
                self.send_header(key, value)
            if outcome.status not in (204, 304):
                self.send_header("Content-Length", str(len(outcome.body)))
            self.end_headers()
            if outcome.status not in (204, 304) and self.command != "HEAD":
                self.wfile.write(outcome.body)

        do_GET = do_HEAD = do_POST = do_PATCH = do_PUT = do_DELETE = _any

        def log_message(self, format: str, *args: Any) -> None:
            """Silence the default stderr access log."""
            return  # the fake keeps its own request log

    return Handler
