"""API clients that carry a real bearer token, made through accounts' own action."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts import actions as account_actions
from accounts.models import User
from neurodaraja.testing.cases import IDENTITY, TRAUMA
from neurodaraja.testing.personas import Personas, verified_device

BASE = "/api/v1"


def call(client: Client, method: str, path: str, body: Any = None, raw: Any = None) -> Any:
    """`client.<method>` of the API at `path`, with `body` as JSON (or `raw` as it is)."""
    data = raw if raw is not None else (json.dumps(body, default=str) if body is not None else None)
    return getattr(client, method)(f"{BASE}{path}", data=data, content_type="application/json")


def draft_payload(**clinical: Any) -> dict[str, Any]:
    """A trauma draft as the API takes it, injured three hours ago."""
    injury = (timezone.now() - timedelta(hours=3)).isoformat()
    return {
        "category": "trauma",
        "clinical": {**TRAUMA, "injury_at": injury, **clinical},
        "identity": IDENTITY,
    }


def bearer_client(user: User) -> Client:
    """A client that calls the API as this person, with a token made as they would make one."""
    if user.requires_two_factor:
        verified_device(user)  # the token page asks for the second factor first
    _token, raw = account_actions.create_api_token(user, name="tests", valid_days=30)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def api(consultants: Personas) -> Callable[[User], Client]:
    """`api(person)`: a client for the API as that person (the consultants have their profiles)."""
    return bearer_client
