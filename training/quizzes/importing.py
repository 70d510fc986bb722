"""A GIFT file read against the bank before anything is saved: what would be added, what would get
a translation, and every error with its line, in the coordinator's language.

A question whose name is already in the author institution's bank gets the file's language; it
must then have the same choices in the same order and with the same weights (a translation, not
another question), else the line is an error. A new name adds a question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Institution
from lib import gift
from lib.identifiers import Identity, scan
from training.quizzes.models import Question

MAX_QUESTION = 3000
MAX_CHOICE = 500
MAX_NAME = 200

# Reasons found against the bank, beside lib.gift's codes.
DUPLICATE_NAME = "duplicate_name"
OTHER_KIND = "other_kind"
OTHER_CHOICES = "other_choices"
OTHER_WEIGHTS = "other_weights"
TOO_LONG = "too_long"
IDENTIFIER = "identifier"

REASONS: dict[str, Promise] = {
    gift.UNCLOSED_NAME: gettext_lazy("the name opened with :: is not closed with ::."),
    gift.NO_ANSWERS: gettext_lazy("no answers in braces { }: this is not a question."),
    gift.UNCLOSED_BRACE: gettext_lazy("the answers opened with { are not closed with }."),
    gift.STRAY_BRACE: gettext_lazy("a } without its {; write \\} for the character itself."),
    gift.SEVERAL_BLOCKS: gettext_lazy(
        "two sets of answers in one question; leave a blank line between questions."
    ),
    gift.ESSAY: gettext_lazy(
        "an essay question; only multiple-choice and true/false questions can be imported."
    ),
    gift.NUMERIC: gettext_lazy(
        "a numerical question; only multiple-choice and true/false questions can be imported."
    ),
    gift.MATCHING: gettext_lazy(
        "a matching question; only multiple-choice and true/false questions can be imported."
    ),
    gift.SHORT_ANSWER: gettext_lazy(
        "a short-answer question (no wrong choice marked with ~); only multiple-choice and true/false "
        "questions can be imported."
    ),
    gift.EMPTY_TEXT: gettext_lazy("the question has no text."),
    gift.STRAY_TEXT: gettext_lazy("text before the first choice; start each choice with = or ~."),
    gift.BAD_WEIGHT: gettext_lazy(
        "a weight must be a number from -100 to 100 between two percent signs, as in ~%50%."
    ),
    gift.EMPTY_CHOICE: gettext_lazy("a choice has no text."),
    gift.TOO_FEW_CHOICES: gettext_lazy("a question needs at least two choices."),
    gift.NO_FULL_MARKS: gettext_lazy("no choice is marked right: mark one with = (or give it 100%)."),
    gift.BAD_TRUE_FALSE: gettext_lazy("a true/false question takes at most two feedbacks."),
    gift.EMPTY_CATEGORY: gettext_lazy("the $CATEGORY: line names no category."),
    DUPLICATE_NAME: gettext_lazy("this name is already used by another question of the file."),
    OTHER_KIND: gettext_lazy(
        "the bank's question with this name is of another type (true/false or multiple choice)."
    ),
    OTHER_CHOICES: gettext_lazy("the bank's question with this name has another number of choices."),
    OTHER_WEIGHTS: gettext_lazy(
        "the bank's question with this name marks other choices right; keep the choices in the same order."
    ),
    TOO_LONG: gettext_lazy(
        "too long: at most 200 characters for a name, 3000 for a question and 500 for a choice."
    ),
    IDENTIFIER: gettext_lazy(
        "a name, phone number, e-mail address, date or ID number: a question may not identify a patient."
    ),
}


@dataclass(frozen=True)
class Line:
    line: int
    message: str


@dataclass
class Preview:
    language: str
    new: list[gift.Question] = field(default_factory=list)
    translated: list[tuple[gift.Question, Question]] = field(default_factory=list)
    errors: list[Line] = field(default_factory=list)

    @property
    def can_save(self) -> bool:
        return not self.errors and bool(self.new or self.translated)


def message(line: int, code: str) -> Line:
    return Line(line, _("Line %(line)s: %(reason)s") % {"line": line, "reason": REASONS[code]})


def _too_long(question: gift.Question) -> bool:
    return (
        len(question.name) > MAX_NAME
        or len(question.text) > MAX_QUESTION
        or any(len(choice.text) > MAX_CHOICE for choice in question.choices)
    )


def _identifies_someone(question: gift.Question) -> bool:
    # A bank is shared teaching material: the logbook's patterns, on the text and every choice.
    texts = {"text": question.text} | {f"choice{i}": choice.text for i, choice in enumerate(question.choices)}
    return bool(scan(texts, Identity()))


def _mismatch(question: gift.Question, existing: Question) -> str:
    if question.is_true_false != existing.is_true_false:
        return OTHER_KIND
    if question.is_true_false:
        right = [choice.is_right for choice in existing.choices.all()]
        return "" if right == [question.truth, not question.truth] else OTHER_WEIGHTS
    weights = [choice.weight for choice in existing.choices.all()]
    if len(weights) != len(question.choices):
        return OTHER_CHOICES
    if weights != [choice.weight for choice in question.choices]:
        return OTHER_WEIGHTS
    return ""


def preview(text: str, language: str, institution: Institution) -> Preview:
    parsed = gift.parse(text)
    result = Preview(language, errors=[message(problem.line, problem.code) for problem in parsed.errors])
    names = {question.name for question in parsed.questions}
    bank = {
        question.name: question
        for question in Question.objects.filter(institution=institution, name__in=names).prefetch_related(
            "choices"
        )
    }
    seen: set[str] = set()
    for question in parsed.questions:
        if question.name in seen:
            result.errors.append(message(question.line, DUPLICATE_NAME))
            continue
        seen.add(question.name)
        if _too_long(question):
            result.errors.append(message(question.line, TOO_LONG))
        elif _identifies_someone(question):
            result.errors.append(message(question.line, IDENTIFIER))
        elif question.name not in bank:
            result.new.append(question)
        elif reason := _mismatch(question, bank[question.name]):
            result.errors.append(message(question.line, reason))
        else:
            result.translated.append((question, bank[question.name]))
    result.errors.sort(key=lambda error: error.line)
    return result
