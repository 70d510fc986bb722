"""After a refused submit, the page says everything that is wrong at once, at the top, each error
a link to its field: the referral with its sub-forms (the patient's identity, the structured CT
findings), the outcome (identifiers in its text, worded for what was found, beside the
contradictions), and the discussion, which offers to send flagged words as written only when they
are not the patient's own (review findings 1, 2, 4 and 5)."""

from __future__ import annotations

import html
import re
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import timezone

from consultations.models import Case, Outcome, Status
from core.models import AuditEntry, DiagnosisCategory, Notification
from neurodaraja.testing.cases import answered, assigned_to_china, english
from neurodaraja.testing.personas import sign_in
from scores.models import CaseFindings

# IDENTITY in neurodaraja/testing/cases.py: Amina Juma Mollel, SRRH/2025/00123.
SURNAME = "Mollel"


def summaries(page: str) -> list[str]:
    return re.findall(r'<div class="error-summary".*?</ul>\s*</div>', page, re.S)


def summary_links(page: str) -> dict[str, str]:
    """The one summary's links: {field id: what it says}."""
    (summary,) = summaries(page)
    return {
        target: html.unescape(re.sub(r"<[^>]+>", " ", text))
        for target, text in re.findall(r'<a href="#([\w-]+)">(.*?)</a>', summary, re.S)
    }


