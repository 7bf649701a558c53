"""The facts of a protocol or kallelse as sets of tuples, so that an imported draft can be compared
with the hand-made corpus document kind by kind: how many of the expected facts were found
(recall), and how many of those found were expected (precision)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

Facts = dict[str, set[tuple[Any, ...]]]
KINDS = (
    "meeting",
    "notice",
    "items",
    "subitems",
    "decisions",
    "presenters",
    "attachments",
    "deferrals",
    "send_to",
    "distribution",
    "present",
    "absent",
    "others",
)


def text(value: Any) -> str:
    """ISO text for a date that yaml.safe_load made a date; whitespace normalised otherwise."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _name(person: Any) -> str:
    return text(person["name"] if isinstance(person, dict) else person)


def _points(data: dict[str, Any]) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(number, letter or "", point) for every item and subitem."""
    for item in data.get("items") or []:
        yield item["number"], "", item
        for sub in item.get("subitems") or []:
            yield item["number"], sub["letter"], sub


def facts(data: dict[str, Any]) -> Facts:
    found: Facts = {kind: set() for kind in KINDS}
    meeting = data.get("meeting") or {}
    found["meeting"] = {(key, text(meeting[key])) for key in ("date", "start", "end", "place") if meeting.get(key)}
    found["notice"] = {(key, text(data[key])) for key in ("sent", "reply_by", "register_by") if data.get(key)}
    for item in data.get("items") or []:
        found["items"].add((item["number"], text(item["title"]), item.get("kind") or ""))
        for sub in item.get("subitems") or []:
            found["subitems"].add((item["number"], sub["letter"], text(sub["title"])))
    for number, letter, point in _points(data):
        for key in ("decisions", "proposed_decisions"):
            for decision in point.get(key) or []:
                said = decision["text"] if isinstance(decision, dict) else decision
                found["decisions"].add((number, letter, text(said)))
        found["presenters"] |= {(number, letter, text(n)) for n in point.get("presenters") or []}
        found["attachments"] |= {(number, letter, text(a)) for a in point.get("attachments") or []}
        found["send_to"] |= {(number, letter, text(n)) for n in point.get("send_to") or []}
        if point.get("deferred_to"):
            found["deferrals"].add((number, letter, text(point["deferred_to"])))
    found["distribution"] = {(text(n),) for n in data.get("distribution") or []}
    attendance = data.get("attendance") or {}
    found["present"] = {(_name(p),) for p in attendance.get("present") or []}
    found["absent"] = {(_name(p),) for p in attendance.get("absent") or []}
    found["others"] = {
        (_name(p), tuple(p.get("items") or ()) if isinstance(p, dict) else ()) for p in attendance.get("others") or []
    }
    return found


def score(expected: Facts, got: Facts) -> dict[str, tuple[float, float]]:
    """(recall, precision) per kind; a kind with nothing expected has full recall, one with nothing
    found full precision."""
    scores: dict[str, tuple[float, float]] = {}
    for kind in KINDS:
        want, have = expected.get(kind, set()), got.get(kind, set())
        hits = len(want & have)
        scores[kind] = (hits / len(want) if want else 1.0, hits / len(have) if have else 1.0)
    return scores


def table(name: str, expected: Facts, got: Facts) -> str:
    """The scores as a table to print, with the counts behind them."""
    lines = [f"{name}: kind, expected, found, recall, precision"]
    for kind, (recall, precision) in score(expected, got).items():
        want, have = expected.get(kind, set()), got.get(kind, set())
        lines.append(f"  {kind:<13}{len(want):>4}{len(have):>5}   {recall:6.3f}   {precision:6.3f}")
    return "\n".join(lines)


def differences(expected: Facts, got: Facts, kind: str) -> str:
    """What was missed and what was found in excess, for an assertion's message."""
    missed = sorted(expected.get(kind, set()) - got.get(kind, set()), key=repr)
    extra = sorted(got.get(kind, set()) - expected.get(kind, set()), key=repr)
    return f"{kind}: saknas {missed}, extra {extra}"
