"""One-time secrets (invitation links, API tokens): generated here, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str) -> tuple[str, str]:
    """A fresh random secret with a readable prefix, and the hash to store."""
    raw = f"{prefix}{secrets.token_urlsafe(32)}"
    return raw, hash_secret(raw)


def hash_secret(raw: str) -> str:
    # A plain SHA-256 is enough: the secret has 256 bits of entropy, so there is nothing to
    # guess, and the lookup must be a single indexed equality.
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
