"""Every command over a mutated corpus: `sb` answers with exit 0 or 1 — never an internal error, never a
traceback, never exit 3. Exit 2 is right for a broken sb.toml (and then the only answer) and for the few
usage errors named in USAGE_ERRORS, each tied to the mutation that causes it.

Each example copies the shipped documents (plus a kallelse) into a new repository, changes one or two
of its YAML documents (or the front matter of a Markdown document) at random key paths, sometimes
writes a hostile sb.toml, and runs one command in-process. HYPOTHESIS_EXAMPLES sets the number of
generated examples (default 150); the explicit examples below are failures found before, kept."""

from __future__ import annotations

import copy
import datetime as dt
import os
import signal
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sb_cli.cli.app import app
from sb_cli.errors import ExitCode, SbError
from tests.conftest import REPO, SHIPPED_PROTOCOL, as_draft

pytestmark = pytest.mark.slow

AS_OF = "2026-11-22"
ORGANISATION = "documents/organisation.yaml"
LSVO_PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"
LIST_PROTOCOL = "documents/protokoll/att-aldras/2024-02.yaml"
KALLELSE = "documents/kallelse/LSVO/2026-12-11.yaml"
KALLELSE_TEXT = """\
id: kallelse-LSVO-2026-12-11
type: kallelse
title: Kallelse LSVO 2026-12-11
forum: LSVO
meeting: {date: 2026-12-11, start: "08:15", end: "12:00", place: via Teams}
numbering: paragraph
sent: 2026-12-04
register_by: 2026-11-27
items:
  - {number: 1, title: Godkännande av dagordning, kind: B}
  - {number: 2, title: Föregående sammanträdesprotokoll, kind: B}
  - number: 3
    title: "Återrapport: Uppdrag psykisk hälsa"
    kind: I
    follows_up: LSVO-2023-06-16 §66
    proposed_decisions:
      - notera informationen
      - {text: återrapportera till LSVO, responsible: länssamordnare UPH, due: 2027-02-12}
    subitems:
      - {letter: a, title: Samordnare Prator/LINK 20%, kind: B, follows_up: LSVO-2023-06-16 §71}
  - {number: 4, title: Återkoppling}
  - {number: 5, title: Övriga frågor}
"""


def _seed() -> dict[str, str]:
    files = {
        p.relative_to(REPO).as_posix(): p.read_text("utf-8")
        for p in sorted((REPO / "documents").rglob("*"))
        if p.is_file() and p.suffix in (".yaml", ".md")
    }
    files[KALLELSE] = KALLELSE_TEXT
    files[SHIPPED_PROTOCOL] = as_draft(files[SHIPPED_PROTOCOL])  # `sb adjust` may still justera it
    return files


SEED = _seed()
DOCUMENTS = sorted(path for path in SEED if path != ORGANISATION)
PROTOCOLS = [LSVO_PROTOCOL, LIST_PROTOCOL]


def split(text: str) -> tuple[str, str | None]:
    """A file's YAML and, for a Markdown document, the text after its front matter."""
    if not text.startswith("---\n"):
        return text, None
    end = text.index("\n---\n", 3)
    return text[4 : end + 1], text[end + 5 :]


IDS = sorted({yaml.safe_load(split(SEED[path])[0])["id"] for path in DOCUMENTS})

# Values PyYAML cannot dump as such (an integer longer than Python's 4300-digit limit for int → str) or
# plain scalars as a person would type them: written as a token, then replaced in the dumped text.
RAW = {
    "RAWHUGEINT": "1" + "0" * 4999,
    "RAWYEAR0": "0000-01-01",
    "RAWYEAR9999": "9999-12-31",
    "RAWFEB30": "2026-02-30",
    "RAWMONTH13": "2026-13-01",
    "RAWTIME25": "25:00",
    "RAWTIME85": "8:5",
}

# --- mutations ----------------------------------------------------------------------------------

Key = str | int
KeyPath = tuple[Key, ...]

