"""Every step of a consultation: draft, consent, send, route, answer, discuss, close the loop.

Each action checks permission, runs in a transaction, writes the audit entry and queues the
notifications. Views, the API, the scheduler's jobs and the tests call these functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, Membership, Role, User
from consultations import audit_actions as acts
from consultations import notices
from consultations.access import CaseAccess
from consultations.models import (
    Assignment,
    Attachment,
    Case,
    Consent,
    Message,
    OnCallShift,
    Opinion,
    Outcome,
    PatientIdentity,
    Status,
    new_case_code,
)
from consultations.routing import Candidate, Need, choose
from consultations.signals import clinical_record_changed
from consultations.triage import TriageInput, Urgency, red_flags, response_deadline
from core.audit import record
from core.errors import ActionError
from core.models import Country, DiagnosisCategory
from core.notifications import notify
from lib import files
from lib.identifiers import Finding, Identity, scan, unconfirmed

FREE_TEXT_FIELDS = (
    "presenting_complaint",
    "history",
    "focal_deficits",
    "comorbidities",
    "medication",
    "ct_findings",
    "shunt_details",
    "question",
)
CLINICAL_FIELDS = (
    "urgency",
    "age_value",
    "age_unit",
    "sex",
    "mechanism",
    "injury_at",
    "gcs_eye",
    "gcs_verbal",
    "gcs_motor",
    "gcs_falling",
    "pupil_left_mm",
    "pupil_left_reaction",
    "pupil_right_mm",
    "pupil_right_reaction",
    "systolic_bp",
    "diastolic_bp",
    "heart_rate",
    "respiratory_rate",
    "oxygen_saturation",
    "temperature",
    "seizures",
    "anticoagulant",
    "antiplatelet",
    "intracranial_bleed",
    "shunt_history",
    *FREE_TEXT_FIELDS,
)
IDENTITY_FIELDS = ("full_name", "hospital_number", "phone", "date_of_birth", "admitted_on")


def case_url(case: Case) -> str:
    return reverse("consultations:case", args=[case.code])


def _params(case: Case) -> dict[str, Any]:
    return {"case": case.code}


def _referring_team(case: Case) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__institution=case.referring_institution,
            memberships__role__in=[Role.REFERRER],
        ).distinct()
    ) or [case.created_by]


def _coordinators_of(institution_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__institution__in=list(institution_ids),
            memberships__role=Role.COORDINATOR,
        ).distinct()
    )


def _consultants_on_case(case: Case) -> list[User]:
    """Consultants assigned now, and those who answered: the ones still part of the case."""
    ids = set(case.assignments.filter(ended_at__isnull=True).values_list("consultant_id", flat=True)) | set(
        case.opinions.values_list("consultant_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True))


def refuse_identifiers(
    case: Case, texts: dict[str, str], *, author_in_team: bool, confirmed: bool = False
) -> int:
    """Text written after sending is checked like the referral was: the patient's name, numbers,
    phone numbers and calendar dates are refused unless the author confirms them.

    For authors outside the referring team only the patterns are checked (phones, dates): matching
    their words against the patient's name would tell them the name.
    """
    identity = Identity()
    if author_in_team:
        person = case.identity
        identity = Identity(
            full_name=person.full_name, hospital_number=person.hospital_number, phone=person.phone
        )
    findings = scan(texts, identity)
    if findings and not confirmed:
        raise ActionError(
            _(
                "This may identify the patient: %(found)s. Remove it, or write dates as days (for "
                "example “day 3”)."
            )
            % {"found": ", ".join(sorted({f"“{finding.text}”" for finding in findings}))},
            code="identifiers",
        )
    return len(findings)


def _require_open(case: Case) -> None:
    if case.status == Status.CLOSED:
        raise ActionError(_("This consultation is closed."), code="closed", status=409)


# --- drafting ------------------------------------------------------------------------------
@transaction.atomic
def create_draft(
    referrer: User,
    *,
    institution: Institution,
    category: DiagnosisCategory,
    clinical: dict[str, Any],
    identity: dict[str, Any],
    client_token: str | None = None,
    request: HttpRequest | None = None,
) -> Case:
    if not any(i.pk == institution.pk for i in referrer.institutions_with_role(Role.REFERRER)):
        raise PermissionDenied
    if client_token:
        earlier = Case.objects.filter(client_token=client_token, created_by=referrer).first()
        if earlier is not None:
            return earlier  # the same form sent twice: keep the first
    case = Case(
        client_token=client_token or None,
        referring_institution=institution,
        created_by=referrer,
        specialty=category.specialty,
        category=category,
        **{field: value for field, value in clinical.items() if field in CLINICAL_FIELDS},
    )
    case.full_clean(exclude=["confirmed_identifier_keys", "client_token", "code"])
    _save_with_a_free_code(case)
    person = PatientIdentity(case=case, **{f: v for f, v in identity.items() if f in IDENTITY_FIELDS})
    person.full_clean()
    person.save()
    record(acts.CASE_CREATED, actor=referrer, target=case, institution=institution, request=request)
    clinical_record_changed.send(sender=Case, case=case)
    return case


def _save_once(item: Opinion | Message) -> None:
    """Save; if the same submission arrived twice at once, the second loses the race cleanly."""
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        if item.client_token and type(item).objects.filter(client_token=item.client_token).exists():
            raise ActionError(_("This was already sent."), code="duplicate", status=409) from None
        raise


def _save_with_a_free_code(case: Case) -> None:
    """Codes are random (7 characters of 31): at 100,000 cases two may collide about once in five
    databases, so a taken code is replaced rather than failing the referral."""
    for _attempt in range(10):
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            if not Case.objects.filter(code=case.code).exists():
                raise  # another constraint: not ours to hide
            case.code = new_case_code()
    raise RuntimeError("No free case code after 10 attempts.")


@transaction.atomic
def update_draft(
    access: CaseAccess,
    user: User,
    *,
    category: DiagnosisCategory | None = None,
    clinical: dict[str, Any],
    identity: dict[str, Any],
    request: HttpRequest | None = None,
) -> Case:
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    if not access.in_referring_team:
        raise PermissionDenied
    if case.status != Status.DRAFT:
        raise ActionError(
            _("This consultation has been sent; add what changed as a message instead."),
            code="not_draft",
            status=409,
        )
    changed = [f for f in CLINICAL_FIELDS if f in clinical and getattr(case, f) != clinical[f]]
    for field in changed:
        setattr(case, field, clinical[field])
    if category is not None and category.pk != case.category_id:
        case.category, case.specialty = category, category.specialty
        changed.append("category")
    case.full_clean(exclude=["confirmed_identifier_keys", "client_token"])
    case.save()
    person = case.identity
    for field in IDENTITY_FIELDS:
        if field in identity and getattr(person, field) != identity[field]:
            setattr(person, field, identity[field])
            changed.append(f"identity.{field}")
    person.full_clean()
    person.save()
    record(
        acts.CASE_UPDATED,
        actor=user,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail={"fields": changed[:40]},
    )
    clinical_record_changed.send(sender=Case, case=case)
    return case


@transaction.atomic
def record_consent(
    access: CaseAccess,
    user: User,
    *,
    given_by: str,
    relationship: str,
    method: str,
    countries: Iterable[Country],
    request: HttpRequest | None = None,
) -> Consent:
    if not access.in_referring_team:
        raise PermissionDenied
    case = access.case
    if case.status != Status.DRAFT:
        # Consultants were chosen within the consent: it cannot shrink under them afterwards.
        raise ActionError(
            _("Consent is recorded before sending and cannot be changed afterwards."), code="sent", status=409
        )
    chosen = list(countries)
    home = case.referring_institution.country
    if home not in chosen:
        chosen.append(home)  # the case is always seen where it was referred from
    consent, _created = Consent.objects.update_or_create(
        case=case,
        defaults={"given_by": given_by, "relationship": relationship, "method": method, "recorded_by": user},
    )
    consent.countries.set(chosen)
    record(
        acts.CONSENT_RECORDED,
        actor=user,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail={"countries": sorted(c.code for c in chosen), "method": method},
    )
    return consent


def identifier_findings(case: Case) -> list[Finding]:
    person = case.identity
    identity = Identity(
        full_name=person.full_name, hospital_number=person.hospital_number, phone=person.phone
    )
    return scan({field: getattr(case, field) for field in FREE_TEXT_FIELDS}, identity)


@transaction.atomic
def confirm_identifiers(
    access: CaseAccess, user: User, keys: Iterable[str], *, request: HttpRequest | None = None
) -> None:
    """The referrer says these findings are not the patient's identifiers and may be shared."""
    if not access.in_referring_team:
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    current = {finding.key for finding in identifier_findings(case)}
    accepted = sorted(set(keys) & current)
    case.confirmed_identifier_keys = sorted(set(case.confirmed_identifier_keys) | set(accepted))
    case.save(update_fields=["confirmed_identifier_keys", "updated_at"])
    record(
        acts.IDENTIFIERS_CONFIRMED,
        actor=user,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail={"count": len(accepted)},
    )


