"""DICOMweb (STOW-RS, QIDO-RS, WADO-RS) under /dicomweb/, with the platform's permissions."""

from django.urls import URLPattern

app_name = "dicomweb"

urlpatterns: list[URLPattern] = []
