from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from scores.case_scores import prognosis_notices
from scores.content import text
from scores.library import CALCULATORS
from scores.library.base import Part, Probability, Reference, Result, Unverified
from scores.models import CaseScore
from scores.present import present, reference_caveat

register = template.Library()


def _current(reference: dict[str, Any]) -> Reference:
    # A result stored before references said what is unverified gets today's word on it.
    unverified = reference.get("unverified") or CAVEATS.get(reference["citation"])
    return Reference(
        reference["citation"],
        reference["doi"],
        reference["note"],
        Unverified(unverified) if unverified else None,
    )


CAVEATS = {r.citation: r.unverified for c in CALCULATORS.values() for r in c.references if r.unverified}


def stored_result(score: CaseScore) -> Result:
    data = score.result
    return Result(
        score=data["score"],
        version=data["version"],
        total=data["total"],
        parts=tuple(Part(p["item"], p["value"], p["points"]) for p in data["parts"]),
        band=data["band"],
        probabilities=tuple(
            Probability(k, v, below=k in data.get("upper_bounds", ()))
            for k, v in data["probabilities"].items()
        ),
        notes=tuple(data["notes"]),
        references=tuple(
            Reference(
                r["citation"],
                r["doi"],
                r["note"],
                Unverified(r["unverified"]) if r.get("unverified") else None,
            )
            for r in data["references"]
        ),
    )


@register.inclusion_tag("scores/case_scores.html")
def case_scores(case: Any, can_enter_findings: bool) -> dict[str, Any]:
    language = get_language() or "en"
    scores = [
        (score.calculator, present(CALCULATORS[score.calculator], stored_result(score), language))
        for score in CaseScore.objects.filter(case=case)
        if score.calculator in CALCULATORS
    ]
    notices = [text(f"note.{code}", language) for code in prognosis_notices(case)]
    return {"case": case, "scores": scores, "notices": notices, "can_enter_findings": can_enter_findings}


@register.filter
def caveat(reference: Reference) -> str:
    """What of a reference could not be verified, in the page's language."""
    return reference_caveat(reference, get_language() or "en")
