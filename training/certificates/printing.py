"""A certificate's PDF in the language it was issued in: the lines translated here, the drawing
in pdf.py (plain Python)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from training.certificates import pdf
from training.certificates.models import Certificate, Kind
from training.certificates.verification import verification_url


def certificate_pdf(certificate: Certificate) -> bytes:
    zone = ZoneInfo(certificate.institution.time_zone or "UTC")
    url = verification_url(certificate)
    with translation.override(certificate.language):
        issued_on = date_format(certificate.issued_at.astimezone(zone), "DATE_FORMAT")
        revoked = ""
        if certificate.revoked_at is not None:
            revoked = _("Revoked on %(date)s: this certificate is no longer valid.") % {
                "date": date_format(certificate.revoked_at.astimezone(zone), "DATE_FORMAT")
            }
        sheet = pdf.Sheet(
            language=certificate.language,
            heading=_("Certificate of attendance")
            if certificate.kind == Kind.SESSION
            else _("Certificate of completion"),
            lead=_("This certifies that"),
            holder=certificate.holder_name,
            title=certificate.holder_title,
            issued=_("Issued by %(institution)s on %(date)s")
            % {
                "institution": certificate.institution.name,
                "date": issued_on,
            },
            code_line=_("Certificate code: %(code)s") % {"code": certificate.shown_code},
            verify_line=_("Check that it is genuine: scan the QR code or open %(url)s") % {"url": url},
            url=url,
            revoked=revoked,
            # A demo platform's certificates are for fictional people, and say so on the page.
            demonstration=_("Demonstration: everyone here is fictional.") if settings.DEMO_MODE else "",
        )
    return pdf.render(sheet)


def file_name(certificate: Certificate) -> str:
    return f"{certificate.shown_code}.pdf"
