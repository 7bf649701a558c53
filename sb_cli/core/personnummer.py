"""Swedish personnummer and samordningsnummer found in free text, read as a reader's software reads it.

A number is six or eight date digits (YYMMDD or YYYYMMDD; a samordningsnummer has the day plus 60),
a separator, and four digits, the last a Luhn check digit over the ten. It is not a part of a
longer run of digits. SB030 and the publish leak check both find numbers here.

The text is read first, the way a browser, a PDF viewer or a search shows it: HTML entities
(`&#45;`, `&shy;`) and percent-encoding (`%2D`) decoded, each character in Unicode NFKC (fullwidth
digits and dashes become plain ones), and what is never shown removed: format characters (category
Cf: soft hyphen, zero-width spaces and joiners, word joiner, byte order mark), the other
default-ignorable code points, and the combining marks that decorate Latin text and digits. A plain
text viewer shows entities and percent-encoding as written, and decoding may join away digits a
reader sees ("%C3%811218-9876" decodes to "Á1218-9876"), so where decoding touches a digit the text
is read both ways. Between date and serial may then stand nothing, or a run of space-like characters
(Unicode Zs and the tab) with at most one mark (any dash of Unicode category Pd, a minus sign, a
plus, a dot, a slash) and at most one line break, in any order: "-", " - ", "- ", "—", ".", "/",
"-" and a line break. Positions and the number as written refer to the original text.

Only a label that says organisationsnummer, telefon, bankgiro, plusgiro or OCR can excuse a number,
and only when the label makes any other reading impossible. Every number found here already has a
valid date and check digit, so for each label:
- organisationsnummer: a legal person's number has month digits of 20 or more and is never found;
  a found one is a sole trader's number, which is the owner's personnummer. It is reported.
- bankgiro and plusgiro: their numbers have at most eight digits, so a ten-digit one is something
  else. It is reported.
- OCR: a payment reference is free in form, has the same check digit, and is often made from the
  payer's personnummer. It is reported.
- telefon (tel., tfn, telefonnummer; a `tel:` link is an address, not a label): a number that reads
  as a Swedish phone number, the trunk prefix 0 and an area code (0 and a digit other than 0) with
  its ten digits written together, is a phone number and nothing else; it is excused. A number
  written with a separator after the sixth digit, or with the century, is written as personnummer
  are, and is reported.
"""

from __future__ import annotations

import calendar
import html
import html.entities
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from typing import TypeVar
from urllib.parse import unquote

from stdnum import luhn

_Item = TypeVar("_Item")

