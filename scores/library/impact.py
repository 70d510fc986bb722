"""IMPACT prognostic models, the continuous version (REFERENCES.md section 4).

Coefficients from the authors' "Coefficients model fit 2006" as transcribed in REFERENCES.md;
never adjusted. The mortality and unfavourable-outcome models were fitted separately, so for
some inputs mortality exceeds unfavourable outcome: both are reported as computed, with a note.
"""

from __future__ import annotations

from typing import Any

from scores.library.base import Calculator, Field, Kind, Part, Probability, Reference, Result, logistic

REFERENCE = Reference(
    "Steyerberg EW, Mushkudiani N, Perel P, et al. Predicting outcome after traumatic brain injury: development "
    "and international validation of prognostic scores based on admission characteristics. PLoS Med "
    "2008;5(8):e165.",
    doi="10.1371/journal.pmed.0050165",
)

MOTOR = ("1", "2", "3", "4", "5", "6", "untestable")
PUPILS = ("both", "one", "none")  # how many pupils react to light
MARSHALL = ("I", "II", "III", "IV", "V", "VI")

# (mortality, unfavourable) per model; terms absent from a model are simply not listed.
COEFFICIENTS: dict[str, dict[str, tuple[float, float]]] = {
    "core": {
        "intercept": (-3.109, -2.644),
        "age": (0.034, 0.038),
        "motor_1": (1.447, 1.393),
        "motor_2": (1.397, 2.078),
        "motor_3": (0.797, 1.266),
        "motor_4": (0.390, 0.632),
        "motor_untestable": (0.522, 0.885),
        "pupils_one": (0.514, 0.592),
        "pupils_none": (1.239, 1.216),
    },
    "extended": {
        "intercept": (-3.787, -3.023),
        "age": (0.032, 0.033),
        "motor_1": (1.205, 1.218),
        "motor_2": (1.207, 1.852),
        "motor_3": (0.746, 1.185),
        "motor_4": (0.313, 0.575),
        "motor_untestable": (0.425, 0.837),
        "pupils_one": (0.334, 0.442),
        "pupils_none": (0.970, 1.003),
        "marshall_I": (-0.298, -0.530),
        "marshall_III_IV": (0.774, 0.543),
        "marshall_V_VI": (0.651, 0.497),
        "traumatic_sah": (0.606, 0.567),
        "epidural_haematoma": (-0.379, -0.572),
        "hypoxia": (0.237, 0.316),
        "hypotension": (0.667, 0.614),
    },
    "lab": {
        "intercept": (-3.184, -2.470),
        "age": (0.020, 0.029),
        "motor_1": (0.965, 1.105),
        "motor_2": (1.109, 1.801),
        "motor_3": (0.778, 1.186),
        "motor_4": (0.310, 0.548),
        "motor_untestable": (0.462, 0.059),
        "pupils_one": (0.090, 0.201),
        "pupils_none": (0.533, 0.712),
        "marshall_I": (-0.150, -0.567),
        "marshall_III_IV": (0.715, 0.508),
        "marshall_V_VI": (0.807, 0.571),
        "traumatic_sah": (0.740, 0.666),
        "epidural_haematoma": (-0.510, -0.687),
        "hypoxia": (0.360, 0.396),
        "hypotension": (0.366, 0.440),
        "glucose": (0.097, 0.085),
        "haemoglobin": (-0.086, -0.092),
    },
}

# Input ranges are plausibility limits for entry, not part of the model.
CORE_FIELDS = (
    Field("age", Kind.NUMBER, minimum=0, maximum=120, unit="years"),
    Field("motor", Kind.CHOICE, choices=MOTOR),
    Field("pupils", Kind.CHOICE, choices=PUPILS),
)
EXTENDED_FIELDS = (
    *CORE_FIELDS,
    Field("marshall", Kind.CHOICE, choices=MARSHALL),
    Field("traumatic_sah", Kind.BOOLEAN, required=False),
    Field("epidural_haematoma", Kind.BOOLEAN, required=False),
    Field("hypoxia", Kind.BOOLEAN, required=False),
    Field("hypotension", Kind.BOOLEAN, required=False),
)
LAB_FIELDS = (
    *EXTENDED_FIELDS,
    Field("glucose", Kind.NUMBER, minimum=1, maximum=60, unit="mmol/L"),
    Field("haemoglobin", Kind.NUMBER, minimum=2, maximum=25, unit="g/dL"),
)


def _terms(model: str, values: dict[str, Any]) -> list[tuple[str, str, Any, float]]:
    """(input, coefficient name, value, multiplier) for each term that applies."""
    terms: list[tuple[str, str, Any, float]] = [("age", "age", values["age"], float(values["age"]))]
    motor = values["motor"]
    if motor in ("1", "2", "3", "4", "untestable"):
        terms.append(("motor", f"motor_{motor}", motor, 1.0))  # 5 and 6 are the reference
    if values["pupils"] != "both":
        terms.append(("pupils", f"pupils_{values['pupils']}", values["pupils"], 1.0))
    if model in ("extended", "lab"):
        marshall = values["marshall"]
        group = {
            "I": "marshall_I",
            "III": "marshall_III_IV",
            "IV": "marshall_III_IV",
            "V": "marshall_V_VI",
            "VI": "marshall_V_VI",
        }.get(marshall)
        if group:
            terms.append(("marshall", group, marshall, 1.0))  # class II is the reference
        for flag in ("traumatic_sah", "epidural_haematoma", "hypoxia", "hypotension"):
            if values.get(flag):
                terms.append((flag, flag, True, 1.0))
    if model == "lab":
        terms.append(("glucose", "glucose", values["glucose"], float(values["glucose"])))
        terms.append(("haemoglobin", "haemoglobin", values["haemoglobin"], float(values["haemoglobin"])))
    return terms


def _compute(model: str, values: dict[str, Any]) -> Result:
    table = COEFFICIENTS[model]
    terms = _terms(model, values)
    mortality_lp = table["intercept"][0] + sum(table[name][0] * x for _i, name, _v, x in terms)
    unfavourable_lp = table["intercept"][1] + sum(table[name][1] * x for _i, name, _v, x in terms)
    mortality, unfavourable = logistic(mortality_lp), logistic(unfavourable_lp)
    notes = ["impact_population", "impact_lmic_calibration"]
    if values["age"] < 18:
        notes.append("impact_not_for_children")
    if mortality > unfavourable:
        notes.append("impact_models_fitted_separately")
    # Parts show each term's contribution to the mortality model's linear predictor.
    parts = tuple(Part(item, value, round(table[name][0] * x, 3)) for item, name, value, x in terms)
    return Result(
        score=f"impact_{model}",
        version=f"impact-continuous-2006/{model}/1",
        total=None,
        parts=parts,
        probabilities=(
            Probability("mortality_6_months", mortality),
            Probability("unfavourable_6_months", unfavourable),
        ),
        notes=tuple(notes),
        references=(REFERENCE,),
    )


IMPACT_CORE = Calculator(
    "impact_core",
    "impact-continuous-2006/core/1",
    CORE_FIELDS,
    lambda v: _compute("core", v),
    (REFERENCE,),
    "prognosis",
)
IMPACT_EXTENDED = Calculator(
    "impact_extended",
    "impact-continuous-2006/extended/1",
    EXTENDED_FIELDS,
    lambda v: _compute("extended", v),
    (REFERENCE,),
    "prognosis",
)
IMPACT_LAB = Calculator(
    "impact_lab",
    "impact-continuous-2006/lab/1",
    LAB_FIELDS,
    lambda v: _compute("lab", v),
    (REFERENCE,),
    "prognosis",
)
