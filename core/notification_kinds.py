"""The kinds of notification, each declared once by its app with its translated sentence.

Kept apart from core.notifications (which sends them) so that the Notification model can render
its own text without importing the sender.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

_KINDS: dict[str, NotificationKind] = {}


@dataclass(frozen=True)
class NotificationKind:
    code: str
    sentence: str | Promise  # with named placeholders filled from the notification's params
    # Params whose value is a code (a status, a decision) and the translated label of each code:
    # the notification stores the code and the label is chosen in the reader's language, never the
    # language of whoever caused it. A value with no label (an older notification) is shown as is.
    labels: Mapping[str, Mapping[str, str | Promise]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _KINDS[self.code] = self

    def render(self, params: dict[str, Any]) -> str:
        shown = dict(params)
        for name, choices in self.labels.items():
            if name in shown and shown[name] in choices:
                shown[name] = str(choices[shown[name]])
        return str(self.sentence) % shown


def kind(code: str) -> NotificationKind:
    return _KINDS[code]