# Never shown: Unicode category Cf, the other default-ignorable code points (Unicode's
# DerivedCoreProperties), and the blocks of combining marks for Latin text and symbols.
INVISIBLE = (
    "\u00ad\u0300-\u036f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u202a-\u202e\u2060-\u206f\u20d0-\u20ff\u3164"
    "\ufe00-\ufe0f\ufe20-\ufe2f\ufeff\uffa0\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
# Not decimal digits, but read as digits after NFKC: superscripts, fractions, circled numbers ...
DIGIT_LIKE = (
    "\u00b2\u00b3\u00b9\u00bc-\u00be\u2070\u2074-\u2079\u2080-\u2089\u2150-\u215f\u2189\u2460-\u249b\u24ea"
    "\u3251-\u325f\u32b1-\u32cb\u3358-\u3370\u3378\u3379\u339f-\u33a6\u33a8\u33af\u33e0-\u33fe\U0001f100-\U0001f10a"
)
# Read after NFKC as a space (and a combining mark, which is not shown): spacing accents such as
# "¨", and overlines.
SPACING_LIKE = (
    "\u00a8\u00af\u00b4\u00b8\u02d8-\u02dd\u037a\u0384\u0385\u1fbd\u1fbf-\u1fc1\u1fcd-\u1fcf\u1fdd-\u1fdf"
    "\u1fed\u1fee\u1ffd\u1ffe\u2017\u203e\ufe49-\ufe4c\uffe3"
)
SPACES = "\t\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # Unicode Zs and the tab
# Any dash (Pd), minus, plus, dot or slash, and every character whose NFKC is one of them.
MARKS = (
    "\\-+./\u02d7\u058a\u05be\u1400\u1806\u2010-\u2015\u2024\u2043\u2044\u207a\u207b\u208a\u208b\u2212\u2215"
    "\u2796\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufb29\ufe31\ufe32\ufe52\ufe58\ufe62\ufe63"
    "\uff0b\uff0d-\uff0f\U00010ead"
)
LINE_BREAK = r"(?:\r\n|[\n\r\x0b\x0c\x85\u2028\u2029])"
# Every other character reads, where numbers are concerned, as it is written: MARKS and SPACES
# hold the separators as written, and \d matches decimal digits of every script. So only these
# characters, entities and percent-encoding make a text be read; the tests check the classes
# against every code point.
READ_OTHERWISE = INVISIBLE + DIGIT_LIKE + SPACING_LIKE

_SIX_DIGITS = re.compile(r"\d\d\d\d\d\d")  # four times faster than _CANDIDATE to rule a text out
# A character class with ranges beyond the BMP is searched five times slower, so the looks over whole
# texts take every character beyond the BMP (rare in documents) as one that may read otherwise.
_BEYOND_BMP = "\U00010000-\U0010ffff"
_READ_OTHERWISE_OR_BEYOND_BMP = re.sub(f"[{_BEYOND_BMP}](?:-[{_BEYOND_BMP}])?", "", READ_OTHERWISE) + _BEYOND_BMP
_MAY_READ_OTHERWISE = re.compile(f"[{_READ_OTHERWISE_OR_BEYOND_BMP}]")
# Six digits, or one character that may read otherwise: on prose twice as fast as the two searches apart.
_SIX_DIGITS_OR_READ_OTHERWISE = re.compile(rf"[\d{_READ_OTHERWISE_OR_BEYOND_BMP}](?:(?<=\d)\d{{5}}|(?<!\d))")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
# The first byte of a digit, percent-encoded: an ASCII digit, or a character of two bytes or more that
# may read as one ("²", "٣", "８" ...). Not the Latin-1 letters: %C3%A5 is "å".
_PERCENT_DIGIT = re.compile(r"%(?:3[0-9]|[Cc]2|[Dd][9BFbf]|[Ee][0-9A-Fa-f]|[Ff][0-4])")
_TOKEN = re.compile(f"[{_READ_OTHERWISE_OR_BEYOND_BMP}]")
_DECODED_TOKEN_START = re.compile(f"[&%{_READ_OTHERWISE_OR_BEYOND_BMP}]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});?")
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # a byte that is no UTF-8, as surrogateescape decodes it
_INVISIBLE_CHAR = re.compile(f"[{INVISIBLE}]")
_SEPARATOR_CHAR = re.compile(f"[{SPACES}{MARKS}]|{LINE_BREAK}")

# Every run is possessive and is bounded by a character it cannot hold, so the pattern is linear.
_SPACE_RUN = f"[{SPACES}]*+"
_MARK = f"[{MARKS}]{_SPACE_RUN}"
_BREAK = f"{LINE_BREAK}{_SPACE_RUN}"
SEPARATOR = f"{_SPACE_RUN}(?:{_MARK}(?:{_BREAK})?|{_BREAK}(?:{_MARK})?)?"
# "(?=\d)" first lets the engine pass over text without digits quickly (five times faster on a protocol).
_CANDIDATE = re.compile(rf"(?=\d)(?<!\d)((?:19|20)?\d{{6}})({SEPARATOR})(\d{{4}})(?!\d)")
_SHOWN_MARK = re.compile(f"[{MARKS}]")

# The only label that can excuse a number (see above), just before it as the text shows it:
# "Telefon: 0701234567", "**Tel.** 0701234567", "| tfn | 0701234567".
_TELEPHONE_LABEL = re.compile(r"(?<!\w)(?:tel(?:efon)?(?:nummer|\.?\s?nr)?|tfn)[\s.:*_|]{0,6}$", re.IGNORECASE)
_LABEL_REACH = 32  # characters before a number in which the label counts


@dataclass(frozen=True, slots=True)
class Found:
    start: int  # positions in the original text
    end: int
    number: str  # as written
    digits: str  # the ten digits YYMMDDXXXX, the same whatever the form
    like_a_time: bool  # the last four digits read as a clock time (e.g. 230121-1500)
    shown: str  # as read, on one line, with plain digits: "811218-9876", "811218 9876"


@dataclass(frozen=True, slots=True)
class Reading:
    """A text as read, and where each of its characters comes from in the original."""

    text: str
    # Each stretch reading changed: (start, end) in `text`, (start, end) in the original. Between
    # them the two texts are the same.
    changes: tuple[tuple[int, int, int, int], ...] = ()

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that reads as text[start:end] (end > start)."""
        return self._source(start)[0], self._source(end - 1)[1]

    def _source(self, index: int) -> tuple[int, int]:
        at = bisect_right(self.changes, index, key=itemgetter(0)) - 1
        if at < 0:
            return index, index + 1
        read_start, read_end, start, end = self.changes[at]
        if index < read_end:
            return start, end
        index = end + index - read_end
        return index, index + 1


def read(text: str, *, decode: bool = True) -> Reading:
    """`text` as a reader's software shows it (see the module's docstring); with `decode` false,
    entities and percent-encoding are left as written, as a reader of plain text sees them."""
    parts: list[str] = []
    changes: list[tuple[int, int, int, int]] = []
    copied = length = 0
    for token in _tokens(text, decode):
        shown = _read_token(token.group())
        if shown == token.group():
            continue
        parts.append(text[copied : token.start()])
        length += token.start() - copied
        changes.append((length, length + len(shown), token.start(), token.end()))
        parts.append(shown)
        length += len(shown)
        copied = token.end()
    if not changes:
        return Reading(text)
    parts.append(text[copied:])
    return Reading("".join(parts), tuple(changes))


def _tokens(text: str, decode: bool) -> Iterator[re.Match[str]]:
    """What reading may change, in order: each character that may read otherwise, and when
    decoding, each entity and run of percent-encoded bytes. (One class found first, then the
    token matched where it starts, is three times faster than one pattern of alternatives.)"""
    if not decode:
        yield from _TOKEN.finditer(text)
        return
    reached = 0
    for start in _DECODED_TOKEN_START.finditer(text):
        if start.start() < reached:
            continue  # inside the token before
        pattern = _ENTITY if start.group() == "&" else _PERCENT_RUN if start.group() == "%" else _TOKEN
        token = pattern.match(text, start.start())
        if token is not None:
            reached = token.end()
            yield token


def _read_token(token: str) -> str:
    if token.startswith("&"):
        return _read_chars(html.unescape(token))
    if token.startswith("%"):  # bytes that are no UTF-8 stay as written, as a browser leaves them
        decoded = unquote(token, errors="surrogateescape")
        return _read_chars(_NOT_UTF8.sub(lambda byte: f"%{ord(byte.group()) - 0xDC00:02X}", decoded))
    return _read_char(token)


def _read_chars(text: str) -> str:
    return "".join(char if char.isascii() else _read_char(char) for char in text)


@cache
def _read_char(char: str) -> str:
    if _INVISIBLE_CHAR.match(char):
        return ""
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.decimal(char))
    normal = unicodedata.normalize("NFKC", char)
    return char if normal == char else _read_chars(normal)


@lru_cache(maxsize=8)  # a rule asks about the same text more than once
def _readings(text: str) -> tuple[Reading, ...]:
    """The ways `text` is read that may show a number: none, the text itself, or as read with and
    without entities and percent-encoding decoded (a browser decodes them, a plain text viewer
    shows them, and either may show digits the other hides). The cheap looks come first."""
    # One scan finds the first run of six digits or character that may read otherwise, whichever
    # comes first: most texts have neither, and the rest of a text needs looking at only after it.
    first = _SIX_DIGITS_OR_READ_OTHERWISE.search(text)
    if first is None:
        if not _decodes_otherwise(text):
            return ()
    elif len(first.group()) == 6:
        if _MAY_READ_OTHERWISE.search(text, first.end()) is None and not _decodes_otherwise(text):
            return (Reading(text),)
    decoded = read(text)
    readings = [decoded, read(text, decode=False)] if _decoding_touches_digits(text, decoded) else [decoded]
    return tuple(reading for reading in readings if _SIX_DIGITS.search(reading.text))


def _decoding_touches_digits(text: str, decoded: Reading) -> bool:
    """Did decoding change an entity or percent-encoding beside a digit as written? Only then may
    the text as written show digits the decoded one does not ("%C3%811218-9876" decodes to "Á1218-9876")."""
    return any(
        text[start] in "&%" and (text[start - 1 : start].isdigit() or text[end : end + 1].isdigit())
        for _read_start, _read_end, start, end in decoded.changes
    )


def _decodes_otherwise(text: str) -> bool:
    """Does `text` hold an entity or percent-encoding whose decoding may bear on a number?"""
    return ("&" in text and ("&#" in text or _named_entities().search(text) is not None)) or (
        "%" in text and _percent_bears_on_numbers(text)
    )


def _percent_bears_on_numbers(text: str) -> bool:
    """Does percent-encoding stand for a digit, or stand beside a digit or a separator, where it
    may be one too? (Elsewhere, as in "a%20b", it cannot change a number.)"""
    for code in _PERCENT.finditer(text):
        before = text[code.start() - 1 : code.start()]
        if _PERCENT_DIGIT.match(code.group()) or before.isdigit() or _SEPARATOR_CHAR.match(before):
            return True
    return False


@cache
def _named_entities() -> re.Pattern[str]:
    """The named entities whose reading bears on numbers (`&shy;`, `&ndash;`, `&nbsp;`, `&sup2;` ...)."""
    names = [name.rstrip(";") for name, value in html.entities.html5.items() if _bears_on_numbers(value)]
    return re.compile("&(?:" + "|".join(sorted(set(names), key=len, reverse=True)) + ")")


def _bears_on_numbers(text: str) -> bool:
    shown = _read_chars(text)
    return not shown or any(char.isdigit() for char in shown) or _SEPARATOR_CHAR.search(shown) is not None


def _candidates(text: str) -> Iterator[tuple[Reading, re.Match[str]]]:
    """Everything shaped like a number, in the order written; where two readings show numbers in
    the same place, the first found."""
    readings = _readings(text)
    found = [(reading, match) for reading in readings for match in _CANDIDATE.finditer(reading.text)]
    yield from found if len(readings) < 2 else _apart(found, lambda pair: pair[0].original(*pair[1].span()))


def _apart(items: list[_Item], span: Callable[[_Item], tuple[int, int]]) -> Iterator[_Item]:
    """The items in the order of their spans, leaving out each that overlaps one before it."""
    reached = -1
    for start, end, item in sorted(((*span(item), item) for item in items), key=itemgetter(0, 1)):
        if start >= reached:
            reached = end
            yield item


def might_contain(text: str) -> bool:
    """A fast first look: does `text` hold anything shaped like a number (checksum not checked)?"""
    return any(_CANDIDATE.search(reading.text) for reading in _readings(text))


def shapes(text: str) -> Counter[str]:
    """Everything in `text` shaped like a number, as read (checksum and labels not checked)."""
    return Counter(_shown(match) for _reading, match in _candidates(text))


def find(text: str) -> Iterator[Found]:
    """Every valid personnummer or samordningsnummer in `text`, read as a reader's software reads it."""
    readings = _readings(text)
    if len(readings) < 2:
        yield from (found for reading in readings for found in _found_in(text, reading))
        return
    found = [found for reading in readings for found in _found_in(text, reading)]
    yield from _apart(found, lambda found: (found.start, found.end))


