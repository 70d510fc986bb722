from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from scores.library import CALCULATORS
from scores.library.base import Part, Probability, Reference, Result
from scores.models import CaseScore
from scores.present import present

register = template.Library()


def stored_result(score: CaseScore) -> Result:
    data = score.result
    return Result(
        score=data["score"],
        version=data["version"],
        total=data["total"],
        parts=tuple(Part(p["item"], p["value"], p["points"]) for p in data["parts"]),
        band=data["band"],
        probabilities=tuple(Probability(k, v) for k, v in data["probabilities"].items()),
        notes=tuple(data["notes"]),
        references=tuple(Reference(r["citation"], r["doi"], r["note"]) for r in data["references"]),
    )


@register.inclusion_tag("scores/case_scores.html")
def case_scores(case: Any, can_enter_findings: bool) -> dict[str, Any]:
    language = get_language() or "en"
    scores = [
        (score.calculator, present(CALCULATORS[score.calculator], stored_result(score), language))
        for score in CaseScore.objects.filter(case=case)
        if score.calculator in CALCULATORS
    ]
    return {"case": case, "scores": scores, "can_enter_findings": can_enter_findings}
