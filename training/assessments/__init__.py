"""Workplace-based assessments (case-based discussion, DOPS, procedure-based assessment, EPA observation): requested by the trainee, completed by the assessor on a phone.

A part of the training app with its own tables (app label `training_assessments`)."""
