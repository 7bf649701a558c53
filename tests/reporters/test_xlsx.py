"""The xlsx reporter, read back the way a spreadsheet reads it: openpyxl, and LibreOffice where installed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from sb_cli.reporters import xlsx
from sb_cli.reporters.tables import Column

CREATED = dt.datetime(2026, 11, 22, 8, 15, tzinfo=dt.UTC)
COLUMNS = [
    Column("due", "Senast", date=True),
    Column("days", "Dagar kvar"),
    Column("id", "Dokument"),
    Column("state", "Läge", styled=True),
    Column("note", "Anmärkning", wide=True),
    Column("done", "Klar"),
]
ROWS: list[dict[str, Any]] = [
    {"due": "2027-12-31", "days": 39, "id": "overenskommelse-malgrupper-2023", "state": "in_force", "done": True},
    {"due": None, "days": -3, "id": "2023-06-16", "state": "draft", "note": '=HYPERLINK("http://x")', "done": False},
    {"due": "2026-02-30", "days": 0, "id": "x", "state": "okänt", "note": "rad ett\nrad två", "done": None},
    {"due": dt.date(2024, 2, 29), "days": 1.5, "id": "@SUM(A1)", "note": ["-1", "+2"], "done": None},
]


def sheet_of(data: bytes) -> Worksheet:
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    return sheet


@pytest.fixture(scope="module")
def data() -> bytes:
    return xlsx.as_xlsx(ROWS, COLUMNS, "Löper ut inom 90 dagar (per 2026-11-22)", created=CREATED)


def test_the_sheet_is_named_after_the_report_and_the_workbook_carries_the_whole_title(data: bytes) -> None:
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Löper ut inom 90 dagar"]
    assert book.properties.title == "Löper ut inom 90 dagar (per 2026-11-22)"
    assert book.properties.creator == "sb"
    naive = CREATED.replace(tzinfo=None)  # a workbook's times are UTC without a zone
    assert book.properties.created == naive
    assert book.properties.modified == naive


def test_the_header_is_bold_frozen_and_filtered(data: bytes) -> None:
    sheet = sheet_of(data)
    header = list(sheet.iter_rows(min_row=1, max_row=1))[0]
    assert [c.value for c in header] == [c.heading for c in COLUMNS]
    assert all(c.font.b for c in header)
    assert not any(c.font.b for row in sheet.iter_rows(min_row=2) for c in row)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F5"
    assert sheet.print_title_rows == "$1:$1"


def test_dates_are_date_cells_and_numbers_are_numbers(data: bytes) -> None:
    sheet = sheet_of(data)
    due = [sheet.cell(row=r, column=1) for r in range(2, 6)]
    assert due[0].is_date and due[0].value.date() == dt.date(2027, 12, 31)
    assert due[0].number_format == "yyyy-mm-dd"
    assert due[1].value is None
    assert (due[2].value, due[2].data_type) == ("2026-02-30", "s")  # no such day: the text as written
    assert due[3].is_date and due[3].value.date() == dt.date(2024, 2, 29)
    days = [sheet.cell(row=r, column=2) for r in range(2, 6)]
    assert [(c.value, c.data_type) for c in days] == [(39, "n"), (-3, "n"), (0, "n"), (1.5, "n")]


def test_text_is_text_in_the_words_the_table_uses(data: bytes) -> None:
    sheet = sheet_of(data)
    assert [sheet.cell(row=r, column=3).value for r in range(2, 6)] == [
        "overenskommelse-malgrupper-2023",
        "2023-06-16",  # an id that looks like a date, in a column that is not one, stays text
        "x",
        "@SUM(A1)",
    ]
    assert all(sheet.cell(row=r, column=3).data_type == "s" for r in range(2, 6))
    assert [sheet.cell(row=r, column=4).value for r in range(2, 5)] == ["gäller", "utkast", "okänt"]
    assert [sheet.cell(row=r, column=6).value for r in range(2, 6)] == ["ja", "nej", None, None]
    assert sheet.cell(row=4, column=5).value == "rad ett\nrad två"
    assert sheet.cell(row=4, column=5).alignment.wrap_text


def test_text_that_looks_like_a_formula_is_text_marked_as_such(data: bytes) -> None:
    sheet = sheet_of(data)
    formula_like = [sheet.cell(row=3, column=5), sheet.cell(row=5, column=3), sheet.cell(row=5, column=5)]
    assert [c.value for c in formula_like] == ['=HYPERLINK("http://x")', "@SUM(A1)", "-1, +2"]
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_like)
    assert not sheet.cell(row=2, column=3).quotePrefix
    assert sheet.cell(row=3, column=2).value == -3  # a negative number is a number, not a formula
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_columns_are_as_wide_as_their_content_up_to_a_limit() -> None:
    rows = [{"due": "2026-01-01", "days": 7, "id": "overenskommelse-malgrupper-2023", "note": "ord " * 40}]
    sheet = sheet_of(xlsx.as_xlsx(rows, COLUMNS, "T", created=CREATED))
    widths = {key: sheet.column_dimensions[key].width for key in "ABCDEF"}
    assert widths["A"] == 12  # a date
    assert widths["B"] == len("Dagar kvar") + 3  # the heading and its filter button
    assert widths["C"] == len("overenskommelse-malgrupper-2023") + 2
    assert widths["E"] == xlsx.MAX_WIDTH
    assert sheet.cell(row=2, column=5).alignment.wrap_text
    assert not sheet.cell(row=2, column=3).alignment.wrap_text


def test_controls_are_written_out_and_text_is_kept_within_excels_limit() -> None:
    rows = [{"id": "a\x1b[2Jb\x00\udcff", "note": "x" * 40_000}]
    sheet = sheet_of(xlsx.as_xlsx(rows, [Column("id", "Id"), Column("note", "Not")], "T", created=CREATED))
    assert sheet.cell(row=2, column=1).value == "a\\x1b[2Jb\\x00\\xff"
    assert len(sheet.cell(row=2, column=2).value) == xlsx.MAX_TEXT


def test_without_rows_the_sheet_has_the_header_and_its_filter() -> None:
    sheet = sheet_of(xlsx.as_xlsx([], COLUMNS, "Beslut (per 2026-11-22)", created=CREATED))
    assert sheet.max_row == 1 and sheet.auto_filter.ref == "A1:F1"
    assert sheet.title == "Beslut"


def test_the_same_rows_and_time_give_the_same_bytes(data: bytes) -> None:
    again = xlsx.as_xlsx(ROWS, COLUMNS, "Löper ut inom 90 dagar (per 2026-11-22)", created=CREATED)
    assert again == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 22, 8, 15, 0)}
    later = xlsx.as_xlsx(ROWS, COLUMNS, "Löper ut inom 90 dagar (per 2026-11-22)", created=CREATED.replace(hour=9))
    assert later != data


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Beslut (per 2026-11-22)", "Beslut"),
        ("Årshjulet 2026 (per 2026-11-22)", "Årshjulet 2026"),
        ("a/b:c*d?e[f]g\\h", "a-b-c-d-e-f-g-h"),
        ("x" * 40, "x" * 31),
        ("'citerad'", "citerad"),
        ("", "Rapport"),
        (" (per 2026-11-22)", "(per 2026-11-22)"),
    ],
)
def test_sheet_names_are_what_excel_allows(title: str, name: str) -> None:
    assert xlsx.sheet_name(title) == name


def _libreoffice_csv(source: Path, folder: Path) -> str | None:
    """The first sheet as LibreOffice Calc converts it to CSV (;, UTF-8); None without Calc."""
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation={(folder / 'profil').as_uri()}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = folder / (source.stem + ".csv")
    if not converted.exists():
        assert "could not be loaded" in result.stderr, result.stderr  # LibreOffice without Calc
        return None
    return converted.read_text("utf-8")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice saknas")
def test_libreoffice_reads_dates_numbers_and_formula_like_text_as_written(tmp_path: Path, data: bytes) -> None:
    source = tmp_path / "rapport.xlsx"
    source.write_bytes(data)
    text = _libreoffice_csv(source, tmp_path)
    if text is None:
        pytest.skip("LibreOffice Calc saknas (paketet libreoffice-calc-nogui)")
    assert list(csv.reader(io.StringIO(text, newline=""), delimiter=";")) == [
        ["Senast", "Dagar kvar", "Dokument", "Läge", "Anmärkning", "Klar"],
        ["2027-12-31", "39", "overenskommelse-malgrupper-2023", "gäller", "", "ja"],
        ["", "-3", "2023-06-16", "utkast", '=HYPERLINK("http://x")', "nej"],
        ["2026-02-30", "0", "x", "okänt", "rad ett\nrad två", ""],
        ["2024-02-29", "1.5", "@SUM(A1)", "", "-1, +2", ""],
    ]


@pytest.mark.parametrize(
    ("value", "column", "expected"),
    [
        (None, Column("x", "X"), (None, "empty")),
        ([], Column("x", "X"), (None, "empty")),
        ((), Column("x", "X"), (None, "empty")),
        ([""], Column("x", "X"), ("", "text")),
        (True, Column("x", "X"), ("ja", "text")),
        (False, Column("x", "X"), ("nej", "text")),
        (0, Column("x", "X"), (0, "number")),
        (-2.5, Column("x", "X"), (-2.5, "number")),
        (dt.date(2026, 1, 2), Column("x", "X"), (dt.date(2026, 1, 2), "date")),
        ("2026-01-02", Column("x", "X", date=True), (dt.date(2026, 1, 2), "date")),
        ("2026-01-02", Column("x", "X"), ("2026-01-02", "text")),  # a date only in a date column
        ("2026-02-30", Column("x", "X", date=True), ("2026-02-30", "text")),  # no such day
        ("2026-01-02 och mer", Column("x", "X", date=True), ("2026-01-02 och mer", "text")),
        ("x" * (xlsx.MAX_TEXT + 5), Column("x", "X"), ("x" * xlsx.MAX_TEXT, "text")),
    ],
)
def test_each_value_becomes_the_cell_a_spreadsheet_expects(
    value: Any, column: Column, expected: tuple[Any, str]
) -> None:
    assert xlsx.value_of(value, column) == expected


def test_the_workbook_says_it_is_swedish_and_every_text_cell_is_text(data: bytes) -> None:
    book = load_workbook(io.BytesIO(data))
    assert book.properties.language == "sv-SE"
    sheet = sheet_of(data)
    assert [c.data_type for c in sheet[1]] == ["s"] * len(COLUMNS)
    texts = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert texts and all(c.data_type == "s" for c in texts)


def test_printed_pages_repeat_the_header_in_landscape_under_the_title(data: bytes) -> None:
    sheet = sheet_of(xlsx.as_xlsx(ROWS, COLUMNS, "A & B (per 2026-11-22)", created=CREATED))
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.oddHeader.center.text == "A && B (per 2026-11-22)"
    assert sheet.freeze_panes == "A2"


def test_printed_pages_are_one_page_wide_and_as_many_long_as_the_rows_need(data: bytes) -> None:
    sheet = sheet_of(data)
    assert sheet.sheet_properties.pageSetUpPr is not None
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.page_setup.orientation == "landscape"
