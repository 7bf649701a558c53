"""The items of a protocol or kallelse: "§ 61" or "1). Titel (B)", with title, kind and
attachments, presenters, text, the decision phrase and its att-clauses, subitems a/ … and the
lists of recipients ("Protokollet ska skickas till")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sb_cli.core.records import Forum, Organisation
from sb_cli.importing.body import SUBITEM, to_markdown
from sb_cli.importing.layout import item_heading
from sb_cli.importing.meeting import find_date, join_broken, looks_like_name, reference_day, squash, words_of
from sb_cli.importing.source import CELL_MARK

Notes = dict[tuple[str | int, ...], str]

PRESENTERS = re.compile(r"^föredragande\s*:\s*(.*)$", re.IGNORECASE)
PROPOSED = re.compile(r"^förslag till beslut\b\s*+:?\s*+(.*)$", re.IGNORECASE)
SEND_TO = re.compile(
    r"^(?:(?:protokollet|protokollsutdrag|utdrag)\s+(?:ska\s+|skall\s+)?(?:skickas|sändas|expedieras)\s+till|"
    r"expedieras\s+till|kallelsen\s+(?:ska\s+)?skickas\s+till|sändlista)\b\s*+:?\s*+(?P<rest>.*)$",
    re.IGNORECASE,
)
CLAUSE = re.compile(r"^att\b\s*(.*)$")
PHRASE = re.compile(r"^(?P<who>[\wåäöÅÄÖ:.\- ]{2,60}?)\s+beslutar\b\s*+:?\s*+(?P<rest>.*)$")
KIND = re.compile(r"^[BID](?:\s*/\s*[BID])*+$")
ATTACHMENT = re.compile(
    r"^(?:pptx?|pdf|docx?|xlsx?|word|excel|powerpoint|presentation|bilag[ao]\b.*|[\w .-]+\.[a-z]{2,4})$",
    re.IGNORECASE,
)
# The kind before a subtitle: "UPH (I/D) – Satsning …". Searched for, not matched after a lazy head:
# that would read the rest of the line again from every "(" (quadratic).
_KIND_BEFORE_SUBTITLE = re.compile(r"\((?P<kind>[BID](?:\s*/\s*[BID])*+)\)\s+(?P<dash>[–-])\s+(?=\S)")
MOVED = re.compile(r"\b(?:flyttas|flyttades|flyttat|skjuts upp|sköts upp|bordläggs|bordlades)\b", re.IGNORECASE)
SUBTITLE = re.compile(r"^(?P<dash>–|-)(?:(?<=–)\s*|(?=\S))(?P<text>\S.*)$")
_LIST_MARK = re.compile(r"^[-•*]\s+")
_WHOLE_LIST = ("diariet", "ledamöter", "ledamöterna")


@dataclass(frozen=True)
class IndexEntry:
    title: str
    subitems: dict[str, str]


Index = dict[int, IndexEntry]


@dataclass(frozen=True)
class Reading:
    """What reading an item needs to know about the whole document."""

    phrases: tuple[str, ...]  # the forum's decision phrase
    known: frozenset[str]  # every word of the source, to mend words broken at line ends
    width: int  # a full line's length: a shorter line ends its paragraph
    day: dt.date | None  # the meeting, to give "25 augusti" its year
    kallelse: bool
    index: Index


@dataclass
class PointText:
    """An item's or subitem's text taken apart."""

    presenters: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    presenters_text: str = ""
    phrase: str | None = None
    send_to: list[tuple[list[str], bool]] = field(default_factory=list)  # (names, right after decisions)


def split_title(text: str, *, attachments: bool = True) -> tuple[str, str | None, list[str]]:
    """ "Revidering av LSVOs ledningssystem (B) (PPT)" → title, kind "B", attachments ["PPT"]."""
    rest, kind = text.strip(), None
    found: list[str] = []
    before = _KIND_BEFORE_SUBTITLE.search(rest)  # "UPH (I/D) – Satsning inom äldreområdet", as sb prints it
    if before and rest[: before.start()].strip():
        head, tail = rest[: before.start()].rstrip(), rest[before.end() :]
        rest, kind = f"{head} {before['dash']} {tail}", before["kind"].replace(" ", "")
    while match := re.search(r"\(([^()]*)\)\s*$", rest):
        inner = squash(match[1])
        parts = [p.strip() for p in inner.split(",")]
        if kind is None and KIND.match(inner):
            kind = inner.replace(" ", "")
        elif attachments and all(ATTACHMENT.match(p) for p in parts):
            found = parts + found
        else:
            break
        rest = rest[: match.start()].rstrip()
    return rest.rstrip(" :"), kind, found


def read_index(lines: list[str], known: frozenset[str]) -> Index:
    """The ärendeförteckning: each number's title and subitems, titles broken over lines mended."""
    entries: dict[int, tuple[list[str], dict[str, str]]] = {}
    current: int | None = None
    letter: str | None = None
    for line in lines:
        text = _LIST_MARK.sub("", line).strip()
        heading = item_heading(text) if text else None
        sub = SUBITEM.match(text)
        if heading:
            current, letter = heading[1], None
            entries[current] = ([heading[2]], {})
        elif current is not None and sub:
            letter = sub[1]
            entries[current][1][letter] = split_title(sub[2], attachments=False)[0]
        elif current is not None and text:
            title, subs = entries[current]
            if letter:
                subs[letter] = join_broken(subs[letter], text, known)
            else:
                title[0] = join_broken(title[0], text, known)
    return {n: IndexEntry(split_title(t[0])[0], s) for n, (t, s) in entries.items()}


