"""Governance reports (SPEC §6): plain rows, one dict each, computed as of a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sb_cli.core.meetings import has_decisions
from sb_cli.core.model import AGREEMENT_TYPES, Corpus, Document
from sb_cli.core.refs import item_label, iter_items, refers_to
from sb_cli.core.terms import document_state, end, notice_deadline, status, term_of

Row = dict[str, Any]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _base(document: Document) -> Row:
    parties = document.get("parties")
    return {
        "id": document.id,
        "title": document.get("title"),
        "type": document.type,
        "owner": document.get("owner"),
        "parties": parties if isinstance(parties, list) else [],
    }


def expiring(corpus: Corpus, as_of: dt.date, within_days: int) -> list[Row]:
    """Styrdokument whose notice deadline, renewal or end falls inside the window, soonest first."""
    horizon = as_of + dt.timedelta(days=within_days)
    rows: list[Row] = []
    for document in corpus.documents:
        if not document.is_styrdokument or document.get("status") != "beslutad":
            continue
        term = term_of(document)
        if term is None:
            continue
        facts = status(term, as_of)
        events = _term_events(term, facts.effective_end, as_of)
        if facts.next_notice_deadline is not None:
            events.append((facts.next_notice_deadline, "uppsägning"))
        inside = sorted(e for e in events if as_of <= e[0] <= horizon)
        if not inside and facts.effective_end >= as_of:
            continue
        event_date, event = inside[0] if inside else (facts.effective_end, "upphörde")
        rows.append({
            **_base(document),
            "valid_until": _iso(term.valid_until),
            "effective_end": _iso(facts.effective_end),
            "next_notice_deadline": _iso(facts.next_notice_deadline),
            "state": document_state(document, as_of, within_days),
            "days_left": (event_date - as_of).days,
            "event": event,
            "event_date": _iso(event_date),
            "renewed": facts.renewed,
            "note": _note(facts.effective_end, facts.renewed, term.terminated_on, event),
        })
    return sorted(rows, key=lambda r: (r["event_date"], r["id"] or ""))


def _term_events(term: Any, effective_end: dt.date, as_of: dt.date) -> list[tuple[dt.date, str]]:
    """Ends from as-of up to the effective end: the earlier ones renew, the last one ends."""
    events = []
    k = 0
    while (current := end(term, k)) < effective_end:
        if current >= as_of:
            events.append((current, "förlängning"))
        k += 1
    events.append((effective_end, "upphör"))
    return events


def _note(effective_end: dt.date, renewed: bool, terminated: dt.date | None, event: str) -> str:
    if terminated is not None:
        return f"uppsagt {terminated.isoformat()}; upphör {effective_end.isoformat()}"
    if event == "förlängning" or renewed:
        return f"förlängs automatiskt till {effective_end.isoformat()}"
    if event == "upphörde":
        return f"upphörde {effective_end.isoformat()}"
    return ""


def overdue(corpus: Corpus, as_of: dt.date) -> list[Row]:
    """Decided styrdokument whose review date has passed, the longest overdue first."""
    rows = []
    for document in corpus.documents:
        review_by = document.date("review_by")
        if document.is_styrdokument and document.get("status") == "beslutad" and review_by and review_by < as_of:
            rows.append({**_base(document), "review_by": _iso(review_by), "contact": document.get("contact"),
                         "days_overdue": (as_of - review_by).days, "version": document.get("version")})
    return sorted(rows, key=lambda r: (-r["days_overdue"], r["id"] or ""))


def decisions(corpus: Corpus, as_of: dt.date, *, open_only: bool = False) -> list[Row]:
    """Every decision (att-clause) with its follow-up, and every deferral with its fate."""
    protocols = corpus.protocols()
    by_meeting: dict[tuple[Any, Any], list[Document]] = {}
    for protocol in protocols:
        by_meeting.setdefault((protocol.get("forum"), protocol.date("meeting", "date")), []).append(protocol)
    rows: list[Row] = []
    for protocol in protocols:
        meeting = protocol.date("meeting", "date")
        for _path, item, parent in iter_items(protocol):
            number = parent if parent is not None else item.get("number")
            letter = item.get("letter") if parent is not None else None
            if not isinstance(number, int):
                continue
            reference = item_label(protocol, number, letter)
            follow = _follow_up(protocols, protocol, number, letter, item.get("title"))
            common = {"protocol": protocol.id, "forum": protocol.get("forum"), "meeting": _iso(meeting),
                      "reference": reference, "item": item.get("title")}
            if has_decisions(item):
                for text in item["decisions"]:
                    rows.append(_decision_row(common, text, follow, as_of))
            deferred_to = protocol.date(*_path, "deferred_to")
            if deferred_to is not None:
                later = by_meeting.get((protocol.get("forum"), deferred_to), [])
                rows.append(_deferral_row(common, deferred_to, follow, later, as_of))
    if open_only:
        rows = [r for r in rows if r["status"] in ("öppen", "tappad")]
    return sorted(rows, key=lambda r: (r["meeting"] or "", r["reference"]))


def _follow_up(protocols: list[Document], protocol: Document, number: int, letter: str | None,
               title: Any) -> str | None:
    for other in protocols:
        for _path, item, parent in iter_items(other):
            if refers_to(item.get("follows_up"), protocol, number, letter):
                label_number = parent if parent is not None else item.get("number")
                return item_label(other, label_number, item.get("letter") if parent else None)
    return None


def _decision_row(common: Row, text: Any, follow: str | None, as_of: dt.date) -> Row:
    if isinstance(text, dict):
        clause, responsible, due = text.get("text"), text.get("responsible"), text.get("due")
    else:
        clause, responsible, due = text, None, None
    due_date = dt.date.fromisoformat(due) if isinstance(due, str) else None
    if follow:
        state = "uppföljt"
    elif due_date is None:
        state = "inget datum"
    elif due_date < as_of:
        state = "öppen"
    else:
        state = "väntar"
    return {**common, "kind": "beslut", "text": f"att {clause}", "responsible": responsible,
            "due": _iso(due_date), "followed_up_by": follow, "status": state}


def _deferral_row(common: Row, deferred_to: dt.date, follow: str | None, later: list[Document],
                  as_of: dt.date) -> Row:
    title = str(common["item"] or "").casefold()
    taken_up = follow or next(
        (item_label(p, it.get("number")) for p in later for _pa, it, parent in iter_items(p)
         if parent is None and str(it.get("title", "")).casefold() == title), None)
    if taken_up:
        state = "uppföljt"
    elif later:
        state = "tappad"
    elif deferred_to >= as_of:
        state = "väntar"
    else:
        state = "protokoll saknas"
    return {**common, "kind": "bordlagd", "text": f"flyttad till {deferred_to.isoformat()}",
            "responsible": None, "due": deferred_to.isoformat(), "followed_up_by": taken_up, "status": state}


def adoption(corpus: Corpus, as_of: dt.date) -> list[Row]:
    """Per agreement and party: had the party's own assembly adopted it by `as_of`?"""
    rows = []
    for document in corpus.documents:
        if document.type not in AGREEMENT_TYPES:
            continue
        adopted = document.get("adopted") if isinstance(document.get("adopted"), list) else []
        by_party = {a.get("party"): a for a in adopted
                    if isinstance(a, dict) and str(a.get("date", "")) <= as_of.isoformat()}
        for party in document.get("parties") or []:
            entry = by_party.get(party, {})
            rows.append({"id": document.id, "title": document.get("title"), "status": document.get("status"),
                         "party": party, "party_name": corpus.organisation.name_of(party),
                         "adopted": bool(entry), "by": entry.get("by"), "date": entry.get("date"),
                         "diarienummer": entry.get("diarienummer")})
    return rows


__all__ = ["adoption", "decisions", "expiring", "notice_deadline", "overdue"]
