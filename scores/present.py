"""A result as the reader sees it: labels, interpretation and notes in their language."""

from __future__ import annotations

from dataclasses import dataclass

from scores.content import CONTENT, first, text
from scores.forms import result_rows
from scores.library.base import Calculator, Reference, Result, shown_number, shown_percent
from scores.messages import calculator_text


@dataclass(frozen=True)
class Presented:
    name: str
    total: str
    band: str
    rows: list[tuple[str, str, str]]
    probabilities: list[tuple[str, str]]
    notes: list[str]
    population: str
    limits: str
    references: list[str]
    version: str


def band_label(calculator: Calculator, band: str | None, language: str) -> str:
    if band is None:
        return ""
    specific = f"band.{calculator.code}.{band}"
    if specific in _keys():
        return text(specific, language)
    if f"band.{calculator.code}" in _keys():
        return text(f"band.{calculator.code}", language, band=band)
    return first([f"choice.{calculator.code}.{calculator.fields[0].name}.{band}"], language)


def _keys() -> set[str]:
    return set(CONTENT["en"])


def reference_caveat(reference: Reference, language: str) -> str:
    """What of the reference could not be verified, in the reader's language ("" if nothing)."""
    return text(f"reference.unverified.{reference.unverified}", language) if reference.unverified else ""


def cited(reference: Reference, language: str) -> str:
    caveat = reference_caveat(reference, language)
    return (
        reference.citation
        + (f" doi:{reference.doi}" if reference.doi else "")
        + (f" ({caveat})" if caveat else "")
    )


def shown_total(total: float | None) -> str:
    if total is None:
        return ""
    # A float total is a measurement (a volume): shown to 0.1, by the one display rule.
    return shown_number(total, 1) if isinstance(total, float) else str(total)


def present(calculator: Calculator, result: Result, language: str) -> Presented:
    total = shown_total(result.total)
    return Presented(
        name=calculator_text(calculator, "name", language),
        total=total,
        band=band_label(calculator, result.band, language),
        rows=result_rows(calculator, result, language),
        probabilities=[
            (text(f"outcome.{p.outcome}", language), shown_percent(p)) for p in result.probabilities
        ],
        notes=[text(f"note.{note}", language) for note in result.notes],
        population=calculator_text(calculator, "population", language),
        limits=calculator_text(calculator, "limits", language),
        references=[cited(r, language) for r in result.references],
        version=result.version,
    )
