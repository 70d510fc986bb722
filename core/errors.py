from __future__ import annotations

from django.utils.functional import Promise


class ActionError(Exception):
    """An action refused for a reason the user can act on; the message is already translated.

    `status` is the HTTP status an API answer should carry (400 bad request, 409 conflict,
    410 gone for used or expired links).
    """

    def __init__(self, message: str | Promise, *, code: str, status: int = 400) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.status = status