# Interesting places: "*" is every index (or key) of the container at that point. A last key that is
# missing is added.
TARGETS: list[tuple[str, ...]] = [
    ("id",),
    ("type",),
    ("title",),
    ("version",),
    ("contact",),
    ("items", "*", "title"),
    ("items", "*", "decisions", "*", "text"),
    ("events", "*", "title"),
    ("forum",),
    ("meeting",),
    ("meeting", "date"),
    ("meeting", "start"),
    ("meeting", "end"),
    ("numbering",),
    ("sent",),
    ("items",),
    ("items", "*"),
    ("items", "*", "number"),
    ("items", "*", "kind"),
    ("items", "*", "decisions"),
    ("items", "*", "decisions", "*"),
    ("items", "*", "decisions", "*", "due"),
    ("items", "*", "proposed_decisions", "*"),
    ("items", "*", "proposed_decisions", "*", "due"),
    ("items", "*", "follows_up"),
    ("items", "*", "deferred_to"),
    ("items", "*", "subitems"),
    ("items", "*", "subitems", "*"),
    ("items", "*", "subitems", "*", "letter"),
    ("items", "*", "subitems", "*", "deferred_to"),
    ("items", "*", "subitems", "*", "decisions"),
    ("attendance",),
    ("attendance", "present"),
    ("attendance", "present", "*"),
    ("attendance", "absent"),
    ("attendance", "absent", "*"),
    ("attendance", "others"),
    ("attendance", "others", "*", "items"),
    ("adjusted",),
    ("adjusters",),
    ("status",),
    ("decided",),
    ("decided", "date"),
    ("decided", "by"),
    ("decided", "ref"),
    ("valid_from",),
    ("valid_until",),
    ("review_by",),
    ("terminated",),
    ("term",),
    ("term", "notice_months"),
    ("term", "renewal_months"),
    ("parties",),
    ("parties", "*"),
    ("parties", "*", "kind"),
    ("parties", "*", "id"),
    ("parties", "*", "from"),
    ("parties", "*", "until"),
    ("adopted",),
    ("adopted", "*"),
    ("adopted", "*", "date"),
    ("supersedes",),
    ("superseded_by",),
    ("follow_up",),
    ("follow_up", "by"),
    ("follow_up", "every_months"),
    ("followed_up",),
    ("year",),
    ("events",),
    ("events", "*"),
    ("events", "*", "month"),
    ("events", "*", "duty"),
    ("events", "*", "date"),
    ("forums",),
    ("forums", "*"),
    ("forums", "*", "id"),
    ("forums", "*", "members"),
    ("forums", "*", "members", "*"),
    ("forums", "*", "members", "*", "votes"),
    ("forums", "*", "members", "*", "from"),
    ("forums", "*", "members", "*", "until"),
    ("forums", "*", "members", "*", "party"),
    ("forums", "*", "agenda_notice_days"),
    ("forums", "*", "meetings_per_year"),
    ("forums", "*", "quorum"),
    ("forums", "*", "numbering"),
    ("forums", "*", "standing_items"),
]


def _children(node: Any) -> list[Key]:
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return list(range(len(node)))
    return []


def _expand(node: Any, pattern: tuple[str, ...], prefix: KeyPath = ()) -> Iterator[KeyPath]:
    head, rest = pattern[0], pattern[1:]
    keys: list[Key] = _children(node) if head == "*" else [head] if isinstance(node, dict) else []
    for key in keys:
        if not rest:
            yield (*prefix, key)
        elif isinstance(node, dict) and key in node or isinstance(node, list):
            yield from _expand(node[key], rest, (*prefix, key))


def _all_paths(node: Any, prefix: KeyPath = ()) -> Iterator[KeyPath]:
    yield prefix
    for key in _children(node):
        yield from _all_paths(node[key], (*prefix, key))


def _get(data: Any, path: KeyPath) -> Any:
    for key in path:
        if isinstance(data, dict) and key in data or isinstance(data, list) and isinstance(key, int):
            data = data[key]
        else:
            return None
    return data


def _has(data: Any, path: KeyPath) -> bool:
    parent = _get(data, path[:-1])
    return isinstance(parent, dict) and path[-1] in parent or isinstance(parent, list)


