"""CT classifications: Marshall, Rotterdam and Helsinki (REFERENCES.md section 7)."""

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
    Unverified,
    logistic,
)

MARSHALL_REFERENCE = Reference(
    "Marshall LF et al. A new classification of head injury based on computerized tomography. "
    "J Neurosurg 1991 (supplement), Table 1.",
    note="Mortality by class is not shown: the published sets conflict (REFERENCES.md 7a).",
    unverified=Unverified.DETAILS,  # REFERENCES.md 7a: full citation not verified
)
ROTTERDAM_REFERENCE = Reference(
    "Maas AIR, Hukkelhoven CWPM, Marshall LF, Steyerberg EW. Prediction of outcome in traumatic brain injury "
    "with computed tomographic characteristics. Neurosurgery 2005;57(6):1173-82.",
    doi="10.1227/01.neu.0000186013.63046.6b",
)
HELSINKI_REFERENCE = Reference(
    "Raj R, Siironen J, Skrifvars MB, et al. Predicting outcome in traumatic brain injury: development of a novel "
    "computerized tomography classification system (Helsinki computerized tomography score). "
    "Neurosurgery 2014;75(6):632-646.",
    doi="10.1227/NEU.0000000000000533",
    unverified=Unverified.CITATION_AND_DOI,  # REFERENCES.md 7c: as quoted in a docstring
    note="Equations from a single secondary source (REFERENCES.md 7c).",
)

CISTERNS = ("normal", "compressed", "absent")


def compute_marshall(values: dict[str, Any]) -> Result:
    shift, cisterns = values["midline_shift_mm"], values["basal_cisterns"]
    if not values["visible_pathology"] and (shift > 0 or cisterns != "normal" or values["lesion_over_25ml"]):
        raise InputError("visible_pathology", Problem.INCONSISTENT)
    if values["evacuated_lesion"]:
        grade = "V"
    elif values["lesion_over_25ml"]:
        grade = "VI"
    elif shift > 5:
        grade = "IV"
    elif cisterns != "normal":
        grade = "III"
    elif values["visible_pathology"]:
        grade = "II"
    else:
        grade = "I"
    parts = tuple(Part(name, values[name], None) for name in values)
    return Result("marshall", MARSHALL.version, None, parts, band=grade, references=(MARSHALL_REFERENCE,))


MARSHALL = Calculator(
    "marshall",
    "marshall/1991/1",
    (
        Field("visible_pathology", Kind.BOOLEAN, required=False),
        Field("basal_cisterns", Kind.CHOICE, choices=CISTERNS),
        Field("midline_shift_mm", Kind.NUMBER, minimum=0, maximum=30, unit="mm"),
        Field("lesion_over_25ml", Kind.BOOLEAN, required=False),  # high or mixed density, not evacuated
        Field("evacuated_lesion", Kind.BOOLEAN, required=False),
    ),
    compute_marshall,
    (MARSHALL_REFERENCE,),
    family="ct",
)

# Adults, 6-month mortality by Rotterdam score (REFERENCES.md 7b).
ROTTERDAM_MORTALITY = {1: 0.0, 2: 0.07, 3: 0.16, 4: 0.26, 5: 0.53, 6: 0.61}


def compute_rotterdam(values: dict[str, Any]) -> Result:
    parts = (
        Part("basal_cisterns", values["basal_cisterns"], CISTERNS.index(values["basal_cisterns"])),
        Part(
            "midline_shift_over_5mm",
            values["midline_shift_over_5mm"],
            1 if values["midline_shift_over_5mm"] else 0,
        ),
        Part("epidural_mass", values["epidural_mass"], 0 if values["epidural_mass"] else 1),
        Part(
            "ivh_or_traumatic_sah", values["ivh_or_traumatic_sah"], 1 if values["ivh_or_traumatic_sah"] else 0
        ),
    )
    total = sum(int(p.points or 0) for p in parts) + 1
    return Result(
        "rotterdam",
        ROTTERDAM.version,
        total,
        parts,
        probabilities=(Probability("mortality_6_months", ROTTERDAM_MORTALITY[total]),),
        notes=("rotterdam_adults_first_ct",),
        references=(ROTTERDAM_REFERENCE,),
    )


ROTTERDAM = Calculator(
    "rotterdam",
    "rotterdam/2005/1",
    (
        Field("basal_cisterns", Kind.CHOICE, choices=CISTERNS),
        Field("midline_shift_over_5mm", Kind.BOOLEAN, required=False),
        Field("epidural_mass", Kind.BOOLEAN, required=False),
        Field("ivh_or_traumatic_sah", Kind.BOOLEAN, required=False),
    ),
    compute_rotterdam,
    (ROTTERDAM_REFERENCE,),
    family="ct",
)

HELSINKI_CISTERNS = {"normal": 0, "compressed": 1, "obliterated": 5}


def compute_helsinki(values: dict[str, Any]) -> Result:
    if values["mass_over_25ml"] and not (values["subdural"] or values["intracerebral"] or values["epidural"]):
        raise InputError("mass_over_25ml", Problem.INCONSISTENT)
    parts = (
        Part("subdural", values["subdural"], 2 if values["subdural"] else 0),
        Part("intracerebral", values["intracerebral"], 2 if values["intracerebral"] else 0),
        Part("epidural", values["epidural"], -3 if values["epidural"] else 0),
        Part("mass_over_25ml", values["mass_over_25ml"], 2 if values["mass_over_25ml"] else 0),
        Part("intraventricular", values["intraventricular"], 3 if values["intraventricular"] else 0),
        Part(
            "suprasellar_cisterns",
            values["suprasellar_cisterns"],
            HELSINKI_CISTERNS[values["suprasellar_cisterns"]],
        ),
    )
    total = sum(int(p.points or 0) for p in parts)
    return Result(
        "helsinki",
        HELSINKI.version,
        total,
        parts,
        probabilities=(
            Probability("mortality_6_months", logistic(0.287 * total - 2.666)),
            Probability("unfavourable_6_months", logistic(0.319 * total - 1.636)),
        ),
        references=(HELSINKI_REFERENCE,),
    )


HELSINKI = Calculator(
    "helsinki",
    "helsinki/2014/1",
    (
        Field("subdural", Kind.BOOLEAN, required=False),
        Field("intracerebral", Kind.BOOLEAN, required=False),
        Field("epidural", Kind.BOOLEAN, required=False),
        Field("mass_over_25ml", Kind.BOOLEAN, required=False),
        Field("intraventricular", Kind.BOOLEAN, required=False),
        Field("suprasellar_cisterns", Kind.CHOICE, choices=tuple(HELSINKI_CISTERNS)),
    ),
    compute_helsinki,
    (HELSINKI_REFERENCE,),
    family="ct",
)
