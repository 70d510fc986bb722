"""The public check of a certificate: what anyone may learn from a code, and how often.

A lookup tells whether the code is a certificate, genuine or revoked, and then only its holder's
name as issued, what it is for, when and by which institution: no e-mail, no membership, no
other certificate.

How often, and why so: the limit exists to stop code guessing, not checking. A code is 12
symbols from 31, some 8 × 10^17 codes for a few thousand certificates, so a guesser needs about
10^14 misses for one hit, and a real lookup of an existing code teaches nothing new. A
whole hospital often reaches us from one address (NAT), so:
- only misses (codes that are no certificate) count against an address: MISSES in WINDOW,
  far above a hospital's mistypings, while a script trying codes is stopped within minutes
  (100 an hour is under a million a year: a chance in a hundred million of one hit);
- lookups of existing codes do not count there; each one is limited apart, per address and
  code (CHECKS_OF_ONE_CODE in WINDOW), which only a script polling one certificate reaches,
  and which nobody elsewhere can use up to hide someone's certificate;
- once an address has had its misses, every lookup from it waits, existing codes too:
  answering those alone would make the refusal itself say "no certificate", and guessing go on.
The answer then says when to try again, never whether the code exists.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import ngettext

from core.http import client_ip
from training.certificates.codes import parse, shown
from training.certificates.models import Certificate

MISSES = 100  # codes that are no certificate, per address and WINDOW
CHECKS_OF_ONE_CODE = 60  # lookups of one existing certificate, per address and WINDOW
WINDOW = 60 * 60  # seconds, from the first lookup counted


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


@dataclass(frozen=True)
class HeldBack:
    """The address has had its lookups: wait `seconds`; `misses` says which limit it reached."""

    seconds: int
    misses: bool = True

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))

    @property
    def message(self) -> str:
        """When to try again, for the page and the API alike; nothing of the code looked up."""
        if self.misses:
            text = ngettext(
                "Too many codes that match no certificate have been tried from your network. "
                "Wait %(minutes)s minute, then try again.",
                "Too many codes that match no certificate have been tried from your network. "
                "Wait %(minutes)s minutes, then try again.",
                self.minutes,
            )
        else:
            text = ngettext(
                "This certificate has been checked many times from your network. "
                "Wait %(minutes)s minute, then check it again.",
                "This certificate has been checked many times from your network. "
                "Wait %(minutes)s minutes, then check it again.",
                self.minutes,
            )
        return text % {"minutes": self.minutes}


def _count(key: str) -> int:
    """Add one to a count kept for WINDOW seconds from its first; returns the new count."""
    if cache.add(key, 1, WINDOW):
        cache.set(f"{key}:until", time.time() + WINDOW, WINDOW)
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        cache.set(f"{key}:until", time.time() + WINDOW, WINDOW)
        return 1


def _seconds_left(key: str) -> int:
    until = cache.get(f"{key}:until")
    return max(1, math.ceil(until - time.time())) if until is not None else WINDOW


def check(request: HttpRequest, typed: str, scope: str = "page") -> Verdict | HeldBack:
    """The verdict on a typed code, counted as the module's docstring says; HeldBack past a limit."""
    prefix = f"training_certificates:{scope}:{client_ip(request) or 'unknown'}"
    misses = f"{prefix}:misses"
    if (cache.get(misses) or 0) >= MISSES:
        return HeldBack(_seconds_left(misses))
    found = verdict(typed)
    if not found.found:
        _count(misses)
        return found
    one_code = f"{prefix}:code:{found.code}"
    if _count(one_code) > CHECKS_OF_ONE_CODE:
        return HeldBack(_seconds_left(one_code), misses=False)
    return found


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
