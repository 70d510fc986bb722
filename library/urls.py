from django.urls import path

from library.views import glossary, resources

app_name = "library"

urlpatterns = [
    path("library/", resources.resource_list, name="list"),
    path("library/new/", resources.resource_add, name="add"),
    path("library/<int:resource_id>/", resources.resource_detail, name="resource"),
    path("library/<int:resource_id>/file/", resources.resource_file, name="file"),
    path("library/<int:resource_id>/edit/", resources.resource_edit, name="edit"),
    path("library/<int:resource_id>/remove/", resources.resource_remove, name="remove"),
    path("library/glossary/", glossary.glossary, name="glossary"),
    path("library/glossary/new/", glossary.term_add, name="term_add"),
    path("library/glossary/<int:term_id>/edit/", glossary.term_edit, name="term_edit"),
]
