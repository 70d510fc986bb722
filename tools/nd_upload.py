"""Send a patient's CT or MRI from a hospital PC to a NeuroDaraja case, resuming after any break.

    pip install "tuspy>=1.1,<2"          (or, in a checkout: pip install ".[uploader]")
    export ND_TOKEN=nd_...               (a personal API token, from "API tokens" in NeuroDaraja)
    python nd_upload.py --server https://neurodaraja.example --case ND-7K3Q  D:\\ E:\\export.zip

Give files, folders (a CD, a scanner export) or zip files. Each file goes by the tus resumable
protocol in 512 KB parts; where it stopped is remembered in ~/.nd_upload.json, so running the
same command again after a power cut or a dropped link continues where it stopped and never
sends a file twice. It runs without a browser, so it can be left running, or started again later
from a scheduled task. At the end it says, file by file, what was stored and what was skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

CHUNK = 512 * 1024
STATE = Path.home() / ".nd_upload.json"


def files_in(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found.append(path)
        else:
            print(f"not found: {name}", file=sys.stderr)
    return found


def api(server: str, token: str, method: str, path: str) -> dict:
    import requests  # installed with tuspy

    response = requests.request(
        method,
        server.rstrip("/") + path,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=60,
    )
    response.raise_for_status()
    return response.json() if response.content else {}


def batch_for(server: str, token: str, case: str) -> str:
    """One batch per case, kept across runs so that a resumed run adds to the same one."""
    state = json.loads(STATE.read_text()) if STATE.exists() else {}
    key = f"{server}|{case}"
    if key not in state.get("batches", {}):
        state.setdefault("batches", {})[key] = api(
            server, token, "POST", f"/api/v1/cases/{case}/upload-batches"
        )["id"]
        STATE.write_text(json.dumps(state))
    return state["batches"][key]


def send(server: str, token: str, case: str, batch: str, path: Path, retries: int) -> None:
    from tusclient import client as tus
    from tusclient.storage.filestorage import FileStorage

    storage = FileStorage(str(STATE.with_suffix(".urls")))
    uploader = tus.TusClient(
        server.rstrip("/") + "/api/v1/uploads/", headers={"Authorization": f"Bearer {token}"}
    ).uploader(
        str(path),
        chunk_size=CHUNK,
        metadata={"case": case, "filename": path.name, "batch": batch},
        store_url=True,
        url_storage=storage,
        retries=retries,
        retry_delay=10,
        upload_checksum=True,  # each part carries its SHA-1; a corrupted part is sent again
    )
    uploader.upload()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--server", required=True)
    parser.add_argument("--case", required=True, help="the case code, ND-…")
    parser.add_argument("--token", default=os.environ.get("ND_TOKEN", ""))
    parser.add_argument("--retries", type=int, default=30, help="retries per part on a broken link")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give --token or set ND_TOKEN")
    files = files_in(args.paths)
    try:
        batch = batch_for(args.server, args.token, args.case)
    except Exception as error:  # requests.HTTPError, a connection error: say it and stop
        response = getattr(error, "response", None)
        detail = f"{response.status_code} {response.text}" if response is not None else str(error)
        print(f"The server refused: {detail}", file=sys.stderr)
        return 2
    total = sum(p.stat().st_size for p in files)
    sent = 0
    for number, path in enumerate(files, 1):
        send(args.server, args.token, args.case, batch, path, args.retries)
        sent += path.stat().st_size
        print(f"[{number}/{len(files)}] {path.name}: sent ({sent / 1e6:.1f} of {total / 1e6:.1f} MB)")
    for _attempt in range(60):  # the server processes the last files after they arrive
        status = api(args.server, args.token, "GET", f"/api/v1/upload-batches/{batch}")
        if all(u["state"] in ("done", "failed") for u in status["uploads"]):
            break
        time.sleep(5)
    stored = sum(u["stored"] for u in status["uploads"])
    print(f"Stored {stored} image(s) on {status['case']}.")
    for upload in status["uploads"]:
        for skipped in upload["skipped"]:
            print(f"  skipped {skipped['name'] or upload['name']}: {skipped['message']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
