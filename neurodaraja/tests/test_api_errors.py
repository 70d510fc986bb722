"""Every answer of the JSON API is JSON `{detail, code}`, whatever went wrong and whether DEBUG is
on or off; and nothing a signed-in person is sent is stored by a shared computer's browser."""

from __future__ import annotations

import pytest
from django.test import Client

from neurodaraja.testing.api_clients import bearer_client
from training.tests.world import logged, training_world


@pytest.fixture
def token_client(cast) -> Client:
    client = bearer_client(cast.referrer)
    client.raise_request_exception = False  # see what a real client would get
    return client


def is_api_error(response, status: int, code: str) -> bool:
    return (
        response.status_code == status
        and response["Content-Type"].startswith("application/json")
        and response.json()["code"] == code
        and bool(response.json()["detail"])
    )


@pytest.mark.parametrize("debug", [False, True])
def test_a_path_that_is_no_endpoint_answers_json_404(token_client, settings, debug):
    settings.DEBUG = debug
    assert is_api_error(token_client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert is_api_error(token_client.post("/api/v1/cases/x/y/z", {}), 404, "not_found")


def test_a_page_number_past_any_list_is_refused_with_the_field_named(token_client):
    for url in ["/api/v1/cases?page=99999999999999999999999", "/api/v1/notifications?page=1000001"]:
        response = token_client.get(url)
        assert is_api_error(response, 422, "invalid"), url
        assert response.json()["detail"][0]["field"] == "page"
    assert token_client.get("/api/v1/cases?page=1000000").status_code == 200  # an empty last page


def test_a_multipart_body_without_its_boundary_is_refused_as_json(token_client, make_case):
    case = make_case()
    response = token_client.post(
        f"/api/v1/cases/{case.code}/attachments", data=b"--x\r\n", content_type="multipart/form-data"
    )
    assert is_api_error(response, 400, "malformed")
    assert case.attachments.count() == 0


@pytest.mark.parametrize("debug", [False, True])
def test_an_unforeseen_failure_is_json_500_without_the_traceback(token_client, settings, monkeypatch, debug):
    import core.api

    def broken(request):
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(core.api, "_recipient_id", broken)
    settings.DEBUG = debug
    response = token_client.get("/api/v1/notifications")
    assert is_api_error(response, 500, "error")
    assert b"secret detail" not in response.content and b"Traceback" not in response.content


def test_the_failure_handler_answers_json(rf):
    from neurodaraja.api import failed

    response = failed(rf.get("/api/v1/me"), RuntimeError("secret detail"))
    assert response.status_code == 500 and b"secret detail" not in response.content
    assert response["Content-Type"].startswith("application/json")


def test_what_a_signed_in_person_is_sent_is_not_stored(cast, as_user, token_client):
    for response in [as_user(cast.referrer).get("/"), as_user(cast.referrer).get("/consultations/")]:
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "no-store" in token_client.get("/api/v1/me")["Cache-Control"]


def test_a_view_that_chose_its_caching_keeps_it(cast, rf):
    # An unchanging rendering of a slice may stay in the person's own browser (imaging.views).
    from django.http import HttpResponse

    from core.middleware import PrivateAnswersNotStoredMiddleware

    def rendering(request):
        response = HttpResponse(b"webp")
        response["Cache-Control"] = "private, max-age=604800"
        return response

    request = rf.get("/consultations/ND-X/imaging/series/1/slice/1.webp")
    request.user = cast.referrer
    assert PrivateAnswersNotStoredMiddleware(rendering)(request)["Cache-Control"] == "private, max-age=604800"
    plain = PrivateAnswersNotStoredMiddleware(lambda request: HttpResponse(b"page"))(request)
    assert "no-store" in plain["Cache-Control"]


def test_a_body_not_sent_as_json_is_refused_saying_what_to_send(token_client):
    response = token_client.generic(
        "PATCH", "/api/v1/me", data=b'{"full_name": "Somebody Else"}', content_type="text/plain"
    )
    assert is_api_error(response, 400, "unsupported_media_type")
    assert "application/json" in response.json()["detail"]
    listed = token_client.patch("/api/v1/me", data=b"[]", content_type="application/json")
    assert is_api_error(listed, 400, "malformed") and "JSON object" in listed.json()["detail"]
    assert token_client.get("/api/v1/me").json()["full_name"] != "Somebody Else"


def test_a_missing_body_is_refused_at_body_not_at_no_field(cast):
    entry = logged(cast, training_world(cast))
    api = bearer_client(cast.trainee)
    response = api.post(f"/api/v1/training/entries/{entry.pk}/duplicate", "", content_type="application/json")
    assert response.status_code == 422
    (refusal,) = response.json()["detail"]
    assert refusal["field"] == "body" and "{}" in refusal["message"]
