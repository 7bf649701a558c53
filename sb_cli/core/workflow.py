"""The secretary's workflow (`sb new`, `sb adjust`): what a new kallelse, protocol or styrdokument
holds. Pure functions returning plain data; writing the files is the edge's job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sb_cli.core.meetings import has_decisions
from sb_cli.core.model import AGREEMENT_TYPES, Corpus, Document, Forum
from sb_cli.core.refs import item_label, iter_items, refers_to


def meeting_id(forum: str, day: dt.date) -> str:
    return f"{forum}-{day.isoformat()}"


def next_number(corpus: Corpus, forum: Forum, day: dt.date) -> int:
    """The first § of a meeting: paragraphs run on through the forum's year; lists start at 1."""
    if forum.numbering == "list":
        return 1
    used = [
        item["number"]
        for d in corpus.documents
        if d.type in ("protokoll", "kallelse") and d.get("forum") == forum.id
        and (meeting := d.date("meeting", "date")) is not None and meeting.year == day.year and meeting < day
        for item in (d.get("items") or []) if isinstance(item, dict) and isinstance(item.get("number"), int)
    ]
    return max(used, default=0) + 1


def _followed(corpus: Corpus, protocol: Document, number: int, letter: str | None) -> bool:
    return any(refers_to(item.get("follows_up"), protocol, number, letter)
               for other in corpus.documents if other.type in ("protokoll", "kallelse")
               for _p, item, _n in iter_items(other))


def pending(corpus: Corpus, forum: Forum, day: dt.date) -> list[dict[str, Any]]:
    """Items deferred to this meeting and decisions due by it that nothing has followed up yet."""
    found: list[dict[str, Any]] = []
    for protocol in sorted(corpus.protocols(forum.id), key=lambda d: d.date("meeting", "date") or dt.date.min):
        held = protocol.date("meeting", "date")
        if held is None or held >= day:
            continue
        for path, item, parent in iter_items(protocol):
            number = parent if parent is not None else item.get("number")
            letter = item.get("letter") if parent is not None else None
            if not isinstance(number, int) or _followed(corpus, protocol, number, letter):
                continue
            reference = item_label(protocol, number, letter)
            if protocol.date(*path, "deferred_to") == day:
                found.append({"title": item.get("title"), "follows_up": reference,
                              "kind": item.get("kind") or "I"})
            elif has_decisions(item) and any(
                isinstance(d, dict) and isinstance(d.get("due"), str) and d["due"] <= day.isoformat()
                for d in item["decisions"]
            ):
                found.append({"title": f"Återrapport: {item.get('title')}", "follows_up": reference, "kind": "I"})
    return found


def new_kallelse(corpus: Corpus, forum: Forum, day: dt.date) -> dict[str, Any]:
    """A kallelse with the standing items first and last, and everything owed to this meeting between."""
    notice = forum.agenda_notice_days or 7
    sent = day - dt.timedelta(days=notice)
    standing = [s for s in forum.standing_items if isinstance(s.get("title"), str)]
    first = [s for s in standing if s.get("position", "start") == "start"]
    last = [s for s in standing if s.get("position") == "end"]
    number = next_number(corpus, forum, day)
    items = []
    for entry in [*first, *pending(corpus, forum, day), *last]:
        item = {"number": number, "title": entry["title"]}
        if entry.get("kind"):
            item["kind"] = entry["kind"]
        if entry.get("follows_up"):
            item["follows_up"] = entry["follows_up"]
        items.append(item)
        number += 1
    return {
        "id": f"kallelse-{meeting_id(forum.id, day)}",
        "type": "kallelse",
        "title": f"Kallelse {forum.id} {day.isoformat()}",
        "forum": forum.id,
        "meeting": {"date": day.isoformat()},
        "numbering": forum.numbering,
        "sent": sent.isoformat(),
        "register_by": (sent - dt.timedelta(days=7)).isoformat(),
        "items": items,
    }


def new_protocol(kallelse: Document, forum: Forum | None) -> dict[str, Any]:
    """A protocol from its kallelse: the same items and numbers, attendance from the roster."""
    day = kallelse.date("meeting", "date")
    forum_id = kallelse.get("forum")
    roster = forum.roster(day) if forum and day else ()
    items = []
    for item in kallelse.get("items") or []:
        if not isinstance(item, dict):
            continue
        copied = {k: item[k] for k in ("number", "title", "kind", "presenters", "attachments", "follows_up")
                  if k in item}
        if "B" in str(item.get("kind", "")).split("/"):
            copied["decisions"] = list(item.get("proposed_decisions") or [])  # filled in at the meeting
        items.append(copied)
    data: dict[str, Any] = {
        "id": meeting_id(str(forum_id), day) if day else f"{forum_id}-protokoll",
        "type": "protokoll",
        "title": f"Sammanträdesprotokoll {forum_id} {day.isoformat() if day else ''}".strip(),
        "forum": forum_id,
        "meeting": dict(kallelse.get("meeting") or {}),
        "numbering": kallelse.get("numbering") or (forum.numbering if forum else "paragraph"),
        "attendance": {"present": [m.name for m in roster], "absent": []},
        "items": items,
    }
    chair = next((m.name for m in roster if m.role == "ordförande"), None)
    secretary = next((m.name for m in roster if m.role == "sekreterare"), None)
    if secretary:
        data["attendance"]["present"].remove(secretary)
        data["secretary"] = secretary
    if chair:
        data["chair"] = chair
    data["adjusters"] = []
    data["distribution"] = []
    return data


def new_styrdokument(doc_type: str, ident: str, title: str, owner: str, parties: list[str],
                     as_of: dt.date) -> dict[str, Any]:
    """A draft header that validates; the comments of the writer say what to fill in."""
    data: dict[str, Any] = {"id": ident, "type": doc_type, "title": title, "owner": owner,
                            "status": "utkast", "version": "0.1"}
    if doc_type in AGREEMENT_TYPES:
        data["parties"] = parties
        data["valid_until"] = as_of.replace(year=as_of.year + 3, month=12, day=31).isoformat()
        data["term"] = {"notice_months": 12, "renewal_months": 24}
    return data
