"""Choosing a test's questions from a bank of thousands over a slow phone link: the chosen ones
first, then one page of the others, narrowed by topic, language and words. The page holds at most
the chosen questions and PAGE others, whatever the size of the bank."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from training.quizzes.models import LANGUAGES, Question

PAGE = 20
MAX_TOPICS = 100  # the topic list's bound; words find a topic past it
MAX_WORDS = 100


@dataclass(frozen=True)
class Found:
    questions: list[Question]
    total: int  # the questions matching, beside the chosen ones
    page: int
    pages: int

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def topics() -> list[str]:
    return list(
        Question.objects.exclude(topic="")
        .order_by("topic")
        .values_list("topic", flat=True)
        .distinct()[:MAX_TOPICS]
    )


def chosen(ids: list[int]) -> list[Question]:
    return list(Question.objects.filter(pk__in=ids).select_related("institution").order_by("topic", "name"))


def _matching(topic: str, language: str, words: str) -> QuerySet[Question]:
    found = Question.objects.all()
    if topic:
        found = found.filter(topic=topic)
    if language in LANGUAGES:
        found = found.exclude(**{f"text_{language}": ""})
    for word in words.split()[:10]:
        found = found.filter(
            Q(name__icontains=word)
            | Q(topic__icontains=word)
            | Q(text_en__icontains=word)
            | Q(text_sw__icontains=word)
            | Q(text_zh_hans__icontains=word)
        )
    return found


def find(topic: str, language: str, words: str, page: int, leaving_out: list[int]) -> Found:
    """One page of the bank's questions matching, in topic and name order, without the chosen ones."""
    found = _matching(topic, language, words[:MAX_WORDS]).exclude(pk__in=leaving_out)
    total = found.count()
    pages = max(1, -(-total // PAGE))
    page = min(max(page, 1), pages)
    rows = found.select_related("institution").order_by("topic", "name", "pk")[
        (page - 1) * PAGE : page * PAGE
    ]
    return Found(list(rows), total, page, pages)