def _set(data: Any, path: KeyPath, value: Any) -> Any:
    """`data` with the value at `path` replaced (or added); the root itself when `path` is empty."""
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _delete(data: Any, path: KeyPath) -> Any:
    if not path:
        return None
    del _get(data, path[:-1])[path[-1]]
    return data


# Text that means something to a terminal's markup, HTML, Jinja or Markdown.
TEXTS = ["[/italic] x", "[/] [/]", "x \\[/x]", "[bold]x", "[link=file:///etc/passwd]x[/link]", "<b>&amp;</b>"]
TEXTS += ["{{ 7*7 }}", "\\", "*x", "# x"]
EDGE_VALUES = [
    0,
    -1,
    1,
    1200,
    1000000,
    True,
    False,
    1.5,
    float("nan"),
    "x",
    "LSVO",
    "region-blekinge",
    "LSVO-2023-06-16",
    "LSVO-2023-06-16 §66",
    "LSVO-2023-06-16 §999",
    "../../../x",
    "a" * 300,
    "\u202e\u200f§ 61\u00a0att",
    *TEXTS,
    "B/I/D",
    "paragraph",
    "list",
    dt.date(1900, 1, 1),
    dt.date(2999, 12, 31),
    dt.date(2026, 11, 22),
    dt.date(2023, 6, 16),
    dt.date(2023, 8, 25),
    dt.date(2026, 12, 31),
    dt.date(2024, 2, 29),
]
SCALARS_BY_TYPE: dict[type, list[Any]] = {
    int: [7, -3, 2**31],
    str: ["text", "7", "2026-11-22", "12:00"],
    list: [[], ["a"], [1, 2], [{"name": "x"}]],
    dict: [{}, {"a": 1}, {"name": "x", "date": "2026-01-01"}],
    bool: [True, False],
}


