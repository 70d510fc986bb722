"""Every step of a consultation: draft, consent, send, route, answer, discuss, close the loop.

Each action checks permission, runs in a transaction, writes the audit entry and queues the
notifications. Views, the API, the scheduler's jobs and the tests call these functions. One
module per stage:

- `drafting`: write the case, record the consent, confirm identifiers, send it;
- `routing`: who may answer, asking the best consultant, assigning by hand, escalating;
- `answering`: acknowledge, give an opinion, discuss;
- `closing`: record the outcome, close without one, remind of outcomes due;
- `attachments`: documents and photos;
- `conferences` and `rosters`: case conferences and on-call shifts (used as
  `actions.conferences.schedule(…)`, `actions.rosters.add_shift(…)`);
- `reads`: reads from outside the referring team, audited once per sitting;
- `common`: what they share (the audit entry on a case, the case's lock, who is told).

The names other apps and the pages use are re-exported here: `actions.submit(…)`.
"""

from consultations.actions import conferences, rosters
from consultations.actions.answering import acknowledge, give_opinion, post_message
from consultations.actions.attachments import (
    ATTACHMENT_PROBLEMS,
    add_attachment,
    open_attachment,
    refuse_if_too_large,
)
from consultations.actions.closing import close_without_outcome, record_outcome, remind_outcomes
from consultations.actions.common import case_url, record_case_view, record_on_case, refuse_identifiers
from consultations.actions.drafting import (
    confirm_identifiers,
    create_draft,
    identifier_findings,
    missing_for_submission,
    record_consent,
    submit,
    triage,
    update_draft,
)
from consultations.actions.reads import record_case_read
from consultations.actions.routing import (
    NOT_ELIGIBLE,
    assign_by_hand,
    assignable_consultants,
    candidates_for,
    escalate_overdue,
)

__all__ = [
    "ATTACHMENT_PROBLEMS",
    "NOT_ELIGIBLE",
    "acknowledge",
    "add_attachment",
    "assign_by_hand",
    "assignable_consultants",
    "candidates_for",
    "case_url",
    "close_without_outcome",
    "conferences",
    "confirm_identifiers",
    "create_draft",
    "escalate_overdue",
    "give_opinion",
    "identifier_findings",
    "missing_for_submission",
    "open_attachment",
    "post_message",
    "record_case_read",
    "record_case_view",
    "record_consent",
    "record_on_case",
    "record_outcome",
    "refuse_identifiers",
    "refuse_if_too_large",
    "remind_outcomes",
    "rosters",
    "submit",
    "triage",
    "update_draft",
]
