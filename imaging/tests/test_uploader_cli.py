"""The command-line uploader (tools/nd_upload.py, a real tus client) against a running server."""

from __future__ import annotations

import importlib.util

import pytest

from accounts.actions import create_api_token
from imaging.models import Instance, Upload
from imaging.tests.data import GE_HEAD_CT, needs_data
from imaging.tests.requests_to_django import route_requests_to_django
from tools_path import TOOLS

pytestmark = needs_data()
SERVER = "http://testserver"


def load_uploader(home):
    spec = importlib.util.spec_from_file_location("nd_upload", TOOLS / "nd_upload.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.STATE = home / ".nd_upload.json"
    return module


@pytest.fixture(autouse=True)
def folders(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMAGING_INCOMING_ROOT = tmp_path / "incoming"
    route_requests_to_django(monkeypatch)


def test_a_folder_is_sent_resumed_after_a_break_and_summarised(cast, make_case, tmp_path, capsys):
    case = make_case(send=True)
    _token, raw = create_api_token(cast.referrer, name="CT room PC", valid_days=30)
    uploader = load_uploader(tmp_path)
    folder = tmp_path / "export"
    folder.mkdir()
    for name in ("01.dcm", "02.dcm", "03.dcm"):
        (folder / name).write_bytes((GE_HEAD_CT / name).read_bytes())
    # First run breaks after one 512 KB part of the first file (the link dropped).
    batch = uploader.batch_for(SERVER, raw, case.code)
    from tusclient import client as tus
    from tusclient.storage.filestorage import FileStorage

    partial = tus.TusClient(SERVER + "/api/v1/uploads/", headers={"Authorization": f"Bearer {raw}"}).uploader(
        str(folder / "01.dcm"),
        chunk_size=100_000,
        metadata={"case": case.code, "filename": "01.dcm", "batch": batch},
        store_url=True,
        url_storage=FileStorage(str(uploader.STATE.with_suffix(".urls"))),
    )
    partial.upload_chunk()
    assert Upload.objects.get().offset == 100_000
    # Running the command again continues the same upload and sends the rest.
    assert uploader.main(["--server", SERVER, "--case", case.code, "--token", raw, str(folder)]) == 0
    assert Upload.objects.count() == 3  # the first file was resumed, not sent again
    assert Instance.objects.count() == 3
    assert f"Stored 3 image(s) on {case.code}." in capsys.readouterr().out


def test_a_wrong_token_is_refused_with_the_servers_reason(cast, make_case, tmp_path, capsys):
    case = make_case(send=True)
    uploader = load_uploader(tmp_path)
    code = uploader.main(
        ["--server", SERVER, "--case", case.code, "--token", "nd_wrong", str(GE_HEAD_CT / "01.dcm")]
    )
    assert code == 2 and "401" in capsys.readouterr().err
