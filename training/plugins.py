"""What the training app adds to the shared pages (core.plugins): the Logbook menu entry, the
trainee's and the supervisor's home cards, and its demonstration data."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from consultations.access import CaseAccess
from core.plugins import HomeSection, Label, case_section, demo_loader, home_sections, nav_entry
from training import access
from training.cases import operated_outcome
from training.demo import load_demo
from training.models import LogbookEntry
from training.progress import totals

nav_entry("training:logbook", _("Logbook"), order=35, roles=[Role.TRAINEE, Role.SUPERVISOR, Role.COORDINATOR])


@home_sections("training.trainee", order=30, roles=[Role.TRAINEE])
def trainee_logbook(user: User) -> list[HomeSection]:
    if Role.TRAINEE not in user.roles:
        return []
    tally = totals(LogbookEntry.objects.filter(trainee=user))
    links: list[tuple[str, Label]] = [(reverse("training:logbook"), _("Open the logbook"))]
    if access.own_enrolments(user).exists():
        links.insert(0, (reverse("training:new"), _("Log an operation")))
    return [
        HomeSection(
            _("Your training"),
            _("Log each operation from your phone; your supervisor validates it."),
            links,
            [(_("Entries logged"), tally.total), (_("Validated"), tally.validated)],
        )
    ]


@home_sections("training.supervisor", order=40, roles=[Role.SUPERVISOR])
def supervisor_queue(user: User) -> list[HomeSection]:
    if Role.SUPERVISOR not in user.roles and not access.is_named_supervisor(user):
        return []
    return [
        HomeSection(
            _("Waiting for your sign-off"),
            _("Confirm, query or reject your trainees' logbook entries; several can be confirmed at once."),
            [(reverse("training:queue"), _("Open the validation queue"))],
            [(_("Entries waiting"), access.queue_of(user).count())],
        )
    ]


@case_section("training", order=40)
def log_this_operation(request: HttpRequest, case_access: CaseAccess) -> str:
    """An enrolled trainee who sees a case operated here is offered to log the operation."""
    user = request.user
    # The roles are already read for the page: no query for anyone but a trainee.
    if (
        not isinstance(user, User)
        or Role.TRAINEE not in user.roles
        or not access.own_enrolments(user).exists()
    ):
        return ""
    if operated_outcome(case_access) is None:
        return ""
    url = f"{reverse('training:new')}?case={case_access.case.code}"
    return render_to_string("training/case_section.html", {"url": url}, request=request)


@demo_loader("training", after=["accounts", "consultations"])
def demo_training() -> str:
    return load_demo()
