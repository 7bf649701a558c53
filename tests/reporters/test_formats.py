"""One table per output family: every format an entry, every writer of a family the same signature."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import PurePath

import pytest

from sb_cli.core.model import Finding, Severity
from sb_cli.io.formats import Formats, OutputFormat
from sb_cli.render.formats import RENDER_FORMATS
from sb_cli.reporters import findings, tables
from sb_cli.reporters.formats import FINDING_FORMATS, ROW_FORMATS, RowOptions
from sb_cli.reporters.tables import Column
from sb_cli.validation import Report

FAMILIES = {
    "findings": (FINDING_FORMATS, ["text", "json", "github", "junit", "sarif"]),
    "rows": (ROW_FORMATS, ["table", "json", "csv", "markdown", "xlsx"]),
    "render": (RENDER_FORMATS, ["docx", "pdf", "html", "md"]),
}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_has_its_formats_in_one_table(family):
    formats, names = FAMILIES[family]
    assert list(formats) == names
    for name, entry in formats.items():
        assert entry.name == name and entry.suffix.startswith(".") and entry.help


@pytest.mark.parametrize("family", FAMILIES)
def test_every_writer_of_a_family_has_the_same_signature(family):
    formats, _ = FAMILIES[family]
    signatures = {str(inspect.signature(entry.write)) for entry in formats.values()}
    assert len(signatures) == 1, signatures


REPORT = Report(dt.date(2026, 3, 1), 1, [Finding("SB002", Severity.ERROR, "documents/a\x1b.yaml", 1, 1, "x\x1by")])


@pytest.mark.parametrize("name", list(FINDING_FORMATS))
def test_write_is_the_table_entry_and_no_format_is_a_special_case(name):
    assert findings.write(REPORT, name) == FINDING_FORMATS[name].write(REPORT)
    assert "\x1b" not in FINDING_FORMATS[name].write(REPORT)


ROWS = [{"id": "a;b", "n": 3}]
COLUMNS = [Column("id", "Id"), Column("n", "Antal")]
TEXT_WRITERS = {
    "table": lambda: tables.table_text(ROWS, COLUMNS, "T"),
    "json": lambda: tables.as_json(ROWS, COLUMNS, "T"),
    "csv": lambda: tables.as_csv(ROWS, COLUMNS, "T", delimiter=";"),
    "markdown": lambda: tables.as_markdown(ROWS, COLUMNS, "T"),
}


@pytest.mark.parametrize("name", list(TEXT_WRITERS))
def test_a_row_writer_of_the_table_writes_what_its_function_does(name):
    written = ROW_FORMATS[name].write(ROWS, COLUMNS, "T", RowOptions(delimiter=";"))
    assert written == TEXT_WRITERS[name]().encode("utf-8")


def test_only_xlsx_asks_when_the_file_was_made():
    asked: list[str] = []

    def made_at() -> int:
        asked.append("ja")
        return 1767225600

    for entry in ROW_FORMATS.values():
        entry.write(ROWS, COLUMNS, "T", RowOptions(made_at=made_at))
    assert asked == ["ja"]
    assert ROW_FORMATS["xlsx"].binary and not any(e.binary for e in ROW_FORMATS.values() if e.name != "xlsx")


@pytest.mark.parametrize(
    ("path", "name"),
    [("a.xlsx", "xlsx"), ("A.XLSX", "xlsx"), ("a.csv", "csv"), ("a.json", "json"), ("a.md", "markdown")]
    + [("a.markdown", "markdown"), ("a.txt", "table"), ("mapp.d/a.Txt", "table"), ("a.ods", None), ("a", None)],
)
def test_the_suffix_chooses_the_row_format(path, name):
    found = ROW_FORMATS.by_suffix(PurePath(path))
    assert (found.name if found else None) == name


def test_a_table_refuses_two_formats_of_one_name_or_suffix():
    def write() -> None:
        return None

    with pytest.raises(ValueError, match="name"):
        Formats(OutputFormat("a", ".a", "A", write), OutputFormat("a", ".b", "B", write))
    with pytest.raises(ValueError, match="suffix"):
        Formats(OutputFormat("a", ".a", "A", write), OutputFormat("b", ".c", "B", write, more_suffixes=(".a",)))


def test_the_help_describes_every_format_in_the_table():
    assert ROW_FORMATS.described().startswith("table (tabell), json (för program), csv")
    assert ROW_FORMATS.suffix_list() == ".txt, .json, .csv, .md, .xlsx"
    assert ROW_FORMATS.suffix_list(every=True) == ".txt, .json, .csv, .md, .markdown, .xlsx"


def test_sb_render_offers_exactly_the_render_table():
    from sb_cli.cli.render import Target

    assert [str(t) for t in Target] == list(RENDER_FORMATS) == ["docx", "pdf", "html", "md"]
