"""Reading Moodle's GIFT format: multiple choice and true/false, every error with its line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lib import gift

BANK = """\
// A head-injury bank written in Moodle (synthetic)
$CATEGORY: $course$/Head injury

::gcs-motor::[html]A patient localises to pain. What is the motor score?{
  ~6 #Obeys commands is 6.
  =5 #Right: localises.
  ~%-50%4
}

::cushing:: Cushing's triad is hypertension, bradycardia and\\: {
  =irregular breathing
  ~%50%fever \\= 38 \\{or more\\}
  ~tachycardia
  #### Raised intracranial pressure.
}

::shunt-infection:: Most shunt infections appear within six months of surgery.{T#Most are early.#Right.}

A burr hole is {=a small opening ~a drain ~a fracture} in the skull.
"""


def test_a_bank_is_read_with_names_weights_feedback_category_and_escapes():
    result = gift.parse(BANK)
    assert result.errors == ()
    gcs, cushing, shunt, burr = result.questions
    assert gcs.name == "gcs-motor" and gcs.line == 4 and gcs.category == "Head injury"
    assert gcs.text == "A patient localises to pain. What is the motor score?"
    assert [(c.text, c.weight) for c in gcs.choices] == [("6", 0), ("5", 100), ("4", -50)]
    assert gcs.choices[1].feedback == "Right: localises." and gcs.choices[1].is_right
    assert cushing.text == "Cushing's triad is hypertension, bradycardia and:"
    assert cushing.choices[1].text == "fever = 38 {or more}" and cushing.choices[1].weight == 50
    assert cushing.feedback == "Raised intracranial pressure."
    assert shunt.is_true_false and shunt.truth is True and shunt.choices == ()
    # The missing-word form: the answers stand for a blank; no name, so Moodle's rule names it.
    assert burr.text == "A burr hole is _____ in the skull."
    assert burr.name == "A burr hole is _____ in the skull."[: gift.NAME_FROM_TEXT]


def test_windows_line_endings_and_a_byte_order_mark_are_read_the_same():
    assert gift.parse("\ufeff" + BANK.replace("\n", "\r\n")) == gift.parse(BANK)


def test_false_questions_and_comments_inside_a_question():
    result = gift.parse("::a::The skull has\n// a comment line\n22 bones.{FALSE}\n")
    (question,) = result.questions
    assert question.truth is False and question.text == "The skull has\n22 bones."


def codes(text: str) -> list[tuple[int, str]]:
    return [(problem.line, problem.code) for problem in gift.parse(text).errors]


def test_unsupported_types_are_errors_on_the_line_of_their_answers():
    text = (
        "::essay:: Describe a craniotomy.{}\n\n"
        "::num:: How many ventricles?\n{#4}\n\n"
        "::match:: Match.{=EVD -> drain =VP -> shunt}\n\n"
        "::short:: Name the fluid.{=CSF =cerebrospinal fluid}\n"
    )
    assert codes(text) == [
        (1, gift.ESSAY),
        (4, gift.NUMERIC),
        (6, gift.MATCHING),
        (8, gift.SHORT_ANSWER),
    ]


def test_malformed_questions_are_errors_with_their_line_and_the_good_ones_are_kept():
    text = (
        "::ok:: Fine?{=yes ~no}\n\n"  # 1
        "::open:: An unclosed brace {=a ~b\n\n"  # 3
        "::name without end The text{=a ~b}\n\n"  # 5
        "Just a sentence.\n\n"  # 7
        "Weight?{~%abc%a =b}\n\n"  # 9
        "Weight?{~%150%a =b}\n\n"  # 11
        "Only one?{~%100%a}\n\n"  # 13
        "Nobody right?{~%50%a ~%50%b}\n\n"  # 15
        "Empty choice?{=a ~ }\n\n"  # 17
        "Stray?{words =a ~b}\n\n"  # 19
        "Two blocks?{=a ~b} and {=c ~d}\n\n"  # 21
        "::n::{=a ~b}\n\n"  # 23
        "closed} without opening\n\n"  # 25
        "True?{T#a#b#c}\n\n"  # 27
        "$CATEGORY:\n"  # 29
    )
    result = gift.parse(text)
    assert [q.name for q in result.questions] == ["ok"]
    assert [(p.line, p.code) for p in result.errors] == [
        (3, gift.UNCLOSED_BRACE),
        (5, gift.UNCLOSED_NAME),
        (7, gift.NO_ANSWERS),
        (9, gift.BAD_WEIGHT),
        (11, gift.BAD_WEIGHT),
        (13, gift.TOO_FEW_CHOICES),
        (15, gift.NO_FULL_MARKS),
        (17, gift.EMPTY_CHOICE),
        (19, gift.STRAY_TEXT),
        (21, gift.SEVERAL_BLOCKS),
        (23, gift.EMPTY_TEXT),
        (25, gift.STRAY_BRACE),
        (27, gift.BAD_TRUE_FALSE),
        (29, gift.EMPTY_CATEGORY),
    ]
    assert all(problem.code in gift.CODES for problem in result.errors)


def test_an_error_in_a_choice_is_reported_on_the_choice_s_own_line():
    text = "::q:: Which?{\n=right\n~%2x%wrong\n}\n"
    assert codes(text) == [(3, gift.BAD_WEIGHT)]


def test_an_empty_text_has_no_questions_and_no_errors():
    assert gift.parse("") == gift.Result()
    assert gift.parse("\n\n// only a comment\n   \n") == gift.Result()


PIECES = [*"ab ~=#{}:%\\\n/-$>T5", "$CATEGORY:", "::", "\r\n", "////", "####", "->", "%50%"]
GIFTISH = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), GIFTISH))
def test_any_text_is_read_without_raising_and_what_is_read_is_usable(text):
    result = gift.parse(text)
    lines = max(1, text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1)
    for problem in result.errors:
        assert 1 <= problem.line <= lines and problem.code in gift.CODES
    for question in result.questions:
        assert question.text and question.name and 1 <= question.line <= lines
        if not question.is_true_false:
            assert len(question.choices) >= 2 and any(c.is_right for c in question.choices)
            assert all(c.text and -100 <= c.weight <= 100 for c in question.choices)
