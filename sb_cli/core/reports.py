"""Governance reports (SPEC §6): plain rows, one dict each with the keys of the JSON output,
computed as of a date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sb_cli.core.doctypes import is_agreement
from sb_cli.core.meetings import meeting_order
from sb_cli.core.model import Corpus, Document
from sb_cli.core.records import Adoption, Decision, Protocol, Styrdokument
from sb_cli.core.refs import Point, Reference, item_label, iter_items, parse_reference
from sb_cli.core.terms import Schedule, add_days, document_state, end, schedule_of, status

Row = dict[str, Any]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _base(document: Document[Styrdokument]) -> Row:
    record = document.record
    return {
        "id": record.id,
        "title": record.title,
        "type": record.type,
        "owner": record.owner,
        "parties": list(record.parties),
    }


def expiring(corpus: Corpus, as_of: dt.date, within_days: int) -> list[Row]:
    """Styrdokument whose notice deadline, renewal or end falls inside the window, soonest first."""
    horizon = add_days(as_of, within_days)
    rows: list[Row] = []
    for document in corpus.styrdokument():
        schedule = schedule_of(document.record)
        if document.record.status != "beslutad" or schedule is None:
            continue
        facts = status(schedule, as_of)
        events = _term_events(schedule, facts.effective_end, as_of)
        if facts.next_notice_deadline is not None:
            events.append((facts.next_notice_deadline, "uppsägning"))
        inside = sorted(e for e in events if as_of <= e[0] <= horizon)
        if not inside and facts.effective_end >= as_of:
            continue
        event_date, event = inside[0] if inside else (facts.effective_end, "upphörde")
        rows.append(
            {
                **_base(document),
                "valid_until": _iso(schedule.valid_until),
                "effective_end": _iso(facts.effective_end),
                "next_notice_deadline": _iso(facts.next_notice_deadline),
                "state": document_state(document.record, as_of, within_days),
                "days_left": (event_date - as_of).days,
                "event": event,
                "event_date": _iso(event_date),
                "renewed": facts.renewed,
                "note": _note(facts.effective_end, facts.renewed, schedule.terminated_on, event),
            }
        )
    return sorted(rows, key=lambda r: (r["event_date"], r["id"]))


def _term_events(schedule: Schedule, effective_end: dt.date, as_of: dt.date) -> list[tuple[dt.date, str]]:
    """Ends from as-of up to the effective end: the earlier ones renew, the last one ends."""
    events = []
    k = 0
    while (current := end(schedule, k)) < effective_end:
        if current >= as_of:
            events.append((current, "förlängs"))
        k += 1
    events.append((effective_end, "upphör"))
    return events


def _note(effective_end: dt.date, renewed: bool, terminated: dt.date | None, event: str) -> str:
    if terminated is not None:
        return f"uppsagt {terminated.isoformat()}; upphör {effective_end.isoformat()}"
    if renewed:  # a "förlängs" event always comes with renewed: it lies before the effective end
        return f"förlängs automatiskt till {effective_end.isoformat()}"
    if event == "upphörde":
        return f"upphörde {effective_end.isoformat()}"
    return ""


def overdue(corpus: Corpus, as_of: dt.date) -> list[Row]:
    """Decided styrdokument whose review date has passed, the longest overdue first."""
    rows = []
    for document in corpus.styrdokument():
        record = document.record
        if record.status == "beslutad" and record.review_by is not None and record.review_by < as_of:
            rows.append(
                {
                    **_base(document),
                    "review_by": _iso(record.review_by),
                    "contact": record.contact,
                    "days_overdue": (as_of - record.review_by).days,
                    "version": record.version,
                }
            )
    return sorted(rows, key=lambda r: (-r["days_overdue"], r["id"]))


def decisions(corpus: Corpus, as_of: dt.date, *, open_only: bool = False) -> list[Row]:
    """Every decision (att-clause) with its follow-up, and every deferral with its fate."""
    protocols = corpus.protocols()
    by_meeting = _by_meeting(protocols)
    followed = _follow_ups(protocols)
    keyed: list[tuple[tuple[str, str, int, str], Row]] = []
    for protocol in protocols:
        record = protocol.record
        for point in iter_items(record):
            order = (_iso(meeting_order(record.meeting)[0]) or "", record.id, point.number, point.letter or "")
            follow = followed.get(Reference(record.id, point.number, point.letter))
            keyed += [(order, row) for row in _item_rows(record, point, follow, by_meeting, as_of)]
    # By meeting, then by item number as a number: § 4 before § 10. The sort is stable, so the
    # decisions of one item keep their order.
    rows = [row for _order, row in sorted(keyed, key=lambda pair: pair[0])]
    if open_only:
        rows = [r for r in rows if r["status"] in ("öppen", "tappad")]
    return rows


def _by_meeting(protocols: list[Document[Protocol]]) -> dict[tuple[str, dt.date], list[Document[Protocol]]]:
    """The protocols of each forum's meeting on each day."""
    by_meeting: dict[tuple[str, dt.date], list[Document[Protocol]]] = defaultdict(list)
    for protocol in protocols:
        if protocol.record.meeting.date is not None:
            by_meeting[(protocol.record.forum, protocol.record.meeting.date)].append(protocol)
    return by_meeting