D = dt.date
DATES = [D(1900, 1, 1), D(2999, 12, 31), D(2023, 6, 16), D(2023, 8, 25), D(2024, 2, 29), D(2025, 12, 31)]
DATES += [D(2026, 11, 21), D(2026, 11, 22), D(2026, 11, 23), D(2026, 12, 4), D(2026, 12, 11), D(2026, 12, 31)]
DATES += [D(2027, 12, 31), D(2028, 2, 29)]
REFERENCES = ["LSVO-2023-06-16 §61", "LSVO-2023-06-16 §71a", "LSVO-2023-06-16 §999", "LSVO-2023-06-16"]
REFERENCES += ["att-aldras-2024-02 1", "att-aldras-2024-02 9", "kallelse-LSVO-2026-12-11 §3", "ledningssystem-2021"]
FORUMS = ["LSVO", "PSVO", "att-aldras", "att-vaxa-upp", "okant-forum"]
PARTIES = ["region-blekinge", "karlskrona", "olofstrom", "landstinget-blekinge", "okand-part"]
TYPES = ["protokoll", "kallelse", "overenskommelse", "avtal", "rutin", "riktlinje", "arshjul", "verksamhetsplan"]
TYPES += ["handlingsplan", "arsrapport", "tjansteskrivelse", "ledningssystem"]
# Values the schemas accept, by the name of the key they are written to: they reach the rules, the
# reports and the writers instead of stopping at SB002.
VALID: dict[str, list[Any]] = {
    **{
        key: DATES
        for key in ("date", "due", "deferred_to", "adjusted", "valid_from", "valid_until", "review_by", "sent")
    },
    **{key: DATES for key in ("register_by", "reply_by", "from", "until")},
    "number": [1, 2, 60, 61, 66, 72, 73, 1000000],
    "month": list(range(1, 13)),
    **{key: [0, 1, 11, 12, 13, 24, 1199, 1200] for key in ("notice_months", "renewal_months", "every_months")},
    "min": [0, 1, 10, 100000],
    "max": [0, 1, 8, 100000],
    "agenda_notice_days": [0, 1, 7, 36500],
    "year": [1900, 2026, 2027, 2999],
    "start": ["00:00", "23:59", "12:00", "08:15"],
    "end": ["00:00", "23:59", "12:00", "08:14"],
    "follows_up": REFERENCES,
    "ref": REFERENCES,
    "supersedes": [*IDS, IDS[:2], ["ledningssystem-2021"]],
    "superseded_by": [*IDS, IDS[-2:], ["ledningssystem-2021"]],
    "document": IDS,
    "id": [*IDS, *FORUMS, *PARTIES],
    "forum": FORUMS,
    "owner": FORUMS + PARTIES,
    "by": FORUMS + PARTIES + [["LSVO", "PSVO"], []],
    "party": PARTIES,
    "parties": [PARTIES[:1], PARTIES[:3], PARTIES[1:], [], ["region-blekinge", "karlskrona", "landstinget-blekinge"]],
    "kind": ["B", "I", "D", "B/I", "I/D/B", "region", "kommun"],
    "status": ["utkast", "remiss", "beslutad", "upphavd"],
    "type": TYPES,
    "numbering": ["paragraph", "list"],
    "letter": ["a", "b", "z"],
    "duty": ["verksamhetsplan", "handlingsplan", "arsrapport", "uppfoljning", "moten"],
    "quorum": [{"per": "kind"}, {"per": "party"}],
    "votes": [True, False],
    "public": [True, False],
    "meeting": [{"date": None}, {"date": D(2026, 12, 11), "start": "23:59", "end": "00:00"}, {"date": D(2999, 12, 31)}],
    "meetings_per_year": [{"min": 10, "max": 8}, {"min": 0, "max": 0}, {"min": 100000}, {}],
    "term": [{}, {"notice_months": 0}, {"notice_months": 1200, "renewal_months": 1}, {"renewal_months": 1200}],
    "terminated": [{"date": day, "by": "karlskrona"} for day in (D(1900, 1, 1), D(2025, 12, 31), D(2026, 11, 22))],
    "decided": [{"by": "LSVO", "date": None}, {"by": "LSVO", "date": D(2999, 12, 31), "ref": "LSVO-2023-06-16 §64"}],
    "adopted": [
        [{"party": p, "date": D(2026, 1, 1)} for p in PARTIES],
        [{"party": "karlskrona", "date": D(2999, 12, 31)}],
    ],
    "followed_up": [[{"date": D(2026, 6, 1), "by": "LSVO", "ref": "LSVO-2023-06-16 §66"}], [{"date": D(1900, 1, 1)}]],
    "present": [[], ["Bodil Sundlöf"], ["Bodil Sundlöf", "Bodil Sundlöf"], [{"name": "Okänd", "party": "okand-part"}]],
    "absent": [["Bodil Sundlöf"], ["Mats Wennstig"], []],
    "others": [[{"name": "X", "items": [61, 1000000]}], ["Bodil Sundlöf"]],
    "items": [[], [61], [1000000]],
    "decisions": [[], ["x"], [{"text": "x", "due": D(2026, 11, 21)}, {"text": "y", "due": D(2999, 12, 31)}]],
    "members": [
        [],
        [{"name": "Bodil Sundlöf", "party": "region-blekinge"} for _ in range(2)],
        [{"name": "N", "party": "okand-part"}],
    ],
    **{key: TEXTS for key in ("title", "name", "place", "text", "responsible", "version", "contact", "role")},
    "body": [*TEXTS, "1234567890. x", "| a |\n|---|\n| b |", "> > > x", "[x](../../../etc/passwd)", "```\nx", "[^1]"],
    # list elements, by the key of their list
    "decisions[]": [*TEXTS, {"text": "x", "due": D(2026, 11, 21)}, {"text": "y", "responsible": "[/x]"}],
    "present[]": ["Bodil Sundlöf", "Mats Wennstig", "Okänd", {"name": "Okänd", "party": "karlskrona"}],
    "absent[]": ["Bodil Sundlöf", "Okänd"],
    "parties[]": PARTIES,
    "presenters[]": TEXTS,
}


def _type_of(value: Any) -> type:
    for kind in (bool, int, str, list, dict):
        if isinstance(value, kind):
            return kind
    return str  # dates, floats and None count as text


