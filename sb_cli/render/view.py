"""The view model: what a mall (template) sees of a document, built purely from its typed record.

The structures below are the contract of the mallar. The Word and Markdown writers read them as
they are; the PDF (typst) and HTML (Jinja) templates read the same structure as JSON
(`as_data`): every key below, with `null` where there is nothing. Templates never see raw YAML.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import msgspec
from msgspec import Struct

from sb_cli.core import doctypes
from sb_cli.core.catalog import date_of, owner_of
from sb_cli.core.model import Document
from sb_cli.core.organisation import decision_phrase, forum_heading, forum_name, known_names
from sb_cli.core.records import (
    Arshjul,
    Forum,
    Item,
    Kallelse,
    Meeting,
    Organisation,
    Paper,
    Person,
    Protocol,
    Record,
    Styrdokument,
    Subitem,
    When,
    YearMonth,
)
from sb_cli.core.terms import schedule_of, status
from sb_cli.render.markdown import Blocks, Heading, Inline, ListBlock, Paragraph, clean, parse

PUBLIC_LABEL = "Offentlig version"
ADJUSTED_UNKNOWN = "Protokollet är justerat (datum okänt)"
WITHHELD = "Utelämnad i den offentliga versionen"
STATUS_LABELS = {"utkast": "Utkast", "remiss": "Remiss", "beslutad": "Beslutad", "upphavd": "Upphävd"}


class _View(Struct, frozen=True, kw_only=True):
    pass


class Meta(_View, frozen=True, kw_only=True):
    """Document properties for Word and PDF metadata."""

    title: str
    author: str
    owner: str
    version: str
    valid_until: str
    diarienummer: str
    status: str
    date: str | None
    keywords: tuple[str, ...]


class CorrectionView(_View, frozen=True, kw_only=True):
    """A correction of the transcription, as every format shows it under "Rättad avskrift"."""

    date: str
    note: str


class HeaderRow(_View, frozen=True, kw_only=True, array_like=True):
    """Written to the templates as a pair [label, value], as the mallar have always read it."""

    label: str
    value: str


class PersonView(_View, frozen=True, kw_only=True):
    name: str
    description: str  # title and organisation
    role: str  # as listed; "ordförande" for the chair among those present
    items_label: str  # "§64 §65" for others
    line: str  # the person as every format prints them: "Name, title, organisation (role) §64"


class Signature(_View, frozen=True, kw_only=True):
    role: str  # Ordförande, Sekreterare, Justerare
    name: str
    description: str
    line: str  # "Name, title, organisation", as every format prints the signer


class PointView(_View, frozen=True, kw_only=True):
    """An item or subitem as every format shows it."""

    label: str  # "§ 61", "1).", "a/"
    title: str
    heading: str  # the title as printed: "UPH (I/D) – Satsning inom äldreområdet (PPT)"
    kind_label: str  # "(B)" or ""
    attachments_label: str  # "(PPT)" or ""
    presenters_label: str  # "Föredragande: …" or ""
    body: Blocks
    decisions: tuple[str, ...]
    proposed_decisions: tuple[str, ...]
    send_to: tuple[str, ...]
    note: str  # "Flyttas till LSVO:s sammanträde den 25 augusti 2023" or ""
    public: bool
    withheld: str  # in the public version, the note that stands in for a point left out; else ""


class ItemView(PointView, frozen=True, kw_only=True):
    number: int
    index_label: str  # "§61" or "1)."
    subitems: tuple[PointView, ...]


class IndexEntry(_View, frozen=True, kw_only=True):
    label: str
    title: str
    subitems: tuple[str, ...]


class Extract(_View, frozen=True, kw_only=True):
    label: str
    certify: str
    send_to: tuple[str, ...]


class MeetingView(_View, frozen=True, kw_only=True):
    forum: str
    forum_name: str
    forum_heading: str  # the text above the document type: "LSVO" (SPEC 3.4 protocol.heading)
    decision_phrase: str
    heading: str  # the document type: "Sammanträdesprotokoll", "Protokollsutdrag" …
    date: str | None
    date_long: str
    time: str
    place: str
    time_and_place: str
    numbering: str
    present: tuple[PersonView, ...]
    absent: tuple[PersonView, ...]
    others: tuple[PersonView, ...]
    chair: Signature | None
    secretary: Signature | None
    signatures: tuple[Signature, ...]
    adjusted: str | None  # the day it was justerat, when known
    adjusted_note: str  # ADJUSTED_UNKNOWN for `adjusted: true`, else ""
    approved: str  # "Godkänt vid sammanträdet den 25 augusti 2023" once a later protocol approves it, else ""
    paragraphs_label: str
    items: tuple[ItemView, ...]
    index: tuple[IndexEntry, ...]
    distribution: tuple[str, ...]
    extract: Extract | None
    sent: str | None
    reply_by: str | None
    register_by: str | None


class WheelEvent(_View, frozen=True, kw_only=True):
    month: int | None
    month_name: str  # "" without a month
    title: str
    forum: str
    label: str  # the title, and the forum in brackets unless the title names it


class WheelView(_View, frozen=True, kw_only=True):
    year: int
    months: tuple[str, ...]
    events: tuple[WheelEvent, ...]
    placed: tuple[WheelEvent, ...]  # by month, for the table "Månad för månad"
    unplaced: tuple[WheelEvent, ...]


class View(_View, frozen=True, kw_only=True):
    kind: str  # the mall: templates/<kind>/
    lang: str
    id: str
    type: str
    type_label: str
    title: str
    running_header: str  # on every page after the first
    public_label: str  # "Offentlig version" in the public version, else ""
    meta: Meta
    footer: str
    header_rows: tuple[HeaderRow, ...]
    body: Blocks
    public: bool
    meeting: MeetingView | None = None
    wheel: WheelView | None = None
    proposed_decisions: tuple[str, ...] = ()
    corrections: tuple[CorrectionView, ...] = ()  # "Rättad avskrift": a decided text made to match its source


CORRECTIONS_HEADING = "Rättad avskrift"

V = TypeVar("V", bound=_View)


def as_data(view: View) -> dict[str, Any]:
    """The view as the JSON-like data the typst and Jinja templates read."""
    data: dict[str, Any] = msgspec.to_builtins(view)
    return data


def relinked(data: Any, resolve: Callable[[str], str | None]) -> Any:
    """View data (`as_data`) with every inline's link as `resolve` gives it (None: no link, the text
    stays): a document's links made the site's or the editor's."""
    if isinstance(data, dict):
        if data.get("link"):
            return {**data, "link": resolve(str(data["link"]))}
        return {key: relinked(item, resolve) for key, item in data.items()}
    if isinstance(data, list | tuple):
        return [relinked(item, resolve) for item in data]
    return data


