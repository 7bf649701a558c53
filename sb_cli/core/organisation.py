"""The organisation registry (documents/organisation.yaml) as records."""

from __future__ import annotations

from typing import Any

from sb_cli.core.model import Forum, Member, Organisation, Party, parse_date


def organisation_from(data: Any) -> Organisation:
    """Tolerant of bad entries: the schema reports them, this keeps what is usable."""
    if not isinstance(data, dict):
        return Organisation()
    parties = {
        p["id"]: Party(p["id"], str(p.get("name", p["id"])), str(p.get("kind", "")))
        for p in _entries(data.get("parties"))
    }
    forums = {f["id"]: _forum(f) for f in _entries(data.get("forums"))}
    return Organisation(parties, forums)


def _entries(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [e for e in value if isinstance(e, dict) and isinstance(e.get("id"), str)]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _forum(raw: dict[str, Any]) -> Forum:
    meetings = raw.get("meetings_per_year") if isinstance(raw.get("meetings_per_year"), dict) else {}
    quorum = raw.get("quorum") if isinstance(raw.get("quorum"), dict) else {}
    members = tuple(
        Member(
            name=m["name"],
            party=str(m.get("party", "")),
            title=m.get("title"),
            role=m.get("role"),
            votes=m.get("votes", True) is not False,
            valid_from=parse_date(m.get("from")),
            valid_until=parse_date(m.get("until")),
        )
        for m in (raw.get("members") or [])
        if isinstance(m, dict) and isinstance(m.get("name"), str)
    )
    aliases = raw.get("aliases") if isinstance(raw.get("aliases"), list) else []
    standing = raw.get("standing_items") if isinstance(raw.get("standing_items"), list) else []
    return Forum(
        id=raw["id"],
        name=str(raw.get("name", raw["id"])),
        aliases=tuple(a for a in aliases if isinstance(a, str)),
        decision_phrase=raw.get("decision_phrase") if isinstance(raw.get("decision_phrase"), str) else None,
        numbering="list" if raw.get("numbering") == "list" else "paragraph",
        agenda_notice_days=_int(raw.get("agenda_notice_days")),
        meetings_min=_int(meetings.get("min")),
        meetings_max=_int(meetings.get("max")),
        quorum_per=quorum.get("per") if quorum.get("per") in ("kind", "party") else None,
        members=members,
        standing_items=tuple(s for s in standing if isinstance(s, dict)),
    )
