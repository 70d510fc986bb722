"""The library's JSON API: resources listed, filtered and searched as on the page, one resource,
its file; the glossary searched in any language; bad filters refused with 422."""

from __future__ import annotations

from library.tests.files import add_file, add_link
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import Personas


def test_resources_are_filtered_and_searched(cast: Personas):
    moi = cast.institutions["MOI"]
    add_link(cast.coordinator, moi, title="Shunt follow-up", topic="hydrocephalus", language="sw")
    pdf = add_file(cast.coordinator, moi, title="Head injury pathway")
    client = bearer_client(cast.trainee)
    everything = call(client, "get", "/library/resources").json()
    assert everything["count"] == 2
    found = call(client, "get", "/library/resources?topic=hydrocephalus&language=sw&q=SHUNT").json()
    assert [item["title"] for item in found["items"]] == ["Shunt follow-up"]
    one = call(client, "get", f"/library/resources/{pdf.pk}").json()
    assert (
        one["content_type"] == "application/pdf"
        and one["file_url"] == f"/api/v1/library/resources/{pdf.pk}/file"
    )
    download = client.get(one["file_url"])
    assert download.status_code == 200 and download.getvalue().startswith(b"%PDF-")


def test_a_bad_filter_is_refused_by_name(cast: Personas):
    answer = call(bearer_client(cast.trainee), "get", "/library/resources?language=fr")
    assert answer.status_code == 422 and "language" in answer.content.decode()


def test_the_glossary_is_searched_in_any_language_exact_first(cast: Personas):
    client = bearer_client(cast.consultant_china)
    terms = call(client, "get", "/library/glossary?q=脑积水").json()
    assert terms[0]["term_en"] == "hydrocephalus" and terms[0]["topic_label"]
    assert (
        call(client, "get", "/library/glossary?q=shunt").json()[0]["term_en"] == "ventriculoperitoneal shunt"
    )


def test_the_openapi_description_lists_the_library(cast: Personas):
    schema = call(bearer_client(cast.trainee), "get", "/openapi.json").json()
    assert {"/api/v1/library/resources", "/api/v1/library/glossary"} <= set(schema["paths"])
