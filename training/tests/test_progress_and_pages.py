"""The progress page counts against the programme's requirements, validated / all; the list pages
keep a fixed number of queries and stay light; the home page and the demo data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.plugins import demo_loaders
from neurodaraja.testing.pages import PAGE_BUDGET, compressed, static_size
from neurodaraja.testing.personas import sign_in
from training import actions
from training.models import Enrolment, Procedure
from training.progress import progress_of
from training.tests.world import logged, training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def test_a_requirement_counts_its_level_and_the_more_independent_ones_validated_and_all(cast, world):
    su = logged(cast, world, supervision="S-TU")
    performed = logged(cast, world, supervision="P")
    logged(cast, world, supervision="S-TS")  # below the level: not counted for it
    rejected = logged(cast, world, supervision="P")
    actions.validate_entry(cast.neurosurgeon, su, "confirm")
    actions.validate_entry(cast.neurosurgeon, rejected, "reject", "Not mine.")
    (csf,) = progress_of(world.enrolment)["groups"]
    (requirement,) = csf.requirements
    assert (requirement.level, requirement.minimum) == ("S-TU", 3)
    assert (requirement.tally.validated, requirement.tally.total) == (1, 2)  # S-TU and P, not the rejected
    by_code = {code: (t.validated, t.total) for code, t in csf.by_code}
    assert by_code["S-TS"] == (0, 1) and by_code["P"] == (0, 1) and by_code["S-TU"] == (1, 1)
    assert performed.status == "pending"


def test_an_entry_of_two_procedures_of_one_group_counts_once(cast, world):
    logged(cast, world, procedures=list(Procedure.objects.filter(code__in=["vp-shunt", "etv"])))
    (csf,) = progress_of(world.enrolment)["groups"]
    assert csf.requirements[0].tally.total == 1


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("trainee", "/training/"),
        ("neurosurgeon", "/training/queue/"),
        ("coordinator", "/training/enrolments/{enrolment}/progress/"),
        ("trainee", "/training/entries/new/"),
    ],
)
def test_list_pages_make_as_many_queries_for_many_entries_as_for_one(cast, world, client, who, url):
    url = url.format(enrolment=world.enrolment.pk)
    logged(cast, world)
    reader = sign_in(client, getattr(cast, who))
    few = queries_for(reader, url)
    for code in ["etv", "evd", "mmc-repair", "craniotomy-tumour", "lumbar-discectomy"]:
        logged(cast, world, procedures=[Procedure.objects.get(code=code)], supervision="P")
    assert queries_for(reader, url) == few


@pytest.mark.parametrize(
    "url",
    [
        "/training/",
        "/training/entries/new/",
        "/training/entries/{entry}/",
        "/training/enrolments/{enrolment}/progress/",
    ],
)
def test_pages_stay_under_the_budget_for_a_slow_phone(cast, world, client, url):
    entries = [logged(cast, world) for _ in range(30)]
    page = sign_in(client, cast.trainee).get(url.format(entry=entries[0].pk, enrolment=world.enrolment.pk))
    assert page.status_code == 200
    assert compressed(page.content) + static_size() < PAGE_BUDGET


def test_the_trainee_and_supervisor_home_cards_replace_the_placeholders(cast, world, client):
    logged(cast, world)
    trainee_home = sign_in(client, cast.trainee).get("/").content.decode()
    assert "will appear here" not in trainee_home and "/training/entries/new/" in trainee_home
    supervisor_home = sign_in(client, cast.neurosurgeon).get("/").content.decode()
    assert "/training/queue/" in supervisor_home and "for validation" not in supervisor_home


def test_the_logbook_is_in_the_menu_of_trainees_supervisors_and_coordinators_only(cast, world, client):
    for person, shown in [
        (cast.trainee, True),
        (cast.neurosurgeon, True),
        (cast.coordinator, True),
        (cast.referrer, False),
    ]:
        client.logout()
        page = sign_in(client, person).get("/").content.decode()
        assert ('href="/training/"' in page) is shown, person


def test_a_coordinator_enrols_a_trainee_and_a_second_enrolment_is_refused(cast, world, client):
    data = {
        "trainee": cast.trainee.pk,
        "programme": world.programme.pk,
        "stage": world.first_year.pk,
        "institution": cast.institutions["MOI"].pk,
        "supervisors": [cast.neurosurgeon.pk],
        "started_on": "2025-09-01",
    }
    page = sign_in(client, cast.coordinator).post("/training/enrolments/new/", data)
    assert page.status_code == 200 and "already enrolled" in page.content.decode()
    page = client.post("/training/enrolments/new/", data | {"supervisors": [], "programme": ""})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    assert list(Enrolment.objects.values_list("pk", flat=True)) == [world.enrolment.pk]


def test_the_demo_loader_creates_marked_synthetic_entries_once(db):
    loaders = {loader.name: loader for loader in demo_loaders()}
    for name in ("accounts", "consultations"):
        loaders[name].load()
    first = loaders["training"].load()
    assert "synthetic" in first
    from training.models import LogbookEntry

    count = LogbookEntry.objects.count()
    assert count > 0
    assert all(
        "Synthetic" in reflection for reflection in LogbookEntry.objects.values_list("reflection", flat=True)
    )
    assert "already" in loaders["training"].load() and LogbookEntry.objects.count() == count


@pytest.mark.parametrize("started_on", ["1990-09-01", "2031-01-05"])
def test_an_enrolment_starting_in_an_implausible_year_is_refused_at_its_field(
    cast, world, client, started_on
):
    data = {
        "trainee": cast.trainee.pk,
        "programme": world.programme.pk,
        "stage": world.first_year.pk,
        "institution": cast.institutions["MOI"].pk,
        "supervisors": [cast.neurosurgeon.pk],
        "started_on": started_on,
    }
    Enrolment.objects.all().delete()
    page = sign_in(client, cast.coordinator).post("/training/enrolments/new/", data)
    assert page.status_code == 200 and "check the year" in page.context["form"].errors["started_on"][0]
    assert not Enrolment.objects.exists()
