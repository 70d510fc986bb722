"""One consultation: write it, consent, send, answer, discuss, record the outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from consultations import actions, exports
from consultations.access import CaseAccess, get_case_for_user
from consultations.actions.drafting import NEEDED_CONSENT, NEEDED_TOGETHER, missing_clinical, needed_fields
from consultations.case_fields import FREE_TEXT_FIELDS
from consultations.forms import (
    AssignForm,
    AttachmentForm,
    CaseForm,
    CloseForm,
    ConsentForm,
    IdentityForm,
    MessageForm,
    OpinionForm,
    OutcomeForm,
    SendForm,
    identifier_findings_in,
    identifier_messages,
)
from consultations.models import Case, Consent, Outcome
from consultations.red_flags import RED_FLAG_LABELS
from consultations.summary import pupils_text, vitals_text
from consultations.triage import RedFlag, Urgency, suggested_urgency
from core.errors import ActionError, FieldErrors
from core.models import DiagnosisCategory
from core.plugins import CaseFormSection, CaseFormSectionRefused, case_form_sections, case_summaries
from lib.identifiers import unconfirmed


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _to_case(case: Case) -> HttpResponse:
    return HttpResponseRedirect(actions.case_url(case))


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _all_valid(forms: list[Any]) -> bool:
    """Validates every part, not only up to the first refused one: the summary then lists every
    error of one submit, not one part's per submit."""
    valid = [form.is_valid() for form in forms]
    return all(valid)


def _contributed_forms(request: HttpRequest, case: Case | None) -> list[tuple[CaseFormSection, Any]]:
    """The other apps' parts of the referral form (structured CT findings), bound when posted."""
    return [(section, section.form(request, case)) for section in case_form_sections()]


def _save_contributed(
    parts: list[tuple[CaseFormSection, Any]], user: User, request: HttpRequest
) -> Callable[[CaseAccess], None]:
    """What the draft action runs, in its transaction, once the draft is saved."""

    def save(access: CaseAccess) -> None:
        for section, form in parts:
            try:
                section.save(access, user, form, request)
            except ValidationError as error:
                raise CaseFormSectionRefused(section.name, error) from error

    return save


def _checklist(case_form: CaseForm, case: Case | None) -> list[dict[str, Any]]:
    """Every item needed to send, each saying whether the form still lacks it (from the same
    rules `submit` applies); the page's script updates it while the doctor types."""
    chosen = case_form["category"].value()
    category = DiagnosisCategory.objects.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
    missing = {field for field, _message in missing_clinical(lambda name: case_form[name].value(), category)}
    if category is None:  # nothing chosen yet: what every category asks stays listed
        missing |= {field for field, _m, asked in needed_fields(None) if not asked}
    items = [
        {
            "field": field,
            "message": message,
            "asked_for": asked_for,
            "fields": " ".join(NEEDED_TOGETHER.get(field, ())),
            "missing": field in missing,
        }
        for field, message, asked_for in needed_fields(None)
    ]
    consented = case is not None and Consent.objects.filter(case=case).exists()
    items.append(
        {
            "field": "consent",
            "message": NEEDED_CONSENT[1],
            "asked_for": "",
            "fields": "",
            "missing": not consented,
        }
    )
    return items


def _render_case_form(
    request: HttpRequest,
    case_form: CaseForm,
    identity_form: IdentityForm,
    parts: list[tuple[CaseFormSection, Any]],
    *,
    institution: Any,
    case: Case | None,
) -> HttpResponse:
    checklist = _checklist(case_form, case)
    return render(
        request,
        "consultations/case_form.html",
        {
            "case_form": case_form,
            "identity_form": identity_form,
            "contributed": [section.render(request, form) for section, form in parts],
            # One summary at the top for every part sent together, in the page's order.
            "error_summary_forms": [identity_form, case_form, *(form for _s, form in parts)],
            "checklist": checklist,
            "checklist_missing": any(item["missing"] for item in checklist),
            "institution": institution,
            "case": case,
        },
        status=400 if request.method == "POST" else 200,
    )


def _refused(error: Exception, case_form: CaseForm, parts: list[tuple[CaseFormSection, Any]]) -> None:
    """Show a refusal on the form part it concerns."""
    if isinstance(error, CaseFormSectionRefused):
        form = next(form for section, form in parts if section.name == error.section)
        _apply_errors(form, cast(ValidationError, error.error))
    elif isinstance(error, ActionError):
        case_form.add_error(None, str(error.message))
    else:
        _apply_errors(case_form, cast(ValidationError, error))


