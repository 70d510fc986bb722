from django.contrib import admin
from django.urls import include, path, re_path

from accounts.views.profile import set_language
from neurodaraja.api import api, no_such_endpoint
from neurodaraja.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("consultations.urls")),
    path("", include("scores.urls")),
    path("", include("imaging.urls")),
    path("", include("training.urls")),
    path("", include("training.assessments.urls")),
    path("", include("training.sessions.urls")),
    path("", include("training.quizzes.urls")),
    path("", include("training.certificates.urls")),
    path("", include("library.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", no_such_endpoint, name="api_no_such_endpoint"),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
