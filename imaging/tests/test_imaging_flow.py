"""The imaging part of the consultation loop (issue 11): the upload panel follows each file
through processing and names the study it went to; files already on the case are said, never
silently taken, and another case's or hospital's study is never taken by its UIDs; sending the
case shares what the consent covers; both sides read where the imaging stands."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, TestCase
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from conftest import sign_in
from consultations import actions as case_actions
from consultations.access import case_access
from consultations.models import OnCallShift
from core.models import AuditEntry, Notification
from imaging.models import Series, Study, Upload
from imaging.services import Batch, receive
from imaging.tests.data import encoded, small_ct

TUS: dict[str, Any] = {"HTTP_TUS_RESUMABLE": "1.0.0"}


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGING_INCOMING_ROOT = tmp_path / "incoming"


def _metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def upload(client: Client, case, data: bytes, name: str = "01.dcm") -> Upload:
    """One file sent by tus from the case page, processed by the worker as the last byte commits."""
    batch = client.post(f"/consultations/{case.code}/imaging/batches/")
    assert batch.status_code == 201, batch.content
    created = client.post(
        "/api/v1/uploads/",
        **TUS,
        HTTP_UPLOAD_LENGTH=str(len(data)),
        HTTP_UPLOAD_METADATA=_metadata(case=case.code, filename=name, batch=batch.json()["id"]),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.generic(
            "PATCH",
            created["Location"],
            data=data,
            content_type="application/offset+octet-stream",
            **TUS,
            HTTP_UPLOAD_OFFSET="0",
        )
    assert done.status_code == 204
    return Upload.objects.get(pk=created["Location"].rsplit("/", 1)[1])


def status(client: Client, found: Upload) -> Any:
    return client.get(f"/consultations/{found.batch.case.code}/imaging/batches/{found.batch_id}/")


def slice_of(study: int = 1, number: int = 1, **changes: str) -> bytes:
    return encoded(small_ct(study, 1, number, 32, **changes))


def on_call(consultant) -> None:
    now = timezone.now()
    OnCallShift.objects.create(
        consultant=consultant, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8)
    )


def send(case, user) -> None:
    access = case_access(user, case)
    case_actions.record_consent(
        access,
        user,
        given_by="patient",
        relationship="",
        method="written",
        countries=case_actions_countries(),
    )
    case_actions.submit(case_access(user, case), user)
    case.refresh_from_db()


def case_actions_countries():
    from core.models import Country

    return Country.objects.all()


# --- the upload panel follows processing ---------------------------------------------------------
def test_the_batch_status_says_each_files_state_and_the_study_it_went_to(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    found = upload(client, case, slice_of())
    body = status(client, found).json()
    study = Study.objects.get(case=case)
    assert body["pending"] is False
    (one,) = body["uploads"]
    assert one["state"] == "done" and one["state_label"] == "Done"
    assert one["stored"] == 1 and one["studies"] == [study.pk] and one["notices"] == []


def test_a_file_still_being_processed_keeps_the_batch_pending(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    found = upload(client, case, slice_of())
    Upload.objects.filter(pk=found.pk).update(state=Upload.State.PROCESSING)
    body = status(client, found).json()
    assert body["pending"] is True and body["uploads"][0]["state_label"] == "Processing"


@pytest.mark.parametrize(
    "who", ["consultant_china", "neurosurgeon", "trainee", "outsider", "outsider_coordinator", "researcher"]
)
def test_only_the_referring_team_reads_a_batchs_status(cast, case_for_china, who):
    found = upload(sign_in(Client(), cast.referrer), case_for_china, slice_of())
    assert status(sign_in(Client(), getattr(cast, who)), found).status_code == 404
    # the coordinator of the referring hospital is of its team
    assert status(sign_in(Client(), cast.coordinator), found).status_code == 200


def test_a_batch_is_not_read_under_another_cases_code(cast, make_case):
    case, other = make_case(send=True), make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    found = upload(client, case, slice_of())
    assert client.get(f"/consultations/{other.code}/imaging/batches/{found.batch_id}/").status_code == 404


def test_the_imaging_page_offers_sharing_right_next_to_a_processed_study(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    upload(client, case, slice_of())
    study = Study.objects.get(case=case)
    page = client.get(f"/consultations/{case.code}/imaging/").content.decode()
    studies = page[page.index('id="imaging-studies"') :]  # the part the upload panel reloads
    card = studies[studies.index(f'data-study="{study.pk}"') :]
    assert 'data-study-state="ready"' in card.split("</section>")[0]
    assert f"/imaging/studies/{study.pk}/share/" in card.split("</section>")[0]
    assert "Reload the page to see the new images" not in page and "No imaging on this case yet" not in page


def test_a_draft_may_take_imaging_and_says_it_is_shared_when_the_case_is_sent(cast, make_case):
    draft = make_case()
    client = sign_in(Client(), cast.referrer)
    page = client.get(f"/consultations/{draft.code}/imaging/").content.decode()
    assert 'id="upload"' in page  # the upload panel is there before sending
    upload(client, draft, slice_of())
    page = client.get(f"/consultations/{draft.code}/imaging/").content.decode()
    assert 'data-study-state="with_the_case"' in page


# --- files already stored: said, and never another case's or hospital's ---------------------------
@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "These images are already on this case: CT Head without contrast"),
        ("sw", "Picha hizi tayari ziko kwenye kesi hii: CT Head without contrast"),
        ("zh-hans", "这些图像已在本病例中：CT Head without contrast"),
    ],
)
def test_files_already_on_the_case_are_said_in_the_readers_language(cast, make_case, language, said):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    upload(client, case, slice_of())
    again = upload(client, case, slice_of(), name="again.dcm")
    cast.referrer.preferred_language = language
    cast.referrer.save(update_fields=["preferred_language"])
    (one,) = status(client, again).json()["uploads"]
    assert one["stored"] == 0 and one["duplicates"] == 1
    assert one["notices"] and one["notices"][0].startswith(said.split(":")[0].split("：")[0])
    assert "CT Head without contrast" in one["notices"][0]
    assert Study.objects.count() == 1


def test_a_study_waiting_at_the_hospital_that_an_upload_brings_to_the_case_is_said(cast, make_case):
    receive(Batch(institution=cast.institutions["SRRH"], source=Study.Source.NODE), slice_of())
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    found = upload(client, case, slice_of())
    (one,) = status(client, found).json()["uploads"]
    assert Study.objects.get().case == case
    (notice,) = one["notices"]
    assert notice.startswith(
        "These images were waiting at your hospital (sent by a scanner, a PACS or DICOMweb) and are now "
        "on this case: CT Head without contrast of "
    )


def test_more_slices_of_a_waiting_study_bring_it_to_the_case_and_say_so(cast, make_case):
    receive(Batch(institution=cast.institutions["SRRH"], source=Study.Source.NODE), slice_of(number=1))
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    found = upload(client, case, slice_of(number=2))
    (one,) = status(client, found).json()["uploads"]
    assert one["stored"] == 1 and Study.objects.get().case == case
    assert one["notices"][0].startswith("These images were waiting at your hospital")


def test_another_hospitals_study_is_never_taken_by_matching_uids(cast, make_case):
    receive(Batch(institution=cast.institutions["KCMC"], source=Study.Source.NODE), slice_of())
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    found = upload(client, case, slice_of())
    held = Study.objects.get()
    assert held.case is None and held.institution == cast.institutions["KCMC"]
    (one,) = status(client, found).json()["uploads"]
    assert one["stored"] == 0 and one["notices"] == []
    assert one["skipped"][0]["message"] == "This study is already held by another hospital."


def test_another_cases_study_is_never_taken_by_matching_uids(cast, make_case):
    first, second = make_case(send=True), make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    upload(client, first, slice_of())
    found = upload(client, second, slice_of())
    assert Study.objects.get().case == first
    (one,) = status(client, found).json()["uploads"]
    assert one["stored"] == 0 and one["notices"] == []
    assert one["skipped"][0]["message"] == "This study is already attached to another case."


# --- sharing is done with sending ---------------------------------------------------------------
def test_sending_the_case_shares_its_processed_imaging(cast, make_case):
    on_call(cast.consultant_china)
    draft = make_case()
    receive(Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=draft), slice_of())
    send(draft, cast.referrer)
    study = Study.objects.get()
    assert study.shared_at is not None and study.shared_by == cast.referrer
    assert AuditEntry.objects.filter(action="imaging.shared", object_id=str(draft.pk)).exists()
    page = sign_in(Client(), cast.consultant_china).get(f"/consultations/{draft.code}/imaging/")
    assert (
        "CT" in page.content.decode()
        and f"/imaging/series/{Series.objects.get().pk}/" in page.content.decode()
    )


def test_series_that_need_the_referrers_look_stay_home_and_the_team_is_asked(cast, make_case):
    on_call(cast.consultant_china)
    draft = make_case()
    batch = Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=draft)
    receive(batch, slice_of(BurnedInAnnotation="YES"))
    send(draft, cast.referrer)
    assert Study.objects.get().shared_at is None  # nothing in it may be shared before the review
    asked = Notification.objects.get(kind="imaging.review_before_sharing")
    assert asked.recipient == cast.referrer and asked.params == {"case": draft.code}
    cast.consultant_china.preferred_language = "en"
    cast.consultant_china.save(update_fields=["preferred_language"])
    consultant = sign_in(Client(), cast.consultant_china)
    for page in (f"/consultations/{draft.code}/imaging/", f"/consultations/{draft.code}/"):
        text = consultant.get(page).content.decode()
        assert 'data-imaging-state="not_shared"' in text
        assert "the referring team has been asked to check it and share it" in text
        assert "has not shared imaging" not in text


def test_a_consultant_reads_that_imaging_is_being_prepared(cast, case_for_china):
    client = sign_in(Client(), cast.referrer)
    found = upload(client, case_for_china, slice_of())
    Study.objects.all().delete()  # as if still on its way
    Upload.objects.filter(pk=found.pk).update(state=Upload.State.PROCESSING)
    text = sign_in(Client(), cast.consultant_china).get(f"/consultations/{case_for_china.code}/imaging/")
    assert 'data-imaging-state="preparing"' in text.content.decode()


def test_a_consultant_reads_no_imaging_yet_when_there_is_none(cast, case_for_china):
    text = sign_in(Client(), cast.consultant_china).get(f"/consultations/{case_for_china.code}/imaging/")
    assert 'data-imaging-state="none"' in text.content.decode()


# --- synthetic demonstration images and dates -----------------------------------------------------
SYNTHETIC = {
    "Manufacturer": "NeuroDaraja synthetic phantom",
    "SeriesDescription": "SYNTHETIC head CT phantom",
}


def test_a_phantoms_study_is_marked_synthetic_only_with_both_of_its_marks(cast, make_case):
    case = make_case(send=True)
    batch = Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case)
    receive(batch, slice_of(1, **SYNTHETIC))
    receive(
        Batch(institution=cast.institutions["SRRH"], source=Study.Source.NODE),
        slice_of(2, SeriesDescription="SYNTHETIC"),
    )
    receive(
        Batch(institution=cast.institutions["SRRH"], source=Study.Source.NODE),
        slice_of(3, Manufacturer="NeuroDaraja synthetic phantom"),
    )
    assert sorted(Study.objects.values_list("is_synthetic", flat=True)) == [False, False, True]


@pytest.mark.parametrize(
    ("language", "banner"),
    [
        ("en", "Synthetic demonstration images — not a patient"),
        ("sw", "Picha bandia za maonyesho — si za mgonjwa"),
        ("zh-hans", "合成演示图像——并非真实患者"),
    ],
)
def test_synthetic_images_carry_a_banner_in_the_viewer_and_on_the_case(
    cast, case_for_china, language, banner
):
    batch = Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case_for_china)
    receive(batch, slice_of(1, **SYNTHETIC))
    study = Study.objects.get()
    from imaging import actions
    from imaging.access import imaging_access

    actions.share_study(imaging_access(cast.referrer, case_for_china.code), study.pk)
    cast.consultant_china.preferred_language = language
    cast.consultant_china.save(update_fields=["preferred_language"])
    client = sign_in(Client(), cast.consultant_china)
    series = Series.objects.get()
    for page in (
        f"/consultations/{case_for_china.code}/",
        f"/consultations/{case_for_china.code}/imaging/",
        f"/consultations/{case_for_china.code}/imaging/series/{series.pk}/",
    ):
        assert banner in client.get(page).content.decode(), page


def test_a_real_study_has_no_banner(cast, case_for_china):
    receive(
        Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case_for_china),
        slice_of(),
    )
    page = (
        sign_in(Client(), cast.referrer)
        .get(f"/consultations/{case_for_china.code}/imaging/")
        .content.decode()
    )
    assert "data-synthetic" not in page


@pytest.mark.parametrize("language", ["en", "sw", "zh-hans"])
def test_the_study_date_reads_as_a_date_in_the_readers_language(cast, case_for_china, language):
    receive(
        Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case_for_china),
        slice_of(),
    )
    study = Study.objects.get()
    assert re.fullmatch(r"\d{8}", study.study_date)
    cast.referrer.preferred_language = language
    cast.referrer.save(update_fields=["preferred_language"])
    client = sign_in(Client(), cast.referrer)
    with override(language):
        shown = date_format(study.study_day, "DATE_FORMAT")
    for page in (
        f"/consultations/{case_for_china.code}/imaging/",
        f"/consultations/{case_for_china.code}/imaging/series/{Series.objects.get().pk}/",
    ):
        text = client.get(page).content.decode()
        assert shown in text and study.study_date not in text, page
