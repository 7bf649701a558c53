"""`sb list` and `sb show`: documents with their computed state, dates and references."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from sb_cli.core.model import Corpus, Document
from sb_cli.core.records import Kallelse, Paper, Protocol, Record, Styrdokument
from sb_cli.core.refs import referenced_ids
from sb_cli.core.terms import document_state, schedule_of, status

Row = dict[str, Any]


def state_of(record: Record, as_of: dt.date, window_days: int) -> str:
    if isinstance(record, Styrdokument):
        return document_state(record, as_of, window_days)
    if isinstance(record, Protocol):
        return "justerat" if record.adjusted else "utkast"
    return "—"


def owner_of(record: Record) -> str | None:
    if isinstance(record, Styrdokument):
        return record.owner
    if isinstance(record, Protocol | Kallelse):
        return record.forum
    if isinstance(record, Paper):
        return record.owner or record.forum
    return None


def date_of(record: Record) -> dt.date | None:
    """The date a document is known by: its meeting, its decision, or its own date."""
    if isinstance(record, Protocol | Kallelse):
        return record.meeting.date
    if isinstance(record, Styrdokument):
        return record.decided.date if record.decided else None
    if isinstance(record, Paper):
        return record.date or (record.meeting.date if record.meeting else None)
    return None


def listing(
    corpus: Corpus,
    as_of: dt.date,
    window_days: int,
    *,
    doc_type: str | None = None,
    owner: str | None = None,
    status_: str | None = None,
    party: str | None = None,
) -> list[Row]:
    rows = []
    for document in corpus.documents:
        record = document.record
        state = state_of(record, as_of, window_days)
        styr = record if isinstance(record, Styrdokument) else None
        parties = list(styr.parties) if styr else []
        if doc_type and record.type != doc_type:
            continue
        if owner and owner_of(record) != owner:
            continue
        if status_ and status_ not in (styr.status if styr else None, state):
            continue
        if party and party not in parties:
            continue
        day = date_of(record)
        rows.append(
            {
                "id": record.id,
                "type": record.type,
                "title": record.title,
                "owner": owner_of(record),
                "status": styr.status if styr else None,
                "state": state,
                "version": styr.version if styr else None,
                "date": day.isoformat() if day else None,
                "review_by": styr.review_by.isoformat() if styr and styr.review_by else None,
                "valid_until": styr.valid_until.isoformat() if styr and styr.valid_until else None,
                "parties": parties,
                "path": document.path,
            }
        )
    return sorted(rows, key=lambda r: (r["type"], r["id"]))


def card(corpus: Corpus, document: Document[Record], as_of: dt.date, window_days: int) -> Row:
    """Everything a document owner wants to know about one document."""
    record = document.record
    schedule = schedule_of(record) if isinstance(record, Styrdokument) else None
    facts = status(schedule, as_of) if schedule else None
    outgoing = sorted(referenced_ids(record))
    incoming = sorted(d.id for d in corpus.documents if record.id in referenced_ids(d.record))
    header = {
        key: value
        for key, value in msgspec.to_builtins(record).items()
        if key not in ("items", "body", "attendance", "events") and value is not None and value not in ("", (), [])
    }
    items = record.items if isinstance(record, Protocol | Kallelse) else None
    return {
        "id": record.id,
        "path": document.path,
        "header": header,
        "state": state_of(record, as_of, window_days),
        "effective_end": facts.effective_end.isoformat() if facts else None,
        "next_notice_deadline": (
            facts.next_notice_deadline.isoformat() if facts and facts.next_notice_deadline else None
        ),
        "renewed": facts.renewed if facts else None,
        "items": len(items) if items is not None else None,
        "references_out": outgoing,
        "references_in": incoming,
        "as_of": as_of.isoformat(),
    }