def item_segments(lines: list[str], numbering: str, index: Index) -> list[tuple[int, str, list[str]]]:
    """(number, rest of the heading line, the lines under it). A "§57" in a text is no heading: the
    numbers rise, and where there is an ärendeförteckning, only its numbers open an item."""
    heads: list[tuple[int, int, str]] = []
    for i, line in enumerate(lines):
        found = item_heading(line)
        if not found or found[0] != numbering:
            continue
        if _opens_item(found[1], heads[-1][1] if heads else None, index):
            heads.append((i, found[1], found[2]))
    if not heads:
        return []
    ends = [i for i, _, _ in heads[1:]] + [len(lines)]
    return [(number, rest, lines[i + 1 : end]) for (i, number, rest), end in zip(heads, ends, strict=True)]


def _opens_item(number: int, previous: int | None, index: Index) -> bool:
    """The numbers rise, by at most three without an ärendeförteckning; with one, it names the number."""
    if previous is not None and (number <= previous or (not index and number > previous + 3)):
        return False
    return not index or number in index


def read_items(lines: list[str], numbering: str, reading: Reading) -> tuple[list[dict[str, Any]], list[str], Notes]:
    """Every item, the list of recipients of the whole document, and the notes on them."""
    items: list[dict[str, Any]] = []
    notes: Notes = {}
    every: list[tuple[dict[str, Any], PointText, bool]] = []
    last: list[tuple[dict[str, Any], PointText, bool]] = []
    for position, (number, rest, body) in enumerate(item_segments(lines, numbering, reading.index)):
        item, item_notes, last = read_item(number, rest, body, reading)
        items.append(item)
        notes.update({("items", position, *key): note for key, note in item_notes.items()})
        every += last
    if reading.kallelse:  # a kallelse's items have no recipients: every list is the kallelse's
        return items, [n for _, point, _ in every for block, _ in point.send_to for n in block], notes
    distribution = _distribution(*last[-1]) if last else []
    if distribution:
        notes[("distribution",)] = "Listan efter sista punkten gäller hela protokollet."
    return items, distribution, notes


