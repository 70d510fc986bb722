"""Numbers in a header that no column or JSON can hold: an instance number of 40 digits is refused
before anything is written; a thickness of "1e999999" (infinity to Python) is no measurement."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from imaging.ingest import IngestError
from imaging.models import Instance, Series, Study
from imaging.services import Batch, receive
from imaging.tests.data import encoded, small_ct


def batch_for(cast, case) -> Batch:
    return Batch(
        institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case, user=cast.referrer
    )


def stored_files() -> list[str]:
    found: list[str] = []

    def walk(folder: str) -> None:
        if not default_storage.exists(folder or "."):
            return
        folders, files = default_storage.listdir(folder or ".")
        found.extend(f"{folder}/{name}" for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}" if folder else sub)

    walk("")
    return found


@pytest.mark.django_db
def test_an_instance_number_no_column_holds_is_refused_and_leaves_no_file(cast, case_for_china):
    ds = small_ct(1, 1)
    ds.InstanceNumber = "9" * 40
    with pytest.raises((IngestError, ValueError)):
        receive(batch_for(cast, case_for_china), encoded(ds))
    assert not Instance.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db
def test_a_thickness_of_infinity_is_stored_as_unknown(cast, case_for_china):
    ds = small_ct(1, 1)
    ds.SliceThickness = "1e999999"
    instance = receive(batch_for(cast, case_for_china), encoded(ds))
    assert instance is not None
    assert Series.objects.get(pk=instance.series_id).slice_thickness is None
