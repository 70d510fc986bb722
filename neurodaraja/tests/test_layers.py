"""The layers point one way (docs/architecture.md; the order is LAYERS in neurodaraja/testing/
layers.py): a module imports only from its own app and from the layers below it, and never hides
an import inside a function to dodge a cycle."""

from __future__ import annotations

from typing import Any

from neurodaraja.testing.layers import LAYER_OF, ROOT, Import, all_imports, app_of, imports_of

# An import that goes against the layers, kept on purpose: (importing module, imported module) → why.
# None today. The audit trail's foreign key to accounts.Institution is the one dependency of core
# on a higher layer, and it is a string reference in core.models, not an import.
DOCUMENTED_EXCEPTIONS: dict[tuple[str, str], str] = {}

# Imports inside functions that are not dodging a cycle: (module, imported module) → why.
INNER_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}


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

    def package_of(options: Any) -> str:
        # An app's parts with tables of their own (training.sessions) sit on the app's layer.
        return options.app_config.name.split(".")[0]

    upward = []
    for model in apps.get_models():
        source = package_of(model._meta)
        if source not in LAYER_OF:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            related = field.related_model._meta
            if related.label_lower == user_model or package_of(related) not in LAYER_OF:
                continue
            key = (model._meta.label_lower, field.name)
            target = package_of(related)
            goes_up = target != source and LAYER_OF[target] >= LAYER_OF[source]
            if goes_up and key not in RELATIONS_UP_ALLOWED:
                upward.append(f"{key[0]}.{key[1]} → {related.label}")
    assert upward == []
    assert set(RELATIONS_UP_ALLOWED) <= {
        (m._meta.label_lower, f.name) for m in apps.get_models() for f in m._meta.get_fields()
    }, "an allowed relation no longer exists: remove it from the list"
