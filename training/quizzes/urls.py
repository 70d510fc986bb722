from django.urls import path

from training.quizzes import views

app_name = "training_quizzes"

urlpatterns = [
    path("training/questions/", views.bank, name="bank"),
    path("training/questions/import/", views.import_gift, name="import"),
    path("training/questions/<int:question_id>/", views.edit_question, name="question"),
    path("training/sessions/<int:session_id>/tests/", views.session_results, name="results"),
    path("training/sessions/<int:session_id>/tests/<str:kind>/edit/", views.set_test, name="set_test"),
    path("training/sessions/<int:session_id>/tests/<str:kind>/", views.take, name="take"),
]
