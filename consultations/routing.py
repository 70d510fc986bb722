"""Chooses consultants for a case: on call, right subspecialty, shared language, least busy.

Plain Python: the caller gathers candidates from the database and rosters; this module only
orders them, so the rule can be read and tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    consultant_id: int
    subspecialties: frozenset[str]
    languages: frozenset[str]
    on_call: bool
    open_cases: int
    in_home_country: bool  # works where the patient is (Tanzanian consultants)


@dataclass(frozen=True)
class Need:
    subspecialties: frozenset[str]  # any of these fits the case's category
    language: str  # the referrer's language
    home_country_first: bool = False
    exclude: frozenset[int] = field(default_factory=frozenset)  # already asked (escalation)


def rank(candidates: Iterable[Candidate], need: Need) -> list[Candidate]:
    """Best first. Order of what matters: on call now, subspecialty, (home country first when
    that setting is on), shared language, fewest open cases, then a stable id order."""

    def sort_key(candidate: Candidate) -> tuple[int, int, int, int, int, int]:
        fits = not need.subspecialties or bool(candidate.subspecialties & need.subspecialties)
        speaks = need.language in candidate.languages
        home = candidate.in_home_country if need.home_country_first else False
        return (
            0 if candidate.on_call else 1,
            0 if fits else 1,
            0 if home or not need.home_country_first else 1,
            0 if speaks else 1,
            candidate.open_cases,
            candidate.consultant_id,
        )

    eligible = [c for c in candidates if c.consultant_id not in need.exclude]
    return sorted(eligible, key=sort_key)


def choose(candidates: Iterable[Candidate], need: Need) -> Candidate | None:
    ranked = rank(candidates, need)
    return ranked[0] if ranked else None
