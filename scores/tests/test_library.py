"""The scores library against the published tables in shared/clinical/REFERENCES.md.

Plain tests (no database): every band boundary, minimum and maximum, each "not applicable" rule,
and the worked checks the reference file gives.
"""

from __future__ import annotations

import math

import pytest

from scores.library import CALCULATORS, InputError
from scores.library.base import Problem


def run(code: str, **inputs):
    return CALCULATORS[code](inputs)


def probability(result, outcome: str) -> float:
    return next(p.value for p in result.probabilities if p.outcome == outcome)


def refused(code: str, field: str, problem: Problem, **inputs) -> InputError:
    with pytest.raises(InputError) as caught:
        run(code, **inputs)
    assert (caught.value.field, caught.value.problem) == (field, problem), caught.value
    return caught.value


# --- GCS (section 1) ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("eye", "verbal", "motor", "total", "band"),
    [
        ("1", "1", "1", 3, "severe"),
        ("2", "2", "4", 8, "severe"),
        ("2", "3", "4", 9, "moderate"),
        ("3", "4", "5", 12, "moderate"),
        ("3", "4", "6", 13, "mild"),
        ("4", "5", "6", 15, "mild"),
    ],
)
def test_gcs_totals_and_band_boundaries(eye, verbal, motor, total, band):
    result = run("gcs", eye=eye, verbal=verbal, motor=motor)
    assert (result.total, result.band) == (total, band)
    assert [p.points for p in result.parts] == [int(eye), int(verbal), int(motor)]
    assert result.version and result.references[0].citation.startswith("Teasdale")


def test_a_not_testable_component_gives_components_but_no_total():
    result = run("gcs", eye="3", verbal="NT", motor="6")  # intubated
    assert result.total is None and result.band is None
    assert [p.points for p in result.parts] == [3, None, 6]
    assert "gcs_not_testable_no_total" in result.notes


def test_a_stated_total_must_match_its_components():
    error = refused(
        "gcs", "stated_total", Problem.INCONSISTENT, eye="3", verbal="4", motor="6", stated_total=14
    )
    assert error.params["other"] == 13
    assert run("gcs", eye="3", verbal="4", motor="6", stated_total="13").total == 13
    refused("gcs", "stated_total", Problem.INCONSISTENT, eye="3", verbal="NT", motor="6", stated_total=13)


@pytest.mark.parametrize(
    ("inputs", "field", "problem"),
    [
        ({"verbal": "4", "motor": "6"}, "eye", Problem.REQUIRED),
        ({"eye": "5", "verbal": "4", "motor": "6"}, "eye", Problem.NOT_ALLOWED),
        ({"eye": "0", "verbal": "4", "motor": "6"}, "eye", Problem.NOT_ALLOWED),
        ({"eye": "4", "verbal": "4", "motor": "7"}, "motor", Problem.NOT_ALLOWED),
        (
            {"eye": "4", "verbal": "4", "motor": "6", "stated_total": "fifteen"},
            "stated_total",
            Problem.NOT_A_NUMBER,
        ),
        ({"eye": "4", "verbal": "4", "motor": "6", "stated_total": 16}, "stated_total", Problem.OUT_OF_RANGE),
    ],
)
def test_gcs_refuses_bad_input_naming_the_field(inputs, field, problem):
    refused("gcs", field, problem, **inputs)


# --- GCS-P (section 2) -------------------------------------------------------------------------
@pytest.mark.parametrize(("unreactive", "expected"), [(0, 15), (1, 14), (2, 13)])
def test_gcs_p_subtracts_unreactive_pupils(unreactive, expected):
    assert (
        run("gcs_p", eye="4", verbal="5", motor="6", pupils_examined=2, pupils_unreactive=unreactive).total
        == expected
    )


def test_gcs_p_minimum_is_1_and_only_the_verified_ends_carry_outcomes():
    lowest = run("gcs_p", eye="1", verbal="1", motor="1", pupils_examined=2, pupils_unreactive=2)
    assert lowest.total == 1
    assert probability(lowest, "mortality_6_months") == pytest.approx(0.7445)
    assert probability(lowest, "unfavourable_6_months") == pytest.approx(0.8959)
    best = run("gcs_p", eye="4", verbal="5", motor="6", pupils_examined=2, pupils_unreactive=0)
    assert probability(best, "mortality_6_months") == pytest.approx(0.0254)
    assert probability(best, "unfavourable_6_months") == pytest.approx(0.1175)
    middle = run("gcs_p", eye="3", verbal="3", motor="5", pupils_examined=2, pupils_unreactive=1)
    assert middle.total == 10 and middle.probabilities == () and "gcs_p_outcomes_only_at_ends" in middle.notes