def missing_for_submission(case: Case) -> list[tuple[str, str]]:
    """(field, message) for everything that stops the case from being sent."""
    missing: list[tuple[str, str]] = []
    required = {
        "age_value": _("Give the patient's age."),
        "sex": _("Give the patient's sex."),
        "presenting_complaint": _("Give the presenting complaint."),
        "question": _("Write the question you want the consultant to answer."),
    }
    for field, message in required.items():
        if getattr(case, field) in (None, ""):
            missing.append((field, str(message)))
    if case.category.asks_injury_details:
        if not case.mechanism:
            missing.append(("mechanism", str(_("Give the mechanism of injury."))))
        if case.injury_at is None:
            missing.append(("injury_at", str(_("Give the time of injury."))))
        if not (case.gcs_eye and case.gcs_verbal and case.gcs_motor):
            missing.append(("gcs_eye", str(_("Give each GCS component (choose “Not testable” if so)."))))
    if case.category.asks_shunt_history and not case.shunt_history:
        missing.append(("shunt_history", str(_("Give the shunt history."))))
    if not Consent.objects.filter(case=case).exists():
        missing.append(("consent", str(_("Record the patient's consent before sending."))))
    return missing


def triage(case: Case) -> list[str]:
    return [
        str(flag)
        for flag in red_flags(
            TriageInput(
                gcs_total=case.gcs_total,
                gcs_falling=case.gcs_falling,
                left_pupil_reaction=case.pupil_left_reaction,
                right_pupil_reaction=case.pupil_right_reaction,
                on_anticoagulant_or_antiplatelet=case.anticoagulant or case.antiplatelet,
                intracranial_bleed=case.intracranial_bleed,
            )
        )
    ]


