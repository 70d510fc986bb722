"""A head of the audit trail kept outside the database catches a history rewritten with every
hash recomputed, which the chain alone cannot (issue 10)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import audit_actions as acts
from core.audit import record, verify_chain
from core.models import AuditEntry
from core.tasks import record_audit_head_nightly
from lib.auditchain import GENESIS_HASH, InvalidHead, parse_head, parse_head_file
from neurodaraja.testing.audit import tamper


@pytest.fixture
def head_file(settings, tmp_path) -> Path:
    settings.AUDIT_HEAD_FILE = tmp_path / "elsewhere" / "audit-heads.txt"
    return settings.AUDIT_HEAD_FILE


@pytest.fixture
def entries(cast):
    for _ in range(3):
        record(acts.SIGNED_IN, actor=cast.referrer, target=cast.referrer)
    return AuditEntry.objects.order_by("id")


def rewrite_history_from(entry_id: int) -> None:
    """What someone with the database can do: change an entry, then recompute every hash after it
    (the guard switched off inside the test's transaction, so it is back afterwards)."""
    previous = AuditEntry.objects.filter(id__lt=entry_id).order_by("-id").first()
    previous_hash = previous.entry_hash if previous else GENESIS_HASH
    updates: list[tuple[str, str, str, int]] = []
    for entry in AuditEntry.objects.filter(id__gte=entry_id).order_by("id"):
        label = "someone.else@example.test" if entry.id == entry_id else entry.actor_label
        fields = dataclasses.replace(entry.chain_fields(), previous_hash=previous_hash, actor_label=label)
        updates.append((label, previous_hash, fields.digest(), entry.id))
        previous_hash = fields.digest()
    tamper(
        "UPDATE core_auditentry SET actor_label = %s, previous_hash = %s, entry_hash = %s WHERE id = %s",
        *updates,
    )


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_chain", *args, stdout=out)
    return out.getvalue()


# --- the command ------------------------------------------------------------------------------


def test_a_rewritten_history_passes_the_chain_alone_but_not_the_recorded_head(entries, head_file):
    assert record_audit_head_nightly.call() is True
    rewrite_history_from(entries[1].id)

    assert verify_chain()[1] is None  # the chain by itself cannot tell
    assert "Audit chain intact" in run()
    with pytest.raises(CommandError, match="was rewritten") as caught:
        run("--against", str(head_file))
    assert f"entry {entries.last().id}" in str(caught.value)


def test_a_head_typed_from_the_email_catches_the_rewrite_too(entries, head_file):
    head = entries.last()
    typed = f"{head.id}:{head.entry_hash}"
    assert "All 1 recorded heads are still on the chain" in run("--head", typed)
    rewrite_history_from(entries.first().id)
    with pytest.raises(CommandError, match=f"--head 1: entry {head.id} no longer has the hash"):
        run("--head", typed)


def test_an_untouched_trail_matches_every_recorded_head(entries, head_file):
    assert record_audit_head_nightly.call() is True
    record(acts.SIGNED_OUT, actor=entries.first().actor)
    assert record_audit_head_nightly.call() is True
    output = run("--against", str(head_file))
    assert "Audit chain intact" in output
    assert "All 2 recorded heads are still on the chain" in output


def test_entries_removed_from_the_end_are_caught_by_the_head(entries, head_file):
    assert record_audit_head_nightly.call() is True
    last = entries.last()
    tamper("DELETE FROM core_auditentry WHERE id = %s", [last.id])
    assert "Audit chain intact" in run()  # a shorter chain is still a chain
    with pytest.raises(CommandError, match=f"entry {last.id} .* is no longer in the trail"):
        run("--against", str(head_file))


def test_a_missing_head_file_is_said_plainly(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read the head file .*nowhere.txt"):
        run("--against", str(tmp_path / "nowhere.txt"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no recorded head"),
        ("2026-12-01T00:00:00+00:00 12:abc\n", "Line 1 is not a recorded head: expected ENTRY_ID:HASH"),
        (f"yesterday 12:{'a' * 64}\n", "Line 1 does not start with a time"),
        (f"2026-12-01T00:00:00+00:00 1:{'a' * 64}\nnonsense\n", "Line 2 is not a recorded head"),
    ],
)
def test_a_garbled_head_file_is_said_plainly(db, tmp_path, content, message):
    path = tmp_path / "heads.txt"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        run("--against", str(path))


def test_a_garbled_head_on_the_command_line_is_said_plainly(db):
    with pytest.raises(CommandError, match="--head 1 is not a recorded head"):
        run("--head", "12-abcdef")


# --- the nightly job --------------------------------------------------------------------------


def test_each_night_appends_one_line_and_emails_the_head_to_the_administrators(
    entries, head_file, monkeypatch
):
    head_file.parent.mkdir(parents=True)
    head_file.write_text("# heads of the NeuroDaraja audit trail\n")
    modes = []
    real_open = Path.open

    def spy(self, mode="r", *args, **kwargs):
        if self == head_file:
            modes.append(mode)
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    mail.outbox.clear()

    assert record_audit_head_nightly.call() is True
    record(acts.SIGNED_OUT, actor=entries.first().actor)
    assert record_audit_head_nightly.call() is True

    lines = head_file.read_text().splitlines()
    assert lines[0] == "# heads of the NeuroDaraja audit trail"  # never rewritten
    heads = parse_head_file(head_file.read_text())
    newest = AuditEntry.objects.order_by("-id").first()
    assert [(h.entry_id, h.entry_hash) for h in heads][-1] == (newest.id, newest.entry_hash)
    assert len(lines) == 3
    assert {mode for mode in modes if set(mode) & set("wax+")} == {"a"}  # appended to, never rewritten
    assert [message.to for message in mail.outbox] == [["admin@example.test"]] * 2
    assert f"{newest.id}:{newest.entry_hash}" in mail.outbox[-1].body
    assert f"verify_audit_chain --head {newest.id}:{newest.entry_hash}" in mail.outbox[-1].body


def test_the_nightly_job_alerts_and_writes_nothing_when_a_recorded_head_no_longer_matches(entries, head_file):
    assert record_audit_head_nightly.call() is True
    before = head_file.read_text()
    rewrite_history_from(entries[1].id)
    mail.outbox.clear()

    assert record_audit_head_nightly.call() is False

    assert head_file.read_text() == before
    assert [message.to for message in mail.outbox] == [["admin@example.test"]]
    assert "failed its integrity check" in mail.outbox[0].subject


def test_a_head_file_that_cannot_be_read_is_left_alone_but_the_head_is_still_emailed(entries, head_file):
    head_file.parent.mkdir(parents=True)
    head_file.write_text("garbage\n")
    mail.outbox.clear()
    assert record_audit_head_nightly.call() is False
    assert head_file.read_text() == "garbage\n"
    newest = entries.last()
    assert [message.to for message in mail.outbox] == [["admin@example.test"]]
    assert f"{newest.id}:{newest.entry_hash}" in mail.outbox[0].body


def test_a_head_file_that_cannot_be_written_fails_the_job_but_the_head_is_still_emailed(
    entries, settings, tmp_path
):
    (tmp_path / "not-a-folder").write_text("")
    settings.AUDIT_HEAD_FILE = tmp_path / "not-a-folder" / "audit-heads.txt"
    mail.outbox.clear()
    assert record_audit_head_nightly.call() is False
    newest = entries.last()
    assert [message.to for message in mail.outbox] == [["admin@example.test"]]
    assert f"{newest.id}:{newest.entry_hash}" in mail.outbox[0].body


@pytest.mark.parametrize("language", ["sw", "zh-hans"])
def test_the_head_email_is_in_the_administrators_language(entries, head_file, cast, language):
    cast.admin.preferred_language = language
    cast.admin.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    record_audit_head_nightly.call()
    message = mail.outbox[0]
    english = "Keep this e-mail outside the platform"
    assert english not in message.body
    assert "verify_audit_chain --head" in message.body
    assert message.subject and "tonight's head" not in message.subject


# --- the pure part ----------------------------------------------------------------------------


def test_a_head_is_an_id_a_colon_and_a_full_sha256():
    head = parse_head(f" 42:{'AB' * 32} ")
    assert (head.entry_id, head.entry_hash) == (42, "ab" * 32)
    for bad in ["42", f"x:{'a' * 64}", f"42:{'a' * 63}", f"-1:{'a' * 64}", f"42:{'g' * 64}"]:
        with pytest.raises(InvalidHead):
            parse_head(bad)
