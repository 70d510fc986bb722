"""The sessions' pages: thin; the rules are in training.sessions.actions, who sees what in
training.sessions.access."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role, User
from consultations.access import conferences_for
from core.errors import ActionError, FieldErrors
from core.i18n import zone_with_offset
from training.sessions import access, actions, queries
from training.sessions.forms import (
    CancelForm,
    CheckInForm,
    FeedbackForm,
    FollowUpForm,
    RegisterForm,
    SessionForm,
    WalkInForm,
    WalkInSearchForm,
    places_of,
)
from training.sessions.models import (
    Feedback,
    PracticeChange,
    Registration,
    RegistrationStatus,
    Session,
    Status,
)

# The partnership's two working zones, shown beside the reader's own.
PARTNER_ZONES = ("Africa/Dar_es_Salaam", "Asia/Shanghai")
LIST_LENGTH = 30


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _show_errors(form: forms.Form, refused: FieldErrors) -> None:
    for error in refused.errors:
        name = error.get("field")
        form.add_error(name if name in form.fields else None, error["message"])


def times_of(session: Session) -> list[tuple[str, str]]:
    """The start and end in the reader's zone, then in the partner zones that differ from it."""
    shown = []
    reader = timezone.get_current_timezone()
    zones = [reader] + [ZoneInfo(key) for key in PARTNER_ZONES if key != getattr(reader, "key", "")]
    for zone in zones:
        start, end = timezone.localtime(session.starts_at, zone), timezone.localtime(session.ends_at, zone)
        # Formatted here: the template's date filter would move them back to the reader's zone.
        span = "{} – {}".format(
            formats.date_format(start.replace(tzinfo=None), "SHORT_DATETIME_FORMAT"),
            formats.time_format(end.replace(tzinfo=None), "TIME_FORMAT")
            if start.date() == end.date()
            else formats.date_format(end.replace(tzinfo=None), "SHORT_DATETIME_FORMAT"),
        )
        shown.append((zone_with_offset(session.starts_at, zone), span))
    return shown


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_member(user)
    visible = access.sessions_visible_to(user)
    now = timezone.now()
    upcoming = (
        visible.filter(ends_at__gte=now)
        .exclude(status=Status.CANCELLED)
        .select_related("institution")
        .order_by("starts_at")[:LIST_LENGTH]
    )
    mine = {
        r.session_id: r
        for r in Registration.objects.filter(participant=user, session__in=[s.pk for s in upcoming]).exclude(
            status=RegistrationStatus.CANCELLED
        )
    }
    held = queries.held_sessions(sessions=visible, conferences=conferences_for(user))[:LIST_LENGTH]
    context = {
        "upcoming": [(session, mine.get(session.pk)) for session in upcoming],
        "held": held,
        "may_organise": access.may_organise(user),
        "zone": zone_with_offset(now),
    }
    return render(request, "training_sessions/list.html", context)


