"""Every calculator by code, in the order the calculators page lists them."""

from __future__ import annotations

from scores.library.base import Calculator
from scores.library.ct import HELSINKI, MARSHALL, ROTTERDAM
from scores.library.gcs import GCS, GCS_P
from scores.library.haemorrhage import ABC2, ELLIPSOID, HUNT_HESS, ICH, MODIFIED_FISHER, WFNS
from scores.library.hydrocephalus import ETV_SUCCESS
from scores.library.impact import IMPACT_CORE, IMPACT_EXTENDED, IMPACT_LAB
from scores.library.rules import CCHR, PECARN
from scores.library.scales import ASIA, FOUR, GOS, GOSE, KARNOFSKY

CALCULATORS: dict[str, Calculator] = {
    c.code: c
    for c in (
        GCS,
        GCS_P,
        FOUR,
        IMPACT_CORE,
        IMPACT_EXTENDED,
        IMPACT_LAB,
        MARSHALL,
        ROTTERDAM,
        HELSINKI,
        CCHR,
        PECARN,
        ICH,
        ABC2,
        ELLIPSOID,
        WFNS,
        HUNT_HESS,
        MODIFIED_FISHER,
        ETV_SUCCESS,
        ASIA,
        KARNOFSKY,
        GOS,
        GOSE,
    )
}


def calculator(code: str) -> Calculator:
    return CALCULATORS[code]
