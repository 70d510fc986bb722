from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import MultilingualName
from core.notification_kinds import kind
from lib.auditchain import ChainFields

_code = RegexValidator(r"^[a-z][a-z0-9_-]{1,39}$", _("Use lower-case letters, digits, - and _."))


class Country(MultilingualName):
    """A partner country. Which side keeps identifiable patient data is data, not code."""

    code = models.CharField(
        _("ISO country code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, e.g. TZ."))],
    )
    holds_identifiable_data = models.BooleanField(
        _("identifiable patient data is kept here"),
        default=False,
        help_text=_("Consultants outside such countries see only de-identified records."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Specialty(MultilingualName):
    """A clinical specialty the partnership covers (neurosurgery first)."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[_code])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")


class Subspecialty(MultilingualName):
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        related_name="subspecialties",
        verbose_name=_("specialty"),
    )
    code = models.CharField(_("code"), max_length=40, validators=[_code])
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    class Meta:
        ordering = ["specialty__code", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["specialty", "code"], name="unique_subspecialty_code")]
        verbose_name = _("subspecialty")
        verbose_name_plural = _("subspecialties")


class DiagnosisCategory(MultilingualName):
    """A working-diagnosis category of a specialty (trauma, hydrocephalus, …)."""

    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        related_name="diagnosis_categories",
        verbose_name=_("specialty"),
    )
    code = models.CharField(_("code"), max_length=40, validators=[_code])
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    # What the referral form asks for this category, and whom the case is routed to: data, so
    # that another specialty brings its own categories without code.
    asks_injury_details = models.BooleanField(_("asks for the mechanism and time of injury"), default=False)
    asks_shunt_history = models.BooleanField(_("asks for the shunt history"), default=False)
    routed_to = models.ManyToManyField(
        Subspecialty,
        blank=True,
        related_name="diagnosis_categories",
        verbose_name=_("subspecialties that answer these cases"),
    )

    class Meta:
        ordering = ["specialty__code", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["specialty", "code"], name="unique_diagnosis_category_code")
        ]
        verbose_name = _("diagnosis category")
        verbose_name_plural = _("diagnosis categories")


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit trail.

    Written only through core.audit.record. The database refuses UPDATE and DELETE
    (triggers in migration 0002), and each entry's hash covers the previous one, so a
    removed or altered line shows up in `manage.py verify_audit_chain`.
    """

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}:{self.object_id}"

    def chain_fields(self) -> ChainFields:
        return ChainFields(
            previous_hash=self.previous_hash,
            created_at=self.created_at,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            institution_id=self.institution_id,
            ip_address=self.ip_address,
            detail=self.detail,
        )


class ScheduledRun(models.Model):
    """That a periodic job was enqueued for one time slot; the unique pair stops doubles
    when several schedulers run."""

    job = models.CharField(max_length=100)
    slot = models.BigIntegerField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="unique_job_slot")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot}"


class Notification(models.Model):
    """One item in a person's in-app inbox. The sentence is rendered in the reader's language
    from its kind (core.notifications); params hold codes and numbers, never patient data."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def text(self) -> str:
        return kind(self.kind).render(self.params)