def _found_in(text: str, reading: Reading) -> Iterator[Found]:
    for match in _CANDIDATE.finditer(reading.text):
        date_part, separator, serial = (_plain_digits(match[1]), match[2], _plain_digits(match[3]))
        if not is_identity_number(date_part, serial):
            continue
        if _excused(reading.text[max(0, match.start() - _LABEL_REACH) : match.start()], date_part, separator):
            continue
        start, end = reading.original(match.start(), match.end())
        hour, minute = int(serial[:2]), int(serial[2:])
        yield Found(
            start,
            end,
            text[start:end],
            date_part[-6:] + serial,
            bool(separator) and hour < 24 and minute < 60,
            _shown(match),
        )


def _excused(before: str, date_part: str, separator: str) -> bool:
    """Does a label just before the number make any reading but its own impossible? (See above.)"""
    if _TELEPHONE_LABEL.search(before) is None or before.lower().endswith("tel:"):  # "tel:" is a link
        return False
    return len(date_part) == 6 and not separator and date_part[0] == "0" and date_part[1] != "0"


def _plain_digits(digits: str) -> str:
    return digits if digits.isascii() else "".join(str(unicodedata.decimal(d)) for d in digits)


def _shown(match: re.Match[str]) -> str:
    """The number on one line: its mark if it has one, else a space if it has any, else nothing."""
    mark = _SHOWN_MARK.search(match[2])
    separator = _read_chars(mark.group()) if mark else " " if match[2] else ""
    return _plain_digits(match[1]) + separator + _plain_digits(match[3])


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
