"""The authenticator lists of the admin name their columns in the reader's language (django-otp's
own column names are English only)."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.mark.parametrize(("language", "heading"), [("sw", "Jina"), ("zh-hans", "名称"), ("en", "Name")])
def test_the_authenticator_list_names_its_columns_in_the_readers_language(cast, as_user, language, heading):
    TOTPDevice.objects.create(user=cast.referrer, name="authenticator", confirmed=True)
    cast.admin.preferred_language = language
    cast.admin.save(update_fields=["preferred_language"])
    page = as_user(cast.admin).get("/admin/otp_totp/totpdevice/").content.decode()
    assert f">{heading}</a>" in page
    assert "authenticator" in page
