"""Every change to the question bank and the tests: permission, transaction and audit entry in one
place, for the pages, the API and the tests (STYLE.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Institution, User
from core.audit import record
from core.errors import ActionError, FieldErrors
from lib import gift
from training.actions import identifier_errors
from training.quizzes import access
from training.quizzes import audit_actions as acts
from training.quizzes.importing import IDENTIFIER, MAX_CHOICE, MAX_QUESTION, REASONS, Preview, preview
from training.quizzes.models import LANGUAGES, Attempt, Choice, Kind, Question, Test, suffix
from training.sessions.models import Session, Status

MAX_QUESTIONS_PER_TEST = 60


def _error(field_name: str, message: str) -> dict[str, str]:
    return {"field": field_name, "message": message, "type": "invalid"}


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class ImportRefused(ActionError):
    """The file has errors: nothing was saved; `preview.errors` lists them with their lines."""

    def __init__(self, result: Preview) -> None:
        super().__init__(_("The file has errors; nothing was imported."), code="gift_errors", status=422)
        self.preview = result


@dataclass(frozen=True)
class Imported:
    added: list[Question]  # new to the bank, in the file's order
    given_language: list[Question]  # already in the bank, now also in the file's language

    @property
    def created(self) -> int:
        return len(self.added)

    @property
    def translated(self) -> int:
        return len(self.given_language)


def _true_false_texts() -> dict[str, tuple[str, str]]:
    texts = {}
    for code in LANGUAGES:
        with translation.override(code.replace("_", "-")):
            texts[code] = (_("True"), _("False"))
    return texts


def _add(question: gift.Question, language: str, institution: Institution, author: User) -> Question:
    stored = Question.objects.create(
        name=question.name,
        topic=question.category[:200],
        institution=institution,
        is_true_false=question.is_true_false,
        created_by=author,
        **{f"text_{language}": question.text},
    )
    if question.is_true_false:
        words = _true_false_texts()
        for position, (weight, index) in enumerate(
            [(100 if question.truth else 0, 0), (0 if question.truth else 100, 1)]
        ):
            Choice.objects.create(
                question=stored,
                position=position,
                weight=weight,
                **{f"text_{code}": words[code][index] for code in LANGUAGES},
            )
        return stored
    Choice.objects.bulk_create(
        Choice(question=stored, position=position, weight=choice.weight, **{f"text_{language}": choice.text})
        for position, choice in enumerate(question.choices)
    )
    return stored


def _translate(question: gift.Question, language: str, stored: Question) -> None:
    setattr(stored, f"text_{language}", question.text)
    stored.save(update_fields=[f"text_{language}", "updated_at"])
    if question.is_true_false:
        return  # its choices are already in the three languages
    choices = list(stored.choices.all())
    for choice, read in zip(choices, question.choices, strict=True):
        setattr(choice, f"text_{language}", read.text)
    Choice.objects.bulk_update(choices, [f"text_{language}"])


def import_gift(
    coordinator: User,
    institution: Institution,
    language: str,
    text: str,
    *,
    request: HttpRequest | None = None,
) -> Imported:
    """The whole file in one transaction, or nothing if any line has an error."""
    if institution not in access.coordinated(coordinator):
        raise PermissionDenied
    language = suffix(language)
    if language not in LANGUAGES:
        raise FieldErrors([_error("language", _("Choose English, Kiswahili or Chinese."))])
    with transaction.atomic():
        result = preview(text, language, institution)
        if result.errors:
            raise ImportRefused(result)
        if not result.can_save:
            raise FieldErrors([_error("file", _("The file holds no question."))])
        added = [_add(question, language, institution, coordinator) for question in result.new]
        for question, stored in result.translated:
            _translate(question, language, stored)
        done = Imported(added, [stored for _question, stored in result.translated])
        record(
            acts.QUESTIONS_IMPORTED,
            actor=coordinator,
            institution=institution,
            request=request,
            detail={"language": language, "created": done.created, "translated": done.translated},
        )
    return done


# --- Editing a question --------------------------------------------------------------------------
@dataclass
class QuestionData:
    topic: str
    texts: dict[str, str]  # language suffix -> question text
    choices: dict[int, tuple[dict[str, str], float]]  # choice id -> (texts, weight)


def edit_question(
    coordinator: User, question: Question, data: QuestionData, *, request: HttpRequest | None = None
) -> Question:
    if question.institution not in access.coordinated(coordinator):
        raise PermissionDenied
    errors = []
    texts = {code: data.texts.get(code, "").strip() for code in LANGUAGES}
    if not any(texts.values()):
        errors.append(_error("text_en", _("Write the question in at least one language.")))
    if any(len(text) > MAX_QUESTION for text in texts.values()):
        errors.append(_error("text_en", _("A question holds at most 3000 characters.")))
    with transaction.atomic():
        stored = Question.objects.select_for_update().get(pk=question.pk)
        choices = list(stored.choices.all())
        if set(data.choices) != {choice.pk for choice in choices}:
            raise FieldErrors(
                [_error("choices", _("The choices of this question have changed; open it again."))]
            )
        for choice in choices:
            choice_texts, weight = data.choices[choice.pk]
            cleaned = {code: choice_texts.get(code, "").strip() for code in LANGUAGES}
            if not any(cleaned.values()) or any(len(text) > MAX_CHOICE for text in cleaned.values()):
                errors.append(
                    _error(f"choice_{choice.pk}_en", _("Each choice needs a text of at most 500 characters."))
                )
            if not -100 <= weight <= 100:
                errors.append(_error(f"choice_{choice.pk}_weight", _("A weight is from -100 to 100.")))
            for code, text in cleaned.items():
                setattr(choice, f"text_{code}", text)
            choice.weight = weight
        if not any(choice.is_right for choice in choices):
            errors.append(_error("choices", _("Mark one choice right: give it a weight of 100.")))
        # The import's check and message, at each field: a bank is shared teaching material.
        written = {f"text_{code}": text for code, text in texts.items()} | {
            f"choice_{choice.pk}_{code}": getattr(choice, f"text_{code}")
            for choice in choices
            for code in LANGUAGES
        }
        errors += identifier_errors(written, capfirst(str(REASONS[IDENTIFIER])))
        if errors:
            raise FieldErrors(errors)
        changed = [f"text_{code}" for code in LANGUAGES if getattr(stored, f"text_{code}") != texts[code]]
        if stored.topic != data.topic.strip():
            changed.append("topic")
        for code, text in texts.items():
            setattr(stored, f"text_{code}", text)
        stored.topic = data.topic.strip()[:200]
        stored.save()
        Choice.objects.bulk_update(choices, [*(f"text_{code}" for code in LANGUAGES), "weight"])
        record(
            acts.QUESTION_EDITED,
            actor=coordinator,
            target=stored,
            institution=stored.institution,
            request=request,
            detail={"fields": changed},
        )
    return stored


# --- Setting a session's test --------------------------------------------------------------------
def set_test(
    coordinator: User,
    session: Session,
    kind: str,
    questions: list[Question],
    opens_at: datetime,
    closes_at: datetime,
    *,
    request: HttpRequest | None = None,
) -> Test:
    if session.institution not in access.coordinated(coordinator):
        raise PermissionDenied
    errors = []
    if kind not in Kind.values:
        errors.append(_error("kind", _("Choose the pre-test or the post-test.")))
    if not questions:
        errors.append(_error("questions", _("Choose at least one question.")))
    if len(questions) > MAX_QUESTIONS_PER_TEST:
        errors.append(_error("questions", _("A test holds at most 60 questions.")))
    if closes_at <= opens_at:
        errors.append(_error("closes_at", _("The test must close after it opens.")))
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        test = Test.objects.select_for_update().filter(session=session, kind=kind).first()
        same = test is not None and {q.pk for q in questions} == set(
            test.questions.values_list("pk", flat=True)
        )
        if test is not None and not same and test.attempts.exists():
            raise ActionError(
                _("Participants have already taken this test: its questions can no longer change."),
                code="taken",
                status=409,
            )
        if test is None:
            test = Test.objects.create(
                session=session, kind=kind, opens_at=opens_at, closes_at=closes_at, created_by=coordinator
            )
        else:
            test.opens_at, test.closes_at = opens_at, closes_at
            test.save()
        test.questions.set(questions)
        record(
            acts.TEST_SET,
            actor=coordinator,
            target=test,
            institution=session.institution,
            request=request,
            detail={"test_kind": kind, "questions": len(questions)},
        )
    return test


# --- Taking a test -------------------------------------------------------------------------------
def test_questions(test: Test) -> list[Question]:
    return list(test.questions.order_by("pk").prefetch_related("choices"))


def choices_in_order(test: Test, participant: User, question: Question) -> list[Choice]:
    """The question's choices in the order this participant sees them in this test: shuffled, so
    the right answer is not where its author wrote it (often first), and the same on every reload
    (a hash of the test, the person and the choice, nothing stored). True/false stays True, False.
    Answers name the choice, never its place, so the order cannot change a score."""
    choices = list(question.choices.all())
    if question.is_true_false:
        return choices
    seed = f"{test.pk}:{participant.pk}:{question.pk}:"
    return sorted(choices, key=lambda choice: hashlib.sha256(f"{seed}{choice.pk}".encode()).digest())


def paper(test: Test, participant: User) -> list[tuple[Question, list[Choice]]]:
    """The test as this participant reads it: its questions, each with its choices in their order."""
    return [(question, choices_in_order(test, participant, question)) for question in test_questions(test)]


def score(questions: list[Question], answers: dict[int, int]) -> float:
    """One point a question, times the chosen choice's weight (a negative weight earns nothing)."""
    total = 0.0
    for question in questions:
        chosen = next((c for c in question.choices.all() if c.pk == answers.get(question.pk)), None)
        if chosen is not None:
            total += max(0.0, chosen.weight) / 100
    return round(total, 4)


