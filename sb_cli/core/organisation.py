"""The organisation registry (documents/organisation.yaml) as typed records, and a forum's names:
the one it held on a day, and every text that names it (SPEC 3.4)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from sb_cli.core.records import (
    Forum,
    ForumName,
    Organisation,
    Party,
    RecordError,
    When,
    YearMonth,
    to_organisation_entry,
)


def organisation_from(data: Any) -> Organisation:
    """Every party and forum that can be read. A broken entry is left out (its SB002 finding says
    why), except that a forum with a readable id and name stays known, without its settings, so
    that the documents naming it are not reported as dangling too."""
    if not isinstance(data, dict):
        return Organisation()
    parties: dict[str, Party] = {}
    for entry in _entries(data.get("parties")):
        try:
            party = to_organisation_entry(entry, Party)
        except RecordError:
            continue
        if isinstance(party, Party):
            parties.setdefault(party.id, party)
    forums: dict[str, Forum] = {}
    for entry in _entries(data.get("forums")):
        try:
            read: Party | Forum | None = to_organisation_entry(entry, Forum)
        except RecordError:
            read = _bare_forum(entry)
        if isinstance(read, Forum):
            forums.setdefault(read.id, read)
    return Organisation(parties=parties, forums=forums)


def _entries(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _bare_forum(entry: Any) -> Forum | None:
    if not isinstance(entry, dict):
        return None
    try:
        found = to_organisation_entry({"id": entry.get("id"), "name": entry.get("name", entry.get("id"))}, Forum)
    except RecordError:
        return None
    return found if isinstance(found, Forum) else None


# --- a forum's name over time -------------------------------------------------------------------

_Span = tuple[dt.date | None, dt.date | None]  # first and last day; None where no source tells


def name_on(forum: Forum, when: When | None) -> str | None:
    """The name the forum held on a day, or through the whole of a month. None when its `names`
    cannot tell: it has none, there is no date, or the day falls where a change is undated."""
    if when is None or not forum.names:
        return None
    first, last = (when.first_day, when.last_day) if isinstance(when, YearMonth) else (when, when)
    for entry, (start, end) in zip(forum.names, _spans(forum.names), strict=True):
        if start is not None and end is not None and start <= first and last <= end:
            return entry.name
    return None


def forum_name(forum: Forum, when: When | None) -> str:
    """The forum's name as a document of that date shows it: the name of its day, else the name
    it has now."""
    return name_on(forum, when) or forum.name


def forum_heading(forum: Forum, when: When | None) -> str:
    """The text above "Sammanträdesprotokoll": the name of the day, else the name the forum's
    protocols are written with (`protocol.heading`, by default the id)."""
    return name_on(forum, when) or forum.protocol.heading or forum.id


def decision_phrase(forum: Forum, when: When | None) -> str:
    """ "LSVO beslutar": the forum's own phrase, else "<the name of the day> beslutar"."""
    return forum.decision_phrase or f"{forum_name(forum, when)} beslutar"


def _spans(names: Sequence[ForumName]) -> list[_Span]:
    """Each name's days. A forum has one name at a time, so an undated end is the day before the
    next name's dated start (and the reverse); the first name reaches back and the last forward
    without end, as no source shows another name there. A change no source dates stays unknown."""
    return [(_first_day(names, index), _last_day(names, index)) for index in range(len(names))]


def _first_day(names: Sequence[ForumName], index: int) -> dt.date | None:
    if names[index].valid_from is not None or index == 0:
        return names[index].valid_from or dt.date.min
    before = names[index - 1].valid_until
    return before + dt.timedelta(days=1) if before is not None and before < dt.date.max else None


def _last_day(names: Sequence[ForumName], index: int) -> dt.date | None:
    if names[index].valid_until is not None or index == len(names) - 1:
        return names[index].valid_until or dt.date.max
    after = names[index + 1].valid_from
    return after - dt.timedelta(days=1) if after is not None and after > dt.date.min else None


def name_period_problems(names: Sequence[ForumName]) -> Iterator[tuple[int, str, str]]:
    """Where a forum's names contradict themselves, as (index, key, Swedish message): a name whose
    `until` comes before its `from`, or one that does not begin after every earlier name has ended."""
    for index, entry in enumerate(names):
        if entry.valid_from and entry.valid_until and entry.valid_from > entry.valid_until:
            message = f"namnet '{entry.name}' gäller från {entry.valid_from}, efter sin sista dag {entry.valid_until}"
            yield index, "from", message
    for index, later in enumerate(names):
        earlier = _ended_later(names[:index], later.valid_from or later.valid_until)
        if earlier is not None:
            message = f"namnet '{later.name}' ({_period(later)}) överlappar '{earlier.name}' ({_period(earlier)})"
            yield index, "from" if later.valid_from else "until", f"{message} eller står före det"


def _ended_later(earlier: Sequence[ForumName], begins: dt.date | None) -> ForumName | None:
    """The first of the earlier names whose last known day is not before `begins`."""
    for entry in earlier:
        ends = entry.valid_until or entry.valid_from
        if begins is not None and ends is not None and begins <= ends:
            return entry
    return None


def _period(entry: ForumName) -> str:
    parts = [
        f"från {entry.valid_from}" if entry.valid_from else "",
        f"till {entry.valid_until}" if entry.valid_until else "",
    ]
    return " ".join(p for p in parts if p) or "utan datum"


# --- which forum a text names -------------------------------------------------------------------


def known_names(forum: Forum) -> tuple[str, ...]:
    """Every text that names the forum: its id, its name, its earlier and later names, the name
    its protocols are written with, and its aliases."""
    written = (forum.id, forum.name, *(n.name for n in forum.names), forum.protocol.heading, *forum.aliases)
    return tuple(dict.fromkeys(name for name in written if name))


def resolve_forum(organisation: Organisation, text: str) -> Forum | None:
    """The forum a text names (the id, any name or alias), without regard to case or spacing;
    None when none does, or when the text names more than one."""
    found = forums_called(organisation, text)
    return found[0] if len(found) == 1 else None


def forums_called(organisation: Organisation, text: str) -> tuple[Forum, ...]:
    """The forums a text names: the forum with that exact id; else those whose id it is but for
    case and spacing; else those with that name or alias."""
    exact = organisation.forums.get(text.strip())
    if exact is not None:
        return (exact,)
    wanted = normal_name(text)
    forums = organisation.forums.values()
    by_id = tuple(f for f in forums if normal_name(f.id) == wanted)
    return by_id or tuple(f for f in forums if wanted in {normal_name(n) for n in known_names(f)})


def normal_name(text: str) -> str:
    """A name as names compare: composed characters, one space between words, no case."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()
