"""De-identification of DICOM objects at the border: the DICOM PS3.15 Annex E Basic Application
Level Confidentiality Profile, with the options a consultation needs.

Plain Python (pydicom only). The profile's per-attribute actions (current Table E.1-1) come from
the `dicom-anonymizer` package, which tracks the standard's editions; this module decides how
each action and option is carried out and records every decision in a report:

- D / Z / X / U as the profile says; where the table allows a choice (X/Z, X/D, X/Z/D, Z/D) the
  attribute is removed or emptied, never given a dummy value, unless noted.
- Retain Longitudinal Temporal Information with Modified Dates: every date that survives is moved
  by a per-patient offset (held only on the Tanzanian side); times are kept; the birth date goes.
- Retain Patient Characteristics: age, sex, size and weight are kept.
- Clean Descriptors: every text attribute the option names in Table E.1-1 (study, series and
  protocol descriptions, image and frame comments, procedure descriptions…), and a few the
  table does not name but viewers show (window explanations), keeps only its words known to be
  safe (`lib.deid.vocabulary`); the report counts the words removed, never says which. A code's
  meaning is kept only if every word of it is safe. What is left is still checked for the
  patient's own identifiers.
- Retain Device Identity: off by default.
- D: a dummy value valid for the VR (a date moved by the offset when it can be, else a fixed
  one); inside a sequence the profile replaces (ContentSequence, PersonIdentificationCode-
  Sequence…) every text value is replaced by a dummy, so required items stay present but
  carry nothing of the original.
- Text the table does not name is an allow-list: a PN, LO, SH, LT, ST, UT, UC, AE or UR
  attribute that the table does not name is removed, at every depth, unless it is on
  `SAFE_TEXT` (what a scanner's firmware writes and a viewer needs: manufacturer, model,
  kernel, code values…), and then only in a shape that cannot hold a name (device words from
  the vocabulary; one code-like token) and with none of the patient's identifiers. CS
  values (defined terms, 16 characters of A-Z, 0-9, space and _) are kept when they carry no
  identifier; numbers, UIDs, dates and pixels follow the table.
- Private elements are removed unless on an explicit safe list; overlays (which can carry text)
  and curves are removed; UIDs are replaced consistently by the caller's mapping.
- Beyond the profile: every text element that is kept is checked for the patient's own
  identifiers (from this header and from the case) and removed if one is found, because
  scanners put names where no table expects them.

The SOP Class and transfer syntax are kept, so the result is valid, storable DICOM.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from dicomanonymizer.dicom_anonymization_databases import dicomfields_2026c as table_e1_1
from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag, Tag

from lib.deid import vocabulary
from lib.identifiers import CJK, Identity, cjk_names, join_cjk, scan

PROFILE_EDITION = "DICOM PS3.15 2026c Table E.1-1"


class Action(StrEnum):
    REMOVED = "removed"
    EMPTIED = "emptied"
    REPLACED = "replaced"  # a dummy value, or the case code for the patient's name and ID
    UID_REPLACED = "uid_replaced"
    DATE_SHIFTED = "date_shifted"
    KEPT = "kept"


class Reason(StrEnum):
    PROFILE = "profile"  # the Basic Profile's action for this attribute
    PRIVATE = "private"
    OVERLAY_OR_CURVE = "overlay_or_curve"
    PATIENT_CHARACTERISTICS = "patient_characteristics"
    DEVICE_IDENTITY = "device_identity"
    MODIFIED_DATES = "modified_dates"
    CLEAN_DESCRIPTOR = "clean_descriptor"
    UNSAFE_DESCRIPTOR = "unsafe_descriptor"
    IDENTIFIER_FOUND = "identifier_found"
    UNKNOWN_VR = "unknown_vr"
    SAFE_PRIVATE = "safe_private"
    PSEUDONYM = "pseudonym"
    NOT_IN_PROFILE = "not_in_profile"  # the profile keeps it (and it carries no identifier)
    CLEANED_DESCRIPTOR = "cleaned_descriptor"  # a description with its unknown words removed
    NOT_ON_SAFE_LIST = "not_on_safe_list"  # text the profile does not name and no list calls safe
    SAFE_TEXT = "safe_text"  # text on the safe list, checked for the patient's identifiers


@dataclass(frozen=True)
class Entry:
    path: str
    action: Action
    reason: Reason
    # How many words a cleaned description lost: a count only, the words themselves are never
    # kept (the report is read at home, but nothing here may ever hold what was removed).
    words_removed: int = 0


@dataclass(frozen=True)
class Options:
    """What to keep. `shift_days` and `pseudonym` come from the Tanzanian side, per patient."""

    shift_days: int
    pseudonym: str
    retain_patient_characteristics: bool = True
    clean_descriptors: bool = True
    retain_device_identity: bool = False
    # (private creator, group, element offset): e.g. ("GEMS_ACQU_01", 0x0019, 0x23).
    safe_private: frozenset[tuple[str, int, int]] = frozenset()
    identity: Identity = field(default_factory=Identity)


@dataclass
class Outcome:
    dataset: Dataset
    entries: list[Entry]

    def summary(self) -> dict[str, int]:
        """How many attributes each action touched, for the referrer's summary."""
        return dict(Counter(entry.action.value for entry in self.entries))


