"""Haemorrhage: ICH score, ABC/2 and ellipsoid volume, SAH grades (REFERENCES.md 5, 8, 10)."""

from __future__ import annotations

import math
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
)

ICH_REFERENCE = Reference(
    "Hemphill JC 3rd, Bonovich DC, Besmertis L, Manley GT, Johnston SC. The ICH score: a simple, reliable grading "
    "scale for intracerebral hemorrhage. Stroke 2001;32(4):891-7.",
    doi="10.1161/01.str.32.4.891",
    unverified=Unverified.DOI,  # REFERENCES.md 5: as quoted in code docstrings
)
# 30-day mortality by ICH score; 6 is estimated (no patient scored 6 in the derivation cohort).
ICH_MORTALITY = {0: 0.0, 1: 0.13, 2: 0.26, 3: 0.72, 4: 0.97, 5: 1.0, 6: 1.0}


def compute_ich(values: dict[str, Any]) -> Result:
    gcs = values["gcs"]
    parts = (
        Part("gcs", gcs, 2 if gcs <= 4 else 1 if gcs <= 12 else 0),
        Part("volume_ml", values["volume_ml"], 1 if values["volume_ml"] >= 30 else 0),
        Part("intraventricular", values["intraventricular"], 1 if values["intraventricular"] else 0),
        Part("infratentorial", values["infratentorial"], 1 if values["infratentorial"] else 0),
        Part("age", values["age"], 1 if values["age"] >= 80 else 0),
    )
    total = sum(int(p.points or 0) for p in parts)
    notes = []
    if total == 4:
        notes.append("ich_score_4_sources_differ")  # 97 % in most sources, 94 % in one
    if total == 6:
        notes.append("ich_score_6_estimated")
    return Result(
        "ich",
        ICH.version,
        total,
        parts,
        probabilities=(Probability("mortality_30_days", ICH_MORTALITY[total]),),
        notes=tuple(notes),
        references=(ICH_REFERENCE,),
    )


ICH = Calculator(
    "ich",
    "ich/hemphill-2001/1",
    (
        Field("gcs", Kind.INTEGER, minimum=3, maximum=15),
        Field("volume_ml", Kind.NUMBER, minimum=0, maximum=300, unit="mL"),
        Field("intraventricular", Kind.BOOLEAN, required=False),
        Field("infratentorial", Kind.BOOLEAN, required=False),
        Field("age", Kind.INTEGER, minimum=0, maximum=120, unit="years"),
    ),
    compute_ich,
    (ICH_REFERENCE,),
    family="haemorrhage",
)

VOLUME_REFERENCE = Reference(
    "Kothari RU, Brott T, Broderick JP, et al. The ABCs of measuring intracerebral hemorrhage volumes. "
    "Stroke 1996;27(8):1304-5."
)
VOLUME_FIELDS = (
    Field("a_cm", Kind.NUMBER, minimum=0.1, maximum=20, unit="cm"),
    Field("b_cm", Kind.NUMBER, minimum=0.1, maximum=20, unit="cm"),
    # C: the cranio-caudal extent, or the number of slices with bleeding times the slice thickness.
    Field("c_cm", Kind.NUMBER, minimum=0.1, maximum=20, unit="cm", required=False),
    Field("slices", Kind.INTEGER, minimum=1, maximum=200, required=False),
    Field("slice_thickness_mm", Kind.NUMBER, minimum=0.5, maximum=10, unit="mm", required=False),
)


def _c(values: dict[str, Any]) -> tuple[float, tuple[Part, ...]]:
    c, slices, thickness = values["c_cm"], values["slices"], values["slice_thickness_mm"]
    if c is not None and (slices is not None or thickness is not None):
        raise InputError("c_cm", Problem.INCONSISTENT)  # give C, or slices and thickness, not both
    if c is None:
        if slices is None:
            raise InputError("slices", Problem.REQUIRED)
        if thickness is None:
            raise InputError("slice_thickness_mm", Problem.REQUIRED)
        c = slices * thickness / 10
        return c, (Part("slices", slices, None), Part("slice_thickness_mm", thickness, None))
    return c, (Part("c_cm", c, None),)


def _volume(code: str, factor: float, values: dict[str, Any], version: str, note: str) -> Result:
    c, c_parts = _c(values)
    volume = factor * values["a_cm"] * values["b_cm"] * c
    return Result(
        code,
        version,
        volume,  # as computed; rounded to 0.1 mL only for display
        (Part("a_cm", values["a_cm"], None), Part("b_cm", values["b_cm"], None), *c_parts),
        notes=(note,),
        references=(VOLUME_REFERENCE,),
    )


