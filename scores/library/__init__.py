"""Validated neurosurgical scores as plain, typed Python (no Django).

Definitions and coefficients come only from shared/clinical/REFERENCES.md, section by section.
Every calculator declares its inputs with their valid ranges, refuses invalid, missing or
contradictory input with an InputError naming the field, and returns a Result with its parts,
band, probabilities, notes, reference and formula version. CRASH is not implemented: its
coefficients are not available to us (REFERENCES.md, section 3).
"""

from scores.library.base import Calculator, Field, InputError, Result
from scores.library.registry import CALCULATORS, calculator

__all__ = ["CALCULATORS", "Calculator", "Field", "InputError", "Result", "calculator"]
