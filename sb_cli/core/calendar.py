"""Calendar events (SPEC §6, `sb calendar`): deadlines, ends, reviews, meetings and the årshjul."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sb_cli.core.model import Corpus, Document
from sb_cli.core.terms import status, term_of

DOMAIN = "sb.samverkanblekinge.se"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Event:
    uid: str  # stable across exports, so a re-import updates instead of duplicating
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None
    description: str = ""
    location: str | None = None
    alarm_days: int | None = None  # remind this many days before
    category: str = ""


def _uid(*parts: object) -> str:
    return "-".join(_UNSAFE.sub("_", str(p)) for p in parts) + f"@{DOMAIN}"


def events(corpus: Corpus, as_of: dt.date, year: int | None = None) -> list[Event]:
    found: list[Event] = []
    for document in corpus.documents:
        if document.is_styrdokument and document.get("status") == "beslutad":
            found += _document_dates(document, as_of)
        if document.type in ("protokoll", "kallelse"):
            meeting = _meeting(corpus, document)
            if meeting is not None:
                found.append(meeting)
        if document.type == "arshjul":
            found += _wheel(document, year or as_of.year)
    unique = {e.uid: e for e in sorted(found, key=lambda e: e.category == "möte")}  # protocol wins
    return sorted(unique.values(), key=lambda e: (_day(e.start), e.uid))


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _document_dates(document: Document, as_of: dt.date) -> list[Event]:
    title = document.get("title")
    result = []
    term = term_of(document)
    if term is not None:
        facts = status(term, as_of)
        if facts.next_notice_deadline is not None:
            result.append(Event(
                _uid("uppsagning", document.id), f"Sista dag att säga upp: {title}",
                facts.next_notice_deadline,
                description=f"Utan uppsägning senast denna dag förlängs {document.id} efter {facts.effective_end}.",
                alarm_days=30, category="uppsägning"))
        result.append(Event(_uid("slut", document.id), f"Upphör: {title}", facts.effective_end,
                            description=f"{document.id} upphör om det har sagts upp i tid.",
                            alarm_days=30, category="slut"))
    review_by = document.date("review_by")
    if review_by is not None:
        result.append(Event(_uid("revision", document.id), f"Revideras senast: {title}", review_by,
                            description=f"{document.id} version {document.get('version')}",
                            alarm_days=30, category="revision"))
    return result


def _meeting(corpus: Corpus, document: Document) -> Event | None:
    day = document.date("meeting", "date")
    forum_id = document.get("forum")
    if day is None or not isinstance(forum_id, str):
        return None
    forum = corpus.organisation.forums.get(forum_id)
    name = forum.name if forum else forum_id
    start, end = document.get("meeting", "start"), document.get("meeting", "end")
    begins: dt.date | dt.datetime = day
    ends: dt.date | dt.datetime | None = None
    if isinstance(start, str) and re.fullmatch(r"\d\d:\d\d", start):
        begins = dt.datetime.combine(day, dt.time.fromisoformat(start))
        if isinstance(end, str) and re.fullmatch(r"\d\d:\d\d", end):
            ends = dt.datetime.combine(day, dt.time.fromisoformat(end))
    items = document.get("items") if isinstance(document.get("items"), list) else []
    agenda = "\n".join(f"{i.get('number')}. {i.get('title')}" for i in items if isinstance(i, dict))
    return Event(_uid("mote", forum_id, day.isoformat()), f"{name} sammanträde", begins, ends,
                 description=agenda, location=document.get("meeting", "place"),
                 category="möte" if document.type == "protokoll" else "kallelse")


def _wheel(document: Document, year: int) -> list[Event]:
    result = []
    for index, event in enumerate(document.get("events") or []):
        if not isinstance(event, dict):
            continue
        day = None
        if isinstance(event.get("date"), str):
            day = dt.date.fromisoformat(event["date"])
        elif isinstance(event.get("month"), int):
            day = dt.date(year, event["month"], 1)
        if day is None:
            continue  # the årshjul does not say when: nothing to put in a calendar
        result.append(Event(_uid("arshjul", document.id, index, year), str(event.get("title")), day,
                            description=str(event.get("description") or event.get("source") or ""),
                            alarm_days=14, category="årshjul"))
    return result
