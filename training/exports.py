"""The trainee's whole logbook, as CSV and as PDF, labelled in the trainee's language. An entry
holds no patient identifier (age band and sex only; free text checked when logged), and nothing
else is added: no case details beyond the pseudonymous case code. Each export is in the audit."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import record
from core.i18n import datetime_with_zone
from training import audit_actions as acts
from training import logbook_pdf
from training.models import LogbookEntry
from training.progress import totals

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def entries_of(trainee: User) -> QuerySet[LogbookEntry]:
    return (
        LogbookEntry.objects.filter(trainee=trainee)
        .select_related("institution", "supervisor", "enrolment__programme")
        .prefetch_related("procedures")
        .order_by("performed_on", "id")
    )


def _outcome(entry: LogbookEntry) -> str:
    said = [
        str(label)
        for happened, label in (
            (entry.return_to_theatre, _("Return to theatre")),
            (entry.infection, _("Infection")),
            (entry.death, _("Death")),
        )
        if happened
    ]
    return "; ".join(said) or _("No complication recorded.")


def _columns() -> list[tuple[str, Callable[[LogbookEntry], object]]]:
    return [
        (_("Entry"), lambda e: e.pk),
        (_("Date of the operation"), lambda e: e.performed_on.isoformat()),
        (_("Programme"), lambda e: e.enrolment.programme.name),
        (_("Hospital"), lambda e: e.institution.short_code),
        (_("Urgency"), lambda e: e.get_urgency_display()),
        (_("Patient's age"), lambda e: e.get_age_band_display()),
        (_("Patient's sex"), lambda e: e.get_sex_display()),
        (_("Diagnosis"), lambda e: e.diagnosis),
        (_("Procedures"), lambda e: "; ".join(p.name for p in e.procedures.all())),
        (_("Procedure codes"), lambda e: "; ".join(p.code for p in e.procedures.all())),
        (_("Supervision code"), lambda e: e.supervision),
        (_("Supervising surgeon"), lambda e: e.supervisor.full_name),
        (_("Outcome"), _outcome),
        (_("Other complications"), lambda e: e.complications),
        (_("Reflection"), lambda e: e.reflection),
        (_("Consultation case"), lambda e: e.case_code),
        (_("Status"), lambda e: e.get_status_display()),
        (_("Validated at"), lambda e: e.validated_at.isoformat() if e.validated_at else ""),
    ]


def _cell(value: object) -> str:
    text = str(value)
    # A spreadsheet runs a cell that starts as a formula: kept as text instead.
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _record(trainee: User, kind: str, count: int, request: HttpRequest | None) -> None:
    record(
        acts.LOGBOOK_EXPORTED,
        actor=trainee,
        target=trainee,
        request=request,
        detail={"format": kind, "entries": count},
    )


def logbook_csv(trainee: User, *, request: HttpRequest | None = None) -> str:
    with translation.override(trainee.preferred_language or "en"):
        columns = _columns()
        out = io.StringIO()
        out.write("\ufeff")  # a spreadsheet reads UTF-8 (Chinese, Kiswahili) only with its mark
        writer = csv.writer(out)
        writer.writerow([label for label, _get in columns])
        count = 0
        for entry in entries_of(trainee).iterator(chunk_size=500):
            writer.writerow([_cell(get(entry)) for _label, get in columns])
            count += 1
    _record(trainee, "csv", count, request)
    return out.getvalue()


def logbook_pdf_bytes(trainee: User, *, request: HttpRequest | None = None) -> bytes:
    language = trainee.preferred_language or "en"
    with translation.override(language):
        tally = totals(LogbookEntry.objects.filter(trainee=trainee))
        entries = list(entries_of(trainee))
        blocks = [
            logbook_pdf.EntryBlock(
                heading=" · ".join(
                    [
                        f"#{e.pk}",
                        formats.date_format(e.performed_on, "SHORT_DATE_FORMAT"),
                        e.institution.short_code,
                        e.supervision,
                        str(e.get_status_display()),
                    ]
                ),
                lines=[
                    (_("Procedures"), "; ".join(p.name for p in e.procedures.all())),
                    (_("Diagnosis"), e.diagnosis),
                    (_("Patient"), f"{e.get_age_band_display()}, {e.get_sex_display()}"),
                    (_("Urgency"), str(e.get_urgency_display())),
                    (_("Your part"), str(e.get_supervision_display())),
                    (_("Supervising surgeon"), e.supervisor.full_name),
                    (_("Outcome"), _outcome(e) + (f" {e.complications}" if e.complications else "")),
                    (_("Reflection"), e.reflection),
                    (_("Consultation case"), e.case_code),
                ],
            )
            for e in entries
        ]
        document = logbook_pdf.Logbook(
            title=_("Logbook of %(trainee)s") % {"trainee": trainee.full_name},
            lines=[
                ", ".join(sorted({e.enrolment.programme.name for e in entries})),
                _("%(validated)s of %(total)s entries validated.")
                % {"validated": tally.validated, "total": tally.total},
                _("Printed from NeuroDaraja on %(date)s.") % {"date": datetime_with_zone(timezone.now())},
            ],
            entries=blocks,
            empty=_("No entries yet."),
            footer=_("No patient identifiers: each entry holds the patient's age band and sex only."),
            language=language,
        )
        pdf = logbook_pdf.render(document)
    _record(trainee, "pdf", len(entries), request)
    return pdf
