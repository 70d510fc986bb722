"""QIDO-RS: search for the studies, series and instances a person may see, as DICOM JSON with
the case code for the patient. GET /studies searches; a POST there stores (`stow`).

What a search shows of a case from outside its referring team is audited with that case, once
per level (studies, series, instances) per sitting (imaging.audit_actions.record_read).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.access import referring_team_institutions
from consultations.models import Case
from imaging import audit_actions as acts
from imaging.dicomweb import stow
from imaging.dicomweb.common import UNATTACHED, Refused, endpoint, json_answer, pseudonym, require_json
from imaging.models import Instance, Series, Study
from imaging.visibility import visible_instances, visible_series, visible_studies
from lib.dicomweb import element, in_tag_order, patient

# Pages of search results: enough for any one patient's imaging, small enough for a slow link.
MAX_OFFSET = 1_000_000  # far beyond any hospital's studies; larger ones overflow the database
MAX_RESULTS = 1000

# Matching keys by keyword and by tag.
KEYS = {
    "StudyInstanceUID": "0020000D",
    "SeriesInstanceUID": "0020000E",
    "SOPInstanceUID": "00080018",
    "Modality": "00080060",
    "ModalitiesInStudy": "00080061",
    "StudyDate": "00080020",
    "PatientID": "00100020",
    "PatientName": "00100010",
}
IGNORED = {"limit", "offset", "includefield", "fuzzymatching"}
# Patient's Name and Patient ID both hold the pseudonym (lib.dicomweb.patient), so both match it,
# exactly and whatever the case: never a name or number kept at the hospital.
PSEUDONYM_KEYS = ("PatientID", "PatientName")
WILDCARDS = ("*", "?")


# --- DICOM JSON of what the index holds --------------------------------------------------------


def study_json(study: Study, series: int, instances: int, modalities: list[str]) -> dict[str, Any]:
    return in_tag_order(
        {
            "00080020": element("DA", study.study_date),
            "00080050": element("SH"),  # the accession number stays in Tanzania
            "00080061": element("CS", *sorted(modalities)),
            "00081030": element("LO", study.description),
            "0020000D": element("UI", study.study_uid),
            "00201206": element("IS", series),
            "00201208": element("IS", instances),
            **patient(pseudonym(study)),
        }
    )


def series_json(series: Series, instances: int) -> dict[str, Any]:
    return in_tag_order(
        {
            "00080060": element("CS", series.modality),
            "0008103E": element("LO", series.description),
            "0020000D": element("UI", series.study.study_uid),
            "0020000E": element("UI", series.series_uid),
            "00200011": element("IS", series.number),
            "00201209": element("IS", instances),
            **patient(pseudonym(series.study)),
        }
    )


def instance_json(instance: Instance) -> dict[str, Any]:
    series = instance.series
    return in_tag_order(
        {
            "00080016": element("UI", instance.sop_class_uid),
            "00080018": element("UI", instance.sop_uid),
            "00080060": element("CS", series.modality),
            "00083002": element("UI", instance.transfer_syntax),
            "0020000D": element("UI", series.study.study_uid),
            "0020000E": element("UI", series.series_uid),
            "00200011": element("IS", series.number),
            "00200013": element("IS", instance.number),
            "00280008": element("IS", instance.frames),
            "00280010": element("US", series.rows),
            "00280011": element("US", series.columns),
            **patient(pseudonym(series.study)),
        }
    )


# --- Matching and paging -----------------------------------------------------------------------


@dataclass
class Search:
    values: dict[str, list[str]]
    limit: int
    offset: int
    unsupported: list[str]
    wildcards: list[str] = field(default_factory=list)  # pseudonym keys asked with * or ?
    fuzzy: bool = False

    def get(self, keyword: str) -> list[str]:
        return self.values.get(keyword, [])


def _named(key: str) -> str:
    """A query key as the Warning header may repeat it: a keyword or a tag, nothing that could
    break the header (a quote, a line break)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "?", key)[:64]