def _table() -> dict[int, str]:
    actions: dict[int, str] = {}
    for name in (
        "D_TAGS",
        "Z_TAGS",
        "X_TAGS",
        "U_TAGS",
        "Z_D_TAGS",
        "X_Z_TAGS",
        "X_D_TAGS",
        "X_Z_D_TAGS",
        "X_Z_U_STAR_TAGS",
    ):
        for entry in getattr(table_e1_1, name):
            if len(entry) == 2:  # the masked entries (curves, overlays) are handled by group below
                actions[(entry[0] << 16) | entry[1]] = name.removesuffix("_TAGS")
    return actions


PROFILE = _table()

PATIENT_CHARACTERISTICS = {Tag(k) for k in ("PatientAge", "PatientSex", "PatientSize", "PatientWeight")}
DEVICE_IDENTITY = {
    Tag(k)
    for k in (
        "DeviceSerialNumber",
        "StationName",
        "DetectorID",
        "DeviceUID",
        "GantryID",
        "PlateID",
        "CassetteID",
        "GeneratorID",
        "SourceSerialNumber",
        "DeviceLabel",
        "DeviceDescription",
    )
}
# Clean Descriptors: the text attributes Table E.1-1 marks "C" in that option's column (the
# sequences it marks are removed as the Basic Profile says), plus what viewers show that the
# table does not name. Each keeps only its safe words (lib.deid.vocabulary).
DESCRIPTORS = {
    Tag(k)
    for k in (
        "AcquisitionComments",
        "AcquisitionDeviceProcessingDescription",
        "AcquisitionFieldOfViewLabel",
        "AcquisitionProtocolDescription",
        "AdditionalPatientHistory",
        "AdmittingDiagnosesDescription",
        "Allergies",
        "BeamDescription",
        "BolusDescription",
        "ClinicalTrialSeriesDescription",
        "ClinicalTrialTimePointDescription",
        "CommentsOnRadiationDose",
        "CommentsOnThePerformedProcedureStep",
        "CompensatorDescription",
        "ConceptualVolumeCombinationDescription",
        "ConceptualVolumeDescription",
        "ContainerDescription",
        "ContrastBolusAgent",
        "ContributionDescription",
        "DecompositionDescription",
        "DerivationDescription",
        "DischargeDiagnosisDescription",
        "DoseReferenceDescription",
        "EntityDescription",
        "EntityLabel",
        "EntityLongLabel",
        "EntityName",
        "EquipmentFrameOfReferenceDescription",
        "FixationDeviceDescription",
        "FractionationNotes",
        "FractionGroupDescription",
        "FrameComments",
        "IdentifyingComments",
        "ImageComments",
        "ImagingServiceRequestComments",
        "Impressions",
        "InterlockDescription",
        "InterlockOriginDescription",
        "InterpretationDiagnosisDescription",
        "InterpretationText",
        "LabelText",
        "LongDeviceDescription",
        "MedicalAlerts",
        "MultienergyAcquisitionDescription",
        "Occupation",
        "PatientComments",
        "PatientState",
        "PerformedProcedureStepDescription",
        "PrescriptionDescription",
        "PrescriptionNotes",
        "PriorTreatmentDoseDescription",
        "ProtocolName",
        "RadiationDoseIdentificationLabel",
        "RadiationDoseInVivoMeasurementLabel",
        "RadiationGenerationModeDescription",
        "RadiationGenerationModeLabel",
        "ReasonForOmissionDescription",
        "ReasonForStudy",
        "ReasonForSuperseding",
        "ReasonForTheImagingServiceRequest",
        "ReasonForTheRequestedProcedure",
        "ReasonForVisit",
        "RequestedContrastAgent",
        "RequestedProcedureComments",
        "RequestedProcedureDescription",
        "RequestedSeriesDescription",
        "RespiratoryMotionCompensationTechniqueDescription",
        "ResultsComments",
        "ROIDescription",
        "ROIGenerationDescription",
        "ROIName",
        "ROIObservationDescription",
        "ROIObservationLabel",
        "RTPhysicianIntentNarrative",
        "RTPlanDescription",
        "RTPlanLabel",
        "RTPlanName",
        "RTPrescriptionLabel",
        "RTToleranceSetLabel",
        "RTTreatmentApproachLabel",
        "ScheduledProcedureStepDescription",
        "SeriesDescription",
        "ServiceEpisodeDescription",
        "SetupTechniqueDescription",
        "ShieldingDeviceDescription",
        "SpecimenDetailedDescription",
        "SpecimenShortDescription",
        "StructureSetDescription",
        "StructureSetLabel",
        "StructureSetName",
        "StudyComments",
        "StudyDescription",
        "TreatmentPositionGroupLabel",
        "TreatmentSite",
        "TreatmentTechniqueNotes",
        "TreatmentToleranceViolationDescription",
        "UserContentLabel",
        "UserContentLongLabel",
        "VisitComments",
        # Not in the table, shown by viewers: cleaned the same way.
        "WindowCenterWidthExplanation",
        "LUTExplanation",
        "ContentDescription",
        "ContrastBolusRoute",
        "AcquisitionDeviceProcessingCode",
        "PositionReferenceIndicator",
    )
}
# Type 2 where they appear: left empty, not removed, when no safe word remains.
EMPTIED_WHEN_UNSAFE = {Tag(k) for k in ("PositionReferenceIndicator", "ContentDescription")}
# Kept only when every word is safe; otherwise a dummy (it is Type 1 in every code sequence).
CODE_MEANINGS = {Tag("CodeMeaning")}
# Text the table does not name that a scanner's firmware writes and the objects need to stay
# valid and useful. Anything else of a text VR that the table does not name is removed
# (SecondaryCaptureDevice…, TextValue, comments on a procedure step…). These are kept only in a
# shape that cannot hold a name: device words from the vocabulary, or codes (`is_code`).
DEVICE_WORDS = {
    Tag(k)
    for k in (
        "Manufacturer",
        "ManufacturerModelName",
        "SoftwareVersions",
        "DetectorManufacturerName",
        "DetectorManufacturerModelName",
    )
}
CODES = {
    Tag(k)
    for k in (
        "ConvolutionKernel",
        "FilterType",
        "RescaleType",
        "ModalityLUTType",
        "StackID",
        "SequenceName",
        "PulseSequenceName",
        "ReceiveCoilName",
        "TransmitCoilName",
        "ImagedNucleus",
        "CodingSchemeDesignator",
        "CodingSchemeVersion",
        "CodeValue",
        "LongCodeValue",
    )
}
CODE_VALUES = {Tag("CodeValue"), Tag("LongCodeValue")}
SAFE_TEXT = DEVICE_WORDS | CODES
# Public coding schemes: their code values are published concepts, never a person's (a code
# value under a local scheme can be an employee number: it must look like a code).
PUBLIC_SCHEMES = frozenset(
    {"DCM", "SCT", "SRT", "SNM3", "LN", "UCUM", "RADLEX", "FMA", "NCIT", "I10", "I9C", "ICD10", "MSH", "ACR"}
)
NEVER_SHIFTED = {
    Tag(k) for k in ("PatientBirthDate", "PatientBirthTime", "PatientBirthDateInAlternativeCalendar")
}
PSEUDONYMISED = {Tag("PatientName"), Tag("PatientID")}
_SPECIAL = (
    PSEUDONYMISED | PATIENT_CHARACTERISTICS | DEVICE_IDENTITY | DESCRIPTORS | CODE_MEANINGS | NEVER_SHIFTED
)
_REMOVED_ACTIONS = {"X", "X_Z", "X_D", "X_Z_D"}
TEXT_VRS = {"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UR", "UT"}
# Text that can hold anything a person types: removed unless the table or SAFE_TEXT names it.
FREE_TEXT_VRS = TEXT_VRS - {"CS"}
_DICOM_DATE = re.compile(r"(?<!\d)(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)")
_LONG_NUMBER = re.compile(r"\d{5,}")
REDACTED = "REMOVED"  # valid in every text VR, CS and AE included
# Dummies for the "D" action, each valid for its VR (PS3.5 6.2): not empty, nothing of the original.
_DUMMY: dict[str, object] = {
    "PN": "ANONYMOUS",
    "AE": "ANONYMOUS",
    "CS": "ANONYMIZED",
    "SH": "ANONYMIZED",
    "LO": "ANONYMIZED",
    "ST": "ANONYMIZED",
    "LT": "ANONYMIZED",
    "UT": "ANONYMIZED",
    "UC": "ANONYMIZED",
    "UR": "urn:oid:2.25.0",
    "DA": "19000101",
    "DT": "19000101000000",
    "TM": "000000",
    "IS": "0",
    "DS": "0",
    **dict.fromkeys(("US", "SS", "UL", "SL", "UV", "SV", "FL", "FD"), 0),
    **dict.fromkeys(("OB", "OW", "OD", "OF", "OL", "OV", "UN"), b"\0\0"),
}

