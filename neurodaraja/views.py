"""Pages of the project as a whole (they gather what every app declares)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.plugins import home_page_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"sections": home_page_for(request.user)})
