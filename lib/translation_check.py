"""Checks a gettext catalogue: every entry translated, none fuzzy, placeholders intact.

Plain Python with polib; used by `manage.py check_translations` in CI.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib

# %(name)s, %s, %d, %% and {name} / {0}
_PRINTF = re.compile(r"%(?:\([a-zA-Z0-9_]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%")
_BRACE = re.compile(r"(?<!\{)\{[a-zA-Z0-9_]*\}(?!\})")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    msgid: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}: {self.msgid[:70]!r}"


def placeholders(text: str, entry: polib.POEntry) -> Counter[str]:
    found: Counter[str] = Counter(_PRINTF.findall(text))
    if "python-brace-format" in entry.flags:
        found.update(_BRACE.findall(text))
    return found


def check_catalogue(path: Path) -> list[Problem]:
    catalogue = polib.pofile(str(path))
    problems = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgid:
            continue
        if "fuzzy" in entry.flags:
            problems.append(Problem(path, entry.linenum, entry.msgid, "fuzzy"))
            continue
        if entry.msgid_plural:
            translations = list(entry.msgstr_plural.values())
            sources = [placeholders(entry.msgid, entry), placeholders(entry.msgid_plural, entry)]
        else:
            translations = [entry.msgstr]
            sources = [placeholders(entry.msgid, entry)]
        if not translations or not all(text.strip() for text in translations):
            problems.append(Problem(path, entry.linenum, entry.msgid, "untranslated"))
            continue
        for text in translations:
            found = placeholders(text, entry)
            # A plural form may drop the count (Chinese has one form) but never invent one.
            if found not in sources and not any(set(found) == set(s) for s in sources):
                problems.append(
                    Problem(
                        path,
                        entry.linenum,
                        entry.msgid,
                        f"placeholders {sorted(found)} differ from the source's {sorted(sources[0])}",
                    )
                )
                break
    return problems


def compile_catalogue(path: Path) -> Path:
    """Write the .mo beside the .po (pure Python, so no gettext tools are needed to run)."""
    target = path.with_suffix(".mo")
    polib.pofile(str(path)).save_as_mofile(str(target))
    return target
