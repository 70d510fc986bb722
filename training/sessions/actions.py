"""Every change to training sessions: planning, registration and the waiting list, attendance (the
coordinator's list and the check-in code), feedback and the supervisor's follow-up. Permission,
transaction, audit entry and notification in one place (STYLE.md)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Institution, Membership, User
from core.audit import record
from core.errors import ActionError, FieldErrors
from core.models import AuditEntry
from core.notifications import notify
from training.actions import TEXT_LIMIT, identifier_errors, too_long
from training.models import Enrolment
from training.sessions import access, notices
from training.sessions import audit_actions as acts
from training.sessions.models import (
    Cadre,
    CheckIn,
    Feedback,
    FollowUp,
    PracticeChange,
    Registration,
    RegistrationStatus,
    Session,
    Status,
    validate_https,
)

# Letters and digits that cannot be misread on a projector (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# The code works from a little before the start until a little after the end.
CHECK_IN_MARGIN = timedelta(minutes=30)
# Walk-ins are recorded from the session's start until this long after its end.
WALK_IN_LATEST = timedelta(days=7)
# Wrong codes a person may type in WRONG_CODE_WINDOW before being asked to wait.
WRONG_CODES_ALLOWED = 5
WRONG_CODE_WINDOW = timedelta(minutes=15)
RATINGS = ("relevance", "teaching", "practical", "organisation")
# The longest feedback comment or follow-up answer kept (the logbook's): refused beyond, never cut.
COMMENT_LIMIT = TEXT_LIMIT


def follow_up_after() -> timedelta:
    return timedelta(weeks=int(getattr(settings, "TRAINING_SESSION_FOLLOW_UP_WEEKS", 6)))


def _error(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message, "type": "invalid"}


def _length_errors(texts: dict[str, str], limit: int = COMMENT_LIMIT) -> list[dict[str, str]]:
    return [
        _error(name, too_long(limit, len(text.strip())))
        for name, text in texts.items()
        if len(text.strip()) > limit
    ]


def _identifiers_in(texts: dict[str, str]) -> list[dict[str, str]]:
    # Feedback and follow-ups are about teaching: no patient belongs in them.
    return identifier_errors(
        texts,
        _(
            "Remove the name, phone number, e-mail address, date or other number: no patient may be "
            "identifiable here."
        ),
    )


def new_check_in_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def _url(session: Session) -> str:
    return reverse("training_sessions:detail", args=[session.pk])


# --- Planning -----------------------------------------------------------------------------------
@dataclass
class SessionData:
    title: str
    starts_at: datetime
    ends_at: datetime
    institution: Institution
    capacity: int
    language: str = "en"
    topic: str = ""
    description: str = ""
    kind: str = "workshop"
    venue: str = ""
    video_link: str = ""
    audience: list[str] = field(default_factory=list)
    trainers: list[User] = field(default_factory=list)


def _check(data: SessionData) -> None:
    errors = []
    if not data.title.strip():
        errors.append(_error("title", _("Give the session a title.")))
    if data.ends_at <= data.starts_at:
        errors.append(_error("ends_at", _("The session must end after it starts.")))
    if not data.venue.strip() and not data.video_link.strip():
        errors.append(_error("venue", _("Give a venue, a video link or both.")))
    try:
        validate_https(data.video_link)
    except ValidationError:
        errors.append(_error("video_link", _("The video link must start with https://.")))
    if not 1 <= data.capacity <= 1000:
        errors.append(_error("capacity", _("Give a number of places between 1 and 1000.")))
    if any(cadre not in Cadre.values for cadre in data.audience):
        errors.append(_error("audience", _("Choose the cadres from the list.")))
    if data.language not in dict(settings.LANGUAGES):
        errors.append(_error("language", _("Choose one of the languages offered.")))
    if any(not trainer.active_memberships for trainer in data.trainers):
        errors.append(_error("trainers", _("A trainer must have a role at a partner institution.")))
    if errors:
        raise FieldErrors(errors)


def _fields(data: SessionData) -> dict[str, object]:
    return {
        "title": data.title.strip(),
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "institution": data.institution,
        "capacity": data.capacity,
        "language": data.language,
        "topic": data.topic.strip(),
        "description": data.description.strip(),
        "kind": data.kind,
        "venue": data.venue.strip(),
        "video_link": data.video_link.strip(),
        "audience": sorted(set(data.audience)),
    }


@transaction.atomic
def create_session(coordinator: User, data: SessionData, *, request: HttpRequest | None = None) -> Session:
    if data.institution.pk not in access.coordinated(coordinator):
        raise PermissionDenied
    _check(data)
    session = Session.objects.create(
        **_fields(data), created_by=coordinator, check_in_code=new_check_in_code()
    )
    session.trainers.set(data.trainers)
    record(
        acts.SESSION_CREATED,
        actor=coordinator,
        target=session,
        institution=session.institution,
        request=request,
        detail={"session": session.pk},
    )
    return session


@transaction.atomic
def change_session(
    coordinator: User, session: Session, data: SessionData, *, request: HttpRequest | None = None
) -> Session:
    if not access.can_manage(coordinator, session) or data.institution.pk not in access.coordinated(
        coordinator
    ):
        raise PermissionDenied
    if session.status == Status.CANCELLED:
        raise ActionError(
            _("This session has been cancelled; it cannot be changed."), code="cancelled", status=409
        )
    _check(data)
    for name, value in _fields(data).items():
        setattr(session, name, value)
    session.save()
    session.trainers.set(data.trainers)
    record(
        acts.SESSION_CHANGED,
        actor=coordinator,
        target=session,
        institution=session.institution,
        request=request,
        detail={"session": session.pk},
    )
    _fill_free_places(session, request=request)  # more places: the waiting list moves up
    return session


@transaction.atomic
def cancel_session(
    coordinator: User, session: Session, reason: str = "", *, request: HttpRequest | None = None
) -> Session:
    if not access.can_manage(coordinator, session):
        raise PermissionDenied
    if session.status == Status.CANCELLED:
        raise ActionError(_("This session is already cancelled."), code="cancelled", status=409)
    if session.status == Status.HELD:
        raise ActionError(_("This session has been held; it cannot be cancelled."), code="held", status=409)
    session.status = Status.CANCELLED
    session.cancelled_at = timezone.now()
    session.cancel_reason = reason.strip()[:300]
    session.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    record(
        acts.SESSION_CANCELLED,
        actor=coordinator,
        target=session,
        institution=session.institution,
        request=request,
        detail={"session": session.pk},
    )
    waiting = session.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("participant")
    notify(
        [registration.participant for registration in waiting],
        notices.CANCELLED,
        params={"session": session.title},
        url=_url(session),
        exclude=coordinator,
    )
    return session


# --- Registration and the waiting list ----------------------------------------------------------
def places_taken(session: Session) -> int:
    return session.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _renumber_waiting_list(session: Session) -> None:
    waiting = session.registrations.filter(status=RegistrationStatus.WAITING).order_by("position", "pk")
    for number, registration in enumerate(waiting, start=1):
        if registration.position != number:
            registration.position = number
            registration.save(update_fields=["position"])


def _fill_free_places(session: Session, *, request: HttpRequest | None) -> list[Registration]:
    """Move the first on the waiting list up while there are free places, and tell them."""
    if session.status != Status.PLANNED or session.starts_at <= timezone.now():
        return []
    free = session.capacity - places_taken(session)
    promoted = list(
        session.registrations.filter(status=RegistrationStatus.WAITING)
        .select_related("participant")
        .order_by("position", "pk")[: max(free, 0)]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.position = None
        registration.save(update_fields=["status", "position"])
        record(
            acts.PROMOTED,
            actor=None,
            target=registration,
            institution=session.institution,
            request=None,
            detail={"session": session.pk},
        )
        notify(
            [registration.participant],
            notices.PROMOTED,
            params={"session": session.title},
            url=_url(session),
        )
    if promoted:
        _renumber_waiting_list(session)
    return promoted


@transaction.atomic
def register(
    participant: User, session: Session, cadre: str, *, request: HttpRequest | None = None
) -> Registration:
    """A place if one is free, else the end of the waiting list."""
    access.require_member(participant)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Status.CANCELLED:
        raise ActionError(_("This session has been cancelled."), code="cancelled", status=409)
    # An early check-in marks the session held; registration stays open until it starts.
    if session.starts_at <= timezone.now():
        raise ActionError(
            _("Registration has closed: this session has already started."), code="closed", status=409
        )
    if cadre not in Cadre.values:
        raise FieldErrors([_error("cadre", _("Choose your cadre from the list."))])
    if not session.is_open_to(cadre):
        raise FieldErrors(
            [
                _error(
                    "cadre",
                    _("This session is for %(audience)s only.")
                    % {"audience": ", ".join(session.audience_labels())},
                )
            ]
        )
    registration = Registration.objects.filter(session=session, participant=participant).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        if registration.status == RegistrationStatus.WAITING:
            message = _("You are already on the waiting list for this session (number %(position)s).") % {
                "position": registration.position
            }
        else:
            message = _("You are already registered for this session.")
        raise ActionError(message, code="duplicate", status=409)
    if places_taken(session) < session.capacity:
        status, position = RegistrationStatus.REGISTERED, None
    else:
        last = session.registrations.filter(status=RegistrationStatus.WAITING).aggregate(last=Max("position"))
        status, position = RegistrationStatus.WAITING, (last["last"] or 0) + 1
    if registration is None:
        registration = Registration(session=session, participant=participant)
    registration.cadre = cadre
    registration.status = status
    registration.position = position
    registration.cancelled_at = None
    registration.save()
    record(
        acts.REGISTERED,
        actor=participant,
        target=registration,
        institution=session.institution,
        request=request,
        detail={"session": session.pk, "registration_status": status},
    )
    return registration


@transaction.atomic
def cancel_registration(
    participant: User, session: Session, *, request: HttpRequest | None = None
) -> Registration:
    session = Session.objects.select_for_update().get(pk=session.pk)
    registration = Registration.objects.filter(session=session, participant=participant).first()
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        raise ActionError(_("You are not registered for this session."), code="not_registered", status=409)
    if session.starts_at <= timezone.now():
        raise ActionError(
            _("This session has already started; your registration stays."), code="closed", status=409
        )
    registration.status = RegistrationStatus.CANCELLED
    registration.position = None
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "position", "cancelled_at"])
    record(
        acts.REGISTRATION_CANCELLED,
        actor=participant,
        target=registration,
        institution=session.institution,
        request=request,
        detail={"session": session.pk},
    )
    _renumber_waiting_list(session)
    _fill_free_places(session, request=request)
    return registration


# --- Attendance ---------------------------------------------------------------------------------
def when(moment: datetime) -> str:
    """A date and time in the reader's zone."""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _not_a_participant(recorder: User, session: Session, person: User) -> ActionError | None:
    """Nobody records their own attendance, and the session's trainers taught it: they are not
    its participants (nor certified as such)."""
    if person.pk == recorder.pk:
        return ActionError(
            _("You cannot record your own attendance: another coordinator records it if you took part."),
            code="own_attendance",
            status=409,
        )
    if session.trainers.filter(pk=person.pk).exists():
        return ActionError(
            _(
                "%(person)s is a trainer of this session: trainers taught it and are not recorded as participants."
            )
            % {"person": person.full_name},
            code="trainer",
            status=409,
        )
    return None


