"""Turns pydantic's validation errors into translated messages that name the field."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def describe_validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    described: list[dict[str, Any]] = []
    for error in errors:
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")
        ]
        field = ".".join(location) or None
        if field is None and error.get("type") == "missing" and "body" in error.get("loc", ()):
            # No body at all, where one is expected (even an empty one): say so, at "body".
            described.append(
                {
                    "field": "body",
                    "message": _(
                        "Send a JSON object as the body (an empty one, {}, where nothing is required)."
                    ),
                    "type": "missing",
                }
            )
            continue
        described.append({"field": field, "message": _message(error), "type": error.get("type", "")})
    return described


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "float_parsing", "float_type"}:
        return _("Enter a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"string_type"}:
        return _("Enter text.")
    if kind in {"string_too_long"}:
        return _("Enter at most %(limit)s characters.") % {"limit": context.get("max_length", "?")}
    if kind in {"string_too_short"}:
        return _("Enter at least %(limit)s characters.") % {"limit": context.get("min_length", "?")}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a value of at least %(limit)s.") % {
            "limit": context.get("ge", context.get("gt", "?"))
        }
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a value of at most %(limit)s.") % {"limit": context.get("le", context.get("lt", "?"))}
    if kind in {"decimal_max_places", "decimal_max_digits", "decimal_parsing", "decimal_type"}:
        return _("Enter a number with at most one decimal, for example 37.5.")
    if kind in {"datetime_parsing", "datetime_from_date_parsing", "datetime_type"}:
        return _("Enter a date and time, for example 2026-11-25T14:30+03:00.")
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type"}:
        return _("Enter a date, for example 2026-11-25.")
    if kind in {"literal_error", "enum"}:
        # pydantic writes "'a', 'b' or 'c'" in English; list the codes without the English "or".
        choices = str(context.get("expected", "")).replace(" or ", ", ")
        return _("Choose one of: %(choices)s.") % {"choices": choices}
    if kind in {"value_error", "assertion_error"}:
        message = str(context.get("error", "")) or str(error.get("msg", ""))
        return message.removeprefix("Value error, ")
    if kind in {"model_attributes_type", "dict_type", "model_type"}:
        return _("Send a JSON object.")
    if kind in {"list_type"}:
        return _("Send a list.")
    if kind in {"json_invalid"}:
        return _("The request body is not valid JSON.")
    return _("This value is not valid.")
