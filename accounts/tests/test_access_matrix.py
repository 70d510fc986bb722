"""Every page, tried by every persona: the right role gets in, the wrong role and the other
hospital are refused (403 for a known page they may not use, 404 for what they may not see)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import actions
from accounts.models import Role
from neurodaraja.testing.personas import EVERYONE, sign_in

MANAGERS = {"admin", "coordinator", "outsider_coordinator"}


def expect(allowed: set[str], refused: int = 403) -> dict[str, int]:
    return {persona: 200 if persona in allowed else refused for persona in EVERYONE}


def objects(cast):
    invitation, _ = actions.invite_person(
        cast.coordinator,
        institution=cast.institutions["SRRH"],
        email="new.doctor@example.test",
        roles=[Role.REFERRER],
        language="sw",
    )
    referrer_membership = cast.referrer.memberships.get()
    token, _raw = actions.create_api_token(cast.referrer, name="phone", valid_days=30)
    return {
        "referrer": cast.referrer.pk,
        "membership": referrer_membership.pk,
        "invitation": invitation.pk,
        "token": token.pk,
    }


PAGES = [
    # (name, url template, expected status per persona)
    ("home", "/", expect(set(EVERYONE))),
    ("institutions", "/institutions/", expect(set(EVERYONE))),
    ("institution", "/institutions/MOI/", expect(set(EVERYONE))),
    ("profile", "/accounts/profile/", expect(set(EVERYONE))),
    ("security", "/accounts/security/", expect(set(EVERYONE))),
    ("tokens", "/accounts/tokens/", expect(set(EVERYONE))),
    ("password", "/accounts/security/password/", expect(set(EVERYONE))),
    ("audit", "/audit/", expect(MANAGERS)),
    ("people", "/people/", expect(MANAGERS)),
    ("invite", "/people/invite/", expect(MANAGERS)),
    ("invitations", "/people/invitations/", expect(MANAGERS)),
    # A person of SRRH: their coordinator and the administrator only; KCMC's coordinator
    # must not learn that the person exists.
    (
        "person",
        "/people/{referrer}/",
        {**expect({"admin", "coordinator"}), "outsider_coordinator": 404},
    ),
    ("admin", "/admin/", expect({"admin"})),
]


@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_each_page_admits_only_the_right_people(cast, name, url, expected):
    ids = objects(cast)
    for persona, status in expected.items():
        client = sign_in(Client(), getattr(cast, persona))
        response = client.get(url.format(**ids))
        assert response.status_code == status, f"{persona} on {name}: {response.status_code}"


@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_each_page_sends_strangers_to_sign_in(cast, client, name, url, expected):
    response = client.get(url.format(**objects(cast)))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


STATE_CHANGES = [
    # (name, url, expected per persona) — POSTs that change something.
    (
        "deactivate person",
        "/people/{referrer}/active/",
        {**expect({"admin", "coordinator"}), "outsider_coordinator": 404},
    ),
    (
        "remove role",
        "/people/roles/{membership}/remove/",
        {**expect({"admin", "coordinator"}), "outsider_coordinator": 404},
    ),
    (
        "withdraw invitation",
        "/people/invitations/{invitation}/withdraw/",
        {**expect({"admin", "coordinator"}), "outsider_coordinator": 404},
    ),
]


@pytest.mark.parametrize(
    ("name", "url", "expected"), STATE_CHANGES, ids=[change[0] for change in STATE_CHANGES]
)
def test_each_change_is_refused_to_the_wrong_people_and_changes_nothing(cast, name, url, expected):
    for persona, status in expected.items():
        if status == 200:
            continue
        ids = objects(cast)
        client = sign_in(Client(), getattr(cast, persona))
        response = client.post(url.format(**ids), {"active": "false"})
        assert response.status_code == status, f"{persona} on {name}: {response.status_code}"
    cast.referrer.refresh_from_db()
    assert cast.referrer.is_active
    assert cast.referrer.memberships.filter(role=Role.REFERRER).exists()


def test_someone_elses_api_token_cannot_be_revoked(cast):
    token, _raw = actions.create_api_token(cast.referrer, name="phone", valid_days=None)
    client = sign_in(Client(), cast.outsider)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_forged_ids_get_not_found(cast, as_user):
    client = as_user(cast.coordinator)
    for url in ["/people/999999/", "/institutions/NOPE/", "/accounts/invitation/inv_forged/"]:
        assert client.get(url).status_code == 404, url
    assert client.post("/people/roles/999999/remove/").status_code == 404
    assert client.post("/people/invitations/999999/withdraw/").status_code == 404


def test_state_changes_need_post(cast, as_user):
    client = as_user(cast.coordinator)
    ids = objects(cast)
    for url in [
        "/people/{referrer}/active/",
        "/people/roles/{membership}/remove/",
        "/accounts/logout/",
    ]:
        assert client.get(url.format(**ids)).status_code == 405
