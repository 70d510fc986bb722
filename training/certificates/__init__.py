"""Certificates for completed sessions and programme milestones: a PDF in the holder's language with a short code and a QR code, a public verification page, revocation.

A part of the training app with its own tables (app label `training_certificates`)."""