def map_strings(view: V, change: Callable[[str], str]) -> V:
    """The view with `change` applied to every string in it."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return change(value)
        if isinstance(value, dict):
            return {key: walk(item) if key != "type" else item for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [walk(item) for item in value]
        return value

    return msgspec.convert(walk(msgspec.to_builtins(view)), type(view))


def swedish_date(day: dt.date) -> str:
    """ "fredagen den 16 juni 2023" (Babel gives the weekday and month names)."""
    from babel.dates import format_date

    return f"{format_date(day, 'EEEE', locale='sv_SE')}en den {swedish_day(day)}"


def clock(value: str | None) -> str | None:
    return value.replace(":", ".") if value is not None else None


def _s(value: object) -> str:
    return clean(str(value)) if value is not None else ""


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def build(
    document: Document[Record],
    organisation: Organisation,
    *,
    as_of: dt.date,
    commit: str | None,
    version: str,
    changed: bool = False,
    public: bool = False,
    extract: int | None = None,
    approved: Meeting | None = None,
) -> View:
    """The view of one document. `commit` is the last commit of its source and `changed` whether the
    source differs from it; the footer says which (SPEC §7). `approved` is the meeting at which a
    protocol was approved (core.meetings.approved_at)."""
    record = document.record
    meta = _meta(record, organisation, public)
    meeting = _meeting_of(record, organisation, public=public, extract=extract, approved=approved)
    return View(
        kind=doctypes.mall(record.type),
        lang="sv-SE",
        id=record.id,
        type=record.type,
        type_label=doctypes.label(record.type),
        title=meta.title,
        running_header=_running_header(record, meta, meeting),
        public_label=PUBLIC_LABEL if public else "",
        meta=meta,
        footer=_footer(record.id, meta, commit=commit, changed=changed, version=version),
        header_rows=_header_rows(record, organisation, as_of),
        body=parse(record.body if isinstance(record, Styrdokument | Paper) else ""),
        public=public,
        meeting=meeting,
        wheel=_wheel(record, organisation, as_of) if isinstance(record, Arshjul) else None,
        proposed_decisions=tuple(_s(d.text) for d in record.proposed_decisions) if isinstance(record, Paper) else (),
        corrections=_corrections(record),
    )


def correction_blocks(view: View) -> Blocks:
    """The heading "Rättad avskrift" and a list of each correction's date and note, for the formats
    that write blocks (Word, Markdown); none when the text was never corrected."""
    if not view.corrections:
        return ()
    entries = tuple((Paragraph(inlines=(Inline(text=f"{c.date}: {c.note}"),)),) for c in view.corrections)
    return (
        Heading(level=1, inlines=(Inline(text=CORRECTIONS_HEADING),)),
        ListBlock(ordered=False, items=entries),
    )


def _corrections(record: Record) -> tuple[CorrectionView, ...]:
    if not isinstance(record, Styrdokument):
        return ()
    return tuple(CorrectionView(date=c.date.isoformat(), note=_s(c.note)) for c in record.corrections)


def _meta(record: Record, organisation: Organisation, public: bool) -> Meta:
    styr = record if isinstance(record, Styrdokument) else None
    owner = owner_of(record)
    meta = Meta(
        title=_s(record.title),
        author=organisation.name_of(owner) if owner else "",
        owner=_s(owner),
        version=_s(styr.version) if styr else "",
        valid_until=_day(styr.valid_until) if styr else "",
        diarienummer=_s(record.diarienummer),
        status=_s(styr.status) if styr else "",
        date=_day(date_of(record)) or None,
        keywords=(),
    )
    labelled = (
        ("Typ", doctypes.label(record.type)),
        ("Ägare", meta.author),
        ("Version", meta.version),
        ("Giltig till", meta.valid_until),
        ("Diarienummer", meta.diarienummer),
    )
    keywords = tuple(f"{label} {value}" for label, value in labelled if value)
    return msgspec.structs.replace(meta, keywords=(*keywords, PUBLIC_LABEL) if public else keywords)


def _footer(record_id: str, meta: Meta, *, commit: str | None, changed: bool, version: str) -> str:
    stamp = [
        record_id,
        f"version {meta.version}" if meta.version else "",
        (f"ändrad efter commit {commit[:7]}" if changed else f"commit {commit[:7]}") if commit else "ej incheckad",
        f"sb {version}",
    ]
    return " · ".join(s for s in stamp if s)


def _meeting_of(
    record: Record, organisation: Organisation, *, public: bool, extract: int | None, approved: Meeting | None
) -> MeetingView | None:
    if isinstance(record, Protocol | Kallelse):
        return _meeting(record, organisation, public=public, extract=extract, approved=approved)
    if isinstance(record, Paper) and _for_meeting(record):
        return _paper_meeting(record, organisation)
    return None


def _running_header(record: Record, meta: Meta, meeting: MeetingView | None) -> str:
    """On every page after the first: a meeting's forum, heading and date, else the title."""
    if meeting is not None and isinstance(record, Protocol | Kallelse):
        return " ".join(p for p in (meeting.forum_heading, meeting.heading, meeting.date) if p)
    return meta.title


