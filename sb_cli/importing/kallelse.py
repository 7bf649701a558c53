"""A kallelse (notice and agenda) recognised from its text: the forum, the meeting, when it was
sent and by when to answer, and the items with their kind, presenters and attachments. It reads
the old kallelser written like LSVO's protocols ("§73 Godkännande av dagordning") or like the
samverkansgruppers ("1). Godkännande av dagordningen (B)"), and what sb itself renders."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sb_cli.core.doctypes import KALLELSE
from sb_cli.core.records import Forum, Organisation
from sb_cli.core.words import count
from sb_cli.importing.layout import chosen_forum, front_sections, layout, meeting_of, prepared_lines
from sb_cli.importing.meeting import find_date, reference_day, squash, words_of
from sb_cli.importing.points import SEND_TO, Notes, is_recipient, read_index, read_items, reading_for, recipients
from sb_cli.importing.source import Draft, Source

# "Skickad 2023-06-09", "Utskick: 9 juni 2023", "Svar senast: …", "Anmäl förhinder senast …",
# "Anmälan senast: …" (sb's label for the last day to register items).
NOTICE = {
    "sent": re.compile(
        r"^(?:kallelsen\s+)?(?:skickad|skickades(?:\s+ut)?|utskick|utsänd|utsändes|datum för utskick)\b\s*+:?\s*+(.*)$",
        re.IGNORECASE,
    ),
    "reply_by": re.compile(
        r"^(?:svara?\s+senast|osa(?:\s+senast)?|anmäl\s+förhinder(?:\s+senast)?|förhinder\s+anmäls(?:\s+senast)?)"
        r"\b\s*+:?\s*+(.*)$",
        re.IGNORECASE,
    ),
    "register_by": re.compile(
        r"^(?:anmälan\s+senast|anmäl\s+ärenden(?:\s+senast)?|ärenden\s+anmäls(?:\s+senast)?)\b\s*+:?\s*+(.*)$",
        re.IGNORECASE,
    ),
}


def notice_lines(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The text after "Skickad", "Svar senast" and "Anmälan senast" wherever they stand (often under
    the agenda), and the lines without them."""
    found: dict[str, str] = {}
    kept: list[str] = []
    for line in lines:
        key = next((k for k, pattern in NOTICE.items() if pattern.match(line) and find_date(line, dt.date.min)), None)
        if key is None:
            kept.append(line)
            continue
        match = NOTICE[key].match(line)
        found.setdefault(key, match[1] if match else line)
    return found, kept


def front_distribution(lines: list[str]) -> list[str]:
    """ "Kallelsen skickas till" and its names where they stand outside the agenda."""
    names: list[str] = []
    listing = False
    for line in lines:
        match = SEND_TO.match(line)
        if match:
            names += recipients(match["rest"])
            listing = True
        elif listing and line and is_recipient(line):
            names += recipients(line)
        elif line:
            listing = False
    return names


def notice_dates(texts: dict[str, str], day: str | None) -> tuple[dict[str, str], Notes]:
    """Each notice date as ISO text; a date without a year takes the meeting's (on or before it)."""
    meeting = reference_day(day)
    dates: dict[str, str] = {}
    notes: Notes = {}
    for key, text in texts.items():
        found = find_date(text, meeting, after=False)
        if found:
            dates[key] = found.value.isoformat()
        else:
            what = {"sent": "utskicksdatum", "reply_by": "svarsdatum", "register_by": "sista dag för ärenden"}[key]
            notes[("title",)] = f'"{squash(text)}" har inget år och mötesdatumet saknas; därför inget {what}.'
    return dates, notes


def recognise_kallelse(source: Source, organisation: Organisation, forum: str | None = None) -> Draft:
    notice, lines = notice_lines(prepared_lines(source))
    parts = layout(lines)
    chosen, forum_note = chosen_forum(forum, parts.heading, organisation)
    known = chosen if isinstance(chosen, Forum) else None
    meeting = meeting_of(front_sections(parts.front), parts.heading, organisation)
    index = read_index(parts.index, words_of(lines))
    reading = reading_for(parts.items, organisation, known, meeting.get("date"), index, kallelse=True)
    items, distribution, notes = read_items(parts.items, parts.numbering or "paragraph", reading)
    distribution = front_distribution(parts.front) + distribution
    dates, date_notes = notice_dates(notice, meeting.get("date"))
    notes.update(date_notes)
    if forum_note:
        notes[("forum",)] = forum_note
    forum_id = chosen.id if isinstance(chosen, Forum) else chosen
    data = _kallelse_data(forum_id, meeting, parts.numbering, dates, items, distribution)
    return Draft(KALLELSE.name, data, None, notes, _missing(data), _summary(data))


def _kallelse_data(
    forum: str | None,
    meeting: dict[str, str],
    numbering: str | None,
    dates: dict[str, str],
    items: list[dict[str, Any]],
    distribution: list[str],
) -> dict[str, Any]:
    """The keys in the order sb new kallelse writes them."""
    day = meeting.get("date")
    data: dict[str, Any] = {}
    if forum and day:
        data["id"] = f"kallelse-{forum}-{day}"
    data["type"] = KALLELSE.name
    data["title"] = " ".join(p for p in ("Kallelse", forum, day) if p)
    if forum:
        data["forum"] = forum
    if meeting:
        data["meeting"] = meeting
    if numbering:
        data["numbering"] = numbering
    data.update({key: dates[key] for key in ("sent", "reply_by", "register_by") if key in dates})
    data["items"] = items
    if distribution:
        data["distribution"] = distribution
    return data


def _missing(data: dict[str, Any]) -> list[str]:
    meeting = data.get("meeting", {})
    wanted = [
        ("forum", "forum" in data),
        ("mötesdatum", "date" in meeting),
        ("mötestid", "start" in meeting),
        ("mötesplats", "place" in meeting),
        ("utskicksdatum", "sent" in data),
        ("punkter", bool(data["items"])),
    ]
    return [name for name, found in wanted if not found]


def _summary(data: dict[str, Any]) -> list[str]:
    items = data["items"]
    points = [p for item in items for p in (item, *item.get("subitems", []))]
    proposals = sum(len(p.get("proposed_decisions", [])) for p in points)
    numbered = count(len(items), "paragraf", "paragrafer") if data.get("numbering") == "paragraph" else None
    summary = [numbered or count(len(items), "punkt", "punkter")]
    if proposals:
        summary.append(count(proposals, "förslag till beslut", "förslag till beslut"))
    return summary