def _mark_held(session: Session) -> None:
    if session.status == Status.PLANNED:
        session.status = Status.HELD
        session.save(update_fields=["status"])


@transaction.atomic
def take_attendance(
    manager: User, session: Session, attended_ids: set[int], *, request: HttpRequest | None = None
) -> int:
    """The coordinator's list: those ticked came, the others did not. Returns how many came.
    Trainers read the list but do not mark it (their own attendance included)."""
    if not access.can_take_attendance(manager, session):
        raise PermissionDenied
    if session.status == Status.CANCELLED:
        raise ActionError(_("This session has been cancelled."), code="cancelled", status=409)
    if session.starts_at - CHECK_IN_MARGIN > timezone.now():
        raise ActionError(
            _("Attendance is taken once the session has started."), code="not_started", status=409
        )
    registrations = session.registrations.exclude(status=RegistrationStatus.CANCELLED)
    unknown = attended_ids - {registration.pk for registration in registrations}
    if unknown:
        raise FieldErrors([_error("attended", _("Tick only people registered for this session."))])
    now = timezone.now()
    changed = []
    for registration in registrations.select_related("participant"):
        came = registration.pk in attended_ids
        if came == registration.attended:
            continue
        if came and (refused := _not_a_participant(manager, session, registration.participant)):
            raise refused
        changed.append((registration, came))
    for registration, came in changed:
        registration.attended = came
        registration.checked_in_at = now if came else None
        registration.checked_in_by = CheckIn.LIST if came else ""
        registration.save(update_fields=["attended", "checked_in_at", "checked_in_by"])
    _mark_held(session)
    record(
        acts.ATTENDANCE_TAKEN,
        actor=manager,
        target=session,
        institution=session.institution,
        request=request,
        detail={"session": session.pk, "attended": len(attended_ids)},
    )
    return len(attended_ids)


