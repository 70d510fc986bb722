"""Every change to the curriculum enrolments and the logbook: permission, transaction, audit entry
and notification in one place, for the pages, the API, the worker and the tests (STYLE.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Institution, Role, User
from consultations.access import get_case_for_user
from core.audit import record
from core.errors import ActionError, FieldErrors
from core.notifications import notify
from lib.identifiers import Identity, scan
from training import audit_actions as acts
from training import notices
from training.codes import ORDER
from training.models import (
    REVISED_FIELDS,
    Competency,
    Enrolment,
    EntryComment,
    EntryRevision,
    EntryStatus,
    LogbookEntry,
    Procedure,
    ProcedureGroup,
    Programme,
    Requirement,
    Stage,
)

FREE_TEXT = ("diagnosis", "complications", "reflection")
TEXT_LIMIT = 2000
REMIND_AFTER = timedelta(days=7)
# A programme lasts at most a few years: a start further back is a mistyped year.
ENROLMENT_REACH = timedelta(days=15 * 365)


def too_long(limit: int, length: int) -> str:
    return _("Keep it to %(limit)s characters or fewer: this has %(count)s.") % {
        "limit": formats.number_format(limit, force_grouping=True),
        "count": formats.number_format(length, force_grouping=True),
    }


def _length_errors(texts: dict[str, str]) -> list[dict[str, str]]:
    """Free text over the limit, refused with its length (the page, the API and the phone's kept
    entries alike), and before the identifier check reads it."""
    return [
        _error(name, too_long(TEXT_LIMIT, len(text)))
        for name, text in texts.items()
        if len(text) > TEXT_LIMIT
    ]


def _error(field_name: str, message: str) -> dict[str, str]:
    return {"field": field_name, "message": message, "type": "invalid"}


def identifier_errors(texts: dict[str, str], message: str) -> list[dict[str, str]]:
    """The fields of `texts` holding what looks like a patient identifier, each with `message`.
    Training holds no patient: only the patterns are looked for (names, phones, dates, numbers,
    e-mail), for the logbook and its parts (assessments, session feedback) alike; each message
    quotes what was found, so that the trainee knows what to remove."""
    found: dict[str, list[str]] = {}
    for finding in scan(texts, Identity()):
        quoted = f"“{finding.text}”"
        if quoted not in found.setdefault(finding.field, []):
            found[finding.field].append(quoted)
    said = _("Found: %(found)s.")
    return [
        _error(name, message + " " + said % {"found": ", ".join(quoted)})
        for name, quoted in sorted(found.items())
    ]


def _no_identifiers(texts: dict[str, str]) -> list[dict[str, str]]:
    """Over-long texts refused with their length, the others checked for identifiers."""
    long = _length_errors(texts)
    fitting = {name: text for name, text in texts.items() if len(text) <= TEXT_LIMIT}
    return long + identifier_errors(
        fitting,
        _(
            "Remove the name, phone number, e-mail address, date or other number: a logbook entry holds no "
            "patient identifier (the age band and sex are enough)."
        ),
    )


# --- Enrolment ----------------------------------------------------------------------------------
@transaction.atomic
def enrol(
    coordinator: User,
    trainee: User,
    programme: Programme,
    stage: Stage,
    institution: Institution,
    supervisors: list[User],
    started_on: date,
    *,
    request: HttpRequest | None = None,
) -> Enrolment:
    if institution not in coordinator.institutions_with_role(Role.COORDINATOR):
        raise PermissionDenied
    errors = []
    if institution not in trainee.institutions_with_role(Role.TRAINEE):
        errors.append(_error("trainee", _("This person is not a trainee at this institution.")))
    if stage.programme_id != programme.pk:
        errors.append(_error("stage", _("This stage belongs to another programme.")))
    if not supervisors:
        errors.append(_error("supervisors", _("Name at least one supervisor.")))
    if any(person.pk == trainee.pk for person in supervisors):
        errors.append(_error("supervisors", _("A trainee cannot be their own supervisor.")))
    today = local_today(coordinator)
    if not today - ENROLMENT_REACH <= started_on <= today + timedelta(days=366):
        errors.append(
            _error(
                "started_on",
                _("Give a start between %(earliest)s and a year from today: check the year.")
                % {"earliest": (today - ENROLMENT_REACH).year},
            )
        )
    if errors:
        raise FieldErrors(errors)
    if Enrolment.objects.filter(trainee=trainee, programme=programme, is_active=True).exists():
        raise ActionError(
            _("This trainee is already enrolled in this programme."), code="duplicate", status=409
        )
    enrolment = Enrolment.objects.create(
        trainee=trainee, programme=programme, stage=stage, institution=institution, started_on=started_on
    )
    enrolment.supervisors.set(supervisors)
    record(
        acts.ENROLLED,
        actor=coordinator,
        target=enrolment,
        institution=institution,
        request=request,
        detail={"programme": programme.code},
    )
    return enrolment


@transaction.atomic
def set_requirement(
    coordinator: User,
    programme: Programme,
    group: ProcedureGroup,
    level: str,
    minimum: int,
    *,
    request: HttpRequest | None = None,
) -> Requirement | None:
    """Set a programme's minimum for a group at a level; a minimum of 0 removes it."""
    if programme.institution not in coordinator.institutions_with_role(Role.COORDINATOR):
        raise PermissionDenied
    if level not in ORDER:
        raise FieldErrors([_error("level", _("Choose one of the codes O, A, S-TS, S-TU, P and T."))])
    if not 0 <= minimum <= 5000:
        raise FieldErrors([_error("minimum", _("Give a number between 0 and 5000."))])
    requirement: Requirement | None = None
    if minimum == 0:
        Requirement.objects.filter(programme=programme, group=group, level=level).delete()
    else:
        requirement, _created = Requirement.objects.update_or_create(
            programme=programme, group=group, level=level, defaults={"minimum": minimum}
        )
    record(
        acts.REQUIREMENT_SET,
        actor=coordinator,
        target=programme,
        institution=programme.institution,
        request=request,
        detail={"programme": programme.code, "supervision": level, "minimum": minimum, "group": group.code},
    )
    return requirement


