"""JSON API of the question bank and the sessions' tests: the same actions as the pages."""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api_auth import api_user
from core.errors import FieldErrors
from training.quizzes import access, actions
from training.quizzes.importing import Preview, preview
from training.quizzes.models import LANGUAGES, Attempt, Question, Test, suffix
from training.quizzes.results import results

router = Router(tags=["training"])

Language = Literal["en", "sw", "zh-hans"]
TestKind = Literal["pre", "post"]


class ChoiceOut(Schema):
    id: int
    text: str = Field(description="In the reader's language, else the first language it is written in.")


class ChoiceFull(ChoiceOut):
    text_en: str
    text_sw: str
    text_zh_hans: str
    weight: float = Field(description="Percent of the question's point the choice earns (100: right).")


class QuestionOut(Schema):
    id: int
    name: str
    topic: str
    institution: str
    text: str
    languages: list[str]


class QuestionFull(QuestionOut):
    text_en: str
    text_sw: str
    text_zh_hans: str
    choices: list[ChoiceFull]


def question_out(question: Question) -> QuestionOut:
    return QuestionOut(
        id=question.pk,
        name=question.name,
        topic=question.topic,
        institution=question.institution.short_code,
        text=question.text,
        languages=question.languages(),
    )


def question_full(question: Question) -> QuestionFull:
    return QuestionFull(
        **question_out(question).dict(),
        text_en=question.text_en,
        text_sw=question.text_sw,
        text_zh_hans=question.text_zh_hans,
        choices=[
            ChoiceFull(
                id=c.pk,
                text=c.text,
                text_en=c.text_en,
                text_sw=c.text_sw,
                text_zh_hans=c.text_zh_hans,
                weight=c.weight,
            )
            for c in question.choices.all()
        ],
    )


@router.get("/training/questions", response=list[QuestionOut], summary="Coordinators: the question bank")
def bank(request: HttpRequest) -> list[QuestionOut]:
    user = api_user(request)
    access.require_bank(user)
    rows = Question.objects.select_related("institution").order_by("topic", "name")[:500]
    return [question_out(question) for question in rows]


@router.get("/training/questions/{int:question_id}", response=QuestionFull, summary="A question of the bank")
def question(request: HttpRequest, question_id: int) -> QuestionFull:
    found = access.get_question(api_user(request), question_id)
    return question_full(Question.objects.prefetch_related("choices").get(pk=found.pk))


class ChoiceIn(Schema):
    id: int
    text_en: str = ""
    text_sw: str = ""
    text_zh_hans: str = ""
    weight: float = Field(ge=-100, le=100)


class QuestionIn(Schema):
    topic: str = ""
    text_en: str = ""
    text_sw: str = ""
    text_zh_hans: str = ""
    choices: list[ChoiceIn] = Field(description="Every choice of the question, by id.")


@router.put(
    "/training/questions/{int:question_id}", response=QuestionFull, summary="Edit a question of the bank"
)
def edit_question(request: HttpRequest, question_id: int, payload: QuestionIn) -> QuestionFull:
    user = api_user(request)
    found = access.get_question_to_edit(user, question_id)
    data = actions.QuestionData(
        topic=payload.topic,
        texts={code: getattr(payload, f"text_{code}") for code in LANGUAGES},
        choices={
            c.id: ({code: getattr(c, f"text_{code}") for code in LANGUAGES}, c.weight)
            for c in payload.choices
        },
    )
    actions.edit_question(user, found, data, request=request)
    return question_full(
        Question.objects.select_related("institution").prefetch_related("choices").get(pk=found.pk)
    )


class ImportIn(Schema):
    institution: str = Field(description="The author institution's short code (one you coordinate).")
    language: Language
    text: str = Field(max_length=1024 * 1024, description="The GIFT file's text.")
    dry_run: bool = Field(False, description="Only check: the preview, nothing saved.")


class LineOut(Schema):
    line: int
    message: str


class ImportOut(Schema):
    saved: bool
    new: list[str] = Field(description="Names of the questions added (or that would be).")
    translated: list[str] = Field(description="Names of the bank's questions given this language.")
    questions: list[QuestionOut] = Field(
        default_factory=list,
        description="Once saved: the questions added, then those given this language, with their ids "
        "and text; empty for a dry run.",
    )
    errors: list[LineOut]


def _preview_out(result: Preview, saved: bool) -> ImportOut:
    return ImportOut(
        saved=saved,
        new=[q.name for q in result.new],
        translated=[q.name for q, _stored in result.translated],
        errors=[LineOut(line=e.line, message=e.message) for e in result.errors],
    )


@router.post(
    "/training/questions/import",
    response={200: ImportOut, 201: ImportOut},
    summary="Import a GIFT file (or check it with dry_run)",
    description=(
        "The whole file is saved in one transaction, or nothing: a file with errors answers 422 "
        "with one item per error, each with its `line`."
    ),
)
def import_gift(request: HttpRequest, payload: ImportIn) -> Status[ImportOut]:
    user = api_user(request)
    access.require_bank(user)
    institution = next(
        (i for i in access.coordinated(user) if i.short_code == payload.institution.upper()), None
    )
    if institution is None:
        raise FieldErrors(
            [
                {
                    "field": "institution",
                    "message": _("You do not coordinate this institution."),
                    "type": "invalid",
                }
            ]
        )
    if payload.dry_run:
        return Status(200, _preview_out(preview(payload.text, suffix(payload.language), institution), False))
    try:
        done = actions.import_gift(user, institution, payload.language, payload.text, request=request)
    except actions.ImportRefused as refused:
        raise FieldErrors(
            [
                {"field": "text", "line": error.line, "message": error.message, "type": "gift"}
                for error in refused.preview.errors
            ]
        ) from None
    stored = [*done.added, *done.given_language]
    for question in stored:
        question.institution = institution  # read already: no query a question
    return Status(
        201,
        ImportOut(
            saved=True,
            new=[q.name for q in done.added],
            translated=[q.name for q in done.given_language],
            questions=[question_out(q) for q in stored],
            errors=[],
        ),
    )