@st.composite
def _new_value(draw: st.DrawFn, operator: str, key: Key | None, current: Any, others: list[str]) -> Any:
    """The value that replaces `current` under `operator`."""
    if operator == "wrong_type":
        kinds = [k for k in SCALARS_BY_TYPE if k is not _type_of(current)]
        return draw(st.sampled_from(SCALARS_BY_TYPE[draw(st.sampled_from(kinds))]))
    if operator == "impossible_date":
        return draw(st.sampled_from(["2026-02-30", "2026-13-01", "2023-02-29", "RAWFEB30", "RAWMONTH13"]))
    if operator == "bad_month":
        return draw(st.sampled_from([13, 0, -1, 12, 1]))
    if operator == "bad_time":
        return draw(st.sampled_from(["25:00", "8:5", "24:00", "23:60", "RAWTIME25", "RAWTIME85"]))
    if operator == "huge_int":
        return draw(st.sampled_from([10**30, -(10**30), 2**63, "RAWHUGEINT"]))
    if operator == "extreme_year":
        return draw(st.sampled_from(["0000-01-01", "9999-12-31", "RAWYEAR0", "RAWYEAR9999"]))
    if operator == "huge_term":
        key = draw(st.sampled_from(["notice_months", "renewal_months"]))
        return {key: draw(st.sampled_from([100000, 1200]))}
    if operator == "empty_string":
        return ""
    if operator == "null":
        return None
    if operator == "empty_container":
        return draw(st.sampled_from([[], {}]))
    if operator == "swap_container":
        if isinstance(current, dict):
            return draw(st.sampled_from([list(current.values()), [current], list(current)]))
        if isinstance(current, list):
            return draw(st.sampled_from([{str(i): v for i, v in enumerate(current)}, current[0] if current else {}]))
        return draw(st.sampled_from([[current], {"value": current}]))
    if operator == "duplicate_id":
        return draw(st.sampled_from(others))
    if operator == "valid_value" and key in VALID:
        return draw(st.sampled_from(VALID[key]))
    return draw(st.sampled_from(EDGE_VALUES))


OPERATORS = [
    "wrong_type",
    "impossible_date",
    "bad_month",
    "bad_time",
    "huge_int",
    "extreme_year",
    "huge_term",
    "empty_string",
    "null",
    "empty_container",
    "swap_container",
    "delete",
    "duplicate_id",
    "duplicate_entry",
    "edge_value",
    *["valid_value"] * 3,  # values the schemas accept, so that more documents get past SB002
]
# Where an operator makes the most sense; any operator also lands on any path.
HOME: dict[str, tuple[str, ...]] = {
    "impossible_date": ("date", "due", "deferred_to", "adjusted", "valid_from", "valid_until", "review_by", "sent"),
    "extreme_year": ("date", "due", "deferred_to", "adjusted", "valid_from", "valid_until", "review_by", "sent"),
    "bad_month": ("month",),
    "bad_time": ("start", "end"),
    "huge_int": ("number", "month", "notice_months", "renewal_months", "agenda_notice_days", "year", "items"),
    "huge_term": ("term",),
    "duplicate_id": ("id",),
    "valid_value": tuple(VALID),
}


def _key(path: KeyPath) -> Key | None:
    """The name VALID knows a place by: its key, or "<key of the list>[]" for a list element."""
    if len(path) > 1 and isinstance(path[-1], int):
        return f"{path[-2]}[]"
    return path[-1] if path else None


@dataclass(frozen=True)
class Mutation:
    file: str
    path: KeyPath
    operator: str
    value: Any = None

    def __repr__(self) -> str:
        where = ".".join(str(k) for k in self.path) or "<root>"
        shown = "" if self.operator in ("delete", "duplicate_entry") else f" = {self.value!r:.80}"
        return f"{self.file}: {where} {self.operator}{shown}"


# Keys a plausible mutation may add where they are missing, by document type (other keys only change).
STYRDOKUMENT_KEYS = {"terminated", "superseded_by", "supersedes", "adopted", "followed_up", "follow_up", "term"}
STYRDOKUMENT_KEYS |= {"valid_from", "valid_until", "review_by", "decided", "parties", "ref"}
ADDABLE: dict[str, set[str]] = {
    "protokoll": {"adjusted", "deferred_to", "follows_up", "decisions", "start", "end", "due"},
    "kallelse": {"follows_up", "start", "end", "sent", "due"},
    "arshjul": STYRDOKUMENT_KEYS | {"month", "date", "document", "year"},
    "organisation": {"agenda_notice_days", "meetings_per_year", "quorum", "from", "until", "votes"},
}
PLAUSIBLE = ["valid_value"] * 5 + ["delete", "duplicate_entry", "duplicate_id"]


