"""Static files under hashed names, whatever DEBUG says (settings.HASHED_STATIC)."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Django's manifest storage gives plain names when DEBUG is on; `runplatform` serves the
    demo with DEBUG and must send the hashed names that browsers may keep for a year."""

    def url(self, name: Any, force: bool = True) -> str:
        return super().url(name, force=True)
