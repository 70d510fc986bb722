"""Every read of a case's imaging from outside its referring team leaves one audit entry naming
the case and what was read, per sitting (a session or an API token) and UTC day: not one per
slice. The referring team at home leaves none; a refused read stays refused, and unaudited."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from accounts.actions import update_profile
from conftest import sign_in
from consultations.actions import reads
from consultations.models import Case, OnCallShift
from core.models import AuditEntry
from imaging import actions
from imaging import audit_actions as acts
from imaging.access import imaging_access
from imaging.models import Instance, Study
from imaging.services import Batch, receive
from imaging.tests.data import IDENTITY, encoded, small_ct
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import IDENTITY as CASE_IDENTITY

READ_ACTIONS = [
    acts.IMAGING_LIST_READ,
    acts.IMAGING_RETRIEVED,
    acts.MANIFEST_READ,
    acts.SLICES_READ,
    acts.FULL_QUALITY_READ,
    acts.THUMBNAIL_READ,
    acts.IMAGING_SEARCHED,
]


@pytest.fixture(autouse=True)
def empty_read_cache():
    """The read cache outlives a test's database; each test starts without it."""
    cache.clear()
    yield
    cache.clear()


def send_imaging(case: Case, user) -> dict[str, list[Instance]]:
    """Two series of one study, and a second study, received through the real service."""
    batch = Batch(institution=case.referring_institution, source=Study.Source.UPLOAD, case=case, user=user)
    first = [receive(batch, encoded(small_ct(1, 1, number))) for number in (1, 2, 3)]
    second = [receive(batch, encoded(small_ct(1, 2)))]
    unshared = [receive(batch, encoded(small_ct(2, 3)))]
    assert all(first + second + unshared)
    return {"first": first, "second": second, "unshared": unshared}  # type: ignore[dict-item]


def share(case: Case, user, instance: Instance) -> None:
    actions.share_study(imaging_access(user, case.code), instance.series.study_id)


@pytest.fixture
def shared(cast, case_for_china):
    """A case assigned to the consultant in China, with one study shared and one not."""
    images = send_imaging(case_for_china, cast.referrer)
    share(case_for_china, cast.referrer, images["first"][0])
    return case_for_china, images


def base(case: Case) -> str:
    return f"/consultations/{case.code}/imaging/"


# Each read of a series: its address for a slice of that series (`instance`).
SERIES_READS = {
    "viewer": (acts.IMAGING_RETRIEVED, lambda i: f"series/{i.series_id}/"),
    "manifest": (acts.MANIFEST_READ, lambda i: f"series/{i.series_id}/manifest.json"),
    "thumbnail": (acts.THUMBNAIL_READ, lambda i: f"series/{i.series_id}/thumbnail.webp"),
    "slices": (acts.SLICES_READ, lambda i: f"instances/{i.pk}/brain.webp"),
    "windowed slices": (acts.SLICES_READ, lambda i: f"instances/{i.pk}/window.webp?center=40&width=80"),
    "full quality": (acts.FULL_QUALITY_READ, lambda i: f"instances/{i.pk}/window.png?center=40&width=80"),
}


def entries(action: acts.AuditAction):
    return AuditEntry.objects.filter(action=action.code).order_by("id")


def read_entries():
    return AuditEntry.objects.filter(action__in=[a.code for a in READ_ACTIONS])


def get(client: Client, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)


@pytest.mark.parametrize("kind", list(SERIES_READS))
def test_a_consultant_abroad_leaves_one_entry_per_series_and_session_for_each_kind_of_read(
    cast, shared, kind
):
    case, images = shared
    action, address = SERIES_READS[kind]
    consultant = sign_in(Client(), cast.consultant_china)
    for instance in images["first"]:  # every slice of the series, twice: as a viewer scrolls
        get(consultant, base(case) + address(instance))
        get(consultant, base(case) + address(instance))
    [entry] = entries(action)
    assert entry.actor == cast.consultant_china and entry.object_type == "consultations.case"
    assert entry.object_id == str(case.pk) and entry.institution == cast.institutions["SRRH"]
    assert entry.detail["case"] == case.code and entry.detail["series"] == images["first"][0].series_id

    get(consultant, base(case) + address(images["second"][0]))  # another series: another entry
    assert [e.detail["series"] for e in entries(action)] == [
        images["first"][0].series_id,
        images["second"][0].series_id,
    ]
    again = sign_in(Client(), cast.consultant_china)  # a new session: another entry
    get(again, base(case) + address(images["first"][1]))
    assert entries(action).count() == 3
    assert len({e.detail["reader"] for e in entries(action)}) == 2