@st.composite
def _mutation(draw: st.DrawFn, file: str, data: Any, plausible: bool) -> tuple[Mutation, Any]:
    operator = draw(st.sampled_from(PLAUSIBLE if plausible else OPERATORS))
    interesting = sorted({p for pattern in TARGETS for p in _expand(data, pattern)}, key=repr)
    homes = [p for p in interesting if p and {str(p[-1]), _key(p)} & set(HOME.get(operator, ()))]
    everywhere = list(_all_paths(data))
    choices = [c for c in (homes, interesting, everywhere) if c]
    if plausible and operator == "valid_value":
        kind = "organisation" if file == ORGANISATION else data.get("type") if isinstance(data, dict) else None
        addable = ADDABLE.get(str(kind), STYRDOKUMENT_KEYS)
        kept = [p for p in homes if p[-1] in addable or _has(data, p)]
        by_key: dict[Key | None, list[KeyPath]] = {}
        for p in kept:
            by_key.setdefault(_key(p), []).append(p)
        choices = list(by_key.values()) or choices  # each key name as likely as any other
    path: KeyPath = draw(st.sampled_from(draw(st.sampled_from(choices))))
    current = _get(data, path)
    if operator == "delete":
        parent = _get(data, path[:-1])
        if path and (isinstance(parent, list) or path[-1] in parent):
            return Mutation(file, path, operator), _delete(data, path)
        return Mutation(file, path, "null"), _set(data, path, None)
    if operator == "duplicate_entry":
        parent = _get(data, path[:-1]) if path else None
        if isinstance(parent, list):
            parent.insert(int(path[-1]), copy.deepcopy(parent[path[-1]]))
            return Mutation(file, path, operator), data
        operator = "duplicate_id"
    if operator == "duplicate_id":
        path = ("id",) if isinstance(data, dict) else path
        own = data.get("id") if isinstance(data, dict) else None
        value = draw(_new_value(operator, "id", current, [i for i in IDS if i != own]))
    else:
        value = draw(_new_value(operator, _key(path), current, IDS))
    value = copy.deepcopy(value)  # never a shared object: no YAML aliases, no cycles, no changed constants
    return Mutation(file, path, operator, value), _set(data, path, value)


def _dump(data: Any) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    for token, raw in RAW.items():
        text = text.replace(token, raw)
    return text


# --- sb.toml ----------------------------------------------------------------------------------------

TOML_LINES = [
    'notice_window_days = "30"',
    "notice_window_days = -5",
    "notice_window_days = 100000000000000000000",
    "notice_window_days = 1.5",
    "notice_window_days = true",
    'max_file_bytes = "x"',
    "max_file_bytes = 0",
    "max_file_bytes = -1",
    "unknown_key = 1",
    'templates = "/abs"',
    'documents = "../x"',
    'documents = ""',
    "documents = 7",
    'schemas = "/nonexistent"',
    "schemas = []",
    "notice_window_days = ",
    "[sb]\nnotice_window_days = [1]",
]


# --- commands -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    name: str
    build: Callable[[Path, str | None], list[str]]
    takes: list[str] = field(default_factory=list)  # the files the command is about, drawn from


def _r(*args: str) -> Callable[[Path, str | None], list[str]]:
    return lambda root, target: [*args]


