"""The library's resources: coordinators add, change and remove them (files checked, links https
only, removal confirmed, each change audited); everyone signed in lists, filters, searches, opens."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.errors import ActionError
from core.models import AuditEntry
from library import actions
from library.models import Resource
from library.tests.files import RESOURCE, add_file, add_link, mp4, pdf, pptx
from neurodaraja.testing.pages import PAGE_BUDGET, compressed, static_size
from neurodaraja.testing.personas import Personas, sign_in


def stored() -> set[str]:
    return set(default_storage.listdir("library")[1]) if default_storage.exists("library") else set()


def form(**changes: object) -> dict[str, object]:
    return {**RESOURCE, "link": "", **changes}


def test_a_coordinator_adds_a_pdf_stored_under_a_random_name_and_audited(cast: Personas, client: Client):
    sign_in(client, cast.coordinator)
    upload = SimpleUploadedFile("Mgonjwa Juma protocol.pdf", pdf(), content_type="application/pdf")
    answer = client.post("/library/new/", form(upload=upload, institution=cast.institutions["SRRH"].pk))
    resource = Resource.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/library/{resource.pk}/"
    assert resource.institution.short_code == "SRRH" and resource.content_type == "application/pdf"
    assert "Juma" not in resource.file.name and resource.file.name.endswith(".pdf")
    assert default_storage.exists(resource.file.name)
    entry = AuditEntry.objects.get(action="library.resource_added")
    assert entry.object_id == str(resource.pk) and entry.detail["topic"] == "trauma"


def test_a_link_must_be_https_and_nothing_is_added(cast: Personas, client: Client):
    sign_in(client, cast.coordinator)
    answer = client.post(
        "/library/new/", form(link="http://example.org/guide", institution=cast.institutions["MOI"].pk)
    )
    assert answer.status_code == 400
    assert "A link must start with https://." in answer.content.decode()
    assert not Resource.objects.exists()
    with pytest.raises(ActionError, match="https"):
        add_link(cast.coordinator, cast.institutions["MOI"], link="ftp://example.org/x")


def test_a_file_and_a_link_together_or_neither_is_refused(cast: Personas, client: Client):
    sign_in(client, cast.coordinator)
    moi = cast.institutions["MOI"].pk
    both = client.post(
        "/library/new/",
        form(link="https://example.org/a", upload=SimpleUploadedFile("a.pdf", pdf()), institution=moi),
    )
    assert "Give either a file or a link, not both." in both.content.decode()
    neither = client.post("/library/new/", form(institution=moi))
    assert "Add a file or give a link." in neither.content.decode()
    assert both.status_code == neither.status_code == 400 and not Resource.objects.exists()


def test_a_malformed_or_oversized_file_is_refused_with_its_reason_in_the_persons_language(
    cast: Personas, client: Client, settings
):
    sign_in(client, cast.coordinator)
    moi = cast.institutions["MOI"].pk
    fake = client.post("/library/new/", form(upload=SimpleUploadedFile("x.pptx", pdf()), institution=moi))
    assert "The file is not what its name says." in fake.content.decode()
    settings.LIBRARY_MAX_MB = 1
    big = client.post(
        "/library/new/",
        form(upload=SimpleUploadedFile("big.mp4", mp4() + b"\0" * (1024 * 1024)), institution=moi),
    )
    assert fake.status_code == big.status_code == 400
    assert "The file is too large for the library (at most 1 MB)." in big.content.decode()
    assert not Resource.objects.exists() and stored() == set()


def test_a_coordinator_of_another_institution_may_not_change_or_remove(cast: Personas):
    resource = add_link(cast.coordinator, cast.institutions["MOI"])
    with pytest.raises(PermissionDenied):
        actions.change_resource(cast.outsider_coordinator, resource, {**RESOURCE, "title": "Mine"})
    with pytest.raises(PermissionDenied):
        actions.remove_resource(cast.outsider_coordinator, resource)
    with pytest.raises(PermissionDenied):  # a coordinator adds only for their own institutions
        add_link(cast.outsider_coordinator, cast.institutions["MOI"])
    resource.refresh_from_db()
    assert resource.title == RESOURCE["title"] and Resource.objects.count() == 1


def test_replacing_the_file_keeps_the_new_one_and_removes_the_old_once_saved(
    cast: Personas, client: Client, django_capture_on_commit_callbacks
):
    resource = add_file(cast.coordinator, cast.institutions["MOI"])
    old = resource.file.name
    sign_in(client, cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/library/{resource.pk}/edit/",
            form(kind="slides", title="Deck", upload=SimpleUploadedFile("deck.pptx", pptx())),
        )
    assert answer.status_code == 302
    resource.refresh_from_db()
    assert (resource.kind, resource.title, resource.extension) == ("slides", "Deck", ".pptx")
    assert default_storage.exists(resource.file.name) and not default_storage.exists(old)
    assert AuditEntry.objects.filter(action="library.resource_changed").count() == 1


def test_an_edit_without_a_file_or_link_keeps_the_file(cast: Personas, client: Client):
    resource = add_file(cast.coordinator, cast.institutions["MOI"])
    sign_in(client, cast.coordinator)
    client.post(f"/library/{resource.pk}/edit/", form(title="Renamed"))
    resource.refresh_from_db()
    assert resource.title == "Renamed" and resource.is_file and default_storage.exists(resource.file.name)


def test_a_refused_replacement_keeps_the_old_file_and_leaves_no_new_one(cast: Personas, client: Client):
    resource = add_file(cast.coordinator, cast.institutions["MOI"])
    before = stored()
    sign_in(client, cast.coordinator)
    answer = client.post(
        f"/library/{resource.pk}/edit/", form(title="X", upload=SimpleUploadedFile("v.mp4", mp4()[:-5]))
    )
    assert answer.status_code == 400 and "damaged" in answer.content.decode()
    resource.refresh_from_db()
    assert resource.title == RESOURCE["title"] and stored() == before


def test_removal_asks_first_then_removes_the_file_and_is_audited(cast: Personas, client: Client):
    resource = add_file(cast.coordinator, cast.institutions["MOI"])
    name = resource.file.name
    sign_in(client, cast.coordinator)
    question = client.get(f"/library/{resource.pk}/remove/")
    assert "Remove this resource?" in question.content.decode()
    unconfirmed = client.post(f"/library/{resource.pk}/remove/", {})
    assert unconfirmed.status_code == 200 and Resource.objects.filter(pk=resource.pk).exists()
    with_commit = client.post(f"/library/{resource.pk}/remove/", {"confirm": "yes"})
    assert with_commit.status_code == 302 and not Resource.objects.filter(pk=resource.pk).exists()
    entry = AuditEntry.objects.get(action="library.resource_removed")
    assert entry.detail["title"] == RESOURCE["title"]
    assert name  # the file itself goes on commit: test_removed_file_is_deleted_on_commit


def test_removed_file_is_deleted_on_commit(cast: Personas, django_capture_on_commit_callbacks):
    resource = add_file(cast.coordinator, cast.institutions["MOI"])
    name = resource.file.name
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_resource(cast.coordinator, resource)
    assert not default_storage.exists(name)


def test_everyone_lists_filters_and_searches_accent_and_case_insensitively(cast: Personas, client: Client):
    moi = cast.institutions["MOI"]
    add_link(
        cast.coordinator, moi, title="Hématome extradural: prise en charge", topic="trauma", language="en"
    )
    add_link(cast.coordinator, moi, title="Ufuatiliaji wa shunt", topic="hydrocephalus", language="sw")
    add_link(cast.coordinator, moi, title="脑积水分流术后随访", topic="hydrocephalus", language="zh-hans")
    sign_in(client, cast.trainee)

    def titles(query: str) -> list[str]:
        page = client.get(f"/library/?{query}")
        assert page.status_code == 200
        return [r.title for r in page.context["page"].object_list]

    assert titles("q=HEMATOME") == ["Hématome extradural: prise en charge"]
    assert titles("topic=hydrocephalus&language=sw") == ["Ufuatiliaji wa shunt"]
    assert titles("q=分流") == ["脑积水分流术后随访"]
    assert len(titles("")) == 3
    assert client.get("/library/?topic=nonsense").status_code == 400


def test_the_list_takes_the_same_queries_for_three_resources_as_for_thirty(cast: Personas, client: Client):
    moi = cast.institutions["MOI"]
    for n in range(3):
        add_link(cast.coordinator, moi, title=f"Guide {n}")
    sign_in(client, cast.trainee)
    client.get("/library/")
    few = queries_of(client, "/library/")
    for n in range(27):
        add_link(cast.coordinator, moi, title=f"More {n}")
    assert queries_of(client, "/library/") == few
    assert len(client.get("/library/").context["page"].object_list) == 20


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as counted:
        assert client.get(url).status_code == 200
    return len(counted.captured_queries)


def test_the_file_opens_for_everyone_signed_in_and_a_demo_resource_says_so(cast: Personas, client: Client):
    resource = add_file(cast.coordinator, cast.institutions["MOI"])
    Resource.objects.filter(pk=resource.pk).update(is_demo=True)
    sign_in(client, cast.consultant_china)
    page = client.get(f"/library/{resource.pk}/")
    assert "演示" in page.content.decode()  # the demonstration notice, in the reader's language
    download = client.get(f"/library/{resource.pk}/file/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.getvalue().startswith(b"%PDF-")


def test_pages_stay_under_the_budget(cast: Personas, client: Client):
    resource = add_file(cast.coordinator, cast.institutions["MOI"])
    sign_in(client, cast.coordinator)
    pages = ["/library/", f"/library/{resource.pk}/", "/library/new/", f"/library/{resource.pk}/edit/"]
    for url in [*pages, "/library/glossary/", "/library/glossary/new/"]:
        page = client.get(url)
        assert page.status_code == 200
        assert compressed(page.content) + static_size() < PAGE_BUDGET, url


def test_a_link_resource_takes_a_new_file_with_its_old_link_still_in_the_field(
    cast: Personas, client: Client
):
    resource = add_link(cast.coordinator, cast.institutions["MOI"])
    sign_in(client, cast.coordinator)
    answer = client.post(
        f"/library/{resource.pk}/edit/",
        form(link=resource.link, upload=SimpleUploadedFile("talk.mp4", mp4())),
    )
    assert answer.status_code == 302
    resource.refresh_from_db()
    assert resource.is_file and resource.link == "" and resource.content_type == "video/mp4"
    entry = AuditEntry.objects.get(action="library.resource_changed")
    assert entry.detail["replaced"] is True