# --- Logging an operation -----------------------------------------------------------------------
@dataclass
class EntryData:
    enrolment: Enrolment
    performed_on: date
    institution: Institution
    urgency: str
    age_band: str
    sex: str
    diagnosis: str
    procedures: list[Procedure]
    supervision: str
    supervisor: User
    return_to_theatre: bool = False
    infection: bool = False
    death: bool = False
    complications: str = ""
    reflection: str = ""
    case_code: str = ""


def is_abroad(enrolment: Enrolment, institution: Institution) -> bool:
    """Operated at a hospital in another country than the enrolment's home institution."""
    return institution.country_id != enrolment.institution.country_id


def is_host_supervisor(person: User, institution: Institution) -> bool:
    return institution in person.institutions_with_role(Role.SUPERVISOR, Role.CONSULTANT)


def local_today(person: User) -> date:
    return timezone.now().astimezone(ZoneInfo(person.time_zone or "UTC")).date()


def _check_entry(trainee: User, data: EntryData) -> list[dict[str, str]]:
    enrolment = data.enrolment
    errors = []
    if data.performed_on > local_today(trainee):
        errors.append(_error("performed_on", _("The date of the operation cannot be in the future.")))
    elif data.performed_on < enrolment.started_on:
        errors.append(
            _error(
                "performed_on",
                _("This date is before you started this programme (%(started)s): check the year.")
                % {"started": formats.date_format(enrolment.started_on, "SHORT_DATE_FORMAT")},
            )
        )
    if data.supervision not in enrolment.stage.allowed_codes:
        errors.append(
            _error(
                "supervision",
                _("Your stage (%(stage)s) does not allow the code %(code)s; it allows %(allowed)s.")
                % {
                    "stage": enrolment.stage.name,
                    "code": data.supervision,
                    "allowed": ", ".join(enrolment.stage.allowed_codes),
                },
            )
        )
    if data.supervisor.pk == trainee.pk:
        errors.append(_error("supervisor", _("You cannot be the supervising surgeon of your own entry.")))
    elif is_abroad(enrolment, data.institution):
        if not enrolment.supervisors.filter(pk=data.supervisor.pk).exists() and not is_host_supervisor(
            data.supervisor, data.institution
        ):
            errors.append(
                _error(
                    "supervisor",
                    _(
                        "Abroad, choose the surgeon who supervised you there: a supervisor or "
                        "consultant of %(hospital)s, or one of your named supervisors."
                    )
                    % {"hospital": data.institution.name},
                )
            )
    elif not enrolment.supervisors.filter(pk=data.supervisor.pk).exists():
        errors.append(_error("supervisor", _("Choose one of your named supervisors.")))
    if not data.procedures:
        errors.append(_error("procedures", _("Choose at least one procedure.")))
    if data.case_code:
        try:
            get_case_for_user(trainee, data.case_code)
        except Http404:
            errors.append(_error("case_code", _("No case with this code that you may see.")))
    return errors


