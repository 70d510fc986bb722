"""Workshops and training sessions: registration, waiting list, attendance and check-in, feedback (Kirkpatrick level 1) and the supervisor's follow-up (level 3).

A part of the training app with its own tables (app label `training_sessions`)."""
