"""Start-up refuses a bad configuration."""

import pytest
from django.test import override_settings

from core import checks


def ids(messages):
    return [message.id for message in messages]


def test_a_good_configuration_passes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SECRET_KEY_IS_SET = True
    for check in [
        checks.check_secret_key,
        checks.check_debug_hosts,
        checks.check_time_zone,
        checks.check_languages,
        checks.check_storage_path,
        checks.check_demo_mode,
    ]:
        assert check(None) == [], check.__name__


@override_settings(DEBUG=False, SECRET_KEY_IS_SET=False)
def test_production_without_a_secret_key_fails():
    assert ids(checks.check_secret_key(None)) == ["neurodaraja.E001"]


@override_settings(DEBUG=True, ALLOWED_HOSTS=["localhost", "neurodaraja.example.org"])
def test_debug_with_a_public_host_fails():
    messages = checks.check_debug_hosts(None)
    assert ids(messages) == ["neurodaraja.E002"]
    assert "neurodaraja.example.org" in messages[0].msg


@override_settings(DEBUG=True, ALLOWED_HOSTS=["*"])
def test_debug_with_any_host_fails():
    assert ids(checks.check_debug_hosts(None)) == ["neurodaraja.E002"]


@override_settings(TIME_ZONE="Africa/Dar_es_Salaam")
def test_time_zone_other_than_utc_fails():
    assert ids(checks.check_time_zone(None)) == ["neurodaraja.E003"]


@override_settings(LANGUAGES=[("en", "English"), ("sw", "Kiswahili")])
def test_a_missing_language_fails():
    messages = checks.check_languages(None)
    assert "neurodaraja.E005" in ids(messages)
    assert "zh-hans" in messages[0].msg


def test_missing_compiled_translations_fail(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    assert ids(checks.check_languages(None)) == ["neurodaraja.E006", "neurodaraja.E006"]


def test_a_missing_storage_folder_fails(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "nowhere"
    assert ids(checks.check_storage_path(None)) == ["neurodaraja.E007"]


@override_settings(DEMO_MODE=True, DEBUG=False)
def test_demo_mode_outside_development_fails():
    assert ids(checks.check_demo_mode(None)) == ["neurodaraja.E009"]


@pytest.mark.parametrize("command", ["check"])
def test_manage_check_fails_on_a_bad_configuration(settings, command):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.TIME_ZONE = "Asia/Shanghai"
    with pytest.raises(SystemCheckError, match="E003"):
        call_command(command)
