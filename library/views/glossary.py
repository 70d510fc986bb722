"""The glossary: search in any of the three languages; coordinators add and edit terms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import ActionError
from library import actions
from library.access import get_term_to_change, may_edit_glossary
from library.forms import GlossarySearch, TermForm
from library.models import GlossaryTerm
from library.queries import GLOSSARY_LIMIT, glossary_matching


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def glossary(request: HttpRequest) -> HttpResponse:
    form = GlossarySearch(request.GET or None)
    wanted: dict[str, str] = form.cleaned_data if form.is_valid() else {}
    terms = glossary_matching(wanted.get("q", ""), wanted.get("topic", ""))
    return render(
        request,
        "library/glossary.html",
        {
            "form": form,
            "terms": terms,
            "searched": bool(wanted.get("q") or wanted.get("topic")),
            "total": GlossaryTerm.objects.count(),
            "limit": GLOSSARY_LIMIT,
            "may_edit": may_edit_glossary(_user(request)),
        },
        status=400 if request.GET and not form.is_valid() else 200,
    )


def _refused(form: TermForm, error: ActionError | ValidationError) -> None:
    if isinstance(error, ActionError):
        form.add_error("term_en" if error.code == "duplicate" else None, str(error.message))
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
def term_add(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_edit_glossary(user):
        raise PermissionDenied
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = actions.add_term(user, form.cleaned_data, request=request)
        except (ActionError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("Term added to the glossary."))
            return HttpResponseRedirect(f"{reverse('library:glossary')}?{urlencode({'q': term.term_en})}")
    return render(
        request,
        "library/term_form.html",
        {"form": form, "term": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def term_edit(request: HttpRequest, term_id: int) -> HttpResponse:
    user = _user(request)
    term = get_term_to_change(user, term_id)
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_term(user, term, form.cleaned_data, request=request)
        except (ActionError, ValidationError) as error:
            _refused(form, error)
            term.refresh_from_db()
        else:
            messages.success(request, _("Term saved."))
            return HttpResponseRedirect(f"{reverse('library:glossary')}?{urlencode({'q': term.term_en})}")
    return render(
        request,
        "library/term_form.html",
        {"form": form, "term": term},
        status=400 if request.method == "POST" else 200,
    )