def _distribution(holder: dict[str, Any], point: PointText, subitem: bool) -> list[str]:
    """The last "Protokollet ska skickas till" is the protocol's own list unless it closes the
    decisions of the last item and is that item's only list."""
    names, after_decisions = point.send_to[-1]
    whole = any(n.casefold() in _WHOLE_LIST for n in names)
    if not (subitem or not after_decisions or len(point.send_to) > 1 or whole):
        return []
    remaining = [n for block, _ in point.send_to[:-1] for n in block]
    if remaining:
        holder["send_to"] = remaining
    else:
        holder.pop("send_to", None)
    return names


def read_item(
    number: int, rest: str, lines: list[str], reading: Reading
) -> tuple[dict[str, Any], Notes, list[tuple[dict[str, Any], PointText, bool]]]:
    entry = reading.index.get(number)
    text, lines = _title(rest, lines, entry, reading.known)
    title, kind, attachments = split_title(text)
    title, lines = _subtitles(title, lines)
    own, subs = _split_subitems(lines, entry)
    point = read_point(own, reading)
    item: dict[str, Any] = {"number": number, "title": title}
    if entry and squash(entry.title).casefold() != squash(title).casefold() and entry.title:
        item["index_title"] = entry.title
    notes = _fill(item, point, kind, attachments, reading)
    holders = [(item, point, False)] if point.send_to else []
    subitems = []
    for j, (letter, sub_rest, sub_lines) in enumerate(subs):
        sub_title, sub_kind, _ = split_title(sub_rest, attachments=False)
        sub_point = read_point(sub_lines, reading)
        subitem: dict[str, Any] = {"letter": letter, "title": sub_title}
        sub_notes = _fill(subitem, sub_point, sub_kind, [], reading)
        notes.update({("subitems", j, *key): note for key, note in sub_notes.items()})
        subitems.append(subitem)
        if sub_point.send_to:
            holders.append((subitem, sub_point, True))
    if subitems:
        item["subitems"] = subitems
    return item, notes, holders


def _fill(point: dict[str, Any], text: PointText, kind: str | None, attachments: list[str], reading: Reading) -> Notes:
    """The point's facts in the order a document writes them, and the notes on what was inferred."""
    notes: Notes = {}
    _fill_kind(point, notes, text, kind)
    _fill_deferral(point, notes, text, reading)
    body = to_markdown(text.body, reading.width, reading.known)
    written = {"presenters": text.presenters, "attachments": attachments, "body": body}
    point.update({key: value for key, value in written.items() if value})
    _fill_decisions(point, notes, text, reading)
    send_to = [n for block, _ in text.send_to for n in block]
    if send_to and not reading.kallelse:
        point["send_to"] = send_to
    return notes


def _fill_kind(point: dict[str, Any], notes: Notes, text: PointText, kind: str | None) -> None:
    if not kind and text.decisions:
        kind = "B"
        notes[("kind",)] = "Ärendetyp B är härledd: punkten har beslut men källan anger ingen ärendetyp."
    if kind:
        point["kind"] = kind


def _fill_deferral(point: dict[str, Any], notes: Notes, text: PointText, reading: Reading) -> None:
    deferred, deferral_note = deferral(" ".join(text.body), reading.day)
    if deferred:
        point["deferred_to"] = deferred
    if deferral_note:
        notes[("body",)] = deferral_note


def _fill_decisions(point: dict[str, Any], notes: Notes, text: PointText, reading: Reading) -> None:
    """The att-clauses (a kallelse's are proposals), and a note where they open with another phrase
    than the forum's own."""
    if text.decisions:
        decisions = [decision_of(clause, reading.day) for clause in text.decisions]
        point["proposed_decisions" if reading.kallelse else "decisions"] = decisions
    if text.phrase and reading.phrases and text.phrase.casefold() != reading.phrases[0].casefold():
        notes[("decisions",)] = f'Besluten inleds med "{text.phrase}", inte med forumets "{reading.phrases[0]}".'


