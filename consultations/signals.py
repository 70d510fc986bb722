"""Signals other apps listen to, so that consultations does not depend on them."""

from django.dispatch import Signal

# Sent with `case` after the clinical record of a draft was created or changed.
clinical_record_changed = Signal()

# Sent with `case`, `user` and `request` (or None) once a case has been sent to the consultants,
# inside the transaction that sent it: imaging shares what the patient's consent covers.
case_submitted = Signal()
