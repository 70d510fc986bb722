"""The DICOM node's side in Django: who may send, the audit of refusals, and the worker's ingest
of a spool folder that an association left (see imaging/node.py for the network side)."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from pynetdicom.association import Association

from accounts.models import Institution
from core.audit import AuditAction, record
from imaging.audit_actions import REFUSED_SENDER, record_received
from imaging.ingest import IngestError, Refusal
from imaging.models import DicomSender, Instance, Study
from imaging.node import (
    SPOOL_META,
    Node,
    SetAside,
    forget_tries,
    note_failed_try,
    remove_spool_folder,
    set_aside_failed,
    set_aside_list,
    spool_meta,
    spooled_files,
)
from imaging.services import Batch, receive

logger = logging.getLogger(__name__)

# Declared here, beside the only code that records it, until imaging/audit_actions.py takes it.
NODE_FILE_SET_ASIDE = AuditAction(
    "imaging.node_file_set_aside", _("DICOM node file set aside after failing every try")
)
P = ParamSpec("P")
R = TypeVar("R")


def spool_root() -> Path:
    return Path(settings.IMAGING_INCOMING_ROOT) / "node"


def refused_root() -> Path:
    return Path(settings.IMAGING_INCOMING_ROOT) / "node-refused"


def failed_root() -> Path:
    """Beside the spool: objects that failed every try, each with its reason in a side file."""
    return Path(settings.IMAGING_INCOMING_ROOT) / "node-failed"


def max_tries() -> int:
    return int(settings.DICOM_NODE_MAX_TRIES)


def set_aside_files() -> list[SetAside]:
    """The objects the node gave up on, the latest first (shown to administrators)."""
    return set_aside_list(failed_root())


def _closes_connection(function: Callable[P, R]) -> Callable[P, R]:
    """Each association has its own short-lived thread: close the database connection it
    opened, or every association would leave one behind."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            if isinstance(threading.current_thread(), Association):
                connections.close_all()

    return wrapper


@_closes_connection
def allowed_senders() -> dict[str, int]:
    """{calling AE title: institution id} of the senders allowed now (read per association, so
    a sender added or disabled in the admin counts at once)."""
    return {
        ae_title.strip(): institution_id
        for ae_title, institution_id in DicomSender.objects.filter(is_active=True).values_list(
            "ae_title", "institution_id"
        )
    }


@_closes_connection
def audit_refused_sender(ae_title: str, host: str, port: int) -> None:
    record(REFUSED_SENDER, detail={"ae_title": ae_title[:16], "peer_host": host, "peer_port": port})


@_closes_connection
def enqueue_ingest(folder: Path, calling_ae: str) -> None:
    ingest_node_spool.enqueue(str(folder), calling_ae)


def production_node(ae_title: str | None = None) -> Node:
    """The node as `manage.py dicom_node` runs it: senders from the database, refusals in the
    audit trail, finished associations ingested by the worker."""
    return Node(
        ae_title=ae_title or settings.DICOM_NODE_AE_TITLE,
        spool_root=spool_root(),
        senders=allowed_senders,
        on_complete=enqueue_ingest,
        on_refused=audit_refused_sender,
    )


@task()
def ingest_node_spool(folder: str, calling_ae: str) -> dict[str, int]:
    return ingest_spool(Path(folder), calling_ae)


def ingest_spool(folder: Path, calling_ae: str) -> dict[str, int]:
    """De-identify and store every object of a spool folder, one batch per patient.

    Stored objects and resends of stored ones leave the spool; refused ones go to node-refused
    with their refusal code in their name; any other failure leaves the object in the spool for
    the next try, up to `max_tries()` tries, after which it goes to node-failed with its reason
    (counted with the refused). Running twice on the same folder is harmless (resends are
    deduplicated).
    """
    outcome = {"stored": 0, "duplicates": 0, "refused": 0, "kept": 0}
    if folder.resolve().parent != spool_root().resolve():
        raise ValueError("not a spool folder of the DICOM node")
    if not folder.is_dir():
        return outcome  # already ingested (a task delivered twice, or re-queued at a start)
    institution = _institution(folder, calling_ae)
    if institution is None:
        logger.error("spool folder %s: no institution for %s; left in the spool", folder.name, calling_ae)
        outcome["kept"] = len(spooled_files(folder))
        return outcome
    batches: list[Batch] = []

    def new_batch() -> Batch:
        return Batch(institution=institution, source=Study.Source.NODE, received_from=calling_ae)

    for path in spooled_files(folder):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue  # taken by another run of this task
        try:
            instance = _receive_for_its_patient(batches, new_batch, data, path.name)
        except IngestError as error:
            _set_aside(folder, path, error.refusal)
            forget_tries(path)
            outcome["refused"] += 1
            continue
        except Exception as error:
            if _give_up_after_tries(folder, path, calling_ae, institution, error):
                outcome["refused"] += 1
            else:
                outcome["kept"] += 1
            continue
        outcome["stored" if instance is not None else "duplicates"] += 1
        path.unlink(missing_ok=True)
        forget_tries(path)
    remove_spool_folder(folder)
    _audit_received(batches, institution, calling_ae)
    logger.info(
        "spool folder %s from %s: %d stored, %d already held, %d refused, %d kept for a later try",
        folder.name,
        calling_ae,
        outcome["stored"],
        outcome["duplicates"],
        outcome["refused"],
        outcome["kept"],
    )
    return outcome