ABC2 = Calculator(
    "abc2",
    "abc2/kothari-1996/2",
    VOLUME_FIELDS,
    lambda v: _volume("abc2", 0.5, v, "abc2/kothari-1996/2", "abc2_overestimates_slightly"),
    (VOLUME_REFERENCE,),
    family="haemorrhage",
)
ELLIPSOID = Calculator(
    "ellipsoid",
    "ellipsoid/pi-over-6/2",
    VOLUME_FIELDS,
    lambda v: _volume("ellipsoid", math.pi / 6, v, "ellipsoid/pi-over-6/2", "ellipsoid_exact_formula"),
    (VOLUME_REFERENCE,),
    family="haemorrhage",
)

WFNS_REFERENCE = Reference(
    "Report of World Federation of Neurological Surgeons Committee on a Universal Subarachnoid Hemorrhage Grading "
    "Scale (Drake CG et al.). J Neurosurg 1988.",
    note="Grades as tabulated by Suarez et al.; GCS 15 with a motor deficit is not defined.",
    unverified=Unverified.DETAILS,  # REFERENCES.md 8a: citation not verified, paper not read
)


def compute_wfns(values: dict[str, Any]) -> Result:
    gcs, deficit = values["gcs"], values["motor_deficit"]
    if gcs == 15 and deficit:
        raise InputError("motor_deficit", Problem.UNDEFINED)  # the scale does not grade this
    if gcs == 15:
        grade = "I"
    elif gcs >= 13:
        grade = "III" if deficit else "II"
    elif gcs >= 7:
        grade = "IV"
    else:
        grade = "V"
    parts = (Part("gcs", gcs, None), Part("motor_deficit", deficit, None))
    return Result("wfns", WFNS.version, None, parts, band=grade, references=(WFNS_REFERENCE,))


WFNS = Calculator(
    "wfns",
    "wfns/1988/1",
    (Field("gcs", Kind.INTEGER, minimum=3, maximum=15), Field("motor_deficit", Kind.BOOLEAN, required=False)),
    compute_wfns,
    (WFNS_REFERENCE,),
    family="haemorrhage",
)

HUNT_HESS_REFERENCE = Reference(
    "Hunt WE, Hess RM. Surgical risk as related to time of intervention in the repair of intracranial aneurysms. "
    "J Neurosurg 1968.",
    note="Assigned by the clinician from the description; survival figures are not shown (source unclear).",
    unverified=Unverified.DETAILS,  # REFERENCES.md 8b
)


def compute_hunt_hess(values: dict[str, Any]) -> Result:
    grade = values["grade"]
    return Result(
        "hunt_hess",
        HUNT_HESS.version,
        int(grade),
        (Part("grade", grade, None),),
        band=grade,
        references=(HUNT_HESS_REFERENCE,),
    )


HUNT_HESS = Calculator(
    "hunt_hess",
    "hunt-hess/1968/1",
    (Field("grade", Kind.CHOICE, choices=("1", "2", "3", "4", "5")),),
    compute_hunt_hess,
    (HUNT_HESS_REFERENCE,),
    family="haemorrhage",
)

FISHER_REFERENCE = Reference(
    "Frontera JA, Claassen J, Schmidt JM, et al. Prediction of symptomatic vasospasm after subarachnoid "
    "hemorrhage: the modified Fisher scale. Neurosurgery 2006.",
    note="Thin and thick are not precisely defined in the original; 1 mm is the common cut-off.",
    unverified=Unverified.DETAILS,  # REFERENCES.md 8c
)
VASOSPASM = {0: 0.0, 1: 0.24, 2: 0.33, 3: 0.33, 4: 0.40}


def compute_modified_fisher(values: dict[str, Any]) -> Result:
    sah, ivh = values["sah"], values["intraventricular"]
    if sah == "thick":
        grade = 4 if ivh else 3
    elif ivh:
        grade = 2  # IVH with thin or no SAH
    else:
        grade = 1 if sah == "thin" else 0
    return Result(
        "modified_fisher",
        MODIFIED_FISHER.version,
        grade,
        (Part("sah", sah, None), Part("intraventricular", ivh, None)),
        probabilities=(Probability("symptomatic_vasospasm", VASOSPASM[grade]),),
        references=(FISHER_REFERENCE,),
    )


MODIFIED_FISHER = Calculator(
    "modified_fisher",
    "modified-fisher/2006/1",
    (
        Field("sah", Kind.CHOICE, choices=("none", "thin", "thick")),
        Field("intraventricular", Kind.BOOLEAN, required=False),
    ),
    compute_modified_fisher,
    (FISHER_REFERENCE,),
    family="haemorrhage",
)
