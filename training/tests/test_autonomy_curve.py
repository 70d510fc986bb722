"""The autonomy curve, the partnership's central question (DOMAIN.md): of the entries logged each
quarter, the share at P or T, per procedure group and for all, logged and validated; and the
requirement counts drawn against their minimum. Counted in the database: as many queries for
many entries as for a few."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.personas import sign_in
from training import actions
from training.models import Enrolment, Procedure
from training.progress import autonomy_of, progress_of
from training.tests.world import logged, training_world

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, AUGUST = date(2025, 1, 10), date(2025, 2, 20), date(2025, 8, 3)


@pytest.fixture
def world(cast):
    return training_world(cast)


def test_the_share_at_p_or_t_by_quarter_with_an_empty_quarter_left_empty(cast, world):
    for code in ("P", "S-TU", "S-TU"):
        logged(cast, world, performed_on=JANUARY, supervision=code)
    confirmed = logged(cast, world, performed_on=FEBRUARY, supervision="S-TS")
    actions.validate_entry(cast.neurosurgeon, confirmed, "confirm")
    for _ in range(2):
        actions.validate_entry(
            cast.neurosurgeon, logged(cast, world, performed_on=AUGUST, supervision="P"), "confirm"
        )
    rejected = logged(cast, world, performed_on=AUGUST, supervision="S-TS")
    actions.validate_entry(cast.neurosurgeon, rejected, "reject", "Not in my theatre.")

    quarters = progress_of(world.enrolment)["quarters"]
    assert [q.label for q in quarters] == ["2025 Q1", "2025 Q2", "2025 Q3"]
    q1, q2, q3 = quarters
    assert (q1.share, q1.share_validated) == (25, 0)  # 1 of 4 at P; the one validated is S-TS
    assert q2.share is None and q2.share_validated is None
    assert (q3.share, q3.share_validated) == (100, 100)  # the rejected one is left out


def test_an_entry_of_two_groups_counts_in_each_group_and_once_for_all(cast, world):
    both = list(Procedure.objects.filter(code__in=["vp-shunt", "lumbar-discectomy"]))
    logged(cast, world, performed_on=JANUARY, supervision="P", procedures=both)
    logged(cast, world, performed_on=JANUARY, supervision="A")  # CSF only
    shown, found = autonomy_of(world.enrolment)
    (quarter,) = shown
    csf, spine = (Procedure.objects.get(code=c).group_id for c in ("vp-shunt", "lumbar-discectomy"))
    assert found[None][quarter].total.total == 2 and found[None][quarter].share == 50
    assert found[csf][quarter].share == 50 and found[spine][quarter].share == 100


def test_at_most_twelve_quarters_are_shown_the_latest(cast, world):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(started_on=date(2020, 9, 1))
    world.enrolment.refresh_from_db()
    logged(cast, world, performed_on=date(2021, 1, 5))
    logged(cast, world, performed_on=date(2025, 10, 5))
    shown, _ = autonomy_of(world.enrolment)
    assert len(shown) == 12 and shown[-1] == date(2025, 10, 1) and shown[0] == date(2023, 1, 1)


def test_the_progress_page_draws_the_curves_and_the_requirements_in_the_readers_language(cast, world, client):
    logged(cast, world, performed_on=JANUARY, supervision="P")
    cast.trainee.preferred_language = "sw"
    cast.trainee.save()
    page = sign_in(client, cast.trainee).get(f"/training/enrolments/{world.enrolment.pk}/progress/")
    html = page.content.decode()
    assert html.count("<svg") == 3  # all procedures, the CSF group's curve and its requirements
    assert 'aria-labelledby="autonomy-all-title autonomy-all-desc"' in html
    assert "All logged" not in html and "Quarter" not in html  # in Kiswahili
    assert "style=" not in html.split("<main", 1)[1]  # the strict CSP: no inline style


def test_a_trainee_with_no_entry_sees_the_requirements_but_no_curve(cast, world, client):
    html = sign_in(client, cast.trainee).get(f"/training/enrolments/{world.enrolment.pk}/progress/")
    main = html.content.decode().split("<main", 1)[1]
    assert main.count("<svg") == 1 and 'id="requirements-csf-title"' in main and "autonomy-" not in main


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["progress", "autonomy"])
def test_the_charts_ask_as_many_queries_for_many_entries_over_many_quarters_as_for_one(
    cast, world, client, page
):
    url = f"/training/enrolments/{world.enrolment.pk}/{page}/"
    logged(cast, world, performed_on=JANUARY)
    reader = sign_in(client, cast.coordinator)
    queries(reader, url)
    few = queries(reader, url)
    codes = ["etv", "evd", "mmc-repair", "craniotomy-tumour", "lumbar-discectomy", "spinal-fusion"]
    for month in range(1, 13):
        code = codes[month % len(codes)]
        entry = logged(
            cast,
            world,
            performed_on=date(2025, month, 15),
            procedures=[Procedure.objects.get(code=code)],
            supervision=["P", "S-TU", "A"][month % 3],
        )
        if month % 2:
            actions.validate_entry(cast.neurosurgeon, entry, "confirm")
    assert queries(reader, url) == few


def test_the_autonomy_page_lists_the_figures_by_quarter(cast, world, client):
    logged(cast, world, performed_on=JANUARY, supervision="P")
    logged(cast, world, performed_on=JANUARY, supervision="S-TU")
    html = sign_in(client, cast.trainee).get(f"/training/enrolments/{world.enrolment.pk}/autonomy/")
    text = html.content.decode()
    assert "2025 Q1" in text and "50%" in text and "1 / 2" in text


def test_the_api_gives_the_counts_and_the_curve(cast, world):
    logged(cast, world, performed_on=JANUARY, supervision="P")
    answer = bearer_client(cast.coordinator).get(f"/api/v1/training/enrolments/{world.enrolment.pk}/progress")
    assert answer.status_code == 200
    body = answer.json()
    assert body["overall"] == {"validated": 0, "total": 1}
    assert body["autonomy"][0]["label"] == "2025 Q1" and body["autonomy"][0]["share"] == 100
    (csf,) = body["groups"]
    assert csf["requirements"][0] == {"level": "S-TU", "minimum": 3, "validated": 0, "total": 1, "met": False}
    assert csf["by_code"]["P"] == {"validated": 0, "total": 1}


def test_the_api_tells_an_outsider_no_such_enrolment_exists(cast, world):
    answer = bearer_client(cast.outsider_coordinator).get(
        f"/api/v1/training/enrolments/{world.enrolment.pk}/progress"
    )
    assert answer.status_code == 404
