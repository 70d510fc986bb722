"""The DICOM node: a C-STORE service that a CT scanner or a PACS sends studies to.

Plain Python (pynetdicom, no Django): which senders are allowed, what to do with a refusal and
what to do with a finished association are given to `Node` by its caller
(`manage.py dicom_node` wires the database, the audit trail and the worker; tests wire lists).

The network thread does as little as it can. Each object is written as it came, with its file
meta, to `<spool>/<association uuid>/<n>.dcm` and fsynced before the sender is told success, so
a success means the object is on disk. When the association ends, its folder is handed on
(`on_complete`) for the worker to de-identify and store; folders left by a node or worker that
stopped are handed on again when the node starts.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from pydicom.uid import (
    JPEG2000,
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    RLELossless,
)
from pynetdicom import AE, AllStoragePresentationContexts, evt
from pynetdicom.association import Association
from pynetdicom.events import Event
from pynetdicom.pdu_primitives import A_ASSOCIATE
from pynetdicom.sop_class import Verification  # type: ignore[attr-defined]
from pynetdicom.transport import ThreadedAssociationServer

from imaging import compression

logger = logging.getLogger(__name__)

# What scanners and PACS usually offer. Only those that the ingest can decode are accepted: a
# sender then falls back to another (every one offers implicit little endian), rather than being
# told "stored" for an object that the worker would have to refuse.
OFFERED_SYNTAXES = [
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    DeflatedExplicitVRLittleEndian,
    JPEGLSLossless,
    JPEG2000Lossless,
    RLELossless,
    JPEGLosslessSV1,
    JPEGLossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLSNearLossless,
    JPEG2000,
]
SPOOL_META = "association.json"
# Beside "<n>.dcm": how many times storing it failed for a reason other than a refusal.
TRIES = ".tries"

# DIMSE statuses (PS3.4 B.2.3, PS3.7 C).
SUCCESS = 0x0000
OUT_OF_RESOURCES = 0xA700
NOT_AUTHORISED = 0x0124

# A-ASSOCIATE-RJ (PS3.8 9.3.4): rejected permanent, by the service user; the reasons.
REJECTED_PERMANENT = 0x01
REJECTED_TRANSIENT = 0x02
SERVICE_USER = 0x01
NO_REASON = 0x01
CALLING_AE_NOT_RECOGNISED = 0x03

# {calling AE title: institution id} of the senders allowed now.
SendersProvider = Callable[[], Mapping[str, int]]
# (spool folder, calling AE title): the association is over, its objects are on disk.
OnComplete = Callable[[Path, str], None]
# (calling AE title, peer host, peer port): an association was refused for its calling AE.
OnRefused = Callable[[str, str, int], None]


def accepted_syntaxes() -> list[UID]:
    return [syntax for syntax in OFFERED_SYNTAXES if compression.can_decode(syntax)]


@dataclass
class _Session:
    """What the node knows about one accepted association."""

    calling_ae: str
    institution_id: int
    spool_root: Path
    folder: Path | None = None
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def open_folder(self) -> Path:
        if self.folder is None:
            folder = self.spool_root / str(uuid.uuid4())
            folder.mkdir(parents=True)
            # Written first, so a folder left by a crash still says whose objects it holds.
            meta = {"calling_ae": self.calling_ae, "institution_id": self.institution_id}
            try:
                _fsync_directory(self.spool_root)
                _write_durably(folder / SPOOL_META, json.dumps(meta).encode())
            except OSError:
                remove_spool_folder(folder)
                raise
            self.folder = folder
        return self.folder

    def spool(self, data: bytes) -> Path:
        folder = self.open_folder()
        return _write_durably(folder / f"{next(self.numbers)}.dcm", data)


def _write_durably(path: Path, data: bytes) -> Path:
    """Write, fsync, then rename into place: a file under its final name is whole."""
    part = path.with_name(path.name + ".part")
    try:
        with part.open("xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        part.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    _fsync_directory(path.parent)  # the rename itself must survive a power cut
    return path


def _fsync_directory(path: Path) -> None:
    directory = os.open(path, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def spool_meta(folder: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads((folder / SPOOL_META).read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def spooled_files(folder: Path) -> list[Path]:
    """The objects of a spool folder, in the order they were received."""
    return sorted(
        (path for path in folder.glob("*.dcm") if path.stem.isdigit()), key=lambda path: int(path.stem)
    )


def remove_spool_folder(folder: Path) -> bool:
    """Remove a spool folder that holds no object any more; False if one is still there."""
    if spooled_files(folder):
        return False
    for path in folder.glob("*.part"):
        path.unlink(missing_ok=True)  # never acknowledged: the sender sends it again
    for path in folder.glob(f"*{TRIES}"):
        path.unlink(missing_ok=True)  # the count of an object no longer there
    (folder / SPOOL_META).unlink(missing_ok=True)
    try:
        folder.rmdir()
    except FileNotFoundError:
        pass
    except OSError:
        return False  # something unexpected in it: left for an operator
    return True


def leftover_spools(spool_root: Path) -> list[tuple[Path, str]]:
    """(folder, calling AE) of every spool folder still holding objects; empty ones are removed.
    Only while no association is open: at the node's start."""
    found = []
    for folder in sorted(spool_root.glob("*")) if spool_root.is_dir() else []:
        if not folder.is_dir():
            continue
        if remove_spool_folder(folder):
            continue  # it held nothing that a sender was told was stored
        meta = spool_meta(folder)
        if meta is None or not isinstance(meta.get("calling_ae"), str):
            logger.error(
                "spool folder %s holds objects but not its sender; left for an operator", folder.name
            )
            continue
        found.append((folder, meta["calling_ae"]))
    return found


