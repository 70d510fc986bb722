from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, open to administrators only (see neurodaraja.admin)."""

    default_site = "neurodaraja.admin.AdminSite"
