"""Issue 11, the flow of a referral: what is needed to send is marked and listed as the doctor
goes; the structured CT findings are entered once, with the referral; the consultant answers
beside a summary of the case, with no blank choice pre-selected; a refused form starts with a
summary of what is wrong, each field a link."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from consultations.models import Case, Opinion
from core.models import AuditEntry, DiagnosisCategory
from neurodaraja.testing.cases import assigned_to_china, consent, english
from neurodaraja.testing.personas import EVERYONE, sign_in
from scores.models import CaseFindings, CaseScore


def _referral(category: str = "trauma", **values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "patient-full_name": "Baraka Said",
        "patient-hospital_number": "SR-77",
        "category": DiagnosisCategory.objects.get(code=category).pk,
        "urgency": "urgent",
        "age_value": "7",
        "age_unit": "years",
        "sex": "male",
        "presenting_complaint": "Fell from a mango tree",
        "mechanism": "fall_height",
        "injury_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "gcs_eye": "3",
        "gcs_verbal": "4",
        "gcs_motor": "5",
        "intracranial_bleed": "yes",
        "question": "Does he need evacuation in Mwanza?",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def _summary(page: str) -> str:
    start = page.index('id="case-summary"')
    return page[start : page.index("</section>", start)]


def _needed_items(page: str) -> dict[str, bool]:
    """Each item of the "still needed to send" list: shown (True) or hidden (False)."""
    found = re.findall(r'<li data-needed="([a-z_]+)"[^>]*?( hidden)?>', page)
    return {field: not hidden for field, hidden in found}


# --- 1. Needed to send: marked on the form, listed as the doctor goes -------------------------
def test_each_field_needed_to_send_is_marked_in_words_on_the_form(cast):
    english(cast.referrer)
    page = sign_in(Client(), cast.referrer).get("/consultations/new/").content.decode()
    for field in ("age_value", "sex", "presenting_complaint", "question", "mechanism", "injury_at"):
        label = re.search(rf'<label for="id_{field}">.*?</label>(.*?)<', page, re.S)
        assert label and "needed to send" in page[label.end() - 60 : label.end() + 120], field
    # The GCS is needed only for an injury, and says so (the script hides it for other categories).
    assert 'data-needed-for="injury">needed to send for an injury</span>' in page


def test_a_new_referral_lists_what_every_case_needs_before_anything_is_typed(cast):
    page = sign_in(Client(), cast.referrer).get("/consultations/new/").content.decode()
    items = _needed_items(page)
    assert {f for f, shown in items.items() if shown} == {
        "age_value",
        "sex",
        "presenting_complaint",
        "question",
        "consent",
    }
    assert 'src="/static/js/case_form.js"' in page or "js/case_form" in page


def test_a_refused_referral_lists_what_is_still_missing_from_what_was_typed(cast):
    client = sign_in(Client(), cast.referrer)
    response = client.post(
        "/consultations/new/", _referral(sex="", mechanism="", systolic_bp="400", question="")
    )
    assert response.status_code == 400
    items = _needed_items(response.content.decode())
    assert {f for f, shown in items.items() if shown} == {"sex", "mechanism", "question", "consent"}


def test_the_draft_page_and_its_form_list_what_is_missing_from_the_same_rules(cast, make_case):
    case = make_case(clinical={"sex": "", "mechanism": ""})
    client = sign_in(Client(), cast.referrer)
    detail = client.get(f"/consultations/{case.code}/").content.decode()
    assert f'href="/consultations/{case.code}/edit/#id_sex"' in detail
    assert f'href="/consultations/{case.code}/edit/#id_mechanism"' in detail
    assert f'href="/consultations/{case.code}/consent/"' in detail
    form = client.get(f"/consultations/{case.code}/edit/").content.decode()
    assert {f for f, shown in _needed_items(form).items() if shown} == {"sex", "mechanism", "consent"}
    consent(case, cast.referrer)
    form = client.get(f"/consultations/{case.code}/edit/").content.decode()
    assert {f for f, shown in _needed_items(form).items() if shown} == {"sex", "mechanism"}


def test_a_complete_consented_draft_says_nothing_is_missing(cast, make_case):
    case = make_case()
    consent(case, cast.referrer)
    form = sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/edit/").content.decode()
    assert not any(_needed_items(form).values())
    assert "<p data-needed-none>" in form


# --- 3. Structured CT findings, entered once, in the referral ---------------------------------
def test_the_referral_takes_the_structured_ct_findings_and_the_scores_use_them(cast):
    client = sign_in(Client(), cast.referrer)
    page = client.get("/consultations/new/").content.decode()
    assert 'name="findings-midline_shift_mm"' in page and "data-findings-in-referral" in page
    response = client.post(
        "/consultations/new/",
        _referral(
            **{
                "findings-visible_pathology": "on",
                "findings-epidural": "on",
                "findings-midline_shift_mm": "6",
                "findings-basal_cisterns": "compressed",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    findings = CaseFindings.objects.get(case=case)
    assert findings.epidural and findings.midline_shift_mm == Decimal("6.0")
    assert findings.entered_by == cast.referrer
    assert CaseScore.objects.filter(case=case, calculator="marshall").exists()


def test_a_referral_without_findings_stores_none(cast):
    client = sign_in(Client(), cast.referrer)
    assert client.post("/consultations/new/", _referral()).status_code == 302
    assert not CaseFindings.objects.exists()
    assert not AuditEntry.objects.filter(action="scores.findings_recorded").exists()


def test_refused_findings_save_no_draft_and_show_why_on_the_field(cast):
    client = sign_in(Client(), cast.referrer)
    response = client.post("/consultations/new/", _referral(**{"findings-midline_shift_mm": "45"}))
    assert response.status_code == 400
    assert not Case.objects.exists() and not CaseFindings.objects.exists()
    page = response.content.decode()
    assert 'href="#id_findings-midline_shift_mm"' in page  # in the summary at the top
    assert 'value="45"' in page and 'value="Fell from a mango tree"' in page  # nothing lost


def test_findings_a_score_cannot_use_undo_the_whole_save(cast):
    """Compressed cisterns with no visible pathology contradict each other for the CT classes:
    neither the draft nor the findings are saved, and the form says why."""
    client = sign_in(Client(), cast.referrer)
    response = client.post(
        "/consultations/new/",
        _referral(**{"findings-basal_cisterns": "compressed", "findings-midline_shift_mm": "2"}),
    )
    assert response.status_code == 400
    assert not Case.objects.exists() and not CaseFindings.objects.exists()
    assert "Marshall" in response.content.decode()


def test_findings_entered_with_the_referral_show_when_the_draft_is_edited(cast):
    client = sign_in(Client(), cast.referrer)
    client.post(
        "/consultations/new/",
        _referral(**{"findings-visible_pathology": "on", "findings-subdural": "on"}),
    )
    case = Case.objects.get()
    page = client.get(f"/consultations/{case.code}/edit/").content.decode()
    assert re.search(r'name="findings-subdural"[^>]*checked', page)
    client.post(
        f"/consultations/{case.code}/edit/",
        _referral(
            **{"findings-visible_pathology": "on", "findings-subdural": "on", "findings-traumatic_sah": "on"}
        ),
    )
    findings = CaseFindings.objects.get(case=case)
    assert findings.subdural and findings.traumatic_sah


# --- 2. The opinion form ----------------------------------------------------------------------
def test_the_opinion_form_preselects_no_blank_choice(cast, make_case):
    case = assigned_to_china(cast, make_case)
    english(cast.consultant_china)
    page = (
        sign_in(Client(), cast.consultant_china).get(f"/consultations/{case.code}/opinion/").content.decode()
    )
    for name in ("recommendation", "confidence"):
        radios = re.findall(rf'<input type="radio" name="{name}"[^>]*>', page)
        assert len(radios) == len(getattr(Opinion, name.title()).choices), name
        assert not any("checked" in radio for radio in radios), name
        assert not re.search(rf'name="{name}" value=""', page), name


def test_a_refused_opinion_keeps_what_was_typed_and_summarises_the_errors(cast, make_case):
    case = assigned_to_china(cast, make_case)
    english(cast.consultant_china)
    response = sign_in(Client(), cast.consultant_china).post(
        f"/consultations/{case.code}/opinion/",
        {"impression": "Extradural haematoma", "recommendation": "transfer", "advice": "Hourly GCS"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Extradural haematoma" in page and "Hourly GCS" in page
    assert re.search(r'name="recommendation" value="transfer"[^>]*checked', page)
    assert "data-error-summary" in page
    assert 'href="#id_confidence"' in page and 'href="#id_transfer_to"' in page


def test_the_opinion_form_shows_the_case_in_brief_without_the_identity(cast, make_case):
    case = assigned_to_china(cast, make_case)
    english(cast.consultant_china)
    client = sign_in(Client(), cast.referrer)
    saved = client.post(
        f"/consultations/{case.code}/findings/",
        {"visible_pathology": "on", "epidural": "on", "midline_shift_mm": "3", "basal_cisterns": "normal"},
    )
    assert saved.status_code == 302
    page = (
        sign_in(Client(), cast.consultant_china).get(f"/consultations/{case.code}/opinion/").content.decode()
    )
    summary = _summary(page)
    for shown in [
        "Trauma",
        "34 years, Male",
        "E3 V4 M6 = 13",
        "Left: 3 mm",
        "BP 130/80 · HR 90",
        "Head injury after a motorcycle crash",
        "Can we observe here, or should we transfer for evacuation?",
        "Small left temporal extradural haematoma",
        "epidural haematoma",  # the structured findings, from the scores app
        "Marshall",  # and its scores
        "3 to 6 hours before referral",
    ]:
        assert shown.lower() in summary.lower(), shown
    for identifier in ["Amina", "Mollel", "SRRH/2025/00123", "754123456"]:
        assert identifier not in page, identifier


def test_the_opinion_form_shows_red_flags_in_the_summary(cast, make_case):
    case = make_case(clinical={"pupil_left_reaction": "non_reactive"})
    consent(case, cast.referrer)
    from consultations import actions
    from consultations.access import case_access

    actions.submit(case_access(cast.referrer, case), cast.referrer)
    consultant = case.assignments.get().consultant
    english(consultant)
    page = sign_in(Client(), consultant).get(f"/consultations/{case.code}/opinion/").content.decode()
    summary = _summary(page)
    assert "A pupil does not react" in summary


def test_only_the_assigned_consultant_opens_the_opinion_form_with_its_summary(cast, make_case):
    case = assigned_to_china(cast, make_case)
    for persona in EVERYONE:
        response = sign_in(Client(), getattr(cast, persona)).get(f"/consultations/{case.code}/opinion/")
        expected = (
            200 if persona == "consultant_china" else 403 if persona in ("referrer", "coordinator") else 404
        )
        assert response.status_code == expected, persona


# --- 7. The error summary on the case form and the outcome form --------------------------------
def test_a_refused_referral_starts_with_a_summary_linking_to_each_field(cast):
    english(cast.referrer)
    response = sign_in(Client(), cast.referrer).post(
        "/consultations/new/", _referral(systolic_bp="400", pupil_left_mm="3.3")
    )
    page = response.content.decode()
    assert response.status_code == 400
    summary_at = page.index("data-error-summary")
    assert summary_at < page.index('<form method="post" novalidate class="case-form">')
    assert 'href="#id_systolic_bp"' in page and 'href="#id_pupil_left_mm"' in page


@pytest.mark.parametrize("language", ["en", "sw", "zh-hans"])
def test_a_refused_outcome_starts_with_a_summary_linking_to_each_field(cast, make_case, language):
    case = make_case(send=True)
    from accounts import actions as account_actions

    account_actions.update_profile(cast.referrer, {"preferred_language": language})
    response = sign_in(Client(), cast.referrer).post(
        f"/consultations/{case.code}/outcome/", {"management": "operated_locally", "discharge_status": "home"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "data-error-summary" in page and 'href="#id_operation"' in page