def test_gcs_p_refuses_contradictions():
    # A pupil "non-reactive" with no pupil examined.
    refused(
        "gcs_p",
        "pupils_unreactive",
        Problem.INCONSISTENT,
        eye="4",
        verbal="5",
        motor="6",
        pupils_examined=0,
        pupils_unreactive=1,
    )
    refused(
        "gcs_p",
        "pupils_examined",
        Problem.REQUIRED,
        eye="4",
        verbal="5",
        motor="6",
        pupils_examined=1,
        pupils_unreactive=0,
    )
    refused(
        "gcs_p",
        "verbal",
        Problem.UNDEFINED,
        eye="4",
        verbal="NT",
        motor="6",
        pupils_examined=2,
        pupils_unreactive=0,
    )


# --- IMPACT (section 4) ------------------------------------------------------------------------
def test_impact_core_worked_check_from_the_reference_file():
    result = run("impact_core", age=30, motor="5", pupils="both")
    assert probability(result, "mortality_6_months") == pytest.approx(
        1 / (1 + math.exp(3.109 - 1.02)), abs=1e-9
    )
    assert round(probability(result, "mortality_6_months") * 100, 1) == 11.0
    assert result.references[0].doi == "10.1371/journal.pmed.0050165"


def test_impact_obeys_and_localises_are_the_same_reference_category():
    localises = run("impact_core", age=45, motor="5", pupils="one")
    obeys = run("impact_core", age=45, motor="6", pupils="one")
    assert localises.probabilities == obeys.probabilities


@pytest.mark.parametrize(
    ("model", "inputs", "mortality_lp", "unfavourable_lp"),
    [
        (
            "impact_core",
            {"age": 50, "motor": "3", "pupils": "none"},
            -3.109 + 0.034 * 50 + 0.797 + 1.239,
            -2.644 + 0.038 * 50 + 1.266 + 1.216,
        ),
        (
            "impact_core",
            {"age": 20, "motor": "untestable", "pupils": "one"},
            -3.109 + 0.034 * 20 + 0.522 + 0.514,
            -2.644 + 0.038 * 20 + 0.885 + 0.592,
        ),
        (
            "impact_extended",
            {
                "age": 40,
                "motor": "1",
                "pupils": "both",
                "marshall": "III",
                "traumatic_sah": True,
                "hypotension": True,
            },
            -3.787 + 0.032 * 40 + 1.205 + 0.774 + 0.606 + 0.667,
            -3.023 + 0.033 * 40 + 1.218 + 0.543 + 0.567 + 0.614,
        ),
        (
            "impact_extended",
            {
                "age": 30,
                "motor": "4",
                "pupils": "none",
                "marshall": "I",
                "epidural_haematoma": True,
                "hypoxia": True,
            },
            -3.787 + 0.032 * 30 + 0.313 + 0.970 - 0.298 - 0.379 + 0.237,
            -3.023 + 0.033 * 30 + 0.575 + 1.003 - 0.530 - 0.572 + 0.316,
        ),
        (
            "impact_extended",
            {"age": 60, "motor": "2", "pupils": "one", "marshall": "VI"},
            -3.787 + 0.032 * 60 + 1.207 + 0.334 + 0.651,
            -3.023 + 0.033 * 60 + 1.852 + 0.442 + 0.497,
        ),
        (
            "impact_lab",
            {"age": 35, "motor": "5", "pupils": "both", "marshall": "II", "glucose": 7, "haemoglobin": 13},
            -3.184 + 0.020 * 35 + 0.097 * 7 - 0.086 * 13,
            -2.470 + 0.029 * 35 + 0.085 * 7 - 0.092 * 13,
        ),
    ],
)
def test_impact_linear_predictors_use_the_published_coefficients(
    model, inputs, mortality_lp, unfavourable_lp
):
    result = run(model, **inputs)
    assert probability(result, "mortality_6_months") == pytest.approx(
        1 / (1 + math.exp(-mortality_lp)), abs=1e-9
    )
    assert probability(result, "unfavourable_6_months") == pytest.approx(
        1 / (1 + math.exp(-unfavourable_lp)), abs=1e-9
    )


