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


MASK = "\x00"  # stands for an escaped character where the syntax is searched


@dataclass(frozen=True)
class _Chars:
    """A question's characters: `text` as read (escapes resolved), `masked` the same with every
    escaped character replaced by MASK (so `=`, `{`, `#`... are found only where they are syntax),
    and the line of each. Sliced like a list, searched at the speed of str."""

    text: str
    masked: str
    lines: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __getitem__(self, key: slice) -> _Chars:
        return _Chars(self.text[key], self.masked[key], self.lines[key])


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


def _chars(lines: list[tuple[int, str]]) -> _Chars:
    text: list[str] = []
    masked: list[str] = []
    numbers: list[int] = []
    for index, (number, line) in enumerate(lines):
        position = 0
        while position < len(line):
            char = line[position]
            following = line[position + 1] if position + 1 < len(line) else ""
            if char == "\\" and following and following in ESCAPABLE + "\\n":
                text.append("\n" if following == "n" else following)
                masked.append(MASK)
                numbers.append(number)
                position += 2
                continue
            text.append(char)
            masked.append(char)
            numbers.append(number)
            position += 1
        if index < len(lines) - 1:
            text.append("\n")
            masked.append("\n")
            numbers.append(number)
    return _Chars("".join(text), "".join(masked), tuple(numbers))


def _text(chars: _Chars) -> str:
    return chars.text.strip()


def _find(chars: _Chars, token: str, start: int = 0) -> int:
    """The index of the first unescaped `token` at or after `start`, or -1."""
    return chars.masked.find(token, start)


def _strip_left(chars: _Chars) -> _Chars:
    return chars[len(chars.masked) - len(chars.masked.lstrip()) :]


def _split_feedback(chars: _Chars) -> tuple[_Chars, list[_Chars]]:
    cuts = [i for i, char in enumerate(chars.masked) if char == "#"]
    if not cuts:
        return chars, []
    bounds = [-1, *cuts, len(chars)]
    parts = [chars[bounds[k] + 1 : bounds[k + 1]] for k in range(len(bounds) - 1)]
    return parts[0], parts[1:]


def _weight(chars: _Chars, prefix: str, line: int) -> tuple[float, _Chars]:
    default = 100.0 if prefix == "=" else 0.0
    body = _strip_left(chars)
    if not body or body.masked[0] != "%":
        return default, body
    close = _find(body, "%", 1)
    if close < 0:
        raise _Refused(line, BAD_WEIGHT, _text(body))
    written = body[1:close].text.strip()
    try:
        value = float(written)
    except ValueError:
        raise _Refused(line, BAD_WEIGHT, written) from None
    if not -100 <= value <= 100:  # also refuses nan
        raise _Refused(line, BAD_WEIGHT, written)
    return value, body[close + 1 :]


def _choices(chars: _Chars, line: int) -> tuple[tuple[Choice, ...], str]:
    general = ""
    marker = _find(chars, "####")
    if marker >= 0:
        general = _text(chars[marker + 4 :])
        chars = chars[:marker]
    starts = [i for i, char in enumerate(chars.masked) if char in "=~"]
    before = _text(chars[: starts[0]]) if starts else _text(chars)
    if before:
        raise _Refused(chars.lines[0] if chars else line, STRAY_TEXT, before)
    choices: list[Choice] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(chars)
        here = chars.lines[start]
        weight, rest = _weight(chars[start + 1 : end], chars.masked[start], here)
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


def _question(chars: _Chars, category: str) -> Question:
    first_line = chars.lines[0]
    chars = _strip_left(chars)
    name = ""
    if _find(chars, "::") == 0:
        close = _find(chars, "::", 2)
        if close < 0:
            raise _Refused(first_line, UNCLOSED_NAME, _text(chars))
        name = " ".join(_text(chars[2:close]).split())
        chars = _strip_left(chars[close + 2 :])
    head = chars[:10].text.lower()
    for marker in FORMATS:
        if head.startswith(marker):
            chars = chars[len(marker) :]
            break
    opening = _find(chars, "{")
    closing_first = _find(chars, "}")
    if opening < 0:
        if closing_first >= 0:
            raise _Refused(chars.lines[closing_first], STRAY_BRACE)
        raise _Refused(first_line, NO_ANSWERS, _text(chars))
    if 0 <= closing_first < opening:
        raise _Refused(chars.lines[closing_first], STRAY_BRACE)
    closing = _find(chars, "}", opening + 1)
    again = _find(chars, "{", opening + 1)
    if closing < 0 or 0 <= again < closing:
        raise _Refused(chars.lines[opening], UNCLOSED_BRACE, _text(chars[opening:]))
    if _find(chars, "{", closing + 1) >= 0:
        raise _Refused(chars.lines[_find(chars, "{", closing + 1)], SEVERAL_BLOCKS)
    if _find(chars, "}", closing + 1) >= 0:
        raise _Refused(chars.lines[_find(chars, "}", closing + 1)], STRAY_BRACE)
    before, answers, after = _text(chars[:opening]), chars[opening + 1 : closing], _text(chars[closing + 1 :])
    stem = f"{before} _____ {after}".strip() if after else before
    if not stem:
        raise _Refused(first_line, EMPTY_TEXT)
    name = name or " ".join(stem.split())[:NAME_FROM_TEXT]
    here = chars.lines[opening]
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


def _kind(body: _Chars) -> str:
    if not _text(body):
        return ESSAY
    if body.masked[0] == "#":
        return NUMERIC
    word, _feedbacks = _split_feedback(body)
    if _text(word).upper() in TRUE_WORDS + FALSE_WORDS:
        return "truefalse"
    markers = set(body.masked) & {"=", "~"}
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
