"""The calculators section, the API and the scores of a consultation."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from consultations.access import case_access
from neurodaraja.testing.cases import assigned_to_china
from neurodaraja.testing.pages import PAGE_BUDGET, compressed, static_size
from neurodaraja.testing.personas import EVERYONE, sign_in
from scores.case_scores import record_findings
from scores.library import CALCULATORS
from scores.models import CaseScore


def test_anyone_signed_in_opens_every_calculator_and_strangers_sign_in(cast, client):
    for persona in EVERYONE:
        signed_in = sign_in(Client(), getattr(cast, persona))
        assert signed_in.get("/scores/").status_code == 200
    signed_in = sign_in(Client(), cast.trainee)
    for code in CALCULATORS:
        assert signed_in.get(f"/scores/{code}/").status_code == 200, code
    assert signed_in.get("/scores/crash/").status_code == 404
    assert client.get("/scores/")["Location"].startswith("/accounts/login/")
    assert client.get("/scores/gcs/")["Location"].startswith("/accounts/login/")


def test_the_list_says_crash_is_not_available(cast):
    page = sign_in(Client(), cast.trainee).get("/scores/").content.decode()
    assert "CRASH prognosis is not available" in page


def test_a_calculator_shows_points_interpretation_population_limits_and_reference(cast):
    page = (
        sign_in(Client(), cast.trainee)
        .get("/scores/impact_core/", {"calculate": "1", "age": "30", "motor": "5", "pupils": "both"})
        .content.decode()
    )
    assert "11.0 %" in page  # the reference file's worked check
    assert "moderate or severe traumatic brain injury" in page
    assert "worse than predicted" in page
    assert "Steyerberg" in page and "impact-continuous-2006/core/1" in page


def test_a_gcs_with_a_not_testable_component_shows_no_total(cast):
    page = (
        sign_in(Client(), cast.trainee)
        .get("/scores/gcs/", {"calculate": "1", "eye": "3", "verbal": "NT", "motor": "6"})
        .content.decode()
    )
    assert "there is no total" in page


@pytest.mark.parametrize(
    ("language", "params", "message"),
    [
        ("en", {"eye": "4", "verbal": "5", "motor": "6", "stated_total": "14"}, "does not match"),
        ("en", {"age": "thirty", "motor": "5", "pupils": "both"}, "must be a number"),
        ("en", {"age": "130", "motor": "5", "pupils": "both"}, "between 0 and 120"),
    ],
)
def test_bad_input_names_the_field_in_the_users_language(cast, language, params, message):
    code = "gcs" if "eye" in params else "impact_core"
    response = sign_in(Client(), cast.trainee).get(f"/scores/{code}/", {"calculate": "1", **params})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_errors_are_translated(cast):
    from accounts.actions import update_profile

    update_profile(cast.trainee, {"preferred_language": "sw"})
    response = sign_in(Client(), cast.trainee).get(
        "/scores/impact_core/", {"calculate": "1", "age": "130", "motor": "5", "pupils": "both"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "must be between" not in page and "120" in page


def test_the_api_lists_and_computes_scores(cast, api):  # noqa: F811
    client = api(cast.trainee)
    catalogue = client.get("/api/v1/scores").json()
    assert {c["code"] for c in catalogue} == set(CALCULATORS)
    gcs = next(c for c in catalogue if c["code"] == "gcs")
    assert [f["name"] for f in gcs["fields"]][:3] == ["eye", "verbal", "motor"]
    response = client.post(
        "/api/v1/scores/impact_core",
        data=json.dumps({"age": 30, "motor": "5", "pupils": "both"}),
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200
    assert round(body["probabilities"]["mortality_6_months"], 3) == 0.110
    assert body["version"] == "impact-continuous-2006/core/1" and "impact_population" in body["notes"]


@pytest.mark.parametrize(
    ("code", "inputs", "field"),
    [
        ("gcs", {"eye": "4", "verbal": "5", "motor": "6", "stated_total": 14}, "stated_total"),
        ("impact_core", {"age": "thirty", "motor": "5", "pupils": "both"}, "age"),
        (
            "gcs_p",
            {"eye": "4", "verbal": "5", "motor": "6", "pupils_examined": 0, "pupils_unreactive": 1},
            "pupils_unreactive",
        ),
        (
            "impact_lab",
            {"age": 30, "motor": "5", "pupils": "both", "marshall": "II", "glucose": 6},
            "haemoglobin",
        ),
    ],
)
def test_the_api_answers_422_naming_the_field(cast, api, code, inputs, field):  # noqa: F811
    response = api(cast.trainee).post(
        f"/api/v1/scores/{code}", data=json.dumps(inputs), content_type="application/json"
    )
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == field and detail["message"]


def test_the_api_refuses_unknown_calculators_and_strangers(cast, api, client):  # noqa: F811
    assert (
        api(cast.trainee).post("/api/v1/scores/crash", data="{}", content_type="application/json").status_code
        == 404
    )
    assert client.get("/api/v1/scores").status_code == 401


SEVERE = {"gcs_eye": "2", "gcs_verbal": "2", "gcs_motor": "5"}  # GCS 9


def assigned_severe_case(cast, make_case):
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import OnCallShift

    now = timezone.now()
    OnCallShift.objects.create(
        consultant=cast.consultant_china, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=9)
    )
    return make_case(send=True, clinical=SEVERE)


def stored_scores(case) -> dict[str, CaseScore]:
    return {s.calculator: s for s in CaseScore.objects.filter(case=case)}


def findings_of(cast, case, **values):
    """Record findings as the referrer; unnamed fields keep the form's defaults."""
    from scores.case_scores import FINDINGS_FIELDS
    from scores.models import CaseFindings

    defaults = {f.name: f.get_default() for f in CaseFindings._meta.get_fields() if f.name in FINDINGS_FIELDS}
    return record_findings(case_access(cast.referrer, case), cast.referrer, {**defaults, **values})


