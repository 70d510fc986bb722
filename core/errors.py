from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class ActionError(Exception):
    """An action refused for a reason the user can act on; the message is already translated.

    `status` is the HTTP status an API answer should carry (400 bad request, 409 conflict,
    410 gone for used or expired links).
    """

    def __init__(
        self, message: str | Promise, *, code: str, status: int = 400, fields: tuple[str, ...] = ()
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.status = status
        # The fields the refusal is about, where it is about some (identifiers found in them):
        # the API names them, so that a client can show the message beside its box.
        self.fields = fields


class FieldErrors(Exception):
    """Input refused field by field, with messages already translated: every API answers it
    as 422 `{"detail": [{"field", "message", "type"}], "code": "invalid"}`."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{error.get('field')}: {error.get('message')}" for error in errors))
        self.errors = errors