# Where the patient's own identifiers are found in a header, to look for them everywhere else.
IDENTIFYING = [
    Tag(k)
    for k in (
        "PatientName",
        "PatientID",
        "OtherPatientIDs",
        "OtherPatientNames",
        "PatientBirthName",
        "PatientMotherBirthName",
        "PatientAddress",
        "PatientTelephoneNumbers",
        "AccessionNumber",
        "MedicalRecordLocator",
        "ReferringPhysicianName",
        "PerformingPhysicianName",
        "NameOfPhysiciansReadingStudy",
        "OperatorsName",
        "RequestingPhysician",
        "ResponsiblePerson",
        "InstitutionName",
        "InstitutionAddress",
        "PatientBirthDate",
    )
]


_WORD_SEPARATORS = re.compile(rf"[\s^,.;:/\\()'\"_=+\-{CJK}]+")


@dataclass(frozen=True)
class _Identifiers:
    words: frozenset[str]  # name parts and other words, case-folded
    compact: frozenset[str]  # IDs with spacing and punctuation removed
    digits: frozenset[str]  # phone numbers, dates: the digits only
    cjk: frozenset[str] = frozenset()  # names in scripts without spaces: two characters or more

    def found_in(self, text: str) -> bool:
        folded = text.casefold()
        if set(_WORD_SEPARATORS.split(folded)) & self.words:
            return True
        squeezed = re.sub(r"[\W_]+", "", folded)
        if any(value in squeezed for value in self.compact):
            return True
        if self.cjk and _HAS_CJK.search(text):
            # No word boundaries in Chinese: the name is looked for inside the text.
            joined = join_cjk(text)
            if any(name in joined for name in self.cjk):
                return True
        digits = re.sub(r"\D+", "", text)
        return any(value in digits for value in self.digits)


