"""Every page, state change and API endpoint of every app, tried by every persona: the right role
gets in; the wrong role is refused (403 for a known page it may not use, 404 for what it may not
know exists) and changes nothing; strangers are sent to sign in, or get 401 from the API and
from the routes outside it that take a token (DICOMweb, tus), as do forged tokens.

Each app declares its part in its own `tests/access.py` (see neurodaraja/testing/access.py), so a
new app joins the matrix by adding that one file.
"""

from __future__ import annotations

import importlib
import json
import re
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from neurodaraja.api import api as ninja_api
from neurodaraja.testing.access import Change, Endpoint, Ids, Page, TokenRoute, fill
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import with_profiles
from neurodaraja.testing.personas import EVERYONE, Personas, sign_in

API = "/api/v1"


def declarations() -> dict[str, ModuleType]:
    """Each installed app's `tests/access.py`, by app label."""
    found = {}
    for config in apps.get_app_configs():
        try:
            found[config.label] = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError as missing:
            if missing.name not in {f"{config.name}.tests", f"{config.name}.tests.access"}:
                raise
    return found


DECLARED = declarations()


def cases(kind: str) -> list[Any]:
    return [
        pytest.param(
            label,
            entry,
            id=f"{label}: {getattr(entry, 'method', '')} {entry_path(entry)}".replace(" : ", ": "),
            marks=getattr(entry, "marks", ()),
        )
        for label, module in DECLARED.items()
        for entry in getattr(module, kind, [])
    ]


def entry_path(entry: Page | Change | Endpoint | TokenRoute) -> str:
    return entry.path if isinstance(entry, Endpoint) else entry.url


@pytest.fixture
def world(cast: Personas) -> Personas:
    return with_profiles(cast)


def built(world: Personas, label: str) -> Ids:
    return DECLARED[label].objects(world)


def signed_in(world: Personas) -> dict[str, Client]:
    return {persona: sign_in(Client(), getattr(world, persona)) for persona in EVERYONE}


def mismatches(got: dict[str, int], expected: dict[str, int]) -> list[str]:
    return [
        f"{persona}: {got[persona]}, expected {expected[persona]}"
        for persona in got
        if got[persona] != expected[persona]
    ]


def allowed(status: int) -> bool:
    return status < 400


