"""Images go through Django's storage API only (no local paths), so object storage works: the
same flow runs on an in-memory storage, and S3_BUCKET configures an S3-compatible backend."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pydicom
import pytest
from django.core.files.storage import storages

from imaging.models import Instance, Series, Study
from imaging.renderings import prepare_series, rendering
from imaging.services import Batch, receive
from imaging.tests.data import GE_HEAD_CT, needs_data

ROOT = Path(__file__).resolve().parents[2]


@needs_data()
def test_ingest_and_renderings_work_on_a_storage_without_local_files(cast, make_case, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storages._storages = {}  # forget the file-system storage made before
    try:
        assert type(storages["default"]).__name__ == "InMemoryStorage"
        case = make_case(send=True)
        batch = Batch(institution=cast.institutions["SRRH"], source=Study.Source.UPLOAD, case=case)
        for path in sorted(GE_HEAD_CT.glob("*.dcm"))[:3]:
            receive(batch, path.read_bytes(), path.name)
        instance = Instance.objects.first()
        assert instance is not None
        with instance.file.open("rb") as stored:
            assert pydicom.dcmread(stored).SOPInstanceUID == instance.sop_uid
        assert prepare_series(Series.objects.get()) == 3
        assert rendering(instance, "bone")[:4] == b"RIFF"
        assert not list(Path(settings.MEDIA_ROOT).rglob("*"))  # nothing went to the local disk
    finally:
        storages._storages = {}


def test_s3_bucket_selects_the_object_storage_backend():
    environment = {**os.environ, "S3_BUCKET": "neurodaraja-test", "S3_ENDPOINT_URL": "https://minio.example"}
    environment.pop("DATABASE_URL", None)
    shown = subprocess.run(  # noqa: S603 - our own settings, read in a fresh interpreter
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'neurodaraja.settings');"
            "from django.conf import settings; d = settings.STORAGES['default'];"
            "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['endpoint_url'])",
        ],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == ["storages.backends.s3.S3Storage", "neurodaraja-test", "https://minio.example"]


pytestmark = pytest.mark.django_db(databases=["default"])