def _for_meeting(record: Record) -> bool:
    """A paper written for one meeting (a föredragning) shows the meeting, not a document header."""
    entry = doctypes.find(record.type)
    return entry is not None and entry.for_meeting


def _header_rows(record: Record, organisation: Organisation, as_of: dt.date) -> tuple[HeaderRow, ...]:
    """The dokumenthuvud: label and value, only for what the document says."""
    if not isinstance(record, Styrdokument | Paper) or _for_meeting(record):
        return ()
    owner = owner_of(record)
    rows: list[tuple[str, object]] = [
        ("Dokumenttyp", doctypes.label(record.type)),
        ("Dokumentnamn", record.title),
        ("Dokumentägare", organisation.name_of(owner) if owner else None),
    ]
    if isinstance(record, Styrdokument):
        rows += [row for part in _STYRDOKUMENT_ROWS for row in part(record, organisation, as_of)]
    else:
        rows += [("Dokumentansvarig", record.author), ("Diarienummer", record.diarienummer), ("Datum", record.date)]
    return tuple(HeaderRow(label=label, value=_s(value)) for label, value in rows if value not in (None, ""))


_Rows = list[tuple[str, object]]


def _decision_rows(record: Styrdokument, organisation: Organisation, as_of: dt.date) -> _Rows:
    decided = record.decided
    return [
        ("Dokumentansvarig", record.contact),
        ("Status", STATUS_LABELS.get(record.status, record.status)),
        ("Beslutad av", organisation.name_of(decided.by) if decided else None),
        ("Beslutsdatum", decided.date if decided else None),
        ("Beslutsparagraf", decided.ref if decided else None),
        ("Giltig från", record.valid_from),
        ("Giltig till", record.valid_until),
        ("Revideras senast", record.review_by),
        ("Version", record.version),
        ("Diarienummer", record.diarienummer),
    ]


