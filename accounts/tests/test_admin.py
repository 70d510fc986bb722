"""Django's admin: administrators only, and every change there lands in the audit trail."""

from __future__ import annotations

from accounts.models import Institution
from core.models import AuditEntry, Country, Specialty


def test_administrators_reach_every_admin_page(cast, as_user):
    client = as_user(cast.admin)
    for url in [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{cast.referrer.pk}/change/",
        "/admin/accounts/institution/",
        "/admin/core/specialty/",
        "/admin/core/country/",
        "/admin/core/auditentry/",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_admin_sign_in_page_is_our_own(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_administrator_adds_a_country_and_a_specialty_as_data(cast, as_user):
    client = as_user(cast.admin)
    response = client.post(
        "/admin/core/country/add/",
        {
            "code": "KE",
            "name_en": "Kenya",
            "name_sw": "Kenya",
            "name_zh_hans": "肯尼亚",
            "holds_identifiable_data": "on",
        },
    )
    assert response.status_code == 302
    assert Country.objects.get(code="KE").holds_identifiable_data
    response = client.post(
        "/admin/core/specialty/add/",
        {
            "code": "orthopaedics",
            "name_en": "Orthopaedics",
            "name_sw": "Mifupa",
            "name_zh_hans": "骨科",
            "is_active": "on",
            "subspecialties-TOTAL_FORMS": "0",
            "subspecialties-INITIAL_FORMS": "0",
            "diagnosis_categories-TOTAL_FORMS": "0",
            "diagnosis_categories-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Specialty.objects.filter(code="orthopaedics").exists()
    entry = AuditEntry.objects.filter(action="admin.added", object_type="core.specialty").get()
    assert entry.actor == cast.admin


def test_admin_changes_are_audited_with_field_names_only(cast, as_user):
    client = as_user(cast.admin)
    institution = cast.institutions["SRRH"]
    response = client.post(
        f"/admin/accounts/institution/{institution.pk}/change/",
        {
            "name": institution.name,
            "short_code": "SRRH",
            "country": institution.country.pk,
            "city": "Mwanza",
            "kind": "hospital",
            "time_zone": "Africa/Dar_es_Salaam",
            "dhis2_org_unit": "TZ-MWZ-SRRH",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Institution.objects.get(pk=institution.pk).dhis2_org_unit == "TZ-MWZ-SRRH"
    entry = AuditEntry.objects.filter(action="admin.changed").latest("id")
    assert entry.object_id == str(institution.pk)
    assert "TZ-MWZ-SRRH" not in str(entry.detail)


def test_an_invalid_time_zone_is_refused_in_the_admin(cast, as_user):
    client = as_user(cast.admin)
    institution = cast.institutions["SRRH"]
    response = client.post(
        f"/admin/accounts/institution/{institution.pk}/change/",
        {
            "name": institution.name,
            "short_code": "SRRH",
            "country": institution.country.pk,
            "city": "Mwanza",
            "kind": "hospital",
            "time_zone": "Mwanza/Time",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "not a known time zone" in response.content.decode()


def test_the_audit_trail_cannot_be_edited_in_the_admin(cast, as_user):
    client = as_user(cast.admin)
    entry = AuditEntry.objects.first()
    assert client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"action": "x"}).status_code == 403
