"""Inputs for any calculator, drawn by hypothesis from the calculator's own field declarations."""

from __future__ import annotations

from hypothesis import strategies as st

from scores.library import CALCULATORS
from scores.library.base import Field, Kind


def value_for(field: Field) -> st.SearchStrategy:
    if field.kind is Kind.BOOLEAN:
        return st.booleans()
    if field.kind is Kind.CHOICE:
        return st.sampled_from(field.choices)
    low, high = field.minimum or 0, field.maximum if field.maximum is not None else 1000
    if field.step:
        step = field.step
        return st.integers(0, int((high - low) // step)).map(lambda k: int(low + k * step))
    if field.kind is Kind.INTEGER:
        return st.integers(int(low), int(high))
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def inputs_for(code: str) -> st.SearchStrategy:
    fields = CALCULATORS[code].fields
    return st.fixed_dictionaries(
        {f.name: value_for(f) for f in fields if f.required},
        optional={f.name: value_for(f) for f in fields if not f.required},
    )
