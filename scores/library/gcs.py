"""Glasgow Coma Scale and GCS-Pupils (REFERENCES.md sections 1 and 2)."""

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
)

NT = "NT"
GCS_REFERENCES = (
    Reference(
        "Teasdale G, Jennett B. Assessment of coma and impaired consciousness. A practical scale. "
        "Lancet 1974;2(7872):81-84."
    ),
    Reference(
        "Teasdale G, Maas A, Lecky F, Manley G, Stocchetti N, Murray G. The Glasgow Coma Scale at 40 years. "
        "Lancet Neurol 2014;13:844-54.",
        doi="10.1016/S1474-4422(14)70120-6",
        unverified=Unverified.DOI,  # REFERENCES.md 1: as quoted in a docstring
    ),
)
GCS_P_REFERENCE = Reference(
    "Brennan PM, Murray GD, Teasdale GM. Simplifying the use of prognostic information in traumatic brain "
    "injury. Part 1: The GCS-Pupils score. J Neurosurg 2018;128(6):1612-1620.",
    doi="10.3171/2017.12.JNS172780",
)

EYE = ("1", "2", "3", "4", NT)
VERBAL = ("1", "2", "3", "4", "5", NT)
MOTOR = ("1", "2", "3", "4", "5", "6", NT)

GCS_FIELDS = (
    Field("eye", Kind.CHOICE, choices=EYE),
    Field("verbal", Kind.CHOICE, choices=VERBAL),
    Field("motor", Kind.CHOICE, choices=MOTOR),
    # A total written by the referrer may be checked against its components.
    Field("stated_total", Kind.INTEGER, minimum=3, maximum=15, required=False),
)

# The only outcome figures verified for GCS-P: its two ends (REFERENCES.md 2, secondary source).
GCS_P_ENDPOINTS = {1: (0.7445, 0.8959), 15: (0.0254, 0.1175)}


def severity(total: int) -> str:
    if total <= 8:
        return "severe"
    if total <= 12:
        return "moderate"
    return "mild"


def components(values: dict[str, Any]) -> tuple[tuple[Part, ...], int | None]:
    parts = tuple(
        Part(name, values[name], None if values[name] == NT else int(values[name]))
        for name in ("eye", "verbal", "motor")
    )
    if any(p.points is None for p in parts):
        return parts, None  # the scale's authors: no total when a component is not testable
    return parts, sum(int(p.points or 0) for p in parts)


def compute_gcs(values: dict[str, Any]) -> Result:
    parts, total = components(values)
    stated = values.get("stated_total")
    if stated is not None and (total is None or stated != total):
        raise InputError("stated_total", Problem.INCONSISTENT, other=total)
    return Result(
        score="gcs",
        version=GCS.version,
        total=total,
        parts=parts,
        band=severity(total) if total is not None else None,
        notes=() if total is not None else ("gcs_not_testable_no_total",),
        references=GCS_REFERENCES,
    )


GCS = Calculator("gcs", "gcs/1974+2014/1", GCS_FIELDS, compute_gcs, GCS_REFERENCES, family="consciousness")


GCS_P_FIELDS = (
    Field("eye", Kind.CHOICE, choices=EYE),
    Field("verbal", Kind.CHOICE, choices=VERBAL),
    Field("motor", Kind.CHOICE, choices=MOTOR),
    Field("pupils_examined", Kind.INTEGER, minimum=0, maximum=2),
    Field("pupils_unreactive", Kind.INTEGER, minimum=0, maximum=2),
)


def compute_gcs_p(values: dict[str, Any]) -> Result:
    examined, unreactive = values["pupils_examined"], values["pupils_unreactive"]
    if unreactive > examined:
        raise InputError("pupils_unreactive", Problem.INCONSISTENT, other=examined)
    if examined < 2:
        raise InputError("pupils_examined", Problem.REQUIRED, need=2)  # the PRS needs both pupils assessed
    parts, total = components(values)
    if total is None:
        raise InputError(next(p.item for p in parts if p.points is None), Problem.UNDEFINED)
    score = total - unreactive
    probabilities: tuple[Probability, ...] = ()
    if score in GCS_P_ENDPOINTS:
        mortality, unfavourable = GCS_P_ENDPOINTS[score]
        probabilities = (
            Probability("mortality_6_months", mortality),
            Probability("unfavourable_6_months", unfavourable),
        )
    return Result(
        score="gcs_p",
        version=GCS_P.version,
        total=score,
        parts=(*parts, Part("pupils_unreactive", unreactive, -unreactive)),
        probabilities=probabilities,
        notes=() if probabilities else ("gcs_p_outcomes_only_at_ends",),
        references=(GCS_P_REFERENCE,),
    )


GCS_P = Calculator(
    "gcs_p", "gcs-p/brennan-2018/1", GCS_P_FIELDS, compute_gcs_p, (GCS_P_REFERENCE,), family="consciousness"
)