def entry_with_key(trainee: User, client_key: UUID | None) -> LogbookEntry | None:
    """The trainee's entry already sent with this key (from the phone's offline store), if any."""
    if client_key is None:
        return None
    return LogbookEntry.objects.filter(trainee=trainee, client_key=client_key).first()


def log_entry(
    trainee: User,
    data: EntryData,
    *,
    client_key: UUID | None = None,
    request: HttpRequest | None = None,
) -> LogbookEntry:
    """Records the entry; sent again with the same `client_key` (the phone retrying when the link
    returns), it returns the entry the first sending made and records nothing new."""
    if data.enrolment.trainee_id != trainee.pk or not data.enrolment.is_active:
        raise Http404
    earlier = entry_with_key(trainee, client_key)
    if earlier is not None:
        return earlier
    errors = _check_entry(trainee, data)
    free = {name: getattr(data, name) for name in FREE_TEXT}
    errors += _length_errors(free)
    found = [error for error in _no_identifiers(free) if error not in errors]
    if found:
        # Recorded outside the refused change, so repeated attempts show in the trail.
        record(
            acts.ENTRY_REFUSED_IDENTIFIER,
            actor=trainee,
            institution=data.institution,
            request=request,
            detail={"fields": [error["field"] for error in found]},
        )
    if errors or found:
        raise FieldErrors(errors + found)
    try:
        return _create_entry(trainee, data, client_key, request)
    except IntegrityError:
        # Two sendings of one key at the same moment: the other one won.
        earlier = entry_with_key(trainee, client_key)
        if earlier is None:
            raise
        return earlier


def _create_entry(
    trainee: User, data: EntryData, client_key: UUID | None, request: HttpRequest | None
) -> LogbookEntry:
    with transaction.atomic():
        entry = LogbookEntry.objects.create(
            client_key=client_key,
            abroad=is_abroad(data.enrolment, data.institution),
            enrolment=data.enrolment,
            trainee=trainee,
            performed_on=data.performed_on,
            institution=data.institution,
            urgency=data.urgency,
            age_band=data.age_band,
            sex=data.sex,
            diagnosis=data.diagnosis,
            supervision=data.supervision,
            supervisor=data.supervisor,
            return_to_theatre=data.return_to_theatre,
            infection=data.infection,
            death=data.death,
            complications=data.complications,
            reflection=data.reflection,
            case_code=data.case_code.upper(),
        )
        entry.procedures.set(data.procedures)
        record(
            acts.ENTRY_LOGGED,
            actor=trainee,
            target=entry,
            institution=data.institution,
            request=request,
            detail={"supervision": data.supervision},
        )
        notify(
            [data.supervisor],
            notices.ENTRY_TO_VALIDATE,
            params={"trainee": trainee.full_name},
            url=reverse("training:queue"),
        )
    return entry


def data_of(entry: LogbookEntry) -> EntryData:
    """The entry as it stands, to fill the correction form."""
    return EntryData(
        enrolment=entry.enrolment,
        **{name: getattr(entry, name) for name in REVISED_FIELDS if name != "procedures"},
        procedures=list(entry.procedures.all()),
    )


def _as_recorded(values: EntryData | LogbookEntry) -> dict[str, object]:
    """Each correctable field as JSON: codes for choices, the hospital's and surgeon's names."""
    shown: dict[str, object] = {}
    for name in REVISED_FIELDS:
        value = getattr(values, name)
        if name == "procedures":
            items = value if isinstance(values, EntryData) else values.procedures.all()
            value = sorted(p.code for p in items)
        elif name == "institution":
            value = value.name
        elif name == "supervisor":
            value = value.full_name
        elif name == "performed_on":
            value = value.isoformat()
        elif name == "case_code":
            value = value.upper()
        shown[name] = value
    return shown


