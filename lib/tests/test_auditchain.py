"""The hash chain and the detail rules, on their own (no database)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from lib.auditchain import GENESIS_HASH, ChainFields, InvalidDetail, check_detail, find_first_break


def chain(length: int) -> list[tuple[int, ChainFields, str]]:
    rows, previous = [], GENESIS_HASH
    start = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    for number in range(1, length + 1):
        fields = ChainFields(
            previous_hash=previous,
            created_at=start + timedelta(seconds=number),
            actor_id=number,
            actor_label=f"user{number}@example.test",
            action="accounts.signed_in",
            object_type="accounts.user",
            object_id=str(number),
            institution_id=None,
            ip_address="10.0.0.1",
            detail={"known_account": True},
        )
        digest = fields.digest()
        rows.append((number, fields, digest))
        previous = digest
    return rows


def test_an_intact_chain_verifies():
    assert find_first_break(chain(5)) is None
    assert find_first_break([]) is None


def test_an_altered_entry_is_found():
    rows = chain(5)
    number, fields, digest = rows[2]
    rows[2] = (number, replace(fields, action="accounts.deactivated"), digest)
    broken = find_first_break(rows)
    assert broken is not None and broken.entry_id == 3
    assert "altered" in broken.reason


def test_a_removed_entry_is_found_at_the_next_one():
    rows = chain(5)
    del rows[1]
    broken = find_first_break(rows)
    assert broken is not None and broken.entry_id == 3
    assert "removed" in broken.reason


def test_a_rehashed_forgery_still_breaks_the_link_after_it():
    rows = chain(4)
    number, fields, _digest = rows[1]
    forged = replace(fields, actor_label="someone.else@example.test")
    rows[1] = (number, forged, forged.digest())
    broken = find_first_break(rows)
    assert broken is not None and broken.entry_id == 3


def test_hash_depends_on_every_field():
    _number, fields, digest = chain(1)[0]
    for change in [
        {"actor_id": 99},
        {"ip_address": "10.0.0.2"},
        {"detail": {"known_account": False}},
        {"created_at": fields.created_at + timedelta(microseconds=1)},
        {"institution_id": 3},
    ]:
        assert replace(fields, **change).digest() != digest, change


def test_detail_keeps_small_plain_values():
    assert check_detail({"roles": ["consultant"], "count": 2, "ok": True, "note": None}) == {
        "roles": ["consultant"],
        "count": 2,
        "ok": True,
        "note": None,
    }


@pytest.mark.parametrize(
    "detail",
    [
        {"patient_name": "Juma"},
        {"phone": "+255700000000"},
        {"date_of_birth": "2001-01-01"},
        {"nested": {"a": 1}},
        {"ratio": 0.5},
        {"Bad Key": 1},
        {"text": "x" * 3000},
    ],
)
def test_detail_refuses_identifiers_nesting_and_bulk(detail):
    with pytest.raises(InvalidDetail):
        check_detail(detail)
