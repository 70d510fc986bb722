"""Imaging's pages, state changes and API in the project's access matrix
(neurodaraja/tests/test_access_matrix.py), by the rules of imaging/access.py.

The case's referring team (the referrer and SRRH's coordinator) sees all of its imaging; the
consultant it is assigned to (in China) sees the shared studies, and in them only the series
that are shareable: not held back, and reviewed where the pixels may show identifiers. To anyone
else the case does not exist, and to the consultant what was not shared does not: 404.

What the consultant may not do on a study or series it may see (review, share, attach) is refused
with the reason on the imaging page: a redirect (302) there, as the other refusals of `_act` in
imaging/views.py, not a 403. The matrix counts a status below 400 as allowed and so does not try
those; imaging/tests/test_views.py proves they change nothing.

DICOMweb (/dicomweb/…) and the tus upload endpoint (/api/v1/uploads/…) take a personal API token
(or the session) and answer 401 without one, not a sign-in redirect; they are no ninja operation,
so they are TOKEN_ROUTES, tried with each persona's real token. DICOMweb shows what the imaging
pages show (the shared, shareable series to the consultant; all of the case's to its referring
team; a study waiting unattached to its hospital's referring team); STOW-RS takes studies only
from the referring team of a hospital in Tanzania, for that hospital. tus takes uploads only from
the case's referring team; its OPTIONS (protocol discovery) answers anyone, token or not.
"""

from __future__ import annotations

import base64
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from imaging import actions
from imaging.access import imaging_access
from imaging.incoming import incoming_path
from imaging.models import Annotation, Instance, Series, Study, Upload, UploadBatch
from imaging.services import Batch, receive
from imaging.tests.data import encoded, small_ct, stow_body
from neurodaraja.testing.access import Change, Endpoint, Ids, Page, TokenRoute, everyone, expect
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import assigned_to_china, case_for
from neurodaraja.testing.personas import Personas

TEAM = {"referrer", "coordinator"}  # the referring team at SRRH: manages the case's imaging
ON_THE_CASE = TEAM | {"consultant_china"}  # the assigned consultant sees what was shared
BASE = "/consultations/{case}/imaging/"


def seen_by(allowed: set[str], ok: int = 200, **exceptions: int) -> dict[str, int]:
    """`ok` for `allowed`; 404 for everyone else, who may not know it exists."""
    return expect(allowed, refused=404, ok=ok, **exceptions)


def objects(cast: Personas) -> Ids:
    """A case assigned to the consultant in China, with imaging sent through the real receiving
    service (small CT slices made in memory): a shared study holding a plain series, one that
    waits for review and one held back; a study not shared; a study waiting at SRRH for a case;
    an upload batch and an annotation of the referrer's."""
    case = assigned_to_china(cast, partial(case_for, cast))
    sent = Batch(
        institution=case.referring_institution, source=Study.Source.UPLOAD, case=case, user=cast.referrer
    )
    shown = receive(sent, encoded(small_ct(1, 1)))
    waiting_review = receive(sent, encoded(small_ct(1, 2, BurnedInAnnotation="YES")))
    held_back = receive(sent, encoded(small_ct(1, 3)))
    unshared = receive(sent, encoded(small_ct(2, 4)))
    assert shown and waiting_review and held_back and unshared  # noqa: S101
    # As a PACS at SRRH sends it through DICOMweb, waiting there for a referrer to attach it.
    stowed = Batch(institution=case.referring_institution, source=Study.Source.STOW, user=cast.referrer)
    waiting = receive(stowed, encoded(small_ct(3, 5)))
    assert waiting  # noqa: S101
    team = imaging_access(cast.referrer, case.code)
    actions.review_series(team, held_back.series_id, share=False)
    actions.share_study(team, shown.series.study_id)
    annotation = actions.annotate(team, shown, kind=Annotation.Kind.KEY)
    # A tus upload the referrer began, through the real protocol: 10 bytes announced, none sent.
    created = bearer_client(cast.referrer).post(
        "/api/v1/uploads/", headers={**TUS, "Upload-Length": "10", "Upload-Metadata": tus_metadata(case.code)}
    )
    assert created.status_code == 201, created.content  # noqa: S101
    return {
        "case": case.code,
        "shown": shown.series_id,
        "shown_instance": shown.pk,
        "waiting_review": waiting_review.series_id,
        "waiting_review_instance": waiting_review.pk,
        "held_back": held_back.series_id,
        "unshared_study": unshared.series.study_id,
        "unshared": unshared.series_id,
        "unshared_instance": unshared.pk,
        "waiting_study": waiting.series.study_id,
        "batch": actions.start_batch(team).pk,
        "annotation": annotation.pk,
        **uids("shown", shown),
        **uids("waiting_review", waiting_review),
        **uids("held_back", held_back),
        **uids("unshared", unshared),
        **uids("waiting", waiting),
        "tus_metadata": tus_metadata(case.code),
        "upload": Path(urlsplit(created["Location"]).path).name,
    }


