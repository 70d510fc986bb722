"""What to tell the person who sent a file that was not taken, in their language."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from consultations.actions import ATTACHMENT_PROBLEMS
from imaging.ingest import IngestError, Refusal
from imaging.unpack import Problem
from lib import files
from lib.deid.dicom import Reason


def explain(error: IngestError) -> str:
    refusal, params = error.refusal, error.params
    if refusal is Refusal.NOT_DICOM:
        return _("This is not a DICOM file. Send the scan itself, or a photo of the film as a photo.")
    if refusal is Refusal.TRUNCATED:
        return _("This file is incomplete (cut off while copying or sending). Send it again.")
    if refusal is Refusal.DIRECTORY:
        return _("This is the index of a CD or folder (DICOMDIR), not an image: skipped, nothing is missing.")
    if refusal is Refusal.NOT_AN_IMAGE:
        return _("This DICOM file holds no image (%(kind)s): skipped.") % {
            "kind": params.get("sop_class") or _("unknown kind")
        }
    if refusal is Refusal.TOO_LARGE:
        return _(
            "This image declares %(rows)s × %(columns)s pixels and %(frames)s frames, more than a scan can be: refused."
        ) % {
            "rows": params.get("rows"),
            "columns": params.get("columns"),
            "frames": params.get("frames"),
        }
    if refusal is Refusal.UNSUPPORTED_SYNTAX:
        return _(
            "This file is compressed in a way the platform cannot read (%(syntax)s). Export it uncompressed from the scanner or PACS."
        ) % {"syntax": params.get("syntax") or _("unknown")}
    if refusal is Refusal.UNREADABLE_PIXELS:
        return _("The image in this file is damaged and cannot be read. Send it again.")
    if refusal is Refusal.NOT_THIS_PATIENT:
        return _("This scan is of another patient than the imaging already on this case: refused.")
    if refusal is Refusal.ANOTHER_PATIENT:
        return _(
            "This file is of another patient than the rest of the upload: stopped. Upload each patient's scans to their own case."
        )
    if refusal is Refusal.ANOTHER_INSTITUTION:
        return _("This study is already held by another hospital.")
    return _("This study is already attached to another case.")


def study_label(description: str, day: date | None) -> str:
    """How the referring team recognises a study: its description and its (moved) date."""
    if description and day:
        return _("%(description)s of %(date)s") % {"description": description, "date": date_format(day)}
    if description:
        return description
    if day:
        return _("the study of %(date)s") % {"date": date_format(day)}
    return _("a study without a description")


def explain_already_here(label: str) -> str:
    return _("These images are already on this case: %(study)s. Nothing was stored twice.") % {"study": label}


def explain_attached(label: str) -> str:
    return _(
        "These images were waiting at your hospital (sent by a scanner, a PACS or DICOMweb) and are "
        "now on this case: %(study)s."
    ) % {"study": label}


def explain_member(problem: Problem) -> str:
    if problem is Problem.UNSAFE_PATH:
        return _("This file's path inside the zip points outside it: refused.")
    if problem is Problem.ZIP_BOMB:
        return _("This zip unpacks to far more than it holds (a zip bomb): refused.")
    if problem is Problem.TOO_MANY_FILES:
        return _("This zip holds too many files to be one patient's imaging: refused.")
    if problem is Problem.ENCRYPTED:
        return _("This file is password-protected in the zip: export it without a password.")
    return _("The zip is damaged and cannot be read. Make it again and send it.")


def explain_too_large_file() -> str:
    return _(
        "This file is too large to be one image and is not a zip: send the DICOM files, the folder, "
        "or a zip of them."
    )


def explain_photo(code: str) -> str:
    """Why a photo sent with the imaging was not kept (codes of consultations.add_attachment)."""
    if code == "not_with_imaging":
        return _(
            "Photos are not taken with the imaging. Attach photos of films under “Documents and photos” "
            "on the case page, after checking that no name or number shows."
        )
    if code == "duplicate":
        return _("This photo is already attached to the case.")
    try:
        problem = files.Problem(code)
    except ValueError:
        return _("This photo could not be kept. Attach it under “Documents and photos” on the case page.")
    return str(ATTACHMENT_PROBLEMS[problem]) % {"mb": settings.ATTACHMENT_MAX_MB}


# Why de-identification did what it did, for the referrer's report (the reasons the allow-lists
# added; imaging.actions.REASON_LABELS holds the others). A description's label replaces the
# older "kept after a check for identifiers": a description now keeps only known terms.
DEID_REASON_LABELS: dict[Reason, Promise] = {
    Reason.CLEAN_DESCRIPTOR: gettext_lazy("a description made only of known acquisition and anatomy terms"),
    Reason.CLEANED_DESCRIPTOR: gettext_lazy(
        "a description: only its known acquisition and anatomy terms were kept"
    ),
    Reason.UNSAFE_DESCRIPTOR: gettext_lazy("free text with no word known to be safe"),
    Reason.NOT_ON_SAFE_LIST: gettext_lazy(
        "text that neither the confidentiality profile nor the list of safe attributes names"
    ),
    Reason.SAFE_TEXT: gettext_lazy("on the list of safe attributes, in a form that cannot hold a name"),
}


def explain_words_removed(count: int) -> str:
    """How much a description lost: a count only (which words is never kept)."""
    if count <= 0:
        return ""
    return ngettext("%(count)s word removed", "%(count)s words removed", count) % {"count": count}


__all__ = [
    "DEID_REASON_LABELS",
    "explain",
    "explain_already_here",
    "explain_attached",
    "explain_member",
    "explain_photo",
    "explain_too_large_file",
    "explain_words_removed",
    "study_label",
]
