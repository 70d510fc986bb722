"""The one helper that sends e-mail: subject, text and HTML templates, in the recipient's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def send_email(template: str, to: str, language: str, context: dict[str, Any]) -> None:
    """Queue an e-mail built from templates/emails/<template>_{subject.txt,body.txt,body.html}.

    The context must be JSON-serialisable: it travels through the task queue. With the
    database task backend the queued row commits, or rolls back, with the caller's transaction.
    """
    send_email_task.enqueue(template=template, to=to, language=language, context=context)


def render_email(template: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    full_context = {"site_url": settings.SITE_URL, "site_name": str(settings.SITE_NAME), **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", full_context)
        text = render_to_string(f"emails/{template}_body.txt", full_context)
        html = render_to_string(f"emails/{template}_body.html", full_context)
    return " ".join(subject.split()), text, html


@task()
def send_email_task(template: str, to: str, language: str, context: dict[str, Any]) -> None:
    subject, text, html = render_email(template, language, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


class _Addressee(Protocol):
    email: str
    preferred_language: str


class _People(Protocol):
    def administrators(self) -> Iterable[_Addressee]: ...


def send_email_to_administrators(template: str, context: dict[str, Any]) -> int:
    """Queue the same e-mail to every active administrator, each in their language; return how many.

    The people are accounts' users, reached the way core's foreign keys reach them
    (AUTH_USER_MODEL), so core does not import accounts.
    """
    people = cast(_People, get_user_model()._default_manager)
    sent = 0
    for admin in people.administrators():
        send_email(template, to=admin.email, language=admin.preferred_language, context=context)
        sent += 1
    return sent
