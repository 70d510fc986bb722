from django.utils.translation import gettext_lazy as _

from core.audit import AuditAction, declare_detail

QUESTIONS_IMPORTED = AuditAction("training_quizzes.imported", _("Questions imported from a GIFT file"))
QUESTION_EDITED = AuditAction("training_quizzes.question_edited", _("Question of the bank edited"))
TEST_SET = AuditAction("training_quizzes.test_set", _("Pre-test or post-test of a session set"))
TEST_SUBMITTED = AuditAction("training_quizzes.submitted", _("Test submitted and scored"))

# Detail keys: codes and counts only, never the text of a question or an answer.
declare_detail("language", _("Language"))
declare_detail("test_kind", _("Test"), {"pre": _("Pre-test"), "post": _("Post-test")})
declare_detail("created", _("Questions added"))
declare_detail("translated", _("Questions given a translation"))
declare_detail("questions", _("Number of questions"))
declare_detail("score_percent", _("Score (%)"))
declare_detail("fields", _("Fields"))
