"""Other scales: FOUR, ASIA impairment grade, Karnofsky, GOS and GOS-E (REFERENCES.md 11)."""

from __future__ import annotations

from typing import Any

from scores.library.base import Calculator, Field, Kind, Part, Reference, Result, Unverified

FOUR_REFERENCE = Reference(
    "Wijdicks EFM, Bamlet WR, Maramattom BV, Manno EM, McClelland RL. Validation of a new coma scale: the FOUR "
    "score. Ann Neurol 2005;58(4):585-93."
)
FOUR_PARTS = ("eye", "motor", "brainstem", "respiration")


def compute_four(values: dict[str, Any]) -> Result:
    parts = tuple(Part(name, values[name], values[name]) for name in FOUR_PARTS)
    return Result(
        "four", FOUR.version, sum(values[name] for name in FOUR_PARTS), parts, references=(FOUR_REFERENCE,)
    )


FOUR = Calculator(
    "four",
    "four/wijdicks-2005/1",
    tuple(Field(name, Kind.INTEGER, minimum=0, maximum=4) for name in FOUR_PARTS),
    compute_four,
    (FOUR_REFERENCE,),
    family="consciousness",
)

ASIA_REFERENCE = Reference(
    "American Spinal Injury Association. International Standards for Neurological Classification of Spinal Cord "
    "Injury (ISNCSCI), ASIA Impairment Scale.",
    note="The grade is entered as assessed; the full ISNCSCI worksheet is not computed here.",
)


def compute_asia(values: dict[str, Any]) -> Result:
    grade = values["grade"]
    return Result(
        "asia", ASIA.version, None, (Part("grade", grade, None),), band=grade, references=(ASIA_REFERENCE,)
    )


ASIA = Calculator(
    "asia",
    "asia-ais/entry/1",
    (Field("grade", Kind.CHOICE, choices=("A", "B", "C", "D", "E", "none")),),
    compute_asia,
    (ASIA_REFERENCE,),
    family="spine",
)

KARNOFSKY_REFERENCE = Reference(
    "Karnofsky DA, Burchenal JH. In: MacLeod CM (ed.), Evaluation of Chemotherapeutic Agents. "
    "Columbia University Press, 1949, pp. 191–205.",
    note="The levels' wording as printed in the performance-status tables read for REFERENCES.md 11.",
    unverified=Unverified.DETAILS,  # REFERENCES.md 11: "as commonly cited; not read here"
)


def compute_karnofsky(values: dict[str, Any]) -> Result:
    score = int(values["score"])
    return Result(
        "karnofsky",
        KARNOFSKY.version,
        score,
        (Part("score", score, score),),
        band=str(score),
        references=(KARNOFSKY_REFERENCE,),
    )


KARNOFSKY = Calculator(
    "karnofsky",
    "karnofsky/2",
    (Field("score", Kind.INTEGER, minimum=0, maximum=100, step=10),),
    compute_karnofsky,
    (KARNOFSKY_REFERENCE,),
    family="function",
)

GOS_REFERENCE = Reference(
    "Jennett B, Bond M. Assessment of outcome after severe brain damage. Lancet 1975.",
    unverified=Unverified.DETAILS,  # REFERENCES.md 11 names the authors and year only
)
GOSE_REFERENCE = Reference(
    "Wilson JTL, Pettigrew LEL, Teasdale GM. J Neurotrauma 1998;15(8):573-85 (the structured interview for the "
    "GOS and the GOS-E).",
    note="1–4 unfavourable, 5–8 favourable. Upper and lower severe disability differ by whether the person can "
    "be left alone for more than 8 hours.",
    unverified=Unverified.DETAILS,  # REFERENCES.md 11: "as commonly cited; not read here"
)
# GOS-E level → GOS level (REFERENCES.md 11): 1→1, 2→2, 3–4→3, 5–6→4, 7–8→5.
GOSE_TO_GOS = {1: 1, 2: 2, 3: 3, 4: 3, 5: 4, 6: 4, 7: 5, 8: 5}


def compute_gos(values: dict[str, Any]) -> Result:
    level = values["level"]
    return Result(
        "gos",
        GOS.version,
        level,
        (Part("level", level, level),),
        band=str(level),
        notes=("gos_unfavourable" if level <= 3 else "gos_favourable",),
        references=(GOS_REFERENCE,),
    )


def compute_gose(values: dict[str, Any]) -> Result:
    level = values["level"]
    return Result(
        "gose",
        GOSE.version,
        level,
        (Part("level", level, level),),
        band=str(level),
        notes=("gose_unfavourable" if level <= 4 else "gose_favourable", f"gose_is_gos_{GOSE_TO_GOS[level]}"),
        references=(GOSE_REFERENCE,),
    )


GOS = Calculator(
    "gos",
    "gos/1975/1",
    (Field("level", Kind.INTEGER, minimum=1, maximum=5),),
    compute_gos,
    (GOS_REFERENCE,),
    family="function",
)
GOSE = Calculator(
    "gose",
    "gose/2",
    (Field("level", Kind.INTEGER, minimum=1, maximum=8),),
    compute_gose,
    (GOSE_REFERENCE,),
    family="function",
)