def referral(**values: object) -> dict[str, object]:
    """A complete referral as the page posts it, with `values` changed (None leaves one out)."""
    data: dict[str, object] = {
        "patient-full_name": "Baraka Said",
        "category": DiagnosisCategory.objects.get(code="trauma").pk,
        "urgency": "urgent",
        "age_value": "7",
        "age_unit": "years",
        "sex": "male",
        "presenting_complaint": "Fell from a mango tree",
        "intracranial_bleed": "yes",
        "question": "Does he need evacuation in Mwanza?",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


# --- 1 and 2. The referral: every sub-form in the one summary ---------------------------------
def test_an_empty_referral_lists_the_patients_name_and_the_category_in_one_summary(cast):
    english(cast.referrer)
    client = sign_in(Client(), cast.referrer)
    response = client.post("/consultations/new/", {"urgency": "urgent", "age_unit": "years"})
    assert response.status_code == 400
    page = response.content.decode()
    links = summary_links(page)  # exactly one summary
    assert "This field is required." in links["id_patient-full_name"]
    assert "Patient" in links["id_patient-full_name"]
    assert "Working diagnosis category" in links["id_category"]
    assert page.index("data-error-summary") < page.index('id="id_patient-full_name"')
    assert not Case.objects.exists()


def test_a_birth_or_admission_date_in_the_future_is_refused_with_the_other_errors(cast):
    english(cast.referrer)
    client = sign_in(Client(), cast.referrer)
    dates = {"patient-date_of_birth": "2031-01-01", "patient-admitted_on": "2030-05-05", "category": None}
    response = client.post("/consultations/new/", referral(**dates))
    assert response.status_code == 400
    links = summary_links(response.content.decode())
    assert "The date of birth cannot be in the future." in links["id_patient-date_of_birth"]
    assert "The date of admission cannot be in the future." in links["id_patient-admitted_on"]
    assert "id_category" in links  # in the same summary, on the same submit
    assert not Case.objects.exists()


def test_an_admission_before_birth_is_refused(cast):
    english(cast.referrer)
    client = sign_in(Client(), cast.referrer)
    dates = {"patient-date_of_birth": "2019-03-01", "patient-admitted_on": "2018-12-24"}
    links = summary_links(client.post("/consultations/new/", referral(**dates)).content.decode())
    assert "cannot be before the date of birth" in links["id_patient-admitted_on"]
    assert not Case.objects.exists()


def test_refused_ct_findings_are_in_the_summary_with_the_other_errors(cast):
    english(cast.referrer)
    client = sign_in(Client(), cast.referrer)
    response = client.post(
        "/consultations/new/",
        referral(category="", **{"patient-full_name": "", "findings-midline_shift_mm": "-5"}),
    )
    assert response.status_code == 400
    links = summary_links(response.content.decode())
    assert set(links) == {"id_patient-full_name", "id_category", "id_findings-midline_shift_mm"}
    assert "greater than or equal to 0" in links["id_findings-midline_shift_mm"]
    assert not Case.objects.exists() and not CaseFindings.objects.exists()


def test_refused_ct_findings_alone_are_summarised_too(cast):
    client = sign_in(Client(), cast.referrer)
    response = client.post("/consultations/new/", referral(**{"findings-midline_shift_mm": "-5"}))
    assert response.status_code == 400
    assert set(summary_links(response.content.decode())) == {"id_findings-midline_shift_mm"}
    assert not Case.objects.exists()


def test_editing_a_draft_summarises_its_sub_forms_too(cast, make_case):
    case = make_case()
    client = sign_in(Client(), cast.referrer)
    response = client.post(
        f"/consultations/{case.code}/edit/",
        referral(**{"patient-full_name": "", "age_value": "400", "findings-midline_shift_mm": "-5"}),
    )
    assert response.status_code == 400
    assert {"id_patient-full_name", "id_age_value", "id_findings-midline_shift_mm"} <= set(
        summary_links(response.content.decode())
    )
    case.refresh_from_db()
    assert case.identity.full_name == "Amina Juma Mollel" and case.age_value == 34


def test_a_valid_referral_shows_no_summary(cast):
    page = sign_in(Client(), cast.referrer).get("/consultations/new/").content.decode()
    assert summaries(page) == [] and "data-error-summary" not in page


# --- 5. The outcome: each error on its field, all at once -------------------------------------
def _today():
    return timezone.now().astimezone(ZoneInfo("Africa/Dar_es_Salaam")).date()


def _outcome(**values: str) -> dict[str, str]:
    return {
        "management": "operated_locally",
        "operated_by": "local_surgeon",
        "operation": "Craniotomy and evacuation",
        "operation_date": _today().isoformat(),
        "complications": "",
        "discharge_status": "home",
        "gose_discharge": "6",
        "gose_6_months": "",
        **values,
    }


def _nothing_recorded(case: Case) -> None:
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    assert not Outcome.objects.filter(case=case).exists()
    assert not Notification.objects.filter(kind="consultations.outcome").exists()
    assert not AuditEntry.objects.filter(action="consultations.outcome_recorded").exists()


def test_a_name_and_a_future_date_are_both_listed_each_with_its_field(cast, make_case):
    english(cast.referrer)
    case = answered(cast, make_case)
    response = sign_in(Client(), cast.referrer).post(
        f"/consultations/{case.code}/outcome/",
        _outcome(complications=f"Wound infection, Mr {SURNAME} treated", operation_date="2030-01-15"),
    )
    assert response.status_code == 400
    links = summary_links(response.content.decode())
    assert set(links) == {"id_complications", "id_operation_date"}
    assert "Complications" in links["id_complications"] or "complications" in links["id_complications"]
    assert f"The patient's name cannot be sent: “{SURNAME}”" in links["id_complications"]
    assert "day 3" not in links["id_complications"]  # the advice for dates is not for a name
    assert "cannot be in the future" in links["id_operation_date"]
    _nothing_recorded(case)


def test_a_date_in_the_text_is_asked_to_be_written_as_a_day(cast, make_case):
    english(cast.referrer)
    case = answered(cast, make_case)
    response = sign_in(Client(), cast.referrer).post(
        f"/consultations/{case.code}/outcome/",
        _outcome(operation="Craniotomy on 14/03/2025", complications="Seizure, phone 0713 555 111"),
    )
    assert response.status_code == 400
    links = summary_links(response.content.decode())
    assert "A calendar date may identify the patient: “14/03/2025”" in links["id_operation"]
    assert "day 3" in links["id_operation"]
    assert "phone number" in links["id_complications"] and "0713 555 111" in links["id_complications"]
    _nothing_recorded(case)


def test_identifiers_and_a_missing_answer_are_listed_together(cast, make_case):
    case = answered(cast, make_case)
    response = sign_in(Client(), cast.referrer).post(
        f"/consultations/{case.code}/outcome/",
        _outcome(discharge_status="", complications="Amina recovered"),
    )
    assert response.status_code == 400
    assert set(summary_links(response.content.decode())) == {"id_discharge_status", "id_complications"}
    _nothing_recorded(case)


def test_the_outcome_refusal_is_worded_in_the_referrers_language(cast, make_case):
    case = answered(cast, make_case)
    for language in ("sw", "zh-hans"):
        cast.referrer.preferred_language = language
        cast.referrer.save()
        response = sign_in(Client(), cast.referrer).post(
            f"/consultations/{case.code}/outcome/", _outcome(complications=f"{SURNAME} recovered")
        )
        message = response.context["form"].errors["complications"][0]
        assert f"“{SURNAME}”" in message and "The patient's name" not in message, (language, message)
    _nothing_recorded(case)


def test_a_clean_outcome_is_still_recorded(cast, make_case):
    case = answered(cast, make_case)
    response = sign_in(Client(), cast.referrer).post(f"/consultations/{case.code}/outcome/", _outcome())
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED


# --- 4. The discussion: no tick for the patient's own name ------------------------------------
def test_the_patients_own_name_in_a_message_offers_no_tick(cast, make_case):
    english(cast.referrer)
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    response = client.post(f"/consultations/{case.code}/messages/", {"body": "Amina is vomiting again"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="confirm_identifiers"' not in page
    assert "The patient's name cannot be sent: “Amina”" in summary_links(page)["id_body"]
    assert "Amina is vomiting again" in page  # what was typed is kept
    # A forged tick does not get it through either, and still offers none.
    forged = client.post(
        f"/consultations/{case.code}/messages/",
        {"body": "Amina is vomiting again", "confirm_identifiers": "on"},
    )
    assert forged.status_code == 400 and 'name="confirm_identifiers"' not in forged.content.decode()
    assert not case.messages.exists()


def test_her_name_beside_another_date_offers_no_tick_until_the_name_goes(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    both = client.post(f"/consultations/{case.code}/messages/", {"body": "Mollel seen on 12/03/2025"})
    assert both.status_code == 400 and 'name="confirm_identifiers"' not in both.content.decode()
    date_only = client.post(f"/consultations/{case.code}/messages/", {"body": "Seen on 12/03/2025"})
    assert date_only.status_code == 400 and 'name="confirm_identifiers"' in date_only.content.decode()
    client.post(
        f"/consultations/{case.code}/messages/", {"body": "Seen on 12/03/2025", "confirm_identifiers": "on"}
    )
    assert list(case.messages.values_list("body", flat=True)) == ["Seen on 12/03/2025"]


def test_a_consultant_abroad_is_offered_the_tick_for_a_date_and_learns_no_name(cast, make_case):
    case = assigned_to_china(cast, make_case)
    english(cast.consultant_china)
    client = sign_in(Client(), cast.consultant_china)
    response = client.post(
        f"/consultations/{case.code}/messages/", {"body": "Amina Mollel: CT again on 12/03/2025?"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="confirm_identifiers"' in page
    message = summary_links(page)["id_body"]
    assert "“12/03/2025”" in message and "Amina" not in message and "name" not in message
    assert not case.messages.exists()
