from typing import Any

from django import template

from core.notifications import kind

register = template.Library()


@register.simple_tag
def notification_text(code: str, params: dict[str, Any]) -> str:
    """A notification's sentence in the active language."""
    return kind(code).render(params)
