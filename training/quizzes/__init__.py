"""The question bank (multiple choice in three languages, imported from Moodle's GIFT format) and the pre- and post-tests of a session, with the knowledge gain.

A part of the training app with its own tables (app label `training_quizzes`)."""
