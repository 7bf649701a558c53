"""`sb announce`: the day a justering was posted on the notice board, written into the protocol,
after checking that the posting may be made that day (kommunallagen 8 kap., see core/announce.py)."""

from __future__ import annotations

import datetime as dt

from sb_cli.core.announce import latest_posting
from sb_cli.core.model import Document
from sb_cli.core.records import Protocol
from sb_cli.corpus import Loaded
from sb_cli.errors import Refused, UsageError
from sb_cli.io.repo import Settings


def announceable(loaded: Loaded, rel: str, day: dt.date, as_of: dt.date, *, shown: str = "") -> Document[Protocol]:
    """The protocol in the file `rel`, when its justering may be posted on `day`: a justerat protocol
    of a forum that announces, not posted yet, and the day neither before the justering nor after
    `as_of`. `shown`: the file as the user named it, for the messages."""
    shown = shown or rel
    if day > as_of:
        raise UsageError(
            f"anslagsdagen {day} ligger efter {as_of}: ett anslag registreras när det är gjort",
            hint="ange dagen då justeringen tillkännagavs på anslagstavlan",
        )
    found = [d for d in loaded.corpus.protocols() if d.path == rel]
    if not found:
        problems = [p for p in loaded.problems if p.path == rel]
        if problems:
            raise Refused(problems, f"{shown} kan inte läsas: rätta felen först")
        raise UsageError(f"{shown} är inget protokoll")
    document = found[0]
    record = document.record
    forum = loaded.corpus.organisation.forums.get(record.forum)
    if forum is None or not forum.announce:
        raise UsageError(
            f"forumet {record.forum} anslår inte sina protokoll",
            hint="en nämnd får announce: true i organisation.yaml; ett samverkansforum anslår inte",
        )
    if not record.adjusted_by(as_of):
        raise UsageError(f"{shown} är inte justerat", hint="justera det först med sb adjust")
    adjusted = record.adjusted_on
    if adjusted is not None and day < adjusted:
        raise UsageError(f"anslagsdagen {day} ligger före justeringen {adjusted}")
    if record.announced is not None:
        raise UsageError(f"{shown} anslogs redan {record.announced}", hint="anslagsdagen ändras inte i efterhand")
    return document


def announce(settings: Settings, loaded: Loaded, rel: str, day: dt.date, as_of: dt.date, *, shown: str = "") -> str:
    """Write `announced: DAY` after the protocol's `adjusted`, nothing else changed; a warning (or "")
    when the day is later than the law allows."""
    from sb_cli.io.yamlwrite import add_key

    record = announceable(loaded, rel, day, as_of, shown=shown).record
    add_key(settings.root / rel, "announced", day.isoformat(), after="adjusted")
    adjusted = record.adjusted_on
    if adjusted is not None and day > latest_posting(adjusted):
        return f"anslaget {day} är senare än andra dagen efter justeringen {adjusted} (SB028)"
    return ""
