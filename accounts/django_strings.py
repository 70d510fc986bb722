"""Django's own password rules, named here so that `makemessages` keeps their translations.

Django's Kiswahili catalogue misses these wordings (its msgids have a straight apostrophe where
Django 5.2's code has a curly one, and no plural for the length), so our catalogue translates
them. Without a mention in our code, `make translations` (makemessages --no-obsolete) would drop
them. Nothing imports this module; the strings must match Django's exactly.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_PASSWORD_RULES = (
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
)
