"""What an app declares in its `tests/access.py` for the project's access matrix
(neurodaraja/tests/test_access_matrix.py): the objects its URLs need, and for each page, state
change and API endpoint the status every persona gets.

    def objects(cast: Personas) -> dict[str, object]   # ids for the URLs, made by real actions
    PAGES: list[Page]            # GET; signed out: sent to sign-in
    CHANGES: list[Change]        # POST; refused ones change nothing; signed out: sent to sign-in
    ENDPOINTS: list[Endpoint]    # the API with a real bearer token; without one: 401
    TOKEN_ROUTES: list[TokenRoute]  # routes outside the ninja API that take a bearer token
                                    # (DICOMweb, tus): without one, or with a forged one, 401

A status below 400 means "allowed". Pages and API reads are tried by everyone; a state change is
tried only by those it must refuse (the app's own tests prove what it does when allowed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

from neurodaraja.testing.personas import EVERYONE, Personas

Expected = dict[str, int]
Ids = dict[str, Any]
State = Callable[[Personas, Ids], object]


def fill(value: Any, ids: Ids) -> Any:
    """Placeholders in a URL or a request body ("{case}", "/x/{case}/"), from an app's objects()."""
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, str):
        exact = re.fullmatch(r"\{(\w+)\}", value)
        return ids[exact.group(1)] if exact else value.format(**ids)
    return value


def expect(allowed: Iterable[str], refused: int = 403, ok: int = 200, **exceptions: int) -> Expected:
    """`ok` for the allowed personas, `refused` for the others, then any named exceptions."""
    allowed = set(allowed)
    unknown = (allowed | set(exceptions)) - set(EVERYONE)
    assert not unknown, f"not personas: {unknown}"  # noqa: S101
    return {persona: ok if persona in allowed else refused for persona in EVERYONE} | exceptions


def everyone(status: int = 200) -> Expected:
    return dict.fromkeys(EVERYONE, status)


def nothing(cast: Personas, ids: Ids) -> None:
    """For a change whose refusal the status alone proves (the app's tests check the rest)."""


@dataclass(frozen=True)
class Page:
    url: str  # with {placeholders} from objects()
    expected: Expected


@dataclass(frozen=True)
class Change:
    url: str
    expected: Expected
    state: State  # what a refused request must leave as it was
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Endpoint:
    method: str  # get, post, put, patch, delete
    path: str  # under /api/v1, with {placeholders}
    expected: Expected
    state: State = nothing  # for writes: what a refused request must leave as it was
    body: dict[str, Any] | None = None
    safe: bool = False  # a POST that only computes (a score): tried by everyone, like a read
    # A multipart upload: field -> (file name, content, content type), sent with `body` as the
    # form's other fields (then `body` is not JSON).
    files: dict[str, tuple[str, bytes, str]] | None = None
    marks: tuple[pytest.MarkDecorator, ...] = ()  # e.g. xfail(strict=True) for a known bug

    @property
    def writes(self) -> bool:
        return self.method != "get" and not self.safe


READS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class TokenRoute:
    """A Django route (not a ninja operation) that takes a personal API token, or the session:
    tried with each persona's real bearer token; without one, or with a forged one, `stranger`."""

    method: str  # GET, HEAD, OPTIONS, POST, PATCH, DELETE
    url: str  # with {placeholders} from objects()
    expected: Expected
    state: State = nothing  # for writes: what a refused request must leave as it was
    headers: dict[str, str] = field(default_factory=dict)  # values may be "{placeholders}"
    body: bytes = b""
    content_type: str = "application/octet-stream"
    stranger: int = 401  # what someone without a valid token gets (OPTIONS: tus discovery, 204)
    marks: tuple[pytest.MarkDecorator, ...] = ()

    @property
    def writes(self) -> bool:
        return self.method.upper() not in READS
