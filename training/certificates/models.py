"""The tables of certificates: one row per certificate issued, with what it says frozen as issued.

The holder's name and "for what" are kept as they were printed (in the three languages, so the
public page can say it in the reader's), so renaming a programme later does not change a
certificate already in someone's hands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution
from training.certificates.codes import new_code, shown
from training.models import Enrolment, Stage
from training.sessions.models import Session


class Kind(models.TextChoices):
    SESSION = "session", _("Training session attended")
    MILESTONE = "milestone", _("Programme milestone")


class Certificate(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    # A session: the one attended.
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("session"),
    )
    # A milestone: the enrolment, and the stage completed (empty: the whole programme).
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("stage")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by (institution)")
    )
    # As printed: the holder's name then, and what it is for in each language.
    holder_name = models.CharField(_("holder's name as issued"), max_length=200)
    language = models.CharField(_("language of the certificate"), max_length=10, choices=settings.LANGUAGES)
    title_en = models.CharField(_("for what (English)"), max_length=400)
    title_sw = models.CharField(_("for what (Kiswahili)"), max_length=400)
    title_zh_hans = models.CharField(_("for what (Chinese)"), max_length=400)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            # One valid certificate per milestone (a revoked one may be issued again, corrected).
            models.UniqueConstraint(
                fields=["session", "holder"],
                condition=Q(revoked_at__isnull=True, kind="session"),
                name="certificate_one_per_attendance",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "stage"],
                condition=Q(revoked_at__isnull=True, kind="milestone", stage__isnull=False),
                name="certificate_one_per_stage",
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True, kind="milestone", stage__isnull=True),
                name="certificate_one_per_programme",
            ),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.shown_code

    @property
    def shown_code(self) -> str:
        return shown(self.code)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def title_in(self, language: str) -> str:
        suffix = (language or "en").replace("-", "_").lower()
        return getattr(self, f"title_{suffix}", "") or self.title_en

    @property
    def title(self) -> str:
        """What it is for, in the reader's language."""
        return self.title_in(get_language() or "en")

    @property
    def holder_title(self) -> str:
        """What it is for, in the language it was printed in."""
        return self.title_in(self.language)
