"""The shared library is pure: no Django and no app of the project, so the pages, the API, the
worker and the command line can all use it, and it is tested without a database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from neurodaraja.testing.layers import ROOT, all_imports, imports_of

LIB = ROOT / "lib"


def library_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(ROOT).parts).removesuffix(".py").removesuffix(".__init__")
        for path in LIB.rglob("*.py")
        if "tests" not in path.parts
    )


def test_nothing_in_the_library_imports_django_or_an_app():
    offenders = [
        f"{found}"
        for path in LIB.rglob("*.py")
        if "tests" not in path.parts
        for found in imports_of(".".join(path.relative_to(ROOT).parts).removesuffix(".py"), path)
        if found.target.split(".")[0] in {"django", "ninja", "django_tasks", "rest_framework"}
    ]
    offenders += [
        str(found)
        for found in all_imports()
        if found.module.startswith("lib.") and not found.target.startswith("lib")
    ]
    assert offenders == []


def test_every_library_module_imports_without_loading_django():
    # The proof that counts: a fresh interpreter imports all of lib/ and Django is not loaded.
    modules = library_modules()
    assert "lib.auditchain" in modules and "lib.identifiers" in modules
    program = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, our own program)
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_library_has_no_module_named_like_a_django_app():
    # lib/ holds plain modules; models, views and admin belong in an app.
    names = {path.stem for path in Path(LIB).rglob("*.py")}
    assert not names & {"models", "views", "admin", "apps", "urls", "forms"}
