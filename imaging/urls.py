from django.urls import include, path

from imaging import tus, views

app_name = "imaging"

case = "consultations/<str:code>/imaging/"
urlpatterns = [
    path("api/v1/uploads/", tus.uploads, name="tus-uploads"),
    path("api/v1/uploads/<uuid:upload_id>", tus.upload, name="tus-upload"),
    path("dicomweb/", include("imaging.dicomweb_urls")),
    path("imaging/nd_upload.py", views.uploader, name="uploader"),
    path(case, views.case_imaging, name="case"),
    path(case + "attach/", views.attach, name="attach"),
    path(case + "batches/", views.start_batch, name="batches"),
    path(case + "batches/<uuid:batch_id>/", views.batch_status, name="batch"),
    path(case + "studies/<int:study_id>/share/", views.share, name="share"),
    path(case + "series/<int:series_id>/", views.viewer, name="viewer"),
    path(case + "series/<int:series_id>/review/", views.review, name="review"),
    path(case + "series/<int:series_id>/report/", views.deid_report, name="report"),
    path(case + "series/<int:series_id>/manifest.json", views.manifest, name="manifest"),
    path(case + "series/<int:series_id>/thumbnail.webp", views.thumbnail, name="thumbnail"),
    path(case + "series/<int:series_id>/originals.zip", views.originals, name="originals"),
    path(case + "instances/<int:instance_id>/window.<str:image_format>", views.window, name="window"),
    path(case + "instances/<int:instance_id>/<slug:preset>.webp", views.rendered, name="render"),
    path(case + "instances/<int:instance_id>/annotations/", views.add_annotation, name="annotations"),
    path(
        case + "instances/<int:instance_id>/annotations/<int:annotation_id>/delete/",
        views.annotation_delete,
        name="annotation_delete",
    ),
]
