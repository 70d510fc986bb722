"""DICOMweb (STOW-RS, QIDO-RS, WADO-RS) under /dicomweb/, with the platform's permissions.

The paths are the standard's (PS3.18), without a trailing slash, as DICOMweb clients build them.
"""

from django.urls import URLPattern, path

from imaging import dicomweb as views

app_name = "dicomweb"

STUDY = "studies/<str:study>"
SERIES = f"{STUDY}/series/<str:series>"
INSTANCE = f"{SERIES}/instances/<str:instance>"

SERIES_LEVEL = {"level": "series"}
INSTANCE_LEVEL = {"level": "instances"}
METADATA = {"metadata": True}

urlpatterns: list[URLPattern] = [
    path("studies", views.studies, name="studies"),
    path("series", views.search, SERIES_LEVEL, name="series-search"),
    path("instances", views.search, INSTANCE_LEVEL, name="instances-search"),
    path(STUDY, views.retrieve, name="study"),
    path(f"{STUDY}/metadata", views.retrieve, METADATA, name="study-metadata"),
    path(f"{STUDY}/series", views.search, SERIES_LEVEL, name="study-series"),
    path(f"{STUDY}/instances", views.search, INSTANCE_LEVEL, name="study-instances"),
    path(SERIES, views.retrieve, name="series"),
    path(f"{SERIES}/metadata", views.retrieve, METADATA, name="series-metadata"),
    path(f"{SERIES}/instances", views.search, INSTANCE_LEVEL, name="series-instances"),
    path(INSTANCE, views.retrieve, name="instance"),
    path(f"{INSTANCE}/metadata", views.retrieve, METADATA, name="instance-metadata"),
    path(f"{INSTANCE}/frames/<str:frame_list>", views.frames, name="frames"),
]
