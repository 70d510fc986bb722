"""ETV Success Score (REFERENCES.md section 6)."""

from __future__ import annotations

from typing import Any

from scores.library.base import Calculator, Field, Kind, Part, Reference, Result

REFERENCES = (
    Reference(
        "Kulkarni AV, Drake JM, Kestle JW, Mallucci CL, Sgouros S, Constantini S. Predicting who will benefit from "
        "endoscopic third ventriculostomy compared with shunt insertion in childhood hydrocephalus using the ETV "
        "Success Score. J Neurosurg Pediatr 2010;6(4):310-315.",
        doi="10.3171/2010.8.PEDS103",
    ),
    Reference(
        "Durnford AJ, Kirkham FJ, Mathad N, Sparrow OC. Endoscopic third ventriculostomy in the treatment of "
        "childhood hydrocephalus: validation of a success score that predicts long-term outcome. "
        "J Neurosurg Pediatr 2011;8(5):489-93.",
        doi="10.3171/2011.8.PEDS1166",
    ),
)
ETIOLOGY_POINTS = {
    "postinfectious": 0,
    "myelomeningocele": 20,
    "intraventricular_haemorrhage": 20,
    "non_tectal_tumour": 20,
    "aqueductal_stenosis": 30,
    "tectal_tumour": 30,
    "other": 30,
}


def age_points(months: float) -> int:
    # The published table leaves the exact boundaries open; each band here includes its lower
    # limit (1 month counts as 1–6 months, 6 months as 6–12 months, 12 months as 1–10 years).
    if months < 1:
        return 0
    if months < 6:
        return 10
    if months < 12:
        return 30
    if months < 120:
        return 40
    return 50


def compute_etv(values: dict[str, Any]) -> Result:
    parts = (
        Part("age_months", values["age_months"], age_points(values["age_months"])),
        Part("etiology", values["etiology"], ETIOLOGY_POINTS[values["etiology"]]),
        Part("previous_shunt", values["previous_shunt"], 0 if values["previous_shunt"] else 10),
    )
    total = sum(int(p.points or 0) for p in parts)
    return Result(
        "etv_success",
        ETV_SUCCESS.version,
        total,
        parts,
        notes=("etv_score_is_percent_success_6_months", "etv_age_boundaries_lower_inclusive"),
        references=REFERENCES,
    )


ETV_SUCCESS = Calculator(
    "etv_success",
    "etvss/kulkarni/1",
    (
        Field("age_months", Kind.NUMBER, minimum=0, maximum=1200, unit="months"),
        Field("etiology", Kind.CHOICE, choices=tuple(ETIOLOGY_POINTS)),
        Field("previous_shunt", Kind.BOOLEAN, required=False),
    ),
    compute_etv,
    REFERENCES,
    family="hydrocephalus",
)
