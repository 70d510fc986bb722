"""Issue 11, "Clinical details": what a score says to the clinician reading it — the published
PECARN risk, the GOS level of a GOS-E, what a GCS-P means for this patient, one rounding rule,
the Karnofsky scale's own words, references cited fully with what is unverified, and why a
head-injured adult at GCS 13–14 gets no prognosis. Numbers from shared/clinical/REFERENCES.md."""

from __future__ import annotations

import json
import math

import pytest
from django.test import Client

from neurodaraja.testing.cases import english
from neurodaraja.testing.personas import sign_in
from scores.content import CONTENT, text
from scores.library import CALCULATORS
from scores.library.base import Probability, Unverified, shown_number, shown_percent
from scores.models import CaseScore
from scores.present import present


def run(code: str, **inputs: object):
    return CALCULATORS[code](inputs)


def shown(code: str, language: str = "en", **inputs: object):
    return present(CALCULATORS[code], run(code, **inputs), language)


# --- PECARN: the published risk of a clinically important TBI for the group (REFERENCES.md 9b) ---

UNDER_TWO = {"age_months": 12, "gcs": 15, "hours_since_injury": 2}
FROM_TWO = {"age_months": 24, "gcs": 15, "hours_since_injury": 2}  # exactly two: the older rule


@pytest.mark.parametrize(
    ("inputs", "band", "risk", "below", "shown_as"),
    [
        ({**UNDER_TWO, "palpable_skull_fracture": True}, "ct_recommended", 0.044, False, "4.4 %"),
        ({**UNDER_TWO, "not_acting_normally": True}, "observe_or_ct", 0.009, False, "0.9 %"),
        (UNDER_TWO, "ct_not_recommended", 0.0002, True, "< 0.02 %"),
        ({**FROM_TWO, "basilar_skull_fracture_signs": True}, "ct_recommended", 0.043, False, "4.3 %"),
        ({**FROM_TWO, "vomiting": True}, "observe_or_ct", 0.009, False, "0.9 %"),
        (FROM_TWO, "ct_not_recommended", 0.0005, True, "< 0.05 %"),
        ({**FROM_TWO, "gcs": 14}, "ct_recommended", 0.043, False, "4.3 %"),
    ],
)
def test_pecarn_gives_the_published_risk_of_the_group(inputs, band, risk, below, shown_as):
    result = run("pecarn", **inputs)
    assert result.band == band
    assert result.probabilities == (Probability("clinically_important_tbi", risk, below=below),)
    page = present(CALCULATORS["pecarn"], result, "en")
    assert page.probabilities == [
        ("Published risk of a clinically important brain injury in this group", shown_as)
    ]


def test_pecarn_gives_no_risk_where_it_does_not_apply():
    assert run("pecarn", **{**FROM_TWO, "gcs": 13}).probabilities == ()


def test_the_api_returns_the_pecarn_risk_and_says_which_is_an_upper_bound(cast, api):
    client = api(cast.trainee)
    low = client.post("/api/v1/scores/pecarn", data=json.dumps(UNDER_TWO), content_type="application/json")
    assert low.status_code == 200
    body = low.json()
    assert body["probabilities"] == {"clinically_important_tbi": 0.0002}
    assert body["upper_bounds"] == ["clinically_important_tbi"]
    assert body["probability_texts"] == {"clinically_important_tbi": "< 0.02 %"}
    high = client.post(
        "/api/v1/scores/pecarn",
        data=json.dumps({**FROM_TWO, "altered_mental_status": True}),
        content_type="application/json",
    ).json()
    assert high["probabilities"] == {"clinically_important_tbi": 0.043} and high["upper_bounds"] == []


def test_the_openapi_schema_documents_the_pecarn_risk_and_upper_bounds(client, db):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ScoreOut"]["properties"]
    assert "clinically_important_tbi" in schema["probabilities"]["description"]
    assert "0.044" in schema["probabilities"]["description"]
    assert "upper bound" in schema["upper_bounds"]["description"]
    assert "half up" in schema["probability_texts"]["description"]


# --- GOS-E says its GOS level (REFERENCES.md 11: 1→1, 2→2, 3–4→3, 5–6→4, 7–8→5) ---


@pytest.mark.parametrize(
    ("gose", "gos", "words"),
    [
        (1, 1, "death"),
        (2, 2, "vegetative state"),
        (3, 3, "severe disability"),
        (4, 3, "severe disability"),
        (5, 4, "moderate disability"),
        (6, 4, "moderate disability"),
        (7, 5, "good recovery"),
        (8, 5, "good recovery"),
    ],
)
def test_a_gose_result_says_the_corresponding_gos_level(gose, gos, words):
    assert f"gose_is_gos_{gos}" in run("gose", level=gose).notes
    assert f"Corresponds to GOS {gos} ({words})." in shown("gose", level=gose).notes


