"""The text of a protocol or kallelse and where its parts stand: the heading, the
ärendeförteckning, the front matter under labels such as "Tid och plats:", and the items.

The text may come from a PDF (columns interleaved, words broken at line ends, page numbers and
running heads mid-text), from Word or from a plain text file, so only the words are read, never
the layout."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sb_cli.core.organisation import known_names, normal_name, resolve_forum
from sb_cli.core.records import Forum, Organisation
from sb_cli.importing.meeting import find_date, join_broken, read_meeting, squash, words_of
from sb_cli.importing.source import Source, is_page_furniture, row_line

PARAGRAPH_HEADING = re.compile(r"^§\s*(\d{1,6})\b\.?\s*(.*)$")
LIST_HEADING = re.compile(r"^(\d{1,3})\s*\)\s*\.?\s*(.*)$")
_FRONT_LABELS = {
    "meeting": r"tid och plats|datum och tid|tid och lokal|sammanträdesdatum|mötesdatum|datum|tid|plats|lokal",
    "present": r"närvarande ledamöter|närvarande|beslutande ledamöter|beslutande",
    "invited": r"kallade ledamöter|kallade",  # a kallelse's list of those called: not attendance
    "absent": r"frånvarande ledamöter|frånvarande|anmält förhinder",
    "others": r"övriga deltagare och föredragande|övriga deltagare och|övriga deltagare|övriga närvarande|"
    r"adjungerade|föredragande|deltagare",
    "secretary": r"sekreterare",
    "chair": r"ordförande",
    "adjusters": r"justerare|justeras av",
    "adjusted": r"justeringsdatum|justerat|justerad|justering",
    "paragraphs": r"paragrafer|paragraf",
    "signatures": r"underskrifter|underskrift|vid protokollet",
    "sent": r"kallelsen skickad|skickad|utskick|utsänd",
    "reply_by": r"svar senast|svara senast|osa senast|osa|anmäl förhinder senast|anmäl förhinder",
    "register_by": r"anmälan senast|anmäl ärenden senast|ärenden anmäls senast",
    "index": r"ärendeförteckning|dagordning|föredragningslista",
}
_LABEL = re.compile(
    "^(?:" + "|".join(f"(?P<{key}>{alternatives})" for key, alternatives in _FRONT_LABELS.items()) + r")"
    r"(?:\s*:\s*|\s{2,}|(?<=och)\s+|\s+(?=[\d§])|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
# Labels that may stand alone on their line without a colon; a lone "Ordförande" is a role beside a name.
_BARE_LABELS = {"ärendeförteckning", "dagordning", "föredragningslista", "underskrifter", "vid protokollet",
                "närvarande ledamöter", "frånvarande", "övriga deltagare och föredragande", "övriga deltagare och",
                "övriga deltagare", "kallade ledamöter"}  # fmt: skip
_RUNNING_FOOTER = re.compile(r"^(?P<stem>.*\S)\s+\d+\s?\(\s?\d+\s?\)$")
_URL_LINE = re.compile(r"^https?://\S+$")
_SB_STAMP = re.compile(r" · sb \d+\.\d+")  # the footer sb stamps on what it renders
_SPACE = " \t\r\n\v\f"  # what a line loses at its ends; not the mark between a table's cells
NEXT_LABEL = "\x00"  # between the texts of two labels of one section ("Datum:", "Tid:")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
_MARKDOWN_MARKS = re.compile(r"^#{1,6}\s+|\*\*")
_ESCAPED = re.compile(r"\\([\\`*_\[\]<>&|~!#+=.)-])")
_TYPE_WORDS = re.compile(r"^(sammanträdesprotokoll|protokoll|protokollsutdrag|kallelse och dagordning|kallelse|"
                         r"dagordning|mötesprotokoll|minnesanteckningar)$", re.IGNORECASE)  # fmt: skip


# --- the text -----------------------------------------------------------------------------------


def prepared_lines(source: Source) -> list[str]:
    """The source's lines without page furniture: page numbers, the running heading and footer that
    a PDF repeats on every page, and the copies of a link that extraction drops mid-text."""
    lines = [_plain(part) for line in _source_lines(source) for part in line.split("\n")]
    lines = ["" if is_page_furniture(line) else line for line in lines]
    heading = " ".join(_heading_lines(lines))
    stems = [m["stem"] for line in lines if (m := _RUNNING_FOOTER.match(line))]
    kept: list[str] = []
    for line in lines:
        if not (_is_running_footer(line, stems) or _repeats_heading(line, heading, kept) or _repeats_link(line, kept)):
            kept.append(line)
    return kept


def _source_lines(source: Source) -> list[str]:
    """The text one string per line; a table row is one line, its cells apart (CELL)."""
    out: list[str] = []
    for block in source.blocks:
        if block.rows:
            out.extend(row_line(row) for row in block.rows)
        else:
            out.extend(block.text.split("\n"))
    return out


def _is_running_footer(line: str, stems: list[str]) -> bool:
    """A footer on more than one page, one sb writes (" · "), or sb's stamp."""
    footer = _RUNNING_FOOTER.match(line)
    return bool(footer and (stems.count(footer["stem"]) > 1 or " · " in line)) or bool(_SB_STAMP.search(line))


