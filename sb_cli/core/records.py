"""Typed records of the document model (SPEC §3), built once per document from schema-valid data.

The JSON Schemas in schemas/ say what a user may write and explain every mistake (SB002). These
frozen records are what every rule, report and view reads afterwards. Their constraints repeat only
what code relies on (item numbers, months, clock times, bounded month counts), so a repository
that loosens its own schemas still cannot hand the rest of sb a value it would trip over.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct, field

from sb_cli.core.model import ID_PATTERN, Path_
from sb_cli.core.words import shown

Ident = Annotated[str, Meta(pattern=f"^{ID_PATTERN}$")]
Number = Annotated[int, Meta(ge=1, le=1_000_000)]
Months = Annotated[int, Meta(ge=0, le=1200)]
Month = Annotated[int, Meta(ge=1, le=12)]
Clock = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Letter = Annotated[str, Meta(pattern=r"^[a-z]$")]
Kind = Annotated[str, Meta(pattern=r"^[BID](/[BID])*$")]
Count = Annotated[int, Meta(ge=0, le=100_000)]
Year = Annotated[int, Meta(ge=1900, le=2999)]


class Part(Struct, frozen=True, kw_only=True):
    """Base of every record: frozen, keyword-only."""


# --- meetings -----------------------------------------------------------------------------------


class Person(Part, frozen=True, kw_only=True):
    name: str
    title: str | None = None
    party: Ident | None = None
    role: str | None = None
    items: tuple[Number, ...] = ()  # for others: the items they attended


class Attendance(Part, frozen=True, kw_only=True):
    present: tuple[Person, ...] | None = None  # None: the protocol has no attendance list
    absent: tuple[Person, ...] = ()
    others: tuple[Person, ...] = ()


class Decision(Part, frozen=True, kw_only=True):
    text: str
    responsible: str | None = None
    due: dt.date | None = None


class _Point(Part, frozen=True, kw_only=True):
    """What items and subitems share."""

    title: str
    kind: Kind | None = None
    presenters: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    body: str = ""
    decisions: tuple[Decision, ...] = ()
    proposed_decisions: tuple[Decision, ...] = ()
    send_to: tuple[str, ...] = ()
    deferred_to: dt.date | None = None
    follows_up: str | None = None
    public: bool = True
    public_note: str | None = None  # shown in the public version in place of the point
    public_title: bool = False  # the public version keeps the title

    @property
    def decides(self) -> bool:
        return self.kind is not None and "B" in self.kind.split("/")


class Subitem(_Point, frozen=True, kw_only=True):
    letter: Letter


class Item(_Point, frozen=True, kw_only=True):
    """A protocol's or kallelse's item (§ or numbered point); it may hold subitems a/, b/ …"""

    number: Number
    index_title: str | None = None  # the ärendeförteckning's name for it, where it differs
    subitems: tuple[Subitem, ...] = ()


class YearMonth(Part, frozen=True, kw_only=True):
    """A month, for a meeting whose day the source does not give (`date: 2024-02`, SPEC §3.5).

    It answers `year` and `isoformat()` as a date does, so a meeting's year and its URL read the
    same for both; it is never turned into a day."""

    year: Year
    month: Month

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def days(self) -> tuple[dt.date, ...]:
        """Every day of the month: the days the meeting may have been held."""
        first = self.first_day
        return tuple(first + dt.timedelta(days=n) for n in range(self.last_day.day))

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


When = dt.date | YearMonth  # a meeting's day, or only its month


class Meeting(Part, frozen=True, kw_only=True):
    date: dt.date | None = None  # the day; None when the source gives no day
    month: YearMonth | None = None  # written `date: YYYY-MM`: the source gives the month, not the day
    start: Clock | None = None
    end: Clock | None = None
    place: str | None = None

    @property
    def when(self) -> When | None:
        """The day, else the month, else None: as much as the source says."""
        return self.date or self.month


Numbering = Literal["paragraph", "list"]


class Record(Part, frozen=True, kw_only=True):
    id: Ident
    type: str
    title: str
    diarienummer: str | None = None
    tags: tuple[str, ...] = ()


class Protocol(Record, frozen=True, kw_only=True):
    forum: Ident
    meeting: Meeting
    numbering: Numbering
    items: tuple[Item, ...]
    attendance: Attendance = Attendance()
    chair: str | None = None
    secretary: str | None = None
    adjusters: tuple[str, ...] = ()
    adjusted: dt.date | Literal[True] | None = None  # True: justerat, on a day the source does not give
    announced: dt.date | None = None  # anslaget: the day the justering was posted on the notice board
    distribution: tuple[str, ...] = ()

    @property
    def is_adjusted(self) -> bool:
        """Justerat, whether or not the day is known; a draft until then (SPEC §3.5)."""
        return self.adjusted is not None

    @property
    def adjusted_on(self) -> dt.date | None:
        """The day it was justerat, when known."""
        return self.adjusted if isinstance(self.adjusted, dt.date) else None

    def adjusted_by(self, day: dt.date) -> bool:
        """Justerat on or before `day`; one justerat on a day the source does not give is justerat
        by any day after."""
        return self.adjusted is True or (self.adjusted is not None and self.adjusted <= day)


class Kallelse(Record, frozen=True, kw_only=True):
    forum: Ident
    meeting: Meeting
    items: tuple[Item, ...]
    numbering: Numbering | None = None
    sent: dt.date | None = None
    reply_by: dt.date | None = None
    register_by: dt.date | None = None
    distribution: tuple[str, ...] = ()


class Paper(Record, frozen=True, kw_only=True):
    """foredragning, tjansteskrivelse and arsrapport: Markdown papers for a forum (SPEC §3.7)."""

    forum: Ident | None = None
    owner: Ident | None = None
    date: dt.date | None = None
    meeting: Meeting | None = None
    presenters: tuple[str, ...] = ()
    author: str | None = None
    proposed_decisions: tuple[Decision, ...] = ()
    year: Year | None = None
    body: str = ""


# --- styrdokument -------------------------------------------------------------------------------


class Decided(Part, frozen=True, kw_only=True):
    by: Ident
    date: dt.date | None = None
    ref: str | None = None


class Term(Part, frozen=True, kw_only=True):
    notice_months: Months | None = None
    renewal_months: Annotated[int, Meta(ge=1, le=1200)] | None = None


class Terminated(Part, frozen=True, kw_only=True):
    date: dt.date
    by: Ident


class Adoption(Part, frozen=True, kw_only=True):
    party: Ident
    date: dt.date
    by: str | None = None
    diarienummer: str | None = None


class FollowUp(Part, frozen=True, kw_only=True):
    every_months: Annotated[int, Meta(ge=1, le=1200)]
    by: tuple[Ident, ...] = ()


class FollowedUp(Part, frozen=True, kw_only=True):
    date: dt.date
    by: Ident | None = None
    ref: str | None = None


class Correction(Part, frozen=True, kw_only=True):
    """A correction of the transcription of a decided document: its text made to match the source,
    the decision unchanged (SB040 lets the text change only together with a new one)."""

    date: dt.date
    note: str
    source: str


Status = Literal["utkast", "remiss", "beslutad", "upphavd"]


class Styrdokument(Record, frozen=True, kw_only=True):
    owner: Ident
    status: Status
    version: str
    contact: str | None = None
    parties: tuple[Ident, ...] = ()
    decided: Decided | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    review_by: dt.date | None = None
    term: Term | None = None
    terminated: Terminated | None = None
    adopted: tuple[Adoption, ...] = ()
    supersedes: tuple[Ident, ...] = ()
    superseded_by: tuple[Ident, ...] = ()
    follow_up: FollowUp | None = None
    followed_up: tuple[FollowedUp, ...] = ()
    target_groups: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    body: str = ""


Duty = Literal["verksamhetsplan", "handlingsplan", "arsrapport", "uppfoljning", "moten"]


class ArshjulEvent(Part, frozen=True, kw_only=True):
    title: str
    month: Month | None = None
    forum: Ident | None = None
    duty: Duty | None = None
    document: Ident | None = None
    source: str | None = None
    date: dt.date | None = None
    description: str | None = None


class Arshjul(Styrdokument, frozen=True, kw_only=True):
    year: Year | None = None
    events: tuple[ArshjulEvent, ...] = ()


# --- the organisation registry ------------------------------------------------------------------


class Party(Part, frozen=True, kw_only=True):
    id: Ident
    name: str
    kind: Literal["region", "kommun"]
    valid_from: dt.date | None = field(default=None, name="from")
    valid_until: dt.date | None = field(default=None, name="until")


class Member(Part, frozen=True, kw_only=True):
    name: str
    party: Ident
    title: str | None = None
    role: str | None = None
    votes: bool = True
    valid_from: dt.date | None = field(default=None, name="from")
    valid_until: dt.date | None = field(default=None, name="until")

    def serves_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class StandingItem(Part, frozen=True, kw_only=True):
    title: str
    kind: Kind | None = None
    position: Literal["start", "end"] = "start"


class MeetingsPerYear(Part, frozen=True, kw_only=True):
    min: Count | None = None
    max: Count | None = None


class Quorum(Part, frozen=True, kw_only=True):
    per: Literal["kind", "party"]


class ProtocolStyle(Part, frozen=True, kw_only=True):
    """How a forum's protocols read (SPEC 3.4): the heading and whether kinds show as "(B)"."""

    heading: str | None = None
    show_kind: bool = False


