"""Small real files for the library's tests: a PDF, a PowerPoint deck and an MP4 video, built
here so their structure is known, and resources made through the real action."""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any

from accounts.models import Institution, User
from library import actions
from library.demo import demo_pdf
from library.models import Resource


def pdf(title: str = "Protocol") -> bytes:
    return demo_pdf(title, "en", ["A line."])


def pptx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as deck:
        deck.writestr("[Content_Types].xml", "<Types/>")
        deck.writestr("ppt/presentation.xml", "<p:presentation/>")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as document:
        document.writestr("[Content_Types].xml", "<Types/>")
        document.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4() -> bytes:
    return (
        box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
        + box(b"moov", b"\x00" * 32)
        + box(b"mdat", b"\x01" * 64)
    )


RESOURCE = {
    "kind": "protocol",
    "title": "Head injury pathway",
    "description": "Admission and referral.",
    "language": "en",
    "topic": "trauma",
}


def add_file(
    user: User, institution: Institution, content: bytes | None = None, name: str = "pathway.pdf", **data: Any
) -> Resource:
    content = pdf() if content is None else content
    return actions.add_resource(
        user,
        institution,
        {**RESOURCE, **data},
        upload=actions.Upload(name, io.BytesIO(content), len(content)),
    )


def add_link(
    user: User, institution: Institution, link: str = "https://example.org/guide", **data: Any
) -> Resource:
    return actions.add_resource(user, institution, {**RESOURCE, "kind": "guideline", **data}, link=link)
