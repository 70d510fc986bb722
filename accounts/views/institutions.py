"""The partnership's directory of institutions (any signed-in person may read it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import get_institution, manages
from accounts.models import Institution, Role


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    institutions = (
        Institution.objects.filter(is_active=True).select_related("country").order_by("country__code", "name")
    )
    return render(request, "accounts/institution_list.html", {"institutions": institutions})


@login_required
def institution_detail(request: HttpRequest, code: str) -> HttpResponse:
    institution = get_institution(code)
    role_counts = [
        (Role(row["role"]).label, row["count"])
        for row in institution.memberships.filter(user__is_active=True)
        .values("role")
        .annotate(count=Count("id"))
        .order_by("role")
    ]
    return render(
        request,
        "accounts/institution_detail.html",
        {
            "institution": institution,
            "role_counts": role_counts,
            "can_manage": manages(request.user, institution),  # type: ignore[arg-type]
        },
    )
