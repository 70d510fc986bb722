from django.urls import path

from training.certificates import views

app_name = "training_certificates"

urlpatterns = [
    path("training/certificates/", views.mine, name="mine"),
    path("training/certificates/issued/", views.issued, name="issued"),
    path("training/certificates/milestone/", views.issue_milestone, name="issue_milestone"),
    path("training/certificates/sessions/<int:session_id>/", views.issue_for_session, name="issue_session"),
    path("training/certificates/<str:code>.pdf", views.download, name="pdf"),
    path("training/certificates/<str:code>/revoke/", views.revoke, name="revoke"),
    # The one public page of training: no sign-in.
    path("verify/", views.lookup, name="lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
