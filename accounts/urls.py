from django.urls import path

from accounts.views import audit, auth, institutions, invitations, people, profile

app_name = "accounts"

urlpatterns = [
    path("audit/", audit.audit_log, name="audit"),
    path("accounts/login/", auth.sign_in, name="login"),
    path("accounts/login/verify/", auth.verify_second_factor, name="login_verify"),
    path("accounts/logout/", auth.sign_out, name="logout"),
    path("accounts/password-reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/invitation/<str:token>/", invitations.accept_invitation, name="accept_invitation"),
    path("accounts/profile/", profile.profile, name="profile"),
    path("accounts/security/", profile.security, name="security"),
    path("accounts/security/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/security/two-factor/", profile.two_factor_setup, name="two_factor_setup"),
    path("accounts/security/two-factor/remove/", profile.two_factor_remove, name="two_factor_remove"),
    path("accounts/security/recovery-codes/", profile.recovery_codes, name="recovery_codes"),
    path("accounts/tokens/", profile.api_tokens, name="api_tokens"),
    path("accounts/tokens/<int:token_id>/revoke/", profile.api_token_revoke, name="api_token_revoke"),
    path("people/", people.people_list, name="people"),
    path("people/invite/", people.invite, name="invite"),
    path("people/invitations/", people.invitations, name="invitations"),
    path(
        "people/invitations/<int:invitation_id>/withdraw/",
        people.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("people/<int:person_id>/", people.person_detail, name="person"),
    path("people/<int:person_id>/active/", people.person_set_active, name="person_set_active"),
    path(
        "people/roles/<int:membership_id>/remove/",
        people.membership_remove,
        name="membership_remove",
    ),
    path("institutions/", institutions.institution_list, name="institutions"),
    path("institutions/<str:code>/", institutions.institution_detail, name="institution"),
]
