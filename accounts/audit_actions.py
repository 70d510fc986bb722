from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.audit import AuditAction, declare_detail

SIGNED_IN = AuditAction("accounts.signed_in", _("Signed in"))
SIGNED_OUT = AuditAction("accounts.signed_out", _("Signed out"))
SIGN_IN_FAILED = AuditAction("accounts.sign_in_failed", _("Failed sign-in"))
LOCKED_OUT = AuditAction("accounts.locked_out", _("Locked out after repeated failures"))
SECOND_FACTOR_FAILED = AuditAction("accounts.second_factor_failed", _("Wrong second-factor code"))
TWO_FACTOR_ENABLED = AuditAction("accounts.two_factor_enabled", _("Two-factor sign-in set up"))
TWO_FACTOR_DISABLED = AuditAction("accounts.two_factor_disabled", _("Two-factor sign-in removed"))
RECOVERY_CODES_CREATED = AuditAction("accounts.recovery_codes_created", _("Recovery codes created"))
RECOVERY_CODE_USED = AuditAction("accounts.recovery_code_used", _("Recovery code used"))
PASSWORD_RESET_REQUESTED = AuditAction("accounts.password_reset_requested", _("Password reset requested"))
PASSWORD_CHANGED = AuditAction("accounts.password_changed", _("Password changed"))
PROFILE_UPDATED = AuditAction("accounts.profile_updated", _("Profile updated"))
INVITED = AuditAction("accounts.invited", _("Person invited"))
INVITATION_WITHDRAWN = AuditAction("accounts.invitation_withdrawn", _("Invitation withdrawn"))
INVITATION_ACCEPTED = AuditAction("accounts.invitation_accepted", _("Invitation accepted"))
ROLE_ADDED = AuditAction("accounts.role_added", _("Role given"))
ROLE_REMOVED = AuditAction("accounts.role_removed", _("Role removed"))
DEACTIVATED = AuditAction("accounts.deactivated", _("Account deactivated"))
REACTIVATED = AuditAction("accounts.reactivated", _("Account reactivated"))
API_TOKEN_CREATED = AuditAction("accounts.api_token_created", _("API token created"))
API_TOKEN_REVOKED = AuditAction("accounts.api_token_revoked", _("API token revoked"))

ROLES = dict(Role.choices)
declare_detail("role", _("Role"), ROLES)
declare_detail("roles", _("Roles"), ROLES)
declare_detail("via", _("Through"), {"change": _("the security page"), "reset": _("a reset link")})
declare_detail("why", _("Why"), {"password_changed": _("Password changed")})
declare_detail(
    "step",
    _("Step"),
    {"enrol": _("setting up"), "sign_in": _("signing in"), "reauthenticate": _("proving it again")},
)
declare_detail("api_tokens_revoked", _("API tokens revoked"))
declare_detail("known_account", _("Known account"))
declare_detail("new_account", _("New account"))
declare_detail("purpose", _("Purpose"), {"api_token": _("API token")})


def people_named(ids: set[str]) -> dict[str, str]:
    """What an audit entry's person ids are shown as: each person's name (staff, never a patient)."""
    numbers = [int(i) for i in ids if i.isdigit()]
    return {str(pk): name for pk, name in User.objects.filter(pk__in=numbers).values_list("pk", "full_name")}