@pytest.mark.parametrize(("label", "page"), cases("PAGES"))
def test_each_page_admits_only_the_right_people(world, client, label, page: Page):
    ids = built(world, label)
    url = fill(page.url, ids)
    got = {persona: c.get(url).status_code for persona, c in signed_in(world).items()}
    assert mismatches(got, page.expected) == [], url
    stranger = client.get(url)
    assert stranger.status_code == 302 and stranger["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize(("label", "change"), cases("CHANGES"))
def test_each_change_is_refused_to_the_wrong_people_and_changes_nothing(world, client, label, change: Change):
    ids = built(world, label)
    url, data = fill(change.url, ids), fill(change.data, ids)
    before = change.state(world, ids)
    refused = {persona: status for persona, status in change.expected.items() if not allowed(status)}
    clients = signed_in(world)
    got = {persona: clients[persona].post(url, data).status_code for persona in refused}
    assert mismatches(got, refused) == [], url
    stranger = client.post(url, data)
    assert stranger.status_code == 302 and stranger["Location"].startswith("/accounts/login/"), url
    assert change.state(world, ids) == before, f"a refused {url} changed something"


@pytest.mark.parametrize(("label", "endpoint"), cases("ENDPOINTS"))
def test_each_endpoint_answers_only_the_right_people(world, client, label, endpoint: Endpoint):
    ids = built(world, label)
    path = API + fill(endpoint.path, ids)
    body = json.dumps(fill(endpoint.body, ids), default=str) if endpoint.body is not None else None
    form = fill(endpoint.body or {}, ids)
    before = endpoint.state(world, ids)
    tried = {
        persona: status
        for persona, status in endpoint.expected.items()
        if not (endpoint.writes and allowed(status))
    }

    def call(c: Client) -> int:
        if endpoint.files is not None:  # multipart: new file objects each time, as each is read
            uploads = {
                name: SimpleUploadedFile(filename, content, content_type)
                for name, (filename, content, content_type) in endpoint.files.items()
            }
            return getattr(c, endpoint.method)(path, data={**form, **uploads}).status_code
        return getattr(c, endpoint.method)(path, data=body, content_type="application/json").status_code

    got = {persona: call(bearer_client(getattr(world, persona))) for persona in tried}
    assert mismatches(got, tried) == [], f"{endpoint.method.upper()} {path}"
    assert call(client) == 401, f"{endpoint.method.upper()} {path} without a token"
    assert call(Client(HTTP_AUTHORIZATION="Bearer nd_forged")) == 401
    assert endpoint.state(world, ids) == before, (
        f"a refused {endpoint.method.upper()} {path} changed something"
    )


@pytest.mark.parametrize(("label", "route"), cases("TOKEN_ROUTES"))
def test_each_token_route_answers_only_the_right_people(world, label, route: TokenRoute):
    ids = built(world, label)
    url = fill(route.url, ids)
    headers = fill(route.headers, ids)
    before = route.state(world, ids)
    tried = {
        persona: status
        for persona, status in route.expected.items()
        if not (route.writes and allowed(status))
    }

    def call(c: Client) -> int:
        return c.generic(
            route.method, url, data=route.body, content_type=route.content_type, headers=headers
        ).status_code

    got = {persona: call(bearer_client(getattr(world, persona))) for persona in tried}
    assert mismatches(got, tried) == [], f"{route.method} {url}"
    assert call(Client()) == route.stranger, f"{route.method} {url} without a token"
    assert call(Client(HTTP_AUTHORIZATION="Bearer nd_forged")) == route.stranger, f"{route.method} {url}"
    assert route.state(world, ids) == before, f"a refused {route.method} {url} changed something"


# ---- Every route is declared somewhere, or exempt for a stated reason ------------------------

# Routes no persona matrix applies to, by URL name.
EXEMPT: dict[str, str] = {
    "core:healthz": "the load balancer's health check: open to all, says only 'ok'",
    "accounts:login": "the sign-in page itself, for strangers (accounts/tests/test_sign_in.py)",
    "accounts:login_verify": "the sign-in's second step, for strangers half-way in (test_sign_in.py)",
    "accounts:logout": "signing out, for anyone (test_sign_in.py)",
    "accounts:password_reset": "password reset, for strangers (accounts/tests/test_password_reset.py)",
    "accounts:password_reset_done": "password reset, for strangers (test_password_reset.py)",
    "accounts:password_reset_confirm": "a link with a one-time token, for strangers (test_password_reset.py)",
    "accounts:password_reset_complete": "password reset, for strangers (test_password_reset.py)",
    "accounts:accept_invitation": "a link with a one-time token, for strangers (accounts/tests/test_invitations.py)",
    "set_language": "the language switch, for anyone, signed in or not (core/tests/test_pages.py)",
    "imaging:uploader": "the command-line uploader script, a public download",
    "training_certificates:lookup": "certificate verification, public: everyone, signed in or not, gets the form (training/certificates/tests/test_verification.py)",
    "training_certificates:verify": "certificate verification, public and rate-limited: everyone, signed in or not (training/certificates/tests/test_verification.py)",
    "api_no_such_endpoint": "any path under /api/v1/ that is no endpoint: the same JSON 404 for everyone (neurodaraja/tests/test_api_errors.py)",
}


def routes() -> dict[str, str]:
    """URL name -> route, for every Django route but the admin, static files and the ninja API."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if pattern.namespace in {"admin", "api"}:
                    continue
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}{pattern.name}"] = prefix + str(pattern.pattern)
            elif isinstance(pattern, URLPattern):
                found[prefix + str(pattern.pattern)] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "/", "")
    return {name: route for name, route in found.items() if not route.startswith(("/static/", "/media/"))}


def operations() -> set[str]:
    """'METHOD /path' for every operation in the API's OpenAPI description."""
    schema = ninja_api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item}


def operation_of(method: str, path: str) -> str | None:
    candidates = [
        operation
        for operation in operations()
        if operation.split(" ", 1)[0] == method.upper()
        and re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", operation.split(" ", 1)[1]), path)
    ]
    # The literal route before a placeholder one (/x/scale before /x/{id}).
    return min(candidates, key=lambda op: (op.count("{"), op), default=None)


def test_every_route_and_api_operation_is_in_some_apps_access_declaration(world):
    declared_routes, declared_operations = set(), set()
    for label, module in DECLARED.items():
        ids = module.objects(world)
        routed = [*getattr(module, "PAGES", []), *getattr(module, "CHANGES", [])]
        for entry in [*routed, *getattr(module, "TOKEN_ROUTES", [])]:
            match = resolve(fill(entry.url, ids).split("?")[0])
            declared_routes.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
        for endpoint in getattr(module, "ENDPOINTS", []):
            operation = operation_of(endpoint.method, API + fill(endpoint.path, ids))
            assert operation, f"{label}: {endpoint.method.upper()} {endpoint.path} is no API operation"
            declared_operations.add(operation)
    everything = set(routes()) | operations()
    missing = everything - declared_routes - declared_operations - set(EXEMPT)
    assert sorted(missing) == [], (
        "Declare these in the app's tests/access.py (or exempt them, with the reason)"
    )
    stale = set(EXEMPT) & (declared_routes | declared_operations)
    assert sorted(stale) == [], "Declared now, so remove from the exemptions"
    gone = set(EXEMPT) - everything
    assert sorted(gone) == [], "No such route or operation any more"


def test_the_matrix_reads_every_apps_declaration():
    assert {"accounts", "consultations", "core", "imaging", "scores"} <= set(DECLARED)
    assert all(hasattr(module, "objects") for module in DECLARED.values())