def test_impact_lab_reports_the_separately_fitted_models_as_computed():
    # REFERENCES.md 4: mortality 19.4 %, unfavourable 16.1 %; both reported, with a note.
    result = run(
        "impact_lab",
        age=16,
        motor="untestable",
        pupils="both",
        marshall="V",
        traumatic_sah=True,
        epidural_haematoma=True,
        glucose=10,
        haemoglobin=12,
    )
    assert round(probability(result, "mortality_6_months") * 100, 1) == 19.4
    assert round(probability(result, "unfavourable_6_months") * 100, 1) == 16.1
    assert "impact_models_fitted_separately" in result.notes


def test_impact_says_who_it_is_for():
    result = run("impact_core", age=17, motor="6", pupils="both")
    assert {"impact_population", "impact_lmic_calibration", "impact_not_for_children"} <= set(result.notes)
    adult = run("impact_core", age=18, motor="6", pupils="both")
    assert "impact_population" in adult.notes and "impact_not_for_children" not in adult.notes


@pytest.mark.parametrize(
    ("code", "inputs", "field", "problem"),
    [
        ("impact_core", {"motor": "5", "pupils": "both"}, "age", Problem.REQUIRED),
        ("impact_core", {"age": "thirty", "motor": "5", "pupils": "both"}, "age", Problem.NOT_A_NUMBER),
        ("impact_core", {"age": 130, "motor": "5", "pupils": "both"}, "age", Problem.OUT_OF_RANGE),
        ("impact_core", {"age": 30, "motor": "7", "pupils": "both"}, "motor", Problem.NOT_ALLOWED),
        ("impact_extended", {"age": 30, "motor": "5", "pupils": "both"}, "marshall", Problem.REQUIRED),
        (
            "impact_lab",
            {"age": 30, "motor": "5", "pupils": "both", "marshall": "II", "glucose": 7},
            "haemoglobin",
            Problem.REQUIRED,
        ),
        (
            "impact_lab",
            {"age": 30, "motor": "5", "pupils": "both", "marshall": "II", "glucose": 0, "haemoglobin": 12},
            "glucose",
            Problem.OUT_OF_RANGE,
        ),
    ],
)
def test_impact_refuses_missing_and_impossible_inputs(code, inputs, field, problem):
    refused(code, field, problem, **inputs)


# --- CT classifications (section 7) ------------------------------------------------------------
@pytest.mark.parametrize(
    ("inputs", "grade"),
    [
        ({"basal_cisterns": "normal", "midline_shift_mm": 0}, "I"),
        ({"visible_pathology": True, "basal_cisterns": "normal", "midline_shift_mm": 5}, "II"),
        ({"visible_pathology": True, "basal_cisterns": "compressed", "midline_shift_mm": 3}, "III"),
        ({"visible_pathology": True, "basal_cisterns": "absent", "midline_shift_mm": 5}, "III"),
        ({"visible_pathology": True, "basal_cisterns": "normal", "midline_shift_mm": 5.5}, "IV"),
        (
            {
                "visible_pathology": True,
                "basal_cisterns": "compressed",
                "midline_shift_mm": 8,
                "evacuated_lesion": True,
            },
            "V",
        ),
        (
            {
                "visible_pathology": True,
                "basal_cisterns": "normal",
                "midline_shift_mm": 2,
                "lesion_over_25ml": True,
            },
            "VI",
        ),
    ],
)
def test_marshall_classes(inputs, grade):
    result = run("marshall", **inputs)
    assert result.band == grade and result.probabilities == ()  # no mortality: published sets conflict


def test_marshall_refuses_a_shift_without_any_visible_pathology():
    refused(
        "marshall", "visible_pathology", Problem.INCONSISTENT, basal_cisterns="normal", midline_shift_mm=4
    )


