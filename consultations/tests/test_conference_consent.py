"""A conference does not carry a case beyond the patient's consent: the consent names the
countries where the case may be seen, and one invited to discuss it reads it only from there."""

from __future__ import annotations

import pytest
from django.test import Client

from consultations import actions
from consultations.access import case_access, consent_allows
from consultations.actions import conferences
from core.models import Country
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import consent
from neurodaraja.testing.personas import sign_in


@pytest.fixture
def tanzania_only(cast, meeting, make_case):
    """A case whose patient agreed to Tanzania alone, on the meeting; invited: the trainee at MOI
    (Tanzania) and the consultant at Qilu (China)."""
    case = make_case()
    consent(case, cast.referrer, Country.objects.filter(code="TZ"))
    actions.submit(case_access(cast.referrer, case), cast.referrer)
    conferences.add_case(cast.coordinator, meeting, case)
    conferences.invite(cast.coordinator, meeting, [cast.trainee, cast.consultant_china])
    return case


def _reads(user, case) -> dict[str, int]:
    page, api = sign_in(Client(), user), bearer_client(user)
    return {
        "case page": page.get(f"/consultations/{case.code}/").status_code,
        "letter": page.get(f"/consultations/{case.code}/letter.pdf").status_code,
        "FHIR": page.get(f"/consultations/{case.code}/fhir.json").status_code,
        "API case": api.get(f"/api/v1/cases/{case.code}").status_code,
        "API FHIR": api.get(f"/api/v1/cases/{case.code}/fhir").status_code,
    }


def test_an_invitee_in_a_country_the_consent_names_reads_the_case(cast, tanzania_only):
    assert consent_allows(tanzania_only, cast.trainee)
    reads = _reads(cast.trainee, tanzania_only)
    assert reads["case page"] == reads["FHIR"] == reads["API case"] == reads["API FHIR"] == 200, reads


def test_an_invitee_abroad_does_not_when_the_consent_is_for_tanzania_alone(cast, tanzania_only):
    assert not consent_allows(tanzania_only, cast.consultant_china)
    assert set(_reads(cast.consultant_china, tanzania_only).values()) == {404}


def test_working_in_one_country_the_consent_names_is_not_enough(cast, tanzania_only):
    # The consultant at Qilu is also on MOI's staff: from China she still may not read it.
    cast.consultant_china.memberships.create(institution=cast.institutions["MOI"], role="consultant")
    assert not consent_allows(tanzania_only, cast.consultant_china)
    assert set(_reads(cast.consultant_china, tanzania_only).values()) == {404}


def test_a_consent_to_every_country_lets_the_invitee_abroad_read_it(cast, meeting, make_case):
    case = make_case(send=True)  # consent to every country
    conferences.add_case(cast.coordinator, meeting, case)
    conferences.invite(cast.coordinator, meeting, [cast.consultant_china])
    assert consent_allows(case, cast.consultant_china)
    assert _reads(cast.consultant_china, case)["case page"] == 200