_HAS_CJK = re.compile(f"[{CJK}]")


def _identifiers(ds: Dataset, identity: Identity) -> _Identifiers:
    words: set[str] = set()
    compact: set[str] = set()
    digits: set[str] = set()
    cjk: set[str] = set()

    def add(text: str) -> None:
        for word in _WORD_SEPARATORS.split(text.casefold()):
            if len(word) >= 3 and not word.isdigit():
                words.add(word)
        squeezed = re.sub(r"[\W_]+", "", text.casefold())
        if len(squeezed) >= 5:
            compact.add(squeezed)
        number = re.sub(r"\D+", "", text)
        if len(number) >= 6:
            digits.add(number)
        if _HAS_CJK.search(text):
            cjk.update(cjk_names(text))  # 王^芳 in a PN is found as 王芳

    for tag in IDENTIFYING:
        element = ds.get(tag)
        if element is None or element.value in (None, ""):
            continue
        values = element.value if element.VM > 1 else [element.value]
        for value in values:
            add(str(value))
    for value in (identity.full_name, identity.hospital_number, identity.phone):
        if value:
            add(value)
    digits_phone = re.sub(r"\D+", "", identity.phone)
    if len(digits_phone) >= 9:
        digits.add(digits_phone[-9:])  # local and international forms share the last nine digits
    words -= _HARMLESS_WORDS
    if str(ds.get("Manufacturer", "") or "").strip() == vocabulary.SYNTHETIC_MANUFACTURER:
        # The demo's phantom is named after what it is (SYNTHETIC^PHANTOM): those words are its
        # marks, which must stay visible in the shared copy, not a person's name. No scanner
        # writes this manufacturer, and only these words are spared.
        markers = re.compile("|".join(sorted(vocabulary.SYNTHETIC_MARKERS)))
        words -= vocabulary.SYNTHETIC_MARKERS
        compact = {value for value in compact if markers.sub("", value)}
    return _Identifiers(frozenset(words), frozenset(compact), frozenset(digits), frozenset(cjk))


# Words that appear in institution names and headers everywhere; finding one is not a leak.
_HARMLESS_WORDS = frozenset(
    {
        "hospital",
        "regional",
        "referral",
        "national",
        "medical",
        "centre",
        "center",
        "university",
        "the",
        "and",
    }
)


def _carries_identifier(text: str, known: _Identifiers, identity: Identity) -> bool:
    if known.found_in(text) or _DICOM_DATE.search(text) or _LONG_NUMBER.search(text):
        return True
    return bool(scan({"text": text}, identity))


def _shift(value: str, days: int, vr: str) -> str | None:
    """A DA or DT value moved by whole days; None when it is not a date at all."""

    def one(text: str) -> str | None:
        text = text.strip()
        if not text:
            return text
        head, rest = text[:8], text[8:]
        if not re.fullmatch(r"\d{8}", head) or (vr == "DA" and rest):
            return None
        try:
            moved = date(int(head[:4]), int(head[4:6]), int(head[6:8])) + timedelta(days=days)
        except ValueError:
            return None
        return moved.strftime("%Y%m%d") + rest

    if vr == "DA" and "-" in value:  # a range
        parts = [one(part) for part in value.split("-")]
        return None if any(p is None for p in parts) else "-".join(p or "" for p in parts)
    return one(value)