# "uppdra åt Marie Sjöberg att senast 2024-09-30 …": who is to do it, and by when.
# Read on a clause whose spaces are squashed: one space between words, so a single " " is enough
# and no run of spaces is read twice.
_ASSIGNED = re.compile(
    r"(?:uppdra|uppdrar|uppdras|ge) åt (?P<who>[^,.;]{2,80}?) att\b(?P<rest>.*)", re.IGNORECASE | re.DOTALL
)
_DUE = re.compile(r"^,?\s*(?:senast|klart senast|senast den)\s+(?P<when>.+)$", re.IGNORECASE)
# "…, ansvarig: Anna Sjö, klart senast 2024-12-31." written after the clause; matched from the last
# "ansvarig" (and "klart senast") only, so that no start is tried twice.
_RESPONSIBLE_TAIL = re.compile(
    r"ansvarig ?: ?(?P<who>[^,;()]+?) ?(?:[,;] ?(?:klart )?senast (?P<when>[^,;()]+?))? ?\)?(?P<end>[.!]?) ?$",
    re.IGNORECASE,
)
_DUE_TAIL = re.compile(r"klart senast (?P<when>[^,;()]+?)(?P<end>[.!]?) ?$", re.IGNORECASE)


def _tail(text: str, word: str, pattern: re.Pattern[str]) -> tuple[str, re.Match[str]] | None:
    """The clause without its tail, and the tail's match, when the tail begins at the last `word`;
    the separator before it (", (", "; ") goes with the tail."""
    start = max((m.start() for m in re.finditer(word, text, re.IGNORECASE)), default=-1)
    found = pattern.match(text, start) if start >= 0 else None
    if found is None:
        return None
    head = text[:start].rstrip(" (")
    if pattern is _DUE_TAIL and not head.endswith((",", ";")):  # "…, klart senast": after a separator only
        return None
    return head.rstrip(" ,;") + found["end"], found


def decision_of(clause: str, day: dt.date | None) -> str | dict[str, str]:
    """An att-clause as stored: without a second "att" ("att att …" where a list's mark and the
    text both say it), and with who is responsible and by when, where the clause says so ("uppdra
    åt NAMN att senast DATUM …", "…, ansvarig: NAMN, klart senast DATUM")."""
    text = re.sub(r"^att\s+", "", squash(clause))
    responsible: str | None = None
    due: str | None = None
    if cut := _tail(text, "ansvarig", _RESPONSIBLE_TAIL):
        text, tail = cut
        responsible, due = squash(tail["who"]), _iso(tail["when"], day)
    elif cut := _tail(text, "klart senast", _DUE_TAIL):
        text, tail = cut
        due = _iso(tail["when"], day)
    if assigned := _ASSIGNED.match(text):
        when = _DUE.match(assigned["rest"].strip())
        assigned_due = _iso(when["when"], day) if when else None
        # A role without a date ("uppdra åt digitaliseringsdirektör att, när …") is left in the text.
        if assigned_due or looks_like_name(assigned["who"]):
            responsible = responsible or squash(assigned["who"])
        due = due or assigned_due
    if responsible is None and due is None:
        return text
    written = {"text": text, "responsible": responsible, "due": due}
    return {key: value for key, value in written.items() if value}


def _iso(text: str | None, day: dt.date | None) -> str | None:
    """The date the text begins with, as ISO."""
    found = find_date(text or "", day)
    return found.value.isoformat() if found and found.start == 0 else None


def _title(rest: str, lines: list[str], entry: IndexEntry | None, known: frozenset[str]) -> tuple[str, list[str]]:
    """The heading's title, on the heading's line or the next, and its continuation lines."""
    i = 0
    if not rest:
        while i < len(lines) and not lines[i]:
            i += 1
        if i == len(lines):
            return "", []
        rest, i = lines[i], i + 1
    text = rest
    while i < len(lines) and lines[i] and _title_goes_on(text, lines[i], entry):
        text, i = join_broken(text, lines[i], known), i + 1
    return text, lines[i:]