def parse_search(params: Any) -> Search:
    by_tag = {tag: keyword for keyword, tag in KEYS.items()}
    values: dict[str, list[str]] = {}
    unsupported = []
    wildcards = []
    for key in params:
        keyword = by_tag.get(key.upper(), key)
        if keyword in KEYS:
            found = [v.strip() for value in params.getlist(key) for v in value.replace("\\", ",").split(",")]
            if keyword == "PatientName":  # trailing empty name components: "ND-1234^^" is "ND-1234"
                found = [v.rstrip("^ ") for v in found]
            found = [v for v in found if v and v != "*"]  # empty or "*": universal matching
            if keyword in PSEUDONYM_KEYS and any(w in v for v in found for w in WILDCARDS):
                wildcards.append(keyword)
            if found:
                values.setdefault(keyword, []).extend(found)
        elif key.lower() not in IGNORED:
            unsupported.append(_named(key))
    try:
        limit = int(params.get("limit", MAX_RESULTS))
        offset = int(params.get("offset", 0))
    except ValueError as error:
        raise Refused(400, _("limit and offset must be whole numbers.")) from error
    if limit < 0 or offset < 0 or offset > MAX_OFFSET:
        raise Refused(400, _("limit and offset must be whole numbers."))
    fuzzy = str(params.get("fuzzymatching", "")).strip().lower() == "true"
    return Search(values, min(limit, MAX_RESULTS), offset, unsupported, sorted(set(wildcards)), fuzzy)


def _pseudonyms(to_study: str, values: list[str]) -> Q:
    """The studies whose pseudonym is one of `values`: a case code, or the unattached mark."""
    wanted = [v.upper() for v in values]
    matched = Q(**{f"{to_study}case__code__in": wanted})
    if UNATTACHED in wanted:
        matched |= Q(**{f"{to_study}case__isnull": True})
    return matched


def _match(
    query: QuerySet[Any], search: Search, to_study: str, to_series: str | None = None
) -> QuerySet[Any]:
    """Filter by the matching keys of the search; `to_study` and `to_series` are the paths from
    the searched model to its study and series."""
    lookups = {"StudyInstanceUID": f"{to_study}study_uid__in"}
    if to_series is not None:
        lookups |= {"SeriesInstanceUID": f"{to_series}series_uid__in", "Modality": f"{to_series}modality__in"}
    if to_series == "series__":
        lookups["SOPInstanceUID"] = "sop_uid__in"
    for keyword, lookup in lookups.items():
        if values := search.get(keyword):
            query = query.filter(**{lookup: values})
    for keyword in PSEUDONYM_KEYS:  # both given: a study must match both
        if values := search.get(keyword):
            query = query.filter(_pseudonyms(to_study, values))
    for value in search.get("StudyDate")[:1]:  # a date, or a range: 20250101-20250331, 2025-, -2025
        start, dash, end = value.partition("-")
        if not dash:
            query = query.filter(**{f"{to_study}study_date": value})
        if dash and start:
            query = query.filter(**{f"{to_study}study_date__gte": start})
        if dash and end:
            query = query.filter(**{f"{to_study}study_date__lte": end})
    return query


def _page(query: QuerySet[Any], search: Search) -> tuple[list[Any], dict[str, str]]:
    found = list(query[search.offset : search.offset + search.limit + 1])
    warnings = []
    if len(found) > search.limit:
        found = found[: search.limit]
        warnings.append(_("There are more results: ask again with a larger offset."))
    if search.unsupported:
        warnings.append(
            _("These attributes are not supported for matching and were ignored: %(keys)s")
            % {"keys": ", ".join(sorted(search.unsupported))}
        )
    if search.wildcards:
        warnings.append(
            _("Wildcards (* and ?) are not supported in %(keys)s: the value was matched as written.")
            % {"keys": ", ".join(search.wildcards)}
        )
    if search.fuzzy:
        warnings.append(_("Fuzzy matching is not supported: only literal matching was performed."))
    # PS3.18 says what a search left out in Warning headers (code 299).
    headers = {"Warning": ", ".join(f'299 neurodaraja "{w}"' for w in warnings)} if warnings else {}
    return found, headers


# The results, the headers to send, and the study of each result (whose case is audited).
Found = tuple[list[dict[str, Any]], dict[str, str], list[Study]]


