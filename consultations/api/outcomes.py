"""What happened to the patient."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from django.http import HttpRequest
from ninja import Router

from consultations import actions
from consultations.access import get_case_for_user
from consultations.api.case_schemas import CaseOut, OutcomeIn, case_out
from consultations.api.common import case_for

router = Router()


@router.put("/cases/{code}/outcome", response=CaseOut, summary="Record what happened to the patient")
def put_outcome(request: HttpRequest, code: str, payload: OutcomeIn) -> CaseOut:
    user, access = case_for(request, code)
    actions.record_outcome(access, user, payload.dict(), request=request)
    return case_out(get_case_for_user(user, code))