# --- GCS-P: what the note means for this patient (REFERENCES.md 2) ---


def test_a_gcs_p_between_the_ends_says_the_known_figures_that_bound_this_patients_risk():
    middle = shown("gcs_p", eye="2", verbal="2", motor="5", pupils_examined=2, pupils_unreactive=1)  # 8
    assert middle.total == "8" and middle.probabilities == []
    (note,) = middle.notes
    assert "74 %" in note and "90 %" in note and "2.5 %" in note and "12 %" in note
    assert "The higher the GCS-P, the lower the risk." in note


def test_a_gcs_p_at_an_end_shows_its_figures_and_no_note():
    alert = shown("gcs_p", eye="4", verbal="5", motor="6", pupils_examined=2, pupils_unreactive=0)
    assert alert.notes == [] and alert.probabilities[0][1] == "2.5 %"
    worst = shown("gcs_p", eye="1", verbal="1", motor="1", pupils_examined=2, pupils_unreactive=2)
    assert worst.notes == [] and [value for _label, value in worst.probabilities] == ["74.5 %", "89.6 %"]


# --- One rounding rule, for display only ---


def test_one_display_rule_rounds_half_up_in_decimal():
    assert shown_percent(0.2055435886194754) == "20.6 %"
    assert shown_percent(0.0045) == "0.5 %"  # binary 0.44999… would round down
    assert shown_percent(0.110) == "11.0 %"
    assert shown_number(2.25) == "2.3" and shown_number(21.599999999999998) == "21.6"


@pytest.mark.parametrize("code", ["abc2", "ellipsoid"])
def test_a_haematoma_volume_is_kept_as_computed_and_rounded_only_for_display(code):
    factor = 0.5 if code == "abc2" else math.pi / 6
    result = run(code, a_cm=3.3, b_cm=2.1, c_cm=1.7)
    assert result.total == factor * 3.3 * 2.1 * 1.7  # 5.89… for ABC/2: not cut to 5.9
    assert result.as_dict()["total"] == result.total
    assert present(CALCULATORS[code], result, "en").total == shown_number(result.total, 1)
    assert shown("abc2", a_cm=3.3, b_cm=2.1, c_cm=1.7).total == "5.9"


SEVERE = {"gcs_eye": "2", "gcs_verbal": "2", "gcs_motor": "5"}  # GCS 9, age 34, both pupils brisk


def test_the_same_impact_inputs_read_the_same_on_the_calculator_and_the_case(cast, make_case):
    # Age 34, localising, both pupils reacting: unfavourable outcome 20.554…%, which the case
    # page showed as 20.5 % (stored rounded to 4 places, then rounded again) and the calculator 20.6 %.
    case = make_case(send=True, clinical=SEVERE)
    stored = CaseScore.objects.get(case=case, calculator="impact_core")
    computed = run("impact_core", age=34, motor="5", pupils="both")
    assert stored.result["probabilities"] == {p.outcome: p.value for p in computed.probabilities}
    english(cast.referrer)
    client = sign_in(Client(), cast.referrer)
    calculator = client.get(
        "/scores/impact_core/", {"calculate": "1", "age": "34", "motor": "5", "pupils": "both"}
    )
    case_page = client.get(f"/consultations/{case.code}/")
    for page in (calculator, case_page):
        assert "20.6 %" in page.content.decode() and "20.5 %" not in page.content.decode()


# --- Karnofsky in the scale's own words; references cited fully, the unverified said ---

KARNOFSKY_WORDING = {  # REFERENCES.md 11, "the scale's full wording"
    100: "Normal, no complaints",
    90: "Able to carry on normal activities, minor signs or symptoms of disease",
    80: "Normal activity with effort, some signs or symptoms of disease",
    70: "Cares for self, unable to carry on normal activity or to do active work",
    60: "Requires occasional assistance but able to care for most needs",
    50: "Requires considerable assistance and frequent medical care",
    40: "Disabled; requires special care and assistance",
    30: "Severely disabled; hospitalisation indicated, though death not imminent",
    20: "Very sick; hospitalisation necessary; active supportive treatment necessary",
    10: "Moribund; fatal processes progressing rapidly",
    0: "Dead",
}


