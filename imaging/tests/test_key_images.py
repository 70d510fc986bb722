"""Key images beside the opinion form (core.plugins.case_summary): the consultant abroad sees the
thumbnails of what was shared with them, each opening the viewer, and nothing else."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import sign_in
from imaging import actions
from imaging.access import imaging_access
from imaging.models import Series, Study
from imaging.services import Batch, receive
from imaging.tests.data import encoded, small_ct


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGING_INCOMING_ROOT = tmp_path / "incoming"


def received(cast, case, study: int, series: int) -> Series:
    batch = Batch(
        institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case, user=cast.referrer
    )
    for number in (1, 2):
        receive(
            batch,
            encoded(small_ct(study, series, number, SeriesDescription=f"Series {study}-{series}")),
            "x.dcm",
        )
    return Series.objects.get(study__case=case, description=f"Series {study}-{series}")


def thumbnail(case, series: Series) -> str:
    return f"/consultations/{case.code}/imaging/series/{series.pk}/thumbnail.webp"


def test_the_consultant_abroad_sees_the_shared_series_thumbnails_beside_the_opinion_form(
    cast, case_for_china
):
    case = case_for_china
    shown = received(cast, case, study=1, series=1)
    held_back = received(cast, case, study=1, series=2)
    unshared = received(cast, case, study=2, series=1)
    held_back.excluded = True
    held_back.save(update_fields=["excluded"])
    actions.share_study(imaging_access(cast.referrer, case.code), shown.study_id)

    consultant = sign_in(Client(), cast.consultant_china)
    page = consultant.get(f"/consultations/{case.code}/opinion/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="key-images"' in html
    assert thumbnail(case, shown) in html
    assert f"/consultations/{case.code}/imaging/series/{shown.pk}/" in html  # opens the viewer
    assert thumbnail(case, held_back) not in html
    assert thumbnail(case, unshared) not in html
    for identity in ("Amina", "Mollel", "SRRH/2025/00123", "+255754123456"):
        assert identity not in html
    assert consultant.get(thumbnail(case, held_back)).status_code == 404
    assert consultant.get(thumbnail(case, unshared)).status_code == 404


def test_no_key_images_while_nothing_is_shared(cast, case_for_china):
    received(cast, case_for_china, study=1, series=1)  # received after sending: not shared
    consultant = sign_in(Client(), cast.consultant_china)
    html = consultant.get(f"/consultations/{case_for_china.code}/opinion/").content.decode()
    assert 'class="key-images"' not in html