TUS = {"Tus-Resumable": "1.0.0"}


def tus_metadata(case: str) -> str:
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}"
        for key, value in {"case": case, "filename": "01.dcm"}.items()
    )


def uids(name: str, instance: Instance) -> Ids:
    """The de-identified UIDs DICOMweb knows an instance, its series and its study by."""
    series = instance.series
    return {
        f"{name}_study_uid": series.study.study_uid,
        f"{name}_series_uid": series.series_uid,
        f"{name}_sop_uid": instance.sop_uid,
    }


def imaging_unchanged(cast: Personas, ids: Ids) -> tuple[object, ...]:
    studies = Study.objects.filter(pk__in=[ids["unshared_study"], ids["waiting_study"]])
    series = Series.objects.filter(pk__in=[ids["waiting_review"], ids["unshared"]])
    return (
        list(studies.values_list("pk", "case_id", "shared_at").order_by("pk")),
        list(Study.objects.values_list("pk", flat=True).order_by("pk")),
        list(Instance.objects.values_list("pk", flat=True).order_by("pk")),
        list(series.values_list("pk", "excluded", "reviewed_at").order_by("pk")),
        list(Annotation.objects.values_list("pk", "author_id", "instance_id", "kind").order_by("pk")),
        list(UploadBatch.objects.values_list("pk", flat=True).order_by("pk")),
    )


SERIES = BASE + "series/{%s}/"
INSTANCE = BASE + "instances/{%s}/"


def series_pages(series: str, expected: dict[str, int]) -> list[Page]:
    """The viewer of a series and what it loads: its manifest, thumbnail and the slices."""
    one, instance = SERIES % series, INSTANCE % f"{series}_instance"
    return [
        Page(one, expected),
        Page(one + "manifest.json", expected),
        Page(one + "thumbnail.webp", expected),
        Page(instance + "brain.webp", expected),
        Page(instance + "default.webp", expected),
        Page(instance + "window.webp?center=40&width=80", expected),
        Page(instance + "window.png?center=40&width=80", expected),  # full quality
    ]


PAGES = [
    Page(BASE, seen_by(ON_THE_CASE)),
    # Shared: the consultant sees it. Not shared: only the referring team knows it exists.
    *series_pages("shown", seen_by(ON_THE_CASE)),
    *series_pages("unshared", seen_by(TEAM)),
    # In the shared study, but waiting for review: the referring team alone.
    *series_pages("waiting_review", seen_by(TEAM)),
    Page(SERIES % "held_back", seen_by(TEAM)),
    # The de-identification report and the identifiable originals stay with the referring team
    # (originals abroad only where IMAGING_ORIGINALS_ABROAD allows it, off by default).
    Page(SERIES % "shown" + "report/", seen_by(TEAM)),
    Page(SERIES % "shown" + "originals.zip", seen_by(TEAM)),
    Page(BASE + "batches/{batch}/", seen_by(TEAM)),
]

# The consultant on the case is refused with a message on the imaging page (302, see above).
TEAM_ONLY = seen_by(TEAM, ok=302, consultant_china=302)

CHANGES = [
    Change(BASE + "attach/", TEAM_ONLY, imaging_unchanged, {"study": "{waiting_study}"}),
    Change(BASE + "studies/{unshared_study}/share/", TEAM_ONLY, imaging_unchanged),
    Change(SERIES % "waiting_review" + "review/", TEAM_ONLY, imaging_unchanged, {"decision": "share"}),
    Change(BASE + "batches/", seen_by(TEAM, ok=201), imaging_unchanged),
    # The referring team and the consultant mark what they may see; nobody else, nor the
    # consultant on a study not shared.
    Change(INSTANCE % "shown_instance" + "annotations/", seen_by(ON_THE_CASE, ok=201), imaging_unchanged, {}),
    Change(INSTANCE % "unshared_instance" + "annotations/", seen_by(TEAM, ok=201), imaging_unchanged),
    # An annotation is removed by its author alone.
    Change(
        INSTANCE % "shown_instance" + "annotations/{annotation}/delete/",
        seen_by({"referrer"}, ok=204),
        imaging_unchanged,
    ),
    # ... and only under the image it is on: under another image's address, not even by them.
    Change(
        INSTANCE % "waiting_review_instance" + "annotations/{annotation}/delete/",
        seen_by(set()),
        imaging_unchanged,
    ),
]

ENDPOINTS = [
    Endpoint("post", "/cases/{case}/upload-batches", seen_by(TEAM, ok=201), imaging_unchanged),
    Endpoint("get", "/upload-batches/{batch}", seen_by(TEAM)),
]


def uploads_unchanged(cast: Personas, ids: Ids) -> tuple[object, ...]:
    """The uploads, their progress and the bytes received of the referrer's, and the batches."""
    upload = Upload.objects.get(pk=ids["upload"])
    return (
        list(Upload.objects.values_list("pk", "offset", "state", "length").order_by("pk")),
        incoming_path(upload).stat().st_size,
        list(UploadBatch.objects.values_list("pk", flat=True).order_by("pk")),
    )