def _item_rows(
    record: Protocol,
    point: Point,
    follow: str | None,
    by_meeting: dict[tuple[str, dt.date], list[Document[Protocol]]],
    as_of: dt.date,
) -> list[Row]:
    """An item's decisions, then its deferral if it was deferred."""
    common = {
        "protocol": record.id,
        "forum": record.forum,
        "meeting": record.meeting.when.isoformat() if record.meeting.when else None,  # a month as 2024-02
        "reference": item_label(record, point.number, point.letter),
        "item": point.point.title,
    }
    rows = [_decision_row(common, decision, follow, as_of) for decision in point.point.decisions]
    deferred_to = point.point.deferred_to
    if deferred_to is not None:
        later = by_meeting.get((record.forum, deferred_to), [])
        rows.append(_deferral_row(common, point, deferred_to, follow, later, as_of))
    return rows


def _follow_ups(protocols: list[Document[Protocol]]) -> dict[Reference, str]:
    """Each item that a later item says it follows up, with the first such item's label: one pass
    over every item, not one per item."""
    found: dict[Reference, str] = {}
    for other in protocols:
        for candidate in iter_items(other.record):
            target = parse_reference(candidate.point.follows_up) if candidate.point.follows_up else None
            if target is not None:
                found.setdefault(target, item_label(other.record, candidate.number, candidate.letter))
    return found


def _decision_row(common: Row, decision: Decision, follow: str | None, as_of: dt.date) -> Row:
    if follow:
        state = "uppföljt"
    elif decision.due is None:
        state = "inget datum"
    elif decision.due < as_of:
        state = "öppen"
    else:
        state = "väntar"
    return {
        **common,
        "kind": "beslut",
        "text": f"att {decision.text}",
        "responsible": decision.responsible,
        "due": _iso(decision.due),
        "followed_up_by": follow,
        "status": state,
    }


def _deferral_row(
    common: Row,
    point: Point,
    deferred_to: dt.date,
    follow: str | None,
    later: list[Document[Protocol]],
    as_of: dt.date,
) -> Row:
    title = point.point.title.casefold()
    taken_up = follow or next(
        (item_label(p.record, item.number) for p in later for item in p.record.items if item.title.casefold() == title),
        None,
    )
    if taken_up:
        state = "uppföljt"
    elif later:
        state = "tappad"
    elif deferred_to >= as_of:
        state = "väntar"
    else:
        state = "protokoll saknas"
    return {
        **common,
        "kind": "bordlagd",
        "text": f"flyttad till {deferred_to.isoformat()}",
        "responsible": None,
        "due": deferred_to.isoformat(),
        "followed_up_by": taken_up,
        "status": state,
    }


def adoption(corpus: Corpus, as_of: dt.date) -> list[Row]:
    """Per agreement and party: had the party's own assembly adopted it by `as_of`?"""
    rows = []
    for document in corpus.styrdokument():
        record = document.record
        if not is_agreement(record.type):
            continue
        # The latest adoption by then counts (a board's, then the assembly's own), whatever the list order.
        by_party: dict[str, Adoption] = {
            a.party: a for a in sorted(record.adopted, key=lambda a: a.date) if a.date <= as_of
        }
        for party in record.parties:
            entry = by_party.get(party)
            rows.append(
                {
                    "id": record.id,
                    "title": record.title,
                    "status": record.status,
                    "party": party,
                    "party_name": corpus.organisation.name_of(party),
                    "adopted": entry is not None,
                    "by": entry.by if entry else None,
                    "date": _iso(entry.date) if entry else None,
                    "diarienummer": entry.diarienummer if entry else None,
                }
            )
    return rows
