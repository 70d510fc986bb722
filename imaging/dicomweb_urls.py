"""DICOMweb (STOW-RS, QIDO-RS, WADO-RS) under /dicomweb/, with the platform's permissions.

The paths are the standard's (PS3.18), without a trailing slash, as DICOMweb clients build them.
"""

from django.urls import URLPattern, path

from imaging.dicomweb import qido, wado

app_name = "dicomweb"

STUDY = "studies/<str:study>"
SERIES = f"{STUDY}/series/<str:series>"
INSTANCE = f"{SERIES}/instances/<str:instance>"

SERIES_LEVEL = {"level": "series"}
INSTANCE_LEVEL = {"level": "instances"}
METADATA = {"metadata": True}

urlpatterns: list[URLPattern] = [
    path("studies", qido.studies, name="studies"),
    path("series", qido.search, SERIES_LEVEL, name="series-search"),
    path("instances", qido.search, INSTANCE_LEVEL, name="instances-search"),
    path(STUDY, wado.retrieve, name="study"),
    path(f"{STUDY}/metadata", wado.retrieve, METADATA, name="study-metadata"),
    path(f"{STUDY}/series", qido.search, SERIES_LEVEL, name="study-series"),
    path(f"{STUDY}/instances", qido.search, INSTANCE_LEVEL, name="study-instances"),
    path(SERIES, wado.retrieve, name="series"),
    path(f"{SERIES}/metadata", wado.retrieve, METADATA, name="series-metadata"),
    path(f"{SERIES}/instances", qido.search, INSTANCE_LEVEL, name="series-instances"),
    path(INSTANCE, wado.retrieve, name="instance"),
    path(f"{INSTANCE}/metadata", wado.retrieve, METADATA, name="instance-metadata"),
    path(f"{INSTANCE}/frames/<str:frame_list>", wado.frames, name="frames"),
]
