"""Names found where no identity is on record to match: forms of address, name labels, names
common in Tanzania beside another capitalised word, Chinese surnames with a form of address; and
the clinical words, eponyms, hospitals and clinicians that must not be taken for a patient."""

from __future__ import annotations

import pytest

from lib.identifiers import Identity, Kind, scan
from lib.person_names import name_like


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Acute SDH in Juma Hamisi", "Juma Hamisi"),
        ("SDH in Juma after a fall", "Juma"),
        ("Is Amina Mollel still vomiting?", "Amina Mollel"),
        ("Mr Juma presented with GCS 8", "Juma"),
        ("Mama Neema brought the child", "Neema"),
        ("s/o Ally, 3 years", "Ally"),
        ("Name: Amina Said", "Amina Said"),
        ("Jina la mgonjwa: Hamisi Juma", "Hamisi Juma"),
        ("Baby of Halima, preterm", "Halima"),
        ("Zhang Wei assisted", "Zhang Wei"),
        ("王先生术后感染", "王先生"),
        ("李女士，45岁", "李女士"),
        ("姓名：张伟", "张伟"),
        ("患者张伟，男，45岁", "张伟"),
        ("患者：张伟，男", "张伟"),
        ("病人王小明", "王小明"),
        ("张伟，男，45岁", "张伟"),
        ("Mgonjwa: Juma", "Juma"),
        ("Patient: Asha", "Asha"),
        ("Mr. Hamisi was drowsy", "Hamisi"),
    ],
)
def test_what_reads_as_a_persons_name_is_found(text, name):
    assert [found.text for found in name_like(text)] == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Discussed with Dr John Mushi",
        "Dr. John Mushi scrubbed",
        "Chiari malformation with Dandy-Walker variant",
        "Spetzler Martin grade III AVM",
        "Hunt and Hess grade 3, Fisher 4",
        "Post-op Glasgow Coma Scale 15",
        "Referred from St Francis hospital",
        "Procedure name: VP shunt",
        "患者王某，男，高龄老人",
        "Alifanyiwa upasuaji Jumanne asubuhi",  # Tuesday
        "Neema ya Mungu",
        "Benjamin Mkapa Hospital, Dodoma",
        "ETV with CPC, Bugando",
        "Positioned prone on a Jackson table",
        "Jackson Pratt drain left for 48 hours",
        "Aneurysm on MR Angiography, clipped",
        "MR Venography: sinus thrombosis",
        "Kliniki ya Mama Mjamzito",
        "患者高热，呕吐",
        "患者王某，男",
        "Patient: stable after surgery",
        "Patient: Alert, GCS 15",
        "双侧瞳孔等大，男性患者",
    ],
)
def test_eponyms_clinicians_hospitals_and_everyday_words_are_not_names(text):
    assert name_like(text) == []


def test_a_name_found_this_way_is_a_pattern_not_the_patients_own():
    (found,) = scan({"diagnosis": "Acute SDH in Juma Hamisi"}, Identity())
    assert (found.kind, found.text, found.of_the_patient) == (Kind.NAME, "Juma Hamisi", False)


def test_her_own_name_on_record_is_still_hers():
    (found,) = scan({"summary": "Juma Hamisi vomited"}, Identity(full_name="Juma Hamisi"))
    assert found.of_the_patient and found.text == "Juma Hamisi"


def test_a_text_with_many_of_one_kind_lists_at_most_fifty_of_them():
    # Refused at the first; listing thousands would make the check as slow as the square of its length.
    found = scan({"reflection": "0754 123 456, " * 2000 + "Juma Hamisi " * 2000}, Identity())
    kinds = [f.kind for f in found]
    assert kinds.count(Kind.PHONE) == 50 and kinds.count(Kind.NAME) == 50
