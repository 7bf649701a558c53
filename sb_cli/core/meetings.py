"""Facts about meetings: when they were held, names in attendance, rosters and quorum (SPEC §3.4–3.5, §4).

A meeting's date may be a month only (`date: 2024-02`): then it was held on one of that month's
days, and nothing here picks one. It sorts after every meeting with a known day in the same month
(`meeting_order`): it cannot be shown to come before any of them, and so each dated meeting stays
where its own date puts it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sb_cli.core.model import Corpus, Document
from sb_cli.core.records import Forum, Meeting, Member, Organisation, Protocol, When, YearMonth
from sb_cli.core.refs import iter_items, parse_reference

_SPACES = re.compile(r"[\s\-‐–]+")


def name_key(name: str) -> str:
    """Names compare without case and treat hyphens as spaces ("Skaar-Magnusson" = "Skaar Magnusson")."""
    return _SPACES.sub(" ", name).strip().casefold()


def earliest_day(when: When) -> dt.date:
    """The first day the meeting may have been held on."""
    return when.first_day if isinstance(when, YearMonth) else when


def latest_day(when: When) -> dt.date:
    """The last day the meeting may have been held on."""
    return when.last_day if isinstance(when, YearMonth) else when


def meeting_order(meeting: Meeting) -> tuple[dt.date, int]:
    """Sort key: by day; a month after every known day of that month; no date at all first."""
    return when_order(meeting.when) if meeting.when is not None else (dt.date.min, 0)


def when_order(when: When) -> tuple[dt.date, int]:
    """Sort key of a day or a month: a month after every day of it, before the next month."""
    return (latest_day(when), 1 if isinstance(when, YearMonth) else 0)


def roster_during(forum: Forum, when: When) -> tuple[Member, ...] | None:
    """The forum's roster on the meeting's day; for a month, the roster only if it is the same on
    every day of it (else None: who was a member that day is not known)."""
    if isinstance(when, dt.date):
        return forum.roster(when)
    rosters = {forum.roster(day) for day in when.days()}
    return rosters.pop() if len(rosters) == 1 else None


@dataclass(frozen=True, slots=True)
class QuorumGroup:
    label: str  # "kommun", "region", or a party name
    voting: int
    present: int

    @property
    def met(self) -> bool:
        return self.present * 2 > self.voting


def quorum(forum: Forum, organisation: Organisation, day: When, present: set[str]) -> list[QuorumGroup]:
    """Per kind (or party): voting members on the roster that day, and how many were present; none
    for a month in which the roster changed (the day, and so the roster, is unknown)."""
    groups: dict[str, list[bool]] = {}
    per_party = forum.quorum is not None and forum.quorum.per == "party"
    for member in roster_during(forum, day) or ():
        if not member.votes:
            continue
        party = organisation.parties.get(member.party)
        if per_party:
            label = party.name if party else member.party
        else:
            label = party.kind if party else member.party
        groups.setdefault(label, []).append(name_key(member.name) in present)
    return [QuorumGroup(label, len(flags), sum(flags)) for label, flags in sorted(groups.items())]


def approved_at(corpus: Corpus, protocol: Protocol, as_of: dt.date) -> Document[Protocol] | None:
    """The protocol of the meeting at which `protocol` was approved (`approvals`)."""
    return approvals(corpus, as_of).get((protocol.forum, protocol.id))


def approvals(corpus: Corpus, as_of: dt.date) -> dict[tuple[str, str], Document[Protocol]]:
    """The protocol of the meeting at which each protocol was approved (godkänt), by the approved
    one's forum and id: a protocol of the same forum, justerat by `as_of`, with an item that follows
    up the other as a whole (seed 003 § 62, "Föregående sammanträdesprotokoll"). A draft approves
    nothing yet; the earliest such meeting wins. Worked out for all at once: a site has thousands."""
    found: dict[tuple[str, str], Document[Protocol]] = {}
    for other in sorted(corpus.protocols(), key=lambda d: (meeting_order(d.record.meeting), d.path)):
        if other.record.adjusted_by(as_of):
            for target in _followed_up_whole(other.record):
                if target != other.record.id:
                    found.setdefault((other.record.forum, target), other)
    return found


def _followed_up_whole(protocol: Protocol) -> set[str]:
    """The ids of the protocols that an item of `protocol` follows up as a whole (no §)."""
    references = (parse_reference(point.point.follows_up or "") for point in iter_items(protocol))
    return {reference.document for reference in references if reference is not None and reference.number is None}


def signed_pdf_of(relpath: str) -> str:
    """Where the signed PDF of the protocol at `relpath` lies: beside it, with the same name (where
    sb finalize puts it)."""
    return relpath.rpartition(".")[0] + ".pdf"
