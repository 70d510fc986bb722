"""Scores' pages and API in the project's access matrix (neurodaraja/tests/test_access_matrix.py):
the calculators are open to everyone signed in; a case's scores follow the case's own access."""

from __future__ import annotations

from functools import partial

from neurodaraja.testing.access import Endpoint, Ids, Page, everyone, expect
from neurodaraja.testing.cases import assigned_to_china, case_for
from neurodaraja.testing.personas import Personas
from scores.library import CALCULATORS
from scores.models import CaseScore

ON_THE_CASE = {"referrer", "coordinator", "consultant_china"}


def objects(cast: Personas) -> Ids:
    return {"case": assigned_to_china(cast, partial(case_for, cast)).code}


def scores_unchanged(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(
        CaseScore.objects.filter(case__code=ids["case"]).values_list("calculator", "inputs").order_by("pk")
    )


PAGES = [
    Page("/scores/", everyone()),
    *(Page(f"/scores/{code}/", everyone()) for code in CALCULATORS),
    Page("/consultations/{case}/findings/", expect(ON_THE_CASE, refused=404)),
]

ENDPOINTS = [
    Endpoint("get", "/scores", everyone()),
    *(Endpoint("get", f"/scores/{code}", everyone()) for code in CALCULATORS),
    # Computing a score stores nothing: everyone may, and an empty form is refused by field (422).
    *(Endpoint("post", f"/scores/{code}", everyone(422), body={}, safe=True) for code in CALCULATORS),
    Endpoint("get", "/cases/{case}/scores", expect(ON_THE_CASE, refused=404)),
    Endpoint(
        "put",
        "/cases/{case}/findings",
        expect(ON_THE_CASE, refused=404),
        scores_unchanged,
        {"basal_cisterns": "normal", "midline_shift_mm": 0, "visible_pathology": True},
    ),
]
