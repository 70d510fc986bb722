"""The tests' own plumbing: test modules share helpers through neurodaraja/testing/, never by
importing each other, and the list of every persona is written once, from the cast itself."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

from neurodaraja.testing.personas import EVERYONE, Personas

ROOT = Path(__file__).resolve().parents[2]

# Test modules that still import another test module, each being removed by its owner (issue 9).
# Nothing may be added here; an entry whose import is gone fails below, so remove it then.
KNOWN: dict[str, str] = {}


def files_of_tests(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("test_*.py")):
        parts = path.relative_to(root).parts
        if not any(part.startswith(".") or part in {"node_modules", "build"} for part in parts):
            yield path


def imported_modules(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def imports_between_test_modules(root: Path) -> set[str]:
    """`path -> module` for every import of a test module by a test module under root."""
    found = set()
    for path in files_of_tests(root):
        for module in imported_modules(path):
            if (
                module.rpartition(".")[2].startswith("test_")
                and (root / f"{module.replace('.', '/')}.py").exists()
            ):
                found.add(f"{path.relative_to(root).as_posix()} -> {module}")
    return found


def test_no_test_module_imports_another():
    found = imports_between_test_modules(ROOT)
    assert found - set(KNOWN) == set(), (
        "Test modules importing test modules; move the helper to neurodaraja/testing/:\n"
        + "\n".join(sorted(found - set(KNOWN)))
    )
    assert set(KNOWN) - found == set(), f"Fixed, so remove from KNOWN: {sorted(set(KNOWN) - found)}"


def test_the_checker_sees_a_test_module_importing_another(tmp_path):
    (tmp_path / "app" / "tests").mkdir(parents=True)
    (tmp_path / "app" / "tests" / "test_one.py").write_text("def helper(): ...\n")
    (tmp_path / "app" / "tests" / "helpers.py").write_text("")
    (tmp_path / "app" / "tests" / "test_two.py").write_text(
        "from app.tests.test_one import helper\nfrom app.tests import helpers\nimport app.tests.test_one\n"
    )
    assert imports_between_test_modules(tmp_path) == {"app/tests/test_two.py -> app.tests.test_one"}


def test_every_persona_is_in_the_list_of_everyone_and_nothing_else_is(cast):
    assert [field.name for field in fields(Personas) if field.name != "institutions"] == EVERYONE
    people = [getattr(cast, name) for name in EVERYONE]
    assert len({person.pk for person in people}) == len(EVERYONE) == 9
    assert all(person.memberships.exists() for person in people)


def persona_lists(path: Path) -> Iterator[int]:
    """Line numbers of list, set or tuple literals that spell out every persona by name."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.List | ast.Set | ast.Tuple):
            names = {item.value for item in node.elts if isinstance(item, ast.Constant)}
            if set(EVERYONE) <= names:
                yield node.lineno


def test_no_test_spells_out_the_list_of_every_persona_again():
    copies = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in [*files_of_tests(ROOT), *ROOT.glob("*/tests/access.py")]
        for line in persona_lists(path)
    ]
    assert copies == [], "Use neurodaraja.testing.personas.EVERYONE instead:\n" + "\n".join(copies)
