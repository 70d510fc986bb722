"""Issue 11, clinical details of the case: half-millimetre pupils, what the case page prints when
something was not recorded, and why each consultant's part ended once the case is closed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from consultations import actions
from consultations.access import case_access
from consultations.forms import CaseForm
from consultations.models import Assignment, Case
from neurodaraja.testing.cases import answered, assigned_to_china, english
from neurodaraja.testing.personas import sign_in

OUTCOME = {
    "management": "conservative",
    "operated_by": "",
    "operation": "",
    "operation_date": None,
    "complications": "",
    "discharge_status": "still_admitted",
    "gose_discharge": None,
    "gose_6_months": None,
}


def _page(client: Client, case) -> str:
    return client.get(f"/consultations/{case.code}/").content.decode()


# --- Pupils in half millimetres -----------------------------------------------------------------
def test_a_pupil_of_three_and_a_half_millimetres_is_kept_as_such(make_case):
    case = make_case(clinical={"pupil_left_mm": Decimal("3.5"), "pupil_right_mm": 6})
    case.refresh_from_db()
    assert case.pupil_left_mm == Decimal("3.5") and case.pupil_right_mm == Decimal("6")


@pytest.mark.parametrize("size", ["3.3", "0.5", "9.5", "10"])
def test_a_pupil_size_off_the_half_millimetre_gauge_is_refused(make_case, size):
    with pytest.raises(ValidationError) as refused:
        make_case(clinical={"pupil_left_mm": Decimal(size)})
    assert "pupil_left_mm" in refused.value.message_dict


def test_the_form_says_how_to_give_a_pupil_size(cast, make_case):
    case = make_case()
    form = CaseForm({"pupil_left_mm": "3.3"}, instance=case)
    form.is_valid()
    assert form.errors["pupil_left_mm"] == [
        "Give the pupil size in whole or half millimetres, for example 3 or 3.5."
    ]
    assert CaseForm()["pupil_left_mm"].field.widget.attrs["step"] == "0.5"


@pytest.mark.parametrize("size", ["99", "0.5", "10", "9.5", "123.25"])
@pytest.mark.parametrize("language", ["en", "sw", "zh-hans"])
def test_a_size_off_the_gauge_is_refused_in_the_readers_language(make_case, size, language):
    case = make_case()
    before = case.pupil_left_mm
    with translation.override(language):
        form = CaseForm({"pupil_left_mm": size}, instance=case)
        form.is_valid()
        expected = translation.gettext(
            "A pupil is 1 to 9 mm, in whole or half millimetres (for example 3 or 3.5)."
        )
        assert form.errors["pupil_left_mm"] == [expected]
    case.refresh_from_db()
    assert case.pupil_left_mm == before  # nothing saved


def test_the_case_page_prints_half_and_whole_millimetres_plainly(cast, make_case):
    case = make_case(clinical={"pupil_left_mm": Decimal("3.5"), "pupil_right_mm": 4})
    page = _page(sign_in(Client(), cast.referrer), case)
    assert "Left: 3.5 mm, Reacts briskly · Right: 4 mm, Reacts briskly" in page
    assert "4.0 mm" not in page


# --- What is not recorded is not printed as "?" -----------------------------------------------
def test_pupils_not_recorded_say_so_instead_of_question_marks(cast, make_case):
    case = make_case(
        clinical={
            "pupil_left_mm": None,
            "pupil_left_reaction": "",
            "pupil_right_mm": None,
            "pupil_right_reaction": "",
        }
    )
    page = _page(sign_in(Client(), cast.referrer), case)
    assert "? mm" not in page and "mm, —" not in page
    assert "<dt>Pupils</dt><dd>Not recorded</dd>" in page


def test_one_pupil_recorded_prints_that_side_only(cast, make_case):
    case = make_case(clinical={"pupil_right_mm": None, "pupil_right_reaction": ""})
    page = _page(sign_in(Client(), cast.referrer), case)
    assert "<dd>Left: 3 mm, Reacts briskly</dd>" in page


def test_vital_signs_have_no_trailing_separator(cast, make_case):
    case = make_case(clinical={"systolic_bp": 130, "diastolic_bp": 80, "heart_rate": 90})
    page = _page(sign_in(Client(), cast.referrer), case)
    assert "<dd>BP 130/80 · HR 90</dd>" in page


def test_vital_signs_not_recorded_say_so(cast, make_case):
    case = make_case(clinical={"systolic_bp": None, "diastolic_bp": None, "heart_rate": None})
    page = _page(sign_in(Client(), cast.referrer), case)
    assert "<dt>Vital signs</dt><dd>Not recorded</dd>" in page


# --- Why a consultant's part ended ------------------------------------------------------------
def test_after_the_outcome_the_consultant_who_answered_shows_as_having_given_an_opinion(cast, make_case):
    case = answered(cast, make_case)
    second = cast.neurosurgeon
    actions.assign_by_hand(case_access(cast.coordinator, case), cast.coordinator, second)
    actions.record_outcome(case_access(cast.referrer, case), cast.referrer, OUTCOME)
    reasons = {a.consultant: a.ended_reason for a in case.assignments.all()}
    assert reasons == {
        cast.consultant_china: Assignment.Ended.ANSWERED,
        second: Assignment.Ended.CASE_CLOSED,
    }
    english(cast.consultant_china)
    for person in (cast.referrer, cast.consultant_china):
        page = _page(sign_in(Client(), person), case)
        assert "Gave an opinion" in page and "Case closed before an answer" in page, person
        assert "Withdrawn" not in page


def test_closing_without_an_outcome_ends_a_pending_consultant_as_closed(cast, make_case):
    case = assigned_to_china(cast, make_case)
    actions.close_without_outcome(case_access(cast.coordinator, case), cast.coordinator, "Patient left")
    assert case.assignments.get().ended_reason == Assignment.Ended.CASE_CLOSED


def test_the_api_takes_and_returns_a_half_millimetre_pupil(cast, api):
    from neurodaraja.testing.api_clients import call, draft_payload

    client = api(cast.referrer)
    created = call(client, "post", "/cases", draft_payload(pupil_left_mm="3.5", pupil_right_mm=4))
    assert created.status_code in (200, 201), created.json()
    code = created.json()["code"]
    assert Case.objects.get(code=code).pupil_left_mm == Decimal("3.5")
    read = call(client, "get", f"/cases/{code}").json()
    assert Decimal(str(read["clinical"]["pupil_left_mm"])) == Decimal("3.5")


def test_the_api_refuses_a_pupil_off_the_gauge_naming_the_field(cast, api):
    from neurodaraja.testing.api_clients import call, draft_payload

    response = call(api(cast.referrer), "post", "/cases", draft_payload(pupil_left_mm="3.3"))
    assert response.status_code == 422
    fields = [d["field"] for d in response.json()["detail"]]
    assert any(field.endswith("pupil_left_mm") for field in fields), fields
    assert not Case.objects.exists()


def test_the_fhir_bundle_is_still_valid_with_a_half_millimetre_pupil(cast, make_case):
    from consultations.exports import export_fhir

    case = make_case(send=True, clinical={"pupil_left_mm": Decimal("3.5")})
    bundle = export_fhir(case_access(cast.referrer, case), cast.referrer)
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(bundle)
