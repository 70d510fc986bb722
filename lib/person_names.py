"""Finds what reads as a person's name in free text when no identity is on record to match.

Plain Python. The logbook, assessments and workshops hold no patient, so their free text cannot be
matched against a name (lib.identifiers does that where an identity exists); a clinician may still
write "Acute SDH in Juma Hamisi" or "王先生术后感染". No library fits: name recognisers for English
(spaCy and the like) are large models, know few Tanzanian names and nothing of Kiswahili forms of
address, so this is a small, explainable rule set instead:
- a form of address before a capitalised word (Mr Juma, Bi. Amina, Mzee Hamisi, Mama Neema, s/o
  Ally), or a name label (Name:, Jina la mgonjwa:, 姓名：);
- a Chinese surname before a form of address (王先生, 李女士, 张阿姨) — 王某, written to hide a
  name, is not one;
- two or three capitalised words in a row of which one is a name common in Tanzania or a Chinese
  surname in pinyin (Juma Hamisi, Amina Said, Zhang Wei);
- one capitalised given name common in Tanzania in mid-sentence ("SDH in Juma"), except the names
  that are also ordinary words (Neema, Baraka, Jumanne) and after "St" (St Francis hospital).
Medical eponyms (Chiari, Dandy-Walker, Spetzler-Martin, Hunt and Hess...) are not names here.
A clinician's name after Dr or Prof is not looked for: the logbook names its supervisors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Given names common in Tanzania (Swahili, Muslim and Christian forms, as written in registers).
_GIVEN = """
abdallah abdul abdulrahman abubakari adam ally ali amina anna agnes agatha asha aisha athumani
bakari bahati catherine christina daudi doto dorothy elia elias eliza elizabeth emmanuel erasto
esther ezekiel farida fatuma flora gabriel godfrey godson hadija halima hamad hamis hamisi hamza
haruna hassan hawa husna hussein ibrahim ibrahimu idd iddi idrisa irene isaac issa janeth
jesca john joseph josephine joyce juma judith kassim kassimu khadija khamis kulwa latifa lilian
lucas lucy magdalena makame margaret mariam mariamu martha mary maria mbaraka modesta mohamed
mohamedi monica moses musa mussa mwajuma mwanahamisi mwanahawa mwanaidi mwanaisha mwinyi
nicholaus omari paulina paulo petro prisca ramadhani rashid rashidi rebecca riziki rukia saida
saidi salim salma salum samuel sarah seif selemani shabani sharifa stella suleiman theresia
veronica winfrida yohana yusuf yusufu zainabu zuberi zuhura
"""
# Names that are also everyday words (Neema is grace, Jumanne is Tuesday): a name only beside
# another capitalised word or a form of address, never alone.
_ALSO_WORDS = """
amani baraka faraja furaha grace hope imani joy jumanne mercy neema pendo rehema subira tatu
tumaini upendo zawadi said
"""
# Surnames common in Tanzania, and Chinese surnames in pinyin of three letters or more.
_SURNAMES = """
chacha kaaya kessy kimaro kisanga kivuyo kweka laizer lema lukumay lyatuu lyimo mabula magesa
maige makundi mallya marealle marwa masanja massawe mbwambo mbwana mchome mfinanga minja mmari
mollel mosha mrema msuya mtui mushi mwakalinga mwakasege mwakyusa mwamba mwita ngowi njau nnko
nyirenda shayo shija shirima swai tarimo temba urassa
wang zhang liu chen yang huang zhao zhou sun zhu guo lin gao luo zheng liang xie song tang han
feng deng cao peng zeng xiao tian dong pan yuan cai jiang wei
"""
# Capitalised words of medicine and places that must never count as a name beside another one.
_NOT_NAMES = """
chiari dandy walker arnold glasgow marshall rotterdam spetzler martin hunt hess fisher rankin
karnofsky cushing horner brown sequard hakim adams monro kernig babinski romberg virchow denis
jefferson chance simpson willis galen magendie luschka sylvius bell wernicke broca todd parinaud
gardner wells mayfield ommaya frankel asia impact gos gcs ct mri icu ward hospital theatre
jackson pratt penfield kocher kerrison leksell sugita yasargil
mjamzito mzazi mtoto mgonjwa mkubwa mdogo wodi
"""
GIVEN_NAMES = frozenset(_GIVEN.split())
NAMES = GIVEN_NAMES | frozenset(_ALSO_WORDS.split()) | frozenset(_SURNAMES.split())
NOT_NAMES = frozenset(_NOT_NAMES.split())

_TITLE_WORDS = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "mister",
    "madam",
    "bw",
    "bwana",
    "bi",
    "bibi",
    "mzee",
    "mama",
    "baba",
    "dada",
    "kaka",
    "shangazi",
    "mjomba",
    "master",
]
# Capitalised or in lower case, never in capitals: "MR Angiography" is an examination.
_TITLES = "|".join(
    [*(word.capitalize() for word in _TITLE_WORDS), *_TITLE_WORDS]
    + [r"(?i:baby\s+of|s/o|d/o|w/o|son\s+of|daughter\s+of|wife\s+of|mtoto\s+wa|mke\s+wa)"]
)
_CAPITALISED = r"[A-Z][a-zA-Z'’]+(?:-[A-Z][a-zA-Z'’]+)?"
_ADDRESSED = re.compile(rf"(?<![\w/])(?:{_TITLES})\.?\s+(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED})?)")
# "Name:" alone only at the start of a line ("Procedure name: VP shunt" is not a person).
_LABELLED = re.compile(
    r"(?:(?<!\w)(?i:patient'?s?\s+name|pt\.?\s+name|jina\s+la\s+mgonjwa|majina\s+ya\s+mgonjwa)"
    r"|(?m:^)\s*(?i:name|jina|majina))\s*[:：=-]\s*(?P<name>[^\s,;.]+(?:\s+[^\s,;.]+)?)"
)
_CHINESE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_CHINESE_ADDRESS = "先生|女士|小姐|太太|阿姨|大爷|大妈|奶奶|爷爷|老伯|阿婆|师傅"
_CHINESE_ADDRESSED = re.compile(
    rf"(?P<name>[{_CHINESE_SURNAMES}][\u4e00-\u9fff]{{0,2}}?(?:{_CHINESE_ADDRESS}))"
)
# 患者张伟，男: a surname and one or two characters between "the patient" and a comma. Some
# clinical words start with a surname's character (高热 is a high fever): those are not names.
# "Patient: Asha" (a capitalised word after it; "Patient: stable" is the patient's state).
_PATIENT_LABELLED = re.compile(
    rf"(?<!\w)(?i:patient|pt|mgonjwa)\.?\s*[:：-]\s*(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED})?)"
)
_CHINESE_PATIENT = re.compile(
    rf"(?:患者|病人|患儿|伤者)[：:\s]*(?P<name>[{_CHINESE_SURNAMES}][\u4e00-\u9fff]{{1,2}})"
    rf"(?=[，,、。；;：:\s（(]|$)"
)
# 张伟，男: a surname and one or two characters, then the sex, as a case is presented.
_CHINESE_PRESENTED = re.compile(
    rf"(?<![\u4e00-\u9fff])(?P<name>[{_CHINESE_SURNAMES}][\u4e00-\u9fff]{{1,2}})[，,、\s]*[男女](?:[，,、。；;\s]|性|$)"
)
_NOT_CHINESE_NAMES = frozenset(
    [
        "高热",
        "高烧",
        "高龄",
        "高危",
        "高血压",
        "于今",
        "于昨",
        "曾有",
        "曾行",
        "周岁",
        "方面",
        "任何",
        "金属",
        "石膏",
        "龙骨",
    ]
)
_CHINESE_LABELLED = re.compile(r"(?:姓名|患者姓名|病人姓名|名字)[:：]?\s*(?P<name>[\u4e00-\u9fff]{2,4})")
_WORD = re.compile(_CAPITALISED)
_CLINICIAN = frozenset({"dr", "prof", "professor", "daktari", "dkt"})
_CLINICIAN_BEFORE = re.compile(r"(?i:\b(?:dr|prof|professor|daktari|dkt))\.?\s+$")
_SAINT_BEFORE = re.compile(r"(?i:\bst|\bsaint|\bmt)\.?\s+$")


def _just_before(text: str, start: int) -> str:
    """The few characters before `start`: what the patterns look at there (a title, "St"). Only
    these, so that the time stays in step with the text's length, however long it is."""
    return text[max(0, start - 16) : start]


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` begins the text, a sentence, a bracket or a dash's clause."""
    at = start
    while at > 0 and text[at - 1].isspace():
        at -= 1
    if at == 0:
        return True
    mark = text[at - 1]
    return mark in ".!?;:\n(" or (mark in "-–—" and at < start)


@dataclass(frozen=True)
class NameLike:
    start: int
    end: int
    text: str


def name_like(text: str) -> list[NameLike]:
    """Each stretch of `text` that reads as a person's name, in order, without overlaps."""
    found = [*_addressed(text), *_labelled(text), *_chinese(text), *_by_name_list(text)]
    kept: list[NameLike] = []
    # Sorted by start, the kept ones do not overlap, so only the last can reach a new one.
    for candidate in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not kept or kept[-1].end <= candidate.start:
            kept.append(candidate)
    return kept


def _addressed(text: str) -> Iterator[NameLike]:
    for match in _ADDRESSED.finditer(text):
        words = match.group("name").split()
        while words and words[-1].casefold() in NOT_NAMES:
            words.pop()
        if words and words[0].casefold() not in NOT_NAMES:
            start = match.start("name")
            shown = " ".join(words)
            yield NameLike(start, start + len(shown), shown)


def _labelled(text: str) -> Iterator[NameLike]:
    for pattern in (_LABELLED, _PATIENT_LABELLED, _CHINESE_LABELLED):
        for match in pattern.finditer(text):
            if pattern is _PATIENT_LABELLED and match.group("name").split()[0].casefold() not in NAMES:
                continue  # "Patient: Alert, GCS 15" is how the patient is, not who
            yield NameLike(match.start("name"), match.end("name"), match.group("name"))


def _chinese(text: str) -> Iterator[NameLike]:
    for pattern in (_CHINESE_ADDRESSED, _CHINESE_PATIENT, _CHINESE_PRESENTED):
        for match in pattern.finditer(text):
            name = match.group("name")
            if "某" not in name and name not in _NOT_CHINESE_NAMES:
                yield NameLike(match.start("name"), match.end("name"), name)


def _by_name_list(text: str) -> Iterator[NameLike]:
    words = list(_WORD.finditer(text))
    index = 0
    while index < len(words):
        run = [words[index]]
        while (
            len(run) < 3
            and index + len(run) < len(words)
            and text[run[-1].end() : words[index + len(run)].start()] == " "
        ):
            run.append(words[index + len(run)])
        folded = [word.group().casefold() for word in run]
        if folded[0] in _CLINICIAN or _CLINICIAN_BEFORE.search(_just_before(text, run[0].start())):
            index += len(run)  # Dr John Mushi: a clinician, named on purpose
            continue
        if len(run) > 1 and any(f in NAMES for f in folded) and not any(f in NOT_NAMES for f in folded):
            first = run[0]
            if folded[0] not in NAMES and _starts_sentence(text, first.start()):
                first = run[1]  # "Is Amina Mollel...": the sentence's first word is not the name
            yield NameLike(first.start(), run[-1].end(), text[first.start() : run[-1].end()])
            index += len(run)
            continue
        word = words[index]
        if (
            word.group().casefold() in GIVEN_NAMES
            and not _starts_sentence(text, word.start())
            and not _SAINT_BEFORE.search(_just_before(text, word.start()))
        ):
            yield NameLike(word.start(), word.end(), word.group())
        index += 1
