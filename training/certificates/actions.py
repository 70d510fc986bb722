"""Issuing and revoking certificates: permission, transaction, audit entry and notification in one
place, for the pages, the API and the tests (STYLE.md)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Institution, Role, User
from core.audit import record
from core.errors import ActionError, FieldErrors
from core.notifications import notify
from training.certificates import audit_actions as acts
from training.certificates import notices
from training.certificates.codes import new_code, shown
from training.certificates.models import Certificate, Kind
from training.models import Enrolment, Stage
from training.progress import progress_of

REASON_LENGTH = 300


def _coordinates(user: User, institution: Institution) -> bool:
    return institution in user.institutions_with_role(Role.COORDINATOR)


def _in_each_language(sentence: Callable[[], str]) -> dict[str, str]:
    """The sentence as each language says it (content names follow the active language)."""
    titles = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles[f"title_{code.replace('-', '_').lower()}"] = sentence()
    return titles


def _language_of(person: User) -> str:
    languages = dict(settings.LANGUAGES)
    return person.preferred_language if person.preferred_language in languages else "en"


# --- Milestones ----------------------------------------------------------------------------------
def milestone_problem(enrolment: Enrolment, stage: Stage | None) -> str | None:
    """Why this milestone is not reached yet (translated), or None when it is.

    A stage is completed once the trainee has been moved on to a later stage of the programme;
    the programme once every one of its requirements is met with validated entries."""
    trainee = enrolment.trainee.full_name
    if stage is not None:
        if stage.programme_id != enrolment.programme_id:
            return _("This stage belongs to another programme.")
        if enrolment.stage.position <= stage.position:
            return _("%(trainee)s has not completed %(stage)s yet: they are at %(current)s.") % {
                "trainee": trainee,
                "stage": stage.name,
                "current": enrolment.stage.name,
            }
        return None
    rows = [(group.group, row) for group in progress_of(enrolment)["groups"] for row in group.requirements]
    if not rows:
        return _(
            "The programme %(programme)s has no requirements yet, so its completion cannot be checked."
        ) % {"programme": enrolment.programme.name}
    unmet = [
        _("%(group)s at %(level)s: %(validated)s of %(minimum)s validated")
        % {"group": group.name, "level": row.level, "validated": row.tally.validated, "minimum": row.minimum}
        for group, row in rows
        if not row.met
    ]
    if unmet:
        return _("%(trainee)s has not met every requirement of %(programme)s yet: %(missing)s.") % {
            "trainee": trainee,
            "programme": enrolment.programme.name,
            "missing": "; ".join(unmet),
        }
    return None


def _save_with_a_free_code(certificate: Certificate, duplicate: Callable[[], ActionError]) -> None:
    """Codes are random: a taken one is drawn again; a second valid certificate for the same
    milestone or session (two coordinators at once) is refused as the check before it would."""
    for _attempt in range(10):
        try:
            with transaction.atomic():
                certificate.save()
            return
        except IntegrityError:
            if not Certificate.objects.filter(code=certificate.code).exists():
                raise duplicate() from None
            certificate.code = new_code()
    raise RuntimeError("No free certificate code after 10 attempts.")


def _issued(coordinator: User, certificate: Certificate, request: HttpRequest | None) -> None:
    record(
        acts.CERTIFICATE_ISSUED,
        actor=coordinator,
        target=certificate,
        institution=certificate.institution,
        request=request,
        detail={"certificate": shown(certificate.code), "certificate_kind": certificate.kind},
    )
    notify(
        [certificate.holder],
        notices.CERTIFICATE_ISSUED,
        params={"code": shown(certificate.code)},
        url=reverse("training_certificates:mine"),
    )


@transaction.atomic
def issue_milestone(
    coordinator: User,
    enrolment: Enrolment,
    stage: Stage | None = None,
    *,
    request: HttpRequest | None = None,
) -> Certificate:
    """A certificate for a completed stage (or, with no stage, the whole programme), issued by
    the coordinators of the programme's institution once the milestone is reached."""
    programme = enrolment.programme
    if not _coordinates(coordinator, programme.institution):
        raise PermissionDenied
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()  # one issuer at a time
    problem = milestone_problem(enrolment, stage)
    if problem:
        raise ActionError(problem, code="not_met", status=409)

    def valid_one() -> Certificate | None:
        return Certificate.objects.filter(
            kind=Kind.MILESTONE, enrolment=enrolment, stage=stage, revoked_at__isnull=True
        ).first()

    def duplicate() -> ActionError:
        found = valid_one()
        return ActionError(
            _("%(trainee)s already holds a valid certificate for this milestone: %(code)s.")
            % {"trainee": enrolment.trainee.full_name, "code": shown(found.code) if found else "—"},
            code="duplicate",
            status=409,
        )

    if valid_one():
        raise duplicate()

    def sentence() -> str:
        if stage is None:
            return _("Completed the programme %(programme)s") % {"programme": programme.name}
        return _("Completed %(stage)s of the programme %(programme)s") % {
            "stage": stage.name,
            "programme": programme.name,
        }

    holder = enrolment.trainee
    certificate = Certificate(
        holder=holder,
        kind=Kind.MILESTONE,
        enrolment=enrolment,
        stage=stage,
        institution=programme.institution,
        holder_name=holder.full_name,
        language=_language_of(holder),
        issued_by=coordinator,
        issued_at=timezone.now(),
        **_in_each_language(sentence),
    )
    _save_with_a_free_code(certificate, duplicate)
    _issued(coordinator, certificate, request)
    return certificate


# --- Revocation ----------------------------------------------------------------------------------
@transaction.atomic
def revoke(
    coordinator: User, certificate: Certificate, reason: str, *, request: HttpRequest | None = None
) -> Certificate:
    if not _coordinates(coordinator, certificate.institution):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors(
            [{"field": "reason", "message": _("Say why the certificate is revoked."), "type": "required"}]
        )
    if len(reason) > REASON_LENGTH:
        raise FieldErrors(
            [
                {
                    "field": "reason",
                    "message": _("Keep the reason under %(count)s characters.") % {"count": REASON_LENGTH},
                    "type": "too_long",
                }
            ]
        )
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise ActionError(_("This certificate has already been revoked."), code="already_revoked", status=409)
    locked.revoked_at = timezone.now()
    locked.revoked_by = coordinator
    locked.revoked_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    record(
        acts.CERTIFICATE_REVOKED,
        actor=coordinator,
        target=locked,
        institution=locked.institution,
        request=request,
        detail={"certificate": shown(locked.code), "certificate_kind": locked.kind},
    )
    notify(
        [locked.holder],
        notices.CERTIFICATE_REVOKED,
        params={"code": shown(locked.code)},
        url=reverse("training_certificates:mine"),
    )
    return locked


__all__ = ["issue_milestone", "milestone_problem", "revoke"]
