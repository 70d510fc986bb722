from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("training/", views.logbook, name="logbook"),
    path("training/sw.js", views.service_worker, name="sw"),
    path("training/logbook.csv", views.export_csv, name="export_csv"),
    path("training/logbook.pdf", views.export_pdf, name="export_pdf"),
    path("training/entries/new/", views.new_entry, name="new"),
    path("training/entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("training/entries/<int:entry_id>/correct/", views.correct_entry, name="correct"),
    path("training/entries/<int:entry_id>/validate/", views.validate, name="validate"),
    path("training/entries/<int:entry_id>/answer/", views.answer, name="answer"),
    path("training/entries/<int:entry_id>/recognise/", views.recognise, name="recognise"),
    path("training/queue/", views.queue, name="queue"),
    path("training/enrolments/new/", views.enrol, name="enrol"),
    path("training/enrolments/<int:enrolment_id>/progress/", views.progress, name="progress"),
    path("training/enrolments/<int:enrolment_id>/autonomy/", views.autonomy, name="autonomy"),
    path("training/programmes/<int:programme_id>/", views.curriculum, name="curriculum"),
    path("training/programmes/new/", views.programme_new, name="programme_new"),
    path("training/programmes/<int:programme_id>/edit/", views.programme_edit, name="programme_edit"),
    path("training/programmes/<int:programme_id>/stages/new/", views.stage_edit, name="stage_new"),
    path("training/programmes/<int:programme_id>/stages/<int:stage_id>/", views.stage_edit, name="stage"),
    path(
        "training/programmes/<int:programme_id>/competencies/new/",
        views.competency_edit,
        name="competency_new",
    ),
    path(
        "training/programmes/<int:programme_id>/competencies/<int:competency_id>/",
        views.competency_edit,
        name="competency",
    ),
    path("training/groups/new/", views.group_edit, name="group_new"),
    path("training/groups/<int:group_id>/", views.group_edit, name="group"),
    path("training/programmes/<int:programme_id>/trainees/", views.programme_trainees, name="trainees"),
]