class ForumName(Part, frozen=True, kw_only=True):
    """One of a forum's names, with the days it held it where a source shows them (SPEC 3.4)."""

    name: str
    valid_from: dt.date | None = field(default=None, name="from")
    valid_until: dt.date | None = field(default=None, name="until")


class Forum(Part, frozen=True, kw_only=True):
    id: Ident
    name: str  # the name it has now
    names: tuple[ForumName, ...] = ()  # earlier and later names, oldest first
    aliases: tuple[str, ...] = ()  # other names it goes by ("att åldras"), never shown
    level: str | None = None
    decision_phrase: str | None = None
    numbering: Numbering = "paragraph"
    protocol: ProtocolStyle = ProtocolStyle()
    meetings_per_year: MeetingsPerYear = MeetingsPerYear()
    agenda_notice_days: Count | None = None
    quorum: Quorum | None = None
    standing_items: tuple[StandingItem, ...] = ()
    members: tuple[Member, ...] = ()
    announce: bool = False  # a nämnd: its justerade protocols are posted on the notice board (anslag)

    def roster(self, day: dt.date) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.serves_on(day))

    @property
    def phrase(self) -> str:
        return self.decision_phrase or f"{self.name} beslutar"


class Organisation(Part, frozen=True, kw_only=True):
    parties: dict[str, Party] = {}
    forums: dict[str, Forum] = {}

    def knows(self, ident: str) -> bool:
        return ident in self.parties or ident in self.forums

    def name_of(self, ident: str) -> str:
        """The forum's or party's name, or the id itself when neither is registered."""
        known = self.forums.get(ident) or self.parties.get(ident)
        return known.name if known else ident


