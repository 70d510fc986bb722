"""The examination as short lines for the case page and the opinion form's case summary.

Only what was recorded is written: an empty side or sign is left out rather than printed as
"?" (a consultant reads "? mm" as a measurement that was lost)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from consultations.models import Case


def millimetres(value: Decimal | None) -> str:
    """3 for 3.0, 3.5 for 3.5: a pupil gauge reads in half millimetres."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


def _pupil(label: str, size: Decimal | None, reaction: str) -> str:
    parts = [f"{millimetres(size)} mm" if size is not None else "", reaction]
    shown = ", ".join(part for part in parts if part)
    return f"{label}: {shown}" if shown else ""


def pupils_text(case: Case) -> str:
    """Like "Left: 3.5 mm, brisk · Right: 3 mm"; empty when neither pupil was recorded."""
    sides = [
        _pupil(_("Left"), case.pupil_left_mm, case.get_pupil_left_reaction_display()),
        _pupil(_("Right"), case.pupil_right_mm, case.get_pupil_right_reaction_display()),
    ]
    return " · ".join(side for side in sides if side)


def vitals_text(case: Case) -> str:
    """The vital signs recorded, separated by "·" with none left dangling."""
    signs = []
    if case.systolic_bp:
        diastolic = f"/{case.diastolic_bp}" if case.diastolic_bp else ""
        signs.append(f"{_('BP')} {case.systolic_bp}{diastolic}")
    if case.heart_rate:
        signs.append(f"{_('HR')} {case.heart_rate}")
    if case.respiratory_rate:
        signs.append(f"{_('RR')} {case.respiratory_rate}")
    if case.oxygen_saturation:
        signs.append(f"SpO₂ {case.oxygen_saturation}%")
    if case.temperature is not None:
        signs.append(f"{case.temperature} °C")
    return " · ".join(signs)
