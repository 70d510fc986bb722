"""Moodle's GIFT format, read for its multiple-choice and true/false questions (pure: no Django).

What is read (Moodle's own description of GIFT):
- questions separated by one or more blank lines; whole-line comments start with `//`;
- `::name::` before the text (the name matches the same question across the files of each
  language; without one, Moodle's rule is used: the first 40 characters of the text);
- `$CATEGORY: path` on a line of its own: the topic of the questions after it;
- a format marker `[html]`, `[markdown]`, `[plain]` or `[moodle]` before the text (dropped: the
  text is kept as written and shown escaped);
- multiple choice `{=right ~wrong ~wrong}`, with weights `~%50%` (-100 to 100; `=` is 100 and
  `~` is 0 unless weighted), feedback after `#`, general feedback after `####`;
- the "missing word" form `Text {=a ~b} more text`: the answers stand for a blank, `_____`;
- true/false `{T}`, `{TRUE}`, `{F}`, `{FALSE}`, with up to two feedbacks `{T#wrong#right}`;
- escapes `\\~ \\= \\# \\{ \\} \\:` and `\\n` for a line break.

A participant picks one choice (a radio button on a phone), so a question needs one choice worth
100 %; a choice's weight is the share of the mark it earns (negative weights count as 0 for
the question: a test never takes marks away).

Essay `{}`, numeric `{#...}`, matching `{=a -> b}` and short answer `{=a =b}` questions, and
malformed ones, are errors: each with the line it starts on (or the line of the faulty part) and
a reason code the caller translates. `parse` never raises on bad input: it returns what it
could read and every error.

Why not a package: on PyPI, `pygiftparser` (last released 2017) builds HTML with markdown and
yattag and carries its own French-first gettext catalogue; `pygiftparserrgmf` (0.0.5) and
`gift-to-moodlexml` convert to other formats. None reports the line of an error with a code we
could translate, which is what a coordinator fixing a file needs; this reader is about 250 lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NAME_FROM_TEXT = 40  # Moodle names an unnamed question by the start of its text
ESCAPABLE = "~=#{}:"
FORMATS = ("[html]", "[markdown]", "[plain]", "[moodle]")
TRUE_WORDS = ("T", "TRUE")
FALSE_WORDS = ("F", "FALSE")

# Reason codes (the caller gives each its translated sentence).
UNCLOSED_NAME = "unclosed_name"  # `::name` with no closing `::`
NO_ANSWERS = "no_answers"  # no `{...}`: a description, not a question
UNCLOSED_BRACE = "unclosed_brace"  # `{` with no `}` (or a second `{` before it)
STRAY_BRACE = "stray_brace"  # `}` with no `{`
SEVERAL_BLOCKS = "several_blocks"  # two answer blocks in one question
ESSAY = "essay"
NUMERIC = "numeric"
MATCHING = "matching"
SHORT_ANSWER = "short_answer"
EMPTY_TEXT = "empty_text"  # no question text
STRAY_TEXT = "stray_text"  # text in the answers before the first `=` or `~`
BAD_WEIGHT = "bad_weight"  # `%x%` that is not a number from -100 to 100, or unclosed
EMPTY_CHOICE = "empty_choice"
TOO_FEW_CHOICES = "too_few_choices"  # fewer than two choices
NO_FULL_MARKS = "no_full_marks"  # no choice is worth 100 %
BAD_TRUE_FALSE = "bad_true_false"  # `{T ...}` with more than two feedbacks
EMPTY_CATEGORY = "empty_category"

CODES = (
    UNCLOSED_NAME,
    NO_ANSWERS,
    UNCLOSED_BRACE,
    STRAY_BRACE,
    SEVERAL_BLOCKS,
    ESSAY,
    NUMERIC,
    MATCHING,
    SHORT_ANSWER,
    EMPTY_TEXT,
    STRAY_TEXT,
    BAD_WEIGHT,
    EMPTY_CHOICE,
    TOO_FEW_CHOICES,
    NO_FULL_MARKS,
    BAD_TRUE_FALSE,
    EMPTY_CATEGORY,
)


@dataclass(frozen=True)
class Choice:
    text: str
    weight: float  # percent of the question's mark, -100 to 100
    feedback: str = ""

    @property
    def is_right(self) -> bool:
        return self.weight >= 100


@dataclass(frozen=True)
class Question:
    name: str
    text: str
    line: int  # where the question starts (1-based)
    choices: tuple[Choice, ...] = ()
    category: str = ""
    feedback: str = ""  # general feedback (`####`)
    truth: bool | None = None  # a true/false question: the right answer; its choices are empty

    @property
    def is_true_false(self) -> bool:
        return self.truth is not None


@dataclass(frozen=True)
class Problem:
    line: int
    code: str  # one of CODES
    excerpt: str = ""  # the start of the faulty text, to help find it


@dataclass(frozen=True)
class Result:
    questions: tuple[Question, ...] = ()
    errors: tuple[Problem, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Char:
    char: str
    escaped: bool
    line: int


class _Refused(Exception):
    def __init__(self, line: int, code: str, excerpt: str = "") -> None:
        super().__init__(code)
        self.problem = Problem(line, code, excerpt[:60])


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Lines grouped into blocks separated by blank lines, comment lines left out."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if current:
                blocks.append(current)
                current = []
            continue
        current.append((number, line))
    if current:
        blocks.append(current)
    return blocks


def _chars(lines: list[tuple[int, str]]) -> list[_Char]:
    out: list[_Char] = []
    for index, (number, line) in enumerate(lines):
        position = 0
        while position < len(line):
            char = line[position]
            following = line[position + 1] if position + 1 < len(line) else ""
            if char == "\\" and following in ESCAPABLE + "\\" and following:
                out.append(_Char(following, True, number))
                position += 2
                continue
            if char == "\\" and following == "n":
                out.append(_Char("\n", True, number))
                position += 2
                continue
            out.append(_Char(char, False, number))
            position += 1
        if index < len(lines) - 1:
            out.append(_Char("\n", False, number))
    return out


def _text(chars: list[_Char]) -> str:
    return "".join(c.char for c in chars).strip()


def _find(chars: list[_Char], token: str, start: int = 0) -> int:
    """The index of the first unescaped `token` at or after `start`, or -1."""
    for index in range(start, len(chars) - len(token) + 1):
        if all(not chars[index + k].escaped and chars[index + k].char == token[k] for k in range(len(token))):
            return index
    return -1


def _strip_left(chars: list[_Char]) -> list[_Char]:
    start = 0
    while start < len(chars) and chars[start].char.isspace() and not chars[start].escaped:
        start += 1
    return chars[start:]


def _split_feedback(chars: list[_Char]) -> tuple[list[_Char], list[list[_Char]]]:
    parts: list[list[_Char]] = [[]]
    for c in chars:
        if c.char == "#" and not c.escaped:
            parts.append([])
        else:
            parts[-1].append(c)
    return parts[0], parts[1:]


def _weight(chars: list[_Char], prefix: str, line: int) -> tuple[float, list[_Char]]:
    default = 100.0 if prefix == "=" else 0.0
    body = _strip_left(chars)
    if not body or body[0].char != "%" or body[0].escaped:
        return default, body
    close = _find(body, "%", 1)
    if close < 0:
        raise _Refused(line, BAD_WEIGHT, _text(body))
    written = "".join(c.char for c in body[1:close]).strip()
    try:
        value = float(written)
    except ValueError:
        raise _Refused(line, BAD_WEIGHT, written) from None
    if not -100 <= value <= 100:  # also refuses nan
        raise _Refused(line, BAD_WEIGHT, written)
    return value, body[close + 1 :]


def _choices(chars: list[_Char], line: int) -> tuple[tuple[Choice, ...], str]:
    general = ""
    marker = _find(chars, "####")
    if marker >= 0:
        general = _text(chars[marker + 4 :])
        chars = chars[:marker]
    starts = [i for i, c in enumerate(chars) if not c.escaped and c.char in "=~"]
    before = _text(chars[: starts[0]]) if starts else _text(chars)
    if before:
        raise _Refused(chars[0].line if chars else line, STRAY_TEXT, before)
    choices: list[Choice] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(chars)
        here = chars[start].line
        weight, rest = _weight(chars[start + 1 : end], chars[start].char, here)
        text, feedbacks = _split_feedback(rest)
        if not _text(text):
            raise _Refused(here, EMPTY_CHOICE)
        feedback = " ".join(_text(f) for f in feedbacks if _text(f))
        choices.append(Choice(_text(text), weight, feedback))
    if len(choices) < 2:
        raise _Refused(line, TOO_FEW_CHOICES, _text(chars))
    if not any(choice.is_right for choice in choices):
        raise _Refused(line, NO_FULL_MARKS, _text(chars))
    return tuple(choices), general


def _question(chars: list[_Char], category: str) -> Question:
    first_line = chars[0].line
    chars = _strip_left(chars)
    name = ""
    if _find(chars, "::") == 0:
        close = _find(chars, "::", 2)
        if close < 0:
            raise _Refused(first_line, UNCLOSED_NAME, _text(chars))
        name = " ".join(_text(chars[2:close]).split())
        chars = _strip_left(chars[close + 2 :])
    head = "".join(c.char for c in chars[:10]).lower()
    for marker in FORMATS:
        if head.startswith(marker):
            chars = chars[len(marker) :]
            break
    opening = _find(chars, "{")
    closing_first = _find(chars, "}")
    if opening < 0:
        if closing_first >= 0:
            raise _Refused(chars[closing_first].line, STRAY_BRACE)
        raise _Refused(first_line, NO_ANSWERS, _text(chars))
    if 0 <= closing_first < opening:
        raise _Refused(chars[closing_first].line, STRAY_BRACE)
    closing = _find(chars, "}", opening + 1)
    again = _find(chars, "{", opening + 1)
    if closing < 0 or 0 <= again < closing:
        raise _Refused(chars[opening].line, UNCLOSED_BRACE, _text(chars[opening:]))
    if _find(chars, "{", closing + 1) >= 0:
        raise _Refused(chars[_find(chars, "{", closing + 1)].line, SEVERAL_BLOCKS)
    if _find(chars, "}", closing + 1) >= 0:
        raise _Refused(chars[_find(chars, "}", closing + 1)].line, STRAY_BRACE)
    before, answers, after = _text(chars[:opening]), chars[opening + 1 : closing], _text(chars[closing + 1 :])
    stem = f"{before} _____ {after}".strip() if after else before
    if not stem:
        raise _Refused(first_line, EMPTY_TEXT)
    name = name or " ".join(stem.split())[:NAME_FROM_TEXT]
    here = chars[opening].line
    body = _strip_left(answers)
    kind = _kind(body)
    if kind in (ESSAY, NUMERIC, MATCHING, SHORT_ANSWER):
        raise _Refused(here, kind, name)
    if kind == "truefalse":
        word, feedbacks = _split_feedback(body)
        if len(feedbacks) > 2:
            raise _Refused(here, BAD_TRUE_FALSE, name)
        return Question(name, stem, first_line, category=category, truth=_text(word).upper() in TRUE_WORDS)
    choices, general = _choices(body, here)
    return Question(name, stem, first_line, choices, category, general)


def _kind(body: list[_Char]) -> str:
    if not _text(body):
        return ESSAY
    if body[0].char == "#" and not body[0].escaped:
        return NUMERIC
    word, _feedbacks = _split_feedback(body)
    if _text(word).upper() in TRUE_WORDS + FALSE_WORDS:
        return "truefalse"
    markers = {c.char for c in body if not c.escaped and c.char in "=~"}
    if "=" in markers and _find(body, "->") >= 0:
        return MATCHING
    if markers == {"="}:
        return SHORT_ANSWER
    return "multichoice"


def parse(text: str) -> Result:
    """Every multiple-choice and true/false question of a GIFT text, and every error with its line."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    questions: list[Question] = []
    errors: list[Problem] = []
    category = ""
    for block in _blocks(text):
        lines = block
        first = lines[0][1].strip()
        if first.upper().startswith("$CATEGORY:"):
            category = first[len("$CATEGORY:") :].strip()
            if category.startswith("$course$/"):
                category = category[len("$course$/") :]
            if not category:
                errors.append(Problem(lines[0][0], EMPTY_CATEGORY))
            lines = lines[1:]
            if not lines:
                continue
        try:
            questions.append(_question(_chars(lines), category))
        except _Refused as refused:
            errors.append(refused.problem)
    return Result(tuple(questions), tuple(errors))
