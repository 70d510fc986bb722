"""The logbook's pages ask the database a fixed number of questions, whatever the number of
entries: the same with 3 entries as with 60 of several procedures, groups, supervision levels,
statuses and quarters (a page that loops over the entries in Python would grow). bench/training.py measures
the same pages at 500,000 entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neurodaraja.testing.personas import sign_in
from training import actions
from training.models import EntryStatus, LogbookEntry, Procedure
from training.tests.world import logged, training_world

pytestmark = pytest.mark.django_db

# Procedures of all five groups; every fifth entry has two, of two groups.
PROCEDURES = [
    "vp-shunt",
    "burr-hole-csdh",
    "lumbar-discectomy",
    "craniotomy-tumour",
    "mmc-repair",
    "etv",
    "decompressive-craniectomy",
    "spinal-fusion",
]
CODES = ["S-TU", "A", "P", "O", "S-TS"]  # all the codes the trainee's stage allows
# The supervisor's decision on the i-th entry: the first three are one waiting, one validated and
# one queried, so the few and the many show the same kinds; the many add rejected ones and
# queries answered (back in the queue, with their comments).
DECISIONS = ["pending", "confirm", "query", "reject", "query-answered"]


@pytest.fixture
def world(cast):
    return training_world(cast)


def grow_logbook(cast, world, to: int) -> None:
    """Log entries through the real actions, and decide them, until the trainee has `to`."""
    today = actions.local_today(cast.trainee)
    for i in range(LogbookEntry.objects.filter(trainee=cast.trainee).count(), to):
        names = [PROCEDURES[i % len(PROCEDURES)]]
        if i % 5 == 4:
            names.append(PROCEDURES[(i + 3) % len(PROCEDURES)])
        entry = logged(
            cast,
            world,
            procedures=list(Procedure.objects.filter(code__in=names)),
            supervision=CODES[i % len(CODES)],
            performed_on=today - timedelta(days=1 + 4 * i),  # months of history: the charts over time
            urgency=["elective", "urgent", "emergency"][i % 3],
        )
        decision = DECISIONS[i % len(DECISIONS)]
        if decision == "confirm":
            actions.validate_entry(cast.neurosurgeon, entry, "confirm")
        elif decision == "reject":
            actions.validate_entry(cast.neurosurgeon, entry, "reject", "Not an operation I supervised.")
        elif decision.startswith("query"):
            actions.validate_entry(cast.neurosurgeon, entry, "query", "Were you the first operator?")
            if decision == "query-answered":
                actions.answer_query(cast.trainee, entry, "Yes, the consultant was in theatre.")


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


PAGES = [
    pytest.param("trainee", "/training/enrolments/{enrolment}/progress/", id="progress page, trainee"),
    pytest.param(
        "neurosurgeon", "/training/enrolments/{enrolment}/progress/", id="progress page, supervisor"
    ),
    pytest.param(
        "coordinator", "/training/enrolments/{enrolment}/progress/", id="progress page, coordinator"
    ),
    pytest.param("trainee", "/training/enrolments/{enrolment}/autonomy/", id="autonomy chart, trainee"),
    pytest.param(
        "neurosurgeon", "/training/enrolments/{enrolment}/autonomy/", id="autonomy chart, supervisor"
    ),
    pytest.param("coordinator", "/training/programmes/{programme}/trainees/", id="trainees side by side"),
    pytest.param("neurosurgeon", "/training/queue/", id="validation queue"),
    pytest.param("trainee", "/training/", id="logbook list, trainee"),
    pytest.param("neurosurgeon", "/training/", id="logbook list, supervisor"),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_a_page_asks_as_many_queries_with_60_entries_as_with_3(
    cast, world, client, django_assert_num_queries, who, url
):
    url = url.format(enrolment=world.enrolment.pk, programme=world.programme.pk)
    grow_logbook(cast, world, 3)
    reader = sign_in(client, getattr(cast, who))
    queries_for(reader, url)  # the first request fills the per-process caches (sessions, menus)
    few = queries_for(reader, url)

    grow_logbook(cast, world, 60)
    with django_assert_num_queries(few):
        assert reader.get(url).status_code == 200


def test_the_60_entries_are_of_every_kind_the_pages_show(cast, world):
    """The many entries really differ: else the test above would prove nothing."""
    grow_logbook(cast, world, 60)
    entries = LogbookEntry.objects.filter(trainee=cast.trainee)
    assert set(entries.values_list("status", flat=True)) == {
        EntryStatus.PENDING,
        EntryStatus.CONFIRMED,
        EntryStatus.QUERIED,
        EntryStatus.REJECTED,
    }
    assert set(entries.values_list("supervision", flat=True)) == set(CODES)
    assert entries.values("procedures__group").distinct().count() == 5
    assert entries.filter(comments__isnull=False).distinct().count() >= 12
    three = LogbookEntry.objects.filter(trainee=cast.trainee).order_by("id")[:3]
    assert [e.status for e in three] == [EntryStatus.PENDING, EntryStatus.CONFIRMED, EntryStatus.QUERIED]