# --- Walk-ins: people who came without registering ----------------------------------------------
WALK_IN_CANDIDATES_SHOWN = 10
WALK_IN_SEARCH_MIN = 2


def long_enough_to_search(text: str) -> bool:
    """Two letters, or one Chinese character (a surname: 李, 王)."""
    text = text.strip()
    return len(text) >= WALK_IN_SEARCH_MIN or any("\u3400" <= char <= "\u9fff" for char in text)


def walk_in_candidates(
    session: Session,
    text: str,
    limit: int = WALK_IN_CANDIDATES_SHOWN,
    *,
    exclude: User | None = None,
) -> list[User]:
    """People with a role at a partner institution whose name or e-mail holds `text` and who
    are not on the session's list yet, nor its trainers, nor `exclude` (the one searching); at
    most `limit` + 1 (the one more says there are more), each with their institutions read in
    the same few queries."""
    text = text.strip()
    if not long_enough_to_search(text):
        return []
    listed = session.registrations.exclude(status=RegistrationStatus.CANCELLED).values("participant_id")
    matching = User.objects.filter(
        Q(full_name__icontains=text) | Q(email__icontains=text),
        is_active=True,
        pk__in=Membership.objects.filter(institution__is_active=True).values("user_id"),
    ).exclude(pk__in=listed)
    matching = matching.exclude(pk__in=session.trainers.values("pk"))
    if exclude is not None:
        matching = matching.exclude(pk=exclude.pk)
    return list(
        matching.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("institution__country"))
        ).order_by("full_name", "pk")[: limit + 1]
    )


