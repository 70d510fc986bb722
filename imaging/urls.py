from django.urls import include, path

from imaging import tus

app_name = "imaging"

urlpatterns = [
    path("api/v1/uploads/", tus.uploads, name="tus-uploads"),
    path("api/v1/uploads/<uuid:upload_id>", tus.upload, name="tus-upload"),
    path("dicomweb/", include("imaging.dicomweb_urls")),
]
