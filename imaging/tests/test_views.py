"""The imaging pages of a case: who sees what, review and sharing, the viewer's endpoints,
annotations, originals, and the audit of what is opened from abroad."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pydicom
import pytest
from django.core.files.storage import default_storage
from django.test import Client, TestCase
from django.utils import translation
from django.utils.translation import gettext

from conftest import sign_in
from consultations.models import Case, Consent, Status
from core.models import AuditEntry
from imaging.models import Annotation, Instance, Series, Study
from imaging.services import Batch, receive
from imaging.tasks import prepare_renderings
from imaging.tests.data import GE_HEAD_CT, PHILIPS_HEAD, needs_data

pytestmark = needs_data()
GE_FILES = sorted(GE_HEAD_CT.glob("*.dcm"))[:4]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGING_INCOMING_ROOT = tmp_path / "incoming"


@pytest.fixture
def case(cast, case_for_china):
    """A sent case answered by the consultant in China, with four CT slices, not yet shared."""
    case = case_for_china
    batch = Batch(
        institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case, user=cast.referrer
    )
    for path in GE_FILES:
        receive(batch, path.read_bytes(), path.name)
    return case


def urls(case) -> dict[str, str]:
    series = Series.objects.get(study__case=case)
    instance = series.instances.first()
    assert instance is not None
    base = f"/consultations/{case.code}/imaging/"
    return {
        "viewer": f"{base}series/{series.pk}/",
        "manifest": f"{base}series/{series.pk}/manifest.json",
        "thumbnail": f"{base}series/{series.pk}/thumbnail.webp",
        "render": f"{base}instances/{instance.pk}/brain.webp",
        "window": f"{base}instances/{instance.pk}/window.webp?center=40&width=80",
        "full": f"{base}instances/{instance.pk}/window.png?center=40&width=80",
    }


def share(client: Client, case) -> None:
    study = Study.objects.get(case=case)
    answer = client.post(f"/consultations/{case.code}/imaging/studies/{study.pk}/share/")
    assert answer.status_code == 302


def test_the_referrer_sees_the_study_its_summary_and_can_share_it(cast, case):
    referrer = sign_in(Client(), cast.referrer)
    page = referrer.get(f"/consultations/{case.code}/imaging/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "only your hospital sees it until you share it" in html and "De-identification:" in html
    share(referrer, case)
    assert Study.objects.get(case=case).shared_at is not None
    assert AuditEntry.objects.filter(action="imaging.shared").exists()
    case_page = referrer.get(f"/consultations/{case.code}/").content.decode()
    assert urls(case)["viewer"] in case_page  # the case page links the series


@pytest.mark.parametrize("name", ["viewer", "manifest", "thumbnail", "render", "window", "full"])
def test_the_consultant_sees_nothing_before_sharing_and_the_series_after(cast, case, name):
    consultant = sign_in(Client(), cast.consultant_china)
    url = urls(case)[name]
    assert consultant.get(url).status_code == 404
    share(sign_in(Client(), cast.referrer), case)
    assert consultant.get(url).status_code == 200


@pytest.mark.parametrize("name", ["viewer", "manifest", "thumbnail", "render", "window", "full"])
def test_another_hospital_and_signed_out_visitors_get_nothing(cast, case, name):
    share(sign_in(Client(), cast.referrer), case)
    url = urls(case)[name]
    for persona in ("outsider", "outsider_coordinator", "trainee", "researcher"):
        assert sign_in(Client(), getattr(cast, persona)).get(url).status_code == 404, persona
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_only_the_referring_team_reviews_shares_attaches_reads_the_report_and_sends(cast, case):
    series = Series.objects.get(study__case=case)
    study = series.study
    base = f"/consultations/{case.code}/imaging/"
    consultant = sign_in(Client(), cast.consultant_china)
    assert consultant.get(base).status_code == 200  # the page, without the study
    assert "Not shared yet" not in consultant.get(base).content.decode()
    assert consultant.post(f"{base}studies/{study.pk}/share/").status_code == 302
    assert Study.objects.get(pk=study.pk).shared_at is None
    refused = consultant.post(f"{base}series/{series.pk}/review/", {"decision": "exclude"}, follow=True)
    with translation.override("zh-hans"):  # the consultant in Jinan reads Chinese
        assert gettext("Only the referring team can do this.") in refused.content.decode()
    assert not Series.objects.get(pk=series.pk).excluded
    assert consultant.get(f"{base}series/{series.pk}/report/").status_code == 404
    assert consultant.post(f"{base}batches/").status_code == 404
    assert consultant.get(f"{base}series/{series.pk}/originals.zip").status_code == 404
    outsider = sign_in(Client(), cast.outsider)
    assert outsider.get(base).status_code == 404
    for url in (f"{base}attach/", f"{base}batches/", f"{base}studies/{study.pk}/share/"):
        assert outsider.post(url, {"study": study.pk}).status_code == 404, url
    assert Study.objects.get(pk=study.pk).shared_at is None


def test_a_series_that_may_show_burned_in_text_waits_for_review_and_a_held_back_one_never_leaves(cast, case):
    series = Series.objects.get(study__case=case)
    Series.objects.filter(pk=series.pk).update(suspicions=["secondary_capture"])
    referrer = sign_in(Client(), cast.referrer)
    consultant = sign_in(Client(), cast.consultant_china)
    base = f"/consultations/{case.code}/imaging/"
    shared = referrer.post(f"{base}studies/{series.study_id}/share/", follow=True)
    assert "Nothing in this study can be shared yet" in shared.content.decode()
    assert referrer.get(base).content.decode().count("a secondary capture") >= 1  # why it waits
    referrer.post(f"{base}series/{series.pk}/review/", {"decision": "share"})
    share(referrer, case)
    assert consultant.get(urls(case)["viewer"]).status_code == 200
    referrer.post(f"{base}series/{series.pk}/review/", {"decision": "exclude"})
    assert consultant.get(urls(case)["viewer"]).status_code == 404
    assert consultant.get(urls(case)["render"]).status_code == 404
    assert AuditEntry.objects.filter(action="imaging.excluded").exists()


def test_the_de_identification_report_lists_each_attribute_and_why(cast, case):
    series = Series.objects.get(study__case=case)
    page = sign_in(Client(), cast.referrer).get(
        f"/consultations/{case.code}/imaging/series/{series.pk}/report/"
    )
    html = page.content.decode()
    assert "PatientName" in html and "the case code stands in for the patient" in html
    assert "StudyInstanceUID" in html and "Identifier (UID) replaced" in html
    original = pydicom.dcmread(GE_FILES[0])
    assert str(original.PatientName) not in html


def test_the_manifest_gives_geometry_slices_in_order_and_the_renderings_are_cached(cast, case):
    share(sign_in(Client(), cast.referrer), case)
    consultant = sign_in(Client(), cast.consultant_china)
    manifest = consultant.get(urls(case)["manifest"]).json()
    assert manifest["series"]["rows"] == 512 and manifest["series"]["pixel_spacing"][0] > 0
    positions = [i["position"] for i in manifest["instances"]]
    assert positions == sorted(positions) and len(positions) == len(GE_FILES)
    assert manifest["can_annotate"] is True
    image = consultant.get(urls(case)["render"])
    assert image["Content-Type"] == "image/webp" and image.content[:4] == b"RIFF"
    assert len(image.content) < 80_000  # a few tens of KB on a slow link
    instance = Instance.objects.get(pk=manifest["instances"][0]["id"])
    cached = f"imaging-renderings/{instance.series.study_id}/{instance.series_id}/{instance.pk}-{instance.sha256[:12]}-brain.webp"
    assert default_storage.exists(cached)
    full = consultant.get(urls(case)["full"])
    assert full["Content-Type"] == "image/png"


def test_the_worker_prepares_the_first_window_and_the_thumbnail(cast, case):
    series = Series.objects.get(study__case=case)
    assert prepare_renderings.call(series.pk) == len(GE_FILES)
    for instance in series.instances.all():
        assert default_storage.exists(
            f"imaging-renderings/{series.study_id}/{series.pk}/{instance.pk}-{instance.sha256[:12]}-brain.webp"
        )
    middle = list(series.instances.all())[len(GE_FILES) // 2]
    assert default_storage.exists(
        f"imaging-renderings/{series.study_id}/{series.pk}/thumbnail-{middle.sha256[:12]}.webp"
    )


def test_bad_windows_and_presets_are_refused_clearly(cast, case):
    referrer = sign_in(Client(), cast.referrer)
    base = urls(case)["render"].rsplit("/", 1)[0]
    assert referrer.get(f"{base}/window.webp?center=abc&width=80").status_code == 400
    assert referrer.get(f"{base}/window.webp?center=40&width=-5").status_code == 400
    assert referrer.get(f"{base}/window.gif?center=40&width=80").status_code == 404
    assert referrer.get(f"{base}/lung.webp").status_code == 404
    other = Instance.objects.order_by("-pk").first().pk + 1000
    assert referrer.get(f"/consultations/{case.code}/imaging/instances/{other}/brain.webp").status_code == 404


def post_json(client: Client, url: str, body: object):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_consultant_leaves_annotations_the_referrer_sees_them(cast, case):
    share(sign_in(Client(), cast.referrer), case)
    consultant = sign_in(Client(), cast.consultant_china)
    manifest = consultant.get(urls(case)["manifest"]).json()
    first = manifest["instances"][0]["id"]
    url = f"/consultations/{case.code}/imaging/instances/{first}/annotations/"
    arrow = post_json(consultant, url, {"kind": "arrow", "points": [[100, 100], [200, 150]]})
    assert arrow.status_code == 201
    distance = post_json(consultant, url, {"kind": "distance", "points": [[100, 100], [200, 100]]})
    spacing = manifest["series"]["pixel_spacing"][1]
    assert distance.json()["millimetres"] == pytest.approx(100 * spacing, abs=0.1)
    note = post_json(consultant, url, {"kind": "text", "points": [[50, 60]], "text": "Midline shift here"})
    assert note.status_code == 201
    key = post_json(consultant, url, {"kind": "key"})
    again = post_json(consultant, url, {"kind": "key"})
    assert key.json()["id"] == again.json()["id"]  # one key mark per person and slice
    seen = sign_in(Client(), cast.referrer).get(urls(case)["manifest"]).json()
    assert {a["kind"] for a in seen["annotations"]} == {"arrow", "distance", "text", "key"}
    assert seen["instances"][0]["key"] is True
    assert all(a["mine"] is False for a in seen["annotations"])
    assert AuditEntry.objects.filter(action="imaging.annotation_added").count() == 4


def test_bad_annotations_are_refused_with_a_reason_and_only_the_author_removes_one(cast, case):
    referrer = sign_in(Client(), cast.referrer)
    share(referrer, case)
    consultant = sign_in(Client(), cast.consultant_china)
    instance = Series.objects.get(study__case=case).instances.first()
    url = f"/consultations/{case.code}/imaging/instances/{instance.pk}/annotations/"
    assert consultant.post(url, data="{not json", content_type="application/json").status_code == 400
    outside = post_json(consultant, url, {"kind": "arrow", "points": [[0, 0], [9999, 1]]})
    with translation.override("zh-hans"):
        assert outside.status_code == 400 and outside.json()["error"] == gettext(
            "The annotation is outside the image."
        )
    assert post_json(consultant, url, {"kind": "circle", "points": [[1, 1]]}).status_code == 400
    assert post_json(consultant, url, {"kind": "text", "points": [[1, 1]], "text": ""}).status_code == 400
    assert post_json(consultant, url, {"kind": "arrow", "points": [[1, "x"], [2, 2]]}).status_code == 400
    huge = consultant.post(
        url,
        data='{"kind": "arrow", "points": [[1, 1], [2, ' + "9" * 400 + "]]}",
        content_type="application/json",
    )
    assert huge.status_code == 400
    dated = post_json(consultant, url, {"kind": "text", "points": [[1, 1]], "text": "seen on 12/03/2026"})
    assert dated.status_code == 400  # a calendar date could identify the patient
    mine = post_json(consultant, url, {"kind": "arrow", "points": [[1, 1], [5, 5]]}).json()
    assert referrer.post(mine["delete_url"]).status_code == 404
    other = Series.objects.get(study__case=case).instances.exclude(pk=instance.pk).first()
    under_another_image = mine["delete_url"].replace(f"/instances/{instance.pk}/", f"/instances/{other.pk}/")
    assert consultant.post(under_another_image).status_code == 404  # the id must be on the image named
    assert Annotation.objects.count() == 1
    assert consultant.post(mine["delete_url"]).status_code == 204
    assert not Annotation.objects.exists()
    outsider = sign_in(Client(), cast.outsider)
    assert post_json(outsider, url, {"kind": "arrow", "points": [[1, 1], [5, 5]]}).status_code == 404


def test_originals_stay_at_home_unless_the_setting_allows_them_abroad(cast, case, settings):
    referrer = sign_in(Client(), cast.referrer)
    share(referrer, case)
    series = Series.objects.get(study__case=case)
    url = f"/consultations/{case.code}/imaging/series/{series.pk}/originals.zip"
    answer = referrer.get(url)
    assert answer.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content))) as archive:
        sent = sorted(archive.read(name) for name in archive.namelist())
    assert sent == sorted(path.read_bytes() for path in GE_FILES)  # the originals, byte for byte
    consultant = sign_in(Client(), cast.consultant_china)
    assert consultant.get(url).status_code == 404
    settings.IMAGING_ORIGINALS_ABROAD = True
    assert consultant.get(url).status_code == 200
    downloads = AuditEntry.objects.filter(action="imaging.original_downloaded")
    assert downloads.count() == 2 and downloads.filter(detail__abroad=True).count() == 1
    # ... and only where the patient's consent names the consultant's country
    consent = Consent.objects.get(case=case)
    consent.countries.set(consent.countries.exclude(code="CN"))
    assert consultant.get(url).status_code == 404


def test_what_a_consultant_abroad_opens_is_audited_with_the_case(cast, case):
    share(sign_in(Client(), cast.referrer), case)
    sign_in(Client(), cast.consultant_china).get(urls(case)["viewer"])
    entry = AuditEntry.objects.get(action="imaging.retrieved")
    assert entry.object_id == str(case.pk)
    sign_in(Client(), cast.referrer).get(urls(case)["viewer"])
    assert AuditEntry.objects.filter(action="imaging.retrieved").count() == 1  # at home, the case view is


def test_a_waiting_study_is_attached_by_its_hospital_once_and_only_for_one_patient(cast, make_case):
    case = make_case(send=True)
    waiting = Batch(institution=cast.institutions["SRRH"], source=Study.Source.NODE, received_from="CT_SRRH")
    receive(waiting, GE_FILES[0].read_bytes())
    study = Study.objects.get()
    assert study.case is None
    base = f"/consultations/{case.code}/imaging/"
    referrer = sign_in(Client(), cast.referrer)
    assert "Studies waiting at your hospital" in referrer.get(base).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        referrer.post(f"{base}attach/", {"study": study.pk})
    assert Study.objects.get().case == case
    instance = Instance.objects.get()
    with instance.file.open("rb") as stored:
        restamped = pydicom.dcmread(stored)
    # the placeholder it waited under gives way to the case code, and the pixels are untouched
    assert restamped.PatientID == case.code and str(restamped.PatientName) == case.code
    original = pydicom.dcmread(GE_FILES[0])
    assert (restamped.pixel_array == original.pixel_array).all()
    with instance.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == instance.sha256
    again = referrer.post(f"{base}attach/", {"study": study.pk}, follow=True)
    assert "not waiting at your hospital" in again.content.decode()
    assert referrer.post(f"{base}attach/", {"study": "x"}).status_code == 404


def test_a_study_of_another_hospital_or_another_patient_cannot_be_attached(cast, make_case):
    case = make_case(send=True)
    elsewhere = Batch(institution=cast.institutions["KCMC"], source=Study.Source.NODE)
    receive(elsewhere, GE_FILES[0].read_bytes())
    foreign = Study.objects.get()
    referrer = sign_in(Client(), cast.referrer)
    base = f"/consultations/{case.code}/imaging/"
    assert (
        "not waiting at your hospital"
        in referrer.post(f"{base}attach/", {"study": foreign.pk}, follow=True).content.decode()
    )
    assert Study.objects.get(pk=foreign.pk).case is None


def test_a_study_of_another_patient_cannot_be_attached(cast, make_case):
    case = make_case(send=True)
    referrer = sign_in(Client(), cast.referrer)
    base = f"/consultations/{case.code}/imaging/"
    on_case = Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case)
    receive(on_case, GE_FILES[1].read_bytes())
    waiting = Batch(institution=cast.institutions["SRRH"], source=Study.Source.NODE)
    receive(waiting, (PHILIPS_HEAD / "I10").read_bytes())  # a scan of someone else
    study = Study.objects.filter(case__isnull=True, institution=cast.institutions["SRRH"]).get()
    refused = referrer.post(f"{base}attach/", {"study": study.pk}, follow=True).content.decode()
    assert "another patient" in refused
    assert Study.objects.get(pk=study.pk).case is None


def test_the_browser_starts_a_batch_and_reads_what_became_of_it(cast, case):
    referrer = sign_in(Client(), cast.referrer)
    started = referrer.post(f"/consultations/{case.code}/imaging/batches/")
    assert started.status_code == 201
    status = referrer.get(started.json()["status_url"])
    assert status.status_code == 200 and status.json() == {"uploads": [], "pending": False}
    assert sign_in(Client(), cast.consultant_china).get(started.json()["status_url"]).status_code == 404
    assert referrer.get("/imaging/nd_upload.py").status_code == 200
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    closed = referrer.post(f"/consultations/{case.code}/imaging/batches/")
    assert closed.status_code == 409 and closed.json()["error"] == "This consultation is closed."


def test_every_imaging_page_and_action_refuses_another_hospital(cast, case):
    referrer = sign_in(Client(), cast.referrer)
    share(referrer, case)
    series = Series.objects.get(study__case=case)
    instance = series.instances.first()
    assert instance is not None
    batch = referrer.post(f"/consultations/{case.code}/imaging/batches/").json()
    mine = post_json(
        sign_in(Client(), cast.consultant_china),
        f"/consultations/{case.code}/imaging/instances/{instance.pk}/annotations/",
        {"kind": "arrow", "points": [[1, 1], [5, 5]]},
    ).json()
    base = f"/consultations/{case.code}/imaging/"
    gets = [
        base,
        batch["status_url"],
        f"{base}series/{series.pk}/report/",
        f"{base}series/{series.pk}/originals.zip",
        *urls(case).values(),
    ]
    posts = [
        f"{base}attach/",
        f"{base}batches/",
        f"{base}studies/{series.study_id}/share/",
        f"{base}series/{series.pk}/review/",
        f"{base}instances/{instance.pk}/annotations/",
        mine["delete_url"],
    ]
    for persona in ("outsider", "outsider_coordinator"):
        client = sign_in(Client(), getattr(cast, persona))
        for url in gets:
            assert client.get(url).status_code == 404, (persona, url)
        for url in posts:
            assert client.post(url, {"study": series.study_id, "decision": "exclude"}).status_code == 404, (
                persona,
                url,
            )
    assert Annotation.objects.count() == 1 and not Series.objects.get(pk=series.pk).excluded
    assert Client().get("/imaging/nd_upload.py").status_code == 302  # signed-in people only


def test_a_colour_screen_capture_can_be_looked_at_before_it_is_shared(cast, make_case):
    from pydicom.data import get_testdata_file

    case = make_case(send=True)
    source = get_testdata_file("SC_rgb_jpeg_gdcm.dcm")
    assert source is not None
    ds = pydicom.dcmread(source)
    ds.PatientName, ds.PatientID = "Colour^Capture", "SC-1"
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    receive(
        Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case), buffer.getvalue()
    )
    series = Series.objects.get(study__case=case)
    assert series.awaits_review and "secondary_capture" in series.suspicions
    instance = series.instances.get()
    referrer = sign_in(Client(), cast.referrer)
    for url in (
        f"/consultations/{case.code}/imaging/instances/{instance.pk}/brain.webp",
        f"/consultations/{case.code}/imaging/series/{series.pk}/thumbnail.webp",
        f"/consultations/{case.code}/imaging/instances/{instance.pk}/window.png?center=40&width=80",
    ):
        answer = referrer.get(url)
        assert answer.status_code == 200, url
    from PIL import Image

    assert (
        Image.open(
            io.BytesIO(
                referrer.get(f"/consultations/{case.code}/imaging/instances/{instance.pk}/brain.webp").content
            )
        ).mode
        == "RGB"
    )


def test_a_multi_frame_series_that_needs_review_cannot_be_shared_unseen(cast, case):
    series = Series.objects.get(study__case=case)
    Series.objects.filter(pk=series.pk).update(suspicions=["secondary_capture"])
    Instance.objects.filter(series=series).update(frames=12)
    referrer = sign_in(Client(), cast.referrer)
    answer = referrer.post(
        f"/consultations/{case.code}/imaging/series/{series.pk}/review/", {"decision": "share"}, follow=True
    )
    assert "multi-frame" in answer.content.decode()
    assert Series.objects.get(pk=series.pk).awaits_review


def test_an_mri_opens_in_the_scanners_window_not_a_ct_window(cast, make_case):
    from pydicom.data import get_testdata_file

    case = make_case(send=True)
    source = get_testdata_file("MR_small.dcm")
    assert source is not None
    with open(source, "rb") as data:
        receive(
            Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case), data.read()
        )
    series = Series.objects.get(study__case=case)
    referrer = sign_in(Client(), cast.referrer)
    manifest = referrer.get(f"/consultations/{case.code}/imaging/series/{series.pk}/manifest.json").json()
    assert manifest["presets"][0]["name"] == "default"
    instance = series.instances.get()
    page = referrer.get(f"/consultations/{case.code}/imaging/series/{series.pk}/").content.decode()
    assert f"/instances/{instance.pk}/default.webp" in page
    assert (
        referrer.get(f"/consultations/{case.code}/imaging/instances/{instance.pk}/default.webp").status_code
        == 200
    )