def correct_entry(
    trainee: User,
    entry: LogbookEntry,
    data: EntryData,
    note: str = "",
    *,
    request: HttpRequest | None = None,
) -> LogbookEntry:
    """The trainee corrects their entry while it waits for validation or after a query; what it
    said before is kept (EntryRevision), a queried entry goes back to the supervisor's queue, and a
    new supervisor finds it in theirs. Checked exactly as a new entry is."""
    if entry.trainee_id != trainee.pk:
        raise PermissionDenied
    if data.enrolment.pk != entry.enrolment_id:
        raise FieldErrors([_error("enrolment", _("An entry stays in its programme: log a new one instead."))])
    note = note.strip()
    errors = _check_entry(trainee, data)
    found = _no_identifiers({name: getattr(data, name) for name in FREE_TEXT} | {"note": note})
    if errors or found:
        raise FieldErrors(errors + found)
    with transaction.atomic():
        locked = LogbookEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status not in (EntryStatus.PENDING, EntryStatus.QUERIED):
            raise ActionError(
                _("This entry has been decided by the supervisor and can no longer be corrected."),
                code="decided",
                status=409,
            )
        before, after = _as_recorded(locked), _as_recorded(data)
        changed = [name for name in REVISED_FIELDS if before[name] != after[name]]
        if not changed:
            raise FieldErrors(
                [_error("note", _("Nothing was changed: correct a field, or answer with a comment."))]
            )
        previous_supervisor = locked.supervisor_id
        for name in REVISED_FIELDS:
            if name != "procedures":
                setattr(locked, name, getattr(data, name))
        locked.case_code = data.case_code.upper()
        locked.abroad = is_abroad(locked.enrolment, data.institution)
        was_queried = locked.status == EntryStatus.QUERIED
        locked.status = EntryStatus.PENDING
        locked.revision += 1
        locked.save()
        locked.procedures.set(data.procedures)
        EntryRevision.objects.create(
            entry=locked,
            author=trainee,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
        if note:
            EntryComment.objects.create(entry=locked, author=trainee, text=note)
        record(
            acts.ENTRY_CORRECTED,
            actor=trainee,
            target=locked,
            institution=locked.institution,
            request=request,
            detail={"fields": changed},
        )
        if was_queried or locked.supervisor_id != previous_supervisor:
            notify(
                [locked.supervisor],
                notices.ENTRY_CORRECTED,
                params={"trainee": trainee.full_name, "entry": f"#{locked.pk}"},
                url=reverse("training:entry", args=[locked.pk]),
            )
    return locked


def copy_of(entry: LogbookEntry, performed_on: date) -> EntryData:
    """The previous entry's operation again (a list of the same operations), without its outcome
    and reflection, which are this patient's own."""
    return EntryData(
        enrolment=entry.enrolment,
        performed_on=performed_on,
        institution=entry.institution,
        urgency=entry.urgency,
        age_band=entry.age_band,
        sex=entry.sex,
        diagnosis=entry.diagnosis,
        procedures=list(entry.procedures.all()),
        supervision=entry.supervision,
        supervisor=entry.supervisor,
    )


def duplicate_entry(
    trainee: User,
    entry: LogbookEntry,
    performed_on: date | None = None,
    *,
    request: HttpRequest | None = None,
) -> LogbookEntry:
    if entry.trainee_id != trainee.pk:
        raise PermissionDenied
    return log_entry(trainee, copy_of(entry, performed_on or local_today(trainee)), request=request)


# --- Validation ----------------------------------------------------------------------------------
DECISIONS = {
    "confirm": (EntryStatus.CONFIRMED, acts.ENTRY_CONFIRMED),
    "query": (EntryStatus.QUERIED, acts.ENTRY_QUERIED),
    "reject": (EntryStatus.REJECTED, acts.ENTRY_REJECTED),
}


def validate_entry(
    supervisor: User,
    entry: LogbookEntry,
    decision: str,
    comment: str = "",
    *,
    seen_revision: int | None = None,
    request: HttpRequest | None = None,
) -> LogbookEntry:
    """`seen_revision`: the entry's revision as the supervisor read it (the pages always send it);
    a decision on a version the trainee has corrected since is refused, so nothing is validated
    that the supervisor did not see."""
    if entry.supervisor_id != supervisor.pk:
        raise PermissionDenied
    if decision not in DECISIONS:
        raise FieldErrors([_error("decision", _("Choose confirm, query or reject."))])
    comment = comment.strip()
    if decision != "confirm" and not comment:
        raise FieldErrors([_error("comment", _("Say what the trainee should correct or explain."))])
    if comment and _no_identifiers({"comment": comment}):
        raise FieldErrors(_no_identifiers({"comment": comment}))
    status, action = DECISIONS[decision]
    if decision == "confirm" and entry.abroad:
        status = EntryStatus.ABROAD  # counted once the home programme recognises it
    with transaction.atomic():
        locked = LogbookEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status not in (EntryStatus.PENDING, EntryStatus.QUERIED):
            raise ActionError(_("This entry has already been decided."), code="decided", status=409)
        if seen_revision is not None and locked.revision != seen_revision:
            raise ActionError(
                _(
                    "The trainee corrected this entry after you opened it: read what changed and decide again."
                ),
                code="changed",
                status=409,
            )
        if decision == "query" and locked.status == EntryStatus.QUERIED:
            raise ActionError(
                _("This entry already waits for the trainee's answer."), code="queried", status=409
            )
        locked.status = status
        if decision != "query":
            now = timezone.now()
            locked.validated_at = now
            locked.time_to_validation = now - locked.created_at
        locked.save(update_fields=["status", "validated_at", "time_to_validation"])
        if comment:
            EntryComment.objects.create(entry=locked, author=supervisor, text=comment)
        record(action, actor=supervisor, target=locked, institution=locked.institution, request=request)
        kind = notices.ENTRY_QUERIED if decision == "query" else notices.ENTRY_DECIDED
        notify(
            [locked.trainee],
            kind,
            params={"entry": f"#{locked.pk}", "decision": locked.status},
            url=reverse("training:entry", args=[locked.pk]),
        )
    return locked


def confirm_many(
    supervisor: User,
    entry_ids: list[int],
    *,
    seen_revisions: dict[int, int] | None = None,
    request: HttpRequest | None = None,
) -> list[LogbookEntry]:
    """All or none: an id that is not in the supervisor's queue, or an entry corrected since the
    queue was read (`seen_revisions`), refuses the whole batch."""
    wanted = set(entry_ids)
    if not wanted:
        raise FieldErrors([_error("entries", _("Choose the entries to confirm."))])
    entries = list(
        LogbookEntry.objects.filter(pk__in=wanted, supervisor=supervisor, status=EntryStatus.PENDING)
    )
    if len(entries) != len(wanted):
        raise FieldErrors(
            [_error("entries", _("Some of the chosen entries are not waiting for your validation."))]
        )
    if seen_revisions is not None:
        changed = sorted(e.pk for e in entries if seen_revisions.get(e.pk) != e.revision)
        if changed:
            raise ActionError(
                _(
                    "Nothing was confirmed: the trainee corrected %(entries)s after you read the list. "
                    "Read the corrections, then confirm again."
                )
                % {"entries": ", ".join(f"#{pk}" for pk in changed)},
                code="changed",
                status=409,
            )
    with transaction.atomic():
        return [
            validate_entry(
                supervisor,
                entry,
                "confirm",
                seen_revision=(seen_revisions or {}).get(entry.pk),
                request=request,
            )
            for entry in entries
        ]


@transaction.atomic
def recognise_entry(
    coordinator: User, entry: LogbookEntry, *, request: HttpRequest | None = None
) -> LogbookEntry:
    """A coordinator of the home programme's institution recognises an entry validated abroad by
    the host supervisor: from then on it counts toward the requirements."""
    programme = entry.enrolment.programme
    if programme.institution not in coordinator.institutions_with_role(Role.COORDINATOR):
        raise PermissionDenied
    locked = LogbookEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.recognised_at is not None:
        raise ActionError(
            _("This entry has already been recognised: it counts toward the requirements."),
            code="already_recognised",
            status=409,
        )
    if locked.status != EntryStatus.ABROAD:
        raise ActionError(
            _("Only an entry validated abroad by the host supervisor can be recognised."),
            code="not_validated_abroad",
            status=409,
        )
    locked.status = EntryStatus.CONFIRMED
    locked.recognised_at = timezone.now()
    locked.recognised_by = coordinator
    locked.save(update_fields=["status", "recognised_at", "recognised_by"])
    record(
        acts.ENTRY_RECOGNISED,
        actor=coordinator,
        target=locked,
        institution=programme.institution,
        request=request,
        detail={"programme": programme.code},
    )
    notify(
        [locked.trainee],
        notices.ENTRY_RECOGNISED,
        params={"entry": f"#{locked.pk}"},
        url=reverse("training:entry", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def answer_query(
    trainee: User, entry: LogbookEntry, comment: str, *, request: HttpRequest | None = None
) -> LogbookEntry:
    if entry.trainee_id != trainee.pk:
        raise PermissionDenied
    comment = comment.strip()
    if not comment:
        raise FieldErrors([_error("comment", _("Write your answer to the supervisor's question."))])
    found = _no_identifiers({"comment": comment})
    if found:
        raise FieldErrors(found)
    locked = LogbookEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status != EntryStatus.QUERIED:
        raise ActionError(_("This entry has no open question."), code="not_queried", status=409)
    locked.status = EntryStatus.PENDING
    locked.save(update_fields=["status"])
    EntryComment.objects.create(entry=locked, author=trainee, text=comment)
    record(acts.QUERY_ANSWERED, actor=trainee, target=locked, institution=locked.institution, request=request)
    notify(
        [locked.supervisor],
        notices.ENTRY_TO_VALIDATE,
        params={"trainee": trainee.full_name},
        url=reverse("training:entry", args=[locked.pk]),
    )
    return locked


def remind_supervisors(now: datetime | None = None) -> int:
    """One reminder per supervisor with entries waiting more than a week; returns how many."""
    cutoff = (now or timezone.now()) - REMIND_AFTER
    waiting = Counter(
        LogbookEntry.objects.filter(status=EntryStatus.PENDING, created_at__lt=cutoff).values_list(
            "supervisor_id", flat=True
        )
    )
    for supervisor in User.objects.filter(pk__in=waiting):
        notify(
            [supervisor],
            notices.VALIDATION_REMINDER,
            params={"count": waiting[supervisor.pk]},
            url=reverse("training:queue"),
        )
    return len(waiting)


__all__ = [
    "EntryData",
    "answer_query",
    "confirm_many",
    "copy_of",
    "correct_entry",
    "data_of",
    "duplicate_entry",
    "enrol",
    "entry_with_key",
    "is_abroad",
    "log_entry",
    "recognise_entry",
    "remind_supervisors",
    "save_curriculum_item",
    "set_requirement",
    "validate_entry",
]


# --- Curriculum, edited by coordinators ---------------------------------------------------------
CurriculumItem = Programme | Stage | ProcedureGroup | Competency


def _may_edit(coordinator: User, item: CurriculumItem) -> None:
    """A programme and what belongs to it: the coordinators of its institution. A procedure group
    is shared by every programme: any coordinator (as the glossary)."""
    if isinstance(item, ProcedureGroup):
        if not coordinator.has_role(Role.COORDINATOR):
            raise PermissionDenied
        return
    programme = item if isinstance(item, Programme) else item.programme
    if programme.institution not in coordinator.institutions_with_role(Role.COORDINATOR):
        raise PermissionDenied


def _is_duplicate(error: ValidationError) -> bool:
    """Django's own sentence ("Procedure group with this Code already exists") reads badly once
    translated (具有 代码 的 手术类别 已存在): a duplicate code gets a sentence of ours."""
    return error.code in ("unique", "unique_together")


@transaction.atomic
def save_curriculum_item(
    coordinator: User, item: CurriculumItem, *, request: HttpRequest | None = None
) -> CurriculumItem:
    """Create or change a programme, stage, procedure group or competency (EPA) with its names in
    the three languages; refused field by field (nothing saved), audited once saved."""
    _may_edit(coordinator, item)
    created = item.pk is None
    try:
        item.full_clean()
    except ValidationError as refused:
        raise FieldErrors(
            [
                _error(
                    "code" if _is_duplicate(error) else name,
                    _("This code is already used: choose another one.") if _is_duplicate(error) else message,
                )
                for name, errors in refused.error_dict.items()
                for error in errors
                for message in error.messages
            ]
        ) from refused
    item.save()
    programme = item if isinstance(item, Programme) else getattr(item, "programme", None)
    record(
        acts.CURRICULUM_CHANGED,
        actor=coordinator,
        target=item,
        institution=programme.institution if programme is not None else None,
        request=request,
        detail={"part": type(item).__name__.lower(), "added": created}
        | ({"programme": programme.code} if programme is not None else {}),
    )
    return item