def test_a_severe_head_injury_carries_impact_with_its_inputs_and_version(cast, make_case):
    case = make_case(send=True, clinical=SEVERE)
    stored = stored_scores(case)
    assert set(stored) == {"gcs", "gcs_p", "impact_core"}
    assert stored["gcs"].result["total"] == 9 and stored["gcs"].version == "gcs/1974+2014/1"
    assert stored["impact_core"].inputs == {"age": 34.0, "motor": "5", "pupils": "both"}


def test_impact_is_left_off_a_mild_head_injury_it_was_not_developed_for(cast, make_case):
    case = make_case(send=True)  # GCS 13
    assert set(stored_scores(case)) == {"gcs", "gcs_p"}
    case = make_case(send=True, clinical={"gcs_eye": "3", "gcs_verbal": "4", "gcs_motor": "5"})  # 12
    assert "impact_core" in stored_scores(case)


def test_the_consultant_sees_the_scores_beside_the_case_and_enters_ct_findings(cast, make_case):
    case = assigned_severe_case(cast, make_case)
    from accounts.actions import update_profile

    update_profile(cast.consultant_china, {"preferred_language": "en"})
    client = sign_in(Client(), cast.consultant_china)
    page = client.get(f"/consultations/{case.code}/").content.decode()
    assert "Glasgow Coma Scale (GCS)" in page and "IMPACT core model" in page
    form = client.get(f"/consultations/{case.code}/findings/").content.decode()
    assert '<option value="" selected>Not known</option>' in form  # blank hypoxia is "not known", not "no"
    response = client.post(
        f"/consultations/{case.code}/findings/",
        {
            "visible_pathology": "on",
            "basal_cisterns": "compressed",
            "suprasellar_cisterns": "compressed",
            "midline_shift_mm": "3",
            "epidural": "on",
            "traumatic_sah": "on",
            "hypoxia": "no",
            "hypotension": "yes",
            "glucose": "8",
            "haemoglobin": "12.5",
        },
    )
    assert response.status_code == 302
    stored = stored_scores(case)
    assert stored["marshall"].result["band"] == "III"
    assert stored["rotterdam"].result["total"] == 2 + 1  # cisterns compressed 1, EDH present 0, tSAH 1, +1
    assert {"impact_extended", "impact_lab", "helsinki"} <= set(stored)
    assert stored["impact_extended"].inputs["hypoxia"] is False
    assert stored["impact_extended"].inputs["hypotension"] is True


