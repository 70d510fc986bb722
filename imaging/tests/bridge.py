"""A real HTTP server for another program (Orthanc) to call, answered by Django's test client in
the test's own thread, inside the test's transaction.

Tests cannot use a live server (the audit trail's triggers refuse the database flushes it needs),
and the database connection belongs to the test's thread. So the server's threads never touch
the database: each puts the request it received on a queue and waits; the test's thread takes
it, answers it through the test `Client` and hands the answer back on the request's own queue.
The test's thread keeps serving until the other program says it has finished.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from django.test import Client

# Headers that belong to the connection, not to the request Django should see.
HOP_BY_HOP = {
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "expect",
    "keep-alive",
}
ANSWER_TIMEOUT = 120.0


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Received:
    method: str
    path: str  # with its query string
    headers: dict[str, str]
    body: bytes
    reply: queue.Queue[Reply] = field(default_factory=queue.Queue)


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if "chunked" in handler.headers.get("Transfer-Encoding", "").lower():
        # What a reverse proxy does before the application sees the request.
        chunks: list[bytes] = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    return handler.rfile.read(int(handler.headers.get("Content-Length") or 0))


class Bridge:
    def __init__(self) -> None:
        self.received: queue.Queue[Received] = queue.Queue()
        self.log: list[tuple[str, str, int]] = []  # (method, path, status) of every answer
        bridge = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _relay(self) -> None:
                request = Received(
                    method=self.command,
                    path=self.path,
                    headers=dict(self.headers.items()),
                    body=_read_body(self),
                )
                bridge.received.put(request)
                try:
                    reply = request.reply.get(timeout=ANSWER_TIMEOUT)
                except queue.Empty:
                    reply = Reply(504, [], b"The test did not answer in time.")
                self.send_response(reply.status)
                for name, value in reply.headers:
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(reply.body)
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay

            def log_message(self, format: str, *args: object) -> None:
                pass  # the bridge keeps its own log

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Bridge:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def serve_until(
        self, finished: Callable[[], bool], answer: Callable[[Received], Reply], timeout: float
    ) -> None:
        """Answer requests in this thread until `finished()` says so (asked between requests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                request = self.received.get(timeout=0.2)
            except queue.Empty:
                if finished():
                    return
                continue
            reply = answer(request)
            self.log.append((request.method, request.path, reply.status))
            request.reply.put(reply)
        raise TimeoutError(f"not finished after {timeout} s; answered: {self.log}")


def django_answer(client: Client) -> Callable[[Received], Reply]:
    """Answer a received request through Django's test client (in the calling thread)."""

    def answer(request: Received) -> Reply:
        headers: dict[str, Any] = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in request.headers.items()
            if name.lower() not in HOP_BY_HOP
        }
        response = client.generic(
            request.method,
            request.path,
            data=request.body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
            **headers,
        )
        streamed = cast(Any, response)  # a StreamingHttpResponse, when WADO-RS answers
        body = b"".join(streamed.streaming_content) if response.streaming else response.content
        return Reply(response.status_code, list(response.items()), body)

    return answer


__all__ = ["Bridge", "Received", "Reply", "django_answer"]
