"""The secretary's workflow (`sb new`, `sb adjust`): what a new kallelse, protocol or styrdokument
holds. Pure functions over records, returning the plain data a writer puts in a new file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sb_cli.core.doctypes import KALLELSE, PROTOKOLL, is_agreement
from sb_cli.core.meetings import meeting_order, when_order
from sb_cli.core.model import Corpus
from sb_cli.core.records import Forum, Item, Kallelse, Member, Protocol
from sb_cli.core.refs import Point, item_label, iter_items, refers_to
from sb_cli.core.terms import add_days


def meeting_id(forum: str, day: dt.date) -> str:
    return f"{forum}-{day.isoformat()}"


def next_number(corpus: Corpus, forum: Forum, day: dt.date) -> int:
    """The first § of a meeting: paragraphs run on through the forum's year; lists start at 1."""
    if forum.numbering == "list":
        return 1
    used = [
        item.number
        for document in corpus.meetings()
        if document.record.forum == forum.id
        and (meeting := document.record.meeting.when) is not None
        and meeting.year == day.year
        and when_order(meeting) < when_order(day)  # a month only once it has ended before the day
        for item in document.record.items
    ]
    return max(used, default=0) + 1


def _followed(corpus: Corpus, protocol: Protocol, point: Point) -> bool:
    return any(
        refers_to(other.point.follows_up, protocol.id, point.number, point.letter)
        for document in corpus.meetings()
        for other in iter_items(document.record)
    )


def pending(corpus: Corpus, forum: Forum, day: dt.date) -> list[dict[str, Any]]:
    """Items deferred to this meeting and decisions due by it that nothing has followed up yet."""
    held = [p for p in corpus.protocols(forum.id) if p.record.meeting.when is not None]
    return [
        entry
        for protocol in sorted(held, key=lambda d: (meeting_order(d.record.meeting), d.path))
        if meeting_order(protocol.record.meeting) < when_order(day)
        for point in iter_items(protocol.record)
        if (entry := _owed(protocol.record, point, day)) is not None and not _followed(corpus, protocol.record, point)
    ]


def _owed(record: Protocol, point: Point, day: dt.date) -> dict[str, Any] | None:
    """What a point of an earlier protocol owes the meeting on `day`: itself, deferred to it, or a
    report back on decisions due by then."""
    reference = item_label(record, point.number, point.letter)
    if point.point.deferred_to == day:
        return {"title": point.point.title, "follows_up": reference, "kind": point.point.kind or "I"}
    if any(d.due is not None and d.due <= day for d in point.point.decisions):
        return {"title": f"Återrapport: {point.point.title}", "follows_up": reference, "kind": "I"}
    return None


def _agenda_item(number: int, entry: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"number": number, "title": entry["title"]}
    item.update((key, entry[key]) for key in ("kind", "follows_up") if entry.get(key))
    return item


def new_kallelse(corpus: Corpus, forum: Forum, day: dt.date) -> dict[str, Any]:
    """A kallelse with the standing items first and last, and everything owed to this meeting between."""
    notice = forum.agenda_notice_days if forum.agenda_notice_days is not None else 7
    sent = add_days(day, -notice)
    first = [s for s in forum.standing_items if s.position == "start"]
    last = [s for s in forum.standing_items if s.position == "end"]
    entries = [
        *({"title": s.title, "kind": s.kind} for s in first),
        *pending(corpus, forum, day),
        *({"title": s.title, "kind": s.kind} for s in last),
    ]
    items = [_agenda_item(number, entry) for number, entry in enumerate(entries, start=next_number(corpus, forum, day))]
    return {
        "id": f"kallelse-{meeting_id(forum.id, day)}",
        "type": KALLELSE.name,
        "title": f"Kallelse {forum.id} {day.isoformat()}",
        "forum": forum.id,
        "meeting": {"date": day.isoformat()},
        "numbering": forum.numbering,
        "sent": sent.isoformat(),
        "register_by": add_days(sent, -7).isoformat(),
        "items": items,
    }


def _copied_item(item: Item) -> dict[str, Any]:
    """One kallelse item as a protocol item: the fields it has, in the order a protocol lists them."""
    copied: dict[str, Any] = {"number": item.number, "title": item.title}
    optional = {
        "kind": item.kind,
        "presenters": list(item.presenters),
        "attachments": list(item.attachments),
        "follows_up": item.follows_up,
    }
    copied.update((key, value) for key, value in optional.items() if value)
    if item.decides:
        copied["decisions"] = [_decision(d.text, d.responsible, d.due) for d in item.proposed_decisions]
    return copied


def _protocol_meeting(kallelse: Kallelse) -> dict[str, Any]:
    held = kallelse.meeting.when  # a month stays a month
    meeting: dict[str, Any] = {"date": held.isoformat() if held else None}
    for key in ("start", "end", "place"):
        if getattr(kallelse.meeting, key) is not None:
            meeting[key] = getattr(kallelse.meeting, key)
    return meeting


def _officers(roster: tuple[Member, ...], present: list[str]) -> dict[str, Any]:
    """The secretary (who leaves the list of those present) and the chair, as the roster names them."""
    officers: dict[str, Any] = {}
    chair = next((m.name for m in roster if m.role == "ordförande"), None)
    secretary = next((m.name for m in roster if m.role == "sekreterare"), None)
    if secretary:
        present.remove(secretary)
        officers["secretary"] = secretary
    if chair:
        officers["chair"] = chair
    return officers


def new_protocol(kallelse: Kallelse, forum: Forum | None) -> dict[str, Any]:
    """A protocol from its kallelse: the same items and numbers, attendance from the roster."""
    day = kallelse.meeting.date
    roster = forum.roster(day) if forum and day else ()
    present = [m.name for m in roster]
    data: dict[str, Any] = {
        "id": meeting_id(kallelse.forum, day) if day else f"{kallelse.forum}-protokoll",
        "type": PROTOKOLL.name,
        "title": f"Sammanträdesprotokoll {kallelse.forum} {day.isoformat() if day else ''}".strip(),
        "forum": kallelse.forum,
        "meeting": _protocol_meeting(kallelse),
        "numbering": kallelse.numbering or (forum.numbering if forum else "paragraph"),
        "attendance": {"present": present, "absent": []},
        "items": [_copied_item(item) for item in kallelse.items],
    }
    data.update(_officers(roster, present))
    data["adjusters"] = []
    data["distribution"] = []
    return data


def _decision(text: str, responsible: str | None, due: dt.date | None) -> str | dict[str, Any]:
    if responsible is None and due is None:
        return text
    decision: dict[str, Any] = {"text": text}
    if responsible is not None:
        decision["responsible"] = responsible
    if due is not None:
        decision["due"] = due.isoformat()
    return decision


def new_styrdokument(
    doc_type: str, ident: str, title: str, owner: str, parties: list[str], as_of: dt.date
) -> dict[str, Any]:
    """A draft header that validates; the comments of the writer say what to fill in."""
    data: dict[str, Any] = {
        "id": ident,
        "type": doc_type,
        "title": title,
        "owner": owner,
        "status": "utkast",
        "version": "0.1",
    }
    if is_agreement(doc_type):
        data["parties"] = parties
        data["valid_until"] = dt.date(min(as_of.year + 3, 9999), 12, 31).isoformat()
        data["term"] = {"notice_months": 12, "renewal_months": 24}
    return data
