import pytest

from lib.env import ConfigurationError, Env


def test_booleans_accept_only_true_or_false():
    assert Env({"DEBUG": "true"}).bool("DEBUG", default=False) is True
    assert Env({"DEBUG": "FALSE"}).bool("DEBUG", default=True) is False
    assert Env({}).bool("DEBUG", default=True) is True
    for wrong in ["False ", "0", "yes", "off", "1"]:
        if wrong.strip().lower() in ("true", "false"):
            continue
        with pytest.raises(ConfigurationError, match="DEBUG must be 'true' or 'false'"):
            Env({"DEBUG": wrong}).bool("DEBUG", default=False)


def test_integers_are_checked():
    assert Env({"N": "7"}).int("N", default=1, minimum=1) == 7
    with pytest.raises(ConfigurationError, match="whole number"):
        Env({"N": "seven"}).int("N", default=1)
    with pytest.raises(ConfigurationError, match="at least 1"):
        Env({"N": "0"}).int("N", default=1, minimum=1)


def test_lists_split_on_commas_and_drop_blanks():
    assert Env({"HOSTS": "a.example, b.example,,"}).list("HOSTS") == ["a.example", "b.example"]
    assert Env({}).list("HOSTS", default=["localhost"]) == ["localhost"]


def test_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert Env({"SECRET_KEY_FILE": str(secret)}).secret("SECRET_KEY") == "s3cret"
    assert Env({"SECRET_KEY": "direct"}).secret("SECRET_KEY") == "direct"


def test_secret_refuses_both_sources_and_unreadable_files(tmp_path):
    with pytest.raises(ConfigurationError, match="not both"):
        Env({"SECRET_KEY": "a", "SECRET_KEY_FILE": "/x"}).secret("SECRET_KEY")
    with pytest.raises(ConfigurationError, match="cannot be read"):
        Env({"SECRET_KEY_FILE": str(tmp_path / "missing")}).secret("SECRET_KEY")


def test_env_example_lists_every_variable_settings_read():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    settings_source = (root / "neurodaraja" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', settings_source))
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", (root / ".env.example").read_text(), re.M))
    assert read, "settings should read variables"
    assert read <= documented, f"missing from .env.example: {sorted(read - documented)}"