def _repeats_heading(line: str, heading: str, kept: list[str]) -> bool:
    """The running heading again, after the first page's."""
    return bool(heading) and line == heading and len(kept) > 3


def _repeats_link(line: str, kept: list[str]) -> bool:
    """A copy of a link that the text above already holds (extraction drops one mid-text)."""
    return bool(_URL_LINE.match(line)) and line in "".join(kept).replace(" ", "")


def _plain(line: str) -> str:
    """A line as a reader sees it: no Markdown marks from a text file that sb wrote, plain spaces."""
    line = line.replace("\xa0", " ").replace("\t", " ").strip(_SPACE)
    return "" if _RULE.match(line) else _ESCAPED.sub(r"\1", _MARKDOWN_MARKS.sub("", line)).strip(_SPACE)


def _heading_lines(lines: list[str]) -> list[str]:
    """The lines above everything else: forum, document type, date."""
    found: list[str] = []
    for line in lines:
        if not line:
            continue
        if label(line) or item_heading(line) or len(found) == 4:
            break
        found.append(line)
    return found


def item_heading(line: str) -> tuple[str, int, str] | None:
    """("paragraph", 61, rest) for "§ 61 …", ("list", 1, rest) for "1). …"."""
    match = PARAGRAPH_HEADING.match(line)
    if match:
        return "paragraph", int(match[1]), match[2].strip()
    match = LIST_HEADING.match(line)
    return ("list", int(match[1]), match[2].strip()) if match else None


def label(line: str) -> tuple[str, str, str] | None:
    """(key, rest, label) for a front-matter label such as "Tid och plats: …"."""
    match = _LABEL.match(line)
    if match is None:
        return None
    rest = match["rest"].strip()
    word = squash(line[: len(line) - len(match["rest"])]).rstrip(" :").casefold()
    if not rest and not line.rstrip().endswith(":") and word not in _BARE_LABELS:
        return None
    key = next(k for k in _FRONT_LABELS if match[k] is not None)
    return key, rest, word


# --- where the parts stand ----------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """The lines of each part; `numbering` is "paragraph" or "list", None without items."""

    heading: list[str]
    index: list[str]
    front: list[str]
    items: list[str]
    numbering: str | None


def layout(lines: list[str]) -> Layout:
    """Heading, ärendeförteckning, front matter (time, attendance, signatures) and items. The items
    begin at the last line that opens the first item's number: the ärendeförteckning names the same
    numbers before them."""
    headings = [(i, found) for i, line in enumerate(lines) if (found := item_heading(line))]
    if not headings:
        return Layout(_heading_lines(lines), [], lines[len(_heading_lines(lines)) :], [], None)
    numbering, first = headings[0][1][0], headings[0][1][1]
    start = max(i for i, (kind, number, _) in headings if kind == numbering and number == first)
    head_end = _head_end(lines, start)
    index_end = _index_end(lines, headings[0][0], start) if headings[0][0] < start else head_end
    items, tail = _split_tail(lines[start:])
    return Layout(lines[:head_end], lines[head_end:index_end], lines[index_end:start] + tail, items, numbering)


