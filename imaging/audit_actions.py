from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction

IMAGING_UPLOADED = AuditAction("imaging.uploaded", _("Imaging received"))
IMAGING_ATTACHED = AuditAction("imaging.attached", _("Imaging study attached to a case"))
IMAGING_REVIEWED = AuditAction("imaging.reviewed", _("Imaging series reviewed for burned-in text"))
IMAGING_EXCLUDED = AuditAction("imaging.excluded", _("Imaging series excluded from sharing"))
IMAGING_SHARED = AuditAction("imaging.shared", _("Imaging study shared"))
IMAGING_RETRIEVED = AuditAction("imaging.retrieved", _("Imaging opened from abroad"))
ORIGINAL_DOWNLOADED = AuditAction("imaging.original_downloaded", _("Original imaging file downloaded"))
ANNOTATION_ADDED = AuditAction("imaging.annotation_added", _("Annotation left on an image"))
REFUSED_SENDER = AuditAction("imaging.refused_sender", _("DICOM sender refused"))