def _title_goes_on(text: str, line: str, entry: IndexEntry | None) -> bool:
    if PRESENTERS.match(line) or SUBITEM.match(line):
        return False
    bare = squash(split_title(text)[0]).casefold()
    if entry:
        full = squash(entry.title).casefold()
        return len(full) > len(bare) and full.startswith(bare.rstrip("-"))
    return text.rstrip().endswith(("-", ","))


def _subtitles(title: str, lines: list[str]) -> tuple[str, list[str]]:
    """ "UPH (I/D)" / "– Satsning inom äldreområdet" → "UPH – Satsning inom äldreområdet"; further
    lines "-…" join with commas (seed 002)."""
    i, parts = 0, []
    while i < len(lines):
        match = SUBTITLE.match(lines[i]) if lines[i] else None
        if lines[i] and match is None:
            break
        if match:
            parts.append((match["dash"], squash(match["text"])))
        i += 1
    if not parts:
        return title, lines
    first_dash, first = parts[0]
    return f"{title} {first_dash} {first}" + "".join(f", {t}" for _, t in parts[1:]), lines[i:]


def _split_subitems(lines: list[str], entry: IndexEntry | None) -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    """The item's own lines, and (letter, title, lines) of each subitem a/, b/ … An "a/" right after a
    line that ends with a colon lists something in the text (seed 002, item 1) unless the
    ärendeförteckning names subitems."""
    starts = _subitem_starts(lines, entry.subitems if entry else {})
    if not starts:
        return lines, []
    ends = [i for i, _, _ in starts[1:]] + [len(lines)]
    subs = [(letter, rest, lines[i + 1 : end]) for (i, letter, rest), end in zip(starts, ends, strict=True)]
    return lines[: starts[0][0]], subs


def _subitem_starts(lines: list[str], named: dict[str, str]) -> list[tuple[int, str, str]]:
    """(line, letter, rest of the line) where each subitem a/, b/ … begins, in order."""
    starts: list[tuple[int, str, str]] = []
    expected, previous = "a", ""
    for i, line in enumerate(lines):
        match = SUBITEM.match(line)
        listed = not named or match is not None and match[1] in named
        if match and match[1] == expected and listed and (named or not previous.endswith(":") or starts):
            starts.append((i, match[1], match[2]))
            expected = chr(ord(expected) + 1)
        if line:
            previous = line
    return starts


def read_point(lines: list[str], reading: Reading) -> PointText:
    """Presenters, text, the decision phrase and its att-clauses, and the recipients."""
    point = PointText()
    state, gap = "body", False
    for line in lines:
        if not line:
            gap = True
            if state == "body":
                point.body.append("")
            continue
        state = _read_line(point, line, state, gap, reading)
        gap = False
    return point


def _read_line(point: PointText, line: str, state: str, gap: bool, reading: Reading) -> str:
    """Reads one line of a point into it; the part of the point the next line continues. A table's
    row is the body's."""
    if CELL_MARK in line:
        point.body.append(line)
        return "body"
    if state == "presenters" and not gap and _open_ended(point.presenters_text):
        point.presenters_text = f"{point.presenters_text} {line}"
        point.presenters = presenter_names(point.presenters_text)
        return state
    started = _start_of_part(point, line, state, reading)
    if started is not None:
        return started
    goes_on = _GOES_ON.get(state)
    if goes_on is not None and goes_on(point, line, gap, reading):
        return state
    point.body.append(line)
    return "body"


