"""The calculators section, the API and the scores of a consultation."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import sign_in
from consultations.access import case_access
from consultations.tests.fixtures import TRAUMA  # noqa: F401  (cases come from the consultations fixtures)
from consultations.tests.test_api import api  # noqa: F401  (fixture)
from consultations.tests.test_pages import assigned_to_china
from scores.case_scores import record_findings
from scores.library import CALCULATORS
from scores.models import CaseScore

EVERYONE = [
    "admin",
    "coordinator",
    "referrer",
    "neurosurgeon",
    "consultant_china",
    "trainee",
    "outsider",
    "outsider_coordinator",
    "researcher",
]


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


def test_a_trauma_case_carries_its_scores_with_inputs_and_version(cast, make_case):
    case = make_case(send=True)
    stored = {s.calculator: s for s in CaseScore.objects.filter(case=case)}
    assert set(stored) == {"gcs", "gcs_p", "impact_core"}
    assert stored["gcs"].result["total"] == 13 and stored["gcs"].version == "gcs/1974+2014/1"
    assert stored["impact_core"].inputs == {"age": 34.0, "motor": "6", "pupils": "both"}


def test_the_consultant_sees_the_scores_beside_the_case_and_enters_ct_findings(cast, make_case):
    case = assigned_to_china(cast, make_case)
    from accounts.actions import update_profile

    update_profile(cast.consultant_china, {"preferred_language": "en"})
    client = sign_in(Client(), cast.consultant_china)
    page = client.get(f"/consultations/{case.code}/").content.decode()
    assert "Glasgow Coma Scale (GCS)" in page and "IMPACT core model" in page
    response = client.post(
        f"/consultations/{case.code}/findings/",
        {
            "visible_pathology": "on",
            "basal_cisterns": "compressed",
            "suprasellar_cisterns": "compressed",
            "midline_shift_mm": "3",
            "epidural": "on",
            "traumatic_sah": "on",
            "glucose": "8",
            "haemoglobin": "12.5",
        },
    )
    assert response.status_code == 302
    stored = {s.calculator: s for s in CaseScore.objects.filter(case=case)}
    assert stored["marshall"].result["band"] == "III"
    assert stored["rotterdam"].result["total"] == 2 + 1  # cisterns compressed 1, EDH present 0, tSAH 1, +1
    assert {"impact_extended", "impact_lab", "helsinki"} <= set(stored)


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
    from core.tests.test_pages import PAGE_BUDGET, compressed, static_size

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
