"""What each app adds to the pages every app shares, declared once by the app itself.

An app lists its contributions in a `plugins` module that its AppConfig.ready() imports, the same
way it declares its audit actions, notification kinds and scheduled jobs. The shared pages (the
navigation, the home page, the case page) and the one `loaddemo` loop over what was declared, so
adding an app edits no other app's files (docs/checklists.md, "A new domain app").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


class Person(Protocol):
    """What the shared pages need to know of the signed-in person (accounts.User has it)."""

    pk: Any

    @property
    def roles(self) -> set[str]: ...

    @property
    def is_administrator(self) -> bool: ...


Label = str | Promise


# --- The navigation -------------------------------------------------------------------------
@dataclass(frozen=True)
class NavEntry:
    """A link in the main menu. `roles` empty: everyone signed in sees it."""

    url_name: str
    label: Label
    order: int
    roles: frozenset[str] = frozenset()
    administrators: bool = False  # administrators see it whatever their other roles
    query: str = ""
    badge: Callable[[HttpRequest], int] | None = None  # a number beside the label (unread…)

    def visible_to(self, person: Person) -> bool:
        if not self.roles and not self.administrators:
            return True
        return bool(self.roles & person.roles) or (self.administrators and person.is_administrator)

    @property
    def url(self) -> str:
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")


_NAV: dict[str, NavEntry] = {}


def nav_entry(
    url_name: str,
    label: Label,
    *,
    order: int,
    roles: Iterable[str] = (),
    administrators: bool = False,
    badge: Callable[[HttpRequest], int] | None = None,
) -> NavEntry:
    entry = NavEntry(url_name, label, order, frozenset(roles), administrators, badge=badge)
    _declare(_NAV, url_name, entry, "navigation entry")
    return entry


def navigation_for(person: Person) -> list[NavEntry]:
    return sorted((e for e in _NAV.values() if e.visible_to(person)), key=lambda e: (e.order, e.url_name))


# --- The home page --------------------------------------------------------------------------
@dataclass
class HomeSection:
    """A card on a person's home page: what it is, and the next thing to do."""

    title: Label
    text: Label
    links: list[tuple[str, Label]] = field(default_factory=list)
    figures: list[tuple[Label, int]] = field(default_factory=list)


HomeProvider = Callable[[Any], Sequence[HomeSection]]


@dataclass(frozen=True)
class _HomeContribution:
    name: str
    order: int
    roles: frozenset[str]
    sections: HomeProvider


_HOME: dict[str, _HomeContribution] = {}


def home_sections(
    name: str, *, order: int, roles: Iterable[str] = ()
) -> Callable[[HomeProvider], HomeProvider]:
    """Declare a function that gives a person's home-page cards. `roles` says which roles the
    cards serve, so the home page knows which roles already have something to do."""

    def declare(provider: HomeProvider) -> HomeProvider:
        _declare(_HOME, name, _HomeContribution(name, order, frozenset(roles), provider), "home section")
        return provider

    return declare


def home_page_for(person: Any) -> list[HomeSection]:
    return [
        section
        for contribution in sorted(_HOME.values(), key=lambda c: (c.order, c.name))
        for section in contribution.sections(person)
    ]


def roles_served_on_the_home_page() -> set[str]:
    return {role for contribution in _HOME.values() for role in contribution.roles}


# --- The case page --------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseSection:
    """A part of the case page that another app renders (imaging, scores, the registry record,
    logbook links). `render` gets the request and the consultation's access object (the person
    is allowed to open the case) and returns HTML, or "" to show nothing."""

    name: str
    order: int
    render: Callable[[HttpRequest, Any], str]


_CASE: dict[str, CaseSection] = {}


def case_section(name: str, *, order: int) -> Callable[[Callable[[HttpRequest, Any], str]], Any]:
    def declare(render: Callable[[HttpRequest, Any], str]) -> Callable[[HttpRequest, Any], str]:
        _declare(_CASE, name, CaseSection(name, order, render), "case section")
        return render

    return declare


def case_sections() -> list[CaseSection]:
    return sorted(_CASE.values(), key=lambda s: (s.order, s.name))


# --- The case in brief, beside a form ----------------------------------------------------------
@dataclass(frozen=True)
class CaseSummary:
    """A compact part of the case summary shown beside a form (the opinion form): the scores, the
    structured CT findings, the key images. `render` gets the request and the consultation's
    access object and returns a few lines of HTML, or "" to show nothing. What it shows must be
    what the reader may see of the case (a consultant abroad: no identity)."""

    name: str
    order: int
    render: Callable[[HttpRequest, Any], str]


