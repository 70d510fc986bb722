"""The partnership's starting reference data. Administrators extend it in the admin site."""

from django.db import migrations

COUNTRIES = [
    # code, holds identifiable data, en, sw, zh-hans
    ("TZ", True, "Tanzania", "Tanzania", "坦桑尼亚"),
    ("CN", False, "China", "China", "中国"),
]

NEUROSURGERY = ("neurosurgery", "Neurosurgery", "Upasuaji wa ubongo na mishipa ya fahamu", "神经外科")

SUBSPECIALTIES = [
    ("neurotrauma", "Neurotrauma", "Majeraha ya kichwa na uti wa mgongo", "神经创伤"),
    (
        "paediatric",
        "Paediatric neurosurgery and hydrocephalus",
        "Upasuaji wa ubongo kwa watoto na hydrocephalus",
        "小儿神经外科与脑积水",
    ),
    ("spine", "Spine surgery", "Upasuaji wa uti wa mgongo", "脊柱外科"),
    ("neuro_oncology", "Neuro-oncology", "Uvimbe wa ubongo na uti wa mgongo", "神经肿瘤"),
    ("vascular", "Cerebrovascular surgery", "Upasuaji wa mishipa ya damu ya ubongo", "脑血管外科"),
    ("functional", "Functional neurosurgery", "Upasuaji wa kiutendaji (kifafa, mtetemeko)", "功能神经外科"),
]

DIAGNOSIS_CATEGORIES = [
    ("trauma", "Trauma", "Jeraha", "创伤"),
    ("hydrocephalus", "Hydrocephalus", "Hydrocephalus (maji kichwani)", "脑积水"),
    ("spine", "Spine", "Uti wa mgongo", "脊柱疾病"),
    ("tumour", "Tumour", "Uvimbe", "肿瘤"),
    ("vascular", "Vascular", "Mishipa ya damu", "血管性疾病"),
    ("infection", "Infection", "Maambukizi", "感染"),
    ("congenital", "Congenital", "Ulemavu wa kuzaliwa", "先天性疾病"),
    ("other", "Other", "Nyingine", "其他"),
]


def names(en, sw, zh):
    return {"name_en": en, "name_sw": sw, "name_zh_hans": zh}


def seed(apps, schema_editor):
    Country = apps.get_model("core", "Country")
    Specialty = apps.get_model("core", "Specialty")
    Subspecialty = apps.get_model("core", "Subspecialty")
    DiagnosisCategory = apps.get_model("core", "DiagnosisCategory")
    for code, holds, en, sw, zh in COUNTRIES:
        Country.objects.get_or_create(
            code=code, defaults={"holds_identifiable_data": holds, **names(en, sw, zh)}
        )
    code, en, sw, zh = NEUROSURGERY
    specialty, _ = Specialty.objects.get_or_create(code=code, defaults=names(en, sw, zh))
    for position, (code, en, sw, zh) in enumerate(SUBSPECIALTIES):
        Subspecialty.objects.get_or_create(
            specialty=specialty, code=code, defaults={"position": position, **names(en, sw, zh)}
        )
    for position, (code, en, sw, zh) in enumerate(DIAGNOSIS_CATEGORIES):
        DiagnosisCategory.objects.get_or_create(
            specialty=specialty, code=code, defaults={"position": position, **names(en, sw, zh)}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_trail_append_only")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