@pytest.mark.parametrize(
    ("inputs", "score", "mortality"),
    [
        ({"basal_cisterns": "normal", "epidural_mass": True}, 1, 0.0),
        ({"basal_cisterns": "normal"}, 2, 0.07),
        ({"basal_cisterns": "compressed"}, 3, 0.16),
        ({"basal_cisterns": "absent"}, 4, 0.26),
        ({"basal_cisterns": "absent", "midline_shift_over_5mm": True}, 5, 0.53),
        ({"basal_cisterns": "absent", "midline_shift_over_5mm": True, "ivh_or_traumatic_sah": True}, 6, 0.61),
    ],
)
def test_rotterdam_scores_and_published_mortality(inputs, score, mortality):
    result = run("rotterdam", **inputs)
    assert result.total == score
    assert probability(result, "mortality_6_months") == mortality


@pytest.mark.parametrize(
    ("inputs", "score"),
    [
        ({"epidural": True, "suprasellar_cisterns": "normal"}, -3),
        ({"suprasellar_cisterns": "normal"}, 0),
        (
            {
                "subdural": True,
                "intracerebral": True,
                "mass_over_25ml": True,
                "intraventricular": True,
                "suprasellar_cisterns": "obliterated",
            },
            14,
        ),
        ({"subdural": True, "suprasellar_cisterns": "compressed"}, 3),
    ],
)
def test_helsinki_points_and_equations(inputs, score):
    result = run("helsinki", **inputs)
    assert result.total == score
    assert probability(result, "mortality_6_months") == pytest.approx(
        1 / (1 + math.exp(-(0.287 * score - 2.666)))
    )
    assert probability(result, "unfavourable_6_months") == pytest.approx(
        1 / (1 + math.exp(-(0.319 * score - 1.636)))
    )


def test_helsinki_refuses_a_large_mass_with_no_mass_lesion():
    refused(
        "helsinki", "mass_over_25ml", Problem.INCONSISTENT, mass_over_25ml=True, suprasellar_cisterns="normal"
    )


# --- ICH score and volumes (sections 5 and 10) ---------------------------------------------------
@pytest.mark.parametrize(
    ("inputs", "score", "mortality"),
    [
        ({"gcs": 15, "volume_ml": 29.9, "age": 79}, 0, 0.0),
        ({"gcs": 13, "volume_ml": 30, "age": 50}, 1, 0.13),
        ({"gcs": 12, "volume_ml": 10, "age": 80}, 2, 0.26),
        ({"gcs": 5, "volume_ml": 10, "age": 50, "intraventricular": True, "infratentorial": True}, 3, 0.72),
        ({"gcs": 4, "volume_ml": 30, "age": 50, "intraventricular": True}, 4, 0.97),
        ({"gcs": 3, "volume_ml": 40, "age": 85, "intraventricular": True}, 5, 1.0),
        ({"gcs": 3, "volume_ml": 40, "age": 85, "intraventricular": True, "infratentorial": True}, 6, 1.0),
    ],
)
def test_ich_score_points_and_30_day_mortality(inputs, score, mortality):
    result = run("ich", **inputs)
    assert result.total == score and probability(result, "mortality_30_days") == mortality
    if score == 4:
        assert "ich_score_4_sources_differ" in result.notes
    if score == 6:
        assert "ich_score_6_estimated" in result.notes


def test_abc2_worked_example_and_the_ellipsoid():
    # The worked example (21.6 mL), to floating-point precision: volumes are stored as computed.
    assert run("abc2", a_cm=4.5, b_cm=3.2, c_cm=3).total == pytest.approx(21.6)
    assert run("ellipsoid", a_cm=4.5, b_cm=3.2, c_cm=3).total == math.pi / 6 * 4.5 * 3.2 * 3
    assert run("abc2", a_cm=4.5, b_cm=3.2, slices=6, slice_thickness_mm=5).total == pytest.approx(21.6)


def test_volume_needs_one_way_of_giving_c():
    refused("abc2", "slices", Problem.REQUIRED, a_cm=4, b_cm=3)
    refused("abc2", "slice_thickness_mm", Problem.REQUIRED, a_cm=4, b_cm=3, slices=5)
    refused("abc2", "c_cm", Problem.INCONSISTENT, a_cm=4, b_cm=3, c_cm=2, slices=5)
    refused("abc2", "a_cm", Problem.OUT_OF_RANGE, a_cm=0, b_cm=3, c_cm=2)