_SUMMARY: dict[str, CaseSummary] = {}


def case_summary(name: str, *, order: int) -> Callable[[Callable[[HttpRequest, Any], str]], Any]:
    def declare(render: Callable[[HttpRequest, Any], str]) -> Callable[[HttpRequest, Any], str]:
        _declare(_SUMMARY, name, CaseSummary(name, order, render), "case summary")
        return render

    return declare


def case_summaries() -> list[CaseSummary]:
    return sorted(_SUMMARY.values(), key=lambda s: (s.order, s.name))


# --- Parts of the referral form -------------------------------------------------------------
@dataclass(frozen=True)
class CaseFormSection:
    """A part of the referral form that another app contributes (the structured CT findings), so
    what it asks is entered once, with the referral, and saved in the same transaction as the
    draft: if it is refused, the draft is not saved either and the form shows why.

    - `form(request, case)`: the app's form for a new referral (`case` None) or a draft, bound
      to `request.POST` when the referral was posted; its prefix keeps its names apart.
    - `render(request, form)`: the fragment placed in the referral form (escaped by its template).
    - `save(access, user, form, request)`: called with the saved draft's access object once the
      form is valid; raises `django.core.exceptions.ValidationError` naming the form's fields."""

    name: str
    order: int
    form: Callable[[HttpRequest, Any], Any]
    render: Callable[[HttpRequest, Any], str]
    save: Callable[[Any, Any, Any, HttpRequest | None], None]


class CaseFormSectionRefused(Exception):  # noqa: N818 -- a refusal, as the user sees it
    """A contributed part of the referral form refused what it was given (wraps the app's
    ValidationError, saying which part), so the whole save is undone and the part shows why."""

    def __init__(self, section: str, error: Exception) -> None:
        super().__init__(section, error)
        self.section = section
        self.error = error


_FORM: dict[str, CaseFormSection] = {}


def case_form_section(
    name: str,
    *,
    order: int,
    form: Callable[[HttpRequest, Any], Any],
    render: Callable[[HttpRequest, Any], str],
    save: Callable[[Any, Any, Any, HttpRequest | None], None],
) -> CaseFormSection:
    section = CaseFormSection(name, order, form, render, save)
    _declare(_FORM, name, section, "case form section")
    return section


def case_form_sections() -> list[CaseFormSection]:
    return sorted(_FORM.values(), key=lambda s: (s.order, s.name))


# --- Demonstration data ---------------------------------------------------------------------
@dataclass(frozen=True)
class DemoLoader:
    """Loads an app's demonstration data (idempotent) and returns a line that says what it did."""

    name: str
    load: Callable[[], str]
    after: tuple[str, ...] = ()


_DEMO: dict[str, DemoLoader] = {}


def demo_loader(name: str, *, after: Iterable[str] = ()) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def declare(load: Callable[[], str]) -> Callable[[], str]:
        _declare(_DEMO, name, DemoLoader(name, load, tuple(after)), "demo loader")
        return load

    return declare


def demo_loaders() -> list[DemoLoader]:
    """Every loader after the ones it needs (a stable topological order)."""
    ordered: list[DemoLoader] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(loader: DemoLoader) -> None:
        if loader.name in placed:
            return
        if loader.name in visiting:
            raise ValueError(f"Demo loaders depend on each other in a circle at {loader.name}.")
        visiting.add(loader.name)
        for needed in loader.after:
            if needed not in _DEMO:
                raise ValueError(f"Demo loader {loader.name} needs {needed}, which no app declares.")
            place(_DEMO[needed])
        visiting.discard(loader.name)
        placed.add(loader.name)
        ordered.append(loader)

    for name in sorted(_DEMO):
        place(_DEMO[name])
    return ordered


def _declare(registry: dict[str, Any], key: str, value: Any, kind: str) -> None:
    # A module is imported once per process, so a second, different declaration is a conflict.
    if key in registry and registry[key] != value:
        raise ValueError(f"The {kind} {key} is declared twice.")
    registry[key] = value


__all__ = [
    "CaseFormSection",
    "CaseFormSectionRefused",
    "CaseSection",
    "CaseSummary",
    "DemoLoader",
    "HomeSection",
    "NavEntry",
    "Person",
    "case_form_section",
    "case_form_sections",
    "case_section",
    "case_sections",
    "case_summaries",
    "case_summary",
    "demo_loader",
    "demo_loaders",
    "home_page_for",
    "home_sections",
    "nav_entry",
    "navigation_for",
    "roles_served_on_the_home_page",
]
