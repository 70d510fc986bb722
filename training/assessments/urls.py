from django.urls import path

from training.assessments import views

app_name = "training_assessments"

urlpatterns = [
    path("training/assessments/", views.assessment_list, name="list"),
    path("training/assessments/request/", views.request_assessment, name="request"),
    path("training/assessments/to-complete/", views.to_complete, name="to_complete"),
    path("training/assessments/assessors/", views.assessors, name="assessors"),
    path("training/assessments/<int:assessment_id>/", views.detail, name="detail"),
    path("training/assessments/<int:assessment_id>/complete/", views.complete, name="complete"),
    path("training/assessments/<int:assessment_id>/decline/", views.decline, name="decline"),
]
