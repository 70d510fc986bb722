from django import template

from accounts.models import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """A role code shown in the active language (used in pages and in e-mails)."""
    return str(Role(code).label) if code in Role.values else code
