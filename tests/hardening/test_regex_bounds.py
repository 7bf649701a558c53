"""Every regular expression that reads document text runs in linear time: on adversarial input
(repeated openers, unclosed brackets, long runs of one character) it takes at most a fixed multiple
of a plain scan of the same input by the regular-expression engine.

A pattern with super-linear backtracking fails fast: the input grows 4 KB, 64 KB, 1 MB, and the test
stops at the first size over the bound (100 KB of "[a](b" once took `sb validate` 98 s).

To add a pattern: one entry in PATTERNS, with the way sb calls it and the inputs that would hurt it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sb_cli.core import meetings, reading, records, refs
from sb_cli.core.rules import meetings as rules_meetings
from sb_cli.core.rules import references
from sb_cli.importing import body, detect, kallelse, layout, meeting, points, source, styrdokument, styrdokument_body
from sb_cli.importing import styrdokument_facts as facts
from sb_cli.publish import leaks
from sb_cli.render import compare, markdown, text, view
from sb_cli.reporters import escape, findings
from tests.conftest import CASES, build_repo, sb

MB = 1_000_000
SIZES = (4_000, 64_000, MB)
# A pattern with a match every few characters pays for a match object each: up to 150 times a plain
# scan on 1 MB, linear all the same. A quadratic one is over 10 000 times already at 64 KB.
RATIO = 500
FLOOR = 0.001  # seconds: below this a plain scan is timer noise


BRACKETS = ["[a](b", "[", "[a](", "[a]( ", "](", '[a](b "', "[a](<b", "[a]", "]("]
SPACES = [" ", "\t", " \n", "a ", ". "]
DIGITS = ["1", "1 ", "1.", "12-", "1:"]

Reader = re.Pattern[str] | Callable[[str], object]
# name: (the pattern, or the function sb reads text with; how sb calls a pattern; the units repeated
# to make the adversarial input)
PATTERNS: dict[str, tuple[Reader, str, list[str]]] = {
    "references._LINK": (references._LINK, "finditer", BRACKETS),
    "references._SCHEME": (references._SCHEME, "match", ["a", "a+", "a:"]),
    "reading.MARKUP": (reading.MARKUP, "sub", ["*", "a"]),
    "reading._LINK_TARGET": (reading._LINK_TARGET, "finditer", BRACKETS),
    "reading.unmarked": (reading.unmarked, "call", [*BRACKETS, "**"]),  # html.unescape: a call per entity
    "meetings._SPACES": (meetings._SPACES, "sub", ["- ", " ", "a-"]),
    "refs._REFERENCE": (refs._REFERENCE, "match", ["a", " ", "a 1", "a §"]),
    "records._AT": (records._AT, "search", [" - at `$", "x - at `$a", "`"]),
    "records._STEP": (records._STEP, "finditer", [".a", "[1", "["]),
    "records._MONTH": (records._MONTH, "fullmatch", ["1", "2024-", "-0"]),
    "rules_meetings._ATT": (rules_meetings._ATT, "match", [*SPACES, "at"]),
    "text._MARKUP": (text._MARKUP, "sub", ["*", "a"]),
    "text._BLOCK_START": (text._BLOCK_START, "match", SPACES),
    "text._UNUSED_PREFIX": (text._UNUSED_PREFIX, "sub", [*SPACES, ' xmlns:a="', " xmlns:"]),
    "text._CRITIC_OPEN": (text._CRITIC_OPEN, "sub", ["{", "{+", "{++", "+"]),
    "text._CRITIC_CLOSE": (text._CRITIC_CLOSE, "sub", ["+", "++", "++}", "}"]),
    "compare._TOKEN": (compare._TOKEN, "findall", [*SPACES, "a", ".", "a."]),
    "compare._WORD": (compare._WORD, "findall", [*SPACES, "a", "."]),
    "compare._NUMBERING": (compare._NUMBERING, "sub", [*DIGITS, "§ 1", "1.1", " "]),
    "markdown._CONTROL": (markdown._CONTROL, "sub", ["\x01", "a"]),
    "view._SAYS_MOVED": (view._SAYS_MOVED, "search", ["flytt", "a"]),
    "view._SUBTITLE": (view._SUBTITLE, "search", [" -", " ", "-", "a"]),
    "leaks._TAG": (leaks._untagged, "call", ["<", "<a", "<a>", "&lt;", "<>"]),
    "findings._VOLATILE": (findings._VOLATILE, "sub", [*DIGITS, "1 dag"]),
    "escape._INVISIBLE": (escape._INVISIBLE, "sub", ["\u200b", "a"]),
    "escape._SURROGATE": (escape._SURROGATE, "sub", ["\udc80", "a"]),
    "detect._POINT": (detect._POINT, "match", [*SPACES, "§ 1", "1)"]),
    "detect._DECIDES": (detect._DECIDES, "search", ["beslutar ", " ", "beslutar : "]),
    "detect._ATT": (detect._ATT, "match", SPACES),
    "detect._PROTOCOL_HEADING": (detect._PROTOCOL_HEADING, "match", SPACES),
    "detect._NOTICE_HEADING": (detect._NOTICE_HEADING, "match", SPACES),
    "body.BULLET": (body.BULLET, "match", ["- ", " "]),
    "body.NUMBERED": (body.NUMBERED, "match", DIGITS),
    "body.SUBITEM": (body.SUBITEM, "match", ["a/", " "]),
    "styrdokument_body.NUMBERED": (styrdokument_body.NUMBERED, "match", [*DIGITS, "1.1"]),
    "styrdokument_body.BULLET": (styrdokument_body.BULLET, "match", ["- ", " "]),
    "styrdokument_body.ORDERED": (styrdokument_body.ORDERED, "match", ["(1", "a/ "]),
    "styrdokument_body.TOC_LINE": (styrdokument_body.is_toc_line, "call", [".", ". ", "…", "\t", " 1", "1"]),
    "styrdokument_body.TOC_HEADING": (styrdokument_body.TOC_HEADING, "match", SPACES),
    "styrdokument_body.TOC_STYLE": (styrdokument_body.TOC_STYLE, "match", SPACES),
    "styrdokument_body.GOES_ON": (styrdokument_body.GOES_ON, "search", ["och ", "-", "t.ex."]),
    "styrdokument_body._INLINE_SPECIAL": (styrdokument_body._INLINE_SPECIAL, "sub", ["_", "&", "&#", "a_"]),
    "styrdokument_body._BLOCK_START": (styrdokument_body._BLOCK_START, "match", ["#", "1", "`"]),
    "styrdokument_body._CELL_GAP": (styrdokument_body._CELL_GAP, "split", SPACES),
    "styrdokument_body._COUNT_AT_END": (styrdokument_body._COUNT_AT_END, "match", [*SPACES, "a 1", " 12"]),
    "styrdokument_body._ORGANISATION_AT_END": (
        styrdokument_body._ORGANISATION_AT_END,
        "match",
        [*SPACES, "Region ", "a kommun ", "Region a "],
    ),
    "facts.VALIDITY": (facts.VALIDITY, "finditer", ["avtalet gäller ", "avtalet ", "från och med "]),
    "facts.NOTICE[0]": (facts.NOTICE[0], "finditer", ["senast 3 månader före ", "senast ", "säga "]),
    "facts.NOTICE[1]": (facts.NOTICE[1], "finditer", ["3 månaders ", "3 "]),
    "facts.NOTICE[2]": (facts.NOTICE[2], "finditer", ["uppsägningstid är ", "uppsägningstiden "]),
    "facts.RENEWAL": (facts.RENEWAL, "finditer", ["förlängs ", "förlängs a ", "förlängs med "]),
    "facts.DECIDED[0]": (facts.DECIDED[0], "finditer", ["beslutades av ", "beslutades av x "]),
    "facts.DECIDED[1]": (facts.DECIDED[1], "finditer", ["beslutad den 2024-01-01 av ", "beslutad "]),
    "facts.VERSION": (facts.VERSION, "finditer", ["version ", "version 1.", "ver."]),
    "facts.OWNER": (facts.OWNER, "finditer", ["dokumentägare: ", "dokumentägare är "]),
    "facts.COLLECTIVE_KOMMUNER": (facts.COLLECTIVE_KOMMUNER, "finditer", ["kommunerna i ", "de fem "]),
    "facts.PARTIES": (facts.PARTIES, "finditer", ["parter ", "parterna ", "mellan "]),
    "meeting.ISO_DATE": (meeting.ISO_DATE, "finditer", ["2024-01-", "2024-"]),
    "meeting.SWEDISH_DATE": (meeting.SWEDISH_DATE, "finditer", ["1 ", "den 1 ", "måndag den ", "1:a "]),
    "meeting.MONTH_YEAR": (meeting.MONTH_YEAR, "search", ["juni ", "juni 20", "jun", "ajuni 2024"]),
    "meeting._LEADING_WEEKDAY": (meeting._LEADING_WEEKDAY, "search", ["måndag ", "måndag den "]),
    "meeting.CLOCK_RANGE": (meeting.CLOCK_RANGE, "finditer", ["kl ", "kl 8", "8.15 - ", "8.15"]),
    "meeting._ITEM_MARK": (meeting._ITEM_MARK, "finditer", ["§", "§ "]),
    "meeting._ROLE_IN_BRACKETS": (meeting._ROLE_IN_BRACKETS, "finditer", ["(", "(a", "()"]),
    "meeting._DOTS": (meeting._DOTS, "finditer", [".", "._", "..a"]),
    "meeting._LIST_MARK": (meeting._LIST_MARK, "match", ["- ", " "]),
    "meeting._CELL_GAP": (meeting._CELL_GAP, "finditer", [" ", "a  ", ", "]),
    "meeting._SURNAME_FIRST": (meeting._SURNAME_FIRST, "match", ["A", "Aa ", " "]),
    "meeting._BRACKETED_REST": (meeting._BRACKETED_REST, "sub", ["(", "(a", "(a) ", " "]),
    "meeting._LIST_SEPARATOR": (meeting._LIST_SEPARATOR, "split", [";", "), ", "), A", "), Aa B", " "]),
    "meeting._ORGANISATION": (meeting._ORGANISATION, "fullmatch", ["region ", "a ", "a-", "a kommun "]),
    "meeting._PERSON_NAME": (meeting._PERSON_NAME, "fullmatch", ["A", "Aa ", "A-", "-", "Aa von ", "A."]),
    "meeting._NOT_IN_NAMES": (meeting._NOT_IN_NAMES, "search", ["enhet", "a", "kommun"]),
    "source.PAGE_FURNITURE": (source.PAGE_FURNITURE, "fullmatch", [" ", "sida 1 ", "1 (", "- 1 "]),
    "layout.PARAGRAPH_HEADING": (layout.PARAGRAPH_HEADING, "match", ["§ 1", " "]),
    "layout.LIST_HEADING": (layout.LIST_HEADING, "match", ["1 ", " "]),
    "layout._LABEL": (layout._LABEL, "match", ["datum ", " ", "datum:"]),
    "layout._RUNNING_FOOTER": (layout._RUNNING_FOOTER, "match", [" 1", " 1 (1)", " ", "a "]),
    "layout._URL_LINE": (layout._URL_LINE, "match", ["http://", "a"]),
    "layout._SB_STAMP": (layout._SB_STAMP, "search", [" · sb 1.", " · sb "]),
    "layout._RULE": (layout._RULE, "match", ["-", "*"]),
    "layout._MARKDOWN_MARKS": (layout._MARKDOWN_MARKS, "search", ["#", "*"]),
    "layout._ESCAPED": (layout._ESCAPED, "sub", ["\\", "\\*"]),
    "layout._TYPE_WORDS": (layout._TYPE_WORDS, "match", ["protokoll", " "]),
    "points.PRESENTERS": (points.PRESENTERS, "match", [" ", ": "]),
    "points.PROPOSED": (points.PROPOSED, "match", ["förslag till beslut ", ": "]),
    "points.SEND_TO": (points.SEND_TO, "match", ["sändlista ", "protokollet "]),
    "points.CLAUSE": (points.CLAUSE, "match", [" ", "att "]),
    "points.PHRASE": (points.PHRASE, "match", ["a ", "a beslutar "]),
    "points.KIND": (points.KIND, "match", ["B/", "B /", " "]),
    "points.ATTACHMENT": (points.ATTACHMENT, "match", ["a.", "a ", "bilaga "]),
    "points.MOVED": (points.MOVED, "search", ["flyttas", "skjuts "]),
    "points.SUBTITLE": (points.SUBTITLE, "match", ["-", "– "]),
    "points._LIST_MARK": (points._LIST_MARK, "match", ["- ", " "]),
    "points._KIND_BEFORE_SUBTITLE": (points._KIND_BEFORE_SUBTITLE, "match", ["(B) - ", "(B/", "a (I) ", " "]),
    "points._ASSIGNED": (points._ASSIGNED, "match", ["uppdra åt ", "a ", "a att ", "uppdra åt a "]),
    "points._DUE": (points._DUE, "match", ["senast ", " ", ", "]),
    # Matched from the last "ansvarig" or "klart senast" only, as decision_of does.
    "points._RESPONSIBLE_TAIL": (
        lambda s: points._tail(s, "ansvarig", points._RESPONSIBLE_TAIL),
        "call",
        ["ansvarig: ", "ansvarig: a, senast ", "(", ", ", "ansvarig: a"],
    ),
    "points._DUE_TAIL": (
        lambda s: points._tail(s, "klart senast", points._DUE_TAIL),
        "call",
        [", klart senast ", ", klart senast a", ", "],
    ),
    "kallelse.NOTICE": (lambda s: [p.match(s) for p in kallelse.NOTICE.values()], "call", ["skickad ", "osa "]),
    "styrdokument._SELF": (styrdokument._SELF, "finditer", ["detta ", "i denna "]),
    "styrdokument._LABEL_LINE": (styrdokument._LABEL_LINE, "match", ["a", "a:", " "]),
    "styrdokument._NUMBERED": (styrdokument._NUMBERED, "match", ["1.", "1.1", " "]),
}
CASES_OF = [(name, unit) for name, (_reader, _how, units) in PATTERNS.items() for unit in units]


def _reader(name: str) -> Callable[[str], object]:
    reader, how, _units = PATTERNS[name]
    if not isinstance(reader, re.Pattern):
        return reader
    if how == "finditer":
        return lambda s: list(reader.finditer(s))
    if how == "sub":
        return lambda s: reader.sub("", s)
    found: Callable[[str], object] = getattr(reader, how)
    return found


def _best(call: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):  # the best of three: a neighbour on the machine only ever adds time
        started = time.perf_counter()
        call(text)
        best = min(best, time.perf_counter() - started)
    return best


# The unit repeated; the same between a letter and a line that does not end as a pattern may want;
# the unit once as an opener, then a long run of spaces.
FORMS: list[Callable[[str, int], str]] = [
    lambda unit, size: unit * (size // len(unit)),
    lambda unit, size: "x" + unit * (size // len(unit)) + "\n!",
    lambda unit, size: unit + " " * size + "\n!",
]
_PLAIN = re.compile(r"[\x00-\x08]")  # the engine reading each character once, finding nothing


@pytest.mark.slow
@pytest.mark.parametrize(("name", "unit"), CASES_OF, ids=[f"{n}-{u!r}" for n, u in CASES_OF])
def test_a_pattern_on_adversarial_text_takes_a_bounded_multiple_of_a_plain_scan(name: str, unit: str):
    call = _reader(name)
    for form in FORMS:
        for size in SIZES if form is FORMS[0] else SIZES[:-1]:  # the others show at 64 KB already
            text = form(unit, size)
            plain = max(_best(_PLAIN.search, text), FLOOR)
            took = _best(call, text)
            said = f"{name} på {size} tecken av {unit!r}: {took:.3f} s, en läsning {plain:.4f} s"
            assert took < RATIO * plain, said


def test_every_pattern_of_the_modules_that_read_document_text_is_timed_above():
    # A new pattern in these modules gets an entry in PATTERNS, with the inputs that would hurt it.
    modules = [references, reading, meetings, refs, records, text, markdown, view, compare, escape, findings, detect]
    modules += [body]
    modules += [styrdokument_body, facts, meeting, source, layout, points, kallelse, styrdokument]
    timed = {f"{name.split('.')[0]}.{name.split('.')[1].split('[')[0]}" for name in PATTERNS}
    same = {id(reader) for reader, _how, _units in PATTERNS.values()}  # one imported from another module
    for module in modules:
        short = module.__name__.rsplit(".", 1)[1].replace("styrdokument_facts", "facts")
        for name, value in vars(module).items():
            for pattern in value if isinstance(value, list) else [value]:
                if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str):
                    assert f"{short}.{name}" in timed or id(pattern) in same, f"{short}.{name}"


TOC_LINE = re.compile(r"(?:(?:\.\s?){3,}|…+|\t)\s*\d{1,3}$")  # what is_toc_line reads, as a pattern


@given(st.text(alphabet=st.sampled_from([".", " ", "\t", "…", "1", "2", "a", "\n", "٣", "\u00a0"]), max_size=14))
def test_the_table_of_contents_scan_reads_a_line_as_its_pattern_does(line: str):
    assert styrdokument_body.is_toc_line(line) == bool(TOC_LINE.search(line))


@pytest.mark.parametrize(
    ("markdown_text", "targets"),
    [
        ('[a](b) och [c](d.md "titel") och [e](<f>)', ["b", "d.md", "f"]),
        ("[a](b.pdf#sida) ![bild](x.png)", ["b.pdf#sida", "x.png"]),
        ("[a [b](c)", ["c"]),
        ("[x](a[1].pdf)", ["a[1].pdf"]),
        ("[a](b", []),
    ],
)
def test_the_link_pattern_still_finds_the_links(markdown_text: str, targets: list[str]):
    assert [m.group(1) for m in references._LINK.finditer(markdown_text)] == targets


@pytest.mark.slow
def test_validate_reads_100_kb_of_unclosed_links_in_bounded_time(tmp_path: Path):
    root = build_repo(CASES / "valid", tmp_path)
    body = "[a](b" * 20_000
    (root / "documents" / "lankar.md").write_text(
        '---\nid: rutin-lankar\ntype: rutin\ntitle: Länkar\nowner: LSVO\nstatus: utkast\nversion: "0.1"\n'
        f"---\n# Länkar\n\n{body}\n",
        "utf-8",
    )
    started = time.monotonic()
    result = sb("validate", "--root", root, "--as-of", "2026-03-01", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 20  # it took 98 s before the link pattern was made linear
