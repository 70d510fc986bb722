"""Head CT decision rules: Canadian CT Head Rule and PECARN (REFERENCES.md section 9).

Each rule first says whether it applies and, if not, why; then which findings decide.
"""

from __future__ import annotations

from typing import Any

from scores.library.base import (
    Calculator,
    Field,
    InputError,
    Kind,
    Part,
    Probability,
    Problem,
    Reference,
    Result,
)

CCHR_REFERENCE = Reference(
    "Stiell IG, Wells GA, Vandemheen K, et al. The Canadian CT Head Rule for patients with minor head injury. "
    "Lancet 2001;357(9266):1391-6.",
    note="Dangerous mechanism taken as a fall from 3 feet (0.91 m) or 5 stairs or more.",
)
PECARN_REFERENCE = Reference(
    "Kuppermann N, Holmes JF, Dayan PS, et al. Identification of children at very low risk of clinically-important "
    "brain injuries after head trauma: a prospective cohort study. Lancet 2009;374(9696):1160-70."
)

CCHR_HIGH = (
    "gcs_below_15_at_2_hours",
    "suspected_open_or_depressed_fracture",
    "basal_skull_fracture_signs",
    "vomiting_twice_or_more",
)
CCHR_MEDIUM = ("amnesia_before_impact_30_minutes", "dangerous_mechanism")


def compute_cchr(values: dict[str, Any]) -> Result:
    reasons = []
    if values["gcs"] < 13:
        reasons.append("cchr_gcs_below_13")
    if not values["minor_head_injury_signs"]:
        reasons.append("cchr_no_loss_of_consciousness_amnesia_or_disorientation")
    if values["age"] < 16:
        reasons.append("cchr_under_16")
    if values["anticoagulation_or_bleeding_disorder"]:
        reasons.append("cchr_anticoagulation")
    if values["seizure_after_injury"]:
        reasons.append("cchr_seizure")
    if values["obvious_open_skull_fracture"]:
        reasons.append("cchr_open_fracture")
    if values["hours_since_injury"] is not None and values["hours_since_injury"] > 24:
        reasons.append("cchr_over_24_hours")
    parts = tuple(Part(name, values[name], None) for name in (*CCHR_HIGH, *CCHR_MEDIUM))
    if reasons:
        return Result(
            "cchr",
            CCHR.version,
            None,
            parts,
            band="not_applicable",
            notes=tuple(reasons),
            references=(CCHR_REFERENCE,),
        )
    high = [name for name in CCHR_HIGH if values[name]] + (["age_65_or_older"] if values["age"] >= 65 else [])
    medium = [name for name in CCHR_MEDIUM if values[name]]
    band = "ct_high_risk" if high else "ct_medium_risk" if medium else "no_ct_needed"
    return Result(
        "cchr", CCHR.version, None, parts, band=band, notes=tuple(high + medium), references=(CCHR_REFERENCE,)
    )


CCHR = Calculator(
    "cchr",
    "cchr/stiell-2001/1",
    (
        Field("gcs", Kind.INTEGER, minimum=3, maximum=15),
        Field("age", Kind.INTEGER, minimum=0, maximum=120, unit="years"),
        Field("minor_head_injury_signs", Kind.BOOLEAN, required=False),
        Field("anticoagulation_or_bleeding_disorder", Kind.BOOLEAN, required=False),
        Field("seizure_after_injury", Kind.BOOLEAN, required=False),
        Field("obvious_open_skull_fracture", Kind.BOOLEAN, required=False),
        Field("hours_since_injury", Kind.NUMBER, minimum=0, maximum=720, unit="hours", required=False),
        *(Field(name, Kind.BOOLEAN, required=False) for name in (*CCHR_HIGH, *CCHR_MEDIUM)),
    ),
    compute_cchr,
    (CCHR_REFERENCE,),
    family="rules",
)

UNDER_TWO_HIGH = ("altered_mental_status", "palpable_skull_fracture")
UNDER_TWO_INTERMEDIATE = (
    "scalp_haematoma_not_frontal",
    "loss_of_consciousness_5_seconds",
    "severe_mechanism",
    "not_acting_normally",
)
OVER_TWO_HIGH = ("altered_mental_status", "basilar_skull_fracture_signs")
OVER_TWO_INTERMEDIATE = ("loss_of_consciousness", "vomiting", "severe_headache", "severe_mechanism")
# The published risk of a clinically important TBI in each group (REFERENCES.md 9b): under two
# years, then from two. "CT not recommended" is published as an upper bound ("less than").
PECARN_RISK = {
    True: {"ct_recommended": 0.044, "observe_or_ct": 0.009, "ct_not_recommended": 0.0002},
    False: {"ct_recommended": 0.043, "observe_or_ct": 0.009, "ct_not_recommended": 0.0005},
}
PECARN_FLAGS = tuple(
    dict.fromkeys(UNDER_TWO_HIGH + UNDER_TWO_INTERMEDIATE + OVER_TWO_HIGH + OVER_TWO_INTERMEDIATE)
)


def compute_pecarn(values: dict[str, Any]) -> Result:
    reasons = []
    if values["gcs"] < 14:
        reasons.append("pecarn_gcs_below_14")
    if values["age_months"] >= 216:
        reasons.append("pecarn_adult")
    if values["hours_since_injury"] > 24:
        reasons.append("pecarn_over_24_hours")
    under_two = values["age_months"] < 24
    high_items = UNDER_TWO_HIGH if under_two else OVER_TWO_HIGH
    intermediate_items = UNDER_TWO_INTERMEDIATE if under_two else OVER_TWO_INTERMEDIATE
    own = set(high_items) | set(intermediate_items)
    for name in PECARN_FLAGS:
        # A finding that only the other age group's rule uses cannot be weighed by this rule:
        # answering "CT not recommended" despite it would be unsafe, so no answer is given.
        if values[name] and name not in own:
            raise InputError(name, Problem.UNDEFINED)
    parts = tuple(Part(name, values[name], None) for name in (*high_items, *intermediate_items))
    group = "pecarn_under_2" if under_two else "pecarn_2_and_over"
    if reasons:
        return Result(
            "pecarn",
            PECARN.version,
            None,
            parts,
            band="not_applicable",
            notes=(group, *reasons),
            references=(PECARN_REFERENCE,),
        )
    high = [n for n in high_items if values[n]] + (["gcs_14"] if values["gcs"] == 14 else [])
    intermediate = [n for n in intermediate_items if values[n]]
    if values["age_months"] < 3 and intermediate:
        intermediate.append("younger_than_3_months")  # weighs toward CT in the intermediate group
    band = "ct_recommended" if high else "observe_or_ct" if intermediate else "ct_not_recommended"
    risk = Probability(
        "clinically_important_tbi", PECARN_RISK[under_two][band], below=band == "ct_not_recommended"
    )
    return Result(
        "pecarn",
        PECARN.version,
        None,
        parts,
        band=band,
        probabilities=(risk,),
        notes=(group, *high, *intermediate),
        references=(PECARN_REFERENCE,),
    )


PECARN = Calculator(
    "pecarn",
    "pecarn/kuppermann-2009/2",
    (
        Field("age_months", Kind.NUMBER, minimum=0, maximum=300, unit="months"),
        Field("gcs", Kind.INTEGER, minimum=3, maximum=15),
        Field("hours_since_injury", Kind.NUMBER, minimum=0, maximum=720, unit="hours"),
        *(Field(name, Kind.BOOLEAN, required=False) for name in PECARN_FLAGS),
    ),
    compute_pecarn,
    (PECARN_REFERENCE,),
    family="rules",
)
