"""What protocols and kallelser share: Swedish dates and clock times, "Tid och plats", the lines
that name people ("Bodil Sundlöf, Enheten för kvalitet och utveckling, Region Blekinge"), and the
forum's roster that tells members from other participants."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from sb_cli.core.records import Forum, Organisation
from sb_cli.importing.source import CELL_MARK

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?\s+)"
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
SWEDISH_DATE = re.compile(
    rf"\b{_WEEKDAY}?(?:den\s+)?(?P<day>\d{{1,2}})(?::[ae])?\s+(?P<month>{_MONTH})\.?(?:\s+(?P<year>\d{{4}}))?(?![\wåäö])",
    re.IGNORECASE,
)
# "februari 2024" alone: the month of a meeting whose day is not given (SPEC §3.5), as sb prints it.
MONTH_YEAR = re.compile(rf"(?<![\wåäö])(?P<month>{_MONTH})\s+(?P<year>(?:19|2\d)\d\d)(?![\wåäö])", re.IGNORECASE)
_LEADING_WEEKDAY = re.compile(rf"{_WEEKDAY}(?:den\s+)?$", re.IGNORECASE)
_HOUR = r"(?:[01]?\d|2[0-3])"
# "kl. 08.15 - 12.00", "8:15–12", "kl 13-16"; without "kl" the first time needs its minutes, so that
# "16-29 år" is not a time.
CLOCK_RANGE = re.compile(
    rf"(?:\bkl\.?\s*(?P<h1>{_HOUR})(?:[.:](?P<m1>[0-5]\d))?|\b(?P<h1b>{_HOUR})[.:](?P<m1b>[0-5]\d))"
    rf"(?:\s*(?:-|–|—|till)\s*(?P<h2>{_HOUR})(?:[.:](?P<m2>[0-5]\d))?)?(?![\d.:])",
    re.IGNORECASE,
)
CONJUNCTIONS = frozenset({"och", "eller", "samt", "respektive", "som", "till", "resp."})
ROLE_WORDS = {
    "ordförande": "ordförande",
    "ordf.": "ordförande",
    "vice ordförande": "vice ordförande",
    "sekreterare": "sekreterare",
    "justerare": "justerare",
    "ersättare": "ersättare",
}
_ITEM_MARK = re.compile(r"§\s*(\d{1,6})")
_BRACKETED_REST = re.compile(r"\(([^()]+)\)\s*$")  # no leading \s*: quadratic on runs of spaces
_ROLE_IN_BRACKETS = re.compile(r"\((?P<role>[^()]+)\)")
_DOTS = re.compile(r"[.…_\s]{4,}")
_LIST_MARK = re.compile(r"^[-•*]\s+")
_CELL_GAP = re.compile(r"(?<=[^,\s])\s{2,}(?=\S)")  # a table row's cells, as Source.lines() joins them
_SURNAME_FIRST = re.compile(r"^[A-ZÅÄÖ][\w'-]*\s*,")


class Found(NamedTuple):
    """A value found in a text and where it stood, so the rest of the text can be read on."""

    value: Any
    start: int
    end: int


# --- text ---------------------------------------------------------------------------------------


def squash(text: str) -> str:
    return " ".join(text.split())


def same_name(first: str, second: str) -> bool:
    """ "Torill Skaar-Magnusson" is "Torill Skaar Magnusson": extraction and typing differ in hyphens."""
    return _name_key(first) == _name_key(second)


def _name_key(name: str) -> str:
    return squash(name.replace("-", " ")).casefold()


def join_broken(first: str, second: str, known_words: frozenset[str]) -> str:
    """Two lines of one sentence as one. A word broken by a hyphen loses it only when the whole word
    is known from elsewhere ("Karls-" + "krona"); "SIP-" + "samordnare" keeps it, and "vård-" + "och
    omsorg" keeps its space."""
    first, second = first.rstrip(), second.strip()
    if not first or not second:
        return first or second
    if first.endswith("-") and len(first) > 1 and first[-2].isalpha() and second[0].islower():
        return _join_hyphenated(first, second, known_words)
    return f"{first} {second}"


