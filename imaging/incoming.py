"""Where the bytes of an upload collect until it is complete: written by the tus endpoint
(`imaging.tus`), read and removed by the worker (`imaging.tasks`)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from imaging.models import Upload


def incoming_path(upload: Upload) -> Path:
    return Path(settings.IMAGING_INCOMING_ROOT) / f"{upload.pk}.part"
