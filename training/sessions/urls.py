from django.urls import path

from training.sessions import views

app_name = "training_sessions"

urlpatterns = [
    path("training/sessions/", views.session_list, name="list"),
    path("training/sessions/new/", views.new_session, name="new"),
    path("training/sessions/check-in/", views.check_in, name="check_in"),
    path("training/sessions/<int:session_id>/", views.session_detail, name="detail"),
    path("training/sessions/<int:session_id>/edit/", views.edit_session, name="edit"),
    path("training/sessions/<int:session_id>/cancel/", views.cancel_session, name="cancel"),
    path("training/sessions/<int:session_id>/register/", views.register, name="register"),
    path("training/sessions/<int:session_id>/unregister/", views.unregister, name="unregister"),
    path("training/sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("training/sessions/<int:session_id>/walk-in/", views.walk_in, name="walk_in"),
    path("training/sessions/<int:session_id>/feedback/", views.feedback, name="feedback"),
    path("training/sessions/follow-up/<int:follow_up_id>/", views.follow_up, name="follow_up"),
]