@login_required
def new_case(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    institutions = user.institutions_with_role(Role.REFERRER)
    if not institutions:
        raise PermissionDenied
    case_form = CaseForm(request.POST or None, initial={"urgency": Urgency.URGENT})
    identity_form = IdentityForm(request.POST or None, prefix="patient")
    parts = _contributed_forms(request, None)
    if request.method == "POST" and _all_valid([case_form, identity_form, *(p[1] for p in parts)]):
        data = dict(case_form.cleaned_data)
        category = data.pop("category")
        client_token = data.pop("client_token", "") or None
        try:
            case = actions.create_draft(
                user,
                institution=institutions[0],
                category=category,
                clinical=data,
                identity=identity_form.cleaned_data,
                client_token=client_token,
                request=request,
                then=_save_contributed(parts, user, request),
            )
        except (ValidationError, CaseFormSectionRefused) as error:
            _refused(error, case_form, parts)
        else:
            messages.success(request, _("Draft saved. Record the consent, then send it."))
            return HttpResponseRedirect(f"{actions.case_url(case)}consent/")
    return _render_case_form(request, case_form, identity_form, parts, institution=institutions[0], case=None)


@login_required
def edit_case(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    if not access.in_referring_team:
        raise PermissionDenied
    case = access.case
    if not case.is_draft:
        messages.info(request, _("This consultation has been sent; add what changed as a message instead."))
        return _to_case(case)
    case_form = CaseForm(request.POST or None, instance=Case.objects.get(pk=case.pk))
    identity_form = IdentityForm(request.POST or None, prefix="patient", instance=case.identity)
    parts = _contributed_forms(request, case)
    if request.method == "POST" and _all_valid([case_form, identity_form, *(p[1] for p in parts)]):
        data = dict(case_form.cleaned_data)
        category = data.pop("category")
        data.pop("client_token", None)
        try:
            actions.update_draft(
                access,
                user,
                category=category,
                clinical=data,
                identity=identity_form.cleaned_data,
                request=request,
                then=_save_contributed(parts, user, request),
            )
        except (ValidationError, ActionError, CaseFormSectionRefused) as error:
            _refused(error, case_form, parts)
        else:
            messages.success(request, _("Draft saved."))
            return _to_case(case)
    return _render_case_form(
        request, case_form, identity_form, parts, institution=case.referring_institution, case=case
    )


@login_required
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    return _render_case(request, user, get_case_for_user(user, code))


def _render_case(
    request: HttpRequest,
    user: User,
    access: CaseAccess,
    message_form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    case = access.case
    actions.record_case_view(access, user, request=request)
    flags = actions.triage(case)
    context: dict[str, Any] = {
        "access": access,
        "case": case,
        "identity": case.identity if access.sees_identity else None,
        "consent": Consent.objects.filter(case=case).prefetch_related("countries").first(),
        "assignments": case.assignments.select_related("consultant").all(),
        "opinions": case.opinions.select_related("consultant").all(),
        "thread": case.messages.select_related("author").all(),
        "outcome": Outcome.objects.filter(case=case).first(),
        "red_flags": [RED_FLAG_LABELS[RedFlag(flag)] for flag in flags],
        "pupils": pupils_text(case),
        "vitals": vitals_text(case),
        "message_form": message_form or MessageForm(),
        "attachments": case.attachments.all() if access.may_open_attachments else [],
        "attachment_form": AttachmentForm() if access.in_referring_team and not case.is_closed else None,
    }
    if case.is_draft and access.in_referring_team:
        context["missing"] = actions.missing_for_submission(case)
    if access.coordinates_referrer and case.is_open:
        context["assign_form"] = AssignForm(consultants=actions.assignable_consultants(case))
        context["close_form"] = CloseForm()
    return render(request, "consultations/case_detail.html", context, status=status)


@login_required
def consent(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    if not access.in_referring_team:
        raise PermissionDenied
    existing = Consent.objects.filter(case=access.case).first()
    form = ConsentForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        actions.record_consent(
            access,
            user,
            given_by=form.cleaned_data["given_by"],
            relationship=form.cleaned_data["relationship"],
            method=form.cleaned_data["method"],
            countries=form.cleaned_data["countries"],
            request=request,
        )
        messages.success(request, _("Consent recorded."))
        return HttpResponseRedirect(f"{actions.case_url(access.case)}send/")
    return render(
        request,
        "consultations/consent.html",
        {"form": form, "case": access.case},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def send(request: HttpRequest, code: str) -> HttpResponse:
    """Shows what stops the case from leaving (missing fields, identifiers in the text, red
    flags) and sends it once the referrer has dealt with each."""
    user = _user(request)
    access = get_case_for_user(user, code)
    if not access.in_referring_team:
        raise PermissionDenied
    case = access.case
    if not case.is_draft:
        return _to_case(case)
    findings = unconfirmed(actions.identifier_findings(case), case.confirmed_identifier_keys)
    field_labels = {
        name: getattr(Case._meta.get_field(name), "verbose_name", name) for name in FREE_TEXT_FIELDS
    }
    keys = [(f.key, f.text) for f in findings]
    form = SendForm(request.POST or None, keys=keys)
    flags = actions.triage(case)
    suggestion = suggested_urgency(Urgency(case.urgency), [RedFlag(f) for f in flags])
    problem = None
    if request.method == "POST" and form.is_valid():
        kept = form.cleaned_data["keep"]
        if kept:
            actions.confirm_identifiers(access, user, kept, request=request)
        if form.cleaned_data["raise_to_emergency"] and case.urgency != Urgency.EMERGENCY:
            actions.update_draft(
                access, user, clinical={"urgency": Urgency.EMERGENCY}, identity={}, request=request
            )
        try:
            actions.submit(get_case_for_user(user, code), user, request=request)
        except ActionError as error:
            problem = error.message
        else:
            messages.success(request, _("Sent. You will be told as soon as a consultant answers."))
            return _to_case(case)
        case.refresh_from_db()
        findings = unconfirmed(actions.identifier_findings(case), case.confirmed_identifier_keys)
        form = SendForm(keys=[(f.key, f.text) for f in findings])
    missing = actions.missing_for_submission(case)
    return render(
        request,
        "consultations/send.html",
        {
            "case": case,
            "form": form,
            "findings": [(f, field_labels[f.field]) for f in findings],
            "missing": missing,
            "consent_first": bool(missing) and missing[0][0] == "consent",  # "complete it" opens the consent
            "red_flags": [RED_FLAG_LABELS[RedFlag(flag)] for flag in flags],
            "suggest_emergency": suggestion == Urgency.EMERGENCY,
            "problem": problem,
        },
        status=400 if problem else 200,
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    actions.acknowledge(access, user, request=request)
    messages.success(request, _("The referring team has been told you are reviewing the case."))
    return _to_case(access.case)


@login_required
def opinion(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    if not access.is_assigned_consultant:
        raise PermissionDenied
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        client_token = data.pop("client_token", "") or None
        try:
            actions.give_opinion(access, user, data, client_token=client_token, request=request)
        except ActionError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your opinion has been sent to the referring team."))
            return _to_case(access.case)
    return render(
        request,
        "consultations/opinion_form.html",
        {"form": form, **_case_in_brief(request, access)},
        status=400 if request.method == "POST" else 200,
    )


def _case_in_brief(request: HttpRequest, access: CaseAccess) -> dict[str, Any]:
    """What the consultant needs beside the opinion form: the clinical record in short, and
    what other apps add to it (scores, structured CT findings, key images) through
    core.plugins.case_summary. Never the identity: the template shows clinical fields only."""
    case = access.case
    rendered = [summary.render(request, access) for summary in case_summaries()]
    return {
        "case": case,
        "red_flags": [RED_FLAG_LABELS[RedFlag(flag)] for flag in actions.triage(case)],
        "pupils": pupils_text(case),
        "vitals": vitals_text(case),
        "summaries": format_html_join("\n", "{}", ((html,) for html in rendered if html)),
    }


@login_required
@require_POST
def post_message(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    form = MessageForm(request.POST, offer_confirmation="confirm_identifiers" in request.POST)
    if form.is_valid():
        try:
            actions.post_message(
                access,
                user,
                form.cleaned_data["body"],
                client_token=form.cleaned_data["client_token"] or None,
                confirmed_identifiers=form.cleaned_data.get("confirm_identifiers", False),
                request=request,
            )
        except ActionError as error:
            if error.code not in ("identifiers", "empty"):
                messages.error(request, str(error.message))
                return HttpResponseRedirect(actions.case_url(access.case))
            # Keep what was typed, say what was found, and let the author confirm flagged words
            # that are not identifiers: a number or a date, never the patient's own name, number,
            # phone or dates (as on the send page), which no tick can keep.
            findings = identifier_findings_in(
                access.case, {"body": form.cleaned_data["body"]}, author_in_team=access.in_referring_team
            )
            hers = any(finding.of_the_patient for finding in findings)
            form = MessageForm(request.POST, offer_confirmation=error.code == "identifiers" and not hers)
            form.is_valid()
            worded = identifier_messages(findings).get("body") if error.code == "identifiers" else None
            for message in worded or [str(error.message)]:
                form.add_error("body", message)
            return _render_case(request, user, access, message_form=form, status=400)
        return HttpResponseRedirect(f"{actions.case_url(access.case)}#thread")
    return _render_case(request, user, access, message_form=form, status=400)


@login_required
def outcome(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    if not access.in_referring_team:
        raise PermissionDenied
    existing = Outcome.objects.filter(case=access.case).first()
    form = OutcomeForm(request.POST or None, instance=existing, case=access.case)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in OutcomeForm.Meta.fields}
        try:
            changed = actions.record_outcome(access, user, data, request=request)
        except FieldErrors as refused:
            for error in refused.errors:
                form.add_error(error["field"] if error["field"] in form.fields else None, error["message"])
        except ActionError as error:
            form.add_error(None, str(error.message))
        else:
            if changed:
                messages.success(request, _("Outcome recorded. The consultants who answered have been told."))
            else:
                messages.info(request, _("Nothing was changed: the outcome stays as it was recorded."))
            return _to_case(access.case)
    return render(
        request,
        "consultations/outcome_form.html",
        {"form": form, "case": access.case},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    if not access.coordinates_referrer:
        raise PermissionDenied
    form = AssignForm(request.POST, consultants=actions.assignable_consultants(access.case))
    if form.is_valid():
        try:
            actions.assign_by_hand(access, user, form.cleaned_data["consultant"], request=request)
        except ActionError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The consultant has been asked."))
    else:
        messages.error(request, _("Choose a consultant from the list."))
    return _to_case(access.case)


@login_required
@require_POST
def close(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    if not access.coordinates_referrer:
        raise PermissionDenied
    form = CloseForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, str(text))
        return _to_case(access.case)
    try:
        actions.close_without_outcome(access, user, form.cleaned_data["reason"], request=request)
    except ActionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The consultation is closed."))
    return _to_case(access.case)


@login_required
@require_POST
def attach(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    if not access.in_referring_team:
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            actions.refuse_if_too_large(upload.size)  # before reading it all into memory
            actions.add_attachment(
                access,
                user,
                name=upload.name,
                content=upload.read(),
                description=form.cleaned_data["description"],
                request=request,
            )
        except ActionError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request, _("Attached. Any metadata in the photo (place, time, phone) was removed.")
            )
    else:
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, str(text))
    return HttpResponseRedirect(f"{actions.case_url(access.case)}#attachments")


@login_required
def attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    item = actions.open_attachment(access, user, attachment_id, request=request)
    return exports.attachment_response(access.case, item)


@login_required
def advice_letter(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    # The letter is for the referring team: in the referrer's language unless another is asked for.
    language = request.GET.get("lang") or access.case.created_by.preferred_language
    if language not in dict(settings.LANGUAGES):
        language = access.case.created_by.preferred_language
    try:
        pdf = exports.export_letter(
            access, user, language=language, with_identity=request.GET.get("identity") == "1", request=request
        )
    except ActionError as error:
        messages.error(request, str(error.message))
        return _to_case(access.case)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = exports.letter_file_name(
        access, language=language, with_identity=request.GET.get("identity") == "1"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def fhir_bundle(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    access = get_case_for_user(user, code)
    response = JsonResponse(
        exports.export_fhir(access, user, request=request), content_type="application/fhir+json"
    )
    response["Content-Disposition"] = f'attachment; filename="{access.case.code}.fhir.json"'
    response["Cache-Control"] = "private, no-store"
    return response