# --- building records ---------------------------------------------------------------------------


class RecordError(ValueError):
    """Data that its schema let through but the model cannot take (a repository's own schemas may
    be looser than sb's): a Swedish message and the key path it concerns."""

    def __init__(self, message: str, path: Path_) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def to_record(data: dict[str, Any], body: str | None = None) -> Record:
    """The typed record of one document's data; a Markdown `body` stands in for a `body` key."""
    from sb_cli.core.doctypes import find  # the table imports this module

    entry = find(data.get("type"))
    if entry is None:
        raise RecordError(f"okänd dokumenttyp {shown(data.get('type'))}", ("type",))
    kind = entry.record
    expanded = _expand(data)
    if body is not None and kind is not Protocol and kind is not Kallelse:
        expanded["body"] = body
    try:
        return msgspec.convert(expanded, kind)
    except msgspec.ValidationError as error:
        raise swedish(error) from None


def to_organisation_entry(data: Any, kind: type[Party] | type[Forum]) -> Party | Forum:
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as error:
        raise swedish(error) from None


def to_forum_name(data: Any) -> ForumName:
    try:
        return msgspec.convert(data, ForumName)
    except msgspec.ValidationError as error:
        raise swedish(error) from None


def _expand(data: dict[str, Any]) -> dict[str, Any]:
    """Short forms written out: a person as a name alone, a decision as its text alone, one
    superseded id instead of a list. The schemas allow both forms; the records hold one."""
    out = dict(data)
    meeting = out.get("meeting")
    if isinstance(meeting, dict):
        out["meeting"] = _expanded_meeting(meeting)
    attendance = out.get("attendance")
    if isinstance(attendance, dict):
        out["attendance"] = {
            group: [{"name": p} if isinstance(p, str) else p for p in people] if isinstance(people, list) else people
            for group, people in attendance.items()
        }
    for key in ("supersedes", "superseded_by"):
        if isinstance(out.get(key), str):
            out[key] = [out[key]]
    _expand_decisions(out)
    items = out.get("items")
    if isinstance(items, list):
        out["items"] = [_expanded_item(item) for item in items]
    return out


