"""The posting of a justering on the notice board (anslag), for a forum that is a nämnd.

Kommunallagen (2017:725) 8 kap.: the justering is announced on the web notice board no later than the
second day after it, and the announcement stays up until the time to appeal has run out; 13 kap. 5 §:
an appeal must come in within three weeks from the day the announcement was posted. The README gives
the sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sb_cli.core.records import Forum, Protocol

POSTING_DAYS = 2  # "senast andra dagen efter justeringen"
APPEAL_WEEKS = 3  # 13 kap. 5 §


def latest_posting(adjusted: dt.date) -> dt.date:
    """The last day the justering may be announced on."""
    return adjusted + dt.timedelta(days=POSTING_DAYS)


def appeal_ends(posted: dt.date) -> dt.date:
    """The last day of the appeal period: three weeks from the day of posting."""
    return posted + dt.timedelta(weeks=APPEAL_WEEKS)


def taken_down(posted: dt.date) -> dt.date:
    """The first day the posting may be taken down: the day after the appeal period ran out."""
    return appeal_ends(posted) + dt.timedelta(days=1)


@dataclass(frozen=True)
class Posting:
    """One justering on the notice board."""

    adjusted: dt.date | None  # None: justerat on a day the source does not give
    posted: dt.date

    @property
    def appeal_ends(self) -> dt.date:
        return appeal_ends(self.posted)

    @property
    def taken_down(self) -> dt.date:
        return taken_down(self.posted)

    def is_current(self, as_of: dt.date) -> bool:
        """On the board on `as_of`: posted, and not yet due to be taken down."""
        return self.posted <= as_of < self.taken_down


def posting(protocol: Protocol, forum: Forum | None) -> Posting | None:
    """The protocol's posting: for a justerat protocol of a forum that announces, with its posting day."""
    if forum is None or not forum.announce or not protocol.is_adjusted or protocol.announced is None:
        return None
    return Posting(protocol.adjusted_on, protocol.announced)


def late_posting(protocol: Protocol, forum: Forum | None, as_of: dt.date) -> tuple[str, str] | None:
    """Why the posting of a justerat protocol of an announcing forum is late or wrong on `as_of`
    (a Swedish sentence, and the key it concerns), or None. A protocol justerat on a day the source does not give has no
    deadline to miss; a posting day set without a justering is wrong whatever the forum."""
    announced = protocol.announced
    if not protocol.is_adjusted:
        return (f"protokollet är inte justerat men anslogs {announced}", "announced") if announced else None
    adjusted = protocol.adjusted_on
    if forum is None or not forum.announce or adjusted is None or adjusted > as_of:
        return None
    deadline = latest_posting(adjusted)
    if announced is None:
        if as_of > deadline:
            return f"justeringen {adjusted} är inte anslagen; den skulle ha anslagits senast {deadline}", "adjusted"
        return None
    if announced < adjusted:
        return f"anslaget {announced} ligger före justeringen {adjusted}", "announced"
    if announced > deadline:
        return f"justeringen {adjusted} anslogs {announced}, efter {deadline} (senast andra dagen efter)", "announced"
    return None
