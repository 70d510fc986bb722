"""The public check of a certificate: what anyone may learn from a code, and how often.

A lookup tells whether the code is a certificate, genuine or revoked, and then only its holder's
name as issued, what it is for, when and by which institution: no e-mail, no membership, no
other certificate. Each client address has LOOKUPS in WINDOW seconds (counted in the cache,
found or not); past it the answer says only "wait", never whether the code exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

from core.http import client_ip
from training.certificates.codes import parse, shown
from training.certificates.models import Certificate

LOOKUPS = 30
WINDOW = 10 * 60  # seconds


@dataclass(frozen=True)
class Verdict:
    """What the public may know of one code."""

    code: str  # as printed, or as typed when it is no certificate
    found: bool
    revoked: bool = False
    holder: str = ""
    title: str = ""
    issued_at: datetime | None = None
    issuer: str = ""
    revoked_at: datetime | None = None


def lookup_allowed(request: HttpRequest, scope: str = "page") -> bool:
    """Count one lookup for the client's address; False once it has had its LOOKUPS."""
    key = f"training_certificates:lookups:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        count = 1
    return count <= LOOKUPS


def verdict(typed: str) -> Verdict:
    stored = parse(typed)
    certificate = (
        Certificate.objects.select_related("institution").filter(code=stored).first() if stored else None
    )
    if certificate is None:
        return Verdict(code=typed.strip()[:40], found=False)
    return Verdict(
        code=shown(certificate.code),
        found=True,
        revoked=certificate.is_revoked,
        holder=certificate.holder_name,
        title=certificate.title,
        issued_at=certificate.issued_at,
        issuer=certificate.institution.name,
        revoked_at=certificate.revoked_at,
    )


def verification_url(certificate: Certificate) -> str:
    """The absolute address the QR code and the printed line lead to."""
    return settings.SITE_URL + reverse("training_certificates:verify", args=[shown(certificate.code)])
