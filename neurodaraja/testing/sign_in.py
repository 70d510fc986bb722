"""Signing in through the real sign-in page: a password, then an authenticator's code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from neurodaraja.testing.personas import PASSWORD

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse


def post_password(
    client: Client, email: str, password: str = PASSWORD, **extra: str
) -> _MonkeyPatchedWSGIResponse:
    return client.post("/accounts/login/", {"username": email, "password": password, **extra})


def code_for(device: TOTPDevice) -> str:
    """The code the person's authenticator shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
