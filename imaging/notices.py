"""The notifications imaging sends, each a whole translatable sentence (case codes only)."""

from django.utils.translation import gettext_lazy as _

from core.notification_kinds import NotificationKind

REVIEW_BEFORE_SHARING = NotificationKind(
    "imaging.review_before_sharing",
    _(
        "Consultation %(case)s was sent, but some of its imaging may show the patient's name in the "
        "image itself: look at it and share it so the consultants can see it."
    ),
)
