"""The tables of workplace-based assessments: one row per assessment a trainee asks an assessor
for, completed (with the entrustment rating and narrative) or declined by the assessor."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution
from training.models import Competency, Enrolment, Procedure

DUE_AFTER = timedelta(days=14)  # an assessor has two weeks; then the request is overdue


class Kind(models.TextChoices):
    CBD = "cbd", _("Case-based discussion (CbD)")
    DOPS = "dops", _("Direct observation of a procedural skill (DOPS)")
    PBA = "pba", _("Procedure-based assessment (PBA)")
    EPA = "epa", _("Observation of an entrustable professional activity (EPA)")


class Status(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the assessor")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")


class Entrustment(models.IntegerChoices):
    """The entrustment scale of Competency (1 observes only … 5 may supervise others)."""

    OBSERVES = 1, _("1 – Observes only: may not yet do it")
    DIRECT = 2, _("2 – May do it with the supervisor in the room")
    INDIRECT = 3, _("3 – May do it with the supervisor quickly available")
    UNSUPERVISED = 4, _("4 – May do it alone, the supervisor on call")
    SUPERVISES = 5, _("5 – May supervise others doing it")


def due_from(requested_at: datetime) -> datetime:
    return requested_at + DUE_AFTER


class Assessment(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("enrolment")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("trainee")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments_to_complete",
        verbose_name=_("assessor"),
    )
    kind = models.CharField(_("kind of assessment"), max_length=4, choices=Kind.choices)
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("procedure"),
    )
    competency = models.ForeignKey(
        Competency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competency (EPA)"),
    )
    observed_on = models.DateField(_("date observed"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    summary = models.CharField(_("what was observed"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    due_at = models.DateTimeField(_("due by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    rating = models.PositiveSmallIntegerField(
        _("entrustment rating"),
        choices=Entrustment.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    narrative = models.TextField(_("narrative"), blank=True)
    went_well = models.TextField(_("what went well"), blank=True)
    to_develop = models.TextField(_("what to develop"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-observed_on", "-id"]
        indexes = [
            models.Index(fields=["assessor", "status"], name="assessment_to_complete"),
            models.Index(fields=["trainee", "-observed_on"], name="assessment_of_trainee"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(trainee=F("assessor")), name="assessment_not_self"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="assessment_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(rating__isnull=False, completed_at__isnull=False),
                name="assessment_completed_is_rated",
            ),
            # The same request sent twice (a double tap) is one request.
            models.UniqueConstraint(
                fields=["trainee", "assessor", "kind", "observed_on"],
                condition=Q(status="requested"),
                name="assessment_one_open_request",
            ),
        ]
        verbose_name = _("workplace-based assessment")
        verbose_name_plural = _("workplace-based assessments")

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.observed_on}"

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.REQUESTED and self.due_at < timezone.now()

    @property
    def subject(self) -> str:
        """What was assessed: the competency (EPA) or the procedure, if named."""
        if self.competency is not None:
            return str(self.competency.name)
        if self.procedure is not None:
            return str(self.procedure.name)
        return ""
