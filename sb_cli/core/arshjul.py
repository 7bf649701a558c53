"""The årshjul's yearly duties for one year, each met or missing (SPEC §6, `sb report arshjul`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sb_cli.core.model import Corpus, Document
from sb_cli.core.reports import Row

PLAN_TYPES = {"verksamhetsplan": "verksamhetsplan", "handlingsplan": "handlingsplan"}


def duties(corpus: Corpus, year: int, as_of: dt.date) -> list[Row]:
    rows: list[Row] = []
    for wheel in (d for d in corpus.documents if d.type == "arshjul"):
        events = wheel.get("events")
        for event in events if isinstance(events, list) else []:
            if isinstance(event, dict):
                rows.append(_duty(corpus, wheel, event, year, as_of))
    return rows


def _duty(corpus: Corpus, wheel: Document, event: dict[str, Any], year: int, as_of: dt.date) -> Row:
    duty, forum = event.get("duty"), event.get("forum")
    evidence, detail = _evidence(corpus, duty, forum, event.get("document"), year)
    month = event.get("month") if isinstance(event.get("month"), int) else None
    due = _month_end(year, month) if month else dt.date(year, 12, 31)
    if evidence:
        state = "uppfyllt"
    elif duty is None:
        state = "ej kontrollerad"
    elif as_of <= due:
        state = "pågår"
    else:
        state = "saknas"
    return {"arshjul": wheel.id, "year": year, "month": month, "title": event.get("title"),
            "forum": forum, "duty": duty, "status": state, "evidence": evidence, "detail": detail}


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _evidence(corpus: Corpus, duty: Any, forum: Any, document_id: Any, year: int
              ) -> tuple[list[str], str]:
    """The documents that fulfil the duty in `year`, and a short explanation."""
    if duty in PLAN_TYPES:
        found = [d.id for d in corpus.documents
                 if d.type == PLAN_TYPES[duty] and d.get("owner") == forum and _year_of(d) == year]
        return [i for i in found if i], f"{duty} beslutad {year}" if found else f"ingen {duty} från {year}"
    if duty == "arsrapport":
        found = [d.id for d in corpus.documents if d.type == "arsrapport"
                 and forum in (d.get("forum"), d.get("owner")) and (d.get("year") == year or _year_of(d) == year)]
        return [i for i in found if i], "årsrapport finns" if found else f"ingen årsrapport från {year}"
    if duty == "uppfoljning":
        target = corpus.by_id.get(document_id) if isinstance(document_id, str) else None
        entries = target.get("followed_up") if target else None
        found = [str(e.get("ref") or e.get("date")) for e in entries or []
                 if isinstance(e, dict) and e.get("by") == forum and str(e.get("date", "")).startswith(str(year))]
        return found, "uppföljd" if found else f"ingen uppföljning av {document_id} {year}"
    if duty == "moten":
        forum_info = corpus.organisation.forums.get(forum)
        meetings = sorted({d.get("meeting", "date") for d in corpus.documents
                           if d.type in ("protokoll", "kallelse") and d.get("forum") == forum
                           and str(d.get("meeting", "date") or "").startswith(str(year))})
        low = forum_info.meetings_min if forum_info else None
        high = forum_info.meetings_max if forum_info else None
        enough = (low is None or len(meetings) >= low) and (high is None or len(meetings) <= high)
        span = f"{low}–{high}" if low and high else str(low or high or "?")
        return (meetings if enough and meetings else []), f"{len(meetings)} möten (krav {span})"
    return [], "okänd uppgift"


def _year_of(document: Document) -> int | None:
    for day in (document.date("decided", "date"), document.date("valid_from"), document.date("date")):
        if day is not None:
            return day.year
    return None