def _renewal_rows(record: Styrdokument, organisation: Organisation, as_of: dt.date) -> _Rows:
    schedule = schedule_of(record)
    if schedule is None or not schedule.renewal_months:
        return []
    rows: _Rows = [
        (
            "Uppsägning",
            f"senast {schedule.notice_months} månader före avtalstidens slut; "
            f"förlängs annars med {schedule.renewal_months} månader i taget",
        )
    ]
    facts = status(schedule, as_of)
    if facts.renewed:
        rows.append(("Gäller nu till", facts.effective_end.isoformat()))
    return rows


def _party_rows(record: Styrdokument, organisation: Organisation, as_of: dt.date) -> _Rows:
    if not record.parties:
        return []
    return [("Parter", ", ".join(organisation.name_of(p) for p in record.parties))]


_STYRDOKUMENT_ROWS: tuple[Callable[[Styrdokument, Organisation, dt.date], _Rows], ...] = (
    _decision_rows,
    _renewal_rows,
    _party_rows,
)


def _people(
    people: tuple[Person, ...],
    organisation: Organisation,
    *,
    leave_out: set[int] | None = None,
    chair: str | None = None,
) -> tuple[PersonView, ...]:
    """Each person as listed; with `leave_out` (others), the items they attended, less those withheld;
    with `chair` (those present), the chair's role when the list gives none."""
    return tuple(_person(person, organisation, leave_out, chair) for person in people)


def _person(person: Person, organisation: Organisation, leave_out: set[int] | None, chair: str | None) -> PersonView:
    party = organisation.name_of(person.party) if person.party else None
    description = ", ".join(_s(x) for x in (person.title, party) if x)
    role = _s(person.role) or ("ordförande" if chair and person.name == chair else "")
    items_label = _items_label(person, leave_out)
    return PersonView(
        name=_s(person.name),
        description=description,
        role=role,
        items_label=items_label,
        line=person_line(_s(person.name), description, role, items_label),
    )