# --- Objects that fail every time ---------------------------------------------------------------


def tries_of(path: Path) -> int:
    try:
        return int(path.with_suffix(TRIES).read_text())
    except (OSError, ValueError):
        return 0


def note_failed_try(path: Path) -> int:
    """Count one more failed try of a spooled object; returns the count."""
    tries = tries_of(path) + 1
    _write_durably_replacing(path.with_suffix(TRIES), str(tries).encode())
    return tries


def forget_tries(path: Path) -> None:
    path.with_suffix(TRIES).unlink(missing_ok=True)


def _write_durably_replacing(path: Path, data: bytes) -> None:
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    _write_durably(path, data)


@dataclass(frozen=True)
class SetAside:
    """An object moved out of the spool after failing `tries` times, and why (the kind of
    failure only: a library's message may quote the header)."""

    folder: str
    file: str
    calling_ae: str
    reason: str
    tries: int
    set_aside_at: datetime

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.file}"


def set_aside_failed(folder: Path, path: Path, target_root: Path, aside: SetAside) -> Path:
    """Move a spooled object that keeps failing to `target_root/<folder>/`, with its reason in
    `<n>.json` beside it, so the node stops retrying it and an operator can see why (and move
    it back into the spool to try again)."""
    target = target_root / folder.name
    target.mkdir(parents=True, exist_ok=True)
    if not (target / SPOOL_META).exists() and (folder / SPOOL_META).exists():
        shutil.copyfile(folder / SPOOL_META, target / SPOOL_META)  # says who sent it
    reason = {
        "file": aside.file,
        "calling_ae": aside.calling_ae,
        "reason": aside.reason,
        "tries": aside.tries,
        "set_aside_at": aside.set_aside_at.isoformat(),
    }
    _write_durably_replacing(target / f"{path.stem}.json", json.dumps(reason).encode())
    moved = Path(shutil.move(path, target / path.name))
    _fsync_directory(target)
    forget_tries(path)
    return moved


