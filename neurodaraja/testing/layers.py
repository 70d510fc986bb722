"""The layers of the project (docs/architecture.md) and a reader of every import in its code, for
the layer test and the pure-library test. The modules are read as text (ast), so the rules hold
for code that no test runs."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository

# Lowest first. Apps on one layer do not import each other; a higher layer may import any lower.
LAYERS: list[set[str]] = [
    {"lib"},
    {"core"},
    {"accounts"},
    {"consultations"},
    {"scores", "imaging", "training", "exchange", "registry", "library"},
    {"indicators"},  # reads every domain to measure capacity
    {"neurodaraja"},  # settings, URLs, the API root, the home page: the one place that knows every app
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported module (or the name imported from a package), dotted
    line: int
    inner: bool  # inside a function or class body
    typing_only: bool  # under `if TYPE_CHECKING:`

    def __str__(self) -> str:
        where = " inside a function" if self.inner else ""
        typing = " (for types only)" if self.typing_only else ""
        return f"{self.module}:{self.line} imports {self.target}{where}{typing}"


def project_modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] not in LAYER_OF or "tests" in parts or "migrations" in parts:
            continue
        dotted = ".".join(parts).removesuffix(".py").removesuffix(".__init__")
        yield dotted, path


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def walk(node: ast.AST, inner: bool, typing_only: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(module, alias.name, child.lineno, inner, typing_only)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    # `from pkg import name` names a module when pkg/name.py exists.
                    candidate = f"{base}.{alias.name}"
                    is_module = (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                        ROOT / Path(*candidate.split(".")) / "__init__.py"
                    ).exists()
                    yield Import(module, candidate if is_module else base, child.lineno, inner, typing_only)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                yield from walk(child, inner, True)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
                yield from walk(child, True, typing_only)
            else:
                yield from walk(child, inner, typing_only)

    yield from walk(tree, False, False)


def app_of(dotted: str) -> str:
    return dotted.split(".")[0]


def all_imports() -> list[Import]:
    return [
        found
        for module, path in project_modules()
        for found in imports_of(module, path)
        if app_of(found.target) in LAYER_OF
    ]