# --- SAH (section 8) ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("gcs", "deficit", "grade"),
    [
        (15, False, "I"),
        (14, False, "II"),
        (13, False, "II"),
        (14, True, "III"),
        (13, True, "III"),
        (12, False, "IV"),
        (7, True, "IV"),
        (6, False, "V"),
        (3, True, "V"),
    ],
)
def test_wfns_grades(gcs, deficit, grade):
    assert run("wfns", gcs=gcs, motor_deficit=deficit).band == grade


def test_wfns_does_not_guess_gcs_15_with_a_deficit():
    refused("wfns", "motor_deficit", Problem.UNDEFINED, gcs=15, motor_deficit=True)


@pytest.mark.parametrize(
    ("sah", "ivh", "grade", "vasospasm"),
    [
        ("none", False, 0, 0.0),
        ("thin", False, 1, 0.24),
        ("thin", True, 2, 0.33),
        ("none", True, 2, 0.33),
        ("thick", False, 3, 0.33),
        ("thick", True, 4, 0.40),
    ],
)
def test_modified_fisher(sah, ivh, grade, vasospasm):
    result = run("modified_fisher", sah=sah, intraventricular=ivh)
    assert result.total == grade and probability(result, "symptomatic_vasospasm") == vasospasm


def test_hunt_and_hess_is_entered_and_shows_no_survival():
    result = run("hunt_hess", grade="3")
    assert result.band == "3" and result.probabilities == ()
    refused("hunt_hess", "grade", Problem.NOT_ALLOWED, grade="6")


# --- ETV Success Score (section 6) --------------------------------------------------------------
@pytest.mark.parametrize(
    ("months", "points"),
    [(0, 0), (0.9, 0), (1, 10), (5.9, 10), (6, 30), (11.9, 30), (12, 40), (119, 40), (120, 50), (600, 50)],
)
def test_etv_age_bands_include_their_lower_limit(months, points):
    result = run("etv_success", age_months=months, etiology="postinfectious", previous_shunt=True)
    assert result.total == points


def test_etv_minimum_and_maximum():
    assert run("etv_success", age_months=0.5, etiology="postinfectious", previous_shunt=True).total == 0
    assert (
        run("etv_success", age_months=200, etiology="aqueductal_stenosis", previous_shunt=False).total == 90
    )
    assert run("etv_success", age_months=8, etiology="myelomeningocele", previous_shunt=False).total == 60


# --- decision rules (section 9) ------------------------------------------------------------------
CCHR_OK = {"gcs": 15, "age": 30, "minor_head_injury_signs": True}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"age": 15}, "cchr_under_16"),
        ({"gcs": 12}, "cchr_gcs_below_13"),
        ({"anticoagulation_or_bleeding_disorder": True}, "cchr_anticoagulation"),
        ({"seizure_after_injury": True}, "cchr_seizure"),
        ({"obvious_open_skull_fracture": True}, "cchr_open_fracture"),
        ({"minor_head_injury_signs": False}, "cchr_no_loss_of_consciousness_amnesia_or_disorientation"),
        ({"hours_since_injury": 25}, "cchr_over_24_hours"),
    ],
)
def test_canadian_ct_head_rule_says_when_it_does_not_apply(changes, reason):
    result = run("cchr", **{**CCHR_OK, **changes})
    assert result.band == "not_applicable" and reason in result.notes


@pytest.mark.parametrize(
    ("changes", "band"),
    [
        ({}, "no_ct_needed"),
        ({"age": 16, "gcs": 13}, "no_ct_needed"),
        ({"age": 64}, "no_ct_needed"),
        ({"age": 65}, "ct_high_risk"),
        ({"gcs": 14, "gcs_below_15_at_2_hours": True}, "ct_high_risk"),
        ({"suspected_open_or_depressed_fracture": True}, "ct_high_risk"),
        ({"hours_since_injury": 24}, "no_ct_needed"),
        ({"vomiting_twice_or_more": True}, "ct_high_risk"),
        ({"basal_skull_fracture_signs": True, "dangerous_mechanism": True}, "ct_high_risk"),
        ({"dangerous_mechanism": True}, "ct_medium_risk"),
        ({"amnesia_before_impact_30_minutes": True}, "ct_medium_risk"),
    ],
)
def test_canadian_ct_head_rule_risk_groups(changes, band):
    assert run("cchr", **{**CCHR_OK, **changes}).band == band