def _items_label(person: Person, leave_out: set[int] | None) -> str:
    """ "§64 §65": the items one of the others attended, less those withheld; "" for the rest."""
    if leave_out is None:
        return ""
    return " ".join(f"§{n}" for n in person.items if n not in leave_out)


def person_line(name: str, description: str, role: str = "", items_label: str = "") -> str:
    """ "Name, title, organisation (role) §64": one person's line, the same in every format."""
    who = ", ".join(x for x in (name, description) if x)
    return " ".join(x for x in (who, f"({role})" if role else "", items_label) if x)


def _join_names(names: tuple[str, ...]) -> str:
    cleaned = [_s(n) for n in names if n]
    if not cleaned:
        return ""
    return cleaned[0] if len(cleaned) == 1 else ", ".join(cleaned[:-1]) + " och " + cleaned[-1]


def _time_and_place(day: When | None, start: str | None, end: str | None, place: str) -> tuple[str, str, str]:
    begins, ends = clock(start), clock(end)
    time = f"kl. {begins}–{ends}" if begins and ends else (f"kl. {begins}" if begins else "")
    when = swedish_date(day) if isinstance(day, dt.date) else swedish_day(day) if day else "datum saknas"
    first = " ".join(p for p in (when[0].upper() + when[1:], time) if p)
    return when, time, ", ".join(p for p in (first, place) if p)


class _Sitting(NamedTuple):
    """A meeting's record with what each part of its view shares: forum, style and chosen items."""

    record: Protocol | Kallelse
    organisation: Organisation
    forum: Forum | None
    style: _Style
    chosen: tuple[Item, ...]
    items: tuple[ItemView, ...]
    extract: int | None
    approved: Meeting | None


def _meeting(
    record: Protocol | Kallelse,
    organisation: Organisation,
    *,
    public: bool,
    extract: int | None,
    approved: Meeting | None = None,
) -> MeetingView:
    forum = organisation.forums.get(record.forum)
    numbering = record.numbering or (forum.numbering if forum else "paragraph")
    # A kallelse always shows the kind of each item; a protocol as its forum writes them (SPEC 3.4).
    show_kind = not isinstance(record, Protocol) or (forum is not None and forum.protocol.show_kind)
    style = _Style(numbering, show_kind, _forum_heading(forum, record.forum, record.meeting.when), public)
    chosen = tuple(i for i in record.items if extract is None or i.number == extract)
    items = tuple(_item(item, style) for item in chosen)
    sitting = _Sitting(record, organisation, forum, style, chosen, items, extract, approved)
    fields: dict[str, Any] = {}
    for part in _MEETING_FIELDS:
        fields.update(part(sitting))
    return MeetingView(**fields)


def _when_and_where(s: _Sitting) -> dict[str, Any]:
    record = s.record
    heading = "Protokollsutdrag" if s.extract is not None else doctypes.label(record.type)
    return _meeting_heading(
        record.forum, s.forum, record.meeting, day=record.meeting.when, heading=heading, numbering=s.style.numbering
    )


def _attendance(s: _Sitting) -> dict[str, Any]:
    if not isinstance(s.record, Protocol) or s.record.attendance is None:
        return {"present": (), "absent": (), "others": ()}
    attendance, organisation = s.record.attendance, s.organisation
    withheld = {i.number for i in s.chosen if s.style.public and not i.public}
    return {
        "present": _people(attendance.present or (), organisation, chair=s.record.chair),
        "absent": _people(attendance.absent, organisation),
        "others": _people(attendance.others, organisation, leave_out=withheld),
    }


