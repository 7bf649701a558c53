"""Swedish personnummer and samordningsnummer found in free text."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator

from stdnum import luhn

# 6 or 8 date digits, an optional - or +, 4 digits; not part of a longer run of digits.
_CANDIDATE = re.compile(r"(?<![\d-])((?:19|20)?\d{6})([-+]?)(\d{4})(?![\d])")


def might_contain(text: str) -> bool:
    """A fast first look: does `text` hold anything shaped like a number (checksum not checked)?"""
    return _CANDIDATE.search(text) is not None


def find(text: str) -> Iterator[re.Match[str]]:
    """Every match in `text` that is a valid personnummer or samordningsnummer."""
    for match in _CANDIDATE.finditer(text):
        if is_identity_number(match.group(1), match.group(3)):
            yield match


def is_identity_number(date_part: str, serial: str) -> bool:
    short = date_part[-6:]
    if not luhn.is_valid(short + serial):
        return False
    month, day = int(short[2:4]), int(short[4:6])
    if day > 60:  # samordningsnummer: the day plus 60
        day -= 60
    if not 1 <= month <= 12 or day < 1:
        return False
    year = int(date_part[:4]) if len(date_part) == 8 else 2000  # a leap year: 29 Feb stays possible
    return day <= calendar.monthrange(year, month)[1]


def mask(text: str) -> str:
    """The number with its last four digits hidden, for messages that must not repeat it."""
    return text[:-4] + "****"
