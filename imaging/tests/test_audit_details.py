"""Imaging's audit details read in the auditor's language (issue 11): each key imaging writes by
its label, the source of received images by its name, not their codes."""

from __future__ import annotations

from django.utils import translation

from accounts import actions
from core.audit import detail_rows, record
from imaging.audit_actions import IMAGING_UPLOADED, REFUSED_SENDER


def test_the_auditor_reads_a_refused_sender_and_received_images_in_kiswahili(cast, as_user):
    record(REFUSED_SENDER, detail={"ae_title": "CT_SCANNER_9", "peer_host": "10.0.0.9", "peer_port": 104})
    record(IMAGING_UPLOADED, institution=cast.institutions["SRRH"], detail={"source": "node", "instances": 3})
    actions.update_profile(cast.admin, {"preferred_language": "sw"})
    page = as_user(cast.admin).get("/audit/").content.decode()
    with translation.override("sw"):
        ae_title = translation.gettext("Sender's AE title")
        node = translation.gettext("Sent by a scanner or PACS")
    assert ae_title != "Sender's AE title" and node != "Sent by a scanner or PACS"
    for raw in ("ae_title:", "peer_host:", "peer_port:", "source: node", "instances:"):
        assert raw not in page
    assert ae_title in page and "CT_SCANNER_9" in page and node in page


def test_every_key_imaging_writes_has_a_chinese_label():
    keys = ["source", "instances", "ae_title", "peer_host", "peer_port", "sender", "file", "reason", "tries"]
    keys += ["study", "series", "studies", "instance", "kind", "what", "masked_images", "abroad", "through"]
    with translation.override("zh-hans"):
        rows = detail_rows(dict.fromkeys(keys, 1))
    assert [label for label, _ in rows if label in keys] == []
