"""Opinions and the discussion of a case."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from consultations import actions
from consultations.api.case_schemas import OpinionIn, OpinionOut, opinion_out
from consultations.api.common import case_for, idempotency_key

router = Router()


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=4000)
    confirm_identifiers: bool = Field(
        False,
        description="Send even though the text was flagged as possibly identifying (after a 400 'identifiers')",
    )


class MessageOut(Schema):
    id: int
    author_id: int
    author_name: str
    body: str
    created_at: datetime


@router.post("/cases/{code}/opinions", response={201: OpinionOut}, summary="Give your opinion")
def post_opinion(request: HttpRequest, code: str, payload: OpinionIn) -> Status[OpinionOut]:
    user, access = case_for(request, code)
    opinion = actions.give_opinion(
        access, user, payload.dict(), client_token=idempotency_key(request), request=request
    )
    return Status(201, opinion_out(opinion))


@router.get("/cases/{code}/messages", response=list[MessageOut], summary="The discussion")
def list_messages(request: HttpRequest, code: str) -> list[MessageOut]:
    user, access = case_for(request, code)
    actions.record_case_view(access, user, request=request, detail={"via": "api"})
    return [
        MessageOut(
            id=m.pk,
            author_id=m.author_id,
            author_name=m.author.full_name,
            body=m.body,
            created_at=m.created_at,
        )
        for m in access.case.messages.select_related("author")
    ]


@router.post("/cases/{code}/messages", response={201: MessageOut}, summary="Write in the discussion")
def post_message(request: HttpRequest, code: str, payload: MessageIn) -> Status[MessageOut]:
    user, access = case_for(request, code)
    message = actions.post_message(
        access,
        user,
        payload.body,
        client_token=idempotency_key(request),
        confirmed_identifiers=payload.confirm_identifiers,
        request=request,
    )
    return Status(
        201,
        MessageOut(
            id=message.pk,
            author_id=user.pk,
            author_name=user.full_name,
            body=message.body,
            created_at=message.created_at,
        ),
    )
