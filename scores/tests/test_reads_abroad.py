"""A case's scores (through the API) and its CT and laboratory findings (the findings form) read
from outside the referring team leave one audit entry per sitting naming the case; the
referring team at home leaves none; a refused read stays refused."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from conftest import sign_in
from consultations.access import case_access
from consultations.actions import reads
from core.models import AuditEntry
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import IDENTITY, assigned_to_china
from scores import actions
from scores.case_scores import record_findings

READS = [actions.SCORES_READ.code, actions.FINDINGS_READ.code]


@pytest.fixture(autouse=True)
def empty_read_cache():
    """The read cache outlives a test's database; each test starts without it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(cast, make_case):
    """A case assigned to the consultant in China, with CT findings entered by the referrer."""
    case = assigned_to_china(cast, make_case)
    record_findings(case_access(cast.referrer, case), cast.referrer, {"basal_cisterns": "compressed"})
    return case


def entries(action):
    return AuditEntry.objects.filter(action=action.code).order_by("id")


def test_the_scores_read_through_the_api_from_abroad_are_one_entry_per_token(cast, case):
    consultant = bearer_client(cast.consultant_china)
    for _ in range(3):
        answer = consultant.get(f"/api/v1/cases/{case.code}/scores")
        assert answer.status_code == 200 and answer.json()
    [entry] = entries(actions.SCORES_READ)
    assert entry.actor == cast.consultant_china and entry.object_type == "consultations.case"
    assert entry.object_id == str(case.pk) and entry.institution == cast.institutions["SRRH"]
    assert entry.detail["case"] == case.code and entry.detail["via"] == "api"
    assert bearer_client(cast.consultant_china).get(f"/api/v1/cases/{case.code}/scores").status_code == 200
    assert entries(actions.SCORES_READ).count() == 2  # another token, another sitting


def test_the_findings_form_read_from_abroad_is_one_entry_per_session(cast, case):
    consultant = sign_in(Client(), cast.consultant_china)
    for _ in range(2):
        assert consultant.get(f"/consultations/{case.code}/findings/").status_code == 200
    [entry] = entries(actions.FINDINGS_READ)
    assert entry.object_id == str(case.pk) and entry.detail["case"] == case.code
    assert (
        sign_in(Client(), cast.consultant_china).get(f"/consultations/{case.code}/findings/").status_code
        == 200
    )
    assert entries(actions.FINDINGS_READ).count() == 2  # a new session


def test_the_referring_team_at_home_leaves_no_read_entries(cast, case):
    for person in (cast.referrer, cast.coordinator):
        assert sign_in(Client(), person).get(f"/consultations/{case.code}/findings/").status_code == 200
        assert bearer_client(person).get(f"/api/v1/cases/{case.code}/scores").status_code == 200
    assert not AuditEntry.objects.filter(action__in=READS).exists()


def test_a_refused_read_is_still_refused_and_leaves_no_entry(cast, case):
    assert bearer_client(cast.outsider).get(f"/api/v1/cases/{case.code}/scores").status_code == 404
    assert sign_in(Client(), cast.outsider).get(f"/consultations/{case.code}/findings/").status_code == 404
    assert not AuditEntry.objects.filter(action__in=READS).exists()


def test_the_entries_hold_the_case_code_and_no_identifier(cast, case):
    consultant = sign_in(Client(), cast.consultant_china)
    consultant.get(f"/consultations/{case.code}/findings/")
    bearer_client(cast.consultant_china).get(f"/api/v1/cases/{case.code}/scores")
    found = list(AuditEntry.objects.filter(action__in=READS))
    assert len(found) == 2
    secrets = [*IDENTITY.values(), consultant.session.session_key]
    for entry in found:
        text = " ".join(f"{key} {value}" for key, value in entry.detail.items()).lower()
        assert entry.detail["case"] == case.code
        assert not [s for s in secrets if str(s).lower() in text], text


def test_an_entry_not_written_is_written_by_the_next_read(cast, case, monkeypatch):
    consultant = bearer_client(cast.consultant_china)
    written = reads.record_on_case

    def fails_once(*args, **kwargs):
        monkeypatch.setattr(reads, "record_on_case", written)
        raise RuntimeError("the trail is busy")

    monkeypatch.setattr(reads, "record_on_case", fails_once)
    # Unrecorded, the scores are not sent either: the API answers its JSON 500.
    assert consultant.get(f"/api/v1/cases/{case.code}/scores").status_code == 500
    assert consultant.get(f"/api/v1/cases/{case.code}/scores").status_code == 200
    cache.clear()  # another worker, without this one's cache, finds the entry in the trail
    assert consultant.get(f"/api/v1/cases/{case.code}/scores").status_code == 200
    assert entries(actions.SCORES_READ).count() == 1


def test_both_kinds_of_read_are_labelled_in_three_languages():
    for action in (actions.SCORES_READ, actions.FINDINGS_READ):
        with translation.override("en"):
            english = str(action.label)
        for language in ("sw", "zh-hans"):
            with translation.override(language):
                assert str(action.label) != english, (action.code, language)
