"""`sb list` and `sb show`: documents with their computed state, dates and references."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sb_cli.core.model import Corpus, Document
from sb_cli.core.refs import referenced_ids
from sb_cli.core.terms import document_state, status, term_of

Row = dict[str, Any]


def state_of(document: Document, as_of: dt.date, window_days: int) -> str:
    if document.is_styrdokument:
        return document_state(document, as_of, window_days)
    if document.type == "protokoll":
        return "justerat" if document.get("adjusted") else "utkast"
    return "—"


def listing(corpus: Corpus, as_of: dt.date, window_days: int, *, doc_type: str | None = None,
            owner: str | None = None, status_: str | None = None, party: str | None = None) -> list[Row]:
    rows = []
    for document in corpus.documents:
        state = state_of(document, as_of, window_days)
        parties = document.get("parties") if isinstance(document.get("parties"), list) else []
        owner_of = document.get("owner") or document.get("forum")
        if doc_type and document.type != doc_type:
            continue
        if owner and owner_of != owner:
            continue
        if status_ and status_ not in (document.get("status"), state):
            continue
        if party and party not in parties:
            continue
        rows.append({
            "id": document.id, "type": document.type, "title": document.get("title"), "owner": owner_of,
            "status": document.get("status"), "state": state, "version": document.get("version"),
            "date": document.get("meeting", "date") or document.get("decided", "date") or document.get("date"),
            "review_by": document.get("review_by"), "valid_until": document.get("valid_until"),
            "parties": parties, "path": document.path,
        })
    return sorted(rows, key=lambda r: (r["type"] or "", r["id"] or ""))


def card(corpus: Corpus, document: Document, as_of: dt.date, window_days: int) -> Row:
    """Everything a document owner wants to know about one document."""
    term = term_of(document)
    facts = status(term, as_of) if term else None
    outgoing = sorted(referenced_ids(document))
    incoming = sorted(d.id for d in corpus.documents if d.id and document.id in referenced_ids(d))
    header = {k: v for k, v in document.data.items() if k not in ("items", "body", "attendance", "events")}
    items = document.get("items")
    return {
        "id": document.id,
        "path": document.path,
        "header": header,
        "state": state_of(document, as_of, window_days),
        "effective_end": facts.effective_end.isoformat() if facts else None,
        "next_notice_deadline": (facts.next_notice_deadline.isoformat()
                                 if facts and facts.next_notice_deadline else None),
        "renewed": facts.renewed if facts else None,
        "items": len(items) if isinstance(items, list) else None,
        "references_out": outgoing,
        "references_in": incoming,
        "as_of": as_of.isoformat(),
    }
