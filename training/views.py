"""The logbook pages: thin; the rules are in training.actions, who sees what in training.access."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from consultations.access import get_case_for_user
from core.errors import ActionError, FieldErrors
from training import access, actions, cases, exports
from training.forms import (
    AnswerForm,
    CompetencyForm,
    CorrectionForm,
    DecisionForm,
    EnrolForm,
    EntryForm,
    GroupForm,
    ProgrammeForm,
    RequirementForm,
    StageForm,
    ids_from,
)
from training.models import (
    REVISED_FIELDS,
    Competency,
    EntryStatus,
    LogbookEntry,
    ProcedureGroup,
    Programme,
    Stage,
)
from training.progress import progress_of, side_by_side, totals

LIST_LENGTH = 50
# What the new-entry form needs to open with no connection (served by the service worker).
OFFLINE_STATIC = ("css/site.css", "js/site.js", "js/logbook_offline.js", "favicon.svg")
ENTRY_RELATED = ("institution", "supervisor")
CORRECTABLE = (EntryStatus.PENDING, EntryStatus.QUERIED)


# Every view below is login_required: the person is signed in.
def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _show_errors(form: forms.BaseForm, refused: FieldErrors) -> None:
    for error in refused.errors:
        name = error.get("field")
        form.add_error(name if name in form.fields else None, error["message"])


@login_required
def logbook(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_training_role(user)
    entries = (
        LogbookEntry.objects.filter(trainee=user)
        .select_related(*ENTRY_RELATED)
        .prefetch_related("procedures")[:LIST_LENGTH]
    )
    enrolments = access.own_enrolments(user)
    coordinated = (
        access.enrolments_visible_to(user)
        .filter(institution_id__in=access.coordinated(user))
        .select_related("trainee", "programme", "stage")
    )
    context = {
        "entries": entries,
        "totals": totals(LogbookEntry.objects.filter(trainee=user)),
        "enrolments": enrolments,
        "coordinated": coordinated,
        "is_coordinator": user.has_role(Role.COORDINATOR),
        "programmes": Programme.objects.filter(institution_id__in=access.coordinated(user)),
        "waiting": access.queue_of(user).count(),
        "to_recognise": access.awaiting_recognition(user)
        .select_related("trainee", "institution")
        .order_by("validated_at")[:LIST_LENGTH],
        "supervises": user.has_role(Role.SUPERVISOR) or access.is_named_supervisor(user),
    }
    return render(request, "training/logbook.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_entry(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.own_enrolments(user).exists():
        raise PermissionDenied  # only an enrolled trainee logs operations
    initial: dict[str, Any] = {"performed_on": actions.local_today(user), "institution": None}
    source = request.GET.get("from", "")
    if source.isdigit():
        previous = access.get_own_entry(user, int(source))
        data = actions.copy_of(previous, actions.local_today(user))
        initial.update(
            {name: getattr(data, name) for name in ("urgency", "age_band", "sex", "diagnosis", "supervision")}
            | {
                "enrolment": data.enrolment.pk,
                "institution": data.institution.pk,
                "supervisor": data.supervisor.pk,
                "procedures": [p.pk for p in data.procedures],
            }
        )
    else:
        first = access.own_enrolments(user).first()
        initial["institution"] = first.institution_id if first else None
    code = request.GET.get("case", "")
    if code and not source.isdigit():
        # "Log this operation" from a case: 404 for a case one may not see (consultations.access).
        initial.update(cases.prefill(get_case_for_user(user, code)))
    form = EntryForm(user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        fields["procedures"] = list(fields["procedures"])
        client_key = fields.pop("client_key")
        try:
            entry = actions.log_entry(
                user, actions.EntryData(**fields), client_key=client_key, request=request
            )
        except FieldErrors as refused:
            _show_errors(form, refused)
        else:
            url = reverse("training:entry", args=[entry.pk])
            if _wants_json(request):
                return JsonResponse({"id": entry.pk, "url": url}, status=201)
            messages.success(request, _("Entry recorded; your supervisor is asked to validate it."))
            return HttpResponseRedirect(url)
    if request.method == "POST" and _wants_json(request):
        return JsonResponse({"errors": _form_errors(form)}, status=422)
    return render(request, "training/entry_form.html", {"form": form, "duplicating": source.isdigit()})


@login_required
@require_http_methods(["GET", "POST"])
def correct_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = _user(request)
    entry = access.get_own_entry(user, entry_id)
    if entry.status not in CORRECTABLE:
        messages.error(
            request, _("This entry has been decided by the supervisor and can no longer be corrected.")
        )
        return HttpResponseRedirect(reverse("training:entry", args=[entry.pk]))
    data = actions.data_of(entry)
    initial = {name: getattr(data, name) for name in REVISED_FIELDS if name != "procedures"} | {
        "institution": entry.institution_id,
        "supervisor": entry.supervisor_id,
        "procedures": [p.pk for p in data.procedures],
    }
    form = CorrectionForm(user, entry.enrolment, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields if name != "note"}
        fields["procedures"] = list(fields["procedures"])
        try:
            actions.correct_entry(
                user, entry, actions.EntryData(**fields), form.cleaned_data["note"], request=request
            )
        except (FieldErrors, ActionError) as refused:
            if isinstance(refused, ActionError):
                messages.error(request, str(refused.message))
                return HttpResponseRedirect(reverse("training:entry", args=[entry.pk]))
            _show_errors(form, refused)
        else:
            messages.success(request, _("Entry corrected; it is back in your supervisor's queue."))
            return HttpResponseRedirect(reverse("training:entry", args=[entry.pk]))
    status = 422 if request.method == "POST" else 200
    return render(request, "training/entry_correct.html", {"form": form, "entry": entry}, status=status)


def _wants_json(request: HttpRequest) -> bool:
    """The phone's offline store sends a kept entry with fetch and reads the answer as JSON."""
    return "application/json" in request.headers.get("Accept", "")


