"""Strict readers for environment variables.

Plain Python (no Django import) so settings.py and the tests can both use them.
A value that cannot be read exactly as documented stops start-up with a message
naming the variable: "False" silently meaning true is how configuration bugs reach
production.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class ConfigurationError(ValueError):
    """An environment variable holds a value that cannot be used."""


_TRUE = "true"
_FALSE = "false"


class Env:
    """Reads typed values from a mapping of environment variables."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def text(self, name: str, default: str = "") -> str:
        value = self._raw(name)
        return default if value is None else value

    def bool(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() == _TRUE:
            return True
        if value.lower() == _FALSE:
            return False
        raise ConfigurationError(f"{name} must be 'true' or 'false', not {value!r}.")

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None
        if minimum is not None and number < minimum:
            raise ConfigurationError(f"{name} must be at least {minimum}, not {number}.")
        return number

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def path(self, name: str, default: Path) -> Path:
        value = self._raw(name)
        return default if value is None else Path(value)

    def secret(self, name: str, default: str = "") -> str:
        """A secret from NAME, or from the file named by NAME_FILE (Docker and systemd secrets).

        Setting both is refused: which one wins would be a guess.
        """
        direct = self._raw(name)
        file_name = self._raw(f"{name}_FILE")
        if direct is not None and file_name is not None:
            raise ConfigurationError(f"Set either {name} or {name}_FILE, not both.")
        if file_name is not None:
            try:
                return Path(file_name).read_text(encoding="utf-8").strip()
            except OSError as error:
                raise ConfigurationError(
                    f"{name}_FILE points to {file_name!r}, which cannot be read: {error.strerror}."
                ) from None
        return default if direct is None else direct