def dicomweb(name: str, series: bool = False, instance: bool = False) -> str:
    """The address of the study (or series, or instance) named `name` in objects()."""
    address = "/dicomweb/studies/{" + name + "_study_uid}"
    address += ("/series/{" + name + "_series_uid}") if series else ""
    return address + (("/instances/{" + name + "_sop_uid}") if instance else "")


ANY = {"Accept": "*/*"}  # WADO-RS: the stored files, or whatever the route serves


def dicomweb_study(name: str, expected: dict[str, int]) -> list[TokenRoute]:
    study = dicomweb(name)
    return [
        TokenRoute("GET", study, expected, headers=ANY),
        TokenRoute("GET", study + "/metadata", expected, headers=ANY),
        TokenRoute("GET", study + "/series", expected),
        TokenRoute("GET", study + "/instances", expected),
    ]


def dicomweb_series(name: str, expected: dict[str, int]) -> list[TokenRoute]:
    series, instance = dicomweb(name, series=True), dicomweb(name, series=True, instance=True)
    return [
        TokenRoute("GET", series, expected, headers=ANY),
        TokenRoute("GET", series + "/metadata", expected, headers=ANY),
        TokenRoute("GET", series + "/instances", expected),
        TokenRoute("GET", instance, expected, headers=ANY),
        TokenRoute("GET", instance + "/metadata", expected, headers=ANY),
        TokenRoute("GET", instance + "/frames/1", expected, headers=ANY),
    ]


SRRH_TEAM = TEAM  # the referring team of SRRH, where the study sent by STOW waits
STOW_BODY, STOW_TYPE = stow_body([encoded(small_ct(9, 9))])


def stow(url: str, expected: dict[str, int]) -> TokenRoute:
    """A STOW-RS request of one small CT slice; a refused one stores nothing."""
    return TokenRoute("POST", url, expected, imaging_unchanged, body=STOW_BODY, content_type=STOW_TYPE)


OTHER_TEAMS = {"outsider", "outsider_coordinator", "neurosurgeon"}  # KCMC's and MOI's referring teams
NOT_A_SENDER = 403  # no referring team of a Tanzanian hospital: may not send studies at all
UPLOAD = "/api/v1/uploads/{upload}"

TOKEN_ROUTES = [
    # QIDO-RS searches: everyone may search, and finds only what they may see.
    TokenRoute("GET", "/dicomweb/studies", everyone()),
    TokenRoute("GET", "/dicomweb/series", everyone()),
    TokenRoute("GET", "/dicomweb/instances", everyone()),
    # WADO-RS and the searches within a study or series, as the imaging pages.
    *dicomweb_study("shown", seen_by(ON_THE_CASE)),
    *dicomweb_series("shown", seen_by(ON_THE_CASE)),
    *dicomweb_series("waiting_review", seen_by(TEAM)),
    *dicomweb_series("held_back", seen_by(TEAM)),
    *dicomweb_study("unshared", seen_by(TEAM)),
    *dicomweb_series("unshared", seen_by(TEAM)),
    *dicomweb_study("waiting", seen_by(SRRH_TEAM)),
    *dicomweb_series("waiting", seen_by(SRRH_TEAM)),
    # STOW-RS: for SRRH, its referring team alone; the referring teams of other Tanzanian
    # hospitals (KCMC's; MOI's, where the neurosurgeon, a consultant, may refer) are told it is
    # not theirs (400).
    stow(
        "/dicomweb/studies?institution=SRRH",
        expect(SRRH_TEAM, refused=NOT_A_SENDER, **dict.fromkeys(OTHER_TEAMS, 400)),
    ),
    # Without saying where from: to the sender's one hospital; SRRH's coordinator, also MOI's,
    # is asked which (400).
    stow("/dicomweb/studies", expect({"referrer", *OTHER_TEAMS}, refused=NOT_A_SENDER, coordinator=400)),
    # tus: protocol discovery for anyone; the case's referring team alone creates, continues,
    # checks on and cancels an upload; to anyone else it does not exist.
    TokenRoute("OPTIONS", "/api/v1/uploads/", everyone(204), stranger=204),
    TokenRoute(
        "POST",
        "/api/v1/uploads/",
        seen_by(TEAM, ok=201),
        uploads_unchanged,
        headers={**TUS, "Upload-Length": "10", "Upload-Metadata": "{tus_metadata}"},
    ),
    TokenRoute("HEAD", UPLOAD, seen_by(TEAM), headers=TUS),
    TokenRoute(
        "PATCH",
        UPLOAD,
        seen_by(TEAM, ok=204),
        uploads_unchanged,
        headers={**TUS, "Upload-Offset": "0"},
        body=b"x" * 10,
        content_type="application/offset+octet-stream",
    ),
    TokenRoute("DELETE", UPLOAD, seen_by(TEAM, ok=204), uploads_unchanged, headers=TUS),
    TokenRoute("OPTIONS", UPLOAD, everyone(204), stranger=204),
]