def test_the_imaging_list_read_from_abroad_is_one_entry_per_session(cast, shared):
    case, _images = shared
    consultant = sign_in(Client(), cast.consultant_china)
    get(consultant, base(case))
    get(consultant, base(case))
    [entry] = entries(acts.IMAGING_LIST_READ)
    assert entry.object_id == str(case.pk) and entry.detail["case"] == case.code
    assert entry.detail["studies"] == 1  # the shared study only
    get(sign_in(Client(), cast.consultant_china), base(case))
    assert entries(acts.IMAGING_LIST_READ).count() == 2


def test_the_next_day_the_same_session_leaves_another_entry(cast, shared, monkeypatch):
    case, images = shared
    consultant = sign_in(Client(), cast.consultant_china)
    url = base(case) + SERIES_READS["slices"][1](images["first"][0])
    get(consultant, url)
    now = timezone.now()
    # The sitting's day as the audit reads it (the session itself would expire by then).
    monkeypatch.setattr(reads, "timezone", SimpleNamespace(now=lambda: now + timedelta(days=1)))
    get(consultant, url)
    get(consultant, url)
    assert entries(acts.SLICES_READ).count() == 2


def every_read(case: Case, images) -> list[str]:
    first = images["first"][0]
    return [base(case)] + [base(case) + address(first) for _action, address in SERIES_READS.values()]


def test_the_referring_team_at_home_leaves_no_read_entries(cast, shared):
    case, images = shared
    for person in (cast.referrer, cast.coordinator):  # SRRH's referrer and its coordinator
        client = sign_in(Client(), person)
        for url in every_read(case, images):
            get(client, url)
        unshared = images["unshared"][0]
        get(client, base(case) + SERIES_READS["slices"][1](unshared))
    assert not read_entries().exists()


