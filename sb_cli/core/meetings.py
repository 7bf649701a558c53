"""Facts about meetings: names in attendance, rosters and quorum (SPEC §3.4–3.5, §4)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sb_cli.core.records import Forum, Organisation

_SPACES = re.compile(r"[\s\-‐–]+")


def name_key(name: str) -> str:
    """Names compare without case and treat hyphens as spaces ("Skaar-Magnusson" = "Skaar Magnusson")."""
    return _SPACES.sub(" ", name).strip().casefold()


@dataclass(frozen=True, slots=True)
class QuorumGroup:
    label: str  # "kommun", "region", or a party name
    voting: int
    present: int

    @property
    def met(self) -> bool:
        return self.present * 2 > self.voting


def quorum(forum: Forum, organisation: Organisation, day: dt.date, present: set[str]) -> list[QuorumGroup]:
    """Per kind (or party): voting members on the roster that day, and how many were present."""
    groups: dict[str, list[bool]] = {}
    per_party = forum.quorum is not None and forum.quorum.per == "party"
    for member in forum.roster(day):
        if not member.votes:
            continue
        party = organisation.parties.get(member.party)
        if per_party:
            label = party.name if party else member.party
        else:
            label = party.kind if party else member.party
        groups.setdefault(label, []).append(name_key(member.name) in present)
    return [QuorumGroup(label, len(flags), sum(flags)) for label, flags in sorted(groups.items())]