def _signatures(s: _Sitting) -> dict[str, Any]:
    protocol = s.record
    if not isinstance(protocol, Protocol):
        return _UNSIGNED
    chair = _signer(s, "Ordförande", protocol.chair)
    secretary = _signer(s, "Sekreterare", protocol.secretary)
    adjusters = [_signer(s, "Justerare", a) for a in protocol.adjusters]
    return {
        "chair": chair,
        "secretary": secretary,
        "signatures": tuple(x for x in (chair, secretary, *adjusters) if x),
        "adjusted": _iso(protocol.adjusted_on),
        "adjusted_note": ADJUSTED_UNKNOWN if protocol.adjusted is True else "",
        "approved": approval_words(s.approved) if s.approved is not None and s.extract is None else "",
    }


def approval_words(meeting: Meeting) -> str:
    """ "Godkänt vid sammanträdet den 25 augusti 2023" (a month: "i februari 2024")."""
    when = meeting.when
    if when is None:
        return "Godkänt vid ett senare sammanträde (datum okänt)"
    return f"Godkänt vid sammanträdet {'den' if isinstance(when, dt.date) else 'i'} {swedish_day(when)}"


def _signer(s: _Sitting, role: str, name: str | None) -> Signature | None:
    if name is None:
        return None
    member = next((m for m in reversed(s.forum.members) if m.name == name), None) if s.forum else None
    party = s.organisation.name_of(member.party) if member else None
    description = ", ".join(x for x in (member.title if member else None, party) if x)
    return Signature(role=role, name=_s(name), description=_s(description), line=person_line(_s(name), _s(description)))


def _items(s: _Sitting) -> dict[str, Any]:
    numbers = [i.number for i in s.items]
    return {
        "paragraphs_label": _paragraphs_label(numbers) if s.style.numbering == "paragraph" else "",
        "items": s.items,
        "index": tuple(_index_entry(item, view) for item, view in zip(s.chosen, s.items, strict=True)),
        "distribution": tuple(_s(d) for d in s.record.distribution) if s.extract is None else (),
        "extract": _extract(s.items, s.extract) if s.extract is not None else None,
    }


def _paragraphs_label(numbers: list[int]) -> str:
    if not numbers:
        return ""
    return f"Paragrafer §{numbers[0]}–§{numbers[-1]}" if len(numbers) > 1 else f"Paragraf §{numbers[0]}"


def _extract(items: tuple[ItemView, ...], number: int) -> Extract:
    found = [i for i in items if i.number == number]
    return Extract(
        label=found[0].label if found else str(number),
        certify="Rätt utdraget intygar",
        send_to=found[0].send_to if found else (),
    )


