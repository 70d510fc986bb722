"""Types the JSON API of every app shares."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, WithJsonSchema

from lib.languages import CODES


def _shipped_language(code: str) -> str:
    if code not in CODES:
        # The same sentence pydantic's own choice errors are translated to (core.api_errors).
        raise ValueError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(f"'{c}'" for c in CODES)})
    return code


# A language NeuroDaraja ships in (lib.languages), described in OpenAPI as an enum of its codes.
LanguageCode = Annotated[
    str, AfterValidator(_shipped_language), WithJsonSchema({"type": "string", "enum": list(CODES)})
]
