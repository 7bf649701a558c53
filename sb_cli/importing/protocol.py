"""A protocol recognised from its text: the heading, time and place, attendance and signatures
(here), and the items (points.py). Both ways of numbering are read: "§ 61" as in LSVO's protocols
(seed 003) and "1). Titel (B)" as in the samverkansgruppers (seed 002)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sb_cli.core.doctypes import PROTOKOLL
from sb_cli.core.records import Forum, Organisation
from sb_cli.core.words import count
from sb_cli.importing.layout import chosen_forum, front_sections, layout, meeting_of, prepared_lines
from sb_cli.importing.meeting import (
    find_date,
    looks_like_name,
    party_names,
    people_lines,
    read_person,
    roster_of,
    same_name,
    sort_attendance,
    squash,
    words_of,
)
from sb_cli.importing.points import Notes, read_index, read_items, reading_for
from sb_cli.importing.source import Draft, Source

# --- attendance and signatures ------------------------------------------------------------------


@dataclass
class Front:
    """What the front matter says: meeting, attendance, who signs; None where it says nothing."""

    meeting: dict[str, str] = field(default_factory=dict)
    attendance: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    chair: str | None = None
    secretary: str | None = None
    adjusters: list[str] | None = None
    adjusted: str | None = None
    notes: Notes = field(default_factory=dict)


def read_front(
    sections: dict[str, list[str]], organisation: Organisation, forum: Forum | None, heading: list[str]
) -> Front:
    parties = party_names(organisation)
    front = Front()
    front.meeting = meeting_of(sections, heading, organisation)
    _read_attendance(front, sections, parties, forum)
    signed = [read_person(text, parties, role) for text, role in people_lines(sections.get("signatures", []), parties)]
    front.chair = _first_name(sections.get("chair")) or _signer(signed, "ordförande") or _role_in(front, "ordförande")
    front.secretary = _first_name(sections.get("secretary")) or _signer(signed, "sekreterare")
    _read_adjusters(front, sections, signed)
    return front


def _read_attendance(
    front: Front, sections: dict[str, list[str]], parties: dict[str, str], forum: Forum | None
) -> None:
    listed = {
        group: _unique([read_person(text, parties, role) for text, role in people_lines(sections[group], parties)])
        for group in ("present", "absent", "others")
        if group in sections
    }
    if listed:
        roster = roster_of(forum, front.meeting.get("date"))
        front.attendance, front.notes = sort_attendance(listed, roster, forum.id if forum else "forumet")


def _unique(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each person once: a name written twice (in a table and a list) is one person."""
    kept: list[dict[str, Any]] = []
    for person in people:
        if not any(same_name(person["name"], other["name"]) for other in kept):
            kept.append(person)
    return kept


def _read_adjusters(front: Front, sections: dict[str, list[str]], signed: list[dict[str, Any]]) -> None:
    adjusters: list[str] = []
    for name in [p["name"] for p in signed if p.get("role") == "justerare"] + _names(sections.get("adjusters", [])):
        if not any(same_name(name, known) for known in adjusters):
            adjusters.append(name)
    if adjusters or "signatures" in sections:
        front.adjusters = adjusters
    if "adjusted" in sections:
        written = find_date(" ".join(sections["adjusted"]))
        front.adjusted = written.value.isoformat() if written else None


def _first_name(lines: list[str] | None) -> str | None:
    text = " ".join(line for line in lines or [] if line)
    return squash(text.split(",")[0]) or None


def _names(lines: list[str]) -> list[str]:
    """The names of a line such as "Anna Sjö, Karlskrona kommun och Martin Åsman": what looks like a
    name; a title or organisation beside it is not another person."""
    text = " ".join(line for line in lines if line)
    parts = [squash(re.sub(r"\([^()]*\)", " ", n)) for n in re.split(r"[,;&]|\boch\b", text)]
    named = [part for part in parts if looks_like_name(part)]
    return named or [part for part in parts[:1] if part]


def _signer(signed: list[dict[str, Any]], role: str) -> str | None:
    return next((p["name"] for p in signed if p.get("role") == role), None)


def _role_in(front: Front, role: str) -> str | None:
    return next((p["name"] for p in front.attendance.get("present", []) if p.get("role") == role), None)


