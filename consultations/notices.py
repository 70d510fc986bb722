"""The notifications a consultation sends, each a whole translatable sentence."""

from django.utils.translation import gettext_lazy as _

from core.notification_kinds import NotificationKind

NEW_CASE = NotificationKind(
    "consultations.new_case", _("New consultation %(case)s is waiting for your opinion.")
)
NEW_EMERGENCY = NotificationKind(
    "consultations.new_emergency", _("EMERGENCY: consultation %(case)s needs your opinion now.")
)
CASE_SENT = NotificationKind(
    "consultations.case_sent", _("Consultation %(case)s was sent; a consultant has been asked.")
)
NO_CONSULTANT = NotificationKind(
    "consultations.no_consultant",
    _("No consultant is available for %(case)s. Please assign one by hand."),
)
ESCALATED = NotificationKind(
    "consultations.escalated",
    _("Consultation %(case)s was not acknowledged in time and has been passed to another consultant."),
)
ACKNOWLEDGED = NotificationKind(
    "consultations.acknowledged", _("A consultant is reviewing consultation %(case)s.")
)
OPINION = NotificationKind("consultations.opinion", _("A consultant has answered consultation %(case)s."))
MESSAGE = NotificationKind("consultations.message", _("New message on consultation %(case)s."))
OUTCOME = NotificationKind(
    "consultations.outcome", _("The outcome of consultation %(case)s, which you answered, has been recorded.")
)
OUTCOME_REMINDER = NotificationKind(
    "consultations.outcome_reminder",
    _("Please record what happened to the patient of consultation %(case)s."),
)
CLOSED = NotificationKind("consultations.closed", _("Consultation %(case)s was closed by a coordinator."))
ATTACHMENT = NotificationKind(
    "consultations.attachment", _("A document or photo was added to consultation %(case)s.")
)
CONFERENCE = NotificationKind("consultations.conference", _("You are invited to a case conference."))
INVITATION_WITHDRAWN = NotificationKind(
    "consultations.conference_withdrawn", _("Your invitation to a case conference was withdrawn.")
)