@transaction.atomic
def submit(access: CaseAccess, user: User, *, request: HttpRequest | None = None) -> Case:
    """Send the case: checks it is complete, consented and free of unconfirmed identifiers,
    sets its deadline and asks the best available consultant."""
    if not access.in_referring_team:
        raise PermissionDenied
    case = (
        Case.objects.select_for_update()
        .select_related("category", "referring_institution")
        .get(pk=access.case.pk)
    )
    if case.status != Status.DRAFT:
        raise ActionError(_("This consultation has already been sent."), code="already_sent", status=409)
    missing = missing_for_submission(case)
    if missing:
        raise ActionError(missing[0][1], code="incomplete")
    if unconfirmed(identifier_findings(case), case.confirmed_identifier_keys):
        raise ActionError(
            _("Remove or confirm the possible identifiers in the text before sending."),
            code="identifiers",
        )
    now = timezone.now()
    case.status = Status.OPEN
    case.submitted_at = now
    case.deadline = response_deadline(now, Urgency(case.urgency), settings.CONSULTATION_DEADLINE_MINUTES)
    case.save()
    record(
        acts.CASE_SUBMITTED,
        actor=user,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail={"urgency": case.urgency, "red_flags": triage(case)},
    )
    consultant = _route(case, exclude=set())
    if consultant is None:
        _no_consultant(case)
    else:
        _assign(case, consultant, via=Assignment.Via.ROUTING, by=None, request=request)
    notify(_referring_team(case), notices.CASE_SENT, params=_params(case), url=case_url(case), exclude=user)
    return case


# --- routing -------------------------------------------------------------------------------
def _consent_countries(case: Case) -> set[int]:
    return set(Consent.objects.get(case=case).countries.values_list("pk", flat=True))