def _session_data(form: SessionForm) -> actions.SessionData:
    data = form.cleaned_data
    return actions.SessionData(
        title=data["title"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        institution=data["institution"],
        capacity=data["capacity"],
        language=data["language"],
        topic=data["topic"],
        description=data["description"],
        kind=data["kind"],
        venue=data["venue"],
        video_link=data["video_link"],
        audience=list(data["audience"]),
        trainers=list(data["trainers"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_session(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    institutions = user.institutions_with_role(Role.COORDINATOR)
    if not institutions:
        raise PermissionDenied
    form = SessionForm(institutions, request.POST or None, initial={"language": user.preferred_language})
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.create_session(user, _session_data(form), request=request)
        except FieldErrors as refused:
            _show_errors(form, refused)
        else:
            messages.success(request, _("Session planned. People can register now."))
            return HttpResponseRedirect(reverse("training_sessions:detail", args=[session.pk]))
    return render(
        request,
        "training_sessions/form.html",
        {"form": form, "session": None, "zone": zone_with_offset(timezone.now())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    session = access.get_session_to_manage(user, session_id)
    initial: dict[str, Any] = {
        name: getattr(session, name)
        for name in (
            "title",
            "language",
            "topic",
            "kind",
            "venue",
            "video_link",
            "capacity",
            "audience",
            "description",
        )
    }
    initial |= {
        "institution": session.institution_id,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "trainers": list(session.trainers.values_list("pk", flat=True)),
    }
    form = SessionForm(user.institutions_with_role(Role.COORDINATOR), request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_session(user, session, _session_data(form), request=request)
        except FieldErrors as refused:
            _show_errors(form, refused)
        except ActionError as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(request, _("Session saved."))
            return HttpResponseRedirect(reverse("training_sessions:detail", args=[session.pk]))
    return render(
        request,
        "training_sessions/form.html",
        {"form": form, "session": session, "zone": zone_with_offset(timezone.now())},
    )


@login_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    session = access.get_session(user, session_id)
    registration = access.own_registration(user, session)
    if registration is not None and registration.status == RegistrationStatus.CANCELLED:
        registration = None
    now = timezone.now()
    last_cadre = (
        Registration.objects.filter(participant=user)
        .order_by("-registered_at")
        .values_list("cadre", flat=True)
        .first()
    )
    manages = access.can_manage(user, session)
    context = {
        "session": session,
        "times": times_of(session),
        "trainers": [
            (trainer, places_of(trainer))
            for trainer in session.trainers.prefetch_related("memberships__institution__country")
        ],
        "registration": registration,
        "taken": actions.places_taken(session),
        "waiting": queries.waiting_list(session).count(),
        "open": session.status != Status.CANCELLED and session.starts_at > now,
        "register_form": RegisterForm(audience=session.audience, initial={"cadre": last_cadre}),
        "manages": manages,
        "sees_attendance": access.can_see_attendance(user, session),
        "code_valid": session.starts_at - actions.CHECK_IN_MARGIN
        <= now
        <= session.ends_at + actions.CHECK_IN_MARGIN,
        "may_give_feedback": registration is not None
        and registration.attended
        and not Feedback.objects.filter(registration=registration).exists(),
        "cancel_form": CancelForm(),
    }
    if context["sees_attendance"]:
        context |= _evaluation(session, follow_ups=manages)
    return render(request, "training_sessions/detail.html", context)


def _evaluation(session: Session, *, follow_ups: bool) -> dict[str, Any]:
    """What the organisers read of a session's evaluation: the participants' feedback (level 1),
    counted and with its comments, never with who gave it; and the supervisors' answers on
    whether practice changed (level 3), counted for the trainers, and each answer, naming the
    participant and the supervisor, for the coordinators (`follow_ups`). A few queries whatever
    the number of answers."""
    summary = queries.feedback_summary(session)
    labels = FeedbackForm.base_fields
    comments, comments_total = queries.feedback_comments(session)
    asked, answered, answers = queries.follow_up_summary(session)
    shown, shown_total = queries.follow_up_answers(session) if follow_ups else ([], 0)
    # Read all the same, so that the page costs as many queries with few answers as with many.
    held_back = queries.feedback_held_back(summary.count)
    if held_back:
        comments, comments_total = [], 0
    return {
        "feedback_count": summary.count,
        "feedback_held_back": held_back,
        "ratings": []
        if held_back
        else [
            (
                labels[name].label,
                summary.averages[name],
                [
                    (score, count)
                    for score, count in zip(queries.SCORES, summary.spread[name], strict=True)
                    if count
                ],
            )
            for name in queries.RATINGS
        ],
        "comments": comments,
        "comments_hidden": comments_total - len(comments),
        "asked": asked,
        "answered": answered,
        "answers": [(label, answers.get(value, 0)) for value, label in PracticeChange.choices],
        "follow_ups": follow_ups,
        "follow_up_answers": shown,
        "follow_ups_hidden": shown_total - len(shown),
    }


def _to_session(session: Session) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("training_sessions:detail", args=[session.pk]))


@login_required
@require_POST
def register(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    session = access.get_session(user, session_id)
    form = RegisterForm(request.POST, audience=session.audience)
    if not form.is_valid():
        messages.error(request, _("Choose your cadre from the list."))
        return _to_session(session)
    try:
        registration = actions.register(user, session, form.cleaned_data["cadre"], request=request)
    except ActionError as refused:
        messages.error(request, str(refused.message))
    except FieldErrors as refused:
        messages.error(request, " ".join(str(error["message"]) for error in refused.errors))
    else:
        if registration.status == RegistrationStatus.WAITING:
            messages.success(
                request,
                _(
                    "The session is full: you are number %(position)s on the waiting list. You will be told if a place comes free."
                )
                % {"position": registration.position},
            )
        else:
            messages.success(request, _("You are registered."))
    return _to_session(session)


@login_required
@require_POST
def unregister(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    session = access.get_session(user, session_id)
    try:
        actions.cancel_registration(user, session, request=request)
    except ActionError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return _to_session(session)


@login_required
@require_POST
def cancel_session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    session = access.get_session_to_manage(user, session_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.cancel_session(user, session, reason, request=request)
    except ActionError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("Session cancelled; those registered are told."))
    return _to_session(session)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    session = access.get_attendance(user, session_id)
    if request.method == "POST":
        if not access.can_take_attendance(user, session):
            raise PermissionDenied  # the trainers read the list; the coordinators mark it
        ticked = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        try:
            count = actions.take_attendance(user, session, ticked, request=request)
        except ActionError as refused:
            messages.error(request, str(refused.message))
        except FieldErrors as refused:
            messages.error(request, " ".join(str(error["message"]) for error in refused.errors))
        else:
            messages.success(request, _("Attendance saved: %(count)s came.") % {"count": count})
            return HttpResponseRedirect(reverse("training_sessions:attendance", args=[session.pk]))
    search = WalkInSearchForm(request.GET)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    return _attendance_page(request, session, search, text)


def _walk_in_rows(
    session: Session, text: str, failed: WalkInForm | None, searcher: User
) -> tuple[list[tuple[User, list[str], WalkInForm]], bool]:
    """The people found for a walk-in, each with where they work and the form that adds them
    (the refused one bound, with its error); and whether more were found than are shown."""
    found = actions.walk_in_candidates(session, text, exclude=searcher)
    rows = []
    for person in found[: actions.WALK_IN_CANDIDATES_SHOWN]:
        form = WalkInForm(initial={"person": person.pk, "q": text}, auto_id=f"walk_in_{person.pk}_%s")
        if failed is not None and failed.data.get("person") == str(person.pk):
            form = failed
        rows.append((person, places_of(person), form))
    return rows, len(found) > actions.WALK_IN_CANDIDATES_SHOWN


def _walk_ins_closed(session: Session) -> str:
    """Why no walk-in can be recorded now, or "" when one can."""
    now = timezone.now()
    if session.status == Status.CANCELLED:
        return _("This session has been cancelled.")
    if session.starts_at > now:
        return _("Walk-ins are recorded once the session has started, at %(start)s.") % {
            "start": actions.when(session.starts_at)
        }
    if session.ends_at + actions.WALK_IN_LATEST < now:
        return _(
            "Walk-ins are recorded up to 7 days after the session; this one ended on %(end)s, so "
            "nobody can be added to it now."
        ) % {"end": actions.when(session.ends_at)}
    return ""


def _attendance_page(
    request: HttpRequest,
    session: Session,
    search: WalkInSearchForm,
    text: str,
    failed: WalkInForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    takes = access.can_take_attendance(user, session)
    registrations = list(
        session.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("participant")
        .order_by("status", "position", "participant__full_name")
    )
    rows, more = _walk_in_rows(session, text, failed, user) if takes and text else ([], False)
    context = {
        "session": session,
        "times": times_of(session),
        "takes": takes,
        "registrations": registrations,
        "attended": sum(1 for r in registrations if r.attended),
        "taken": sum(1 for r in registrations if r.status == RegistrationStatus.REGISTERED),
        "search": search,
        "searched": text,
        "too_short": bool(text) and not actions.long_enough_to_search(text),
        "found": rows,
        "failed": failed,
        "more": more,
        "shown": actions.WALK_IN_CANDIDATES_SHOWN,
        "walk_ins_closed": _walk_ins_closed(session),
    }
    return render(request, "training_sessions/attendance.html", context, status=status)


@login_required
@require_POST
def walk_in(request: HttpRequest, session_id: int) -> HttpResponse:
    """Add someone who came without registering, found by name or e-mail on the attendance list."""
    user = _user(request)
    session = access.get_attendance_to_take(user, session_id)
    form = WalkInForm(request.POST, auto_id=f"walk_in_{request.POST.get('person', '')}_%s")
    text = str(request.POST.get("q", ""))[:100]
    search = WalkInSearchForm({"q": text})
    search.is_valid()
    back = reverse("training_sessions:attendance", args=[session.pk]) + "?" + urlencode({"q": text})
    if form.is_valid():
        person = User.objects.filter(pk=form.cleaned_data["person"]).first()
        try:
            if person is None:
                raise FieldErrors(
                    [
                        {
                            "field": "person",
                            "message": _("Choose a person with a role at a partner institution."),
                        }
                    ]
                )
            done = actions.add_walk_in(user, session, person, form.cleaned_data["cadre"], request=request)
        except ActionError as refused:
            messages.error(request, str(refused.message))
            return HttpResponseRedirect(back)
        except FieldErrors as refused:
            _show_errors(form, refused)
        else:
            _tell_walk_in(request, session, done)
            return HttpResponseRedirect(reverse("training_sessions:attendance", args=[session.pk]))
    return _attendance_page(request, session, search, text, failed=form, status=400)


def _tell_walk_in(request: HttpRequest, session: Session, done: actions.WalkIn) -> None:
    name = done.registration.participant.full_name
    messages.success(request, _("%(person)s is recorded as attended.") % {"person": name})
    if done.over_capacity:
        messages.warning(
            request,
            _("Every place was already taken: the session now has %(taken)s people for %(capacity)s places.")
            % {"taken": actions.places_taken(session), "capacity": session.capacity},
        )
    if done.outside_audience:
        messages.warning(
            request,
            _("This session was for %(audience)s; %(person)s came all the same and is counted.")
            % {"audience": ", ".join(session.audience_labels()), "person": name},
        )


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_member(user)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = actions.check_in(user, form.cleaned_data["code"], request=request)
        except ActionError as refused:
            form.add_error("code", str(refused.message))
        else:
            session = done.registration.session
            local = timezone.localtime(done.registration.checked_in_at)
            if done.already:
                messages.info(
                    request,
                    _("You were already checked in to “%(session)s” at %(time)s.")
                    % {"session": session.title, "time": formats.time_format(local, "TIME_FORMAT")},
                )
            else:
                messages.success(
                    request, _("Checked in to “%(session)s”. Welcome!") % {"session": session.title}
                )
            return _to_session(session)
    return render(request, "training_sessions/check_in.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _user(request)
    session = access.get_session(user, session_id)
    registration = access.own_registration(user, session)
    if registration is None or not registration.attended:
        raise PermissionDenied
    given = Feedback.objects.filter(registration=registration).exists()
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ratings = {name: form.cleaned_data[name] for name in actions.RATINGS}
        try:
            actions.give_feedback(user, session, ratings, form.cleaned_data["comment"], request=request)
        except FieldErrors as refused:
            _show_errors(form, refused)
        except ActionError as refused:
            messages.info(request, str(refused.message))
            return _to_session(session)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return _to_session(session)
    return render(
        request, "training_sessions/feedback.html", {"form": form, "session": session, "given": given}
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    user = _user(request)
    question = access.get_follow_up(user, follow_up_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_follow_up(
                user,
                question,
                form.cleaned_data["practice_changed"],
                form.cleaned_data["comment"],
                request=request,
            )
        except FieldErrors as refused:
            _show_errors(form, refused)
        except ActionError as refused:
            messages.info(request, str(refused.message))
            return HttpResponseRedirect(reverse("training_sessions:follow_up", args=[question.pk]))
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
            return HttpResponseRedirect(reverse("training_sessions:follow_up", args=[question.pk]))
    return render(request, "training_sessions/follow_up.html", {"form": form, "question": question})