def _kallelse_dates(s: _Sitting) -> dict[str, Any]:
    kallelse = s.record if isinstance(s.record, Kallelse) else None
    return {
        "sent": _iso(kallelse.sent) if kallelse else None,
        "reply_by": _iso(kallelse.reply_by) if kallelse else None,
        "register_by": _iso(kallelse.register_by) if kallelse else None,
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


_MEETING_FIELDS: tuple[Callable[[_Sitting], dict[str, Any]], ...] = (
    _when_and_where,
    _attendance,
    _signatures,
    _items,
    _kallelse_dates,
)


def _forum_heading(forum: Forum | None, forum_id: str, day: When | None) -> str:
    """The text above the document type: the forum's name on the day, else its protocol.heading,
    by default its id (SPEC 3.4)."""
    return _s(forum_heading(forum, day)) if forum else _s(forum_id)


def _paper_meeting(record: Paper, organisation: Organisation) -> MeetingView:
    """A föredragning's meeting: which forum, when and where; no items or attendance."""
    forum_id = record.forum or record.owner or ""
    forum = organisation.forums.get(forum_id)
    day = record.meeting.when if record.meeting else record.date
    heading = _meeting_heading(
        forum_id,
        forum,
        record.meeting or Meeting(),
        day=day,
        heading=doctypes.label(record.type),
        numbering=forum.numbering if forum else "paragraph",
    )
    return MeetingView(**heading, **_NOTHING_HELD)


def _meeting_heading(
    forum_id: str, forum: Forum | None, meeting: Meeting, *, day: When | None, heading: str, numbering: str
) -> dict[str, Any]:
    """Which forum met, when and where: what a protocol, a kallelse and a föredragning show alike."""
    place = _s(meeting.place)
    when, time, time_and_place = _time_and_place(day, meeting.start, meeting.end, place)
    return {
        "forum": _s(forum_id),
        "forum_name": _s(forum_name(forum, day)) if forum else _s(forum_id),
        "forum_heading": _forum_heading(forum, forum_id, day),
        "decision_phrase": _s(decision_phrase(forum, day)) if forum else "Beslut",
        "heading": heading,
        "date": day.isoformat() if day else None,
        "date_long": when,
        "time": time,
        "place": place,
        "time_and_place": time_and_place,
        "numbering": numbering,
    }


# A föredragning's meeting view has none of a sitting's attendance, signatures or items.
# A kallelse's signatures: none, and no justering or approval.
_UNSIGNED: dict[str, Any] = {
    "chair": None,
    "secretary": None,
    "signatures": (),
    "adjusted": None,
    "adjusted_note": "",
    "approved": "",
}
_NOTHING_HELD: dict[str, Any] = {
    "present": (),
    "absent": (),
    "others": (),
    **_UNSIGNED,
    "paragraphs_label": "",
    "items": (),
    "index": (),
    "distribution": (),
    "extract": None,
    "sent": None,
    "reply_by": None,
    "register_by": None,
}


class _Style(NamedTuple):
    """How a meeting's points read: numbering, kind markers, the forum's heading, public version."""

    numbering: str
    show_kind: bool
    forum_heading: str
    public: bool


def _item(item: Item, style: _Style) -> ItemView:
    number = item.number
    paragraph = style.numbering == "paragraph"
    withheld = style.public and not item.public  # its subitems go with it
    return ItemView(
        number=number,
        label=f"§ {number}" if paragraph else f"{number}).",
        index_label=f"§{number}" if paragraph else f"{number}).",
        subitems=() if withheld else tuple(_subitem(s, style) for s in item.subitems),
        **_point(item, style),
    )


def _subitem(subitem: Subitem, style: _Style) -> PointView:
    return PointView(label=f"{_s(subitem.letter)}/", **_point(subitem, style))


def _index_entry(item: Item, view: ItemView) -> IndexEntry:
    title = view.title if view.withheld else _s(item.index_title or item.title)
    return IndexEntry(
        label=view.index_label,
        title=title or view.withheld,
        subitems=tuple(" ".join(p for p in (s.label, s.title or s.withheld) if p) for s in view.subitems),
    )


def _point(point: Item | Subitem, style: _Style) -> dict[str, Any]:
    """What items and subitems show alike; in the public version a withheld point keeps its number,
    its title only with public_title, and the note that stands in for it (SPEC §7)."""
    if style.public and not point.public:
        return _withheld_point(point)
    return _shown_point(point, style)


def _withheld_point(point: Item | Subitem) -> dict[str, Any]:
    title = _s(point.title) if point.public_title else ""
    return {
        **_EMPTY_POINT,
        "title": title,
        "heading": title,
        "public": False,
        "withheld": _s(point.public_note or WITHHELD),
    }


def _shown_point(point: Item | Subitem, style: _Style) -> dict[str, Any]:
    kind_label = f"({point.kind})" if point.kind and style.show_kind else ""
    attachments_label = f"({', '.join(_s(a) for a in point.attachments)})" if point.attachments else ""
    return {
        "title": _s(point.title),
        "heading": point_heading(_s(point.title), kind_label, attachments_label),
        "kind_label": kind_label,
        "attachments_label": attachments_label,
        "presenters_label": f"Föredragande: {_join_names(point.presenters)}" if point.presenters else "",
        "body": parse(point.body),
        "decisions": tuple(_s(d.text) for d in point.decisions),
        "proposed_decisions": tuple(_s(d.text) for d in point.proposed_decisions),
        "send_to": tuple(_s(s) for s in point.send_to),
        "note": _deferral(point, style.forum_heading),
        "public": point.public,
        "withheld": "",
    }


# A title's subtitle follows a dash with a space before it: "UPH – Satsning …", "Lokala samverkansgrupper - …"
# (never the hyphen of "in-och").
_SUBTITLE = re.compile(r"\s[-–—]\s")


def point_heading(title: str, kind_label: str, attachments_label: str) -> str:
    """The title as the sources print it: the kind marker after the title's first part, before a subtitle
    ("UPH (I/D) – Satsning inom äldreområdet", seed 002), the attachments after the whole title ("Uppdrag
    psykisk hälsa - Ny struktur … (PPT)", seed 003)."""
    subtitle = _SUBTITLE.search(title) if kind_label else None
    first, rest = (title[: subtitle.start()], title[subtitle.start() :]) if subtitle else (title, "")
    return " ".join(x for x in (first, kind_label) if x) + rest + (f" {attachments_label}" if attachments_label else "")


_EMPTY_POINT: dict[str, Any] = {
    "kind_label": "",
    "attachments_label": "",
    "presenters_label": "",
    "body": (),
    "decisions": (),
    "proposed_decisions": (),
    "send_to": (),
    "note": "",
}
# Words by which a point's own text already says that it was moved, and where.
_SAYS_MOVED = re.compile(r"\b(flytta|flyttas|flyttad|flyttat|bordl|uppskj|skjuts)", re.IGNORECASE)


def _deferral(point: Item | Subitem, forum_heading: str) -> str:
    """Where a deferred point went, unless its text already says so."""
    day = point.deferred_to
    if day is None or _SAYS_MOVED.search(point.body) or _SAYS_MOVED.search(point.title):
        return ""
    return f"Flyttas till {genitive(forum_heading)} sammanträde den {swedish_day(day)}"


def genitive(name: str) -> str:
    """ "LSVO:s", "Beredningsgruppens", "Samverkansgrupp Äldres"; a name ending in s, x or z takes none."""
    if not name:
        return "nästa"
    if name.isupper() or name[-1].isdigit():
        return f"{name}:s"
    return name if name[-1].lower() in "sxz" else f"{name}s"


def swedish_day(day: When) -> str:
    """ "25 augusti 2023"; a month alone "februari 2024" (never a day sb does not know)."""
    from babel.dates import format_date

    if isinstance(day, YearMonth):
        return f"{format_date(day.first_day, 'MMMM', locale='sv_SE')} {day.year}"
    return f"{day.day} {format_date(day, 'MMMM', locale='sv_SE')} {day.year}"


def _wheel(record: Arshjul, organisation: Organisation, as_of: dt.date) -> WheelView:
    from babel.dates import get_month_names

    months = tuple(name.capitalize() for _, name in sorted(get_month_names("wide", locale="sv_SE").items()))

    def event(month: int | None, title: str, forum_id: str | None) -> WheelEvent:
        forum = organisation.name_of(forum_id) if forum_id else ""
        known = organisation.forums.get(forum_id or "")
        names = (forum, *(known_names(known)[1:] if known else ()))  # any name but the bare id
        named = not forum or any(name in title for name in names)
        named = named or re.search(rf"\b{re.escape(forum_id or '')}\b", title) is not None
        label = title if named else f"{title} ({forum})"
        month_name = months[month - 1] if month else ""
        return WheelEvent(month=month, month_name=month_name, title=title, forum=forum, label=label)

    events = tuple(event(e.month, _s(e.title), e.forum) for e in record.events)
    return WheelView(
        year=record.year or as_of.year,
        months=months,
        events=events,
        placed=tuple(sorted((e for e in events if e.month), key=lambda e: e.month or 0)),
        unplaced=tuple(e for e in events if e.month is None),
    )
