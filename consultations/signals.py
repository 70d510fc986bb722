"""Signals other apps listen to, so that consultations does not depend on them."""

from django.dispatch import Signal

# Sent with `case` after the clinical record of a draft was created or changed.
clinical_record_changed = Signal()