def test_a_consultant_at_home_but_outside_the_referring_hospital_is_audited(cast, make_case):
    now = timezone.now()
    OnCallShift.objects.create(
        consultant=cast.neurosurgeon, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    case = make_case(send=True)  # from SRRH, to the neurosurgeon at MOI
    images = send_imaging(case, cast.referrer)
    share(case, cast.referrer, images["first"][0])
    client = sign_in(Client(), cast.neurosurgeon)
    for url in every_read(case, images):
        get(client, url)
    assert sorted(read_entries().values_list("action", flat=True)) == sorted(
        {action.code for action, _address in SERIES_READS.values()} | {acts.IMAGING_LIST_READ.code}
    )
    assert set(read_entries().values_list("actor", flat=True)) == {cast.neurosurgeon.pk}


def test_a_refused_read_is_still_refused_and_leaves_no_entry(cast, shared):
    case, images = shared
    outsider = sign_in(Client(), cast.outsider)  # KCMC: may not know the case exists
    for url in every_read(case, images):
        assert outsider.get(url).status_code == 404, url
    consultant = sign_in(Client(), cast.consultant_china)
    unshared = images["unshared"][0]  # not shared: the consultant may not know it exists
    for _action, address in SERIES_READS.values():
        assert consultant.get(base(case) + address(unshared)).status_code == 404
    assert (
        consultant.get(
            base(case) + SERIES_READS["full quality"][1](images["first"][0]).replace("width=80", "width=oops")
        ).status_code
        == 400
    )
    assert not read_entries().exists()


def test_a_read_entry_names_the_case_by_its_code_and_holds_no_identifier(cast, shared):
    case, images = shared
    consultant = sign_in(Client(), cast.consultant_china)
    for url in every_read(case, images):
        get(consultant, url)
    bearer_client(cast.consultant_china).get("/dicomweb/studies", HTTP_ACCEPT="application/dicom+json")
    session_key = consultant.session.session_key
    assert read_entries().count() == len(READ_ACTIONS)
    identifiers = [*CASE_IDENTITY.values(), *(str(v) for v in IDENTITY.values()), session_key]
    for entry in read_entries():
        text = " ".join(f"{key} {value}" for key, value in entry.detail.items())
        assert entry.detail["case"] == case.code
        assert not [found for found in identifiers if str(found).lower() in text.lower()], text
        assert len(entry.detail["reader"]) == 16


def test_dicomweb_searches_are_audited_per_case_level_and_token(cast, shared):
    case, images = shared
    study_uid = images["first"][0].series.study.study_uid
    consultant = bearer_client(cast.consultant_china)
    json = {"HTTP_ACCEPT": "application/dicom+json"}
    for _ in range(2):
        assert consultant.get("/dicomweb/studies", **json).status_code == 200
    [entry] = entries(acts.IMAGING_SEARCHED)
    assert entry.object_id == str(case.pk) and entry.detail["case"] == case.code
    assert entry.detail["level"] == "studies" and entry.detail["results"] == 1
    assert consultant.get(f"/dicomweb/studies/{study_uid}/series", **json).status_code == 200
    assert consultant.get("/dicomweb/instances", **json).status_code == 200
    assert consultant.get("/dicomweb/instances", **json).status_code == 200
    assert [(e.detail["level"], e.detail["results"]) for e in entries(acts.IMAGING_SEARCHED)] == [
        ("studies", 1),
        ("series", 2),
        ("instances", 4),
    ]
    # Another token is another sitting; a search that finds nothing of the case records nothing.
    other = bearer_client(cast.consultant_china)
    assert other.get("/dicomweb/studies", **json).status_code == 200
    assert other.get("/dicomweb/studies?StudyInstanceUID=1.2.3", **json).status_code == 200
    assert entries(acts.IMAGING_SEARCHED).count() == 4
    # At home, the referring team's searches are not audited; a stranger finds nothing.
    assert bearer_client(cast.referrer).get("/dicomweb/studies", **json).status_code == 200
    outsider = bearer_client(cast.outsider)
    assert outsider.get("/dicomweb/studies", **json).json() == []
    assert outsider.get(f"/dicomweb/studies/{study_uid}/series", **json).status_code == 404
    assert entries(acts.IMAGING_SEARCHED).count() == 4


# --- the dedupe itself: the first entry is never lost, a duplicate may be ---------------------


def test_another_web_worker_without_the_cached_key_finds_the_entry_in_the_trail(cast, shared):
    case, images = shared
    consultant = sign_in(Client(), cast.consultant_china)
    url = base(case) + SERIES_READS["slices"][1](images["first"][0])
    get(consultant, url)
    cache.clear()  # as a second worker's own cache, or a restart, would be
    get(consultant, url)
    assert entries(acts.SLICES_READ).count() == 1


def test_with_the_cache_down_the_trail_alone_keeps_one_entry(cast, shared, monkeypatch):
    case, images = shared
    consultant = sign_in(Client(), cast.consultant_china)

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)
    monkeypatch.setattr(cache, "delete", broken)
    url = base(case) + SERIES_READS["slices"][1](images["first"][0])
    get(consultant, url)
    get(consultant, url)
    get(consultant, base(case) + SERIES_READS["slices"][1](images["second"][0]))
    assert [e.detail["series"] for e in entries(acts.SLICES_READ)] == [
        images["first"][0].series_id,
        images["second"][0].series_id,
    ]


def test_a_read_whose_entry_could_not_be_written_is_recorded_by_the_next_one(cast, shared, monkeypatch):
    case, images = shared
    consultant = sign_in(Client(), cast.consultant_china)
    url = base(case) + SERIES_READS["slices"][1](images["first"][0])
    written = reads.record_on_case

    def fails_once(*args, **kwargs):
        monkeypatch.setattr(reads, "record_on_case", written)
        raise RuntimeError("the trail is busy")

    monkeypatch.setattr(reads, "record_on_case", fails_once)
    with pytest.raises(RuntimeError):
        consultant.get(url)
    get(consultant, url)
    assert entries(acts.SLICES_READ).count() == 1


def test_the_audit_page_names_each_kind_of_read_in_the_readers_language(cast, shared):
    case, images = shared
    get(sign_in(Client(), cast.consultant_china), base(case) + SERIES_READS["slices"][1](images["first"][0]))
    update_profile(cast.coordinator, {"preferred_language": "zh-hans"})  # SRRH's coordinator
    page = sign_in(Client(), cast.coordinator).get("/audit/", {"action": acts.SLICES_READ.code})
    assert "已查看序列的层面图像" in page.content.decode()
    for action in READ_ACTIONS:
        with translation.override("en"):
            english = str(action.label)
        for language in ("sw", "zh-hans"):
            with translation.override(language):
                assert str(action.label) != english, (action.code, language)