def _start_of_part(point: PointText, line: str, state: str, reading: Reading) -> str | None:
    """A line that opens the presenters, the decision or the recipients; the part it opens."""
    if (match := PRESENTERS.match(line)) and not point.presenters:
        point.presenters_text = match[1]
        point.presenters = presenter_names(match[1])
        return "presenters"
    if phrase := decision_phrase(line, reading.kallelse):
        point.phrase = phrase[0] or point.phrase
        if clause := CLAUSE.match(phrase[1]):
            point.decisions.append(squash(clause[1]))
        return "decisions"
    if match := SEND_TO.match(line):
        point.send_to.append((recipients(match["rest"]), state == "decisions"))
        return "send_to"
    return None


def _more_decisions(point: PointText, line: str, gap: bool, reading: Reading) -> bool:
    """An att-clause, or the rest of the last one broken over lines."""
    if clause := CLAUSE.match(line):
        point.decisions.append(squash(clause[1]))
        return True
    if point.decisions and (not gap or line[0].islower() or line[0].isdigit()):
        point.decisions[-1] = join_broken(point.decisions[-1], line, reading.known)
        return True
    return False


def _more_recipients(point: PointText, line: str, gap: bool, reading: Reading) -> bool:
    if not is_recipient(line):
        return False
    point.send_to[-1][0].extend(recipients(line))
    return True


# What a line may continue, by the part the line above was in.
_GOES_ON: dict[str, Callable[[PointText, str, bool, Reading], bool]] = {
    "decisions": _more_decisions,
    "send_to": _more_recipients,
}


def decision_phrase(line: str, kallelse: bool = False) -> tuple[str | None, str] | None:
    """("LSVO beslutar", rest) for "LSVO beslutar" or "Samverkansgruppen beslutar att …"; in a
    kallelse also (None, rest) for "Förslag till beslut"."""
    proposed = PROPOSED.match(line) if kallelse else None
    if proposed:
        return None, proposed[1]
    match = PHRASE.match(line)
    if match is None or len(match["who"].split()) > 5:
        return None
    rest = match["rest"].strip()
    if rest and not CLAUSE.match(rest):
        return None
    return f"{squash(match['who'])} beslutar", rest


def _open_ended(text: str) -> bool:
    return bool(re.search(r"(,|\boch|&)\s*$", text))


def presenter_names(text: str) -> list[str]:
    """ "Marie Sjöberg, Carina Ingemansson & André Jönsson mfl." → the three names."""
    text = re.sub(r"\b(?:m\.?\s?fl|med flera)\.?\s*$", "", text.strip())
    return [squash(n).strip(" .") for n in re.split(r",|\boch\b|&", text) if squash(n).strip(" .")]


def recipients(text: str) -> list[str]:
    return [squash(n) for n in _LIST_MARK.sub("", text).split(",") if squash(n)]


def is_recipient(line: str) -> bool:
    """A name or group on a list of recipients, not a sentence or a new point."""
    return (
        len(line.split()) <= 6
        and not line.rstrip().endswith((".", ":"))
        and not SUBITEM.match(line)
        and not item_heading(line)
    )


def deferral(text: str, day: dt.date | None) -> tuple[str | None, str | None]:
    """The day a point was moved to ("Ärendet flyttas till LSVO 25 augusti" → 2023-08-25 with the
    meeting's year), and a note when the year cannot be known."""
    for match in MOVED.finditer(text):
        sentence = re.split(r"\.(?:\s|$)", text[match.end() :], maxsplit=1)[0]
        found = find_date(sentence, day)
        if found:
            return found.value.isoformat(), None
        if find_date(sentence, dt.date(2000, 1, 1)):
            return None, f"Punkten flyttas ({squash(sentence)}), men mötets år är okänt; därför inget deferred_to."
    return None, None


def reading_for(
    lines: list[str], organisation: Organisation, forum: Forum | None, day: str | None, index: Index, kallelse: bool
) -> Reading:
    phrases = (forum.phrase,) if forum else ()
    lengths = sorted(len(line) for line in lines if line)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 80
    known = words_of([*lines, *(p.name for p in organisation.parties.values())])
    meeting_day = reference_day(day)
    return Reading(phrases, known, width, meeting_day, kallelse, index)
