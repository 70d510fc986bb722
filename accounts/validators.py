from __future__ import annotations

import zoneinfo

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (for example Africa/Dar_es_Salaam)."),
            code="invalid_time_zone",
            params={"value": value},
        )


def normalise_phone(value: str, region: str = "TZ") -> str:
    """A phone number in international (E.164) form; a local number is read in `region`.

    "0712 345 678" typed at a Tanzanian hospital becomes +255712345678.
    """
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, for example +255 712 345 678."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    if value:
        normalise_phone(value)