def search_studies(user: User, search: Search) -> Found:
    studies = _match(visible_studies(user).select_related("case").order_by("created_at", "pk"), search, "")
    if modalities := search.get("ModalitiesInStudy") + search.get("Modality"):
        studies = studies.filter(
            pk__in=visible_series(user).filter(modality__in=modalities).values("study_id")
        )
    page, headers = _page(studies, search)
    # What each study holds for this person, in three queries whatever the page's length.
    series = visible_series(user).filter(study__in=[s.pk for s in page]).order_by()
    counts = dict(series.values_list("study_id").annotate(n=Count("pk")))
    kinds: dict[int, list[str]] = {}
    for study_id, modality in series.values_list("study_id", "modality").distinct():
        if modality:
            kinds.setdefault(study_id, []).append(modality)
    images = dict(
        Instance.objects.filter(series__in=series)
        .order_by()
        .values_list("series__study_id")
        .annotate(n=Count("pk"))
    )
    results = [study_json(s, counts.get(s.pk, 0), images.get(s.pk, 0), kinds.get(s.pk, [])) for s in page]
    return results, headers, page


def search_series(user: User, search: Search, study: str | None = None) -> Found:
    series = visible_series(user).select_related("study__case").annotate(images=Count("instances"))
    if study is not None:
        series = series.filter(study__study_uid=study)
    series = _match(series.order_by("study__created_at", "study_id", "number", "pk"), search, "study__", "")
    page, headers = _page(series, search)
    return [series_json(s, s.images) for s in page], headers, [s.study for s in page]


def search_instances(
    user: User, search: Search, study: str | None = None, series: str | None = None
) -> Found:
    instances = visible_instances(user).select_related("series__study__case")
    if study is not None:
        instances = instances.filter(series__study__study_uid=study)
    if series is not None:
        instances = instances.filter(series__series_uid=series)
    order = ("series__study__created_at", "series__study_id", "series__number", "series_id", "number", "pk")
    page, headers = _page(_match(instances.order_by(*order), search, "series__study__", "series__"), search)
    return [instance_json(i) for i in page], headers, [i.series.study for i in page]


# --- Endpoints ---------------------------------------------------------------------------------


def _study(user: User, study: str) -> Study:
    found = visible_studies(user).select_related("case").filter(study_uid=study).first()
    if found is None:
        raise Http404
    return found


def _searched(request: HttpRequest, user: User, level: str, found: Found) -> HttpResponse:
    results, headers, studies = found
    record_searched(request, user, level, studies)
    return json_answer(results, **headers)


def record_searched(request: HttpRequest, user: User, level: str, studies: list[Study]) -> None:
    """One entry per case the answer showed (unattached studies are seen by their hospital only)."""
    team = set(referring_team_institutions(user))
    shown = Counter(study.case_id for study in studies if study.case_id is not None)
    cases = {study.case_id: study.case for study in studies if study.case is not None}
    for case_id, results in sorted(shown.items()):
        case: Case = cases[case_id]
        acts.record_read(
            acts.IMAGING_SEARCHED,
            case,
            user,
            request,
            in_referring_team=case.referring_institution_id in team,
            scope={"level": level},
            results=results,
        )


@endpoint("GET", "POST")
def studies(request: HttpRequest, user: User) -> HttpResponseBase:
    """GET: search for studies (QIDO-RS). POST: store instances (STOW-RS)."""
    if request.method == "POST":
        return stow.store(request, user)
    require_json(request)
    return _searched(request, user, "studies", search_studies(user, parse_search(request.GET)))


@endpoint("GET")
def search(
    request: HttpRequest, user: User, level: str, study: str | None = None, series: str | None = None
) -> HttpResponseBase:
    """QIDO-RS for series or instances: of all the person may see, of a study, or of a series."""
    require_json(request)
    if series is not None:
        if not visible_series(user).filter(study__study_uid=study, series_uid=series).exists():
            raise Http404
    elif study is not None:
        _study(user, study)
    query = parse_search(request.GET)
    if level == "series":
        return _searched(request, user, level, search_series(user, query, study))
    return _searched(request, user, level, search_instances(user, query, study, series))


__all__ = ["search", "studies"]
