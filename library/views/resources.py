"""The library's resource pages: list and search, open, and (coordinators) add, edit, remove."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.errors import ActionError
from library import actions
from library.access import get_resource, get_resource_to_change, may_add, may_change
from library.forms import ResourceFilter, ResourceForm
from library.queries import resources_matching

PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ResourceFilter(request.GET or None)
    wanted: dict[str, str] = form.cleaned_data if form.is_valid() else {}
    found = resources_matching(
        wanted.get("q", ""), wanted.get("topic", ""), wanted.get("language", ""), wanted.get("kind", "")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "library/resource_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "may_add": may_add(user)},
        status=400 if request.GET and not form.is_valid() else 200,
    )


@login_required
def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    user = _user(request)
    resource = get_resource(user, resource_id)
    return render(
        request,
        "library/resource_detail.html",
        {"resource": resource, "may_change": may_change(user, resource)},
    )


@login_required
def resource_file(request: HttpRequest, resource_id: int) -> FileResponse:
    resource = get_resource(_user(request), resource_id)
    if not resource.is_file:
        raise Http404  # a link resource has no file here: its page gives the link
    name = f"{slugify(resource.title, allow_unicode=True) or 'resource'}{resource.extension}"
    # PDFs and videos open in the browser; a deck is downloaded.
    inline = resource.extension in {".pdf", ".mp4"}
    return FileResponse(
        resource.file.open("rb"), content_type=resource.content_type, as_attachment=not inline, filename=name
    )


def _upload(form: ResourceForm) -> actions.Upload | None:
    uploaded = form.cleaned_data.get("upload")
    if not uploaded:
        return None
    return actions.Upload(uploaded.name, uploaded.file, uploaded.size)


def _refused(form: ResourceForm, error: ActionError | ValidationError) -> None:
    if isinstance(error, ActionError):
        field = "link" if error.code == "link_not_https" else None
        form.add_error(None if field is None else field, str(error.message))
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
def resource_add(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_add(user):
        raise PermissionDenied
    institutions = user.institutions_with_role(Role.COORDINATOR)
    form = ResourceForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            resource = actions.add_resource(
                user,
                data.get("institution") or institutions[0],
                data,
                upload=_upload(form),
                link=data.get("link", ""),
                request=request,
            )
        except (ActionError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("Resource added to the library."))
            return HttpResponseRedirect(reverse("library:resource", args=[resource.pk]))
    return render(
        request,
        "library/resource_form.html",
        {"form": form, "resource": None, "max_mb": actions.max_mb()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    user = _user(request)
    resource = get_resource_to_change(user, resource_id)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource, institutions=[])
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            actions.change_resource(
                user, resource, data, upload=_upload(form), link=data.get("link", ""), request=request
            )
        except (ActionError, ValidationError) as error:
            _refused(form, error)
            resource.refresh_from_db()  # what was kept, for the page's heading
        else:
            messages.success(request, _("Resource saved."))
            return HttpResponseRedirect(reverse("library:resource", args=[resource.pk]))
    return render(
        request,
        "library/resource_form.html",
        {"form": form, "resource": resource, "max_mb": actions.max_mb()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def resource_remove(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Asks first: only a POST that confirms removes the resource; anything else asks."""
    user = _user(request)
    resource = get_resource_to_change(user, resource_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        actions.remove_resource(user, resource, request=request)
        messages.success(request, _("Resource removed from the library."))
        return HttpResponseRedirect(reverse("library:list"))
    return render(request, "library/resource_remove.html", {"resource": resource})
