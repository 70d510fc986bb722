"""The procedure master list: the common neurosurgical operations, with names in three languages.

Standard codes are filled only where they are known for sure (China's ICD-9-CM-3 for five of
them); every ICD-10-PCS code is left empty, since its seven characters depend on the approach and
device of each operation. Coordinators complete them in the admin site. No app code is imported.
"""

from django.db import migrations

GROUPS = [
    # code, position, en, sw, zh-hans
    ("cranial-trauma", 10, "Cranial trauma", "Majeraha ya kichwa", "颅脑创伤"),
    ("csf", 20, "Hydrocephalus and CSF", "Hydrocephalus na maji ya ubongo (CSF)", "脑积水与脑脊液"),
    ("spine", 30, "Spine", "Uti wa mgongo", "脊柱"),
    ("oncology", 40, "Tumours", "Uvimbe (tumour)", "肿瘤"),
    ("congenital", 50, "Paediatric congenital", "Ulemavu wa kuzaliwa kwa watoto", "小儿先天畸形"),
]

PROCEDURES = [
    # code, group, paediatric bellwether, ICD-9-CM-3, en, sw, zh-hans
    ("burr-hole-csdh", "cranial-trauma", False, "",
     "Burr hole drainage of chronic subdural haematoma",
     "Burr hole: kutoa damu sugu chini ya utando wa ubongo (chronic SDH)",
     "慢性硬膜下血肿钻孔引流术"),
    ("craniotomy-edh", "cranial-trauma", False, "",
     "Craniotomy for extradural haematoma",
     "Craniotomy kuondoa damu juu ya utando wa ubongo (EDH)",
     "开颅硬膜外血肿清除术"),
    ("craniotomy-asdh", "cranial-trauma", False, "",
     "Craniotomy for acute subdural haematoma",
     "Craniotomy kuondoa damu ya ghafla chini ya utando wa ubongo (acute SDH)",
     "开颅急性硬膜下血肿清除术"),
    ("decompressive-craniectomy", "cranial-trauma", False, "",
     "Decompressive craniectomy",
     "Kuondoa sehemu ya fuvu kupunguza shinikizo (decompressive craniectomy)",
     "去骨瓣减压术"),
    ("depressed-fracture", "cranial-trauma", False, "",
     "Elevation of a depressed skull fracture",
     "Kuinua fuvu lililobonyea (depressed skull fracture)",
     "凹陷性颅骨骨折整复术"),
    ("vp-shunt", "csf", True, "02.34",
     "Ventriculoperitoneal shunt",
     "Kuweka shunt kutoka ubongo hadi tumboni (VP shunt)",
     "脑室-腹腔分流术"),
    ("etv", "csf", True, "",
     "Endoscopic third ventriculostomy",
     "Kutoboa sakafu ya ventrikali ya tatu kwa endoskopu (ETV)",
     "神经内镜第三脑室底造瘘术"),
    ("evd", "csf", False, "",
     "External ventricular drain",
     "Mrija wa kutoa maji ya ubongo nje (EVD)",
     "脑室外引流术"),
    ("lumbar-laminectomy", "spine", False, "03.09",
     "Lumbar laminectomy",
     "Kuondoa lamina za pingili za kiuno (lumbar laminectomy)",
     "腰椎椎板切除减压术"),
    ("lumbar-discectomy", "spine", False, "80.51",
     "Lumbar discectomy",
     "Kuondoa diski iliyoteleza ya kiuno (lumbar discectomy)",
     "腰椎间盘切除术"),
    ("spinal-fusion", "spine", False, "",
     "Instrumented spinal fusion",
     "Kuunganisha pingili za uti wa mgongo kwa vyuma (spinal fusion)",
     "脊柱融合内固定术"),
    ("craniotomy-tumour", "oncology", False, "01.59",
     "Craniotomy for brain tumour",
     "Craniotomy kuondoa uvimbe wa ubongo",
     "开颅脑肿瘤切除术"),
    ("transsphenoidal", "oncology", False, "",
     "Transsphenoidal surgery of the pituitary",
     "Upasuaji wa tezi ya pituitari kupitia pua (transsphenoidal)",
     "经鼻蝶入路垂体瘤切除术"),
    ("mmc-repair", "congenital", True, "03.52",
     "Myelomeningocele repair",
     "Kurekebisha uti wa mgongo uliojitokeza nje (myelomeningocele)",
     "脊髓脊膜膨出修补术"),
    ("encephalocele-repair", "congenital", True, "",
     "Encephalocele repair",
     "Kurekebisha ubongo uliojitokeza nje ya fuvu (encephalocele)",
     "脑膨出修补术"),
]  # fmt: skip


def seed(apps, schema_editor):
    Group = apps.get_model("training", "ProcedureGroup")
    Procedure = apps.get_model("training", "Procedure")
    groups = {}
    for code, position, en, sw, zh in GROUPS:
        groups[code], _ = Group.objects.update_or_create(
            code=code, defaults={"position": position, "name_en": en, "name_sw": sw, "name_zh_hans": zh}
        )
    for code, group, bellwether, icd9, en, sw, zh in PROCEDURES:
        Procedure.objects.update_or_create(
            code=code,
            defaults={
                "group": groups[group],
                "paediatric_bellwether": bellwether,
                "icd9cm3": icd9,
                "name_en": en,
                "name_sw": sw,
                "name_zh_hans": zh,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("training", "Procedure").objects.filter(code__in=[p[0] for p in PROCEDURES]).delete()
    apps.get_model("training", "ProcedureGroup").objects.filter(code__in=[g[0] for g in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_curriculum_and_logbook")]

    operations = [migrations.RunPython(seed, unseed)]
