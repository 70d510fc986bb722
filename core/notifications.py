"""Telling people what concerns them: in the app, by e-mail and by SMS, each in their language.

Each kind of notification is declared once with its translated sentence; the sentence is
rendered when it is read or sent, in the reader's own language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django_tasks import task

from core.emails import send_email
from core.models import Notification
from core.sms import send_sms

if TYPE_CHECKING:
    from accounts.models import User

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


def notify(
    recipients: Iterable[User],
    notification: NotificationKind,
    *,
    params: dict[str, Any],
    url: str,
    urgent: bool = False,
    exclude: User | None = None,
) -> list[Notification]:
    """Notify each recipient once, through the channels they chose; urgent ones always by SMS.

    `params` must be JSON-safe and free of patient identifiers (a case code, not a name).
    """
    sent = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or (exclude is not None and user.pk == exclude.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        sent.append(
            Notification.objects.create(recipient=user, kind=notification.code, params=params, url=url)
        )
        if user.notify_by_email:
            send_email(
                "notification",
                to=user.email,
                language=user.preferred_language,
                context={"kind": notification.code, "params": params, "url": settings.SITE_URL + url},
            )
        if user.phone and (urgent or user.notify_by_sms):
            send_sms_task.enqueue(
                to=user.phone, language=user.preferred_language, kind=notification.code, params=params
            )
    return sent


@task()
def send_sms_task(to: str, language: str, kind: str, params: dict[str, Any]) -> None:
    with translation.override(language):
        text = f"NeuroDaraja: {_KINDS[kind].render(params)}"
    send_sms(to, text)
