"""The on-call roster: the coming four weeks day by day, in the reader's time zone (named);
consultants keep their own shifts and the coordinators of their institution keep them too; a
shift that ends before it starts or overlaps another is refused with the reason; a shift is
removed only once the removal is confirmed; every change is in the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from consultations.actions import rosters
from consultations.models import OnCallShift
from core.errors import ActionError
from core.models import AuditEntry
from neurodaraja.testing.cases import english
from neurodaraja.testing.personas import sign_in

ROSTER = "/consultations/on-call/"
DAR = ZoneInfo("Africa/Dar_es_Salaam")  # the coordinator's and the neurosurgeon's zone


def tomorrow_utc(hour: int) -> datetime:
    day = (timezone.now() + timedelta(days=1)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def shift(cast, consultants):
    """Tomorrow 00:00–12:00 UTC: 03:00–15:00 in Dar es Salaam, 08:00–20:00 in Jinan."""
    return rosters.add_shift(cast.neurosurgeon, tomorrow_utc(0), tomorrow_utc(12))


def page(client: Client, url: str = ROSTER) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_coordinator_sees_the_coming_four_weeks_day_by_day(cast, consultants):
    start = tomorrow_utc(6)
    rosters.add_shift(cast.neurosurgeon, start + timedelta(days=9), start + timedelta(days=9, hours=8))
    rosters.add_shift(cast.consultant_china, start + timedelta(days=20), start + timedelta(days=20, hours=8))
    rosters.add_shift(cast.consultant_china, start + timedelta(days=40), start + timedelta(days=40, hours=8))
    english(cast.coordinator)
    html = page(sign_in(Client(), cast.coordinator))
    assert "The coming four weeks" in html
    # Each shift's day, and the quiet days between them as three stretches: the four weeks in 5.
    assert html.count('class="roster-day') == 5
    last = timezone.localtime(timezone.now(), DAR).date() + timedelta(days=27)
    assert html.rindex(date_format(last, "DATE_FORMAT")) > html.rindex('class="roster-day')
    assert html.count('class="shift"') == 2  # the one in 41 days is beyond the four weeks
    assert "Baraka Massawe · MOI" in html and "Li Wen 李文 · QILU" in html
    assert "<table" not in html  # a list a phone reads, not a wide table


def test_a_week_long_shift_is_listed_once_with_its_span_and_the_week_says_who_carries_on(cast, consultants):
    # Tomorrow 06:00 UTC (09:00 in Dar es Salaam) for seven days.
    start = tomorrow_utc(6)
    week = rosters.add_shift(cast.neurosurgeon, start, start + timedelta(days=7))
    english(cast.coordinator)
    html = page(sign_in(Client(), cast.coordinator))
    assert html.count('class="shift"') == 1 and html.count(f"/on-call/{week.pk}/edit/") == 1
    first, last = timezone.localtime(week.starts_at, DAR), timezone.localtime(week.ends_at, DAR)
    span = f"{first:%a} {first.day} {first:%B}, 09:00 – {last:%a} {last.day} {last:%B}, 09:00"
    assert span in html
    # The six days after it that it still covers: one stretch, one line, not six copies.
    assert html.count("Baraka Massawe is still on call") == 1
    assert f"Baraka Massawe is still on call, until {last:%a} {last.day} {last:%B}, 09:00." in html
    quiet_today = timezone.localtime(timezone.now(), DAR).date() < first.date()  # not so just before midnight
    assert html.count('class="roster-day') == 3 + quiet_today  # (today), its first day, the stretch, the rest
    english(cast.neurosurgeon)
    own = page(sign_in(Client(), cast.neurosurgeon))
    assert own.count('class="shift"') == 1 and own.count("Your shift carries on until") == 1


def test_each_reader_reads_the_times_in_their_own_zone_and_the_zone_is_named(cast, shift):
    english(cast.coordinator)
    dar = page(sign_in(Client(), cast.coordinator))
    assert "03:00 – 15:00" in dar and "Africa/Dar es Salaam, UTC+03:00" in dar
    # The consultant in China reads her own roster; his shift, read by a coordinator in China:
    rosters.add_shift(cast.consultant_china, tomorrow_utc(0), tomorrow_utc(12))
    english(cast.consultant_china)
    jinan = page(sign_in(Client(), cast.consultant_china))
    assert "08:00 – 20:00" in jinan and "Asia/Shanghai, UTC+08:00" in jinan


def test_a_coordinator_adds_a_shift_for_a_consultant_of_their_institution(cast, consultants):
    client = sign_in(Client(), cast.coordinator)  # coordinates MOI, where the neurosurgeon works
    data = {"starts_at": "2030-01-07T08:00", "ends_at": "2030-01-07T20:00"}
    response = client.post(ROSTER, {**data, "consultant": cast.neurosurgeon.pk})
    assert response.status_code == 302
    added = OnCallShift.objects.get()
    assert added.consultant == cast.neurosurgeon
    assert added.starts_at == datetime(2030, 1, 7, 5, 0, tzinfo=UTC)  # entered in Dar es Salaam time
    entry = AuditEntry.objects.get(action="consultations.shift_added")
    assert entry.actor == cast.coordinator and entry.detail == {"consultant": cast.neurosurgeon.pk}
    # The consultant in China is not one of hers: no choice of hers, nothing saved.
    refused = client.post(ROSTER, {**data, "consultant": cast.consultant_china.pk})
    assert refused.status_code == 400 and OnCallShift.objects.count() == 1
    with pytest.raises(Exception):  # noqa: B017,PT011 (Http404)
        rosters.add_shift(
            cast.coordinator, tomorrow_utc(0), tomorrow_utc(2), consultant=cast.consultant_china
        )


def test_those_who_keep_no_roster_are_refused(cast, consultants):
    data = {
        "starts_at": "2030-01-07T08:00",
        "ends_at": "2030-01-07T20:00",
        "consultant": cast.neurosurgeon.pk,
    }
    # KCMC's coordinator reads the roster but has no consultant to keep shifts for.
    kcmc = sign_in(Client(), cast.outsider_coordinator)
    assert kcmc.get(ROSTER).status_code == 200
    assert kcmc.post(ROSTER, data).status_code == 403
    for persona in ["referrer", "trainee", "researcher", "outsider"]:
        client = sign_in(Client(), getattr(cast, persona))
        assert client.get(ROSTER).status_code == 403, persona
        assert client.post(ROSTER, data).status_code == 403, persona
    assert not OnCallShift.objects.exists()


def test_a_shift_is_edited_by_its_consultant_or_their_coordinator_only(cast, shift):
    url = f"/consultations/on-call/{shift.pk}/edit/"
    form = page(sign_in(Client(), cast.neurosurgeon), url)
    assert 'value="2' in form  # the stored times, shown in the form
    later = {"starts_at": "2030-01-07T08:00", "ends_at": "2030-01-07T14:00"}
    for persona in ["consultant_china", "outsider_coordinator", "referrer", "admin"]:
        client = sign_in(Client(), getattr(cast, persona))
        assert client.get(url).status_code == 404, persona
        assert client.post(url, later).status_code == 404, persona
    shift.refresh_from_db()
    assert shift.starts_at == tomorrow_utc(0)
    assert sign_in(Client(), cast.coordinator).post(url, later).status_code == 302
    shift.refresh_from_db()
    assert (shift.starts_at, shift.ends_at) == (
        datetime(2030, 1, 7, 5, 0, tzinfo=UTC),
        datetime(2030, 1, 7, 11, 0, tzinfo=UTC),
    )
    entry = AuditEntry.objects.get(action="consultations.shift_changed")
    assert entry.actor == cast.coordinator and entry.object_id == str(shift.pk)


def test_a_shift_that_ends_before_it_starts_or_overlaps_another_is_refused_and_nothing_is_lost(cast, shift):
    english(cast.neurosurgeon)
    client = sign_in(Client(), cast.neurosurgeon)
    backwards = client.post(ROSTER, {"starts_at": "2030-01-07T20:00", "ends_at": "2030-01-07T08:00"})
    assert backwards.status_code == 400
    assert "The shift must end after it starts." in backwards.content.decode()
    assert 'value="2030-01-07T20:00"' in backwards.content.decode()  # what was typed is kept
    local = timezone.localtime(shift.starts_at, timezone.get_fixed_timezone(180))
    overlapping = {
        "starts_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(ROSTER, overlapping)
    assert response.status_code == 400
    assert "This shift overlaps another shift of the same consultant." in response.content.decode()
    assert OnCallShift.objects.count() == 1
    # Editing a second shift onto the first is refused the same way.
    second = rosters.add_shift(cast.neurosurgeon, tomorrow_utc(14), tomorrow_utc(18))
    edit = client.post(f"/consultations/on-call/{second.pk}/edit/", overlapping)
    assert edit.status_code == 400 and "overlaps" in edit.content.decode()
    second.refresh_from_db()
    assert second.starts_at == tomorrow_utc(14)
    # Back to back is no overlap; another consultant's shift at the same hours is none either.
    rosters.add_shift(cast.neurosurgeon, tomorrow_utc(12), tomorrow_utc(14))
    rosters.add_shift(cast.consultant_china, tomorrow_utc(0), tomorrow_utc(12))
    with pytest.raises(ActionError, match="overlaps"):
        rosters.add_shift(cast.neurosurgeon, tomorrow_utc(11), tomorrow_utc(13))


def test_a_shift_is_removed_only_once_the_removal_is_confirmed(cast, shift):
    url = f"/consultations/on-call/{shift.pk}/remove/"
    english(cast.neurosurgeon)
    client = sign_in(Client(), cast.neurosurgeon)
    question = page(client, url)
    assert "Remove this shift?" in question and 'name="confirm" value="yes"' in question
    assert "Baraka Massawe, from" in question
    unconfirmed = client.post(url)
    assert unconfirmed.status_code == 200 and "Remove this shift?" in unconfirmed.content.decode()
    assert OnCallShift.objects.filter(pk=shift.pk).exists()
    for persona in ["consultant_china", "outsider_coordinator", "admin"]:
        other = sign_in(Client(), getattr(cast, persona))
        assert other.get(url).status_code == 404, persona
        assert other.post(url, {"confirm": "yes"}).status_code == 404, persona
    assert OnCallShift.objects.filter(pk=shift.pk).exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not OnCallShift.objects.filter(pk=shift.pk).exists()
    entry = AuditEntry.objects.get(action="consultations.shift_removed")
    assert entry.actor == cast.neurosurgeon and entry.object_id == str(shift.pk)


def test_the_roster_page_links_each_shift_the_reader_keeps_to_edit_and_remove(cast, shift):
    china = rosters.add_shift(cast.consultant_china, tomorrow_utc(0), tomorrow_utc(12))
    html = page(sign_in(Client(), cast.coordinator))
    assert f"/consultations/on-call/{shift.pk}/remove/" in html  # MOI's neurosurgeon: hers to keep
    assert f"/consultations/on-call/{china.pk}/edit/" not in html  # Qilu's consultant: only read


@pytest.mark.parametrize("language", ["sw", "zh-hans"])
def test_the_shift_form_is_in_the_readers_language_with_start_and_end_alike(cast, consultants, language):
    from accounts import actions as account_actions

    account_actions.update_profile(cast.neurosurgeon, {"preferred_language": language})
    html = page(sign_in(Client(), cast.neurosurgeon))
    if language == "zh-hans":
        assert "开始时间" in html and "结束时间" in html and "开始日期" not in html
    else:
        assert "Wiki nne zijazo" not in html and "Zamu zangu katika wiki nne zijazo" in html
    assert "The coming four weeks" not in html and "Add a shift" not in html
