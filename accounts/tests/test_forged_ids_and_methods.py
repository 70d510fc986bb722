"""Forged ids and the wrong method. Who may open each page and make each change is in
accounts/tests/access.py, tried for every persona by neurodaraja/tests/test_access_matrix.py."""

from __future__ import annotations

from accounts import actions
from accounts.models import Role


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
