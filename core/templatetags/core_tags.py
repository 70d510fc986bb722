from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from core.notification_kinds import kind
from core.plugins import case_sections as declared_case_sections

register = template.Library()


@register.simple_tag
def notification_text(code: str, params: dict[str, Any]) -> str:
    """A notification's sentence in the active language."""
    return kind(code).render(params)


@register.simple_tag(takes_context=True)
def case_sections(context: template.Context, access: Any) -> SafeString:
    """The parts of the case page that other apps add (imaging, scores…), in their order.

    A section's own template escapes what it shows; a plain string returned by a section is
    escaped here, so no section can put unescaped text on the page."""
    request = context["request"]
    rendered = [section.render(request, access) for section in declared_case_sections()]
    return format_html_join("\n\n", "{}", ((html,) for html in rendered if html))
