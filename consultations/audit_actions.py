from django.utils.translation import gettext_lazy as _

from accounts.audit_actions import people_named
from consultations.models import Consent, Opinion, Urgency
from consultations.red_flags import RED_FLAG_LABELS
from core.audit import AuditAction, declare_detail

CASE_CREATED = AuditAction("consultations.created", _("Consultation drafted"))
CASE_UPDATED = AuditAction("consultations.updated", _("Consultation edited"))
CASE_VIEWED = AuditAction("consultations.viewed", _("Consultation viewed"))
IDENTITY_VIEWED = AuditAction("consultations.identity_viewed", _("Patient identity viewed"))
CONSENT_RECORDED = AuditAction("consultations.consent_recorded", _("Consent recorded"))
IDENTIFIERS_CONFIRMED = AuditAction(
    "consultations.identifiers_confirmed", _("Possible identifiers in free text confirmed")
)
CASE_SUBMITTED = AuditAction("consultations.submitted", _("Consultation sent"))
CASE_ASSIGNED = AuditAction("consultations.assigned", _("Consultant assigned"))
CASE_ESCALATED = AuditAction("consultations.escalated", _("Consultation escalated"))
CASE_ACKNOWLEDGED = AuditAction("consultations.acknowledged", _("Consultation acknowledged"))
OPINION_GIVEN = AuditAction("consultations.opinion_given", _("Opinion given"))
MESSAGE_POSTED = AuditAction("consultations.message_posted", _("Message posted"))
OUTCOME_RECORDED = AuditAction("consultations.outcome_recorded", _("Outcome recorded"))
CASE_CLOSED = AuditAction("consultations.closed", _("Consultation closed"))
ATTACHMENT_ADDED = AuditAction("consultations.attachment_added", _("Document or photo attached"))
ATTACHMENT_VIEWED = AuditAction("consultations.attachment_viewed", _("Document or photo opened"))
LETTER_EXPORTED = AuditAction("consultations.letter_exported", _("Advice letter downloaded"))
FHIR_EXPORTED = AuditAction("consultations.fhir_exported", _("Consultation exported as FHIR"))
CONFERENCE_SCHEDULED = AuditAction("consultations.conference_scheduled", _("Case conference scheduled"))
CONFERENCE_CASE_ADDED = AuditAction("consultations.conference_case_added", _("Case added to a conference"))
CONFERENCE_CASE_REMOVED = AuditAction(
    "consultations.conference_case_removed", _("Case taken off a conference's list")
)
CONFERENCE_INVITED = AuditAction("consultations.conference_invited", _("People invited to a conference"))
CONFERENCE_ATTENDANCE = AuditAction(
    "consultations.conference_attendance", _("Conference attendance recorded")
)
CONFERENCE_WITHDRAWN = AuditAction(
    "consultations.conference_invitation_withdrawn", _("Invitation to a conference withdrawn")
)
CONFERENCE_VIEWED = AuditAction("consultations.conference_viewed", _("Case conference viewed"))
CONFERENCE_SUMMARY = AuditAction("consultations.conference_summary", _("Conference summary written"))
CONFERENCE_SUMMARY_REFUSED = AuditAction(
    "consultations.conference_summary_refused", _("Conference summary refused: it may identify the patient")
)
SHIFT_ADDED = AuditAction("consultations.shift_added", _("On-call shift added"))
SHIFT_CHANGED = AuditAction("consultations.shift_changed", _("On-call shift changed"))
SHIFT_REMOVED = AuditAction("consultations.shift_removed", _("On-call shift removed"))

# The keys this app writes in entries' detail, so the audit page reads them in the auditor's language.
declare_detail("urgency", _("Urgency"), dict(Urgency.choices))
declare_detail("recommendation", _("Recommendation"), dict(Opinion.Recommendation.choices))
declare_detail("method", _("How consent was given"), dict(Consent.Method.choices))
declare_detail("countries", _("Countries"))
declare_detail("consultant", _("Consultant"), names=people_named)
declare_detail("opinion", _("Opinion"))
declare_detail("message", _("Message"))
declare_detail("attachment", _("Document or photo"))
declare_detail("identity", _("Patient's name included"))
declare_detail("identifiers_confirmed", _("Possible identifiers confirmed"))
declare_detail("red_flags", _("Red flags"), {str(flag): label for flag, label in RED_FLAG_LABELS.items()})
declare_detail("case", _("Case"))
declare_detail("people", _("People"), names=people_named)
declare_detail("present", _("Present"))
declare_detail("conference", _("Conference"))
declare_detail("invitee", _("Invited person"), names=people_named)