def _refuse_if_not_open(test: Test, now: datetime) -> None:
    if now < test.opens_at:
        raise ActionError(
            _("This test opens at %(time)s; your answers were not recorded.")
            % {"time": _local(test.opens_at)},
            code="not_open",
            status=409,
        )
    if now >= test.closes_at:
        raise ActionError(
            _("This test closed at %(time)s; your answers were not recorded.")
            % {"time": _local(test.closes_at)},
            code="closed",
            status=409,
        )


def not_open_now(test: Test) -> str:
    """Why the test cannot be taken now ("" while it is open), in the reader's language."""
    now = timezone.now()
    if test.session.status == Status.CANCELLED:
        return _("This session has been cancelled.")
    if now < test.opens_at:
        return _("This test opens at %(time)s.") % {"time": _local(test.opens_at)}
    if now >= test.closes_at:
        return _("This test closed at %(time)s.") % {"time": _local(test.closes_at)}
    return ""


# Where a participant stands with a test, for their list of tests.
TAKEN, OPEN, NOT_OPEN_YET, CLOSED, CANCELLED = "taken", "open", "not_open", "closed", "cancelled"


def standing(test: Test, attempt: Attempt | None) -> str:
    """Taken (whenever), else open to take now, not open yet, closed or cancelled."""
    now = timezone.now()
    if attempt is not None:
        return TAKEN
    if test.session.status == Status.CANCELLED:
        return CANCELLED
    if now < test.opens_at:
        return NOT_OPEN_YET
    if now >= test.closes_at:
        return CLOSED
    return OPEN


