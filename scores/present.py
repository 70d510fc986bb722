"""A result as the reader sees it: labels, interpretation and notes in their language."""

from __future__ import annotations

from dataclasses import dataclass

from scores.content import CONTENT, first, text
from scores.forms import result_rows
from scores.library.base import Calculator, Result


def calculator_text(calculator: Calculator, part: str, language: str) -> str:
    family = "impact" if calculator.code.startswith("impact") else calculator.code
    return first([f"calc.{calculator.code}.{part}", f"calc.{family}.{part}"], language)


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


def present(calculator: Calculator, result: Result, language: str) -> Presented:
    total = (
        ""
        if result.total is None
        else (f"{result.total:g}" if isinstance(result.total, float) else str(result.total))
    )
    return Presented(
        name=calculator_text(calculator, "name", language),
        total=total,
        band=band_label(calculator, result.band, language),
        rows=result_rows(calculator, result, language),
        probabilities=[
            (text(f"outcome.{p.outcome}", language), f"{p.value * 100:.1f} %") for p in result.probabilities
        ],
        notes=[text(f"note.{note}", language) for note in result.notes],
        population=calculator_text(calculator, "population", language),
        limits=calculator_text(calculator, "limits", language),
        references=[r.citation + (f" doi:{r.doi}" if r.doi else "") for r in result.references],
        version=result.version,
    )
