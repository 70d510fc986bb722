"""Accounts' pages, state changes and API in the project's access matrix
(neurodaraja/tests/test_access_matrix.py): who may see people, roles and invitations."""

from __future__ import annotations

from accounts import actions
from accounts.models import Invitation, Role, User
from neurodaraja.testing.access import Change, Endpoint, Ids, Page, everyone, expect
from neurodaraja.testing.personas import Personas

MANAGERS = {"admin", "coordinator", "outsider_coordinator"}
# Their roles need a second factor, so the shared sign-in gave them an authenticator.
WITH_AUTHENTICATOR = {"admin", "coordinator", "neurosurgeon", "consultant_china", "outsider_coordinator"}
# SRRH's people: their coordinator and the administrator only; KCMC's coordinator must not
# learn that the person exists.
SRRH_MANAGERS = expect({"admin", "coordinator"}, outsider_coordinator=404)


def objects(cast: Personas) -> Ids:
    invitation, _ = actions.invite_person(
        cast.coordinator,
        institution=cast.institutions["SRRH"],
        email="new.doctor@example.test",
        roles=[Role.REFERRER],
        language="sw",
    )
    token, _raw = actions.create_api_token(cast.referrer, name="phone", valid_days=30)
    return {
        "referrer": cast.referrer.pk,
        "membership": cast.referrer.memberships.get().pk,
        "invitation": invitation.pk,
        "token": token.pk,
    }


def profiles_unchanged(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(
        User.objects.order_by("pk").values_list("pk", "full_name", "preferred_language", "time_zone", "phone")
    )


def referrer_unchanged(cast: Personas, ids: Ids) -> tuple[object, ...]:
    cast.referrer.refresh_from_db()
    return (
        cast.referrer.is_active,
        cast.referrer.memberships.filter(pk=ids["membership"], role=Role.REFERRER).exists(),
        Invitation.objects.filter(pk=ids["invitation"], revoked_at__isnull=True).exists(),
        cast.referrer.api_tokens.filter(pk=ids["token"], revoked_at__isnull=True).exists(),
    )


PAGES = [
    Page("/", everyone()),
    Page("/institutions/", everyone()),
    Page("/institutions/MOI/", everyone()),
    Page("/accounts/profile/", everyone()),
    Page("/accounts/security/", everyone()),
    # Those who have an authenticator already are sent back to the security page.
    Page("/accounts/security/two-factor/", everyone() | dict.fromkeys(WITH_AUTHENTICATOR, 302)),
    Page("/accounts/tokens/", everyone()),
    Page("/accounts/security/password/", everyone()),
    Page("/audit/", expect(MANAGERS)),
    Page("/people/", expect(MANAGERS)),
    Page("/people/invite/", expect(MANAGERS)),
    Page("/people/invitations/", expect(MANAGERS)),
    Page("/people/{referrer}/", SRRH_MANAGERS),
    Page("/admin/", expect({"admin"})),
]

CHANGES = [
    Change("/people/{referrer}/active/", SRRH_MANAGERS, referrer_unchanged, {"active": "false"}),
    Change("/people/roles/{membership}/remove/", SRRH_MANAGERS, referrer_unchanged),
    Change("/people/invitations/{invitation}/withdraw/", SRRH_MANAGERS, referrer_unchanged),
    # A token is its owner's alone: anyone else is not told it exists.
    Change("/accounts/tokens/{token}/revoke/", expect({"referrer"}, refused=404), referrer_unchanged),
    # One's own second factor and recovery codes: everyone's, for themselves.
    Change("/accounts/security/two-factor/remove/", everyone(302), referrer_unchanged),
    Change("/accounts/security/recovery-codes/", everyone(), referrer_unchanged),
]

ENDPOINTS = [
    Endpoint("get", "/me", everyone()),
    # One's own profile, for everyone: only a missing or forged token is refused (401).
    Endpoint(
        "patch",
        "/me",
        everyone(),
        profiles_unchanged,
        {"full_name": "Somebody Else", "phone": "+255700000000"},
    ),
    Endpoint("get", "/institutions", everyone()),
    Endpoint("get", "/institutions/MOI", everyone()),
    Endpoint("get", "/memberships", expect(MANAGERS)),
    Endpoint("get", "/invitations", expect(MANAGERS)),
    Endpoint(
        "post",
        "/memberships",
        expect(MANAGERS, ok=201),
        referrer_unchanged,
        {"person_id": "{referrer}", "institution": "SRRH", "role": "trainee"},
    ),
    Endpoint(
        "delete",
        "/memberships/{membership}",
        SRRH_MANAGERS | {"admin": 204, "coordinator": 204},
        referrer_unchanged,
    ),
    Endpoint("post", "/people/{referrer}/deactivate", SRRH_MANAGERS, referrer_unchanged),
    Endpoint("post", "/people/{referrer}/reactivate", SRRH_MANAGERS, referrer_unchanged),
    Endpoint(
        "post",
        "/invitations",
        expect(MANAGERS, ok=201),
        referrer_unchanged,
        {"email": "another@example.test", "institution": "SRRH", "roles": ["referrer"], "language": "en"},
    ),
    Endpoint(
        "delete",
        "/invitations/{invitation}",
        SRRH_MANAGERS | {"admin": 204, "coordinator": 204},
        referrer_unchanged,
    ),
]
