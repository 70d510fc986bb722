"""Programme directors (the coordinators of the programme's institution) see its trainees side
by side: requirements met by validated entries, entries validated of all, the share at P or T
over the last 12 months and the entries waiting, each linking to the trainee's progress; in a
fixed number of queries whatever the number of trainees and entries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import actions as accounts
from accounts.models import Role
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.personas import sign_in
from training import actions
from training.progress import side_by_side
from training.tests.world import entry_data, logged, training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def test_each_trainee_with_requirements_met_validated_autonomy_and_waiting(cast, world):
    today = actions.local_today(cast.trainee)
    for _ in range(3):
        entry = logged(cast, world, supervision="P")
        actions.validate_entry(cast.neurosurgeon, entry, "confirm")  # 3 validated: CSF S-TU ≥ 3 met
    logged(cast, world, supervision="S-TU")  # waiting
    queried = logged(cast, world, supervision="A")
    actions.validate_entry(cast.neurosurgeon, queried, "query", "Who was the first operator?")
    logged(cast, world, supervision="P", performed_on=today - timedelta(days=400))  # over a year ago
    rejected = logged(cast, world, supervision="P")
    actions.validate_entry(cast.neurosurgeon, rejected, "reject", "Not mine.")
    (row,) = side_by_side(world.programme, today)
    assert row.enrolment == world.enrolment
    assert (row.requirements_met, row.requirements) == (1, 1)
    assert (row.overall.validated, row.overall.total) == (3, 6)
    assert (row.independent_recent.total, row.recent.total, row.share_recent) == (3, 5, 60)
    assert row.waiting == 3  # the pending, the queried and the old pending one


def test_a_requirement_is_met_by_validated_entries_only(cast, world):
    for _ in range(3):
        logged(cast, world, supervision="P")
    (row,) = side_by_side(world.programme, actions.local_today(cast.trainee))
    assert row.requirements_met == 0 and row.overall.total == 3


def test_the_page_links_each_trainee_to_their_progress_in_cards_on_a_phone(cast, world, client):
    logged(cast, world)
    page = sign_in(client, cast.coordinator).get(f"/training/programmes/{world.programme.pk}/trainees/")
    html = page.content.decode()
    assert f'href="/training/enrolments/{world.enrolment.pk}/progress/"' in html
    assert 'class="case-rows"' in html and html.count("data-label=") == 6


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_as_many_queries_for_many_trainees_and_entries_as_for_one(cast, world, client):
    url = f"/training/programmes/{world.programme.pk}/trainees/"
    logged(cast, world)
    reader = sign_in(client, cast.coordinator)
    queries(reader, url)
    few = queries(reader, url)
    moi = cast.institutions["MOI"]
    for person in (cast.referrer, cast.researcher):
        accounts.add_role(cast.admin, person, moi, Role.TRAINEE)
        enrolment = actions.enrol(
            cast.coordinator,
            person,
            world.programme,
            world.second_year,
            moi,
            [cast.neurosurgeon],
            date(2025, 1, 6),
        )
        for code in ("P", "A", "S-TU", "P"):
            entry = actions.log_entry(person, entry_data(cast, world, enrolment=enrolment, supervision=code))
            actions.validate_entry(cast.neurosurgeon, entry, "confirm")
    for _ in range(5):
        logged(cast, world, supervision="P")
    assert len(side_by_side(world.programme, actions.local_today(cast.coordinator))) == 3
    assert queries(reader, url) == few


def test_the_api_gives_the_same_rows_and_an_outsider_is_told_nothing(cast, world):
    logged(cast, world, supervision="P")
    rows = bearer_client(cast.coordinator).get(f"/api/v1/training/programmes/{world.programme.pk}/trainees")
    assert rows.status_code == 200
    (row,) = rows.json()
    assert row["enrolment"] == world.enrolment.pk and row["share_last_12_months"] == 100
    assert row["waiting"] == 1 and row["requirements"] == 1
    outsider = bearer_client(cast.outsider_coordinator).get(
        f"/api/v1/training/programmes/{world.programme.pk}/trainees"
    )
    assert outsider.status_code == 404
    trainee = bearer_client(cast.trainee).get(f"/api/v1/training/programmes/{world.programme.pk}/trainees")
    assert trainee.status_code == 403
