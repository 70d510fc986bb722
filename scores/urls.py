from django.urls import path

from scores import views

app_name = "scores"

urlpatterns = [
    path("scores/", views.calculator_list, name="list"),
    path("scores/<str:code>/", views.calculator_page, name="calculator"),
    path("consultations/<str:code>/findings/", views.case_findings, name="findings"),
]