@dataclass
class WalkIn:
    registration: Registration
    over_capacity: bool  # every place was taken: recorded all the same, and said so
    outside_audience: bool  # the session was for other cadres: they came all the same


@transaction.atomic
def add_walk_in(
    coordinator: User, session: Session, person: User, cadre: str, *, request: HttpRequest | None = None
) -> WalkIn:
    """Someone who came without registering, added by a coordinator as attended. That they came
    is a fact: it is recorded even when the places are all taken or the session was for other
    cadres, and the coordinator is told. Not before the session starts, nor more than
    WALK_IN_LATEST after it ended; never the coordinator themself or a trainer of the session."""
    if not access.can_take_attendance(coordinator, session):
        raise PermissionDenied
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Status.CANCELLED:
        raise ActionError(_("This session has been cancelled."), code="cancelled", status=409)
    now = timezone.now()
    if session.starts_at > now:
        raise ActionError(
            _("Walk-ins are recorded once the session has started, at %(start)s.")
            % {"start": when(session.starts_at)},
            code="not_started",
            status=409,
        )
    if session.ends_at + WALK_IN_LATEST < now:
        raise ActionError(
            _(
                "Walk-ins are recorded up to 7 days after the session; this one ended on %(end)s, so "
                "nobody can be added to it now."
            )
            % {"end": when(session.ends_at)},
            code="walk_ins_closed",
            status=409,
        )
    if refused := _not_a_participant(coordinator, session, person):
        raise refused
    errors = []
    if not (person.is_active and person.active_memberships):
        errors.append(_error("person", _("Choose a person with a role at a partner institution.")))
    if cadre not in Cadre.values:
        errors.append(_error("cadre", _("Choose their cadre from the list.")))
    if errors:
        raise FieldErrors(errors)
    registration = Registration.objects.filter(session=session, participant=person).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ActionError(
            _("%(person)s is already on the list: tick them there.") % {"person": person.full_name},
            code="duplicate",
            status=409,
        )
    over_capacity = places_taken(session) >= session.capacity
    if registration is None:
        registration = Registration(session=session, participant=person)
    registration.cadre = cadre
    registration.status = RegistrationStatus.REGISTERED
    registration.position = None
    registration.cancelled_at = None
    registration.attended = True
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = CheckIn.LIST
    registration.walk_in = True
    registration.save()
    _mark_held(session)
    record(
        acts.WALK_IN_ADDED,
        actor=coordinator,
        target=registration,
        institution=session.institution,
        request=request,
        detail={"session": session.pk},
    )
    return WalkIn(registration, over_capacity, not session.is_open_to(cadre))


