"""What the library accepts as a file: a PDF, a PPTX deck or an MP4 video, whole and as named."""

import io

import pytest

from library.tests.files import box, docx, mp4, pdf, pptx
from library.uploads import MP4, PDF, PPTX, Problem, RejectedFile, check

MB = 1024 * 1024


def problem(name: str, content: bytes, max_bytes: int = 10 * MB) -> Problem:
    with pytest.raises(RejectedFile) as refused:
        check(name, io.BytesIO(content), max_bytes=max_bytes)
    return refused.value.problem


def test_the_three_kinds_are_accepted_with_their_size_and_checksum():
    for name, content, kind in [("a.pdf", pdf(), PDF), ("b.pptx", pptx(), PPTX), ("c.mp4", mp4(), MP4)]:
        checked = check(name, io.BytesIO(content), max_bytes=10 * MB)
        assert (checked.content_type, checked.size) == (kind, len(content))
        assert len(checked.sha256) == 64


def test_a_file_that_is_not_what_its_name_says_is_refused():
    assert problem("slides.pptx", pdf()) is Problem.MISMATCH
    assert problem("protocol.pdf", b"MZ\x90\x00 an executable") is Problem.MISMATCH
    assert problem("letter.pptx", docx()) is Problem.MISMATCH  # a zip, but not a deck


def test_other_kinds_are_refused_as_unsupported():
    assert problem("run.exe", b"MZ\x90\x00 an executable") is Problem.UNSUPPORTED
    assert problem("photo.jpg", pdf()) is Problem.UNSUPPORTED
    quicktime = box(b"ftyp", b"qt  \x00\x00\x00\x00qt  ") + box(b"moov", b"")
    assert problem("clip.mp4", quicktime) is Problem.UNSUPPORTED


def test_empty_oversized_and_cut_off_files_are_refused():
    assert problem("a.pdf", b"") is Problem.EMPTY
    assert problem("a.pdf", pdf(), max_bytes=100) is Problem.TOO_LARGE
    assert problem("a.pdf", pdf()[:-200]) is Problem.DAMAGED
    assert problem("a.mp4", mp4()[:-10]) is Problem.DAMAGED
    assert problem("a.mp4", box(b"ftyp", b"isom\x00\x00\x02\x00isom") + box(b"mdat", b"x")) is Problem.DAMAGED
    assert problem("a.pptx", pptx()[:40]) is Problem.DAMAGED
