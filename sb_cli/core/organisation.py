"""The organisation registry (documents/organisation.yaml) as typed records."""

from __future__ import annotations

from typing import Any

from sb_cli.core.records import Forum, Organisation, Party, RecordError, to_organisation_entry


def organisation_from(data: Any) -> Organisation:
    """Every party and forum that can be read. A broken entry is left out (its SB002 finding says
    why), except that a forum with a readable id and name stays known, without its settings, so
    that the documents naming it are not reported as dangling too."""
    if not isinstance(data, dict):
        return Organisation()
    parties: dict[str, Party] = {}
    for entry in _entries(data.get("parties")):
        try:
            party = to_organisation_entry(entry, Party)
        except RecordError:
            continue
        if isinstance(party, Party):
            parties.setdefault(party.id, party)
    forums: dict[str, Forum] = {}
    for entry in _entries(data.get("forums")):
        try:
            read: Party | Forum | None = to_organisation_entry(entry, Forum)
        except RecordError:
            read = _bare_forum(entry)
        if isinstance(read, Forum):
            forums.setdefault(read.id, read)
    return Organisation(parties=parties, forums=forums)


def _entries(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _bare_forum(entry: Any) -> Forum | None:
    if not isinstance(entry, dict):
        return None
    try:
        found = to_organisation_entry({"id": entry.get("id"), "name": entry.get("name", entry.get("id"))}, Forum)
    except RecordError:
        return None
    return found if isinstance(found, Forum) else None
