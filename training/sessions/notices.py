from django.utils.translation import gettext_lazy as _

from core.notification_kinds import NotificationKind

PROMOTED = NotificationKind(
    "training_sessions.promoted",
    _("A place came free: you are now registered for the session “%(session)s”."),
)
CANCELLED = NotificationKind(
    "training_sessions.cancelled", _("The session “%(session)s” has been cancelled.")
)
FOLLOW_UP = NotificationKind(
    "training_sessions.follow_up",
    _("%(participant)s attended “%(session)s”: has their practice changed since?"),
)
