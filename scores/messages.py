"""Refusals from the scores library, said in the user's language with the field's own label."""

from __future__ import annotations

from django.utils.translation import gettext as _

from scores.content import first
from scores.library.base import Calculator, InputError, Problem


def calculator_text(calculator: Calculator, part: str, language: str) -> str:
    family = "impact" if calculator.code.startswith("impact") else calculator.code
    return first([f"calc.{calculator.code}.{part}", f"calc.{family}.{part}"], language)


def field_label(calculator_code: str, field: str, language: str) -> str:
    family = "impact" if calculator_code.startswith("impact") else calculator_code
    return first([f"field.{calculator_code}.{field}", f"field.{family}.{field}", f"field.{field}"], language)


def explain(error: InputError, calculator_code: str, language: str) -> str:
    label = field_label(calculator_code, error.field, language)
    params = error.params
    if error.problem is Problem.REQUIRED:
        if params.get("need") == 2:
            return _("%(field)s: both pupils must be examined.") % {"field": label}
        return _("%(field)s is required.") % {"field": label}
    if error.problem is Problem.NOT_A_NUMBER:
        return _("%(field)s must be a number.") % {"field": label}
    if error.problem is Problem.NOT_WHOLE:
        return _("%(field)s must be a whole number.") % {"field": label}
    if error.problem is Problem.OUT_OF_RANGE:
        values = {"field": label, "min": _number(params.get("min")), "max": _number(params.get("max"))}
        if params.get("unit"):
            return _("%(field)s must be between %(min)s and %(max)s %(unit)s.") % {
                **values,
                "unit": params["unit"],
            }
        return _("%(field)s must be between %(min)s and %(max)s.") % values
    if error.problem is Problem.NOT_ALLOWED:
        if params.get("step"):
            return _("%(field)s goes in steps of %(step)s.") % {
                "field": label,
                "step": _number(params["step"]),
            }
        return _("%(field)s must be one of the listed values.") % {"field": label}
    if error.problem is Problem.INCONSISTENT:
        if params.get("other") is not None:
            return _("%(field)s does not match the other answers (they give %(other)s).") % {
                "field": label,
                "other": params["other"],
            }
        return _("%(field)s contradicts the other answers.") % {"field": label}
    if calculator_code == "pecarn":
        return _(
            "%(field)s belongs to the rule for the other age group, so this rule cannot weigh it: "
            "no recommendation is given, decide clinically."
        ) % {"field": label}
    return _("The scale does not define this combination (%(field)s), so no score is given.") % {
        "field": label
    }


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