def _institution(folder: Path, calling_ae: str) -> Institution | None:
    # The institution the sender belonged to when it sent, as the node wrote it down.
    recorded = (spool_meta(folder) or {}).get("institution_id")
    institution = Institution.objects.filter(pk=recorded).first() if isinstance(recorded, int) else None
    if institution is None:
        sender = DicomSender.objects.select_related("institution").filter(ae_title=calling_ae).first()
        institution = sender.institution if sender else None
    return institution


def _receive_for_its_patient(
    batches: list[Batch], new_batch: Callable[[], Batch], data: bytes, name: str
) -> Instance | None:
    """An association may carry several patients: try the batch of each patient seen so far
    (the last one used first), and start a new batch for a patient not seen yet."""
    for batch in list(batches):
        try:
            instance = receive(batch, data, name)
        except IngestError as error:
            if error.refusal is Refusal.ANOTHER_PATIENT:
                continue
            raise
        batches.remove(batch)
        batches.insert(0, batch)
        return instance
    batch = new_batch()
    batches.insert(0, batch)
    return receive(batch, data, name)


def _give_up_after_tries(
    folder: Path, path: Path, calling_ae: str, institution: Institution, error: Exception
) -> bool:
    """Count a failed try; after the last one, move the object to node-failed, audited. True if
    it was moved."""
    reason = type(error).__name__  # the kind only: a DICOM library's message may quote the header
    try:
        tries = note_failed_try(path)
    except OSError:
        tries = 0  # the count cannot be written: keep trying rather than lose the object
    if tries < max_tries():
        logger.error(
            "spool folder %s: %s could not be stored (%s), try %d of %d; kept for a later try",
            folder.name,
            path.name,
            reason,
            tries,
            max_tries(),
        )
        return False
    aside = SetAside(
        folder=folder.name,
        file=path.name,
        calling_ae=calling_ae[:16],
        reason=reason,
        tries=tries,
        set_aside_at=timezone.now(),
    )
    set_aside_failed(folder, path, failed_root(), aside)
    logger.error(
        "spool folder %s: %s failed %d times (%s); moved to node-failed",
        folder.name,
        path.name,
        tries,
        reason,
    )
    try:
        record(
            NODE_FILE_SET_ASIDE,
            institution=institution,
            detail={"sender": aside.calling_ae, "file": aside.path, "reason": reason, "tries": tries},
        )
    except Exception:
        # The failure may be the database's own; the object is safe in node-failed either way.
        logger.exception("spool folder %s: setting %s aside could not be audited", folder.name, path.name)
    return True


def _set_aside(folder: Path, path: Path, refusal: Refusal) -> None:
    """Keep a refused object where an operator can look at it: nothing received is lost."""
    target = refused_root() / folder.name
    target.mkdir(parents=True, exist_ok=True)
    if not (target / SPOOL_META).exists() and (folder / SPOOL_META).exists():
        shutil.copyfile(folder / SPOOL_META, target / SPOOL_META)  # says who sent it
    shutil.move(path, target / f"{path.stem}-{refusal.value}.dcm")
    # The refusal code only: the object's header may hold anything.
    logger.warning(
        "spool folder %s: %s refused (%s), moved to node-refused", folder.name, path.name, refusal.value
    )


def _audit_received(batches: list[Batch], institution: Institution, calling_ae: str) -> None:
    record_received(
        (instance for batch in batches for instance in batch.stored),
        source=Study.Source.NODE.value,
        institution=institution,
        sender=calling_ae[:16],
    )