_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])")


def _expanded_meeting(meeting: dict[str, Any]) -> dict[str, Any]:
    """`date: 2024-02` is the month of a meeting whose day is unknown: held as `month`, never as a day."""
    written = meeting.get("date")
    if not isinstance(written, str) or (match := _MONTH.fullmatch(written)) is None:
        return meeting
    out = {key: value for key, value in meeting.items() if key != "date"}
    out["month"] = {"year": int(match["year"]), "month": int(match["month"])}
    return out


def _expanded_item(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    item = dict(item)
    _expand_decisions(item)
    subitems = item.get("subitems")
    if isinstance(subitems, list):
        item["subitems"] = [_expanded_item(sub) for sub in subitems]
    return item


def _expand_decisions(holder: dict[str, Any]) -> None:
    for key in ("decisions", "proposed_decisions"):
        value = holder.get(key)
        if isinstance(value, list):
            holder[key] = [{"text": d} if isinstance(d, str) else d for d in value]


_AT = re.compile(r" - at `\$([^`]*+)`$")  # no backtick in the path: each " - at" is scanned once
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_TYPES = {
    "int": "heltal",
    "float": "decimaltal",
    "str": "text",
    "bool": "sant eller falskt",
    "object": "mappning",
    "array": "lista",
    "null": "tomt",
    "date": "ett datum (ÅÅÅÅ-MM-DD)",
}


def swedish(error: msgspec.ValidationError) -> RecordError:
    """A msgspec validation error in Swedish, with the key path it concerns."""
    text = str(error)
    where = _AT.search(text)
    path: Path_ = ()
    if where:
        text = text[: where.start()]
        path = tuple(name if name else int(index) for name, index in _STEP.findall(where.group(1)))
    message = _translate(text)
    return RecordError(message, path)


def _translate(text: str) -> str:
    if match := re.fullmatch(r"Object missing required field `(.+)`", text):
        return f"'{match.group(1)}' saknas"
    if match := re.fullmatch(r"Object contains unknown field `(.+)`", text):
        return f"okänd nyckel '{match.group(1)}'"
    if match := re.fullmatch(r"Expected `(\w+)` (>=|<=) (-?\d+)", text):
        return f"talet ska vara {'minst' if match.group(2) == '>=' else 'högst'} {match.group(3)}"
    if match := re.fullmatch(r"Expected `(\w+)( \| null)?`, got `(\w+)`", text):
        wanted, got = match.group(1), match.group(3)
        return f"värdet ska vara {_TYPES.get(wanted, wanted)}, inte {_TYPES.get(got, got)}"
    if text.startswith("Expected `str` matching regex"):
        return "värdet har fel form"
    if text.startswith("Invalid RFC3339 encoded date"):
        return "värdet är inget giltigt datum (ÅÅÅÅ-MM-DD)"
    if text.startswith("Invalid enum value"):
        return f"värdet {text.removeprefix('Invalid enum value ')} är inte tillåtet"
    return "värdet kan inte tolkas"
