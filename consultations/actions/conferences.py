"""Case conferences: schedule, list cases (open or closed: teaching discusses both) and take them
off the list, invite, withdraw an invitation, mark attendance, summarise. Coordinators of the
organising institution organise; reading a conference is recorded like reading a case.
`consent_gaps` says which of those invited will not read a listed case because the patient's
consent does not cover where they work (consultations.access.consent_allows), so the organiser
is warned on the page and when adding a case or inviting someone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, Role, User
from consultations import audit_actions as acts
from consultations import notices
from consultations.access import case_access, cases_visible_to, consent_allows, discussable_cases
from consultations.models import Case, Conference, ConferenceCase, ConferenceParticipant, Consent
from core.audit import AuditAction, record
from core.errors import ActionError
from core.models import Country
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
def remove_case(coordinator: User, item: ConferenceCase, *, request: HttpRequest | None = None) -> None:
    """The case leaves the conference's list, its summary with it. Those invited no longer read it
    through this conference (consultations.access.conference_item_for_invitee reads the lists):
    another conference they are invited to that lists it still opens it to them."""
    conference = item.conference
    _require_organiser(coordinator, conference)
    # Locked, so that a summary saved at the same moment is not written to a row being deleted.
    current = ConferenceCase.objects.select_for_update().filter(pk=item.pk).select_related("case").first()
    if current is None:
        raise ActionError(_("This case is no longer on the list."), code="not_listed", status=409)
    code = current.case.code
    current.delete()
    _record_on_conference(
        acts.CONFERENCE_CASE_REMOVED, conference, coordinator, request, detail={"case": code}
    )


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
    if participant.person_id == conference.organiser_id:
        raise ActionError(_("The organiser stays invited to the conference."), code="organiser", status=409)
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


@dataclass(frozen=True)
class ConsentGap:
    """One invited person who will not read one listed case: the patient's consent does not cover
    every country they work in."""

    case: Case
    person: User
    their_countries: tuple[str, ...]  # names, in the reader's language
    consented: tuple[str, ...]  # the consent's countries (empty: none recorded)

    def message(self) -> str:
        if self.their_countries and self.consented:
            separator = pgettext("between the items of a list", ", ")
            return gettext(
                "%(name)s (%(countries)s) will not see %(case)s: the patient's consent covers "
                "%(consented)s only."
            ) % {
                "name": self.person.full_name,
                "countries": separator.join(self.their_countries),
                "case": self.case.code,
                "consented": separator.join(self.consented),
            }
        return gettext(
            "%(name)s will not see %(case)s: the patient's consent does not cover where they work."
        ) % {"name": self.person.full_name, "case": self.case.code}


def consent_gaps(
    conference: Conference,
    *,
    cases: Sequence[Case] | None = None,
    people: Sequence[User] | None = None,
) -> list[ConsentGap]:
    """Who of those invited (or `people`) will not read which listed case (or `cases`) because of
    the patient's consent. Someone who sees a case in their own right (its referring team, its
    consultants) is not concerned: the consent chose them."""
    if cases is None:
        cases = [item.case for item in conference.items.select_related("case")]
    if people is None:
        people = [p.person for p in conference.participants.select_related("person")]
    if not cases or not people:
        return []
    consented: dict[int, tuple[str, ...]] = {}
    gaps = []
    for person in people:
        theirs: tuple[str, ...] | None = None
        seen = set(cases_visible_to(person).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True))
        for case in cases:
            if case.pk in seen or consent_allows(case, person):
                continue
            if theirs is None:
                theirs = _names(
                    Country.objects.filter(
                        institutions__memberships__user=person, institutions__is_active=True
                    )
                )
            if case.pk not in consented:
                consent = Consent.objects.filter(case=case).first()
                consented[case.pk] = _names(consent.countries.all()) if consent else ()
            gaps.append(ConsentGap(case, person, theirs, consented[case.pk]))
    return gaps


def _names(countries: Any) -> tuple[str, ...]:
    return tuple(sorted({country.name for country in countries}))