def candidates_for(case: Case, now: datetime | None = None) -> list[Candidate]:
    """Every consultant who may see this case (consent covers their country), with what
    routing needs to know about them."""
    now = now or timezone.now()
    countries = _consent_countries(case)
    memberships = Membership.objects.filter(
        role=Role.CONSULTANT,
        user__is_active=True,
        institution__is_active=True,
        institution__country__in=countries,
    ).exclude(user=case.created_by)
    consultant_ids = set(memberships.values_list("user_id", flat=True))
    home_ids = set(
        memberships.filter(institution__country=case.referring_institution.country).values_list(
            "user_id", flat=True
        )
    )
    on_call = set(
        OnCallShift.objects.filter(
            consultant__in=consultant_ids, starts_at__lte=now, ends_at__gt=now
        ).values_list("consultant_id", flat=True)
    )
    load = dict(
        Assignment.objects.filter(consultant__in=consultant_ids, ended_at__isnull=True)
        .exclude(case__status__in=[Status.CLOSED, Status.DRAFT])
        .values("consultant")
        .annotate(n=Count("id"))
        .values_list("consultant", "n")
    )
    users = User.objects.filter(pk__in=consultant_ids).prefetch_related("subspecialties")
    return [
        Candidate(
            consultant_id=user.pk,
            subspecialties=frozenset(s.code for s in user.subspecialties.all()),
            languages=frozenset(user.languages_spoken or [user.preferred_language]),
            on_call=user.pk in on_call,
            open_cases=load.get(user.pk, 0),
            in_home_country=user.pk in home_ids,
        )
        for user in users
    ]


def _route(case: Case, *, exclude: set[int]) -> User | None:
    need = Need(
        subspecialties=frozenset(case.category.routed_to.values_list("code", flat=True)),
        language=case.created_by.preferred_language,
        home_country_first=settings.ROUTE_HOME_CONSULTANTS_FIRST,
        exclude=frozenset(exclude),
    )
    best = choose(candidates_for(case), need)
    return User.objects.get(pk=best.consultant_id) if best else None


