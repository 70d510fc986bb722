"""Issuing and revoking certificates: permission, transaction, audit entry and notification in one
place, for the pages, the API and the tests (STYLE.md)."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
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
from training.sessions.models import Registration, RegistrationStatus, Session
from training.sessions.models import Status as SessionStatus

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


def valid_milestone_certificate(enrolment: Enrolment, stage: Stage | None) -> Certificate | None:
    """The valid certificate already held for this milestone, if any: a second is refused."""
    return Certificate.objects.filter(
        kind=Kind.MILESTONE, enrolment=enrolment, stage=stage, revoked_at__isnull=True
    ).first()


def milestones_to_issue(enrolment: Enrolment) -> list[Stage | None]:
    """The milestones issue_milestone would certify now, by its own rules: reached
    (milestone_problem says nothing) and not already held; None stands for the whole programme.
    The page offers these and no others."""
    held = set(
        Certificate.objects.filter(
            kind=Kind.MILESTONE, enrolment=enrolment, revoked_at__isnull=True
        ).values_list("stage_id", flat=True)
    )
    stages: list[Stage | None] = [
        stage
        for stage in Stage.objects.filter(programme_id=enrolment.programme_id).order_by("position")
        if stage.pk not in held and milestone_problem(enrolment, stage) is None
    ]
    if None not in held and milestone_problem(enrolment, None) is None:
        stages.append(None)
    return stages


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

    def duplicate() -> ActionError:
        found = valid_milestone_certificate(enrolment, stage)
        return ActionError(
            _("%(trainee)s already holds a valid certificate for this milestone: %(code)s.")
            % {"trainee": enrolment.trainee.full_name, "code": shown(found.code) if found else "—"},
            code="duplicate",
            status=409,
        )

    if valid_milestone_certificate(enrolment, stage):
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


# --- Sessions attended --------------------------------------------------------------------------
def _attended_sentence(session: Session) -> Callable[[], str]:
    zone = ZoneInfo(session.institution.time_zone or "UTC")

    def sentence() -> str:
        # The title as its coordinator typed it, in the session's own language.
        return _("Attended the training session “%(title)s”, %(date)s") % {
            "title": session.title,
            "date": date_format(session.starts_at.astimezone(zone), "DATE_FORMAT"),
        }

    return sentence


def attended(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Those of these registrations that issue_for_session certifies: marked as attended, not
    cancelled, and not of the session's trainers (they taught it; they did not attend it)."""
    taught = Session.trainers.through.objects.filter(
        session_id=OuterRef("session_id"), user_id=OuterRef("participant_id")
    )
    return (
        registrations.filter(attended=True)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exclude(Exists(taught))
    )


def waiting_for_certificate(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Of those attended, the ones with no valid certificate for their session yet: whom
    issue_for_session would certify now (and the page offers to)."""
    held = Certificate.objects.filter(
        kind=Kind.SESSION,
        session=OuterRef("session"),
        holder=OuterRef("participant"),
        revoked_at__isnull=True,
    )
    return attended(registrations).exclude(Exists(held))


@transaction.atomic
def issue_for_session(
    coordinator: User, session: Session, *, request: HttpRequest | None = None
) -> list[Certificate]:
    """A certificate for each participant marked as having attended who has none yet, issued by
    the coordinators of the organising institution once the session has ended."""
    if not _coordinates(coordinator, session.institution):
        raise PermissionDenied
    Session.objects.select_for_update().filter(pk=session.pk).first()  # one issuer at a time
    if session.status == SessionStatus.CANCELLED:
        raise ActionError(_("This session has been cancelled."), code="cancelled", status=409)
    if session.ends_at > timezone.now():
        raise ActionError(
            _("Certificates are issued once the session has ended."), code="not_ended", status=409
        )
    if not attended(session.registrations.all()).exists():
        raise ActionError(
            _("No one is marked as having attended this session yet: take the attendance first."),
            code="no_attendance",
            status=409,
        )
    waiting = [
        registration.participant
        for registration in waiting_for_certificate(session.registrations.all())
        .select_related("participant")
        .order_by("pk")
    ]
    if not waiting:
        raise ActionError(
            _("Everyone who attended this session already has a certificate."), code="duplicate", status=409
        )
    titles = _in_each_language(_attended_sentence(session))
    issued = []
    for holder in waiting:
        certificate = Certificate(
            holder=holder,
            kind=Kind.SESSION,
            session=session,
            institution=session.institution,
            holder_name=holder.full_name,
            language=_language_of(holder),
            issued_by=coordinator,
            issued_at=timezone.now(),
            **titles,
        )

        def duplicate(person: User = holder) -> ActionError:
            return ActionError(
                _("%(person)s already has a certificate for this session.") % {"person": person.full_name},
                code="duplicate",
                status=409,
            )

        _save_with_a_free_code(certificate, duplicate)
        _issued(coordinator, certificate, request)
        issued.append(certificate)
    return issued


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


__all__ = [
    "attended",
    "issue_for_session",
    "issue_milestone",
    "milestone_problem",
    "milestones_to_issue",
    "revoke",
    "valid_milestone_certificate",
    "waiting_for_certificate",
]
