"""The kinds of notification, each declared once by its app with its translated sentence.

Kept apart from core.notifications (which sends them) so that the Notification model can render
its own text without importing the sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

_KINDS: dict[str, NotificationKind] = {}


@dataclass(frozen=True)
class NotificationKind:
    code: str
    sentence: str | Promise  # with named placeholders filled from the notification's params

    def __post_init__(self) -> None:
        _KINDS[self.code] = self

    def render(self, params: dict[str, Any]) -> str:
        return str(self.sentence) % params


def kind(code: str) -> NotificationKind:
    return _KINDS[code]
