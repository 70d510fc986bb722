"""A Django form for any calculator, built from its field specs, labelled from the content."""

from __future__ import annotations

from typing import Any

from django import forms

from scores.content import first, text
from scores.library import CALCULATORS
from scores.library.base import Calculator, Field, Kind
from scores.messages import field_label


def _choice_label(calculator: Calculator, field: Field, value: str, language: str) -> str:
    return first(
        [
            f"choice.{calculator.code}.{field.name}.{value}",
            f"choice.{field.name}.{value}",
            f"choice.{value}",
            f"choice.{calculator.code}.{value}",
        ],
        language,
    )


def choices_for(code: str, field_name: str, language: str) -> list[tuple[str, str]]:
    """A calculator field's choices labelled in the language, for forms outside the calculator."""
    calculator = CALCULATORS[code]
    spec = next(f for f in calculator.fields if f.name == field_name)
    if spec.kind is Kind.CHOICE:
        return [(value, _choice_label(calculator, spec, value, language)) for value in spec.choices]
    values = range(int(spec.maximum or 0), int(spec.minimum or 0) - 1, -int(spec.step or 1))
    return [(str(v), first([f"choice.{code}.{field_name}.{v}"], language)) for v in values]


def calculator_form(calculator: Calculator, language: str, data: Any = None) -> forms.Form:
    fields: dict[str, forms.Field] = {}
    for spec in calculator.fields:
        label = field_label(calculator.code, spec.name, language)
        if spec.kind is Kind.BOOLEAN:
            fields[spec.name] = forms.BooleanField(label=label, required=False)
        elif spec.kind is Kind.CHOICE:
            choices = [(value, _choice_label(calculator, spec, value, language)) for value in spec.choices]
            if not spec.required:
                choices = [("", "—"), *choices]
            widget = forms.RadioSelect if len(choices) <= 7 else forms.Select
            fields[spec.name] = forms.ChoiceField(label=label, choices=choices, required=False, widget=widget)
        elif spec.step and spec.maximum is not None:
            values = range(int(spec.maximum), int(spec.minimum or 0) - 1, -int(spec.step))
            choices = [
                (str(v), first([f"choice.{calculator.code}.{spec.name}.{v}"], language)) for v in values
            ]
            fields[spec.name] = forms.ChoiceField(label=label, choices=choices, required=False)
        else:
            attrs = {"inputmode": "decimal" if spec.kind is Kind.NUMBER else "numeric"}
            if spec.minimum is not None:
                attrs["min"] = str(spec.minimum)
            if spec.maximum is not None:
                attrs["max"] = str(spec.maximum)
            # Text, not number, inputs: the library gives one clear message for any bad value.
            fields[spec.name] = forms.CharField(
                label=label, required=False, widget=forms.TextInput(attrs=attrs)
            )
    form_class = type(f"{calculator.code.title()}Form", (forms.Form,), fields)
    return form_class(data)


def result_rows(calculator: Calculator, result: Any, language: str) -> list[tuple[str, str, str]]:
    """(label, entered value shown, points) for each part of a result."""
    specs = {f.name: f for f in calculator.fields}
    rows = []
    for part in result.parts:
        spec = specs.get(part.item)
        shown = part.value
        if spec is not None and spec.kind is Kind.CHOICE:
            shown = _choice_label(calculator, spec, str(part.value), language)
        elif isinstance(part.value, bool):
            shown = text(f"choice.{str(part.value).lower()}", language)
        points = (
            ""
            if part.points is None
            else f"{part.points:+g}"
            if isinstance(part.points, float)
            else str(part.points)
        )
        rows.append((field_label(calculator.code, part.item, language), str(shown), points))
    return rows
