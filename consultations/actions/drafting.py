"""Drafting a consultation: write it, record the consent, deal with identifiers, send it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, Role, User
from consultations import audit_actions as acts
from consultations import notices
from consultations.access import CaseAccess, case_access
from consultations.actions.common import case_url, lock_case, params, record_on_case, referring_team
from consultations.actions.routing import route_new_case
from consultations.case_fields import CLINICAL_FIELDS, FREE_TEXT_FIELDS, IDENTITY_FIELDS
from consultations.models import Case, Consent, PatientIdentity, Status, new_case_code
from consultations.signals import case_submitted, clinical_record_changed
from consultations.triage import TriageInput, Urgency, red_flags, response_deadline
from core.errors import ActionError
from core.models import Country, DiagnosisCategory
from core.notifications import notify
from lib.identifiers import Finding, Identity, scan, unconfirmed


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
    then: Callable[[CaseAccess], None] | None = None,
) -> Case:
    """A new draft. `then` saves what other apps contributed to the referral form (structured
    CT findings) with the draft's access, in the same transaction: a refusal undoes both."""
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
    record_on_case(acts.CASE_CREATED, case, actor=referrer, request=request)
    clinical_record_changed.send(sender=Case, case=case)
    if then is not None:
        then(case_access(referrer, case))
    return case


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
    then: Callable[[CaseAccess], None] | None = None,
) -> Case:
    """Change a draft; `then` as for `create_draft`, with the updated draft."""
    if not access.in_referring_team:
        raise PermissionDenied
    case = lock_case(access, must_be_open=False)
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
    record_on_case(acts.CASE_UPDATED, case, actor=user, request=request, detail={"fields": changed[:40]})
    clinical_record_changed.send(sender=Case, case=case)
    if then is not None:
        then(case_access(user, case))
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
    record_on_case(
        acts.CONSENT_RECORDED,
        case,
        actor=user,
        request=request,
        detail={"countries": sorted(c.code for c in chosen), "method": method},
    )
    return consent


def identifier_findings(case: Case) -> list[Finding]:
    person = case.identity
    identity = Identity.of(person)
    return scan({field: getattr(case, field) for field in FREE_TEXT_FIELDS}, identity)


@transaction.atomic
def confirm_identifiers(
    access: CaseAccess, user: User, keys: Iterable[str], *, request: HttpRequest | None = None
) -> None:
    """The referrer says these findings are not the patient's identifiers and may be shared."""
    if not access.in_referring_team:
        raise PermissionDenied
    case = lock_case(access, must_be_open=False)
    # Only a pattern may be confirmed as not identifying; the patient's own identifiers must go.
    current = {finding.key for finding in identifier_findings(case) if not finding.of_the_patient}
    accepted = sorted(set(keys) & current)
    case.confirmed_identifier_keys = sorted(set(case.confirmed_identifier_keys) | set(accepted))
    case.save(update_fields=["confirmed_identifier_keys", "updated_at"])
    record_on_case(
        acts.IDENTIFIERS_CONFIRMED, case, actor=user, request=request, detail={"count": len(accepted)}
    )


# What a case must hold before it is sent: (field, message). The referral form marks each field
# and lists what is still missing from this same declaration; `submit` refuses on it.
NEEDED_TO_SEND: tuple[tuple[str, Promise], ...] = (
    ("age_value", _("Give the patient's age.")),
    ("sex", _("Give the patient's sex.")),
    ("presenting_complaint", _("Give the presenting complaint.")),
    ("question", _("Write the question you want the consultant to answer.")),
)
NEEDED_FOR_INJURY: tuple[tuple[str, Promise], ...] = (
    ("mechanism", _("Give the mechanism of injury.")),
    ("injury_at", _("Give the time of injury.")),
    ("gcs_eye", _("Give each GCS component (choose “Not testable” if so).")),
)
NEEDED_FOR_SHUNT: tuple[tuple[str, Promise], ...] = (("shunt_history", _("Give the shunt history.")),)
# One item can need several fields: the GCS is given when its three components are.
NEEDED_TOGETHER = {"gcs_eye": ("gcs_eye", "gcs_verbal", "gcs_motor")}
NEEDED_CONSENT = ("consent", _("Record the patient's consent before sending."))


def needed_fields(category: DiagnosisCategory | None) -> list[tuple[str, Promise, str]]:
    """(field, message, asked_for) of every clinical item needed to send a case of this category
    (None: of any category; asked_for "" for every case, "injury" or "shunt" for the categories
    whose flag asks for it), in the form's order."""
    needed = [(field, message, "") for field, message in NEEDED_TO_SEND]
    if category is None or category.asks_injury_details:
        needed += [(field, message, "injury") for field, message in NEEDED_FOR_INJURY]
    if category is None or category.asks_shunt_history:
        needed += [(field, message, "shunt") for field, message in NEEDED_FOR_SHUNT]
    return needed


def missing_clinical(
    value: Callable[[str], Any], category: DiagnosisCategory | None
) -> list[tuple[str, str]]:
    """(field, message) for each clinical item still empty, reading values through `value` (a
    saved case's attributes, or what a form holds while the doctor types)."""
    if category is None:
        category_needs: list[tuple[str, Promise, str]] = [(f, m, "") for f, m in NEEDED_TO_SEND]
    else:
        category_needs = needed_fields(category)
    return [
        (field, str(message))
        for field, message, _asked in category_needs
        if any(value(name) in (None, "") for name in NEEDED_TOGETHER.get(field, (field,)))
    ]


def missing_for_submission(case: Case) -> list[tuple[str, str]]:
    """(field, message) for everything that stops the case from being sent."""
    missing = missing_clinical(lambda name: getattr(case, name), case.category)
    if not Consent.objects.filter(case=case).exists():
        missing.append((NEEDED_CONSENT[0], str(NEEDED_CONSENT[1])))
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
                left_pupil_mm=case.pupil_left_mm,  # Decimal (half mm): triage takes it as it is
                right_pupil_mm=case.pupil_right_mm,
                systolic_bp=case.systolic_bp,
                heart_rate=case.heart_rate,
            )
        )
    ]


@transaction.atomic
def submit(access: CaseAccess, user: User, *, request: HttpRequest | None = None) -> Case:
    """Send the case: checks it is complete, consented and free of unconfirmed identifiers,
    sets its deadline and asks the best available consultant."""
    if not access.in_referring_team:
        raise PermissionDenied
    case = lock_case(access, must_be_open=False, related=("category", "referring_institution"))
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
    record_on_case(
        acts.CASE_SUBMITTED,
        case,
        actor=user,
        request=request,
        detail={"urgency": case.urgency, "red_flags": triage(case)},
    )
    route_new_case(case, request=request)
    notify(referring_team(case), notices.CASE_SENT, params=params(case), url=case_url(case), exclude=user)
    case_submitted.send(sender=Case, case=case, user=user, request=request)
    return case