def _already(attempt: Attempt) -> ActionError:
    return ActionError(
        _(
            "You already submitted this test on %(time)s; your first answers are kept "
            "(score %(score)s of %(maximum)s)."
        )
        % {
            "time": _local(attempt.submitted_at),
            "score": f"{attempt.score:g}",
            "maximum": f"{attempt.max_score:g}",
        },
        code="already_submitted",
        status=409,
    )


def submit(
    participant: User, test: Test, answers: dict[int, int], *, request: HttpRequest | None = None
) -> Attempt:
    """Once per participant, while the test is open; every question answered with one of its choices."""
    if not access.is_participant(participant, test.session):
        raise PermissionDenied
    with transaction.atomic():
        locked = Test.objects.select_for_update().get(pk=test.pk)
        earlier = Attempt.objects.filter(test=locked, participant=participant).first()
        if earlier is not None:
            raise _already(earlier)
        if test.session.status == Status.CANCELLED:
            raise ActionError(_("This session has been cancelled."), code="cancelled", status=409)
        now = timezone.now()
        _refuse_if_not_open(locked, now)
        questions = test_questions(locked)
        errors = []
        for question in questions:
            chosen = answers.get(question.pk)
            if chosen is None:
                errors.append(_error(f"q{question.pk}", _("Choose an answer to this question.")))
            elif chosen not in {choice.pk for choice in question.choices.all()}:
                errors.append(
                    _error(f"q{question.pk}", _("This answer is not one of the question's choices."))
                )
        if set(answers) - {question.pk for question in questions}:
            errors.append(_error("answers", _("An answer is for a question that is not in this test.")))
        if errors:
            raise FieldErrors(errors)
        points = score(questions, answers)
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    test=locked,
                    participant=participant,
                    answers={str(q): a for q, a in answers.items()},
                    score=points,
                    max_score=float(len(questions)),
                    submitted_at=now,
                )
        except IntegrityError:  # the same participant's other request won the race
            raise _already(Attempt.objects.get(test=locked, participant=participant)) from None
        record(
            acts.TEST_SUBMITTED,
            actor=participant,
            target=attempt,
            institution=test.session.institution,
            request=request,
            detail={"test_kind": locked.kind, "score_percent": round(attempt.percent)},
        )
    return attempt
