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

DICOMweb (/dicomweb/…) and the tus upload endpoint (/api/v1/uploads/…) answer 401 without a
token or session, not a sign-in redirect, and are no ninja operation: the matrix has no
declaration for them yet (see its NOT_YET_DECLARED); test_dicomweb.py and test_uploads.py try
every persona there.
"""

from __future__ import annotations

from functools import partial

from imaging import actions
from imaging.access import imaging_access
from imaging.models import Annotation, Series, Study, UploadBatch
from imaging.services import Batch, receive
from imaging.tests.data import encoded, small_ct
from neurodaraja.testing.access import Change, Endpoint, Ids, Page, expect
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
    }


def imaging_unchanged(cast: Personas, ids: Ids) -> tuple[object, ...]:
    studies = Study.objects.filter(pk__in=[ids["unshared_study"], ids["waiting_study"]])
    series = Series.objects.filter(pk__in=[ids["waiting_review"], ids["unshared"]])
    return (
        list(studies.values_list("pk", "case_id", "shared_at").order_by("pk")),
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