class _Walker:
    """Walks a dataset and every item of its sequences. `dummy` is set inside a sequence the
    profile replaces with dummy content ("D"): there every text value becomes a dummy."""

    def __init__(self, options: Options, new_uid: Callable[[str], str], known: _Identifiers) -> None:
        self.options = options
        self.new_uid = new_uid
        self.known = known
        self.entries: list[Entry] = []

    def note(self, path: str, action: Action, reason: Reason, words_removed: int = 0) -> None:
        self.entries.append(Entry(path, action, reason, words_removed))

    def walk(self, ds: Dataset, prefix: str = "", dummy: bool = False) -> None:
        safe_blocks = self._safe_private_blocks(ds)
        for tag in list(ds.keys()):
            path = prefix + _name(tag)
            raw = ds.get_item(tag)
            if isinstance(raw, RawDataElement) and (
                self.removed_unread(ds, raw, tag, path, safe_blocks)
                or self.changed_unread(ds, raw, tag, path)
                or self.kept_unread(raw, tag, path, dummy)
            ):
                continue
            self.element(ds, ds[tag], tag, path, safe_blocks, dummy)

    def removed_unread(
        self,
        ds: Dataset,
        raw: RawDataElement,
        tag: BaseTag,
        path: str,
        safe_blocks: dict[tuple[int, int], str],
    ) -> bool:
        """Private elements and those the profile removes go without being read."""
        if tag.is_private:
            if safe_blocks:
                return False
            del ds[tag]
            self.note(path, Action.REMOVED, Reason.PRIVATE)
            return True
        if tag in _SPECIAL or PROFILE.get(int(tag)) not in _REMOVED_ACTIONS:
            return False
        if (raw.VR or _dictionary_vr(tag)) in ("DA", "DT", "TM"):
            return False  # dates are moved and times kept, not removed
        del ds[tag]
        self.note(path, Action.REMOVED, Reason.PROFILE)
        return True

    def changed_unread(self, ds: Dataset, raw: RawDataElement, tag: BaseTag, path: str) -> bool:
        """UIDs, dates and emptied values, straight from the raw bytes (they are plain ASCII)."""
        if tag.is_private or tag in _SPECIAL:
            return False
        action = PROFILE.get(int(tag))
        vr = raw.VR or _dictionary_vr(tag)
        if vr not in ("UI", "DA", "TM") and action not in ("Z", "Z_D"):
            return False
        if vr == "SQ" or (raw.value and max(raw.value) >= 0x80):
            return False
        text = raw.value.decode("ascii").strip(" \0") if raw.value else ""
        values = [v.strip() for v in text.split("\\")] if text else []
        if vr == "UI" and action == "U":
            new = [self.new_uid(v) for v in values if v]
            ds[tag] = DataElement(tag, "UI", new if len(new) > 1 else (new[0] if new else None))
            self.note(path, Action.UID_REPLACED, Reason.PROFILE)
        elif vr == "DA" and not (action == "D" and not values):
            moved = [_shift(v, self.options.shift_days, "DA") for v in values]
            if any(v is None for v in moved):
                return False  # the full way decides: removed, or a dummy where one is required
            ds[tag] = DataElement(tag, "DA", moved if len(moved) > 1 else (moved[0] if moved else None))
            self.note(path, Action.DATE_SHIFTED, Reason.MODIFIED_DATES)
        elif vr == "TM" and action is not None and action != "D":
            if self.known.found_in(text):
                return False
            self.note(path, Action.KEPT, Reason.MODIFIED_DATES)
        elif action in ("Z", "Z_D"):
            ds[tag] = DataElement(tag, vr, None)
            self.note(path, Action.EMPTIED, Reason.PROFILE)
        else:
            return False
        return True

    def kept_unread(self, raw: RawDataElement, tag: BaseTag, path: str, dummy: bool) -> bool:
        """Most of a CT header is kept as it is (geometry, pixels, technique): deciding that from
        the raw bytes, without pydicom converting every value, makes de-identification about
        twice as fast. Anything that may need changing goes the full way, and so does any free
        text that is not on the safe list (it is removed there)."""
        if (
            tag.is_private
            or tag.element == 0
            or int(tag) in PROFILE
            or tag in _SPECIAL
            or tag.group & 0xFF00 in (0x5000, 0x6000)
        ):
            return False
        vr = raw.VR or _dictionary_vr(tag)
        if vr in ("SQ", "UN", "DA", "DT"):
            return False
        if vr in FREE_TEXT_VRS and (dummy or tag not in SAFE_TEXT or tag in CODE_VALUES):
            return False  # removed, a dummy, or a code value judged with its scheme: the full way
        if vr in TEXT_VRS and raw.value:
            if max(raw.value) >= 0x80:
                return False  # decoded properly, with the dataset's character set, on the full way
            text = raw.value.decode("ascii")
            if self.known.found_in(text):
                return False
            if tag in SAFE_TEXT:
                if not _safe_shape(tag, text):
                    return False  # replaced on the full way
                self.note(path, Action.KEPT, Reason.SAFE_TEXT)
                return True
        self.note(path, Action.KEPT, Reason.SAFE_TEXT if tag in SAFE_TEXT else Reason.NOT_IN_PROFILE)
        return True

    def _safe_private_blocks(self, ds: Dataset) -> dict[tuple[int, int], str]:
        """(group, block byte) -> creator, for private blocks with an element on the safe list."""
        if not self.options.safe_private:
            return {}
        blocks = {}
        for element in ds:
            if element.tag.is_private_creator:
                creator = str(element.value).strip()
                if any(c == creator and g == element.tag.group for c, g, _e in self.options.safe_private):
                    blocks[(element.tag.group, element.tag.element & 0xFF)] = creator
        return blocks

    def element(
        self,
        ds: Dataset,
        element: DataElement,
        tag: BaseTag,
        path: str,
        safe_blocks: dict[tuple[int, int], str],
        dummy: bool = False,
    ) -> None:
        options = self.options
        group = tag.group
        if tag.is_private:
            self.private(ds, element, tag, path, safe_blocks)
            return
        if tag.element == 0x0000 or group & 0xFF00 in (0x5000, 0x6000):
            del ds[tag]
            self.note(path, Action.REMOVED, Reason.OVERLAY_OR_CURVE if tag.element else Reason.PROFILE)
            return
        if tag in PSEUDONYMISED:
            ds[tag].value = options.pseudonym
            self.note(path, Action.REPLACED, Reason.PSEUDONYM)
            return
        if options.retain_patient_characteristics and tag in PATIENT_CHARACTERISTICS:
            self.note(path, Action.KEPT, Reason.PATIENT_CHARACTERISTICS)
            return
        if options.retain_device_identity and tag in DEVICE_IDENTITY:
            self.keep_if_clean(ds, element, tag, path, Reason.DEVICE_IDENTITY)
            return
        action = PROFILE.get(int(tag))
        if options.clean_descriptors and tag in DESCRIPTORS and element.VR in FREE_TEXT_VRS:
            self.clean_descriptor(ds, element, tag, path, action)
            return
        if tag in CODE_MEANINGS and not dummy:
            self.code_meaning(element, path)
            return
        vr = element.VR
        if vr in ("DA", "DT") and tag not in NEVER_SHIFTED and action not in ("U",):
            self.shift(ds, element, tag, path, required=action == "D")
            return
        if vr == "TM" and tag not in NEVER_SHIFTED and action is not None:
            # Times of day stay: with the dates moved they no longer point to a day.
            if action == "D" and element.value in (None, ""):
                self.dummy(element, path)
            else:
                self.keep_if_clean(ds, element, tag, path, Reason.MODIFIED_DATES)
            return
        if vr == "SQ" and action in (None, "D", "X_Z_U_STAR"):
            self.sequence(element, tag, path, dummy or action == "D")
            return
        if action is None:
            self.not_in_profile(ds, element, tag, path, dummy)
            return
        if action == "U":
            self.replace_uids(element)
            self.note(path, Action.UID_REPLACED, Reason.PROFILE)
        elif action in ("Z", "Z_D"):
            element.value = Sequence() if vr == "SQ" else None
            self.note(path, Action.EMPTIED, Reason.PROFILE)
        elif action == "D":
            self.dummy(element, path)
        else:  # X and the choices that allow removal
            del ds[tag]
            self.note(path, Action.REMOVED, Reason.PROFILE)

    def sequence(self, element: DataElement, tag: BaseTag, path: str, dummy: bool) -> None:
        """Walk into the items: every nested attribute gets the same treatment; inside a
        sequence the profile replaces (`dummy`), every text value becomes a dummy."""
        if (
            dummy
            and not element.value
            and PROFILE.get(int(tag)) == "D"
            and _name(tag).endswith("CodeSequence")
        ):
            element.value = Sequence([_dummy_code()])
            self.note(path, Action.REPLACED, Reason.PROFILE)
            return
        for index, item in enumerate(element.value):
            self.walk(item, f"{path}[{index}].", dummy)

    def not_in_profile(self, ds: Dataset, element: DataElement, tag: BaseTag, path: str, dummy: bool) -> None:
        """What Table E.1-1 does not name: free text is an allow-list (SAFE_TEXT), the rest is
        kept when it carries none of the patient's identifiers."""
        vr = element.VR
        if vr == "UN":
            del ds[tag]
            self.note(path, Action.REMOVED, Reason.UNKNOWN_VR)
        elif vr in FREE_TEXT_VRS and dummy:
            self.dummy(element, path)
        elif vr in FREE_TEXT_VRS and tag not in SAFE_TEXT:
            del ds[tag]
            self.note(path, Action.REMOVED, Reason.NOT_ON_SAFE_LIST)
        elif tag in SAFE_TEXT:
            self.keep_safe_text(ds, element, tag, path)
        else:
            self.keep_if_clean(ds, element, tag, path, Reason.NOT_IN_PROFILE)

    def dummy(self, element: DataElement, path: str) -> None:
        """The "D" action: a value valid for the VR that says nothing of the original."""
        if element.VR == "UI":
            # A dummy UID that still links what referred to the same original.
            self.replace_uids(element)
            if not element.value:
                element.value = self.new_uid("")
            self.note(path, Action.UID_REPLACED, Reason.PROFILE)
            return
        value = _DUMMY.get(element.VR)
        element.value = value
        self.note(path, Action.REPLACED if value is not None else Action.EMPTIED, Reason.PROFILE)

    def clean_descriptor(
        self, ds: Dataset, element: DataElement, tag: BaseTag, path: str, action: str | None
    ) -> None:
        """Clean Descriptors: only the words known to be safe stay (lib.deid.vocabulary)."""
        values = element.value if element.VM > 1 else [element.value]
        cleaned = [vocabulary.clean(str(v)) for v in values if v not in (None, "")]
        removed = sum(c.removed for c in cleaned)
        kept = [c.text for c in cleaned if c.text]
        if any(_carries_identifier(text, self.known, self.options.identity) for text in kept):
            # A safe word that is also the patient's name or number: nothing of it stays.
            kept, reason = [], Reason.IDENTIFIER_FOUND
        else:
            reason = Reason.UNSAFE_DESCRIPTOR
        if not kept:
            if action == "D":
                element.value = _DUMMY[element.VR]
                self.note(path, Action.REPLACED, reason, removed)
            elif tag in EMPTIED_WHEN_UNSAFE or action in ("Z", "Z_D"):
                element.value = None
                self.note(path, Action.EMPTIED, reason, removed)
            else:
                del ds[tag]
                self.note(path, Action.REMOVED, reason, removed)
            return
        if removed:
            element.value = kept if len(kept) > 1 else kept[0]
            self.note(path, Action.REPLACED, Reason.CLEANED_DESCRIPTOR, removed)
        else:
            self.note(path, Action.KEPT, Reason.CLEAN_DESCRIPTOR)

    def keep_safe_text(self, ds: Dataset, element: DataElement, tag: BaseTag, path: str) -> None:
        """Device words and codes, kept only in a shape that cannot carry a name."""
        values = [
            str(v) for v in (element.value if element.VM > 1 else [element.value]) if v not in (None, "")
        ]
        if not values:
            self.note(path, Action.KEPT, Reason.SAFE_TEXT)
            return
        if any(self.known.found_in(v) for v in values):
            reason = Reason.IDENTIFIER_FOUND
        else:
            scheme = str(ds.get("CodingSchemeDesignator", "") or "").strip().upper()
            public = tag in CODE_VALUES and scheme in PUBLIC_SCHEMES
            if all(_safe_shape(tag, v, public) for v in values):
                self.note(path, Action.KEPT, Reason.SAFE_TEXT)
                return
            reason = Reason.NOT_ON_SAFE_LIST
        # A dummy rather than removal: a code's value and scheme are required where they are.
        element.value = REDACTED
        self.note(path, Action.REPLACED, reason)

    def code_meaning(self, element: DataElement, path: str) -> None:
        """A code's meaning stays only if every word is safe: half a meaning would mislead."""
        text = str(element.value or "")
        if not text:
            self.note(path, Action.KEPT, Reason.CLEAN_DESCRIPTOR)
            return
        if self.known.found_in(text):
            reason, removed = Reason.IDENTIFIER_FOUND, 0
        else:
            cleaned = vocabulary.clean(text)
            if not cleaned.removed and cleaned.text:
                self.note(path, Action.KEPT, Reason.CLEAN_DESCRIPTOR)
                return
            reason, removed = Reason.UNSAFE_DESCRIPTOR, cleaned.removed
        # A dummy rather than removal: the meaning is required wherever a code is.
        element.value = REDACTED
        self.note(path, Action.REPLACED, reason, removed)

    def private(
        self,
        ds: Dataset,
        element: DataElement,
        tag: BaseTag,
        path: str,
        safe_blocks: dict[tuple[int, int], str],
    ) -> None:
        if tag.is_private_creator:
            if (tag.group, tag.element & 0xFF) in safe_blocks:
                self.note(path, Action.KEPT, Reason.SAFE_PRIVATE)
                return
        else:
            creator = safe_blocks.get((tag.group, tag.element >> 8))
            if creator and (creator, tag.group, tag.element & 0xFF) in self.options.safe_private:
                self.keep_if_clean(ds, element, tag, path, Reason.SAFE_PRIVATE)
                return
        del ds[tag]
        self.note(path, Action.REMOVED, Reason.PRIVATE)

    def keep_if_clean(
        self, ds: Dataset, element: DataElement, tag: BaseTag, path: str, reason: Reason
    ) -> None:
        if element.VR in TEXT_VRS and element.value not in (None, ""):
            values = element.value if element.VM > 1 else [element.value]
            if any(self.known.found_in(str(v)) for v in values):
                # A dummy rather than removal: the attribute may be required (a code's value).
                element.value = REDACTED
                self.note(path, Action.REPLACED, Reason.IDENTIFIER_FOUND)
                return
        if element.VR == "SQ":
            for index, item in enumerate(element.value):
                self.walk(item, f"{path}[{index}].")
            return
        self.note(path, Action.KEPT, reason)

    def shift(
        self, ds: Dataset, element: DataElement, tag: BaseTag, path: str, required: bool = False
    ) -> None:
        values = element.value if element.VM > 1 else [element.value]
        moved = [_shift(str(v), self.options.shift_days, element.VR) for v in values if v not in (None, "")]
        if any(v is None for v in moved) or (required and not moved):
            if required:  # "D": a dummy date, since it cannot be moved
                self.dummy(element, path)
                return
            del ds[tag]  # not a readable date: it cannot be moved, so it cannot stay
            self.note(path, Action.REMOVED, Reason.MODIFIED_DATES)
            return
        if moved:
            element.value = moved if len(moved) > 1 else moved[0]
        self.note(path, Action.DATE_SHIFTED, Reason.MODIFIED_DATES)

    def replace_uids(self, element: DataElement) -> None:
        if element.VR != "UI":
            element.value = None
            return
        values = element.value if element.VM > 1 else [element.value]
        new = [self.new_uid(str(v)) for v in values if v]
        element.value = new if len(new) > 1 else (new[0] if new else None)


