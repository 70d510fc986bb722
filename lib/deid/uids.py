"""Consistent replacement UIDs.

The same original UID must always become the same new UID, so that the images of a series, the
series of a study and references between objects stay linked across uploads and resends. A keyed
hash gives that without a lookup table on the hot path; the key never leaves the Tanzanian side,
so the original UID cannot be recovered or tested for from the new one. (The imaging app also
keeps the mapping, for tracing a study back on the Tanzanian side.)
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

# UUID-derived UIDs (PS3.5 B.2): "2.25." and a decimal integer of up to 128 bits, at most 44 characters.
ROOT = "2.25."


def keyed_uid_mapper(key: bytes) -> Callable[[str], str]:
    if len(key) < 16:
        raise ValueError("The UID key must be at least 16 bytes.")

    def new_uid(original: str) -> str:
        digest = hmac.new(key, original.strip().encode("ascii", "replace"), hashlib.sha256).digest()
        return ROOT + str(int.from_bytes(digest[:16], "big"))

    return new_uid


__all__ = ["keyed_uid_mapper"]