class TestIn(Schema):
    questions: list[int] = Field(description="Ids of questions of the bank.")
    opens_at: datetime
    closes_at: datetime


class TestOut(Schema):
    kind: str
    opens_at: datetime
    closes_at: datetime
    questions: list[int]


def test_out(test: Test) -> TestOut:
    return TestOut(
        kind=test.kind,
        opens_at=test.opens_at,
        closes_at=test.closes_at,
        questions=list(test.questions.order_by("pk").values_list("pk", flat=True)),
    )


@router.put(
    "/training/sessions/{int:session_id}/tests/{kind}",
    response=TestOut,
    summary="Coordinators: set a session's test",
)
def set_test(request: HttpRequest, session_id: int, kind: TestKind, payload: TestIn) -> TestOut:
    user = api_user(request)
    session = access.get_session_to_manage(user, session_id)
    chosen = list(Question.objects.filter(pk__in=payload.questions))
    if len(chosen) != len(set(payload.questions)):
        raise FieldErrors([{"field": "questions", "message": _("Unknown question."), "type": "invalid"}])
    test = actions.set_test(user, session, kind, chosen, payload.opens_at, payload.closes_at, request=request)
    return test_out(test)


class TakeQuestion(Schema):
    id: int
    text: str
    choices: list[ChoiceOut] = Field(
        description="In this participant's order (shuffled, the same on every call); answer by id."
    )


class AttemptOut(Schema):
    score: float
    max_score: float
    percent: float
    submitted_at: datetime


class TakeOut(Schema):
    kind: str
    opens_at: datetime
    closes_at: datetime
    questions: list[TakeQuestion]
    attempt: AttemptOut | None


def attempt_out(attempt: Attempt) -> AttemptOut:
    return AttemptOut(
        score=attempt.score,
        max_score=attempt.max_score,
        percent=round(attempt.percent, 1),
        submitted_at=attempt.submitted_at,
    )


@router.get(
    "/training/sessions/{int:session_id}/tests/{kind}",
    response=TakeOut,
    summary="Participants: a test to take (the questions in my language) and my attempt",
)
def take(request: HttpRequest, session_id: int, kind: TestKind) -> TakeOut:
    user = api_user(request)
    test = access.get_test_to_take(user, session_id, kind)
    attempt = Attempt.objects.filter(test=test, participant=user).first()
    return TakeOut(
        kind=test.kind,
        opens_at=test.opens_at,
        closes_at=test.closes_at,
        questions=[
            TakeQuestion(id=q.pk, text=q.text, choices=[ChoiceOut(id=c.pk, text=c.text) for c in choices])
            for q, choices in actions.paper(test, user)
        ],
        attempt=attempt_out(attempt) if attempt else None,
    )


class AnswersIn(Schema):
    answers: dict[int, int] = Field(description="Question id → the chosen choice's id, for every question.")


@router.post(
    "/training/sessions/{int:session_id}/tests/{kind}/attempt",
    response={201: AttemptOut},
    summary="Participants: submit a test once, while it is open",
    description="A second submission, or one before the test opens or after it closes, answers 409 "
    "(codes already_submitted, not_open, closed); the first attempt stays as it was.",
)
def submit(request: HttpRequest, session_id: int, kind: TestKind, payload: AnswersIn) -> Status[AttemptOut]:
    user = api_user(request)
    test = access.get_test_to_take(user, session_id, kind)
    attempt = actions.submit(user, test, payload.answers, request=request)
    return Status(201, attempt_out(attempt))


class RowOut(Schema):
    participant: str
    pre: float | None
    post: float | None
    raw_gain: float | None
    normalised_gain: float | None = Field(description="Hake's g; null when the pre-test was at full marks.")


class ResultsOut(Schema):
    n_paired: int
    n_normalised: int
    mean_pre: float | None
    mean_post: float | None
    mean_raw_gain: float | None
    median_raw_gain: float | None
    mean_normalised_gain: float | None
    median_normalised_gain: float | None
    participants: list[RowOut] = Field(
        description="Everyone for coordinators and trainers; a participant: themself."
    )


@router.get(
    "/training/sessions/{int:session_id}/knowledge-gain",
    response=ResultsOut,
    summary="A session's pre/post scores (percent) and knowledge gain",
)
def knowledge_gain(request: HttpRequest, session_id: int) -> ResultsOut:
    user = api_user(request)
    seen = access.get_session(user, session_id)
    if not (seen.reads_all_results or seen.takes_part):
        raise PermissionDenied
    read = results(seen.session, only=None if seen.reads_all_results else user)
    summary = read.summary
    show = seen.reads_all_results
    return ResultsOut(
        n_paired=summary.n_paired,
        n_normalised=summary.n_normalised,
        mean_pre=summary.mean_pre if show else None,
        mean_post=summary.mean_post if show else None,
        mean_raw_gain=summary.mean_raw if show else None,
        median_raw_gain=summary.median_raw if show else None,
        mean_normalised_gain=summary.mean_normalised if show else None,
        median_normalised_gain=summary.median_normalised if show else None,
        participants=[
            RowOut(
                participant=row.participant.full_name,
                pre=row.pre,
                post=row.post,
                raw_gain=row.gain.raw if row.gain else None,
                normalised_gain=row.gain.normalised if row.gain else None,
            )
            for row in read.rows
        ],
    )