@dataclass
class CheckedIn:
    registration: Registration
    already: bool  # checked in before: told so, not refused


def _wrong_codes_lately(user: User) -> int:
    return AuditEntry.objects.filter(
        actor=user,
        action=acts.CHECK_IN_REFUSED.code,
        created_at__gte=timezone.now() - WRONG_CODE_WINDOW,
    ).count()


def _refuse_code(user: User, request: HttpRequest | None) -> ActionError:
    # Written outside the caller's transaction, so the refusal counts even though it is raised.
    record(acts.CHECK_IN_REFUSED, actor=user, target=user, request=request)
    return ActionError(
        _("This check-in code is not right. Check it on the screen and type it again."),
        code="wrong_code",
    )


def _closed(participant: User, code: str, now: datetime) -> ActionError | None:
    """The right code for a session already over that the participant had a place in: told that
    its check-in closed, not that the code is wrong. For anyone else's session, nothing is said
    (the code stays "not right"), so no code is confirmed to someone who had no place."""
    mine = Registration.objects.filter(participant=participant, status=RegistrationStatus.REGISTERED)
    session = (
        Session.objects.filter(
            check_in_code=code, ends_at__lt=now - CHECK_IN_MARGIN, pk__in=mine.values("session_id")
        )
        .exclude(status=Status.CANCELLED)
        .order_by("-ends_at")
        .first()
    )
    if session is None:
        return None
    return ActionError(
        _(
            "Check-in for “%(session)s” closed at %(time)s. If you were there, ask the coordinator "
            "to tick you on the list."
        )
        % {"session": session.title, "time": when(session.ends_at + CHECK_IN_MARGIN)},
        code="closed",
        status=409,
    )


def check_in(participant: User, code: str, *, request: HttpRequest | None = None) -> CheckedIn:
    """A participant types the code shown during the session on their phone."""
    if _wrong_codes_lately(participant) >= WRONG_CODES_ALLOWED:
        raise ActionError(
            _(
                "Too many wrong codes. Wait a quarter of an hour or ask the coordinator to tick you on the list."
            ),
            code="throttled",
            status=429,
        )
    cleaned = normalise_code(code)
    if len(cleaned) != CODE_LENGTH:
        raise _refuse_code(participant, request)
    now = timezone.now()
    session = (
        Session.objects.filter(
            check_in_code=cleaned,
            starts_at__lte=now + CHECK_IN_MARGIN,
            ends_at__gte=now - CHECK_IN_MARGIN,
        )
        .exclude(status=Status.CANCELLED)
        .select_related("institution")
        .first()
    )
    if session is None:
        raise _closed(participant, cleaned, now) or _refuse_code(participant, request)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(session=session, participant=participant)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        if session.trainers.filter(pk=participant.pk).exists():
            raise ActionError(
                _(
                    "You are a trainer of “%(session)s”: trainers teach it and do not check in as participants."
                )
                % {"session": session.title},
                code="trainer",
                status=409,
            )
        if registration is None or registration.status != RegistrationStatus.REGISTERED:
            raise ActionError(
                _("You do not have a place in “%(session)s”. Ask the coordinator to add you to the list.")
                % {"session": session.title},
                code="not_registered",
                status=409,
            )
        if registration.attended:
            return CheckedIn(registration, already=True)
        registration.attended = True
        registration.checked_in_at = now
        registration.checked_in_by = CheckIn.CODE
        registration.save(update_fields=["attended", "checked_in_at", "checked_in_by"])
        _mark_held(session)
        record(
            acts.CHECKED_IN,
            actor=participant,
            target=registration,
            institution=session.institution,
            request=request,
            detail={"session": session.pk},
        )
    return CheckedIn(registration, already=False)