def _head_end(lines: list[str], start: int) -> int:
    """The first labelled or numbered line, or the first item's."""
    found = next((i for i, line in enumerate(lines) if line and (label(line) or item_heading(line))), start)
    return min(found, start)


def _index_end(lines: list[str], first_heading: int, start: int) -> int:
    """The ärendeförteckning ends at the first front-matter label after its first number."""
    return next((i for i in range(first_heading, start) if _is_front_label(lines[i])), start)


def _is_front_label(line: str) -> bool:
    found = label(line)
    return found is not None and found[0] != "index"


def _split_tail(lines: list[str]) -> tuple[list[str], list[str]]:
    """Signatures after the last item belong to the front matter, and so does a kallelse's time and
    place written under its agenda."""
    for i, line in enumerate(lines):
        found = label(line)
        if i and found and found[0] in ("meeting", "signatures", "adjusters", "adjusted"):
            return lines[:i], lines[i:]
    return lines, []


def front_sections(lines: list[str]) -> dict[str, list[str]]:
    """Each label's text: the rest of its line and the lines up to the next label. "Tid: 13-16"
    reads as "kl. 13-16"; the texts of "Datum:", "Tid:" and "Plats:" stay apart (NEXT_LABEL)."""
    sections: dict[str, list[str]] = {}
    key = "preamble"
    for line in lines:
        found = label(line)
        if found:
            key, line, word = found
            if key == "meeting" and sections.get(key):
                sections[key].append(NEXT_LABEL)
            if word == "tid" and line[:1].isdigit():
                line = f"kl. {line}"
        sections.setdefault(key, []).append(line)
    return sections


# --- heading and forum --------------------------------------------------------------------------


def recognise_forum(heading: list[str], organisation: Organisation) -> tuple[Forum, str] | None:
    """The forum that the heading names by its id, any of its names or aliases, or its protocol
    heading (case and spacing aside), with the line that named it. A line that is the name wins;
    else the longest name found in a line."""
    for line in heading:
        words = _TYPE_WORDS.sub("", line).strip()
        named = resolve_forum(organisation, words) if words else None
        if named is not None:
            return named, line
        spoken = normal_name(line)
        found = [
            (len(name), forum)
            for forum in organisation.forums.values()
            for name in map(normal_name, known_names(forum))
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", spoken)
        ]
        if found:
            return max(found, key=lambda pair: pair[0])[1], line
    return None


def chosen_forum(
    given: str | None, heading: list[str], organisation: Organisation
) -> tuple[Forum | str | None, str | None]:
    if given:  # the id, any name or alias (sb import --forum "att åldras")
        return resolve_forum(organisation, given) or given, None
    found = recognise_forum(heading, organisation)
    if found:
        return found[0], f'Forumet är känt igen ur rubriken "{found[1]}".'
    return None, None


# --- time and place ----------------------------------------------------------------------------


def meeting_of(sections: dict[str, list[str]], heading: list[str], organisation: Organisation) -> dict[str, str]:
    """Date, time and place from "Tid och plats" (or "Datum", "Tid", "Plats"); the date and time
    may also stand in the heading ("LSVO / Sammanträdesprotokoll / 2023-06-16")."""
    known = words_of([*sections.get("meeting", []), *(p.name for p in organisation.parties.values())])
    written = read_meeting(
        ", ".join(join_broken_lines(text, known) for text in label_texts(sections.get("meeting", [])))
    )
    for line in heading:
        if find_date(line):
            above = {k: v for k, v in read_meeting(line).items() if k != "place"}
            return {**above, **written}
    return written


def label_texts(lines: list[str]) -> list[list[str]]:
    """Each label's own lines: the rest of its line, or the next line when that is empty, and the
    lines after it while a word or list runs on ("…, Karls-" / "krona")."""
    texts: list[list[str]] = []
    current: list[str] = []
    closed = False
    for line in [*lines, NEXT_LABEL]:
        if line == NEXT_LABEL:
            texts += [current] if current else []
            current, closed = [], False
        elif closed or not line:
            closed = closed or bool(current)
        elif not current or current[-1].endswith(("-", ",")):
            current.append(line)
        else:
            closed = True
    return texts


def join_broken_lines(lines: list[str], known: frozenset[str]) -> str:
    text = ""
    for line in lines:
        text = join_broken(text, line, known) if text else line
    return text
