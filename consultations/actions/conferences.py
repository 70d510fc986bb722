"""Case conferences: schedule, list cases (open or closed: teaching discusses both), invite,
withdraw an invitation, mark attendance, summarise. Coordinators of the organising institution
organise; reading a conference is recorded like reading a case."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, Role, User
from consultations import audit_actions as acts
from consultations import notices
from consultations.access import case_access, discussable_cases
from consultations.models import Case, Conference, ConferenceCase, ConferenceParticipant
from core.audit import AuditAction, record
from core.errors import ActionError
from core.notifications import notify
from lib.identifiers import Identity, scan


def _require_organiser(user: User, conference: Conference) -> None:
    if not any(i.pk == conference.institution_id for i in user.institutions_with_role(Role.COORDINATOR)):
        raise PermissionDenied


def _record_on_conference(
    action: AuditAction,
    conference: Conference,
    actor: User,
    request: HttpRequest | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """A conference's events are filed under the institution that holds it."""
    record(
        action,
        actor=actor,
        target=conference,
        institution=conference.institution,
        request=request,
        detail=detail,
    )


def record_view(user: User, conference: Conference, *, request: HttpRequest | None = None) -> None:
    """Conference pages show case codes and summaries: reading them is recorded like a case view."""
    _record_on_conference(acts.CONFERENCE_VIEWED, conference, user, request)


@transaction.atomic
def schedule(
    coordinator: User,
    *,
    institution: Institution,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    video_link: str,
    request: HttpRequest | None = None,
) -> Conference:
    if not any(i.pk == institution.pk for i in coordinator.institutions_with_role(Role.COORDINATOR)):
        raise PermissionDenied
    conference = Conference(
        title=title.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        video_link=video_link,
        institution=institution,
        organiser=coordinator,
    )
    conference.full_clean()
    conference.save()
    ConferenceParticipant.objects.create(conference=conference, person=coordinator)
    _record_on_conference(acts.CONFERENCE_SCHEDULED, conference, coordinator, request)
    return conference


@transaction.atomic
def add_case(
    coordinator: User, conference: Conference, case: Case, *, request: HttpRequest | None = None
) -> ConferenceCase:
    _require_organiser(coordinator, conference)
    if not discussable_cases(coordinator).filter(pk=case.pk).exists():
        raise Http404
    item, created = ConferenceCase.objects.get_or_create(conference=conference, case=case)
    if not created:
        raise ActionError(_("This case is already on the list."), code="duplicate", status=409)
    _record_on_conference(
        acts.CONFERENCE_CASE_ADDED, conference, coordinator, request, detail={"case": case.code}
    )
    return item


@transaction.atomic
def invite(
    coordinator: User, conference: Conference, people: Iterable[User], *, request: HttpRequest | None = None
) -> int:
    _require_organiser(coordinator, conference)
    added = []
    for person in people:
        _participant, created = ConferenceParticipant.objects.get_or_create(
            conference=conference, person=person
        )
        if created:
            added.append(person)
    if added:
        _record_on_conference(
            acts.CONFERENCE_INVITED,
            conference,
            coordinator,
            request,
            detail={"people": [p.pk for p in added]},
        )
        notify(added, notices.CONFERENCE, params={}, url=f"/conferences/{conference.pk}/")
    return len(added)


@transaction.atomic
def withdraw_invitation(
    coordinator: User, participant: ConferenceParticipant, *, request: HttpRequest | None = None
) -> None:
    """The person is no longer invited: the conference and the cases on its list are closed to
    them again (consultations.access.conference_item_for_invitee reads the invitation). Someone
    marked present keeps the record of it (attendance counts as training): unmark them first."""
    conference = participant.conference
    _require_organiser(coordinator, conference)
    # Locked, so that attendance saved at the same moment cannot be lost with the row.
    current = ConferenceParticipant.objects.select_for_update().filter(pk=participant.pk).first()
    if current is None:
        raise ActionError(_("This person is no longer invited."), code="not_invited", status=409)
    if current.attended:
        raise ActionError(
            _(
                "This person attended the conference: their attendance stays on record. Mark them absent first."
            ),
            code="attended",
            status=409,
        )
    person = current.person
    current.delete()
    _record_on_conference(
        acts.CONFERENCE_WITHDRAWN, conference, coordinator, request, detail={"invitee": person.pk}
    )
    notify([person], notices.INVITATION_WITHDRAWN, params={}, url="/conferences/", exclude=coordinator)


@transaction.atomic
def record_attendance(
    coordinator: User, conference: Conference, attended: Iterable[int], *, request: HttpRequest | None = None
) -> None:
    _require_organiser(coordinator, conference)
    present = set(attended)
    participants = list(conference.participants.all())
    unknown = present - {p.person_id for p in participants}
    if unknown:
        raise ActionError(_("Only invited people can be marked present."), code="not_invited")
    for participant in participants:
        should = participant.person_id in present
        if participant.attended != should:
            participant.attended = should
            participant.save(update_fields=["attended"])
    _record_on_conference(
        acts.CONFERENCE_ATTENDANCE, conference, coordinator, request, detail={"present": len(present)}
    )


def summarise(
    coordinator: User, item: ConferenceCase, summary: str, *, request: HttpRequest | None = None
) -> None:
    _require_organiser(coordinator, item.conference)
    case = item.case
    # Outside the referring team only the patterns are checked (phones, dates, numbers): matching
    # the text against the patient's identity would confirm, one guess at a time, a guessed name.
    identity = Identity()
    if case_access(coordinator, case).in_referring_team:
        person = case.identity
        identity = Identity.of(person)
    if scan({"summary": summary}, identity):
        # Recorded outside the refused change, so that repeated guesses show in the trail.
        _record_on_conference(
            acts.CONFERENCE_SUMMARY_REFUSED, item.conference, coordinator, request, detail={"case": case.code}
        )
        raise ActionError(
            _(
                "The summary contains the patient's name, a number, a phone or a date. Refer to the "
                "case by its code and to days as “day 3”."
            ),
            code="identifiers",
        )
    with transaction.atomic():
        _save_summary(coordinator, item, summary, request=request)


def _save_summary(
    coordinator: User, item: ConferenceCase, summary: str, *, request: HttpRequest | None
) -> None:
    item.summary = summary.strip()
    item.full_clean()
    item.save(update_fields=["summary"])
    _record_on_conference(
        acts.CONFERENCE_SUMMARY, item.conference, coordinator, request, detail={"case": item.case.code}
    )