@pytest.mark.parametrize(
    ("inputs", "band"),
    [
        ({"age_months": 12, "gcs": 15}, "ct_not_recommended"),
        ({"age_months": 12, "gcs": 14}, "ct_recommended"),
        ({"age_months": 12, "gcs": 15, "palpable_skull_fracture": True}, "ct_recommended"),
        ({"age_months": 12, "gcs": 15, "scalp_haematoma_not_frontal": True}, "observe_or_ct"),
        ({"age_months": 60, "gcs": 15, "basilar_skull_fracture_signs": True}, "ct_recommended"),
        ({"age_months": 60, "gcs": 15, "vomiting": True}, "observe_or_ct"),
        ({"age_months": 23.9, "gcs": 15, "not_acting_normally": True}, "observe_or_ct"),
        ({"age_months": 24.0, "gcs": 15, "vomiting": True}, "observe_or_ct"),  # 24 months is "2 and over"
    ],
)
def test_pecarn_by_age_group(inputs, band):
    assert run("pecarn", hours_since_injury=2, **inputs).band == band


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"age_months": 60, "palpable_skull_fracture": True}, "palpable_skull_fracture"),
        ({"age_months": 24.0, "scalp_haematoma_not_frontal": True}, "scalp_haematoma_not_frontal"),
        ({"age_months": 12, "severe_headache": True}, "severe_headache"),
    ],
)
def test_pecarn_gives_no_answer_when_a_finding_belongs_to_the_other_age_group(inputs, field):
    # "CT not recommended" despite a palpable fracture would be unsafe: the rule is not applied.
    with pytest.raises(InputError) as refused:
        run("pecarn", gcs=15, hours_since_injury=2, **inputs)
    assert refused.value.field == field and refused.value.problem is Problem.UNDEFINED


def test_pecarn_names_an_infant_under_3_months_in_the_intermediate_group():
    young = run("pecarn", age_months=2, gcs=15, hours_since_injury=2, severe_mechanism=True)
    assert young.band == "observe_or_ct" and "younger_than_3_months" in young.notes
    older = run("pecarn", age_months=3, gcs=15, hours_since_injury=2, severe_mechanism=True)
    assert "younger_than_3_months" not in older.notes


@pytest.mark.parametrize(
    ("inputs", "reason"),
    [
        ({"age_months": 60, "gcs": 13}, "pecarn_gcs_below_14"),
        ({"age_months": 216, "gcs": 15}, "pecarn_adult"),
    ],
)
def test_pecarn_says_when_it_does_not_apply(inputs, reason):
    result = run("pecarn", hours_since_injury=2, **inputs)
    assert result.band == "not_applicable" and reason in result.notes
    late = run("pecarn", age_months=60, gcs=15, hours_since_injury=24.5)
    assert "pecarn_over_24_hours" in late.notes
    assert run("pecarn", age_months=60, gcs=15, hours_since_injury=24).band == "ct_not_recommended"


# --- other scales (section 11) ------------------------------------------------------------------
def test_four_score_range():
    assert run("four", eye=0, motor=0, brainstem=0, respiration=0).total == 0
    assert run("four", eye=4, motor=4, brainstem=4, respiration=4).total == 16
    refused("four", "brainstem", Problem.OUT_OF_RANGE, eye=4, motor=4, brainstem=5, respiration=4)


def test_karnofsky_steps_of_ten():
    assert run("karnofsky", score=70).band == "70"
    refused("karnofsky", "score", Problem.NOT_ALLOWED, score=75)
    refused("karnofsky", "score", Problem.OUT_OF_RANGE, score=110)


@pytest.mark.parametrize(
    ("level", "note"),
    [(1, "gose_unfavourable"), (4, "gose_unfavourable"), (5, "gose_favourable"), (8, "gose_favourable")],
)
def test_gose_favourable_split(level, note):
    assert note in run("gose", level=level).notes


def test_gos_and_asia():
    assert "gos_unfavourable" in run("gos", level=3).notes and "gos_favourable" in run("gos", level=4).notes
    assert run("asia", grade="C").band == "C"
    refused("asia", "grade", Problem.NOT_ALLOWED, grade="F")


def test_every_calculator_has_a_version_and_a_reference():
    for calculator in CALCULATORS.values():
        assert calculator.version and calculator.references and calculator.fields, calculator.code


def test_crash_is_not_implemented():
    assert not any(code.startswith("crash") for code in CALCULATORS)