def _assign(
    case: Case,
    consultant: User,
    *,
    via: str,
    by: User | None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Assignment:
    now = now or timezone.now()
    minutes = settings.CONSULTATION_DEADLINE_MINUTES[case.urgency]
    assignment = Assignment.objects.create(
        case=case, consultant=consultant, via=via, assigned_by=by, deadline=now + timedelta(minutes=minutes)
    )
    record(
        acts.CASE_ASSIGNED,
        actor=by,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail={"consultant": consultant.pk, "via": via},
    )
    emergency = case.urgency == Urgency.EMERGENCY
    notify(
        [consultant],
        notices.NEW_EMERGENCY if emergency else notices.NEW_CASE,
        params=_params(case),
        url=case_url(case),
        urgent=emergency,
    )
    return assignment


def _no_consultant(case: Case) -> None:
    coordinators = _coordinators_of([case.referring_institution_id]) or list(User.objects.administrators())
    notify(coordinators, notices.NO_CONSULTANT, params=_params(case), url=case_url(case), urgent=True)


def assignable_consultants(case: Case) -> list[User]:
    ids = [candidate.consultant_id for candidate in candidates_for(case)]
    return list(User.objects.filter(pk__in=ids).order_by("full_name"))


@transaction.atomic
def assign_by_hand(
    access: CaseAccess, coordinator: User, consultant: User, *, request: HttpRequest | None = None
) -> Assignment:
    if not access.coordinates_referrer:
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    _require_open(case)
    if case.status == Status.DRAFT:
        raise ActionError(_("Send the consultation before assigning it."), code="draft", status=409)
    if consultant.pk not in {c.consultant_id for c in candidates_for(case)}:
        raise ActionError(
            _(
                "This person cannot answer this case (not a consultant, or outside the countries in the consent)."
            ),
            code="not_eligible",
        )
    if case.assignments.filter(consultant=consultant, ended_at__isnull=True).exists():
        raise ActionError(_("This consultant is already assigned."), code="duplicate", status=409)
    return _assign(case, consultant, via=Assignment.Via.COORDINATOR, by=coordinator, request=request)


def escalate_overdue(now: datetime | None = None) -> int:
    """Pass every unacknowledged assignment past its deadline to the next consultant on call."""
    now = now or timezone.now()
    overdue = Assignment.objects.filter(
        ended_at__isnull=True,
        acknowledged_at__isnull=True,
        deadline__lt=now,
        case__status=Status.OPEN,
    ).values_list("pk", flat=True)
    count = 0
    for assignment_id in list(overdue):
        with transaction.atomic():
            case_id = Assignment.objects.values_list("case_id", flat=True).get(pk=assignment_id)
            Case.objects.select_for_update().filter(pk=case_id).first()  # same lock as acknowledge/answer
            assignment = (
                Assignment.objects.select_for_update()
                .select_related("case__category", "case__referring_institution", "case__created_by")
                .get(pk=assignment_id)
            )
            if assignment.ended_at is not None or assignment.acknowledged_at is not None:
                continue  # handled meanwhile
            case = assignment.case
            assignment.ended_at, assignment.ended_reason = now, Assignment.Ended.ESCALATED
            assignment.save(update_fields=["ended_at", "ended_reason"])
            asked = set(case.assignments.values_list("consultant_id", flat=True))
            successor = _route(case, exclude=asked)
            record(
                acts.CASE_ESCALATED,
                target=case,
                institution=case.referring_institution,
                detail={
                    "from_consultant": assignment.consultant_id,
                    "to_consultant": successor.pk if successor else None,
                },
            )
            coordinators = _coordinators_of([case.referring_institution_id])
            emergency = case.urgency == Urgency.EMERGENCY
            notify(
                coordinators, notices.ESCALATED, params=_params(case), url=case_url(case), urgent=emergency
            )
            if successor is None:
                _no_consultant(case)
            else:
                new = _assign(case, successor, via=Assignment.Via.ESCALATION, by=None, now=now)
                Case.objects.filter(pk=case.pk).update(deadline=new.deadline)
            count += 1
    return count


# --- answering -----------------------------------------------------------------------------
def _require_still_assigned(case: Case, consultant: User) -> None:
    """Checked under the case's lock: escalation may have passed the case on meanwhile."""
    if not case.assignments.filter(consultant=consultant, ended_at__isnull=True).exists():
        raise ActionError(
            _("This case has been passed to another consultant because the deadline passed."),
            code="not_assigned",
            status=409,
        )


@transaction.atomic
def acknowledge(access: CaseAccess, consultant: User, *, request: HttpRequest | None = None) -> None:
    if not access.is_assigned_consultant:
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    _require_open(case)
    _require_still_assigned(case, consultant)
    now = timezone.now()
    updated = case.assignments.filter(
        consultant=consultant, ended_at__isnull=True, acknowledged_at__isnull=True
    ).update(acknowledged_at=now)
    if not updated:
        return  # already acknowledged: a double tap changes nothing
    if case.first_acknowledged_at is None:
        case.first_acknowledged_at = now
    if case.status == Status.OPEN:
        case.status = Status.ACKNOWLEDGED
    case.save()
    record(
        acts.CASE_ACKNOWLEDGED,
        actor=consultant,
        target=case,
        institution=case.referring_institution,
        request=request,
    )
    notify(_referring_team(case), notices.ACKNOWLEDGED, params=_params(case), url=case_url(case))


@transaction.atomic
def give_opinion(
    access: CaseAccess,
    consultant: User,
    data: dict[str, Any],
    *,
    client_token: str | None = None,
    request: HttpRequest | None = None,
) -> Opinion:
    if client_token:
        earlier = Opinion.objects.filter(client_token=client_token).first()
        if (
            earlier is not None
            and earlier.consultant_id == consultant.pk
            and earlier.case_id == access.case.pk
        ):
            return earlier
        if earlier is not None:
            client_token = None  # a key reused for something else: treat this as a new opinion
    if not access.is_assigned_consultant:
        raise ActionError(
            _("Only a consultant assigned to this case can answer it."), code="not_assigned", status=403
        )
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    _require_open(case)
    _require_still_assigned(case, consultant)
    opinion = Opinion(case=case, consultant=consultant, client_token=client_token or None, **data)
    opinion.full_clean(exclude=["client_token"])
    _save_once(opinion)
    now = timezone.now()
    case.assignments.filter(
        consultant=consultant, ended_at__isnull=True, acknowledged_at__isnull=True
    ).update(acknowledged_at=now)
    case.first_acknowledged_at = case.first_acknowledged_at or now
    case.first_answered_at = case.first_answered_at or now
    case.status = Status.ANSWERED
    case.save()
    record(
        acts.OPINION_GIVEN,
        actor=consultant,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail={"opinion": opinion.pk, "recommendation": opinion.recommendation},
    )
    notify(
        _referring_team(case),
        notices.OPINION,
        params=_params(case),
        url=case_url(case),
        urgent=case.urgency == Urgency.EMERGENCY,
    )
    return opinion


@transaction.atomic
def post_message(
    access: CaseAccess,
    author: User,
    body: str,
    *,
    client_token: str | None = None,
    confirmed_identifiers: bool = False,
    request: HttpRequest | None = None,
) -> Message:
    if client_token:
        earlier = Message.objects.filter(client_token=client_token).first()
        if earlier is not None and earlier.author_id == author.pk and earlier.case_id == access.case.pk:
            return earlier  # the same message sent twice on a slow link
        if earlier is not None:
            client_token = None  # a key reused for something else: treat this as a new message
    if not (access.in_referring_team or access.is_answering_consultant):
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    _require_open(case)
    if case.status == Status.DRAFT:
        raise ActionError(_("Send the consultation before starting a discussion."), code="draft", status=409)
    text = body.strip()
    if not text:
        raise ActionError(_("Write a message first."), code="empty")
    flagged = refuse_identifiers(
        case, {"body": text}, author_in_team=access.in_referring_team, confirmed=confirmed_identifiers
    )
    message = Message(case=case, author=author, body=text, client_token=client_token or None)
    message.full_clean(exclude=["client_token"])
    _save_once(message)
    record(
        acts.MESSAGE_POSTED,
        actor=author,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail={"message": message.pk, "identifiers_confirmed": flagged},
    )
    notify(
        _referring_team(case) + _consultants_on_case(case),
        notices.MESSAGE,
        params=_params(case),
        url=case_url(case),
        exclude=author,
        urgent=case.urgency == Urgency.EMERGENCY and case.status != Status.ANSWERED,
    )
    return message


# --- closing the loop ----------------------------------------------------------------------
@transaction.atomic
def record_outcome(
    access: CaseAccess, user: User, data: dict[str, Any], *, request: HttpRequest | None = None
) -> Outcome:
    if not access.in_referring_team:
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    if case.status == Status.DRAFT:
        raise ActionError(_("A draft has no outcome to record."), code="draft", status=409)
    refuse_identifiers(
        case,
        {"operation": data.get("operation", ""), "complications": data.get("complications", "")},
        author_in_team=True,
    )
    outcome = Outcome.objects.filter(case=case).first() or Outcome(case=case)
    for field, value in data.items():
        setattr(outcome, field, value)
    outcome.recorded_by = user
    outcome.full_clean()
    outcome.save()
    consultants = _consultants_on_case(case)  # before their assignments end with the case
    first_time = case.status != Status.CLOSED
    if first_time:
        case.status = Status.CLOSED
        case.closed_at = timezone.now()
        case.save()
        case.assignments.filter(ended_at__isnull=True).update(
            ended_at=case.closed_at, ended_reason=Assignment.Ended.WITHDRAWN
        )
    record(
        acts.OUTCOME_RECORDED,
        actor=user,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail={"management": outcome.management, "discharge": outcome.discharge_status},
    )
    notify(consultants, notices.OUTCOME, params=_params(case), url=case_url(case))
    return outcome


@transaction.atomic
def close_without_outcome(
    access: CaseAccess, coordinator: User, reason: str, *, request: HttpRequest | None = None
) -> None:
    if not access.coordinates_referrer:
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    _require_open(case)
    if not reason.strip():
        raise ActionError(_("Give the reason for closing without an outcome."), code="reason")
    if case.status == Status.DRAFT:
        raise ActionError(_("Send the consultation before closing it."), code="draft", status=409)
    refuse_identifiers(case, {"reason": reason}, author_in_team=True)
    case.status = Status.CLOSED
    case.closed_at = timezone.now()
    case.closed_reason = reason.strip()
    case.save()
    told = _referring_team(case) + _consultants_on_case(case)  # before the assignments end
    case.assignments.filter(ended_at__isnull=True).update(
        ended_at=case.closed_at, ended_reason=Assignment.Ended.WITHDRAWN
    )
    record(
        acts.CASE_CLOSED,
        actor=coordinator,
        target=case,
        institution=case.referring_institution,
        request=request,
    )
    notify(
        told,
        notices.CLOSED,
        params=_params(case),
        url=case_url(case),
        exclude=coordinator,
    )


def remind_outcomes(now: datetime | None = None) -> int:
    """Remind the referring team of answered cases that still have no outcome."""
    now = now or timezone.now()
    every = timedelta(days=settings.OUTCOME_REMINDER_DAYS)
    due = Case.objects.filter(
        status=Status.ANSWERED,
        first_answered_at__lte=now - every,
        outcome_reminders_sent__lt=settings.OUTCOME_REMINDER_LIMIT,
    ).select_related("referring_institution", "created_by")
    count = 0
    for case in due:
        if case.first_answered_at and now - case.first_answered_at < every * (
            case.outcome_reminders_sent + 1
        ):
            continue
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(outcome_reminders_sent=case.outcome_reminders_sent + 1)
            notify(_referring_team(case), notices.OUTCOME_REMINDER, params=_params(case), url=case_url(case))
        count += 1
    return count


# --- attachments ---------------------------------------------------------------------------
ATTACHMENT_PROBLEMS = {
    files.Problem.EMPTY: _("The file is empty. Choose it again."),
    files.Problem.TOO_LARGE: _("The file is too large (at most %(mb)s MB). Send a smaller photo or scan."),
    files.Problem.UNSUPPORTED: _("Attach a PDF document or a JPEG, PNG or WebP photo."),
    files.Problem.MISMATCH: _("The file is not what its name says. Attach the original PDF or photo."),
    files.Problem.DAMAGED: _("The file is damaged or was cut off. Choose it again."),
}


@transaction.atomic
def add_attachment(
    access: CaseAccess,
    user: User,
    *,
    name: str,
    content: bytes,
    description: str,
    request: HttpRequest | None = None,
) -> Attachment:
    """Check, clean and keep a document or photo; the same file twice is kept once."""
    if not access.in_referring_team:
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    _require_open(case)
    refuse_identifiers(case, {"description": description}, author_in_team=True)
    max_mb = settings.ATTACHMENT_MAX_MB
    try:
        cleaned = files.clean(name, content, max_bytes=max_mb * 1024 * 1024)
    except files.RejectedFile as rejected:
        raise ActionError(
            ATTACHMENT_PROBLEMS[rejected.problem] % {"mb": max_mb}, code=rejected.problem.value
        ) from None
    if case.attachments.filter(sha256=cleaned.sha256).exists():
        raise ActionError(_("This file is already attached to the case."), code="duplicate", status=409)
    attachment = Attachment(
        case=case,
        kind=cleaned.kind.value,
        description=description.strip()[:200],
        content_type=cleaned.content_type,
        extension=cleaned.extension,
        size=len(cleaned.content),
        sha256=cleaned.sha256,
        uploaded_by=user,
    )
    attachment.file.save("upload", ContentFile(cleaned.content), save=False)
    # Read back what storage kept: a file that does not match its checksum is not kept.
    with attachment.file.open("rb") as stored:
        if hashlib.sha256(stored.read()).hexdigest() != cleaned.sha256:
            attachment.file.delete(save=False)
            raise ActionError(_("The file could not be stored. Try again."), code="storage", status=500)
    attachment.save()
    record(
        acts.ATTACHMENT_ADDED,
        actor=user,
        target=case,
        institution=case.referring_institution,
        request=request,
        detail={"attachment": attachment.pk, "kind": attachment.kind, "size": attachment.size},
    )
    if case.status != Status.DRAFT:
        notify(
            _consultants_on_case(case),
            notices.ATTACHMENT,
            params=_params(case),
            url=case_url(case),
            exclude=user,
        )
    return attachment