def test_extended_impact_waits_until_hypoxia_and_hypotension_are_known(cast, make_case):
    case = make_case(send=True, clinical=SEVERE)
    ct = {"visible_pathology": True, "basal_cisterns": "normal", "midline_shift_mm": 0}
    findings_of(cast, case, **ct, hypoxia="no")
    assert "marshall" in stored_scores(case) and "impact_extended" not in stored_scores(case)
    findings_of(cast, case, **ct, hypoxia="no", hypotension="no")
    assert "impact_extended" in stored_scores(case)


def test_a_lesion_counts_as_visible_pathology_without_its_own_tick(cast, make_case):
    case = make_case(send=True, clinical=SEVERE)
    findings_of(cast, case, basal_cisterns="normal", midline_shift_mm=0, subdural=True)
    assert stored_scores(case)["marshall"].result["band"] == "II"


def test_absent_cisterns_with_a_shift_over_5_mm_is_marshall_iv(cast, make_case):
    case = make_case(send=True, clinical=SEVERE)
    findings_of(cast, case, visible_pathology=True, basal_cisterns="absent", midline_shift_mm=6)
    assert stored_scores(case)["marshall"].result["band"] == "IV"


def test_a_shift_of_exactly_5_mm_is_not_over_5_for_rotterdam(cast, make_case):
    case = make_case(send=True, clinical=SEVERE)
    findings_of(cast, case, visible_pathology=True, basal_cisterns="normal", midline_shift_mm=5)
    stored = stored_scores(case)
    assert stored["rotterdam"].inputs["midline_shift_over_5mm"] is False
    assert stored["marshall"].result["band"] == "II"
    findings_of(cast, case, visible_pathology=True, basal_cisterns="normal", midline_shift_mm=Decimal("5.1"))
    assert stored_scores(case)["rotterdam"].inputs["midline_shift_over_5mm"] is True


def test_findings_a_score_cannot_use_are_refused_with_the_reason_and_nothing_is_saved(cast, make_case):
    case = make_case(send=True, clinical=SEVERE)
    client = sign_in(Client(), cast.referrer)
    response = client.post(
        f"/consultations/{case.code}/findings/", {"basal_cisterns": "compressed", "midline_shift_mm": "2"}
    )
    assert response.status_code == 400
    assert (
        "Marshall" in response.content.decode()
        and "contradicts the other answers" in response.content.decode()
    )
    from scores.models import CaseFindings

    assert not CaseFindings.objects.filter(case=case).exists()
    assert "marshall" not in stored_scores(case)


def test_ct_classes_and_impact_are_for_head_injury_and_the_ich_score_for_spontaneous_bleeds(cast, make_case):
    bleed = {"haematoma_volume_ml": 35, "intraventricular": True}
    trauma = make_case(send=True, clinical=SEVERE)
    findings_of(cast, trauma, visible_pathology=True, basal_cisterns="normal", midline_shift_mm=0, **bleed)
    assert "ich" not in stored_scores(trauma) and "marshall" in stored_scores(trauma)
    stroke = make_case(send=True, category="vascular", clinical=SEVERE)
    findings_of(cast, stroke, visible_pathology=True, basal_cisterns="normal", midline_shift_mm=0, **bleed)
    stored = stored_scores(stroke)
    assert "ich" in stored and stored["ich"].inputs["volume_ml"] == 35.0
    assert not {"marshall", "rotterdam", "impact_core", "impact_extended"} & set(stored)