def test_karnofsky_levels_read_in_the_scales_own_words():
    for level, wording in KARNOFSKY_WORDING.items():
        assert text(f"choice.karnofsky.score.{level}", "en") == f"{level} — {wording}"
        assert shown("karnofsky", score=level).band == f"{level} — {wording}"


def test_karnofsky_and_gose_cite_their_sources_not_just_a_name():
    (karnofsky,) = CALCULATORS["karnofsky"].references
    assert karnofsky.citation.startswith("Karnofsky DA, Burchenal JH.") and "1949" in karnofsky.citation
    (gose,) = CALCULATORS["gose"].references
    assert (
        gose.citation.startswith("Wilson JTL, Pettigrew LEL, Teasdale GM.")
        and "1998;15(8):573-85" in gose.citation
    )
    assert karnofsky.unverified is gose.unverified is Unverified.DETAILS  # "as commonly cited; not read here"


def unverified_dois() -> dict[str, Unverified | None]:
    return {r.doi: r.unverified for c in CALCULATORS.values() for r in c.references if r.doi}


def test_the_dois_references_md_did_not_verify_are_marked_so():
    marks = unverified_dois()
    assert marks["10.1016/S1474-4422(14)70120-6"] is Unverified.DOI  # GCS at 40 years
    assert marks["10.1161/01.str.32.4.891"] is Unverified.DOI  # ICH score
    assert marks["10.1227/NEU.0000000000000533"] is Unverified.CITATION_AND_DOI  # Helsinki
    assert marks["10.1371/journal.pmed.0050165"] is None  # IMPACT: verified
    assert marks["10.3171/2017.12.JNS172780"] is None  # GCS-P: verified


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "not verified it independently"), ("sw", "hatujaithibitisha"), ("zh-hans", "未经我们独立核实")],
)
def test_the_calculator_page_says_which_reference_is_unverified_in_the_readers_language(cast, language, said):
    from accounts.actions import update_profile

    update_profile(cast.trainee, {"preferred_language": language})
    client = sign_in(Client(), cast.trainee)
    ich = client.get("/scores/ich/").content.decode()
    assert "10.1161/01.str.32.4.891" in ich and said in ich
    impact = client.get("/scores/impact_core/").content.decode()
    assert said not in impact


def test_the_api_says_which_reference_is_unverified(cast, api):
    body = api(cast.trainee).get("/api/v1/scores/helsinki").json()
    (reference,) = body["references"]
    assert reference["unverified"] == "citation_and_doi" and "not verified" in reference["caveat"]


def test_every_kind_of_unverified_has_words_in_every_language():
    for kind in Unverified:
        for language in CONTENT:
            assert CONTENT[language][f"reference.unverified.{kind.value}"]


# --- An adult with GCS 13–14 after a head injury: why there is no prognosis ---


@pytest.mark.parametrize(
    ("clinical", "told"),
    [
        ({}, True),  # the default case: 34 years, GCS 13
        ({"gcs_eye": "4", "gcs_verbal": "4", "gcs_motor": "6"}, True),  # GCS 14
        ({"gcs_eye": "4", "gcs_verbal": "5", "gcs_motor": "6"}, False),  # 15: mild, neither model is for it
        (SEVERE, False),  # IMPACT gives one
        ({"age_value": 12}, False),  # a child: the adult models' absence is not the point
    ],
)
def test_a_head_injured_adult_at_gcs_13_or_14_is_told_why_there_is_no_prognosis(
    cast, make_case, clinical, told
):
    case = make_case(send=True, clinical=clinical)
    english(cast.referrer)
    page = sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/").content.decode()
    assert ("IMPACT was developed for GCS 12 or less" in page) is told
    if told:
        assert "CRASH" in page and "not available here" in page


def test_the_calculator_list_no_longer_sends_a_gcs_13_14_adult_to_impact(cast):
    page = sign_in(Client(), cast.trainee).get("/scores/").content.decode()
    assert "Use IMPACT for head injury prognosis" not in page
    assert "adults with GCS 12 or less" in page


# --- A refusal of a value out of range reads as a sentence, with or without a unit -----------


def test_a_range_without_a_unit_has_no_stray_space_before_the_full_stop():
    from scores.library import InputError
    from scores.messages import explain

    with pytest.raises(InputError) as unitless:
        run("ich", gcs=16, volume_ml=10, age=50)
    assert explain(unitless.value, "ich", "en") == "GCS must be between 3 and 15."
    with pytest.raises(InputError) as with_unit:
        run("ich", gcs=10, volume_ml=400, age=50)
    assert explain(with_unit.value, "ich", "en") == "Haematoma volume (mL) must be between 0 and 300 mL."
