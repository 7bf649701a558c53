"""The årshjul's yearly duties for one year, each met or missing (SPEC §6, `sb report arshjul`)."""

from __future__ import annotations

import calendar
import datetime as dt

from sb_cli.core.model import Corpus
from sb_cli.core.records import Arshjul, ArshjulEvent, Paper, Styrdokument
from sb_cli.core.reports import Row


def duties(corpus: Corpus, year: int, as_of: dt.date) -> list[Row]:
    return [
        _duty(corpus, wheel.record, event, year, as_of) for wheel in corpus.arshjul() for event in wheel.record.events
    ]


def _duty(corpus: Corpus, wheel: Arshjul, event: ArshjulEvent, year: int, as_of: dt.date) -> Row:
    evidence, detail = _evidence(corpus, event, year)
    due = _month_end(year, event.month) if event.month else dt.date(year, 12, 31)
    if evidence:
        state = "uppfyllt"
    elif event.duty is None:
        state = "ej kontrollerad"
    elif as_of <= due:
        state = "pågår"
    else:
        state = "saknas"
    return {
        "arshjul": wheel.id,
        "year": year,
        "month": event.month,
        "title": event.title,
        "forum": event.forum,
        "duty": event.duty,
        "status": state,
        "evidence": evidence,
        "detail": detail,
    }


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _evidence(corpus: Corpus, event: ArshjulEvent, year: int) -> tuple[list[str], str]:
    """The documents that fulfil the duty in `year`, and a short explanation."""
    duty, forum = event.duty, event.forum
    if duty in ("verksamhetsplan", "handlingsplan"):
        plans = [
            d.id
            for d in corpus.styrdokument()
            if d.type == duty and d.record.owner == forum and _year_of(d.record) == year
        ]
        return plans, f"{duty} beslutad {year}" if plans else f"ingen {duty} från {year}"
    if duty == "arsrapport":
        reports = [
            d.id
            for d in corpus.papers()
            if d.type == "arsrapport"
            and forum in (d.record.forum, d.record.owner)
            and (d.record.year == year or _paper_year(d.record) == year)
        ]
        return reports, "årsrapport finns" if reports else f"ingen årsrapport från {year}"
    if duty == "uppfoljning":
        target = corpus.by_id.get(event.document) if event.document else None
        record = target.record if target else None
        entries = record.followed_up if isinstance(record, Styrdokument) else ()
        found = [
            entry.ref or entry.date.isoformat() for entry in entries if entry.by == forum and entry.date.year == year
        ]
        return found, "uppföljd" if found else f"ingen uppföljning av {event.document} {year}"
    if duty == "moten":
        forum_info = corpus.organisation.forums.get(forum) if forum else None
        meetings = sorted(
            {
                d.record.meeting.date.isoformat()
                for d in corpus.meetings()
                if d.record.forum == forum and d.record.meeting.date is not None and d.record.meeting.date.year == year
            }
        )
        low = forum_info.meetings_per_year.min if forum_info else None
        high = forum_info.meetings_per_year.max if forum_info else None
        enough = (low is None or len(meetings) >= low) and (high is None or len(meetings) <= high)
        span = f"{low}–{high}" if low and high else str(low or high or "?")
        return (meetings if enough and meetings else []), f"{len(meetings)} möten (krav {span})"
    return [], "okänd uppgift"


def _year_of(record: Styrdokument) -> int | None:
    day = (record.decided.date if record.decided else None) or record.valid_from
    return day.year if day else None


def _paper_year(record: Paper) -> int | None:
    return record.date.year if record.date else None
