"""Every operation of the JSON API that declares a JSON request body refuses a body that is not
the declared object (a list, a string, null, a number, invalid JSON, nesting past any sense, the
wrong Content-Type) with a JSON 400 or 422 `{detail, code}`, and changes nothing, even for the
person whose role allows the call. The operations come from the OpenAPI description, the
person allowed and the URL's objects from the access matrix (each app's tests/access.py)."""

from __future__ import annotations

import importlib
import json
import re
from typing import Any

import pytest
from django.apps import apps

from neurodaraja.api import MAX_BODY_DEPTH, BodyRefused, JsonObjectParser
from neurodaraja.api import api as ninja_api
from neurodaraja.testing.access import Endpoint, fill
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import with_profiles

API = "/api/v1"
DEEP = 100_000

# (what it is, body, Content-Type); None as body: the operation's own valid body from the matrix.
NOT_THE_OBJECT: list[tuple[str, bytes | None, str]] = [
    ("a list", b"[]", "application/json"),
    ("a list of objects", b'[{"a": 1}, {"b": 2}]', "application/json"),
    ("a string", b'"hello"', "application/json"),
    ("null", b"null", "application/json"),
    ("a number", b"42", "application/json"),
    ("true", b"true", "application/json"),
    ("invalid JSON", b'{"a": ', "application/json"),
    ("not UTF-8", b'{"a": "\xff\xfe"}', "application/json"),
    ("lists nested deep", b"[" * DEEP + b"]" * DEEP, "application/json"),
    ("objects nested deep", b'{"a": ' * DEEP + b"1" + b"}" * DEEP, "application/json"),
    ("a valid body as text/plain", None, "text/plain"),
    ("a valid body as a form", None, "application/x-www-form-urlencoded"),
    ("a valid body without a Content-Type", None, ""),
    ("an empty body", b"", "application/json"),
]


def declared_endpoints() -> dict[str, tuple[str, list[Endpoint]]]:
    found = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError as missing:
            if missing.name not in {f"{config.name}.tests", f"{config.name}.tests.access"}:
                raise
            continue
        found[config.label] = (config.label, list(getattr(module, "ENDPOINTS", [])))
    return found


def json_body_operations() -> list[tuple[str, str]]:
    """(method, OpenAPI path) of every operation whose request body is JSON."""
    schema = ninja_api.get_openapi_schema()
    return sorted(
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    )


def rows() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def is_json_refusal(response) -> bool:
    if response.status_code not in (400, 422) or not response["Content-Type"].startswith("application/json"):
        return False
    answer = response.json()
    return isinstance(answer, dict) and bool(answer.get("detail")) and bool(answer.get("code"))


def test_every_operation_with_a_json_body_is_in_the_access_matrix_with_someone_allowed():
    declared = {
        (endpoint.method, endpoint.path)
        for _label, endpoints in declared_endpoints().values()
        for endpoint in endpoints
        if endpoint.safe or any(status < 400 for status in endpoint.expected.values())
    }
    patterns = {(m, re.sub(r"\{[^}]+\}", "[^/]+", p)) for m, p in declared}
    missing = [
        f"{method.upper()} {path}"
        for method, path in json_body_operations()
        if not any(m == method and re.fullmatch(p, path.removeprefix(API)) for m, p in patterns)
    ]
    assert json_body_operations() and missing == [], "\n".join(missing)


@pytest.mark.parametrize(
    ("kind", "body", "content_type"), NOT_THE_OBJECT, ids=[k for k, _b, _c in NOT_THE_OBJECT]
)
def test_a_body_that_is_not_the_declared_object_is_refused_as_json_and_changes_nothing(
    cast, settings, kind, body, content_type
):
    settings.DEBUG = True  # nothing of the failure shown, even so
    world = with_profiles(cast)
    operations = json_body_operations()
    failures = []
    for label, endpoints in declared_endpoints().values():
        ids: dict[str, Any] | None = None
        for endpoint in endpoints:
            # The person the matrix lets in; for a computation open to all (a score), anyone.
            allowed = [p for p, status in endpoint.expected.items() if status < 400 or endpoint.safe]
            if endpoint.files is not None or not allowed:
                continue
            if ids is None:
                ids = importlib.import_module(f"{apps.get_app_config(label).name}.tests.access").objects(
                    world
                )
            path = API + fill(endpoint.path, ids)
            matching = [
                p
                for m, p in operations
                if m == endpoint.method and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", p), path)
            ]
            if not matching:
                continue
            client = bearer_client(getattr(world, allowed[0]))
            client.raise_request_exception = False
            sent = (
                body if body is not None else json.dumps(fill(endpoint.body or {}, ids), default=str).encode()
            )
            before = rows()
            response = client.generic(
                endpoint.method.upper(), path, data=sent, content_type=content_type, CONTENT_TYPE=content_type
            )
            if not is_json_refusal(response):
                failures.append(
                    f"{endpoint.method.upper()} {path}: {response.status_code} {response.content[:120]!r}"
                )
            elif b"Traceback" in response.content:
                failures.append(f"{endpoint.method.upper()} {path}: the traceback is shown")
            elif rows() != before:
                changed = {k for k, v in rows().items() if before.get(k) != v}
                failures.append(f"{endpoint.method.upper()} {path}: changed {sorted(changed)}")
    assert failures == [], "\n".join(failures)


def test_every_json_body_the_api_declares_is_an_object():
    # The parser refuses any other JSON at the top (neurodaraja.api.JsonObjectParser): an
    # operation that declares a list body needs the parser changed first.
    schema = ninja_api.get_openapi_schema()
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if declared:
                reference = declared["schema"].get("$ref", "")
                found = components[reference.rsplit("/", 1)[-1]] if reference else declared["schema"]
                assert found.get("type") == "object", f"{method.upper()} {path}"


@pytest.mark.parametrize("depth", [MAX_BODY_DEPTH + 1, 200, DEEP])
def test_a_json_object_nested_past_any_schema_is_refused_before_validation(rf, depth):
    body = '{"a": ' * depth + "1" + "}" * depth
    request = rf.post("/api/v1/me", data=body, content_type="application/json")
    with pytest.raises(BodyRefused) as refused:
        JsonObjectParser().parse_body(request)
    assert refused.value.code == "malformed"
    shallow = rf.post("/api/v1/me", data='{"a": {"b": [1, {"c": 2}]}}', content_type="application/json")
    assert JsonObjectParser().parse_body(shallow) == {"a": {"b": [1, {"c": 2}]}}
