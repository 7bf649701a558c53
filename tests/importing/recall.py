"""Fact recall of the import cases in tests/cases/import-real/: each Word and PDF file imported and
compared, fact by fact, with the facts written beside it (<name>.yaml).

    python -m tests.importing.recall       # prints the table: file, expected, found, invented, misses

A fact is a tuple, such as ("present", "Anna Sjö") or ("decision", 4, "uppdra åt …", "Marie Sjöberg",
"2024-09-30"); a fact found but not expected is invented."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sb_cli.core.records import Organisation
from sb_cli.importing import recognise
from sb_cli.importing.readers import read_source
from tests.importing.facts import text

CASES = Path(__file__).resolve().parents[1] / "cases" / "import-real"
Fact = tuple[Any, ...]

# Facts a file cannot give, with why; they still count as misses in the table.
KNOWN_MISSES: dict[str, dict[Fact, str]] = {}


def case_files() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.suffix in (".docx", ".pdf"))


def expected_of(path: Path) -> dict[str, Any]:
    """The facts of the document the file is a form of: x.docx, x.pdf and x.word.pdf share x.yaml."""
    loaded = yaml.safe_load((path.parent / f"{path.name.split('.')[0]}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _person(person: Any) -> str:
    return text(person["name"] if isinstance(person, dict) else person)


def _decision(number: int | str, decision: Any) -> Fact:
    if isinstance(decision, dict):
        return ("decision", number, text(decision["text"]), decision.get("responsible"), _due(decision.get("due")))
    return ("decision", number, text(decision), None, None)


def _due(value: Any) -> str | None:
    return text(value) if value else None


def table_rows(markdown: str) -> list[tuple[str, ...]]:
    """The rows of every GFM table in the Markdown, the delimiter rows left out."""
    rows = []
    for line in markdown.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")) or re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line):
            continue
        cells = re.split(r"(?<!\\)\|", line[1:-1])
        rows.append(tuple(text(cell.replace("\\|", "|").replace("\\", "")) for cell in cells))
    return rows


def _headings(markdown: str) -> list[str]:
    return [text(m[1]) for m in re.finditer(r"^#{1,6}\s+(.*)$", markdown, re.MULTILINE)]


def protocol_facts(data: dict[str, Any]) -> set[Fact]:
    found: set[Fact] = {("type", data.get("type"))}
    for key in ("forum", "numbering", "chair", "secretary"):
        if data.get(key):
            found.add((key, text(data[key])))
    meeting = data.get("meeting") or {}
    found |= {("meeting", key, text(meeting[key])) for key in ("date", "start", "end", "place") if meeting.get(key)}
    attendance = data.get("attendance") or {}
    for group in ("present", "absent"):
        found |= {(group, _person(p)) for p in attendance.get(group) or []}
    for person in attendance.get("others") or []:
        items = tuple(person.get("items") or ()) if isinstance(person, dict) else ()
        found.add(("others", _person(person), items))
    found |= {("adjuster", text(name)) for name in data.get("adjusters") or []}
    found |= {("distribution", text(name)) for name in data.get("distribution") or []}
    for item in data.get("items") or []:
        found.add(("item", item["number"], text(item["title"]), item.get("kind") or ""))
        found |= _point_facts(item["number"], item)
        for sub in item.get("subitems") or []:
            number = f"{item['number']}{sub['letter']}"
            found.add(("subitem", number, text(sub["title"])))
            found |= _point_facts(number, sub)
    return found


def _point_facts(number: int | str, point: dict[str, Any]) -> set[Fact]:
    found: set[Fact] = {("presenter", number, text(name)) for name in point.get("presenters") or []}
    found |= {("send_to", number, text(name)) for name in point.get("send_to") or []}
    found |= {_decision(number, decision) for decision in point.get("decisions") or []}
    if point.get("deferred_to"):
        found.add(("deferred_to", number, text(point["deferred_to"])))
    rows = [tuple(text(c) for c in row) for row in point.get("tables") or []] or table_rows(point.get("body") or "")
    found |= {("table_row", number, row) for row in rows}
    return found


def styrdokument_facts(data: dict[str, Any], body: str) -> set[Fact]:
    found: set[Fact] = {("type", data.get("type")), ("title", text(data.get("title")))}
    for key in ("valid_from", "valid_until"):
        if data.get(key):
            found.add((key, text(data[key])))
    headings = data.get("headings")
    found |= {("heading", text(h)) for h in (headings if headings is not None else _headings(body))}
    rows = [tuple(text(c) for c in row) for row in data.get("tables") or []] or table_rows(body)
    found |= {("table_row", row) for row in rows}
    return found


def facts_of(data: dict[str, Any], body: str | None) -> set[Fact]:
    if data.get("type") == "protokoll":
        return protocol_facts(data)
    return styrdokument_facts(data, body or "")


@dataclass(frozen=True)
class Result:
    file: str
    expected: set[Fact]
    found: set[Fact]

    @property
    def hits(self) -> set[Fact]:
        return self.expected & self.found

    @property
    def misses(self) -> set[Fact]:
        return self.expected - self.found

    @property
    def invented(self) -> set[Fact]:
        return self.found - self.expected

    @property
    def recall(self) -> float:
        return len(self.hits) / len(self.expected) if self.expected else 1.0


def measure(path: Path, organisation: Organisation) -> Result:
    expected_data = expected_of(path)
    draft = recognise(read_source(path), organisation)
    title_free = {k: v for k, v in draft.data.items()}
    found = facts_of(title_free, draft.body)
    if draft.data.get("type") != "protokoll":
        # The body's own first heading is the document's title.
        found.discard(("heading", text(draft.data.get("title"))))
    return Result(path.name, facts_of(expected_data, None), found)


def report(results: list[Result]) -> str:
    lines = [f"{'fil':<36}{'väntade':>8}{'funna':>7}{'påhittade':>10}{'recall':>8}"]
    for r in results:
        lines.append(f"{r.file:<36}{len(r.expected):>8}{len(r.hits):>7}{len(r.invented):>10}{r.recall:>8.1%}")
        known = KNOWN_MISSES.get(r.file, {})
        for fact in sorted(r.misses, key=repr):
            lines.append(f"    saknas:   {fact!r}  ({known.get(fact, 'ej förklarad')})")
        for fact in sorted(r.invented, key=repr):
            lines.append(f"    påhittad: {fact!r}")
    return "\n".join(lines)


def main() -> int:
    from tests.importing.conftest import load_organisation

    organisation = load_organisation()
    print(report([measure(path, organisation) for path in case_files()]))  # noqa: T201 (the tool's output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
