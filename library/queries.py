"""The searches a page and an API endpoint share."""

from __future__ import annotations

from django.db.models import QuerySet

from library.models import GlossaryTerm, Resource
from library.search import Rank, fold, rank

GLOSSARY_LIMIT = 50  # results shown for one search; the whole glossary is a few hundred terms


def resources_matching(
    q: str = "", topic: str = "", language: str = "", kind: str = ""
) -> QuerySet[Resource]:
    """Resources filtered by topic, language and kind, and by words of the title or description
    (accents and case ignored)."""
    found = Resource.objects.select_related("institution")
    if topic:
        found = found.filter(topic=topic)
    if language:
        found = found.filter(language=language)
    if kind:
        found = found.filter(kind=kind)
    for word in fold(q).split():
        found = found.filter(search_text__contains=word)
    return found


def glossary_matching(q: str = "", topic: str = "", limit: int = GLOSSARY_LIMIT) -> list[GlossaryTerm]:
    """Terms that contain what was typed in any language (Chinese as a substring), exact
    matches first, then terms that start with it, then the rest, each in English order."""
    terms = GlossaryTerm.objects.all()
    if topic:
        terms = terms.filter(topic=topic)
    wanted = fold(q)
    if not wanted:
        return list(terms[:limit])
    candidates = list(terms.filter(search_text__contains=wanted))
    ranked = sorted(
        ((rank(wanted, term.names, term.definitions), term.term_en.casefold(), term) for term in candidates),
        key=lambda found: (found[0], found[1]),
    )
    return [term for level, _, term in ranked if level is not Rank.NONE][:limit]
