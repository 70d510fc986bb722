"""What the referral form asks per neurosurgical category, and which subspecialties answer."""

from django.db import migrations

RULES = {
    # category: (asks injury details, asks shunt history, subspecialties that answer)
    "trauma": (True, False, ["neurotrauma"]),
    "hydrocephalus": (False, True, ["paediatric"]),
    "spine": (False, False, ["spine"]),
    "tumour": (False, False, ["neuro_oncology"]),
    "vascular": (False, False, ["vascular"]),
    "infection": (False, True, []),
    "congenital": (False, True, ["paediatric"]),
    "other": (False, False, []),
}


def apply(apps, schema_editor):
    DiagnosisCategory = apps.get_model("core", "DiagnosisCategory")
    Subspecialty = apps.get_model("core", "Subspecialty")
    for category in DiagnosisCategory.objects.filter(specialty__code="neurosurgery"):
        if category.code not in RULES:
            continue
        injury, shunt, routed = RULES[category.code]
        category.asks_injury_details = injury
        category.asks_shunt_history = shunt
        category.save(update_fields=["asks_injury_details", "asks_shunt_history"])
        category.routed_to.set(
            Subspecialty.objects.filter(specialty__code="neurosurgery", code__in=routed)
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0004_category_form_routing_and_notifications")]

    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