def test_the_etv_score_needs_the_shunt_history_and_the_cause(cast, make_case):
    child = {"age_unit": "months", "age_value": 8}
    draft = make_case(category="hydrocephalus", clinical=child)
    findings_of(cast, draft, hydrocephalus_cause="aqueductal_stenosis")
    assert "etv_success" not in stored_scores(draft)  # shunt history not given yet: not the same as "none"
    case = make_case(send=True, category="hydrocephalus", clinical={**child, "shunt_history": "none"})
    findings_of(cast, case, hydrocephalus_cause="aqueductal_stenosis")
    etv = stored_scores(case)["etv_success"]
    assert etv.inputs == {"age_months": 8.0, "etiology": "aqueductal_stenosis", "previous_shunt": False}
    assert etv.result["total"] == 30 + 30 + 10  # 6 months to 1 year, aqueductal stenosis, no shunt


def test_findings_are_refused_to_those_off_the_case(cast, make_case):
    case = assigned_to_china(cast, make_case)
    for persona in ("outsider", "neurosurgeon", "trainee"):
        assert (
            sign_in(Client(), getattr(cast, persona)).get(f"/consultations/{case.code}/findings/").status_code
            == 404
        )
    with pytest.raises(Exception, match="referring team or a consultant"):
        from accounts import actions as account_actions

        account_actions.add_role(
            cast.admin, cast.outsider_coordinator, cast.institutions["QILU"], "coordinator"
        )
        outsider = cast.outsider_coordinator
        record_findings(case_access(outsider, case), outsider, {"basal_cisterns": "normal"})


