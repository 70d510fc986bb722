"""Matching and ranking words typed in any of the three languages (plain Python, no Django).

A search must find "hématome" from "hematome", "Craniotomy" from "craniotomy" and 脑积水 inside
"交通性脑积水": text is folded (accents removed, case folded, spaces squeezed) on both sides and
compared as a substring, which also serves Chinese (no word boundaries to rely on).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import IntEnum

_SPACES = re.compile(r"\s+")
# Hyphens and dashes are spelled both ways ("burr-hole", "burr hole"): compared as spaces.
_DASHES = re.compile(r"[\-\u2010-\u2015_/]+")
_NOTE = re.compile(r"\s*[(（][^)）]*[)）]\s*$")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: the form stored and searched."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", _DASHES.sub(" ", stripped.casefold())).strip()


def search_text(parts: Iterable[str]) -> str:
    """All the forms of a record joined, folded, one per line (so no match spans two forms)."""
    return "\n".join(fold(part) for part in parts if part and part.strip())


class Rank(IntEnum):
    """Lower is better: the whole term typed, then a term that starts with it, then anywhere."""

    EXACT = 0
    PREFIX = 1
    WORD = 2  # starts a word inside a term ("haematoma" in "extradural haematoma")
    INSIDE_TERM = 3
    IN_DEFINITION = 4
    NONE = 9


def rank(query: str, terms: Iterable[str], definitions: Iterable[str] = ()) -> Rank:
    """How well `query` matches a record whose names (every language, every "also said") are
    `terms` and whose definitions are `definitions`."""
    wanted = fold(query)
    if not wanted:
        return Rank.NONE
    best = Rank.NONE
    for term in (fold(t) for t in terms if t):
        for form in term.split("\n"):
            found = _rank_form(wanted, form)
            best = min(best, found)
    if best is Rank.NONE and any(wanted in fold(d) for d in definitions if d):
        return Rank.IN_DEFINITION
    return best


def _rank_form(wanted: str, form: str) -> Rank:
    # "Also said" fields may list several forms: "shunt; VP shunt" counts each.
    best = Rank.NONE
    # A note in brackets ("shunt (Kiingereza)") does not count against an exact match.
    for candidate in (_NOTE.sub("", c).strip() for c in re.split(r"[;,，；、]", form)):
        if not candidate:
            continue
        if candidate == wanted:
            return Rank.EXACT
        if candidate.startswith(wanted):
            best = min(best, Rank.PREFIX)
        elif re.search(rf"(^|[\s(]){re.escape(wanted)}", candidate):
            best = min(best, Rank.WORD)
        elif wanted in candidate:
            best = min(best, Rank.INSIDE_TERM)
    return best
