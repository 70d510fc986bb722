"""Text messages through a pluggable backend (East African gateways have Python clients).

A backend is a class with `send(to, text)`. The console backend logs each message; the
memory backend keeps them for tests. Production names its gateway's backend in SMS_BACKEND.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sms:
    to: str
    text: str


class ConsoleBackend:
    def send(self, to: str, text: str) -> None:
        logger.info("SMS to %s: %s", to, text)


class MemoryBackend:
    outbox: list[Sms] = []  # noqa: RUF012 - shared on purpose, like Django's locmem e-mail outbox

    def send(self, to: str, text: str) -> None:
        MemoryBackend.outbox.append(Sms(to, text))


@cache
def _backend(path: str) -> ConsoleBackend | MemoryBackend:
    return import_string(path)()


def send_sms(to: str, text: str) -> None:
    _backend(settings.SMS_BACKEND).send(to, text)