def _form_errors(form: forms.Form) -> list[dict[str, str]]:
    """Each refusal with the field's label, in the reader's language, to show on the kept entry."""
    return [
        {
            "field": name,
            "label": str(form.fields[name].label or "") if name in form.fields else "",
            "message": str(message),
        }
        for name, messages_of_field in form.errors.items()
        for message in messages_of_field
    ]


@login_required
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _entry_page(request, access.get_entry(_user(request), entry_id))


def _entry_page(
    request: HttpRequest,
    entry: LogbookEntry,
    *,
    decision_form: DecisionForm | None = None,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The entry with what the reader may do on it; a refused decision or answer comes back here
    with what was chosen and typed, and its message beside the field."""
    user = _user(request)
    open_for_decision = entry.status in CORRECTABLE
    context = {
        "entry": entry,
        "procedures": entry.procedures.select_related("group"),
        "comments": entry.comments.select_related("author"),
        "decision_form": (decision_form or DecisionForm(initial={"revision": entry.revision}))
        if entry.supervisor_id == user.pk and open_for_decision
        else None,
        "answer_form": (answer_form or AnswerForm())
        if entry.trainee_id == user.pk and entry.status == EntryStatus.QUERIED
        else None,
        "is_trainee": entry.trainee_id == user.pk,
        "may_correct": entry.trainee_id == user.pk and entry.status in CORRECTABLE,
        "revisions": entry.revisions.select_related("author"),
        "may_recognise": entry.status == EntryStatus.ABROAD
        and entry.enrolment.programme.institution_id in access.coordinated(user),
    }
    return render(request, "training/entry_detail.html", context, status=status)


def _refused_back(request: HttpRequest, url: str, refused: Exception) -> HttpResponse:
    if isinstance(refused, FieldErrors):
        for error in refused.errors:
            messages.error(request, error["message"])
    else:
        messages.error(request, str(getattr(refused, "message", refused)))
    return HttpResponseRedirect(url)


@login_required
@require_POST
def validate(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access.get_entry_to_validate(_user(request), entry_id)
    url = reverse("training:entry", args=[entry.pk])
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, entry, decision_form=form, status=422)
    if form.cleaned_data["revision"] is None:
        # A page without the revision read (an old or forged one) decides nothing unseen.
        form.cleaned_data["revision"] = -1
    try:
        actions.validate_entry(
            _user(request),
            entry,
            form.cleaned_data["decision"],
            form.cleaned_data["comment"],
            seen_revision=form.cleaned_data["revision"],
            request=request,
        )
    except FieldErrors as refused:
        _show_errors(form, refused)
        return _entry_page(request, entry, decision_form=form, status=422)
    except ActionError as refused:
        if refused.code != "changed":
            return _refused_back(request, url, refused)
        # Corrected meanwhile: the page again with the correction shown, the comment kept, and the
        # revision now read, so the supervisor decides on what is there.
        messages.error(request, str(refused.message))
        entry.refresh_from_db()
        again = DecisionForm(initial={"revision": entry.revision, "comment": form.cleaned_data["comment"]})
        return _entry_page(request, entry, decision_form=again, status=409)
    messages.success(request, _("Decision recorded; the trainee is told."))
    return HttpResponseRedirect(reverse("training:queue"))


@login_required
@require_POST
def answer(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access.get_own_entry(_user(request), entry_id)
    url = reverse("training:entry", args=[entry.pk])
    form = AnswerForm(request.POST)
    try:
        actions.answer_query(_user(request), entry, request.POST.get("comment", ""), request=request)
    except FieldErrors as refused:
        form.is_valid()  # the typed answer is kept; the action's message replaces the form's own
        form.errors.clear()
        _show_errors(form, refused)
        return _entry_page(request, entry, answer_form=form, status=422)
    except ActionError as refused:
        return _refused_back(request, url, refused)
    messages.success(request, _("Answer sent; the entry is back in your supervisor's queue."))
    return HttpResponseRedirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_training_role(user)
    if request.method == "POST":
        ids = ids_from(request.POST.getlist("entries"))
        try:
            if ids is None:
                raise FieldErrors([{"field": "entries", "message": _("Choose the entries to confirm.")}])
            # Each chosen entry with the revision read; one sent without it counts as unread (-1).
            seen = {
                pk: int(value) if (value := request.POST.get(f"revision_{pk}", "")).isdigit() else -1
                for pk in ids
            }
            done = actions.confirm_many(user, ids, seen_revisions=seen, request=request)
        except (FieldErrors, ActionError) as refused:
            return _refused_back(request, reverse("training:queue"), refused)
        messages.success(
            request,
            ngettext("%(count)s entry validated.", "%(count)s entries validated.", len(done))
            % {"count": len(done)},
        )
        return HttpResponseRedirect(reverse("training:queue"))
    entries = (
        access.queue_of(user)
        .select_related("trainee", "institution")
        .prefetch_related("procedures")
        .order_by("created_at")[:LIST_LENGTH]
    )
    return render(request, "training/queue.html", {"entries": entries})


@login_required
def progress(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access.get_enrolment(_user(request), enrolment_id)
    context = {"enrolment": enrolment, **progress_of(enrolment)}
    return render(request, "training/progress.html", context)


@login_required
def autonomy(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access.get_enrolment(_user(request), enrolment_id)
    context = {"enrolment": enrolment, **progress_of(enrolment)}
    return render(request, "training/autonomy.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied
    form = EnrolForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = actions.enrol(
                user,
                data["trainee"],
                data["programme"],
                data["stage"],
                data["institution"],
                list(data["supervisors"]),
                data["started_on"],
                request=request,
            )
        except FieldErrors as refused:
            _show_errors(form, refused)
        except ActionError as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(request, _("Trainee enrolled."))
            return HttpResponseRedirect(reverse("training:progress", args=[enrolment.pk]))
    return render(request, "training/enrol.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def curriculum(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = _user(request)
    programme = access.get_programme_to_edit(user, programme_id)
    form = RequirementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_requirement(
                user, programme, data["group"], data["level"], data["minimum"], request=request
            )
        except FieldErrors as refused:
            _show_errors(form, refused)
        else:
            messages.success(request, _("Requirement saved."))
            return HttpResponseRedirect(reverse("training:curriculum", args=[programme.pk]))
    context = {
        "programme": programme,
        "stages": programme.stages.all(),
        "requirements": programme.requirements.select_related("group"),
        "competencies": programme.competencies.all(),
        "groups": ProcedureGroup.objects.all(),
        "form": form,
    }
    return render(request, "training/curriculum.html", context)


@login_required
@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /training/ so its scope is the logbook's pages, no wider."""
    files = [static(name) for name in OFFLINE_STATIC]
    # A new version (hashed static files changed, a deployment) replaces the kept copies.
    version = hashlib.sha256("".join(files).encode()).hexdigest()[:12]
    context = {"static_files": json.dumps(files), "version": version}
    return render(request, "training/sw.js", context, content_type="application/javascript")


@login_required
def programme_trainees(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = _user(request)
    programme = access.get_programme_to_direct(user, programme_id)
    rows = side_by_side(programme, actions.local_today(user))
    return render(request, "training/trainees.html", {"programme": programme, "rows": rows})


def _download(content: str | bytes, content_type: str, user: User, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"logbook-{actions.local_today(user).isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_training_role(user)
    return _download(exports.logbook_csv(user, request=request), "text/csv; charset=utf-8", user, "csv")


@login_required
@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_training_role(user)
    return _download(exports.logbook_pdf_bytes(user, request=request), "application/pdf", user, "pdf")


@login_required
@require_POST
def recognise(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access.get_entry_to_recognise(_user(request), entry_id)
    url = reverse("training:entry", args=[entry.pk])
    try:
        actions.recognise_entry(_user(request), entry, request=request)
    except ActionError as refused:
        return _refused_back(request, url, refused)
    messages.success(request, _("Recognised: the entry now counts toward the programme's requirements."))
    return HttpResponseRedirect(url)


# --- Curriculum pages (coordinators) ----------------------------------------------------------
def _edit(request: HttpRequest, form: forms.ModelForm, title: str, back: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.save_curriculum_item(_user(request), form.instance, request=request)
        except FieldErrors as refused:
            _show_errors(form, refused)
        else:
            messages.success(request, _("Saved."))
            programme = item if isinstance(item, Programme) else getattr(item, "programme", None)
            url = reverse("training:curriculum", args=[programme.pk]) if programme else back
            return HttpResponseRedirect(url)
    return render(request, "training/curriculum_form.html", {"form": form, "title": title, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_coordinator(user)
    form = ProgrammeForm(user, request.POST or None, instance=Programme())
    return _edit(request, form, _("New programme"), reverse("training:logbook"))


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = _user(request)
    programme = access.get_programme_to_edit(user, programme_id)
    form = ProgrammeForm(user, request.POST or None, instance=programme)
    return _edit(request, form, _("Edit the programme"), reverse("training:curriculum", args=[programme.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, programme_id: int, stage_id: int | None = None) -> HttpResponse:
    user = _user(request)
    programme = access.get_programme_to_edit(user, programme_id)
    stage = access.get_stage_to_edit(user, programme_id, stage_id) if stage_id else Stage(programme=programme)
    form = StageForm(request.POST or None, instance=stage)
    title = _("Edit the stage") if stage_id else _("New stage")
    return _edit(request, form, title, reverse("training:curriculum", args=[programme.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def competency_edit(
    request: HttpRequest, programme_id: int, competency_id: int | None = None
) -> HttpResponse:
    user = _user(request)
    programme = access.get_programme_to_edit(user, programme_id)
    competency = (
        access.get_competency_to_edit(user, programme_id, competency_id)
        if competency_id
        else Competency(programme=programme)
    )
    form = CompetencyForm(programme, request.POST or None, instance=competency)
    title = _("Edit the competency (EPA)") if competency_id else _("New competency (EPA)")
    return _edit(request, form, title, reverse("training:curriculum", args=[programme.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: int | None = None) -> HttpResponse:
    user = _user(request)
    access.require_coordinator(user)
    group = access.get_group_to_edit(user, group_id) if group_id else ProcedureGroup()
    form = GroupForm(request.POST or None, instance=group)
    title = _("Edit the procedure group") if group_id else _("New procedure group")
    return _edit(request, form, title, reverse("training:logbook"))
