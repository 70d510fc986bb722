"""Signals core sends and other apps answer, so core never needs to know who they are."""

from django.dispatch import Signal

# Sent with `entry_id` (the first broken entry) and `checked` (entries read) when the nightly
# check finds the audit trail broken; accounts tells the administrators.
audit_chain_broken = Signal()
