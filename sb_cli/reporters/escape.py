"""Text from documents made safe for the reader it is printed to.

Document content (names, titles, file names) is written by anyone with commit rights. Printed raw it
could move a terminal's cursor or hide text (escape sequences, right-to-left overrides), start a
GitHub Actions workflow command (a line beginning with "::"), break XML and UTF-8 (a \\x01, a file
name that is not UTF-8), or run a formula when a coordinator opens a CSV file in Excel.
"""

from __future__ import annotations

import re
from typing import Any

# C0 and C1 controls, DEL, and the Unicode characters that reorder or hide text.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]")
# Lone surrogates: \udc80-\udcff are the bytes of a file name that is not UTF-8; any other cannot
# be written as UTF-8 or XML at all.
_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _shown(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _byte_or_code(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def visible(text: str, *, keep: str = "") -> str:
    """Every control and hiding character written out as \\x1b, \\u202e …; nothing else changes.
    The result is printable UTF-8 that XML 1.0 and JSON hold as it is."""
    text = _SURROGATE.sub(_byte_or_code, text)
    return _INVISIBLE.sub(lambda m: m.group() if m.group() in keep else _shown(m.group()), text)


def line(text: str) -> str:
    """One line of output for people or CI logs: visible, and never a workflow command."""
    shown = visible(text)
    return " " + shown if shown.startswith("::") else shown


def could_be_formula(value: Any, shown: str) -> bool:
    """Whether a spreadsheet would read this text cell as a formula: it starts with = + - @ tab or CR.
    Numbers are not text: -3 stays a number."""
    return isinstance(value, str | list | tuple) and shown.startswith(_FORMULA)


def csv_cell(value: Any, shown: str) -> str:
    """A CSV cell that cannot be a formula: text starting with = + - @ tab or CR gets a '.
    (An xlsx text cell is marked as text instead, see reporters.xlsx.)"""
    return "'" + shown if could_be_formula(value, shown) else shown