def _join_hyphenated(first: str, second: str, known_words: frozenset[str]) -> str:
    word = second.split()[0]
    if word in CONJUNCTIONS:
        return f"{first} {second}"
    head = re.search(r"[\wåäöÅÄÖ]+-$", first)
    whole = (head.group(0)[:-1] if head else "") + word
    if whole.casefold().strip(".,;:") in known_words:
        return first[:-1] + second
    return first + second


def words_of(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(w.casefold() for text in texts for w in re.findall(r"[\wåäöÅÄÖ]+", text))


# --- dates and times ----------------------------------------------------------------------------


def find_date(text: str, reference: dt.date | None = None, *, after: bool = True) -> Found | None:
    """The first date in the text, ISO ("2023-06-16") or Swedish ("fredagen den 16 juni 2023"). A
    Swedish date without a year is the first such day on or after `reference` (with `after=False`
    the last on or before it); none without a reference."""
    found: list[Found] = []
    for match in ISO_DATE.finditer(text):
        day = _date(int(match[1]), int(match[2]), int(match[3]))
        if day:
            found.append(Found(day, match.start(), match.end()))
            break
    for match in SWEDISH_DATE.finditer(text):
        day = _swedish(match, reference, after)
        if day:
            found.append(Found(day, match.start(), match.end()))
            break
    return min(found, key=lambda f: f.start) if found else None


def _swedish(match: re.Match[str], reference: dt.date | None, after: bool) -> dt.date | None:
    month = MONTHS[match["month"].casefold()]
    day = int(match["day"])
    if match["year"]:
        return _date(int(match["year"]), month, day)
    if reference is None:
        return None
    this_year = _date(reference.year, month, day)
    if this_year is None:
        return None
    if after:
        return this_year if this_year >= reference else _date(reference.year + 1, month, day)
    return this_year if this_year <= reference else _date(reference.year - 1, month, day)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def reference_day(written: str | None) -> dt.date | None:
    """The day a meeting's date as read ("2024-02-16", or "2024-02" for a month) stands for when a
    date without a year is read, or a roster looked up: the day, or the first of its month."""
    if not written:
        return None
    return dt.date.fromisoformat(written if len(written) > len("2024-02") else f"{written}-01")


def clock(hour: str, minute: str | None) -> str:
    """ "8", "15" → "08:15" """
    return f"{int(hour):02d}:{minute or '00'}"


def find_times(text: str) -> Found | None:
    """The meeting's start and end ("08:15", "12:00"; end None when only the start is written)."""
    match = CLOCK_RANGE.search(text)
    if match is None:
        return None
    start = clock(match["h1"] or match["h1b"], match["m1"] or match["m1b"])
    end = clock(match["h2"], match["m2"]) if match["h2"] else None
    return Found((start, end), match.start(), match.end())


def read_meeting(text: str, reference: dt.date | None = None) -> dict[str, str]:
    """date, start, end and place from a "Tid och plats" text such as "Fredagen den 16 juni 2023 kl.
    08.15 - 12.00, via Teams"; what is neither date nor time is the place."""
    meeting: dict[str, str] = {}
    rest = text
    date = find_date(rest, reference)
    month = MONTH_YEAR.search(rest) if date is None else None
    if date:
        meeting["date"] = date.value.isoformat()
        before = _LEADING_WEEKDAY.sub("", rest[: date.start])
        rest = before + " , " + rest[date.end :]
    elif month:
        meeting["date"] = f"{int(month['year']):04d}-{MONTHS[month['month'].casefold()]:02d}"
        rest = rest[: month.start()] + " , " + rest[month.end() :]
    times = find_times(rest)
    if times:
        meeting["start"] = times.value[0]
        if times.value[1]:
            meeting["end"] = times.value[1]
        rest = rest[: times.start] + " , " + rest[times.end :]
    place = ", ".join(p for p in (squash(part).strip(" .") for part in rest.split(",")) if _is_place(p))
    if place:
        meeting["place"] = place
    return meeting


def _is_place(part: str) -> bool:
    """Not a place: what is left of a date or time, or sb's own "datum saknas"."""
    words = part.casefold()
    return bool(part) and words not in {"kl", "kl.", "den", "tid", "plats", "datum"} and "saknas" not in words


# --- people -------------------------------------------------------------------------------------


def party_names(organisation: Organisation) -> dict[str, str]:
    """Normalised party name → party id: "sölvesborgs kommun" → "solvesborg"."""
    return {squash(p.name).casefold(): p.id for p in organisation.parties.values()}


def role_of(text: str) -> str | None:
    """ "Ordförande" on a line of its own names the role of the person beside it."""
    return ROLE_WORDS.get(squash(text).casefold().rstrip(":"))


def read_person(text: str, parties: dict[str, str], role: str | None = None) -> dict[str, Any]:
    """ "Belinda Stefansdotter, arbetsterapeut, Karlskrona rehabcenter, Region Blekinge §64" →
    name, title, party (only a party named exactly), role, items."""
    items = [int(n) for n in _ITEM_MARK.findall(text)]
    text, role = _without_bracketed_role(_ITEM_MARK.sub(" ", text), role)
    text = _BRACKETED_REST.sub(r", \1", text)  # "Anna Sjö (Karlskrona kommun)": the organisation
    parts = [squash(p) for p in text.split(",") if squash(p)]
    party = parties.get(parts[-1].casefold()) if len(parts) > 1 else None
    title = ", ".join(parts[1:-1] if party else parts[1:])
    facts = {"title": title, "party": party, "role": role, "items": items}
    return {"name": parts[0] if parts else squash(text), **{key: value for key, value in facts.items() if value}}


def _without_bracketed_role(text: str, role: str | None) -> tuple[str, str | None]:
    """A role in brackets ("(ordförande)") taken out of the text; the last one written is the role."""
    for match in _ROLE_IN_BRACKETS.finditer(text):
        written = role_of(match["role"])
        if written:
            role = written
            text = text.replace(match.group(0), " ")
    return text, role


def people_lines(lines: Iterable[str], parties: dict[str, str]) -> list[tuple[str, str | None]]:
    """The entries of a list of people, each with the role written beside it. Extraction breaks an
    entry over lines ("…, Sölvesborgs" / "kommun") and can end one with the next one's first name
    ("…, Region Blekinge Annika" / "Mellqvist, …"); both are joined back here. A line may also hold
    several people ("A (Org), B (Org)", "A; B"), and a table's header row ("Namn", "Titel") none."""
    entries: list[list[Any]] = []  # [text, role]
    pending_role: str | None = None
    carry = ""
    for raw in _one_per_line(lines):
        line = _people_line(raw)
        if not line or _is_header_row(line):
            continue
        if carry and not _SURNAME_FIRST.match(line):
            entries[-1][0], carry = f"{entries[-1][0]} {carry}", ""
        role = role_of(line)
        if role:
            if entries:
                entries[-1][1] = entries[-1][1] or role
            else:
                pending_role = role
            continue
        if entries and not carry and _continues(entries[-1][0], line, parties):
            entries[-1][0] = f"{entries[-1][0]} {line}"
        else:
            entries.append([f"{carry} {line}".strip(), pending_role])
            pending_role, carry = None, ""
        entries[-1][0], carry = _split_dangling(entries[-1][0], parties)
    return [(text, role) for text, role in entries]


# Between the people of a list on one line: a semicolon, or a comma after a bracket ("A (Org), B"),
# where a name follows, not an organisation ("…, arbetsterapeut (rehab), Region Blekinge"), or a first
# name that ends the line, whose surname the next line holds ("…, André" / "Jönsson (…)").
_NAME_START = r"(?!(?:Region|Landstinget)\s)(?![\wåäöÅÄÖ-]+\s+kommun\b)[A-ZÅÄÖÉÜ][\wåäöéü'’-]+\s+[A-ZÅÄÖÉÜ]"
# No leading \s* here either: each start in a run of spaces would read the whole run again.
_LIST_SEPARATOR = re.compile(rf";\s*|(?<=\))\s*,\s*(?={_NAME_START}|[A-ZÅÄÖÉÜ][\wåäöéü'’-]+$)")
_HEADER_WORDS = frozenset({"namn", "titel", "befattning", "funktion", "roll", "uppdrag", "organisation", "part",
                           "förvaltning", "enhet", "verksamhet", "kommun/region", "närvarande", "frånvarande",
                           "paragraf", "§", "ledamot", "e-post", "telefon"})  # fmt: skip


def _one_per_line(lines: Iterable[str]) -> list[str]:
    """The lines with a list of several people split into one line each; a list broken over lines
    ("…, André" / "Jönsson (Sölvesborgs kommun)") is joined first. A table's row is left whole."""
    out: list[str] = []
    pending = ""
    for raw in lines:
        if pending and looks_like_name(re.split(r"[,(]", squash(raw))[0]):  # a new entry: the list ended
            out += [part.strip() for part in _LIST_SEPARATOR.split(pending) if part.strip()]
            pending = ""
        line = f"{pending} {squash(raw)}".strip() if pending else raw
        pending = ""
        if CELL_MARK in raw or not _LIST_SEPARATOR.search(line):
            out.append(line)
        elif line.rstrip().endswith((")", ";", ",")) or not line.strip():
            out += [part.strip() for part in _LIST_SEPARATOR.split(line) if part.strip()]
        else:
            pending = line
    if pending:
        out += [part.strip() for part in _LIST_SEPARATOR.split(pending) if part.strip()]
    return out


def _is_header_row(line: str) -> bool:
    """A table's header row: every cell a column's name."""
    cells = [squash(cell).casefold().rstrip(":") for cell in line.split(",")]
    return all(cell in _HEADER_WORDS for cell in cells)


# An organisation written as Swedish organisations write their names, for a repository whose
# organisation.yaml does not (yet) list the parties: "Region Blekinge", "Karlshamns kommun".
_ORGANISATION = re.compile(r"(?:region|landstinget)\s+[\wåäö-]+|[\wåäö-]+\s+kommun", re.IGNORECASE)
# A hyphen starts each further part ("Skaar-Magnusson"); the part's letters are one class, so that
# a run like "A-A-A" has one reading only (an optional capital before them made it exponential).
_NAME_WORD = r"[A-ZÅÄÖÉÜ][\w'’.]*(?:-[\w'’.]*)*"
_PERSON_NAME = re.compile(rf"{_NAME_WORD}(?:\s+(?:(?:von|van|af|de|du|la)\s+)?{_NAME_WORD}){{1,3}}")
_NOT_IN_NAMES = re.compile(
    r"\b(?:kommun|kommuner|region|regionen|landstinget|förvaltning\w*|enhet\w*|avdelning\w*|sektion\w*)\b",
    re.IGNORECASE,
)


def is_organisation(text: str, parties: dict[str, str]) -> bool:
    bare = squash(text).casefold()
    return bare in parties or _ORGANISATION.fullmatch(bare) is not None


def looks_like_name(text: str) -> bool:
    """Two to four words, each with a capital ("Anna Sjö", "Torill Skaar-Magnusson"), none of them
    an organisation's word: what a person's name looks like where no roster tells."""
    bare = squash(text)
    return _PERSON_NAME.fullmatch(bare) is not None and _NOT_IN_NAMES.search(bare) is None


def _people_line(raw: str) -> str:
    """The line's text without list marks, cells as commas; empty for a row of dots to sign on."""
    line = _LIST_MARK.sub("", squash(_CELL_GAP.sub(", ", raw.strip())))
    return "" if _DOTS.fullmatch(line) else line


def _continues(current: str, line: str, parties: dict[str, str]) -> bool:
    if current.endswith((",", "-", "–")) or re.search(r"\s(och|&)$", current):
        return True
    if line[0].islower() or line[0] in "(&":
        return True
    bare = squash(_ITEM_MARK.sub(" ", line)).casefold()
    last = squash(current.rsplit(",", 1)[-1]).casefold()
    if is_organisation(bare, parties) and not _ends_with_party(current, parties):
        return True
    return is_organisation(f"{last} {bare}", parties) or not looks_like_name(line.split(",")[0].split("(")[0])


def _ends_with_party(text: str, parties: dict[str, str]) -> bool:
    return is_organisation(_ITEM_MARK.sub(" ", text.rsplit(",", 1)[-1]), parties)


def _split_dangling(text: str, parties: dict[str, str]) -> tuple[str, str]:
    """ "…, Region Blekinge Annika" → ("…, Region Blekinge", "Annika"): the words after a party name
    that ends an entry begin the next one."""
    head, sep, last = text.rpartition(",")
    if not sep:
        return text, ""
    words = squash(last).split()
    for cut in range(len(words) - 1, 0, -1):
        name, rest = " ".join(words[:cut]), words[cut:]
        if is_organisation(name, parties) and all(w[:1].isupper() for w in rest) and len(rest) <= 2:
            return f"{head}, {name}", " ".join(rest)
    return text, ""


# --- the roster ---------------------------------------------------------------------------------


def roster_of(forum: Forum | None, day: str | None) -> list[str] | None:
    """The names of the forum's members on the meeting day; None when the organisation lists none."""
    if forum is None or not forum.members:
        return None
    held = reference_day(day)
    members = forum.roster(held) if held else forum.members
    return [m.name for m in members]


def in_roster(name: str, roster: list[str]) -> bool:
    return any(same_name(name, member) for member in roster)


GROUP_LABELS = {"present": "Närvarande", "absent": "Frånvarande", "others": "Övriga deltagare och föredragande"}


def sort_attendance(
    listed: dict[str, list[dict[str, Any]]], roster: list[str] | None, forum: str
) -> tuple[dict[str, list[dict[str, Any]]], dict[tuple[str | int, ...], str]]:
    """Absent members and other participants as the meeting had them. PDF extraction interleaves the
    columns (seed 003 prints the absent members under "Övriga deltagare"), so a person listed as
    absent or other is placed by the roster (a member is absent, a non-member an other) and by the
    "§64" marks of those who attended single items; each move is said in a note."""
    sorted_: dict[str, list[dict[str, Any]]] = {"present": list(listed.get("present", [])), "absent": [], "others": []}
    moved: dict[str, list[tuple[int, str]]] = {"absent": [], "others": []}
    for group in ("absent", "others"):
        for person in listed.get(group, []):
            target, why = _place(person, group, roster, forum)
            if target != group:
                moved[target].append((len(sorted_[target]), why))
            sorted_[target].append(person)
    notes: dict[tuple[str | int, ...], str] = {}
    for group, entries in moved.items():
        for index, why in entries:
            source = GROUP_LABELS["others" if group == "absent" else "absent"]
            notes[("attendance", group, index)] = f'Står under "{source}" i källan; placerad här eftersom {why}.'
    return sorted_, notes


def _place(person: dict[str, Any], group: str, roster: list[str] | None, forum: str) -> tuple[str, str]:
    if person.get("items"):
        return "others", "personen anges med paragrafer (§) som övrig deltagare"
    if roster is None:
        return group, ""
    if in_roster(person["name"], roster):
        return "absent", f"personen är ledamot i {forum} och inte står bland de närvarande"
    return "others", f"personen inte är ledamot i {forum}"
