"""What every calculator is made of: input fields, a result, and the error for bad input."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any


class Problem(StrEnum):
    REQUIRED = "required"
    NOT_A_NUMBER = "not_a_number"
    NOT_WHOLE = "not_whole"
    OUT_OF_RANGE = "out_of_range"
    NOT_ALLOWED = "not_allowed"
    INCONSISTENT = "inconsistent"
    UNDEFINED = "undefined"  # a combination the published scale does not define


class InputError(ValueError):
    """Refused input. `field` names the input; `problem` and `params` let the caller say it in
    the user's language (params: min, max, unit, choices, other)."""

    def __init__(self, field: str, problem: Problem, **params: Any) -> None:
        self.field = field
        self.problem = problem
        self.params = params
        super().__init__(f"{field}: {problem.value} {params}")


class Kind(StrEnum):
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    CHOICE = "choice"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    choices: tuple[str, ...] = ()
    required: bool = True
    step: float | None = None  # e.g. Karnofsky moves in steps of 10

    def parse(self, raw: object) -> Any:
        """The value in its type, or InputError naming this field."""
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if self.required:
                raise InputError(self.name, Problem.REQUIRED)
            return False if self.kind is Kind.BOOLEAN else None
        if self.kind is Kind.BOOLEAN:
            return _boolean(self.name, raw)
        if self.kind is Kind.CHOICE:
            value = str(raw).strip()
            if value not in self.choices:
                raise InputError(self.name, Problem.NOT_ALLOWED, choices=self.choices)
            return value
        number = _number(self.name, raw)
        if self.kind is Kind.INTEGER:
            if number != int(number):
                raise InputError(self.name, Problem.NOT_WHOLE)
            number = int(number)
        if (self.minimum is not None and number < self.minimum) or (
            self.maximum is not None and number > self.maximum
        ):
            raise InputError(
                self.name, Problem.OUT_OF_RANGE, min=self.minimum, max=self.maximum, unit=self.unit
            )
        if self.step and (number - (self.minimum or 0)) % self.step:
            raise InputError(self.name, Problem.NOT_ALLOWED, step=self.step)
        return number


def _boolean(name: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise InputError(name, Problem.NOT_ALLOWED, choices=("true", "false"))


def _number(name: str, raw: object) -> float:
    if isinstance(raw, bool):
        raise InputError(name, Problem.NOT_A_NUMBER)
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        try:
            value = float(str(raw).strip().replace(",", "."))
        except ValueError:
            raise InputError(name, Problem.NOT_A_NUMBER) from None
    if math.isnan(value) or math.isinf(value):
        raise InputError(name, Problem.NOT_A_NUMBER)
    return value


class Unverified(StrEnum):
    """What of a reference REFERENCES.md could not check, so that the reader is told."""

    DOI = "doi"  # the DOI as quoted in another implementation, not independently verified
    CITATION_AND_DOI = "citation_and_doi"  # both as quoted in another implementation
    DETAILS = "details"  # bibliographic details as commonly cited; the source was not read


@dataclass(frozen=True)
class Reference:
    citation: str
    doi: str = ""
    note: str = ""
    unverified: Unverified | None = None


@dataclass(frozen=True)
class Part:
    item: str  # the input's name
    value: Any  # what was entered (after parsing)
    points: float | None  # what it adds; None where an item has no points (e.g. not testable)


@dataclass(frozen=True)
class Probability:
    outcome: str  # e.g. "mortality_6_months"
    value: float  # 0..1
    below: bool = False  # the source gives only an upper bound: "less than value"


@dataclass(frozen=True)
class Result:
    score: str
    version: str
    total: float | None  # None when the scale gives no total (a GCS component not testable)
    parts: tuple[Part, ...] = ()
    band: str | None = None  # interpretation band code, e.g. "severe"
    probabilities: tuple[Probability, ...] = ()
    notes: tuple[str, ...] = ()  # codes of things the reader must know (e.g. "not_applicable_age")
    references: tuple[Reference, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "version": self.version,
            "total": self.total,
            "parts": [{"item": p.item, "value": p.value, "points": p.points} for p in self.parts],
            "band": self.band,
            # As computed: rounding happens once, for display (shown_percent), so a stored
            # result reads the same as the calculator.
            "probabilities": {p.outcome: p.value for p in self.probabilities},
            "upper_bounds": [p.outcome for p in self.probabilities if p.below],
            "notes": list(self.notes),
            "references": [
                {
                    "citation": r.citation,
                    "doi": r.doi,
                    "note": r.note,
                    "unverified": r.unverified.value if r.unverified else "",
                }
                for r in self.references
            ],
        }


@dataclass(frozen=True)
class Calculator:
    code: str
    version: str
    fields: tuple[Field, ...]
    compute: Callable[[dict[str, Any]], Result]
    references: tuple[Reference, ...]
    family: str
    extra: dict[str, Any] = field(default_factory=dict)

    def __call__(self, inputs: Mapping[str, object]) -> Result:
        """Parse every field (the first bad one is reported), then compute."""
        values = {f.name: f.parse(inputs.get(f.name)) for f in self.fields}
        return self.compute(values)


def logistic(linear_predictor: float) -> float:
    return 1.0 / (1.0 + math.exp(-linear_predictor))


def shown_number(value: float, places: int = 1) -> str:
    """The one rounding rule for display: half up, in decimal, from the float's shortest repr
    (so 0.45 shows 0.5, where binary rounding of 0.44999… would show 0.4)."""
    return _rounded(Decimal(repr(value)), places)


def _rounded(value: Decimal, places: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def shown_percent(probability: Probability | float, places: int = 1) -> str:
    """A probability as a percentage for display: "20.6 %", or "< 0.02 %" for an upper bound."""
    value = probability.value if isinstance(probability, Probability) else probability
    below = isinstance(probability, Probability) and probability.below
    percent = Decimal(repr(value)) * 100
    if below:
        # An upper bound is shown as published (0.02, not rounded up or down to 0.0).
        return f"< {percent.normalize():f} %"
    return f"{_rounded(percent, places)} %"