COMMANDS = [
    Command("validate", _r("validate")),
    Command("validate-json", _r("validate", "--format", "json")),
    Command("list", _r("list")),
    Command("list-json", _r("list", "--format", "json")),
    Command("show-path", lambda root, target: ["show", str(root / target)], DOCUMENTS),
    Command("show-id", lambda root, target: ["show", target], IDS),
    *(Command(f"report-{r}", _r("report", r)) for r in ("expiring", "overdue", "decisions", "arshjul", "adoption")),
    *(
        Command(f"report-{r}-json", _r("report", r, "--format", "json"))
        for r in ("expiring", "overdue", "decisions", "arshjul", "adoption")
    ),
    Command("calendar", lambda root, target: ["calendar", "--out", str(root / "kalender.ics")]),
    Command("render-md", lambda root, target: ["render", str(root / target), "--to", "md"], DOCUMENTS),
    Command("render-html", lambda root, target: ["render", str(root / target), "--to", "html"], DOCUMENTS),
    Command("render-all", _r("render", "--all", "--to", "md")),
    Command("new-kallelse", _r("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04")),
    Command("new-protokoll", lambda root, target: ["new", "protokoll", "--from", str(root / KALLELSE)], [KALLELSE]),
    Command("new-rutin", _r("new", "rutin", "--id", "x", "--title", "T", "--owner", "LSVO")),
    Command("adjust", lambda root, target: ["adjust", str(root / target), "--date", "2024-03-15"], PROTOCOLS),
]


def _args(command: Command, root: Path, target: str | None) -> list[str]:
    args = command.build(root, target)
    if command.name.startswith("render"):
        args += ["--out", str(root / "ut")]
    return [*args, "--as-of", AS_OF, "--root", str(root)]


def _touched(scenario: Scenario) -> set[str]:
    return {m.file for m in scenario.mutations}


def _target_touched(scenario: Scenario) -> bool:
    return scenario.target in _touched(scenario)


def _id_file_touched(scenario: Scenario) -> bool:
    return any(yaml.safe_load(split(SEED[f])[0])["id"] == scenario.target for f in _touched(scenario) if f in DOCUMENTS)


def _value_written(value: str) -> Callable[[Scenario], bool]:
    return lambda scenario: any(m.value == value for m in scenario.mutations)


# Usage errors (exit 2) that a mutation can rightly cause: (command, words in the message, whether the
# scenario made the mutation that causes it).
USAGE_ERRORS: list[tuple[str, str, Callable[[Scenario], bool]]] = [
    # The document's id was changed, so no document has the id asked for.
    ("show-id", "inget dokument med id", _id_file_touched),
    # organisation.yaml no longer names the forum or the owner given on the command line.
    ("new-kallelse", "okänt forum 'LSVO'", lambda s: ORGANISATION in _touched(s)),
    ("new-rutin", "'LSVO' finns inte bland forumen eller parterna", lambda s: ORGANISATION in _touched(s)),
    # Another document now has the id given on the command line.
    ("new-rutin", "id 'x' används redan", _value_written("x")),
    # The kallelse became another type of document, or its forum and date now name an existing protocol
    # (sb never overwrites without --force).
    ("new-protokoll", "är ingen kallelse", _target_touched),
    ("new-protokoll", "finns redan", _target_touched),
    # The protocol's meeting date is now after the adjustment date, it is already adjusted, or it is no
    # longer a protocol.
    ("adjust", "ligger före sammanträdet", _target_touched),
    ("adjust", "justerades redan", _target_touched),
    ("adjust", "är inget protokoll", _target_touched),
]


@dataclass(frozen=True)
class Scenario:
    command: str
    target: str | None
    mutations: tuple[Mutation, ...]
    toml: str | None
    copied: str | None  # a document also written, as it now is, to documents/kopia/ (the same id twice)
    files: dict[str, str] = field(repr=False, compare=False)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    command = draw(st.sampled_from(COMMANDS))
    target = draw(st.sampled_from(command.takes)) if command.takes else None
    candidates = sorted(SEED)
    first = [target] if target in SEED and draw(st.booleans()) else []
    chosen = first + draw(st.lists(st.sampled_from(candidates), min_size=1 - len(first), max_size=2 - len(first)))
    files = dict(SEED)
    mutations: list[Mutation] = []
    plausible = draw(st.booleans())  # only values the schemas accept, or hostile ones
    for file in dict.fromkeys(chosen):
        text, body = split(files[file])
        data = yaml.safe_load(text)
        for _ in range(draw(st.integers(1, 3))):
            mutation, data = draw(_mutation(file, data, plausible))
            mutations.append(mutation)
        dumped = _dump(data)
        files[file] = dumped if body is None else f"---\n{dumped}---\n{body}"
    copied = None
    if draw(st.sampled_from(range(8))) == 7:  # one example in eight
        copied = draw(st.sampled_from(DOCUMENTS))
        files[f"documents/kopia/{Path(copied).name}"] = files[copied]
    toml = None
    if draw(st.sampled_from(range(8))) == 7:
        toml = "\n".join(draw(st.lists(st.sampled_from(TOML_LINES), min_size=1, max_size=2, unique=True))) + "\n"
    return Scenario(command.name, target, tuple(mutations), toml, copied, files)