def test_impossible_findings_are_refused_and_nothing_changes(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    response = client.post(
        f"/consultations/{case.code}/findings/", {"basal_cisterns": "normal", "midline_shift_mm": "45"}
    )
    assert response.status_code == 400
    assert not CaseScore.objects.filter(case=case, calculator="marshall").exists()


def test_case_scores_and_findings_through_the_api(cast, make_case, api):  # noqa: F811
    case = make_case(send=True)
    client = api(cast.referrer)
    body = client.put(
        f"/api/v1/cases/{case.code}/findings",
        data=json.dumps({"basal_cisterns": "normal", "midline_shift_mm": 0, "visible_pathology": True}),
        content_type="application/json",
    ).json()
    assert {s["calculator"] for s in body} >= {"gcs", "marshall", "rotterdam"}
    assert api(cast.outsider).get(f"/api/v1/cases/{case.code}/scores").status_code == 404
    bad = client.put(
        f"/api/v1/cases/{case.code}/findings",
        data=json.dumps({"glucose": 200}),
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_every_calculator_page_is_light_enough_for_a_phone(cast):
    client = sign_in(Client(), cast.trainee)
    for code in CALCULATORS:
        size = compressed(client.get(f"/scores/{code}/").content) + static_size()
        assert size < PAGE_BUDGET, (code, size)


def test_each_score_has_its_own_described_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for code in CALCULATORS:
        assert "post" in schema["paths"][f"/api/v1/scores/{code}"], code
    gcs_inputs = next(
        body for name, body in schema["components"]["schemas"].items() if name.startswith("GcsInputs")
    )
    assert gcs_inputs["properties"]["eye"]["enum"] == ["1", "2", "3", "4", "NT"]
    impact = next(
        body for name, body in schema["components"]["schemas"].items() if name == "ImpactCoreInputs"
    )
    assert impact["properties"]["age"]["maximum"] == 120


def test_the_api_and_the_page_give_the_same_message(cast, api):  # noqa: F811
    response = api(cast.trainee).post(
        "/api/v1/scores/impact_core",
        data=json.dumps({"age": 130, "motor": "5", "pupils": "both"}),
        content_type="application/json",
    )
    page = (
        sign_in(Client(), cast.trainee)
        .get("/scores/impact_core/", {"calculate": "1", "age": "130", "motor": "5", "pupils": "both"})
        .content.decode()
    )
    message = response.json()["detail"][0]["message"]
    assert message == "Age (years) must be between 0 and 120 years." and message in page


def test_a_subarachnoid_haemorrhage_carries_its_grades(cast, make_case):
    sah = make_case(
        send=True, category="vascular", clinical={"gcs_eye": "3", "gcs_verbal": "4", "gcs_motor": "6"}
    )
    findings_of(
        cast, sah, sah_thickness="thick", intraventricular=True, motor_deficit="yes", hunt_hess_grade="3"
    )
    stored = stored_scores(sah)
    assert stored["modified_fisher"].result["total"] == 4
    assert stored["modified_fisher"].result["probabilities"] == {"symptomatic_vasospasm": 0.40}
    assert stored["wfns"].result["band"] == "III" and stored["wfns"].inputs == {
        "gcs": 13,
        "motor_deficit": True,
    }
    assert stored["hunt_hess"].result["band"] == "3"


def test_a_grade_the_scale_does_not_define_keeps_the_finding_and_says_why(cast, make_case):
    alert = {"gcs_eye": "4", "gcs_verbal": "5", "gcs_motor": "6"}
    case = make_case(send=True, category="vascular", clinical=alert)
    client = sign_in(Client(), cast.referrer)
    response = client.post(f"/consultations/{case.code}/findings/", {"motor_deficit": "yes"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "WFNS" in page and "does not define this combination" in page
    from scores.models import CaseFindings

    assert CaseFindings.objects.get(case=case).motor_deficit == "yes"  # the finding is kept
    assert "wfns" not in stored_scores(case)


@pytest.mark.parametrize(
    ("category", "asked", "not_asked"),
    [
        (
            "trauma",
            {"basal_cisterns", "hypoxia", "asia_grade"},
            {"sah_thickness", "karnofsky", "hydrocephalus_cause"},
        ),
        (
            "vascular",
            {"haematoma_volume_ml", "sah_thickness", "hunt_hess_grade"},
            {"basal_cisterns", "hypoxia"},
        ),
        ("spine", {"asia_grade"}, {"basal_cisterns", "sah_thickness", "karnofsky"}),
        ("tumour", {"karnofsky"}, {"basal_cisterns", "asia_grade"}),
        ("hydrocephalus", {"hydrocephalus_cause"}, {"basal_cisterns", "sah_thickness"}),
    ],
)
def test_the_findings_form_asks_only_what_can_change_a_score_in_the_category(
    cast, make_case, category, asked, not_asked
):
    clinical = {"shunt_history": "none"} if category == "hydrocephalus" else {}
    case = make_case(send=True, category=category, clinical=clinical)
    form = sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/findings/").context["form"]
    assert asked <= set(form.fields) and not (not_asked & set(form.fields))


def test_spine_and_tumour_cases_carry_the_entered_grades_labelled_in_the_users_language(cast, make_case):
    spine = make_case(send=True, category="spine")
    client = sign_in(Client(), cast.referrer)
    assert client.post(f"/consultations/{spine.code}/findings/", {"asia_grade": "C"}).status_code == 302
    assert stored_scores(spine)["asia"].result["band"] == "C"
    tumour = make_case(send=True, category="tumour")
    form = client.get(f"/consultations/{tumour.code}/findings/").content.decode()
    assert "70 — Cares for self, unable to carry on normal activity" in form  # the scale's wording
    assert client.post(f"/consultations/{tumour.code}/findings/", {"karnofsky": "70"}).status_code == 302
    assert stored_scores(tumour)["karnofsky"].result["total"] == 70
    response = client.post(f"/consultations/{tumour.code}/findings/", {"karnofsky": "75"})
    assert response.status_code == 400 and stored_scores(tumour)["karnofsky"].result["total"] == 70


def test_the_api_takes_the_new_grades_and_refuses_values_outside_them(cast, make_case, api):  # noqa: F811
    case = make_case(send=True, category="spine")
    client = api(cast.referrer)
    body = client.put(
        f"/api/v1/cases/{case.code}/findings",
        data=json.dumps({"asia_grade": "A"}),
        content_type="application/json",
    ).json()
    assert any(s["calculator"] == "asia" for s in body)
    bad = client.put(
        f"/api/v1/cases/{case.code}/findings",
        data=json.dumps({"asia_grade": "F", "karnofsky": 75}),
        content_type="application/json",
    )
    assert bad.status_code == 422
