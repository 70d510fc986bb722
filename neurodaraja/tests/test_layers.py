"""The layers point one way (docs/architecture.md): a module imports only from its own app and
from the layers below it, and never hides an import inside a function to dodge a cycle.

The project's own modules are read as text (ast), so the rule holds for code that no test runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. Apps on one layer do not import each other; a higher layer may import any lower.
LAYERS: list[set[str]] = [
    {"lib"},
    {"core"},
    {"accounts"},
    {"consultations"},
    {"scores", "imaging", "training", "exchange", "registry"},
    {"indicators"},  # reads every domain to measure capacity
    {"neurodaraja"},  # settings, URLs, the API root, the home page: the one place that knows every app
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}

# An import that goes against the layers, kept on purpose: (importing module, imported module) → why.
# None today. The audit trail's foreign key to accounts.Institution is the one dependency of core
# on a higher layer, and it is a string reference in core.models, not an import.
DOCUMENTED_EXCEPTIONS: dict[tuple[str, str], str] = {}

# Imports inside functions that are not dodging a cycle: (module, imported module) → why.
INNER_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}


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


def against_the_layers(found: Import) -> bool:
    source, target = app_of(found.module), app_of(found.target)
    if source == target:
        return False
    return LAYER_OF[target] >= LAYER_OF[source]


def hidden_in_a_function(found: Import) -> bool:
    if not found.inner or found.typing_only:
        return False
    return not found.module.endswith(".apps")


def test_no_module_imports_a_layer_above_its_own_or_an_app_beside_it():
    violations = [
        str(found)
        for found in all_imports()
        if against_the_layers(found) and (found.module, found.target) not in DOCUMENTED_EXCEPTIONS
    ]
    assert violations == [], "Imports against the layers:\n" + "\n".join(violations)


def test_no_import_is_hidden_inside_a_function_to_dodge_a_cycle():
    violations = [
        str(found)
        for found in all_imports()
        if hidden_in_a_function(found) and (found.module, found.target) not in INNER_IMPORTS_ALLOWED
    ]
    assert violations == [], "Imports inside functions:\n" + "\n".join(violations)


def test_only_url_modules_import_views():
    # A view is a leaf: what an API endpoint shares with a page lives in queries, access or actions.
    violations = [
        str(found)
        for found in all_imports()
        if ".views" in f".{found.target}"
        and not (found.module.endswith(".urls") or ".views" in f".{found.module}")
    ]
    assert violations == [], "Views imported outside the URL modules:\n" + "\n".join(violations)


def test_the_checker_sees_an_upward_import_and_a_hidden_one(tmp_path):
    # The rule itself can fail: a core module importing accounts, inside a function.
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from accounts.models import User\n")
    (found,) = list(imports_of("core.probe", source))
    assert against_the_layers(found)
    assert hidden_in_a_function(found)
    assert not against_the_layers(Import("imaging.x", "consultations.models", 1, False, False))
    assert against_the_layers(Import("imaging.x", "scores.models", 1, False, False))


def test_every_app_in_the_settings_has_a_layer():
    from django.conf import settings

    ours = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()}
    assert ours <= set(LAYER_OF), ours - set(LAYER_OF)


# Relations from a model to a model of a higher layer, kept on purpose: (model, field) → why.
RELATIONS_UP_ALLOWED: dict[tuple[str, str], str] = {
    ("core.auditentry", "institution"): "the trail is filtered by institution for its coordinators",
}


def test_models_relate_only_to_their_layer_or_below():
    # A foreign key is a dependency too, even written as a string. Relations to the user model go
    # through settings.AUTH_USER_MODEL (Django's swappable user), so they are not counted.
    from django.apps import apps
    from django.conf import settings

    user_model = settings.AUTH_USER_MODEL.lower()
    upward = []
    for model in apps.get_models():
        source = model._meta.app_label
        if source not in LAYER_OF:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            related = field.related_model._meta
            if related.label_lower == user_model or related.app_label not in LAYER_OF:
                continue
            key = (model._meta.label_lower, field.name)
            goes_up = related.app_label != source and LAYER_OF[related.app_label] >= LAYER_OF[source]
            if goes_up and key not in RELATIONS_UP_ALLOWED:
                upward.append(f"{key[0]}.{key[1]} → {related.label}")
    assert upward == []
    assert set(RELATIONS_UP_ALLOWED) <= {
        (m._meta.label_lower, f.name) for m in apps.get_models() for f in m._meta.get_fields()
    }, "an allowed relation no longer exists: remove it from the list"
