"""`sb list` and `sb show`: documents with their computed state, dates and references."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

import msgspec

from sb_cli.core.model import Corpus, Document
from sb_cli.core.records import Kallelse, Paper, Protocol, Record, Styrdokument
from sb_cli.core.refs import referenced_ids
from sb_cli.core.terms import document_state, schedule_of, status

DOCUMENT_STATES = ("draft", "in_force", "review_overdue", "expiring", "expired", "repealed")  # SPEC §4

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class StatusFilter:
    """What `sb list --status WORD` keeps: documents in one of `states`, or with one of `statuses`."""

    states: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()

    def keeps(self, status: str | None, state: str) -> bool:
        return state in self.states or status in self.statuses


# The words --status takes: the states as the table's Läge column shows them (the Swedish names of
# reporters.tables.STATE_NAMES) and as JSON names them, the protocol's states, and the status a
# styrdokument's header gives (SPEC §3.3). "utkast" is every draft the table calls so: styrdokument
# in utkast or remiss, and protocols not yet justerade.
STATUS_WORDS: dict[str, StatusFilter] = {
    "gäller": StatusFilter(states=frozenset({"in_force"})),
    "utkast": StatusFilter(states=frozenset({"draft", "utkast"})),
    "löper ut": StatusFilter(states=frozenset({"expiring"})),
    "upphört": StatusFilter(states=frozenset({"expired"})),
    "upphävd": StatusFilter(states=frozenset({"repealed"})),
    "revision försenad": StatusFilter(states=frozenset({"review_overdue"})),
    "justerat": StatusFilter(states=frozenset({"justerat"})),
    "remiss": StatusFilter(statuses=frozenset({"remiss"})),
    "beslutad": StatusFilter(statuses=frozenset({"beslutad"})),
    "upphavd": StatusFilter(statuses=frozenset({"upphavd"})),
    **{state: StatusFilter(states=frozenset({state})) for state in DOCUMENT_STATES},
}


def _folded(word: str) -> str:
    """A word as --status compares it: lower case, å ä ö as a a o, _ and - as spaces, one space."""
    plain = "".join(c for c in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


def status_filter(word: str) -> StatusFilter | None:
    """The filter for a --status word ("gäller", "in_force", "löper ut", "loper-ut" …); None when unknown."""
    found = [f for name, f in STATUS_WORDS.items() if _folded(name) == _folded(word)]
    if not found:
        return None
    return StatusFilter(
        states=frozenset().union(*(f.states for f in found)),
        statuses=frozenset().union(*(f.statuses for f in found)),
    )


def known_parties(corpus: Corpus) -> list[str]:
    """The party ids --party takes: organisation.yaml's parties, and any a document names."""
    named = {p for d in corpus.styrdokument() for p in d.record.parties}
    return sorted(set(corpus.organisation.parties) | named, key=str.casefold)


def known_owners(corpus: Corpus) -> list[str]:
    """The ids --owner takes: organisation.yaml's forums and parties, and any owner a document names."""
    named = {owner for d in corpus.documents if (owner := owner_of(d.record)) is not None}
    organisation = corpus.organisation
    return sorted(set(organisation.forums) | set(organisation.parties) | named, key=str.casefold)


def resolve(given: str, known: list[str]) -> str | None:
    """The id among `known` that `given` names, exactly or but for case ("lsvo" is LSVO)."""
    if given in known:
        return given
    matches = [k for k in known if k.casefold() == given.strip().casefold()]
    return matches[0] if len(matches) == 1 else None


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


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _listed_date(record: Record) -> str | None:
    """The list's date: the day a document is known by, or the month of a meeting whose day the
    source does not give ("2024-02", SPEC §3.5)."""
    day = date_of(record)
    if day is None and isinstance(record, Protocol | Kallelse) and record.meeting.month is not None:
        return record.meeting.month.isoformat()
    return _iso(day)


def _header_facts(record: Record) -> Row:
    """What only a styrdokument's header gives; empty for every other type."""
    if not isinstance(record, Styrdokument):
        return {"status": None, "version": None, "review_by": None, "valid_until": None, "parties": []}
    return {
        "status": record.status,
        "version": record.version,
        "review_by": _iso(record.review_by),
        "valid_until": _iso(record.valid_until),
        "parties": list(record.parties),
    }


def _row(document: Document[Record], as_of: dt.date, window_days: int) -> Row:
    record = document.record
    facts = _header_facts(record)
    return {
        "id": record.id,
        "type": record.type,
        "title": record.title,
        "owner": owner_of(record),
        "status": facts["status"],
        "state": state_of(record, as_of, window_days),
        "version": facts["version"],
        "date": _listed_date(record),
        "review_by": facts["review_by"],
        "valid_until": facts["valid_until"],
        "parties": facts["parties"],
        "path": document.path,
    }


def listing(
    corpus: Corpus,
    as_of: dt.date,
    window_days: int,
    *,
    doc_type: str | None = None,
    owner: str | None = None,
    status_: StatusFilter | None = None,
    party: str | None = None,
) -> list[Row]:
    def keeps(row: Row) -> bool:
        return (
            (not doc_type or row["type"] == doc_type)
            and (not owner or row["owner"] == owner)
            and (status_ is None or status_.keeps(row["status"], row["state"]))
            and (not party or party in row["parties"])
        )

    rows = [row for document in corpus.documents if keeps(row := _row(document, as_of, window_days))]
    return sorted(rows, key=lambda r: (r["type"], r["id"]))


def _term_facts(record: Record, as_of: dt.date) -> Row:
    """An agreement's term per `as_of`: when it ends, the next notice deadline, whether it renewed."""
    schedule = schedule_of(record) if isinstance(record, Styrdokument) else None
    facts = status(schedule, as_of) if schedule else None
    if facts is None:
        return {"effective_end": None, "next_notice_deadline": None, "renewed": None}
    return {
        "effective_end": facts.effective_end.isoformat(),
        "next_notice_deadline": _iso(facts.next_notice_deadline),
        "renewed": facts.renewed,
    }


def _card_header(record: Record) -> Row:
    """The header's facts that have a value; the texts, attendance and events are not the header."""
    return {
        key: value
        for key, value in _as_written(record).items()
        if key not in ("items", "body", "attendance", "events") and value is not None and value not in ("", (), [])
    }


def _as_written(record: Record) -> Row:
    """The record's values as its file says them: a meeting's month as `date: 2024-02` (SPEC §3.5)."""
    written: Row = msgspec.to_builtins(record)
    meeting = getattr(record, "meeting", None)
    if isinstance(written.get("meeting"), dict) and meeting is not None and meeting.month is not None:
        written["meeting"] = {"date": meeting.month.isoformat(), **{
            key: value for key, value in written["meeting"].items() if key not in ("date", "month")
        }}  # fmt: skip
    elif isinstance(written.get("meeting"), dict):
        written["meeting"] = {key: value for key, value in written["meeting"].items() if key != "month"}
    return written


def card(corpus: Corpus, document: Document[Record], as_of: dt.date, window_days: int) -> Row:
    """Everything a document owner wants to know about one document."""
    record = document.record
    items = record.items if isinstance(record, Protocol | Kallelse) else None
    return {
        "id": record.id,
        "path": document.path,
        "header": _card_header(record),
        "state": state_of(record, as_of, window_days),
        **_term_facts(record, as_of),
        "items": len(items) if items is not None else None,
        "references_out": sorted(referenced_ids(record)),
        "references_in": sorted(d.id for d in corpus.documents if record.id in referenced_ids(d.record)),
        "as_of": as_of.isoformat(),
    }
