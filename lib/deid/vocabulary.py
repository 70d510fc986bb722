"""Clean Descriptors as an allow-list: only words known to be safe survive a description.

Plain Python. A study, series or protocol description is typed by staff and by scanners, and a
doctor's or relative's name or a number can be in it ("CT HEAD Dr Mushi 0754…"). Looking for
identifiers cannot find every name, so the description is split into words and each word is kept
only when it is an acquisition or anatomy term as scanners write them (`TERMS`, in English,
Chinese and a few Kiswahili words), or matches a safe pattern: a measurement with its unit
("5mm", "0.625", "120kV", "64x0.625"), a short code ("H30s", "FC03", "1A"), a number of at most
three digits. Everything else is dropped; a run of digits that could be a phone number, a date or
a record number (five digits or more, however spaced) is dropped whole first, and so is a date
written in Chinese. What is removed is only counted: the words themselves are never kept.

Chinese has no spaces: a run of CJK characters is read from left to right, taking the longest
term that starts at each character; characters that start no term are dropped. Terms of one CJK
character are not allowed (a lone character is in too many names).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from lib.identifiers import CJK

# As scanners and radiographers write them (compared case-insensitively).
_ENGLISH = """
head brain skull cranium cranial neurocranium face facial orbit orbits sinus sinuses paranasal
temporal petrous mastoid mastoids iac iacs ear ears eye eyes optic nasal nose sella pituitary
hypophysis fossa posterior anterior cerebellum brainstem ventricle ventricles cerebral
intracranial maxillofacial mandible jaw tmj dental skullbase base vertex frontal parietal
occipital neck cervical thoracic lumbar lumbosacral sacrum sacral coccyx spine spinal cord
c-spine t-spine l-spine cspine tspine lspine whole body chest thorax lung lungs abdomen
abdominal abd abdo pelvis pelvic kub extremity upper lower left right bilateral lt rt arm leg
knee hip shoulder ankle wrist hand foot elbow heart cardiac coronary aorta aortic carotid
carotids vertebral basilar circle willis cow vessels vascular venous arterial artery arteries
vein veins neuro hn
ax axi axial tra transverse trans transaxial cor coronal sag sagittal obl oblique mpr mip minip
vr vrt 2d 3d 4d curved cpr reformat reformats reformatted recon recons reconstruction
reconstructions reconstructed thin thick slab slabs volume vol surface ssd radial multiplanar
c+ c- +c -c contrast with without w w/ w/o wo non noncontrast non-contrast pre post precontrast
postcontrast plain enhanced enhancement unenhanced nc ce cect ncct iv oral phase delayed portal
angio angiography angiogram cta ctv ctp mra mrv perfusion perf bolus tracking timing dyn dynamic
std std+ standard bone bone+ soft tissue softtissue sharp smooth detail edge ub ua ya yb yc ec eb
sr idose idose4 imr asir asir-v asirv admire safire aidr aidr3d fbp mbir veo dlir iterative level
strength window windows win wl ww subdural stroke
mm cm ms sec kv kvp ma mas ctdi ctdivol dlp mgy mgycm mgy*cm hu kev pitch fov dfov sfov matrix
slice slices thickness thk interval increment spacing gap collimation
routine rout helical heli spiral sequential seq scout topogram topo localizer localiser locator
surview scanogram pilot survey dose report summary info screen series image images scan scans
study exam examination ct mr mri cr dx xa pet spect sc trauma emergency emerg er ed stat urgent
acute adult adults child paed ped peds pediatric paediatric infant neonatal hemorrhage
haemorrhage bleed ich sah sdh edh tbi injury fracture shunt vp hydrocephalus tumour tumor mass
postop post-op preop pre-op followup follow-up fu review repeat original primary secondary
derived protocol default sequence fine high resolution hr hrct low ld ldct ultra fast quick care
caredose caredose4d carekv smartma automa auto modulation tilt gantry flash dual energy de dect
spectral mono monoenergetic iodine water metal mar omar smar imar add phantom qa calibration
t1 t2 t2* flair dwi adc swi gre tse fse se ir stir pd tof mprage space cube bravo vibe fiesta
ciss dti epi b0 b1000 trace fs fatsat gad gd mpr
computed tomography magnetic resonance imaging radiography x-ray xray procedure dosimetry iec
pmma cylinder om oml sn il xy nasion
of and the to in on at for no number o
patient save saved capture stnd
"""
_CHINESE = """
头颅 头部 颅脑 颅骨 脑部 大脑 小脑 脑干 平扫 增强 增强扫描 轴位 冠状位 矢状位 横断位 横断 冠状 矢状
骨窗 脑窗 软组织窗 肺窗 纵隔窗 窗宽 窗位 薄层 厚层 层厚 重建 重组 三维 二维 螺旋 容积 定位像 定位
剂量报告 剂量 报告 常规 急诊 外伤 创伤 血管成像 动脉期 静脉期 延迟期 灌注 颈椎 胸椎 腰椎 骶椎 脊柱
颈部 胸部 腹部 盆腔 眼眶 鼻窦 颞骨 内耳 颅底 蝶鞍 垂体 骨算法 软组织算法 标准算法 算法 标准 扫描
序列 检查 复查 术后 术前 儿童 成人 对比剂 造影剂 造影 非增强 血管 动脉 静脉 磁共振 弥散 加权
毫米 图像 系列 原始 重排 最大密度投影 多平面重建 容积再现
"""
_KISWAHILI = "kichwa ubongo fuvu shingo kifua tumbo mgongo"
# Manufacturers and model words, as scanners write them in Manufacturer and ManufacturerModelName.
_DEVICES = """
ge medical systems philips siemens healthineers toshiba canon hitachi fujifilm united imaging uih
neusoft mindray shimadzu samsung hologic agfa carestream kodak konica minolta esaote planmed
analogic healthcare ltd co inc corporation corp company electric gmbh ag nv bv
hispeed lightspeed brightspeed optima revolution discovery signa vct pro dual fx nx ingenuity
brilliance incisive access icon iqon achieva ingenia intera multiva somatom definition emotion
sensation perspective scope spirit go up now top open force drive magnetom avanto aera skyra
verio prisma vida essenza amira sola altea aquilion one prime lightning genesis alexion
astelion vantage titan galan orian elan scenaria supria eclos echelon oval airis neuviz nexus
evolution syngo scanner version software
"""
_DEVICES_CHINESE = "联影 东软 迈瑞 万东 安科 明峰 医疗 医疗系统 科技"
# The demo's synthetic head CT (lib.phantom) says what it is in its header, and the viewer shows
# it: these words must survive in its descriptions, its manufacturer and its comments.
SYNTHETIC_MANUFACTURER = "NeuroDaraja synthetic phantom"
SYNTHETIC_MARKERS = frozenset({"synthetic", "phantom", "neurodaraja"})
_SYNTHETIC = "synthetic neurodaraja numerical demonstration human"

TERMS: frozenset[str] = frozenset((_ENGLISH + _KISWAHILI + _DEVICES + _SYNTHETIC).split()) | frozenset(
    (_CHINESE + _DEVICES_CHINESE).split()
)
_CJK_ONLY = re.compile(f"[{CJK}]+")
_LONGEST_CJK = max(len(term) for term in TERMS if _CJK_ONLY.fullmatch(term))

_UNITS = r"(?:mm|cm|m|ms|s|sec|kv|kvp|ma|mas|mgy|hu|kev|t|%|°|deg|x|min)"
_NUMBER = r"(?:\d{1,3}(?:\.\d+)?|\.\d+)"
_SAFE_PATTERNS = [
    re.compile(rf"{_NUMBER}{_UNITS}?"),  # 5, 5.0, 0.625, 5mm, 120kv, 3t, 50%
    re.compile(rf"\d{{1,3}}x{_NUMBER}{_UNITS}?"),  # detector rows: 64x0.625, 16x1.25mm
    re.compile(r"\d{1,3}(?:st|nd|rd|th)"),
    re.compile(r"[a-z]{1,3}\d{1,3}[a-z]{0,2}\+?"),  # kernels and series codes: h30s, fc03, b30f, se3
    re.compile(r"\d[a-z]"),  # 1a, 3d
    re.compile(r"#\d{1,3}"),
]
# A term with a number after it: window1, recon2, series3.
_TERM_AND_NUMBER = re.compile(r"([^\W\d_]+)(\d{1,3})")
# Digits that could be a phone, a record number or a date, however spaced: dropped whole.
_NUMBER_RUN = re.compile(r"(?<![0-9A-Za-z.])\+?\d+(?:[ ./:-]{1,2}\d+)*(?![0-9A-Za-z])")
_CJK_DATE = re.compile(
    r"\d{2,4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*[日号])?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
)
# A word: a run of CJK characters, or of letters, digits and the marks scanners put in terms.
_TOKEN = re.compile(rf"[{CJK}]+|(?:[^\W_{CJK}]|[+\-.%#°'*])+")
_STRIP = ".'-"
_JOINING = frozenset({"of", "and", "the", "to", "in", "on", "at", "for", "with", "w", "w/"})
_OPEN, _CLOSE = "([{", ")]}"


@dataclass(frozen=True)
class Cleaned:
    text: str  # what is left, "" when no safe word was found
    removed: int  # how many words (or runs of characters) were dropped


def is_safe_word(word: str) -> bool:
    folded = word.casefold()
    if folded in TERMS or any(pattern.fullmatch(folded) for pattern in _SAFE_PATTERNS):
        return True
    numbered = _TERM_AND_NUMBER.fullmatch(folded)
    return bool(numbered and numbered.group(1) in TERMS)


# A technical code (a kernel, a sequence name, a coding scheme): one token of code characters.
_CODE = re.compile(r"[A-Za-z0-9*+\-._#:;]{1,16}")
_LONG_DIGITS = re.compile(r"\d{5}")


def is_code(value: str, long_numbers: bool = False) -> bool:
    """A value that can only be a code: one token, no date or long number (unless the caller
    knows the code is from a public scheme, where long numbers are codes: SNOMED 12738006),
    and a digit in it, or at most three characters (UB, HU, DCM), or a known term (BONE)."""
    if not _CODE.fullmatch(value) or (not long_numbers and _LONG_DIGITS.search(value)):
        return False
    if re.search(r"\d", value) or len(value) <= 3:
        return True
    return value.casefold() in TERMS


def _split_word(word: str) -> list[tuple[str, bool]]:
    """A word, or its hyphenated parts, each with whether it is safe."""
    if is_safe_word(word):
        return [(word, True)]
    core = word.strip(_STRIP)
    if core and is_safe_word(core):
        return [(core, True)]
    if "-" in core:
        return [(part, is_safe_word(part)) for part in core.split("-") if part]
    return [(word, False)]


def _segment_cjk(run: str) -> list[tuple[str, bool]]:
    """Longest terms first, left to right; a run of characters that starts no term is unsafe."""
    pieces: list[tuple[str, bool]] = []
    index = 0
    while index < len(run):
        for length in range(min(_LONGEST_CJK, len(run) - index), 1, -1):
            if run[index : index + length] in TERMS:
                pieces.append((run[index : index + length], True))
                index += length
                break
        else:
            if pieces and not pieces[-1][1]:
                pieces[-1] = (pieces[-1][0] + run[index], False)
            else:
                pieces.append((run[index], False))
            index += 1
    return pieces


def _words(text: str) -> Iterator[tuple[str, str, bool]]:
    """(separator before, word, safe) for every word of the text, CJK runs segmented."""
    position = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if not any(char.isalnum() for char in token):
            continue  # a lone "+" or "-" between words is a separator, not a word
        separator, position = text[position : match.start()], match.end()
        cjk = bool(_CJK_ONLY.fullmatch(token))
        pieces = _segment_cjk(token) if cjk else _split_word(token)
        for index, (piece, safe) in enumerate(pieces):
            yield (separator if index == 0 else ("" if cjk else "-")), piece, safe
    yield text[position:], "", True  # what follows the last word: a closing bracket stays


def _balanced(text: str) -> str:
    """Brackets whose partner went with a dropped word go too."""
    keep = [True] * len(text)
    stack: list[int] = []
    for index, char in enumerate(text):
        if char in _OPEN:
            stack.append(index)
        elif char in _CLOSE:
            if stack and _OPEN.index(text[stack[-1]]) == _CLOSE.index(char):
                stack.pop()
            else:
                keep[index] = False
    for index in stack:
        keep[index] = False
    return "".join(char for char, kept in zip(text, keep, strict=True) if kept)


@lru_cache(maxsize=4096)  # the slices of a series repeat their descriptions
def clean(text: str) -> Cleaned:
    """The description with only its safe words, and the separators between the words kept."""
    removed = 0

    def drop_run(match: re.Match[str]) -> str:
        nonlocal removed
        if _CJK_DATE.fullmatch(match.group()) or len(re.sub(r"\D", "", match.group())) >= 5:
            removed += 1
            return " \0 "  # marks the place: something was dropped here
        return match.group()

    text = _NUMBER_RUN.sub(drop_run, _CJK_DATE.sub(drop_run, text))
    kept: list[tuple[str, str]] = []  # (separator before, word)
    gap = False  # a word was dropped since the last one kept
    for separator, word, safe in _words(text):
        gap = gap or "\0" in separator
        if not word:  # the end: its separator stays only right after a kept word
            if kept and not gap:
                kept.append((separator.replace("\0", ""), ""))
            break
        if not safe:
            removed += 1
            gap = True
            continue
        separator = separator.replace("\0", "")
        kept.append((" " if gap and not separator.strip() else separator, word))
        gap = False
    # "scan for", "of Head": a joining word left at either end by a dropped name says nothing.
    end = kept.pop() if kept and not kept[-1][1] else ("", "")
    while kept and kept[-1][1].casefold() in _JOINING:
        kept.pop()
        end = ("", "")
    while kept and kept[0][1].casefold() in _JOINING:
        kept.pop(0)
    out = [word if index == 0 else separator + word for index, (separator, word) in enumerate(kept)]
    if kept:
        out.append(end[0])
    result = re.sub(r"\s{2,}", " ", _balanced("".join(out))).strip(" ,;:/\\-_^|")
    return Cleaned(result, removed)


__all__ = [
    "SYNTHETIC_MANUFACTURER",
    "SYNTHETIC_MARKERS",
    "TERMS",
    "Cleaned",
    "clean",
    "is_code",
    "is_safe_word",
]
