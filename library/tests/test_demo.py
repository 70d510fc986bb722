"""The demo loader adds a few synthetic resources, marked as demonstrations, once."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from accounts.demo import load_demo as load_people
from library.demo import load_demo
from library.models import Resource


@pytest.mark.django_db
def test_demo_resources_are_synthetic_marked_and_loaded_once():
    load_people()
    first = load_demo()
    assert "3 demonstration resources added" in first
    assert "0 demonstration resources added" in load_demo()
    resources = Resource.objects.all()
    assert resources.count() == 3 and all(r.is_demo and r.is_file and not r.link for r in resources)
    assert {r.language for r in resources} == {"en", "sw", "zh-hans"}
    for resource in resources:
        with resource.file.open("rb") as stored:
            text = PdfReader(stored).pages[0].extract_text().replace("\x00", "")
        assert "NeuroDaraja" in text  # the demonstration banner on the page itself
