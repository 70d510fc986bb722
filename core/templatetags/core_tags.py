from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

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


# Django adds ":" to a label unless it ends in ASCII ":?.!" (its catalogues leave both as they
# are in Chinese), so a Chinese question got "？:". A label that ends a sentence in any script
# gets no suffix; in Chinese the suffix is the full-width colon.
ENDS_A_SENTENCE = tuple(":?.!：？。！")


@register.filter
def label(field: BoundField) -> SafeString:
    """The field's <label>, with a suffix only where it reads right."""
    text = str(field.label or "").rstrip()
    if text.endswith(ENDS_A_SENTENCE):
        return field.label_tag(label_suffix="")
    if (get_language() or "").startswith("zh"):
        return field.label_tag(label_suffix="：")
    return field.label_tag()
