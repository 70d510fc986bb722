"""What those invited to a conference (CaseAccess.via_conference) read of a case on its list:
what is known to be de-identified, and nothing else (consultations/access.py). The FHIR export is
built from the clinical fields alone, so they may download it, without any of the patient's
identifiers; the attached documents and photos are not known to be de-identified (the sender
ticks a box; a scan or a photo may still show a name), so they stay with those on the case."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from consultations import actions
from consultations.access import case_access, get_case_for_user
from consultations.actions import conferences
from core.models import AuditEntry
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import IDENTITY, assigned_to_china
from neurodaraja.testing.pdf import minimal_pdf
from neurodaraja.testing.personas import sign_in


@pytest.fixture
def discussed(cast, meeting, make_case):
    """A case assigned to the consultant in China, with a CT report attached, on the meeting; the
    trainee at MOI is invited."""
    case = assigned_to_china(cast, make_case)
    report = actions.add_attachment(
        case_access(cast.referrer, case),
        cast.referrer,
        name="report.pdf",
        content=minimal_pdf(),
        description="CT report",
    )
    conferences.add_case(cast.coordinator, meeting, case)
    conferences.invite(cast.coordinator, meeting, [cast.trainee])
    return case, report


def test_the_rule_is_one_property_of_the_access(cast, discussed):
    case, _report = discussed
    assert not get_case_for_user(cast.trainee, case.code).may_open_attachments
    for persona in ["referrer", "coordinator", "consultant_china"]:
        assert get_case_for_user(getattr(cast, persona), case.code).may_open_attachments, persona


def test_an_invitee_downloads_the_fhir_export_without_any_identifier(cast, discussed):
    case, _report = discussed
    for response in [
        sign_in(Client(), cast.trainee).get(f"/consultations/{case.code}/fhir.json"),
        bearer_client(cast.trainee).get(f"/api/v1/cases/{case.code}/fhir"),
    ]:
        assert response.status_code == 200
        bundle = response.content.decode()
        assert json.loads(bundle)["resourceType"] == "Bundle" and case.code in bundle
        for identifier in IDENTITY.values():
            assert identifier not in bundle
    exports = AuditEntry.objects.filter(action="consultations.fhir_exported", actor=cast.trainee)
    assert exports.count() == 2


def test_the_fhir_export_is_refused_once_the_invitation_is_withdrawn(cast, meeting, discussed):
    case, _report = discussed
    conferences.withdraw_invitation(cast.coordinator, meeting.participants.get(person=cast.trainee))
    assert sign_in(Client(), cast.trainee).get(f"/consultations/{case.code}/fhir.json").status_code == 404
    assert bearer_client(cast.trainee).get(f"/api/v1/cases/{case.code}/fhir").status_code == 404


def test_those_on_the_case_still_open_its_documents(cast, discussed):
    case, report = discussed
    for persona in ["referrer", "coordinator", "consultant_china"]:
        user = getattr(cast, persona)
        assert (
            sign_in(Client(), user).get(f"/consultations/{case.code}/files/{report.pk}/").status_code == 200
        )
        api = bearer_client(user).get(f"/api/v1/cases/{case.code}/attachments/{report.pk}")
        assert api.status_code == 200, persona


def test_an_invitee_does_not_open_a_document_on_the_page(cast, discussed):
    case, report = discussed
    response = sign_in(Client(), cast.trainee).get(f"/consultations/{case.code}/files/{report.pk}/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(
        action="consultations.attachment_viewed", actor=cast.trainee
    ).exists()


def test_an_invitee_does_not_open_a_document_through_the_api(cast, discussed):
    case, report = discussed
    response = bearer_client(cast.trainee).get(f"/api/v1/cases/{case.code}/attachments/{report.pk}")
    assert response.status_code == 404


def test_an_invitee_is_not_shown_the_documents(cast, discussed):
    case, report = discussed
    listed = bearer_client(cast.trainee).get(f"/api/v1/cases/{case.code}/attachments")
    assert listed.status_code == 200 and listed.json() == []
    page = sign_in(Client(), cast.trainee).get(f"/consultations/{case.code}/").content.decode()
    assert f"/files/{report.pk}/" not in page and "CT report" not in page
