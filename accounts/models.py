from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_phone, validate_time_zone
from core.models import Country, Subspecialty


class Institution(models.Model):
    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital")
        UNIVERSITY = "university", _("University")
        MINISTRY = "ministry", _("Ministry")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_code = models.CharField(
        _("short code"),
        max_length=16,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]{2,16}$", _("2–16 capital letters, digits or -."))],
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="institutions", verbose_name=_("country")
    )
    city = models.CharField(_("city"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.HOSPITAL)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    dhis2_org_unit = models.CharField(
        _("DHIS2 organisation unit"),
        max_length=64,
        blank=True,
        help_text=_("The code or id of this facility in DHIS2, for reports to the ministry."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country__code", "name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return f"{self.name} ({self.short_code})"


class Role(models.TextChoices):
    REFERRER = "referrer", _("Referring clinician")
    CONSULTANT = "consultant", _("Consultant")
    TRAINEE = "trainee", _("Trainee")
    SUPERVISOR = "supervisor", _("Supervisor")
    COORDINATOR = "coordinator", _("Coordinator")
    RESEARCHER = "researcher", _("Researcher")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that see patients' records or manage people must prove a second factor.
TWO_FACTOR_ROLES = frozenset({Role.CONSULTANT, Role.COORDINATOR, Role.ADMINISTRATOR})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=normalise_email(username or ""))

    def administrators(self) -> models.QuerySet[User]:
        return (
            self.filter(is_active=True)
            .filter(models.Q(is_superuser=True) | models.Q(memberships__role=Role.ADMINISTRATOR))
            .distinct()
        )


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(
        _("full name"), max_length=200, help_text=_("As you would like colleagues to see it.")
    )
    preferred_language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.DEFAULT_USER_TIME_ZONE,
        validators=[validate_time_zone],
    )
    phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("For urgent alerts by SMS, in international form."),
    )
    languages_spoken = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        help_text=_("Languages in which this person can discuss a case."),
    )
    subspecialties = models.ManyToManyField(
        Subspecialty, blank=True, related_name="consultants", verbose_name=_("subspecialties")
    )
    notify_by_email = models.BooleanField(_("send me e-mail notifications"), default=True)
    notify_by_sms = models.BooleanField(
        _("send me SMS notifications"),
        default=False,
        help_text=_("Emergencies always come by SMS when a phone number is set."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="unique_email_ignoring_case")]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    # --- roles ---------------------------------------------------------------------------
    @cached_property
    def active_memberships(self) -> list[Membership]:
        return list(
            self.memberships.filter(institution__is_active=True).select_related("institution__country")
        )

    def forget_memberships(self) -> None:
        self.__dict__.pop("active_memberships", None)

    @property
    def roles(self) -> set[str]:
        return {membership.role for membership in self.active_memberships}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def institutions_with_role(self, *roles: str) -> list[Institution]:
        seen: dict[int, Institution] = {}
        for membership in self.active_memberships:
            if membership.role in roles:
                seen.setdefault(membership.institution_id, membership.institution)
        return list(seen.values())

    @property
    def institutions(self) -> list[Institution]:
        return self.institutions_with_role(*Role.values)

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMINISTRATOR)

    @property
    def is_staff(self) -> bool:
        """Django's admin asks for is_staff; here that means the administrator role."""
        return self.is_active and self.is_administrator

    @property
    def requires_two_factor(self) -> bool:
        return self.is_superuser or self.has_role(*TWO_FACTOR_ROLES)

    @property
    def works_where_identifiable_data_is_kept(self) -> bool:
        return any(m.institution.country.holds_identifiable_data for m in self.active_memberships)

    # Administrators hold every permission in Django's admin (role, not per-model grants).
    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_active and self.is_administrator

    def has_perms(self, perm_list: Iterable[str], obj: Any = None) -> bool:
        return self.is_active and self.is_administrator

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and self.is_administrator


class Membership(models.Model):
    """One role a person holds at one institution; several rows give several roles."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("institution"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["institution__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "institution", "role"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.institution.short_code}"


class Invitation(models.Model):
    """A one-time, expiring link that lets a person join an institution with given roles."""

    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("institution"),
    )
    roles = models.JSONField(_("roles"), default=list)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.institution.short_code}"

    def is_pending(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now

    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]


class ApiToken(models.Model):
    """A personal token for the JSON API. Only its hash is stored; it is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