def _safe_shape(tag: BaseTag, text: str, public_code: bool = False) -> bool:
    """Safe text in a shape that cannot hold a name: each value (split on the multi-value
    backslash) made of device words, or one code-like token."""
    values = [v.strip() for v in text.split("\\") if v.strip()]
    if tag in DEVICE_WORDS:
        return all(not vocabulary.clean(v).removed for v in values)
    return all(vocabulary.is_code(v, long_numbers=public_code) for v in values)


def _dummy_code() -> Dataset:
    """An item for a code sequence the profile replaces: the three Type 1 attributes, dummies."""
    item = Dataset()
    item.CodeValue = "ANONYMIZED"
    item.CodingSchemeDesignator = "99NDARAJA"  # "99": a private coding scheme (PS3.3 8.2)
    item.CodeMeaning = "ANONYMIZED"
    return item


@lru_cache(maxsize=4096)
def _name(tag: BaseTag) -> str:
    return keyword_for_tag(tag) or f"({tag.group:04X},{tag.element:04X})"


@lru_cache(maxsize=4096)
def _dictionary_vr(tag: BaseTag) -> str:
    try:
        return dictionary_VR(tag)
    except KeyError:
        return "UN"


# DICOM's codes for the profile and options (PS3.16 CID 7050).
_METHOD_CODES = {
    "basic": ("113100", "Basic Application Confidentiality Profile"),
    "clean_descriptors": ("113105", "Clean Descriptors Option"),
    "modified_dates": ("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    "patient_characteristics": ("113108", "Retain Patient Characteristics Option"),
    "device_identity": ("113109", "Retain Device Identity Option"),
    "safe_private": ("113111", "Retain Safe Private Option"),
}


def _method_codes(options: Options) -> Iterable[tuple[str, str]]:
    yield _METHOD_CODES["basic"]
    yield _METHOD_CODES["modified_dates"]
    if options.clean_descriptors:
        yield _METHOD_CODES["clean_descriptors"]
    if options.retain_patient_characteristics:
        yield _METHOD_CODES["patient_characteristics"]
    if options.retain_device_identity:
        yield _METHOD_CODES["device_identity"]
    if options.safe_private:
        yield _METHOD_CODES["safe_private"]


def deidentify(ds: Dataset, options: Options, new_uid: Callable[[str], str]) -> Outcome:
    """De-identify `ds` in place and say what was done to each attribute.

    `new_uid` maps an original UID to its replacement and must always give the same answer for
    the same UID (see `lib.deid.uids`), so that series, studies and references stay linked.
    """
    known = _identifiers(ds, options.identity)
    walker = _Walker(options, new_uid, known)
    walker.walk(ds)
    for keyword in ("PatientBirthDate", "PatientSex"):
        if keyword not in ds:
            setattr(ds, keyword, "")  # Type 2 in the Patient module: present, even if empty
    ds.PatientIdentityRemoved = "YES"
    ds.LongitudinalTemporalInformationModified = "MODIFIED"
    codes = list(_method_codes(options))
    ds.DeidentificationMethod = f"NeuroDaraja: {PROFILE_EDITION}"
    items = []
    for value, meaning in codes:
        item = Dataset()
        item.CodeValue = value
        item.CodingSchemeDesignator = "DCM"
        item.CodeMeaning = meaning
        items.append(item)
    ds.DeidentificationMethodCodeSequence = Sequence(items)
    meta = getattr(ds, "file_meta", None)
    if meta is not None:
        if "SOPInstanceUID" in ds:
            meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        for tag in (
            "SourceApplicationEntityTitle",
            "SendingApplicationEntityTitle",
            "ReceivingApplicationEntityTitle",
        ):
            if tag in meta:
                delattr(meta, tag)
                walker.note(f"FileMeta.{tag}", Action.REMOVED, Reason.PROFILE)
        for tag in ("PrivateInformationCreatorUID", "PrivateInformation"):
            if tag in meta:
                delattr(meta, tag)
                walker.note(f"FileMeta.{tag}", Action.REMOVED, Reason.PRIVATE)
    return Outcome(ds, walker.entries)


__all__ = ["PROFILE_EDITION", "Action", "Entry", "Options", "Outcome", "Reason", "deidentify"]
