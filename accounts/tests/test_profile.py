"""A person's own profile, language, time zone and API tokens."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from accounts import actions
from accounts.audit_actions import PROFILE_UPDATED
from accounts.models import ApiToken, User
from core.audit import record
from core.models import AuditEntry, Subspecialty
from neurodaraja.testing.personas import PASSWORD


def test_the_profile_is_saved_with_a_normalised_phone(cast, as_user):
    client = as_user(cast.referrer)
    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "Dr Neema M.",
            "preferred_language": "en",
            "time_zone": "Africa/Dar_es_Salaam",
            "phone": "0754 000 111",
            "notify_by_email": "on",
        },
    )
    assert response.status_code == 302
    cast.referrer.refresh_from_db()
    assert cast.referrer.phone == "+255754000111"
    entry = AuditEntry.objects.filter(action="accounts.profile_updated").latest("id")
    assert set(entry.detail["fields"]) == {"full_name", "phone"}
    assert "0754" not in str(entry.detail)  # field names only, never values


def test_a_wrong_phone_or_zone_is_refused_and_the_rest_kept(cast, as_user):
    client = as_user(cast.referrer)
    response = client.post(
        "/accounts/profile/",
        {"full_name": "Changed Name", "preferred_language": "en", "time_zone": "Mars/Olympus", "phone": "12"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "valid phone number" in page and "Changed Name" in page
    cast.referrer.refresh_from_db()
    assert cast.referrer.full_name == "Neema Mwakalinga"


def test_a_consultant_sets_subspecialties_and_languages(cast, as_user):
    client = as_user(cast.consultant_china)
    neurotrauma = Subspecialty.objects.get(code="neurotrauma")
    response = client.post(
        "/accounts/profile/",
        {
            "full_name": cast.consultant_china.full_name,
            "preferred_language": "zh-hans",
            "time_zone": "Asia/Shanghai",
            "languages_spoken": ["zh-hans", "en"],
            "subspecialties": [neurotrauma.pk],
        },
    )
    assert response.status_code == 302
    consultant = User.objects.get(pk=cast.consultant_china.pk)
    assert set(consultant.languages_spoken) == {"en", "zh-hans"}
    assert list(consultant.subspecialties.values_list("code", flat=True)) == ["neurotrauma"]


def test_consultant_fields_are_not_offered_to_others(cast, as_user):
    page = as_user(cast.referrer).get("/accounts/profile/").content.decode()
    assert "subspecialties" not in page


def test_pages_follow_the_persons_language_not_the_browsers(cast, as_user):
    client = as_user(cast.consultant_china)
    response = client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "zh-hans"


def test_the_language_switch_is_remembered_on_the_profile(cast, as_user):
    client = as_user(cast.referrer)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/profile/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    cast.referrer.refresh_from_db()
    assert cast.referrer.preferred_language == "zh-hans"
    assert client.get("/")["Content-Language"] == "zh-hans"


def test_the_language_switch_works_before_signing_in(client, db):
    client.post("/i18n/setlang/", {"language": "sw", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "sw"


def test_times_are_shown_in_the_persons_zone(cast, as_user):
    entry = record(PROFILE_UPDATED, actor=cast.coordinator, institution=cast.institutions["MOI"])
    client = as_user(cast.coordinator)
    in_dar = entry.created_at.astimezone(ZoneInfo("Africa/Dar_es_Salaam"))
    assert f"{in_dar:%H:%M}" in client.get("/audit/").content.decode()
    actions.update_profile(cast.coordinator, {"time_zone": "Asia/Shanghai"})
    in_china = entry.created_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"{in_china:%H:%M}" in client.get("/audit/").content.decode()


def test_an_api_token_is_shown_once_and_stored_hashed(cast, as_user):
    client = as_user(cast.referrer)
    response = client.post(
        "/accounts/tokens/", {"name": "Phone app", "valid_days": "30", "password": PASSWORD}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.referrer)
    raw = response.context["new_token"]
    assert raw.startswith("nd_") and raw in response.content.decode()
    assert raw not in (token.token_hash, token.prefix)
    assert raw not in client.get("/accounts/tokens/").content.decode()


def test_a_token_without_a_name_is_refused(cast, as_user):
    response = as_user(cast.referrer).post("/accounts/tokens/", {"name": "", "valid_days": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_token_is_revoked(cast, as_user):
    token, _raw = actions.create_api_token(cast.referrer, name="phone", valid_days=None)
    as_user(cast.referrer).post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.api_token_revoked").exists()
