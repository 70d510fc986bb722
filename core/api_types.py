"""Types the JSON API of every app shares."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, Field, WithJsonSchema

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


class BoundedPageNumberPagination(PageNumberPagination):
    """Page numbers with an upper bound: a number past any real list is refused with the field
    named (422), instead of overflowing the database's integer (a 500)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1_000)
