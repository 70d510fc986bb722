"""Certificate codes: short enough to type from paper, too many to guess (plain Python, no Django).

Twelve characters of an alphabet of 31 that cannot be misread on paper or over a bad line (no
0/O, 1/I/L, as the case codes): 31**12 is about 7.9e17, so at 30 lookups per 10 minutes from
an address, a thousand addresses trying for a year find a given code with a chance near 2e-9
per certificate issued. Printed in groups of four, "NDC-7K3Q-X9MA-4RTE"; typed any way (lower
case, spaces, dashes, the prefix or not).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
PREFIX = "NDC"
_CLEAN = re.compile(r"[\s\-–—_.]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """The code as printed: NDC-XXXX-XXXX-XXXX."""
    return "-".join([PREFIX, *(code[i : i + 4] for i in range(0, len(code), 4))])


def parse(typed: str) -> str | None:
    """The stored code from what someone typed, or None if it cannot be one."""
    text = _CLEAN.sub("", typed or "").upper()
    if len(text) == LENGTH + len(PREFIX) and text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    if len(text) != LENGTH or any(char not in ALPHABET for char in text):
        return None
    return text
