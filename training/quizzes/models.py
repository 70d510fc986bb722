"""The tables of the question bank and of the sessions' pre- and post-tests.

A question and its choices are content, so each carries its text in the three languages (one
column each, blank where not translated yet) and is shown in the reader's language, or else in
the first language it has (English, Kiswahili, Chinese). Its `name` matches the same question
across the GIFT files of each language; it is unique within its author institution.

A participant picks one choice per question; the question earns the choice's weight (percent
of one point, negative weights count as nothing). An attempt keeps its score and the test's
maximum at submission, so the knowledge gain reads what the participant was marked on.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution

LANGUAGES = ("en", "sw", "zh_hans")  # the column suffixes, in the order of the fallback


def suffix(language: str | None) -> str:
    return (language or "en").lower().replace("-", "_")


def in_reader_language(item: models.Model, field: str) -> str:
    """The text in the active language, else the first language it is written in."""
    wanted = suffix(get_language())
    for language in (wanted, *LANGUAGES):
        text = getattr(item, f"{field}_{language}", "")
        if text:
            return str(text)
    return ""


class Question(models.Model):
    name = models.CharField(_("name"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="quiz_questions",
        verbose_name=_("author institution"),
    )
    text_en = models.TextField(_("question (English)"), blank=True, max_length=3000)
    text_sw = models.TextField(_("question (Kiswahili)"), blank=True, max_length=3000)
    text_zh_hans = models.TextField(_("question (Chinese)"), blank=True, max_length=3000)
    is_true_false = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="quiz_question_name_once")
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.name

    @property
    def text(self) -> str:
        return in_reader_language(self, "text")

    def languages(self) -> list[str]:
        """The languages its text is written in (codes as Django spells them)."""
        return [code.replace("_", "-") for code in LANGUAGES if getattr(self, f"text_{code}")]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_en = models.CharField(_("choice (English)"), max_length=500, blank=True)
    text_sw = models.CharField(_("choice (Kiswahili)"), max_length=500, blank=True)
    text_zh_hans = models.CharField(_("choice (Chinese)"), max_length=500, blank=True)
    weight = models.FloatField(
        _("weight (%)"), default=0, validators=[MinValueValidator(-100), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_reader_language(self, "text")

    @property
    def is_right(self) -> bool:
        return self.weight >= 100


class Kind(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class Test(models.Model):
    __test__ = False  # not a pytest test class

    session = models.ForeignKey(
        "training_sessions.Session",
        on_delete=models.CASCADE,
        related_name="quiz_tests",
        verbose_name=_("session"),
    )
    kind = models.CharField(_("test"), max_length=4, choices=Kind.choices)
    questions = models.ManyToManyField(Question, related_name="tests", verbose_name=_("questions"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["session", "kind"], name="quiz_one_test_per_kind"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="quiz_closes_after_opening"
            ),
        ]
        verbose_name = _("test")
        verbose_name_plural = _("tests")

    def __str__(self) -> str:
        return f"{self.session_id} {self.kind}"


class Attempt(models.Model):
    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("test"))
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
        verbose_name=_("participant"),
    )
    # {question id: chosen choice id}, as strings (JSON keys); a question left blank is absent.
    answers = models.JSONField(_("answers"), default=dict)
    score = models.FloatField(_("score"))
    max_score = models.FloatField(_("maximum score"))
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["test", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["test", "participant"], name="quiz_one_attempt_per_participant")
        ]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self) -> str:
        return f"{self.test_id}: {self.participant_id}"

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score else 0.0
