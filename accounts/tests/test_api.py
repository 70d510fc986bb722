"""The JSON API: token authentication, the same permissions as the pages, clear errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts import actions
from accounts.models import ApiToken, Invitation, Membership
from neurodaraja.testing.personas import verified_device

BASE = "/api/v1"


@pytest.fixture
def api(cast):
    """A client per persona, authenticated with a personal token."""

    def client_for(user) -> Client:
        if user.requires_two_factor:
            verified_device(user)  # their tokens work only once their second factor is set up
        _token, raw = actions.create_api_token(user, name="tests", valid_days=30)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return client_for


def send(client: Client, method: str, path: str, body=None, raw: str | None = None):
    data = raw if raw is not None else json.dumps(body) if body is not None else None
    return getattr(client, method)(f"{BASE}{path}", data=data, content_type="application/json")


def test_the_openapi_description_is_published(client, db):
    schema = client.get(f"{BASE}/openapi.json").json()
    assert schema["info"]["title"] == "NeuroDaraja API"
    for path in ["/api/v1/me", "/api/v1/institutions", "/api/v1/memberships", "/api/v1/invitations"]:
        assert path in schema["paths"], path


@pytest.mark.parametrize("header", [None, "Bearer nd_not-a-real-token", "Token something", "Bearer "])
def test_no_valid_token_gets_401_with_a_clear_message(db, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get(f"{BASE}/me")
    assert response.status_code == 401
    assert "API token is required" in response.json()["detail"]


def test_revoked_expired_and_deactivated_tokens_stop_working(cast, api):
    token, raw = actions.create_api_token(cast.referrer, name="x", valid_days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(f"{BASE}/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"{BASE}/me").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    actions.revoke_api_token(cast.referrer, token)
    assert client.get(f"{BASE}/me").status_code == 401
    _token, raw = actions.create_api_token(cast.referrer, name="y", valid_days=None)
    actions.deactivate_person(cast.coordinator, cast.referrer)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"{BASE}/me").status_code == 401


def test_a_session_cookie_does_not_open_the_api(cast, as_user):
    assert as_user(cast.referrer).get(f"{BASE}/me").status_code == 401


def test_my_profile(cast, api):
    body = api(cast.referrer).get(f"{BASE}/me").json()
    assert body["email"] == "referrer@example.test"
    (membership,) = body["memberships"]
    assert membership["institution"] == "SRRH" and membership["role"] == "referrer"
    assert body["two_factor_enabled"] is False


def test_changing_my_profile(cast, api):
    response = send(
        api(cast.referrer), "patch", "/me", {"phone": "0754 222 333", "time_zone": "Asia/Shanghai"}
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "+255754222333"
    assert response.json()["time_zone"] == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a known time zone"),
        ({"phone": "12"}, "phone", "valid phone number"),
        ({"preferred_language": "fr"}, "preferred_language", "Choose one of"),
        ({"full_name": ""}, "full_name", "at least 1"),
        ({"full_name": 42}, "full_name", "Enter text"),
        ({"subspecialties": ["astrology"]}, "subspecialties", "Unknown subspecialty"),
    ],
)
def test_invalid_profile_changes_get_422_naming_the_field(cast, api, body, field, message):
    response = send(api(cast.neurosurgeon), "patch", "/me", body)
    assert response.status_code == 422
    details = response.json()["detail"]
    assert any(d["field"] == field and message in d["message"] for d in details), details
    cast.neurosurgeon.refresh_from_db()
    assert cast.neurosurgeon.time_zone == "Africa/Dar_es_Salaam" and cast.neurosurgeon.phone == ""


def test_malformed_json_gets_400(cast, api):
    response = send(api(cast.referrer), "patch", "/me", raw="{not json")
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is not valid JSON."


def test_errors_come_in_the_persons_language(cast, api):
    response = send(api(cast.consultant_china), "patch", "/me", raw="{not json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求正文不是有效的 JSON。"
    response = send(api(cast.outsider), "patch", "/me", raw="{not json")
    assert response.json()["detail"] == "Maudhui ya ombi si JSON sahihi."


def test_institutions_directory(cast, api):
    client = api(cast.outsider)
    codes = [i["short_code"] for i in client.get(f"{BASE}/institutions").json()]
    assert {"MOI", "SRRH", "KCMC", "QILU"} <= set(codes)
    assert [i["short_code"] for i in client.get(f"{BASE}/institutions?country=cn").json()] == ["QILU"]
    assert client.get(f"{BASE}/institutions/QILU").json()["time_zone"] == "Asia/Shanghai"
    assert client.get(f"{BASE}/institutions/NOPE").status_code == 404


def test_memberships_are_for_coordinators_of_that_institution(cast, api):
    assert api(cast.referrer).get(f"{BASE}/memberships").status_code == 403
    assert api(cast.neurosurgeon).get(f"{BASE}/memberships").status_code == 403
    coordinator = api(cast.coordinator)
    rows = coordinator.get(f"{BASE}/memberships").json()
    assert {row["institution"] for row in rows} == {"MOI", "SRRH"}
    assert "outsider@example.test" not in json.dumps(rows)
    assert coordinator.get(f"{BASE}/memberships?institution=KCMC").status_code == 403
    assert len(api(cast.admin).get(f"{BASE}/memberships").json()) >= len(rows)


def test_giving_and_removing_a_role(cast, api):
    client = api(cast.coordinator)
    response = send(
        client,
        "post",
        "/memberships",
        {"person_id": cast.trainee.pk, "institution": "SRRH", "role": "referrer"},
    )
    assert response.status_code == 201
    membership_id = response.json()["membership_id"]
    assert send(client, "delete", f"/memberships/{membership_id}").status_code == 204
    assert not Membership.objects.filter(pk=membership_id).exists()


@pytest.mark.parametrize(
    ("persona", "body", "status"),
    [
        ("outsider_coordinator", {"institution": "SRRH", "role": "referrer"}, 404),  # person not theirs
        ("coordinator", {"institution": "KCMC", "role": "referrer"}, 403),  # not their institution
        ("coordinator", {"institution": "SRRH", "role": "administrator"}, 403),
        ("coordinator", {"institution": "SRRH", "role": "surgeon"}, 422),
        ("coordinator", {"institution": "MOI", "role": "trainee"}, 409),  # already holds it
        ("referrer", {"institution": "SRRH", "role": "referrer"}, 403),
    ],
)
def test_giving_a_role_is_refused_where_it_should_be(cast, api, persona, body, status):
    before = Membership.objects.count()
    response = send(
        api(getattr(cast, persona)), "post", "/memberships", {"person_id": cast.trainee.pk, **body}
    )
    assert response.status_code == status, response.json()
    assert response.json()["detail"]
    assert Membership.objects.count() == before


def test_removing_a_role_elsewhere_is_not_found(cast, api):
    membership = cast.outsider.memberships.get()
    assert send(api(cast.coordinator), "delete", f"/memberships/{membership.pk}").status_code == 404
    assert send(api(cast.coordinator), "delete", "/memberships/999999").status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_invitations_through_the_api(cast, api):
    client = api(cast.coordinator)
    response = send(
        client,
        "post",
        "/invitations",
        {"email": "amina@example.test", "institution": "SRRH", "roles": ["referrer"]},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["pending"] is True and "token" not in json.dumps(body)
    assert [i["email"] for i in client.get(f"{BASE}/invitations").json()] == ["amina@example.test"]
    assert api(cast.outsider_coordinator).get(f"{BASE}/invitations").json() == []
    assert send(api(cast.outsider_coordinator), "delete", f"/invitations/{body['id']}").status_code == 404
    assert send(client, "delete", f"/invitations/{body['id']}").status_code == 204
    assert Invitation.objects.get(pk=body["id"]).revoked_at is not None


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"email": "not-an-address", "institution": "SRRH", "roles": ["referrer"]}, 422),
        ({"email": "a@example.test", "institution": "SRRH", "roles": []}, 422),
        ({"email": "a@example.test", "institution": "SRRH"}, 422),
        ({"email": "a@example.test", "institution": "KCMC", "roles": ["referrer"]}, 403),
        ({"email": "a@example.test", "institution": "NOPE", "roles": ["referrer"]}, 404),
    ],
)
def test_bad_invitations_are_refused_and_nothing_is_sent(cast, api, mailoutbox, body, status):
    response = send(api(cast.coordinator), "post", "/invitations", body)
    assert response.status_code == status
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_people_are_deactivated_and_reactivated_through_the_api(cast, api):
    client = api(cast.coordinator)
    assert send(client, "post", f"/people/{cast.referrer.pk}/deactivate").json()["is_active"] is False
    assert send(client, "post", f"/people/{cast.referrer.pk}/reactivate").json()["is_active"] is True
    assert (
        send(api(cast.outsider_coordinator), "post", f"/people/{cast.referrer.pk}/deactivate").status_code
        == 404
    )
    assert send(api(cast.trainee), "post", f"/people/{cast.referrer.pk}/deactivate").status_code == 403