# --- the protocol -------------------------------------------------------------------------------


def recognise_protocol(source: Source, organisation: Organisation, forum: str | None = None) -> Draft:
    lines = prepared_lines(source)
    parts = layout(lines)
    chosen, forum_note = chosen_forum(forum, parts.heading, organisation)
    known_forum = chosen if isinstance(chosen, Forum) else None
    front = read_front(front_sections(parts.front), organisation, known_forum, parts.heading)
    index = read_index(parts.index, words_of(lines))
    reading = reading_for(parts.items, organisation, known_forum, front.meeting.get("date"), index, kallelse=False)
    items, distribution, item_notes = read_items(parts.items, parts.numbering or "paragraph", reading)
    data = _protocol_data(chosen, front, parts.numbering, items, distribution)
    notes: Notes = {**front.notes, **item_notes}
    if forum_note:
        notes[("forum",)] = forum_note
    if front.adjusters == [] and "adjusters" in data:
        notes[("adjusters",)] = "Källan namnger ingen justerare bland underskrifterna."
    if front.adjusted:
        notes[("adjusters",) if "adjusters" in data else ("title",)] = (
            f"Källan anger justeringsdatum {front.adjusted}; protokollet är ett utkast tills sb adjust justerar det."
        )
    return Draft(PROTOKOLL.name, data, None, notes, _missing(data, front, chosen), _summary(data))


def _protocol_data(
    forum: Forum | str | None,
    front: Front,
    numbering: str | None,
    items: list[dict[str, Any]],
    distribution: list[str],
) -> dict[str, Any]:
    forum_id = forum.id if isinstance(forum, Forum) else forum
    day = front.meeting.get("date")
    attendance = {k: v for k, v in front.attendance.items() if v}
    signers = [(key, getattr(front, key)) for key in ("chair", "secretary", "adjusters")]
    # Each key in the order the file lists it, with whether the protocol has it.
    fields: list[tuple[str, Any, bool]] = [
        ("id", f"{forum_id}-{day}", bool(forum_id and day)),
        ("type", PROTOKOLL.name, True),
        ("title", _title(forum, day), True),
        ("forum", forum_id, bool(forum_id)),
        ("meeting", front.meeting, bool(front.meeting)),
        ("numbering", numbering, bool(numbering)),
        ("attendance", attendance, bool(attendance)),
        *((key, value, value is not None) for key, value in signers),
        ("items", items, True),
        ("distribution", distribution, bool(distribution)),
    ]
    return {key: value for key, value, present in fields if present}


def _title(forum: Forum | str | None, day: str | None) -> str:
    shown = (forum.protocol.heading or forum.id) if isinstance(forum, Forum) else forum
    return " ".join(p for p in ("Sammanträdesprotokoll", shown, day) if p)


def _missing(data: dict[str, Any], front: Front, forum: Forum | str | None) -> list[str]:
    meeting = data.get("meeting", {})
    wanted = [
        ("forum", forum is not None),
        ("mötesdatum", "date" in meeting),
        ("mötestid", "start" in meeting),
        ("mötesplats", "place" in meeting),
        ("närvarolista", bool(front.attendance.get("present"))),
        ("ordförande", front.chair is not None),
        ("sekreterare", front.secretary is not None),
        ("justerare", front.adjusters is not None),
        ("justeringsdatum", front.adjusted is not None),
        ("punkter", bool(data["items"])),
    ]
    return [name for name, found in wanted if not found]


def _summary(data: dict[str, Any]) -> list[str]:
    items = data["items"]
    points = [p for item in items for p in (item, *item.get("subitems", []))]
    decisions = sum(len(p.get("decisions", [])) for p in points)
    attendance = data.get("attendance", {})
    summary = [
        count(len(items), "paragraf", "paragrafer")
        if data.get("numbering") == "paragraph"
        else count(len(items), "punkt", "punkter"),
        count(decisions, "beslut", "beslut"),
    ]
    for key, singular, plural in (
        ("present", "närvarande", "närvarande"),
        ("absent", "frånvarande", "frånvarande"),
        ("others", "övrig deltagare", "övriga deltagare"),
    ):
        if key in attendance:
            summary.append(count(len(attendance[key]), singular, plural))
    return summary
