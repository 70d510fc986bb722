"""Lets a `requests`-based client (tuspy, tools/nd_upload.py) talk to the app in the test process:
every request to http://testserver goes through Django's test client, no server thread needed
(the audit trail's triggers forbid the database flushes a live server's tests would need)."""

from __future__ import annotations

import gzip
from typing import Any
from urllib.parse import urlsplit

import requests
from django.test import Client, TestCase
from requests.structures import CaseInsensitiveDict

SERVER = "http://testserver"


class DjangoAdapter(requests.adapters.BaseAdapter):
    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        url = urlsplit(request.url or "")
        path = url.path + (f"?{url.query}" if url.query else "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        elif hasattr(body, "read"):
            body = body.read()
        headers: dict[str, Any] = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in request.headers.items()
            if name.lower() not in ("content-type", "content-length", "host")
        }
        # Each request commits on its own, as on a real server, so the worker runs after the last part.
        with TestCase.captureOnCommitCallbacks(execute=True):
            answer = self.client.generic(
                request.method or "GET",
                path,
                data=body,
                content_type=str(request.headers.get("Content-Type", "application/octet-stream")),
                **headers,
            )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        content = answer.content
        if answer.headers.get("Content-Encoding", "").lower() == "gzip":
            content = gzip.decompress(content)  # as urllib3 decodes it for requests on a real socket
        response._content = content
        response.url = request.url or ""
        response.request = request
        response.reason = answer.reason_phrase
        return response

    def close(self) -> None:
        pass


def route_requests_to_django(monkeypatch: Any) -> None:
    adapter = DjangoAdapter(Client())
    original = requests.Session.get_adapter

    def get_adapter(session: requests.Session, url: str) -> requests.adapters.BaseAdapter:
        return adapter if url.startswith(SERVER) else original(session, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
