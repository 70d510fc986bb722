"""API clients that carry a real bearer token, made through accounts' own action."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts import actions as account_actions
from accounts.models import User
from neurodaraja.testing.personas import Personas, verified_device


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