def set_aside_list(target_root: Path) -> list[SetAside]:
    """What was set aside under `target_root`, the latest first."""
    found = []
    for reason_file in target_root.glob("*/*.json") if target_root.is_dir() else []:
        if reason_file.name == SPOOL_META:
            continue
        try:
            reason = json.loads(reason_file.read_text())
            found.append(
                SetAside(
                    folder=reason_file.parent.name,
                    file=str(reason["file"]),
                    calling_ae=str(reason["calling_ae"]),
                    reason=str(reason["reason"]),
                    tries=int(reason["tries"]),
                    set_aside_at=datetime.fromisoformat(reason["set_aside_at"]),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            logger.error("set-aside reason %s/%s cannot be read", reason_file.parent.name, reason_file.name)
    return sorted(found, key=lambda aside: aside.set_aside_at, reverse=True)


class Node:
    """The node's application entity and its event handlers."""

    def __init__(
        self,
        *,
        ae_title: str,
        spool_root: Path,
        senders: SendersProvider,
        on_complete: OnComplete,
        on_refused: OnRefused,
    ) -> None:
        self.ae_title = ae_title.strip()
        self.spool_root = spool_root
        self.senders = senders
        self.on_complete = on_complete
        self.on_refused = on_refused
        self._sessions: dict[Association, _Session] = {}
        self._lock = threading.Lock()
        self._server: ThreadedAssociationServer | None = None

        self.ae = AE(ae_title=self.ae_title)
        self.ae.require_called_aet = True
        syntaxes = accepted_syntaxes()
        for context in AllStoragePresentationContexts:
            if context.abstract_syntax is not None:
                self.ae.add_supported_context(context.abstract_syntax, syntaxes)
        self.ae.add_supported_context(Verification, [ExplicitVRLittleEndian, ImplicitVRLittleEndian])
        # pynetdicom's DEBUG lines carry the original UIDs and its INFO lines one per image: the
        # node logs what an operator needs itself.
        pynetdicom_log = logging.getLogger("pynetdicom")
        if pynetdicom_log.getEffectiveLevel() < logging.WARNING:
            pynetdicom_log.setLevel(logging.WARNING)

    @property
    def handlers(self) -> list[Any]:
        return [
            (evt.EVT_REQUESTED, self._on_requested),
            (evt.EVT_C_STORE, self._on_store),
            (evt.EVT_RELEASED, self._on_end),
            (evt.EVT_ABORTED, self._on_end),
        ]

    def start(self, host: str = "", port: int = 11112) -> tuple[str, int]:
        """Hand on what an earlier run left, then listen (in a thread); returns (host, port)."""
        for folder, calling_ae in leftover_spools(self.spool_root):
            logger.info("re-queuing spool folder %s from %s", folder.name, calling_ae)
            self._hand_on(folder, calling_ae)
        server = cast(
            ThreadedAssociationServer,
            self.ae.start_server((host, port), block=False, evt_handlers=self.handlers),
        )
        self._server = server
        bound_host, bound_port = server.server_address[:2]
        return str(bound_host), int(bound_port)

    def stop(self) -> None:
        """Stop listening, then abort the associations under way (their folders are handed on).
        Refused ones are left to close by themselves: aborting them breaks pynetdicom's state
        machine."""
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        for assoc in self.ae.active_associations:
            if assoc.is_established:
                assoc.abort()

    def _on_requested(self, event: Event) -> None:
        """Decide on an association before it is negotiated: the calling AE must be allowed."""
        assoc = event.assoc
        request = cast(A_ASSOCIATE, assoc.requestor.primitive)  # set before this event fires
        calling = str(request.calling_ae_title).strip()
        called = str(request.called_ae_title).strip()
        host, port = str(assoc.requestor.address), int(assoc.requestor.port)
        if called != self.ae_title:
            # pynetdicom answers "called AE title not recognised" (require_called_aet).
            logger.warning(
                "association from %s at %s:%s refused: called AE title %r is not %r",
                calling,
                host,
                port,
                called,
                self.ae_title,
            )
            return
        try:
            allowed = dict(self.senders())
        except Exception:
            # Fail closed, and transiently: the sender will try again.
            logger.exception("could not read the allowed DICOM senders; association from %s refused", calling)
            assoc.acse.send_reject(REJECTED_TRANSIENT, SERVICE_USER, NO_REASON)
            assoc.kill()
            return
        institution_id = allowed.get(calling)
        if institution_id is None:
            logger.warning(
                "association from %s at %s:%s refused: calling AE title not recognised", calling, host, port
            )
            try:
                self.on_refused(calling, host, port)
            except Exception:
                logger.exception("could not record the refusal of %s", calling)
            assoc.acse.send_reject(REJECTED_PERMANENT, SERVICE_USER, CALLING_AE_NOT_RECOGNISED)
            # As pynetdicom does for its own rejections: wait until the peer has the answer.
            assoc.kill()
            return
        with self._lock:
            self._sessions[assoc] = _Session(calling, institution_id, self.spool_root)

    def _on_store(self, event: Event) -> int:
        with self._lock:
            session = self._sessions.get(event.assoc)
        if session is None:
            return NOT_AUTHORISED  # never accepted by _on_requested: refuse rather than trust
        try:
            session.spool(event.encoded_dataset())
        except OSError as error:
            # The sender keeps the object and may try again; nothing was acknowledged.
            logger.error("could not spool an object from %s: %s", session.calling_ae, error.strerror)
            return OUT_OF_RESOURCES
        return SUCCESS

    def _on_end(self, event: Event) -> None:
        with self._lock:
            session = self._sessions.pop(event.assoc, None)
        if session is None or session.folder is None:
            return
        count = len(spooled_files(session.folder))
        logger.info(
            "association from %s ended: %d objects in %s", session.calling_ae, count, session.folder.name
        )
        if count:
            self._hand_on(session.folder, session.calling_ae)
        else:  # every write failed: the sender still holds everything
            remove_spool_folder(session.folder)

    def _hand_on(self, folder: Path, calling_ae: str) -> None:
        try:
            self.on_complete(folder, calling_ae)
        except Exception:
            # The objects stay on disk; the next start hands the folder on again.
            logger.exception(
                "could not hand on spool folder %s; it will be retried at the next start", folder.name
            )


__all__ = [
    "OFFERED_SYNTAXES",
    "SPOOL_META",
    "Node",
    "OnComplete",
    "OnRefused",
    "SendersProvider",
    "SetAside",
    "accepted_syntaxes",
    "forget_tries",
    "leftover_spools",
    "note_failed_try",
    "remove_spool_folder",
    "set_aside_failed",
    "set_aside_list",
    "spool_meta",
    "spooled_files",
    "tries_of",
]
