"""DICOMweb, tried with the real dicomweb-client: STOW-RS receives a series de-identified and
unattached, QIDO-RS and WADO-RS serve only the de-identified copies, and only to whom the
platform's imaging rules allow; what is refused is said clearly and nothing received is lost."""

from __future__ import annotations

import gzip
import io
import json
from email.header import decode_header, make_header
from typing import Any, cast
from urllib.parse import urlsplit

import numpy as np
import pydicom
import pytest
import requests
from dicomweb_client.api import DICOMwebClient
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from pydicom.uid import ExplicitVRLittleEndian, JPEGLSLossless, generate_uid
from requests.structures import CaseInsensitiveDict

from accounts.actions import create_api_token
from conftest import sign_in, verified_device
from consultations.access import case_access, cases_visible_to
from core.models import AuditEntry
from imaging.access import ImagingAccess, imaging_access
from imaging.actions import attach_study, review_series, share_study
from imaging.dicomweb.common import UNATTACHED
from imaging.models import Instance, Series, Study
from imaging.services import Batch, receive
from imaging.tests.data import IDENTIFYING_BYTES, IDENTITY, PHILIPS_HEAD, encoded, ge_slices, needs_data
from imaging.visibility import visible_series, visible_studies
from lib import dicomweb

pytestmark = needs_data()
BASE = "http://testserver/dicomweb"
DICOM_ANY = (("application/dicom", "*"),)
OUTSIDERS = ("outsider", "outsider_coordinator", "trainee", "researcher")