# --- Feedback (Kirkpatrick level 1) -------------------------------------------------------------
def _rating(name: str, value: object) -> dict[str, str] | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return None
    return _error(name, _("Give a rating from 1 to 5."))


@transaction.atomic
def give_feedback(
    participant: User,
    session: Session,
    ratings: dict[str, int],
    comment: str = "",
    *,
    request: HttpRequest | None = None,
) -> Feedback:
    registration = (
        Registration.objects.select_for_update().filter(session=session, participant=participant).first()
    )
    if registration is None or not registration.attended:
        raise ActionError(
            _("Feedback is given by those who attended the session."), code="not_attended", status=403
        )
    if Feedback.objects.filter(registration=registration).exists():
        raise ActionError(
            _("You have already given your feedback on this session. Thank you."),
            code="duplicate",
            status=409,
        )
    errors = [error for name in RATINGS if (error := _rating(name, ratings.get(name)))]
    errors += _length_errors({"comment": comment})
    errors += _identifiers_in({"comment": comment})
    if errors:
        raise FieldErrors(errors)
    feedback = Feedback.objects.create(
        registration=registration, comment=comment.strip(), **{name: ratings[name] for name in RATINGS}
    )
    record(
        acts.FEEDBACK_GIVEN,
        actor=participant,
        target=feedback,
        institution=session.institution,
        request=request,
        detail={"session": session.pk},
    )
    return feedback


# --- Follow-up with the supervisor (Kirkpatrick level 3) ---------------------------------------
def supervisors_of(participant: User) -> list[User]:
    enrolments = Enrolment.objects.filter(trainee=participant, is_active=True).prefetch_related("supervisors")
    seen: dict[int, User] = {}
    for enrolment in enrolments:
        for supervisor in enrolment.supervisors.all():
            if supervisor.pk != participant.pk and supervisor.is_active:
                seen.setdefault(supervisor.pk, supervisor)
    return list(seen.values())


@transaction.atomic
def ask_follow_ups(now: datetime | None = None) -> int:
    """For each participant who attended a session that ended the set weeks ago, ask each of
    their enrolment supervisors once. Returns how many questions were sent."""
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            attended=True,
            follow_up_done_at__isnull=True,
            session__ends_at__lte=now - follow_up_after(),
        )
        .exclude(session__status=Status.CANCELLED)
        .select_related("session__institution", "participant")
    )
    sent = 0
    for registration in due:
        for supervisor in supervisors_of(registration.participant):
            follow_up, created = FollowUp.objects.get_or_create(
                registration=registration, supervisor=supervisor
            )
            if not created:
                continue
            sent += 1
            record(
                acts.FOLLOW_UP_ASKED,
                target=follow_up,
                institution=registration.session.institution,
                detail={"session": registration.session_id},
            )
            notify(
                [supervisor],
                notices.FOLLOW_UP,
                params={
                    "participant": registration.participant.full_name,
                    "session": registration.session.title,
                },
                url=reverse("training_sessions:follow_up", args=[follow_up.pk]),
            )
        registration.follow_up_done_at = now
        registration.save(update_fields=["follow_up_done_at"])
    return sent


@transaction.atomic
def answer_follow_up(
    supervisor: User,
    follow_up: FollowUp,
    practice_changed: str,
    comment: str = "",
    *,
    request: HttpRequest | None = None,
) -> FollowUp:
    if follow_up.supervisor_id != supervisor.pk:
        raise PermissionDenied
    if follow_up.answered_at is not None:
        raise ActionError(
            _("You have already answered this question. Thank you."), code="duplicate", status=409
        )
    errors = (
        []
        if practice_changed in PracticeChange.values
        else [_error("practice_changed", _("Choose one of the answers."))]
    )
    errors += _length_errors({"comment": comment})
    errors += _identifiers_in({"comment": comment})
    if errors:
        raise FieldErrors(errors)
    follow_up.practice_changed = practice_changed
    follow_up.comment = comment.strip()
    follow_up.answered_at = timezone.now()
    follow_up.save(update_fields=["practice_changed", "comment", "answered_at"])
    record(
        acts.FOLLOW_UP_ANSWERED,
        actor=supervisor,
        target=follow_up,
        institution=follow_up.registration.session.institution,
        request=request,
        detail={"session": follow_up.registration.session_id, "practice_changed": practice_changed},
    )
    return follow_up
