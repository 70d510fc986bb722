"""What a shift may be, on the page and through the API alike (the rule is in actions.rosters):
it must end in the future, since the roster shows only the coming weeks and a shift saved in the
past would be out of sight with nothing to correct or remove it; and it lasts two weeks at most,
since a year typed for a week would make routing prefer that consultant for a year. A refusal
says why, at the end field, in the reader's language, and saves nothing. The zone the times are
in is named one way on the page: 'Africa/Dar es Salaam, UTC+03:00'."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts import actions as account_actions
from consultations.actions import rosters
from consultations.models import OnCallShift
from core.errors import ActionError
from core.models import AuditEntry
from neurodaraja.testing.api_clients import call
from neurodaraja.testing.cases import english
from neurodaraja.testing.personas import sign_in

ROSTER = "/consultations/on-call/"
DAR = ZoneInfo("Africa/Dar_es_Salaam")  # the coordinator's and the neurosurgeon's zone
ENDED = "This shift has already ended. Only a shift that ends in the future can be saved: check the dates."
TOO_LONG = "A shift may last at most 14 days. Check the dates, or enter a longer stretch as several shifts."


def typed(moment: datetime) -> str:
    """The moment as the coordinator types it in the form (her zone, Dar es Salaam)."""
    return timezone.localtime(moment, DAR).strftime("%Y-%m-%dT%H:%M")


def hour(days: float) -> datetime:
    """A whole hour `days` from now (the form takes minutes, not seconds)."""
    return (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


def nothing_saved() -> tuple[int, int]:
    return OnCallShift.objects.count(), AuditEntry.objects.filter(
        action__startswith="consultations.shift"
    ).count()


def add_on_page(client: Client, starts: datetime, ends: datetime, consultant: int) -> tuple[int, str]:
    response = client.post(
        ROSTER, {"consultant": consultant, "starts_at": typed(starts), "ends_at": typed(ends)}
    )
    return response.status_code, response.content.decode()


def error_at_the_end(html: str) -> str:
    """The error shown under the 'Until' field."""
    found = re.search(r'id="id_ends_at_errors">(.*?)</div>', html, re.S)
    assert found, "no error at the end field"
    return found.group(1)


# Item 6: a shift that has already ended.


def test_a_shift_wholly_in_the_past_is_refused_on_the_page_and_nothing_is_saved(cast, consultants):
    english(cast.coordinator)
    client = sign_in(Client(), cast.coordinator)
    before = nothing_saved()
    # As the review typed it: two days, a month ago.
    status, html = add_on_page(client, hour(-32), hour(-30), cast.neurosurgeon.pk)
    assert status == 400 and "Shift added." not in html
    assert ENDED in error_at_the_end(html)
    assert nothing_saved() == before
    # One that ended an hour ago: refused the same way.
    status, html = add_on_page(client, hour(-1) - timedelta(hours=8), hour(-1), cast.neurosurgeon.pk)
    assert status == 400 and ENDED in error_at_the_end(html)
    assert nothing_saved() == before


def test_a_shift_already_under_way_is_accepted(cast, consultants):
    # "I have been on call since this morning": it started, it has not ended; routing needs it now.
    client = sign_in(Client(), cast.coordinator)
    status, _html = add_on_page(client, hour(-0.25), hour(0.5), cast.neurosurgeon.pk)
    assert status == 302
    assert OnCallShift.objects.get().consultant == cast.neurosurgeon


def test_a_shift_in_the_past_is_refused_through_the_api_and_nothing_is_saved(cast, api, consultants):
    english(cast.neurosurgeon)
    before = nothing_saved()
    body = {"starts_at": hour(-32).isoformat(), "ends_at": hour(-30).isoformat()}
    response = call(api(cast.neurosurgeon), "post", "/on-call/shifts", body)
    assert response.status_code == 400
    assert response.json() == {"detail": ENDED, "code": "ended"}
    assert nothing_saved() == before


@pytest.mark.parametrize(
    ("language", "words"),
    [("sw", "Zamu hii imeshamalizika."), ("zh-hans", "该班次已经结束。")],
)
def test_the_refusal_of_a_past_shift_is_in_the_readers_language(cast, api, consultants, language, words):
    account_actions.update_profile(cast.neurosurgeon, {"preferred_language": language})
    client = sign_in(Client(), cast.neurosurgeon)
    response = client.post(ROSTER, {"starts_at": typed(hour(-32)), "ends_at": typed(hour(-30))})
    assert response.status_code == 400 and words in error_at_the_end(response.content.decode())
    body = {"starts_at": hour(-32).isoformat(), "ends_at": hour(-30).isoformat()}
    answer = call(api(cast.neurosurgeon), "post", "/on-call/shifts", body)
    assert answer.status_code == 400 and words in answer.json()["detail"]
    assert not OnCallShift.objects.exists()


def test_a_shift_is_not_edited_into_the_past_and_stays_as_it_was(cast, consultants):
    english(cast.coordinator)
    shift = rosters.add_shift(cast.coordinator, hour(1), hour(9), consultant=cast.neurosurgeon)
    before = (shift.starts_at, shift.ends_at)
    client = sign_in(Client(), cast.coordinator)
    url = f"/consultations/on-call/{shift.pk}/edit/"
    response = client.post(url, {"starts_at": typed(hour(-32)), "ends_at": typed(hour(-30))})
    assert response.status_code == 400 and ENDED in error_at_the_end(response.content.decode())
    shift.refresh_from_db()
    assert (shift.starts_at, shift.ends_at) == before
    assert not AuditEntry.objects.filter(action="consultations.shift_changed").exists()
    # The same through the action every caller uses.
    with pytest.raises(ActionError) as refused:
        rosters.change_shift(cast.neurosurgeon, shift, hour(-3), hour(-1))
    assert refused.value.code == "ended"
    shift.refresh_from_db()
    assert (shift.starts_at, shift.ends_at) == before


# Item 7: a shift too long to be meant.


def test_a_year_long_shift_is_refused_on_the_page_with_the_limit_and_nothing_is_saved(cast, consultants):
    english(cast.coordinator)
    client = sign_in(Client(), cast.coordinator)
    before = nothing_saved()
    start = hour(30)
    status, html = add_on_page(client, start, start + timedelta(days=365), cast.neurosurgeon.pk)
    assert status == 400 and TOO_LONG in error_at_the_end(html)
    assert nothing_saved() == before
    # An hour over the limit is over it.
    status, html = add_on_page(client, start, start + timedelta(days=14, hours=1), cast.neurosurgeon.pk)
    assert status == 400 and TOO_LONG in error_at_the_end(html)
    assert nothing_saved() == before


def test_a_week_and_two_weeks_are_accepted(cast, consultants):
    client = sign_in(Client(), cast.coordinator)
    start = hour(2)
    assert add_on_page(client, start, start + timedelta(days=7), cast.neurosurgeon.pk)[0] == 302
    later = start + timedelta(days=7)
    assert add_on_page(client, later, later + timedelta(days=14), cast.neurosurgeon.pk)[0] == 302
    assert OnCallShift.objects.count() == 2


def test_a_year_long_shift_is_refused_through_the_api_and_nothing_is_saved(cast, api, consultants):
    english(cast.consultant_china)
    before = nothing_saved()
    start = hour(30)
    body = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(days=365)).isoformat()}
    response = call(api(cast.consultant_china), "post", "/on-call/shifts", body)
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_LONG, "code": "too_long"}
    assert nothing_saved() == before


def test_a_shift_is_not_stretched_past_the_limit_by_an_edit(cast, consultants):
    english(cast.neurosurgeon)
    shift = rosters.add_shift(cast.neurosurgeon, hour(2), hour(2) + timedelta(days=7))
    before = (shift.starts_at, shift.ends_at)
    client = sign_in(Client(), cast.neurosurgeon)
    year = {"starts_at": typed(shift.starts_at), "ends_at": typed(shift.starts_at + timedelta(days=365))}
    response = client.post(f"/consultations/on-call/{shift.pk}/edit/", year)
    assert response.status_code == 400 and TOO_LONG in error_at_the_end(response.content.decode())
    shift.refresh_from_db()
    assert (shift.starts_at, shift.ends_at) == before


@pytest.mark.parametrize(
    ("language", "words"),
    [("sw", "haiwezi kudumu zaidi ya siku 14"), ("zh-hans", "一个班次最长为 14 天")],
)
def test_the_limit_is_said_in_the_readers_language(cast, consultants, language, words):
    account_actions.update_profile(cast.neurosurgeon, {"preferred_language": language})
    start = hour(30)
    response = sign_in(Client(), cast.neurosurgeon).post(
        ROSTER, {"starts_at": typed(start), "ends_at": typed(start + timedelta(days=365))}
    )
    assert response.status_code == 400 and words in error_at_the_end(response.content.decode())
    assert not OnCallShift.objects.exists()


# Item 8: the zone, named one way.


def main_of(html: str) -> str:
    return html[html.index('<main id="main">') : html.index("</main>")]


def test_the_zone_is_named_one_way_in_the_header_and_beside_each_consultant_on_call(cast, consultants):
    rosters.add_shift(cast.neurosurgeon, hour(-0.5), hour(6))
    rosters.add_shift(cast.consultant_china, hour(-0.5), hour(6))
    english(cast.coordinator)
    main = main_of(sign_in(Client(), cast.coordinator).get(ROSTER).content.decode())
    assert "Times are in your time zone (Africa/Dar es Salaam, UTC+03:00)." in main
    # Beside each consultant on call now: their own zone, in the same form.
    assert "(Tanzania) · Africa/Dar es Salaam, UTC+03:00" in main
    assert "(China) · Asia/Shanghai, UTC+08:00" in main
    assert "_" not in re.sub(r"<[^>]*>", "", main)  # no raw 'Africa/Dar_es_Salaam' anywhere


def test_the_zone_reads_as_chinese_punctuation_on_a_chinese_page(cast, consultants):
    account_actions.update_profile(cast.consultant_china, {"preferred_language": "zh-hans"})
    main = main_of(sign_in(Client(), cast.consultant_china).get(ROSTER).content.decode())
    assert "（Asia/Shanghai，UTC+08:00）" in main