class DjangoAdapter(requests.adapters.BaseAdapter):
    """Sends a requests.Session's calls to http://testserver through Django's test client, in the
    test's transaction (no live server: the audit trail's triggers forbid its flushes). Unlike
    requests_to_django's adapter, it takes chunked request bodies (dicomweb-client sends large
    STOW bodies so) and streamed answers (WADO-RS)."""

    def __init__(self) -> None:
        super().__init__()
        self.client = Client()

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        url = urlsplit(request.url or "")
        body: Any = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, bytes):
            body = b"".join(body)
        skip = ("content-type", "content-length", "host", "transfer-encoding")
        headers: dict[str, Any] = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in request.headers.items()
            if name.lower() not in skip
        }
        answer = self.client.generic(
            request.method or "GET",
            url.path + (f"?{url.query}" if url.query else ""),
            data=body,
            content_type=str(request.headers.get("Content-Type", "application/octet-stream")),
            **headers,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(dict(answer.headers))
        streamed = cast(Any, answer)  # WADO-RS answers are streamed
        content = b"".join(streamed.streaming_content) if answer.streaming else answer.content
        if answer.headers.get("Content-Encoding", "").lower() == "gzip":
            content = gzip.decompress(content)  # as urllib3 decodes it for requests on a real socket
        response._content = content
        response.url, response.request, response.reason = request.url or "", request, answer.reason_phrase
        return response

    def close(self) -> None:
        pass


def token(user) -> str:
    if user.requires_two_factor:
        verified_device(user)
    return create_api_token(user, name="viewer", valid_days=30)[1]


def web(user=None) -> DICOMwebClient:
    session = requests.Session()
    session.mount("http://testserver", DjangoAdapter())
    headers = {"Authorization": f"Bearer {token(user)}"} if user is not None else {}
    return DICOMwebClient(url=BASE, session=session, headers=headers)


def raw(user=None) -> Client:
    """A plain test client with the person's token, for what a DICOMweb client would not send."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {token(user)}") if user is not None else Client()


def stow_body(parts: list[tuple[str, bytes]], boundary: str = "nd-test-boundary") -> tuple[bytes, str]:
    body = b"".join(
        f"--{boundary}\r\nContent-Type: {kind}\r\n\r\n".encode() + data + b"\r\n" for kind, data in parts
    )
    return (
        body + f"--{boundary}--\r\n".encode(),
        f'multipart/related; type="application/dicom"; boundary={boundary}',
    )


def post_stow(client: Client, parts: list[tuple[str, bytes]], path: str = "/dicomweb/studies"):
    body, content_type = stow_body(parts)
    return client.post(path, data=body, content_type=content_type, HTTP_ACCEPT="application/dicom+json")


def warning(answer) -> str:
    """The Warning header as sent, decoded (Django encodes one that is not Latin-1, as Chinese)."""
    return str(make_header(decode_header(answer["Warning"])))


def sequence(answer, tag: str) -> list[dict]:
    return answer.json().get(tag, {}).get("Value", [])


def value(item: dict, tag: str) -> Any:
    return item.get(tag, {}).get("Value", [None])[0]


# --- A case with imaging, as the consultant in China would meet it ---------------------------


@pytest.fixture
def case(case_for_china):
    return case_for_china


def series_of(datasets: list[pydicom.Dataset], number: int, **changes: Any) -> list[pydicom.Dataset]:
    """Copies of slices as another series of the same study and patient."""
    copies: list[pydicom.Dataset] = []
    for n, ds in enumerate(datasets):
        copy = pydicom.dcmread(io.BytesIO(encoded(ds)))
        copy.SeriesInstanceUID = generate_uid(entropy_srcs=[ds.SeriesInstanceUID, str(number)])
        copy.SOPInstanceUID = generate_uid(entropy_srcs=[ds.SOPInstanceUID, str(number)])
        copy.file_meta.MediaStorageSOPInstanceUID = copy.SOPInstanceUID
        copy.SeriesNumber = number
        copy.InstanceNumber = n + 1
        for keyword, new in changes.items():
            setattr(copy, keyword, new)
        copies.append(copy)
    return copies


@pytest.fixture
def imaging(cast, case):
    """Three series uploaded to the case: one plain, one whose pixels may show identifiers
    (awaiting review), one the referrer excluded. Sent through the real receiving service."""
    slices = ge_slices(3)
    batch = Batch(
        institution=case.referring_institution, source=Study.Source.UPLOAD, case=case, user=cast.referrer
    )
    for ds in slices + series_of(slices[:1], 90, BurnedInAnnotation="YES") + series_of(slices[:1], 91):
        receive(batch, encoded(ds))
    study = Study.objects.get(case=case)
    plain = Series.objects.get(study=study, number=2)
    suspicious = Series.objects.get(study=study, number=90)
    excluded = review_series(
        imaging_access(cast.referrer, case.code), Series.objects.get(study=study, number=91).pk, share=False
    )
    assert suspicious.awaits_review and excluded.excluded
    return {"study": study, "plain": plain, "suspicious": suspicious, "excluded": excluded, "slices": slices}


def share(study: Study, by) -> None:
    assert study.case is not None
    share_study(imaging_access(by, study.case.code), study.pk)


def endpoints(study: Study, series: Series) -> list[str]:
    instance = series.instances.first()
    assert instance is not None
    base = f"/dicomweb/studies/{study.study_uid}"
    one = f"{base}/series/{series.series_uid}"
    return [
        f"{base}",
        f"{base}/metadata",
        f"{base}/series",
        f"{base}/instances",
        f"{one}",
        f"{one}/metadata",
        f"{one}/instances",
        f"{one}/instances/{instance.sop_uid}",
        f"{one}/instances/{instance.sop_uid}/metadata",
        f"{one}/instances/{instance.sop_uid}/frames/1",
    ]


SEARCHES = ["/dicomweb/studies", "/dicomweb/series", "/dicomweb/instances"]


def sees_nothing(client: Client, study: Study, series: Series) -> None:
    for path in endpoints(study, series):
        answer = client.get(path, HTTP_ACCEPT="*/*")
        assert answer.status_code == 404, path
        assert study.study_uid not in answer.content.decode(), path
    for path in SEARCHES:
        answer = client.get(path)
        assert answer.status_code == 200 and answer.json() == [], path
        assert client.get(path, {"StudyInstanceUID": study.study_uid}).json() == []


# --- STOW-RS ---------------------------------------------------------------------------------


def test_a_series_sent_by_stow_waits_unattached_de_identified_and_is_served_back_losslessly(cast):
    slices = ge_slices()
    client = web(cast.referrer)
    answer = client.store_instances(slices)
    referenced = answer.ReferencedSOPSequence
    assert len(referenced) == len(slices) == 28 and "FailedSOPSequence" not in answer
    assert {item.ReferencedSOPInstanceUID for item in referenced} == {ds.SOPInstanceUID for ds in slices}
    assert all(item.WarningReason == dicomweb.COERCED for item in referenced)  # stored de-identified

    study = Study.objects.get()
    assert study.case is None and study.institution == cast.institutions["SRRH"]
    assert study.source == Study.Source.STOW and study.study_uid != slices[0].StudyInstanceUID
    assert study.study_date and study.study_date != IDENTITY["StudyDate"]  # moved by the patient's offset
    assert AuditEntry.objects.filter(action="imaging.uploaded", actor=cast.referrer).count() == 1

    # QIDO-RS: the study, its series and instances, under the de-identified UIDs only.
    [found] = client.search_for_studies()
    assert value(found, "0020000D") == study.study_uid
    assert value(found, "00100020") == "ND-UNATTACHED" and value(found, "00080050") is None
    assert value(found, "00080020") == study.study_date
    assert found["00080061"]["Value"] == ["CT"]
    assert value(found, "00201206") == 1 and value(found, "00201208") == 28
    [series] = client.search_for_series(study.study_uid)
    assert value(series, "00080060") == "CT" and value(series, "00200011") == 2
    instances = client.search_for_instances(study.study_uid, value(series, "0020000E"))
    assert len(instances) == 28 and {value(i, "00280010") for i in instances} == {512}
    originals = {ds.SOPInstanceUID for ds in slices}
    assert not originals & {value(i, "00080018") for i in instances}

    # WADO-RS: the stored JPEG-LS files, with nothing of the patient and the same pixels.
    series_uid = value(series, "0020000E")
    retrieved = client.retrieve_series(study.study_uid, series_uid, media_types=DICOM_ANY)
    assert len(retrieved) == 28
    by_position = {float(ds.ImagePositionPatient[2]): ds for ds in slices}
    for ds in retrieved:
        assert ds.file_meta.TransferSyntaxUID == JPEGLSLossless
        data = encoded(ds)
        for identifying in IDENTIFYING_BYTES + [
            slices[0].StudyInstanceUID.encode(),
            slices[0].SeriesInstanceUID.encode(),
        ]:
            assert identifying not in data
        assert ds.SOPInstanceUID not in originals and ds.PatientName == "ND-UNATTACHED"
        original = by_position[float(ds.ImagePositionPatient[2])]
        assert np.array_equal(ds.pixel_array, original.pixel_array)

    metadata = client.retrieve_series_metadata(study.study_uid, series_uid)
    assert len(metadata) == 28 and all("7FE00010" not in m for m in metadata)
    text = json.dumps(metadata)
    assert not any(identifying.decode() in text for identifying in IDENTIFYING_BYTES)
    assert metadata[0]["00083002"]["Value"] == [str(JPEGLSLossless)]

    first = Instance.objects.filter(series__study=study).first()
    [frame] = client.retrieve_instance_frames(
        study.study_uid, series_uid, first.sop_uid, [1], media_types=("application/octet-stream",)
    )
    stored = pydicom.dcmread(default_storage.open(first.file.name, "rb"))
    original = by_position[float(stored.ImagePositionPatient[2])]
    decoded = np.frombuffer(frame, dtype="<i2").reshape(512, 512)
    assert np.array_equal(decoded, original.pixel_array)  # lossless


def test_the_same_objects_sent_again_are_kept_once_with_a_warning(cast):
    client = web(cast.referrer)
    slices = ge_slices(2)
    client.store_instances(slices)
    again = client.store_instances(slices)
    assert "FailedSOPSequence" not in again
    assert [item.WarningReason for item in again.ReferencedSOPSequence] == [dicomweb.DISCARDED] * 2
    assert Instance.objects.count() == 2


def test_a_study_sent_by_stow_then_attached_and_shared_reaches_the_consultant_under_the_case_code(cast, case):
    web(cast.referrer).store_instances(ge_slices(2))
    study = Study.objects.get()
    access = imaging_access(cast.referrer, case.code)
    attach_study(access, study.pk)
    consultant = web(cast.consultant_china)
    assert consultant.search_for_studies() == []  # attached, not yet shared
    share_study(access, study.pk)
    [found] = consultant.search_for_studies()
    assert value(found, "0020000D") == study.study_uid and value(found, "00100020") == case.code
    metadata = consultant.retrieve_study_metadata(study.study_uid)
    assert {value(m, "00100020") for m in metadata} == {case.code}
    assert len(consultant.retrieve_study(study.study_uid, media_types=DICOM_ANY)) == 2


def test_bad_parts_are_refused_one_by_one_with_their_reason_and_the_good_ones_kept(cast):
    good, cut = (encoded(ds) for ds in ge_slices(2))
    answer = post_stow(
        raw(cast.referrer),
        [
            ("application/dicom", good),
            ("application/dicom", b"%PDF-1.7 not an image at all"),
            ("application/dicom", cut[:20000]),
            ("text/plain", b"hello"),
        ],
    )
    assert answer.status_code == 202 and answer["Content-Type"] == "application/dicom+json"
    [stored] = sequence(answer, "00081199")
    failed = sequence(answer, "00081198")
    assert [value(item, "00081197") for item in failed] == [dicomweb.CANNOT_UNDERSTAND] * 3
    messages = [value(item, "0040A160") for item in failed]
    assert (
        "not a DICOM file" in messages[0]
        and "incomplete" in messages[1]
        and "not a DICOM file" in messages[2]
    )
    assert value(stored, "00081190").startswith("http://testserver/dicomweb/studies/")
    assert Instance.objects.count() == 1


def test_a_request_cut_in_the_middle_keeps_the_whole_parts_and_says_the_last_is_incomplete(cast):
    first, second = (encoded(ds) for ds in ge_slices(2))
    body, content_type = stow_body([("application/dicom", first), ("application/dicom", second)])
    cut = body[: len(body) - 200_000]
    answer = raw(cast.referrer).post("/dicomweb/studies", data=cut, content_type=content_type)
    assert answer.status_code == 202
    [failed] = sequence(answer, "00081198")
    assert "incomplete" in value(failed, "0040A160")
    assert Instance.objects.count() == 1


def test_a_second_patients_files_are_refused_and_the_first_patients_kept(cast):
    first, later = (encoded(ds) for ds in ge_slices(2))
    other = (PHILIPS_HEAD / "I10").read_bytes()
    answer = post_stow(raw(cast.referrer), [("application/dicom", d) for d in (first, other, later)])
    assert answer.status_code == 202
    [failed] = sequence(answer, "00081198")
    assert value(failed, "00081197") == dicomweb.NOT_AUTHORIZED
    assert "another patient" in value(failed, "0040A160")
    assert value(failed, "00081155") == pydicom.dcmread(PHILIPS_HEAD / "I10").SOPInstanceUID
    assert len(sequence(answer, "00081199")) == 2 and Instance.objects.count() == 2


def test_when_nothing_is_stored_the_answer_is_409_with_the_reasons(cast):
    answer = post_stow(raw(cast.referrer), [("application/dicom", b"not dicom")])
    assert answer.status_code == 409
    assert "not a DICOM file" in value(sequence(answer, "00081198")[0], "0040A160")
    assert not Instance.objects.exists()


def test_a_request_that_is_not_a_dicom_multipart_is_refused_clearly(cast):
    client = raw(cast.referrer)
    data = encoded(ge_slices(1)[0])
    single = client.post("/dicomweb/studies", data=data, content_type="application/dicom")
    assert single.status_code == 415 and "multipart/related" in single.content.decode()
    json_parts = client.post(
        "/dicomweb/studies",
        data=b"{}",
        content_type='multipart/related; type="application/dicom+json"; boundary=x',
    )
    assert json_parts.status_code == 415
    no_boundary = client.post(
        "/dicomweb/studies", data=data, content_type='multipart/related; type="application/dicom"'
    )
    assert no_boundary.status_code == 400 and "boundary" in no_boundary.content.decode()
    garbled = client.post("/dicomweb/studies", data=b"no parts here", content_type=stow_body([])[1])
    assert garbled.status_code == 400
    empty = client.post("/dicomweb/studies", data=stow_body([])[0], content_type=stow_body([])[1])
    assert empty.status_code == 400 and "no DICOM" in empty.content.decode()
    assert not Instance.objects.exists()


@pytest.mark.parametrize("persona", ["consultant_china", "trainee", "researcher", "admin"])
def test_only_a_referring_team_in_tanzania_may_send_and_others_are_told_in_their_language(cast, persona):
    user = getattr(cast, persona)
    answer = post_stow(raw(user), [("application/dicom", encoded(ge_slices(1)[0]))])
    with translation.override(user.preferred_language):
        expected = gettext(
            "Only the team of a referring hospital, in a country where patient data is kept, may send studies here."
        )
    assert answer.status_code == 403 and answer.content.decode() == expected
    assert not Instance.objects.exists()


def test_someone_in_several_referring_teams_says_for_which_hospital(cast):
    client = raw(cast.coordinator)  # coordinates MOI and SRRH
    parts = [("application/dicom", encoded(ge_slices(1)[0]))]
    unsure = post_stow(client, parts)
    assert unsure.status_code == 400
    assert "?institution=" in unsure.content.decode() and "MOI, SRRH" in unsure.content.decode()
    assert post_stow(client, parts, "/dicomweb/studies?institution=KCMC").status_code == 400
    assert post_stow(client, parts, "/dicomweb/studies?institution=srrh").status_code == 200
    assert Study.objects.get().institution == cast.institutions["SRRH"]


def test_a_browser_session_needs_the_csrf_token_to_send(cast):
    client = sign_in(Client(enforce_csrf_checks=True), cast.referrer)
    assert post_stow(client, [("application/dicom", encoded(ge_slices(1)[0]))]).status_code == 403
    assert not Instance.objects.exists()


# --- Who sees what ---------------------------------------------------------------------------


def test_without_a_token_nothing_is_answered(cast, imaging):
    share(imaging["study"], cast.referrer)
    for path in endpoints(imaging["study"], imaging["plain"]) + SEARCHES:
        answer = Client().get(path)
        assert answer.status_code == 401 and "Bearer" in answer["WWW-Authenticate"], path
        assert "API token" in answer.content.decode()
    invalid = Client(HTTP_AUTHORIZATION="Bearer nd_not-a-token").get(SEARCHES[0])
    assert invalid.status_code == 401
    assert post_stow(Client(), [("application/dicom", b"x")]).status_code == 401


def test_the_consultant_in_china_sees_nothing_before_sharing(cast, imaging):
    sees_nothing(raw(cast.consultant_china), imaging["study"], imaging["plain"])


def test_after_sharing_the_consultant_sees_only_shareable_series(cast, imaging):
    study = imaging["study"]
    share(study, cast.referrer)
    client = web(cast.consultant_china)
    [found] = client.search_for_studies()
    assert value(found, "00100020") == study.case.code
    assert value(found, "00201206") == 1 and value(found, "00201208") == 3
    assert [value(s, "0020000E") for s in client.search_for_series(study.study_uid)] == [
        imaging["plain"].series_uid
    ]
    assert len(client.search_for_instances(study.study_uid)) == 3
    assert len(client.retrieve_study(study.study_uid, media_types=DICOM_ANY)) == 3
    assert len(client.retrieve_study_metadata(study.study_uid)) == 3
    consultant = raw(cast.consultant_china)
    for hidden in (imaging["suspicious"], imaging["excluded"]):
        for path in endpoints(study, hidden)[4:]:
            assert consultant.get(path, HTTP_ACCEPT="*/*").status_code == 404, path
        for search in ("/dicomweb/series", "/dicomweb/instances"):
            assert consultant.get(search, {"SeriesInstanceUID": hidden.series_uid}).json() == []
    # Once reviewed, the suspicious series may go; the excluded one never does.
    review_series(imaging_access(cast.referrer, study.case.code), imaging["suspicious"].pk, share=True)
    assert len(client.search_for_series(study.study_uid)) == 2


def test_the_referring_team_sees_every_series_of_its_case(cast, imaging):
    client = web(cast.referrer)
    assert len(client.search_for_series(imaging["study"].study_uid)) == 3
    assert len(client.retrieve_study(imaging["study"].study_uid, media_types=DICOM_ANY)) == 5


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_people_outside_the_case_get_nothing_even_once_shared(cast, imaging, persona):
    share(imaging["study"], cast.referrer)
    sees_nothing(raw(getattr(cast, persona)), imaging["study"], imaging["plain"])


def test_unattached_studies_are_seen_only_by_the_referring_team_of_their_hospital(cast):
    web(cast.outsider).store_instances(ge_slices(1))  # KCMC's own scanner export
    study = Study.objects.get()
    assert study.institution == cast.institutions["KCMC"] and study.case is None
    series = study.series.get()
    assert [value(s, "0020000D") for s in web(cast.outsider).search_for_studies()] == [study.study_uid]
    for persona in ("referrer", "coordinator", "consultant_china", "outsider_coordinator"):
        client = raw(getattr(cast, persona))
        if persona == "outsider_coordinator":  # KCMC's coordinator is in KCMC's referring team
            assert client.get(endpoints(study, series)[0], HTTP_ACCEPT="*/*").status_code == 200
            continue
        sees_nothing(client, study, series)


def test_a_retrieval_from_outside_the_team_is_audited_once_per_sitting_kind_and_series(cast, imaging):
    study, plain = imaging["study"], imaging["plain"]
    share(study, cast.referrer)
    client = web(cast.consultant_china)
    retrieved = AuditEntry.objects.filter(action="imaging.retrieved")
    before = retrieved.count()
    client.retrieve_series(study.study_uid, plain.series_uid, media_types=DICOM_ANY)
    assert retrieved.count() == before + 1
    entry = retrieved.latest("id")
    assert entry.actor == cast.consultant_china and entry.object_id == str(study.case.pk)
    assert entry.object_type == "consultations.case" and entry.institution == cast.institutions["SRRH"]
    assert entry.detail["instances"] == "3" and entry.detail["study"] == study.study_uid
    sops = list(plain.instances.values_list("sop_uid", flat=True))
    for sop in sops:  # a DICOMweb viewer scrolling: one request per frame, one entry
        client.retrieve_instance_frames(
            study.study_uid, plain.series_uid, sop, [1], media_types=("application/octet-stream",)
        )
    client.retrieve_series_metadata(study.study_uid, plain.series_uid)
    client.retrieve_series_metadata(study.study_uid, plain.series_uid)
    assert retrieved.count() == before + 3
    frames, metadata = retrieved.order_by("-id")[1], retrieved.order_by("-id")[0]
    assert (
        frames.detail["what"] == "frames"
        and frames.detail["instance"] == sops[0]
        and frames.detail["frames"] == "1"
        and frames.detail["series"] == plain.series_uid
    )
    assert metadata.detail["what"] == "metadata" and metadata.detail["series"] == plain.series_uid
    web(cast.referrer).retrieve_series(study.study_uid, plain.series_uid, media_types=DICOM_ANY)
    assert retrieved.count() == before + 3  # at home, the case view is what is audited


def test_visibility_agrees_with_imaging_access_for_every_persona_and_case(cast, make_case, imaging):
    shared_case = imaging["study"].case
    share(imaging["study"], cast.referrer)
    unshared_case = make_case(send=True)
    receive(
        Batch(institution=unshared_case.referring_institution, source="upload", case=unshared_case),
        encoded(series_of(ge_slices(1), 7, PatientID="OTHER-1", StudyInstanceUID=generate_uid())[0]),
    )
    receive(Batch(institution=cast.institutions["KCMC"], source="node"), (PHILIPS_HEAD / "I10").read_bytes())
    people = [cast.admin, cast.coordinator, cast.referrer, cast.neurosurgeon, cast.consultant_china]
    people += [getattr(cast, p) for p in OUTSIDERS]
    for user in people:
        visible = set(cases_visible_to(user))
        for case in (shared_case, unshared_case):
            series = set(visible_series(user).filter(study__case=case))
            studies = set(visible_studies(user).filter(case=case))
            if case in visible:
                access = ImagingAccess(user=user, case_access=case_access(user, case))
                assert series == set(access.series()), (user, case)
                assert studies == set(access.studies()), (user, case)
            else:
                assert series == set() and studies == set(), (user, case)
        waiting = set(visible_studies(user).filter(case__isnull=True))
        expected = {cast.outsider, cast.outsider_coordinator}
        assert bool(waiting) == (user in expected), user


# --- The protocol --------------------------------------------------------------------------


def test_searches_match_on_uids_modality_and_dates_and_page_with_limit_and_offset(cast, imaging):
    client = raw(cast.referrer)
    study, plain = imaging["study"], imaging["plain"]
    assert len(client.get("/dicomweb/series").json()) == 3
    assert len(client.get("/dicomweb/series", {"0020000E": plain.series_uid}).json()) == 1
    assert len(client.get("/dicomweb/series", {"SeriesInstanceUID": plain.series_uid}).json()) == 1
    assert len(client.get("/dicomweb/studies", {"ModalitiesInStudy": "CT"}).json()) == 1
    assert client.get("/dicomweb/studies", {"ModalitiesInStudy": "MR"}).json() == []
    assert client.get("/dicomweb/studies", {"StudyInstanceUID": "1.2.3"}).json() == []
    assert len(client.get("/dicomweb/studies", {"StudyDate": f"{study.study_date}-"}).json()) == 1
    assert len(client.get("/dicomweb/studies", {"PatientID": study.case.code}).json()) == 1
    path = f"/dicomweb/studies/{study.study_uid}/instances"
    everything = [value(i, "00080018") for i in client.get(path).json()]
    assert len(everything) == 5
    pages = [client.get(path, {"limit": 2, "offset": n}).json() for n in (0, 2, 4)]
    assert [value(i, "00080018") for page in pages for i in page] == everything
    more = client.get(path, {"limit": 2})
    assert "more results" in more["Warning"]
    assert client.get(path, {"limit": "many"}).status_code == 400
    assert client.get(path, {"offset": "1" + "0" * 20}).status_code == 400  # no database overflow
    ignored = client.get("/dicomweb/studies", {"PatientBirthDate": "19910417"})
    assert ignored.status_code == 200 and len(ignored.json()) == 1  # not a matching key here...
    assert "PatientBirthDate" in ignored["Warning"] and "ignored" in ignored["Warning"]  # ...and said so
    forged = client.get("/dicomweb/studies", {'Patient"Name\nX': "1"})
    assert forged.status_code == 200 and "Patient?Name?X" in forged["Warning"]  # no header broken
    fuzzy = client.get("/dicomweb/studies", {"PatientID": study.case.code, "fuzzymatching": "true"})
    assert len(fuzzy.json()) == 1 and "literal matching" in fuzzy["Warning"]
    assert client.get("/dicomweb/studies", HTTP_ACCEPT="application/dicom+xml").status_code == 406


def test_patient_name_matches_the_case_code_as_patient_id_does_and_never_the_real_name(
    cast, make_case, imaging
):
    study = imaging["study"]
    code = study.case.code
    share(study, cast.referrer)
    unshared = make_case(send=True)
    receive(
        Batch(institution=unshared.referring_institution, source="upload", case=unshared),
        encoded(series_of(ge_slices(1), 7, StudyInstanceUID=generate_uid())[0]),
    )
    real = [IDENTITY["PatientName"], "Amina Juma Mollel", "Mollel", "Mollel^Amina", IDENTITY["PatientID"]]
    for person in (cast.referrer, cast.consultant_china):
        client = raw(person)
        for path in SEARCHES:
            everything = client.get(path).json()
            keys = ("PatientName", "00100010", "PatientID")
            asking = [(key, asked) for key in keys for asked in (code, code.lower(), f"{code},ND-NOBODY")]
            for key, asked in [*asking, ("PatientName", f"{code}^^^")]:  # empty name components
                found = client.get(path, {key: asked}).json()
                assert found, (person, path, key, asked)
                # exactly what the study holds for this person, under the code as both
                assert len(found) == len([r for r in everything if value(r, "0020000D") == study.study_uid])
                assert {value(r, "00100010")["Alphabetic"] for r in found} == {code}
                assert {value(r, "00100020") for r in found} == {code}
            both = client.get(path, {"PatientName": code, "PatientID": unshared.code}).json()
            assert both == []  # two keys: a study must match both
            for name in real:
                answer = client.get(path, {"PatientName": name})
                assert answer.status_code == 200 and answer.json() == [], (person, path, name)
                assert "Mollel" not in answer.content.decode()
            starred = client.get(path, {"PatientName": f"{code[:4]}*"})
            # matched as written, and said so in the person's language (the key named as sent)
            with translation.override(person.preferred_language):
                said = gettext(
                    "Wildcards (* and ?) are not supported in %(keys)s: the value was matched as written."
                ) % {"keys": "PatientName"}
            assert starred.json() == [] and said in warning(starred), warning(starred)
            assert client.get(path, {"PatientName": "Mollel*"}).json() == []
            assert client.get(path, {"PatientName": "*"}).json() == everything  # universal matching
    # Not shared: the consultant in China cannot find it by its code; the referring team can.
    assert raw(cast.consultant_china).get("/dicomweb/studies", {"PatientName": unshared.code}).json() == []
    assert len(raw(cast.referrer).get("/dicomweb/studies", {"PatientName": unshared.code}).json()) == 1


def test_patient_name_never_finds_another_hospitals_study(cast, imaging):
    share(imaging["study"], cast.referrer)
    code = imaging["study"].case.code
    receive(Batch(institution=cast.institutions["KCMC"], source="node"), (PHILIPS_HEAD / "I10").read_bytes())
    kcmc = Study.objects.get(institution=cast.institutions["KCMC"])
    for path in SEARCHES:
        for key in ("PatientName", "PatientID"):
            # KCMC's study waits for its case under the unattached mark, for KCMC alone.
            for person in (cast.referrer, cast.consultant_china, cast.neurosurgeon):
                found = raw(person).get(path, {key: UNATTACHED}).json()
                assert found == [], (person, path, key)
            mine = raw(cast.outsider).get(path, {key: UNATTACHED}).json()
            assert mine and {value(r, "0020000D") for r in mine} == {kcmc.study_uid}
            # and SRRH's case is not found from KCMC, by its code or otherwise
            for asked in (code, IDENTITY["PatientName"]):
                assert raw(cast.outsider).get(path, {key: asked}).json() == [], (path, key, asked)


def test_retrieval_honours_the_accepted_transfer_syntax_or_refuses_with_406(cast, imaging):
    client = raw(cast.referrer)
    study, plain = imaging["study"], imaging["plain"]
    instance = plain.instances.first()
    path = f"/dicomweb/studies/{study.study_uid}/series/{plain.series_uid}/instances/{instance.sop_uid}"
    stored = default_storage.open(instance.file.name, "rb").read()

    def parts(answer) -> list[bytes]:
        body = b"".join(answer.streaming_content)
        boundary = answer["Content-Type"].split("boundary=")[1].encode()
        return [p.split(b"\r\n\r\n", 1)[1][:-2] for p in body.split(b"--" + boundary)[1:-1]]

    as_stored = client.get(
        path, HTTP_ACCEPT=f'multipart/related; type="application/dicom"; transfer-syntax={JPEGLSLossless}'
    )
    assert as_stored.status_code == 200 and parts(as_stored) == [stored]
    native = client.get(path, HTTP_ACCEPT='multipart/related; type="application/dicom"')
    [data] = parts(native)
    ds = pydicom.dcmread(io.BytesIO(data))
    assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian and ds.SOPInstanceUID == instance.sop_uid
    assert np.array_equal(ds.pixel_array, pydicom.dcmread(io.BytesIO(stored)).pixel_array)
    jpeg2000 = 'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.90'
    refused = client.get(path, HTTP_ACCEPT=jpeg2000)
    assert refused.status_code == 406 and "transfer-syntax=*" in refused.content.decode()

    jls = client.get(f"{path}/frames/1", HTTP_ACCEPT='multipart/related; type="image/jls"')
    assert jls.status_code == 200 and "image/jls" in jls["Content-Type"]
    [frame] = parts(jls)
    assert frame == next(
        pydicom.encaps.generate_frames(pydicom.dcmread(io.BytesIO(stored)).PixelData, number_of_frames=1)
    )
    assert (
        client.get(f"{path}/frames/1", HTTP_ACCEPT='multipart/related; type="image/jp2"').status_code == 406
    )
    assert client.get(f"{path}/frames/2", HTTP_ACCEPT="*/*").status_code == 404
    assert client.get(f"{path}/frames/0", HTTP_ACCEPT="*/*").status_code == 400
    assert client.get(f"{path}/frames/one", HTTP_ACCEPT="*/*").status_code == 400


def test_frames_of_a_multi_frame_image_come_in_the_order_asked_uncompressed_or_as_stored(cast):
    ds = ge_slices(1)[0]
    first = ds.pixel_array
    frames = np.stack([first, first + 10, first - 10]).astype(first.dtype)
    ds.NumberOfFrames = 3
    ds.PixelData = frames.tobytes()
    web(cast.referrer).store_instances([ds])
    instance = Instance.objects.get()
    assert instance.frames == 3
    series = instance.series
    client = web(cast.referrer)
    uids = (series.study.study_uid, series.series_uid, instance.sop_uid)
    raw_frames = client.retrieve_instance_frames(*uids, [3, 1], media_types=("application/octet-stream",))
    decoded = [np.frombuffer(f, dtype="<i2").reshape(512, 512) for f in raw_frames]
    assert np.array_equal(decoded[0], frames[2]) and np.array_equal(decoded[1], frames[0])
    stored = pydicom.dcmread(default_storage.open(instance.file.name, "rb"))
    encoded_frames = list(pydicom.encaps.generate_frames(stored.PixelData, number_of_frames=3))
    assert client.retrieve_instance_frames(*uids, [2], media_types=("image/jls",)) == [encoded_frames[1]]


def test_search_queries_do_not_grow_with_the_number_of_studies(cast):
    client = raw(cast.referrer)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dicomweb/studies").status_code == 200
        return len(queries)

    batch = Batch(institution=cast.institutions["SRRH"], source="node")
    receive(batch, encoded(ge_slices(1)[0]))
    count_queries()  # the token's last use is written once a minute: not part of the search
    one = count_queries()
    for n in (1, 2):
        another = series_of(ge_slices(1), n, PatientID=f"P{n}", StudyInstanceUID=generate_uid())
        receive(Batch(institution=cast.institutions["SRRH"], source="node"), encoded(another[0]))
    assert len(client.get("/dicomweb/studies").json()) == 3
    assert count_queries() == one