def known(command: str, target: str | None, *changes: tuple[str, KeyPath, Any]) -> Scenario:
    """A scenario written out by hand: each change sets one value (a failure found before, kept)."""
    files = dict(SEED)
    mutations = []
    for file, path, value in changes:
        text, body = split(files[file])
        dumped = _dump(_set(yaml.safe_load(text), path, value))
        files[file] = dumped if body is None else f"---\n{dumped}---\n{body}"
        mutations.append(Mutation(file, path, "valid_value", value))
    return Scenario(command, target, tuple(mutations), None, None, files)


LEDNINGSSYSTEM = "documents/styrdokument/ledningssystem-2021.md"
OVERENSKOMMELSE = "documents/styrdokument/overenskommelse-malgrupper-2023.md"


class Hung(Exception):
    pass


@contextmanager
def no_hang(seconds: int = 60) -> Iterator[None]:
    def fail(*_: object) -> None:
        raise Hung(f"hung for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _usage_error_allowed(scenario: Scenario, message: str) -> bool:
    return any(c == scenario.command and words in message and made(scenario) for c, words, made in USAGE_ERRORS)


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(scenarios())
# Text that a table cell escapes as "\\[", but that already had a backslash before its "[".
@example(known("list", None, (LEDNINGSSYSTEM, ("title",), "x \\[/x]")))
@example(known("show-id", "overenskommelse-malgrupper-2023", (OVERENSKOMMELSE, ("version",), "x \\[/x]")))
# A title that closes a markup tag it never opened.
@example(known("show-id", "ledningssystem-2021", (LEDNINGSSYSTEM, ("title",), "[/italic] x")))
def test_every_command_survives_a_mutated_corpus(scenario: Scenario) -> None:
    command = next(c for c in COMMANDS if c.name == scenario.command)
    with tempfile.TemporaryDirectory(prefix="sb-commands-") as folder:
        root = Path(folder)
        for rel, text in scenario.files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, "utf-8")
        if scenario.toml is not None:
            (root / "sb.toml").write_text(scenario.toml, "utf-8")
        args = _args(command, root, scenario.target)
        with no_hang():
            result = CliRunner().invoke(app, args)
    output = result.output
    error = result.exception
    code = result.exit_code
    if error is not None and not isinstance(error, SystemExit):
        if not isinstance(error, SbError):  # sb_cli.cli.app:main turns anything else into exit 3
            trace = "".join(traceback.format_exception(error))
            raise AssertionError(f"internal error in sb {' '.join(args)}:\n{output[-2000:]}\n{trace}")
        code = error.exit_code  # as sb_cli.cli.app:main maps it
        output += f"sb: fel: {error.message}\n"
    context = f"sb {' '.join(args)} → exit {code}\n{output[-3000:]}"
    assert code != ExitCode.INTERNAL, context
    assert "internt fel" not in output and "Traceback" not in output, context
    if scenario.toml is not None:
        # Every line in TOML_LINES is a mistake: a usage error naming it, in sb's own (Swedish) words.
        assert code == ExitCode.USAGE and isinstance(error, SbError) and "sb.toml" in error.message, context
    elif code == ExitCode.USAGE:
        # Only sb's own usage errors (SbError, with a Swedish message), never click's English usage text.
        assert isinstance(error, SbError), context
        assert _usage_error_allowed(scenario, error.message), context
    else:
        assert code in (ExitCode.OK, ExitCode.FINDINGS), context
