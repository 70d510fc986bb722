from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, open to administrators only (see neurodaraja.admin)."""

    default_site = "neurodaraja.admin.AdminSite"


class ProjectConfig(AppConfig):
    """The project package as an app: its commands (loaddemo, runplatform) and the home page."""

    name = "neurodaraja"
    verbose_name = "NeuroDaraja"

    def ready(self) -> None:
        from neurodaraja import home  # noqa: F401  (declares the home page's own parts)
