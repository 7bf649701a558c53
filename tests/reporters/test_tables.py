"""The row reporters (`sb report`, `sb list`) as pure functions: the exact text of every format."""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Any

import pytest

from sb_cli.reporters import tables
from sb_cli.reporters.formats import ROW_FORMATS
from sb_cli.reporters.tables import Column, cell

COLUMNS = [
    Column("id", "Id"),
    Column("state", "Läge", styled=True),
    Column("note", "Anmärkning", wide=True),
    Column("done", "Klar"),
]
ROWS: list[dict[str, Any]] = [
    {"id": "a[b]", "state": "expired", "note": "[bold]inte fet[/bold] och lång text som bryts", "done": True},
    {"id": "x-2026", "state": "okänt [x]", "note": None, "done": False},
    {"id": "y", "state": None, "note": "kort", "done": [1, "draft"]},
]


def lines(*texts: str) -> str:
    return "".join(t + "\n" for t in texts)


def crlf(*texts: str) -> str:
    return "".join(t + "\r\n" for t in texts)


# cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "ja"),
        (False, "nej"),
        ([], ""),
        (["a", "b"], "a, b"),
        ([True, None, "in_force", 3, ["x", False]], "ja, , gäller, 3, x, nej"),
        ("draft", "utkast"),
        ("in_force", "gäller"),
        ("review_overdue", "revision försenad"),
        ("expiring", "löper ut"),
        ("expired", "upphört"),
        ("repealed", "upphävd"),
        ("öppen", "öppen"),
        ("", ""),
        ("Draft", "Draft"),
        (0, "0"),
        (42, "42"),
        (1.5, "1.5"),
        (dt.date(2026, 3, 1), "2026-03-01"),
        ({"a": 1}, "{'a': 1}"),
        (("draft", True), "utkast, ja"),
    ],
)
def test_cell(value: Any, expected: str) -> None:
    assert cell(value) == expected


def test_state_names_are_the_swedish_names_of_the_document_states() -> None:
    assert tables.STATE_NAMES == {
        "draft": "utkast",
        "in_force": "gäller",
        "review_overdue": "revision försenad",
        "expiring": "löper ut",
        "expired": "upphört",
        "repealed": "upphävd",
    }


def test_a_column_is_neither_styled_nor_wide_nor_dates_unless_asked() -> None:
    assert Column("id", "Id") == Column("id", "Id", styled=False, wide=False, date=False)


# json


def test_json_is_the_rows_as_they_are() -> None:
    rows = [{"id": "ä-1", "days": 3, "done": True, "state": "draft", "list": ["a"], "none": None}]
    assert tables.as_json(rows, COLUMNS, "Titel") == lines(
        "[",
        "  {",
        '    "id": "ä-1",',
        '    "days": 3,',
        '    "done": true,',
        '    "state": "draft",',
        '    "list": [',
        '      "a"',
        "    ],",
        '    "none": null',
        "  }",
        "]",
    )


def test_json_without_rows_is_an_empty_list() -> None:
    assert tables.as_json([], COLUMNS, "Titel") == "[]\n"


# csv


def test_csv_has_a_bom_the_headings_then_one_crlf_line_per_row_in_cell_text() -> None:
    assert tables.as_csv(ROWS, COLUMNS, "Titel") == "\ufeff" + crlf(
        "Id,Läge,Anmärkning,Klar",
        "a[b],upphört,[bold]inte fet[/bold] och lång text som bryts,ja",
        "x-2026,okänt [x],,nej",
        'y,,kort,"1, utkast"',
    )


def test_csv_quotes_commas_quotes_and_newlines_and_ignores_other_keys() -> None:
    rows = [{"id": 'a,"b"', "note": "rad ett\nrad två", "other": "syns inte"}]
    columns = [Column("id", "Id"), Column("note", "Not, lång")]
    assert tables.as_csv(rows, columns, "Titel") == '\ufeffId,"Not, lång"\r\n"a,""b""","rad ett\nrad två"\r\n'


def test_csv_with_semicolons_quotes_semicolons_and_leaves_commas() -> None:
    rows = [{"id": "a;b", "note": "ett, två"}]
    columns = [Column("id", "Id"), Column("note", "Not; lång")]
    assert tables.as_csv(rows, columns, "T", delimiter=";") == '\ufeffId;"Not; lång"\r\n"a;b";ett, två\r\n'


def test_csv_takes_only_comma_or_semicolon() -> None:
    with pytest.raises(ValueError, match="delimiter"):
        tables.as_csv(ROWS, COLUMNS, "T", delimiter="\t")


def test_csv_is_read_back_as_the_cells_by_a_csv_reader() -> None:
    import csv
    import io

    text = tables.as_csv(ROWS, COLUMNS, "T", delimiter=";")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";")) == [
        ["Id", "Läge", "Anmärkning", "Klar"],
        ["a[b]", "upphört", "[bold]inte fet[/bold] och lång text som bryts", "ja"],
        ["x-2026", "okänt [x]", "", "nej"],
        ["y", "", "kort", "1, utkast"],
    ]


def test_csv_without_rows_is_only_the_headings() -> None:
    assert tables.as_csv([], COLUMNS, "Titel") == "\ufeffId,Läge,Anmärkning,Klar\r\n"


# markdown


def test_markdown_is_a_titled_table_in_cell_text() -> None:
    assert tables.as_markdown(ROWS, COLUMNS, "Titel") == lines(
        "## Titel",
        "",
        "| Id | Läge | Anmärkning | Klar |",
        "| --- | --- | --- | --- |",
        "| a[b] | upphört | [bold]inte fet[/bold] och lång text som bryts | ja |",
        "| x-2026 | okänt [x] |  | nej |",
        "| y |  | kort | 1, utkast |",
    )


def test_markdown_escapes_pipes_and_joins_lines() -> None:
    rows = [{"id": "a|b", "note": "rad ett\nrad två|tre"}]
    columns = [Column("id", "Id"), Column("note", "Not")]
    assert tables.as_markdown(rows, columns, "T") == lines(
        "## T",
        "",
        "| Id | Not |",
        "| --- | --- |",
        "| a\\|b | rad ett rad två\\|tre |",
    )


def test_markdown_without_rows_says_there_is_nothing_to_report() -> None:
    assert tables.as_markdown([], COLUMNS[:1], "Tomt") == lines(
        "## Tomt",
        "",
        "| Id |",
        "| --- |",
        "",
        "*Inget att rapportera.*",
    )


def test_every_row_format_is_in_the_one_table() -> None:
    assert list(ROW_FORMATS) == ["table", "json", "csv", "markdown", "xlsx"]


# table


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Terminal:
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLORTERM", "LINES", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    return Terminal(monkeypatch, capsys)


class Terminal:
    """What print_table shows at a given COLUMNS, with or without colours."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def print(
        self, rows: list[dict[str, Any]], columns: list[Column], title: str, *, width: int | None = 60
    ) -> list[str]:
        if width is not None:
            self.monkeypatch.setenv("COLUMNS", str(width))
        self.capsys.readouterr()
        tables.print_table(rows, columns, title)
        return [line.rstrip() for line in self.capsys.readouterr().out.split("\n")]

    def coloured(self, rows: list[dict[str, Any]], columns: list[Column], title: str, *, width: int = 60) -> str:
        self.monkeypatch.setenv("FORCE_COLOR", "1")
        self.monkeypatch.setenv("COLUMNS", str(width))
        self.capsys.readouterr()
        tables.print_table(rows, columns, title)
        return self.capsys.readouterr().out


def test_table_shows_title_headings_and_cell_text_at_their_natural_widths(terminal: Terminal) -> None:
    assert terminal.print(ROWS, COLUMNS, "Titel", width=80) == [
        "Titel",
        "Id      Läge       Anmärkning                                     Klar",
        "─" * 76,
        "a[b]    upphört    [bold]inte fet[/bold] och lång text som bryts  ja",
        "x-2026  okänt [x]                                                 nej",
        "y                  kort                                           1, utkast",
        "",
    ]


def test_table_wraps_a_text_column_at_words_with_a_blank_line_between_rows(terminal: Terminal) -> None:
    assert terminal.print(ROWS, COLUMNS, "Titel", width=60) == [
        "Titel",
        "Id      Läge       Anmärkning                     Klar",
        "─" * 60,
        "a[b]    upphört    [bold]inte fet[/bold] och      ja",
        "                   lång text som bryts",
        "",
        "x-2026  okänt [x]                                 nej",
        "",
        "y                  kort                           1, utkast",
        "",
    ]


def test_too_narrow_for_whole_words_each_row_becomes_a_record(terminal: Terminal) -> None:
    assert terminal.print(ROWS, COLUMNS, "Titel", width=30) == [
        "Titel",
        "",
        "Id          a[b]",
        "Läge        upphört",
        "Anmärkning  [bold]inte",
        "            fet[/bold] och",
        "            lång text som",
        "            bryts",
        "Klar        ja",
        "",
        "Id          x-2026",
        "Läge        okänt [x]",
        "Klar        nej",
        "",
        "Id          y",
        "Anmärkning  kort",
        "Klar        1, utkast",
        "",
    ]


def test_the_narrowest_table_that_keeps_words_whole_is_still_a_table(terminal: Terminal) -> None:
    # Id 6, Läge 7 ("upphört"), Anmärkning 16, Klar 6 ("utkast"), and 7 between: 42.
    at_42 = terminal.print(ROWS, COLUMNS, "Titel", width=42)
    assert at_42[1].split() == ["Id", "Läge", "Anmärkning", "Klar"]
    assert max(len(line) for line in at_42) <= 42
    assert terminal.print(ROWS, COLUMNS, "Titel", width=41)[1:3] == ["", "Id          a[b]"]


def words_of(rows: list[dict[str, Any]], columns: list[Column]) -> list[str]:
    return [word for row in rows for c in columns for word in cell(row.get(c.key)).split()]


LONG_ROWS: list[dict[str, Any]] = [
    {
        "id": "overenskommelse-malgrupper-2023",
        "state": "review_overdue",
        "note": "Överenskommelse om samarbete mellan Region Blekinge och kommunerna i Blekinge om barn och unga, "
        "vuxna med funktionsnedsättning och Kunskapsstyrning/processorientering",
        "done": "protokoll saknas",
    },
    {"id": "LSVO-2023-06-16 §66", "state": "in_force", "note": "att återrapportera", "done": "2023-08-25"},
]


@pytest.mark.parametrize("width", [47, 50, 60, 70, 80, 100, 120, 160])
def test_every_word_of_every_cell_is_shown_whole_at_any_width(terminal: Terminal, width: int) -> None:
    shown = terminal.print(LONG_ROWS, COLUMNS, "Titel", width=width)
    assert all(len(line) <= width for line in shown)
    tokens = " ".join(shown).split()
    for word in words_of(LONG_ROWS, COLUMNS):
        assert word in tokens, (width, word)


@pytest.mark.parametrize("width", [30, 40])
def test_a_word_wider_than_the_terminal_is_folded_but_never_cut(terminal: Terminal, width: int) -> None:
    shown = terminal.print(LONG_ROWS, COLUMNS, "Titel", width=width)
    assert all(len(line) <= width for line in shown)
    assert "…" not in "".join(shown)
    squeezed = "".join("".join(shown).split())
    assert "overenskommelse-malgrupper-2023" not in " ".join(shown).split()  # it had to fold …
    assert "overenskommelse-malgrupper-2023" in squeezed  # … and every character is there
    assert all(word in squeezed for word in words_of(LONG_ROWS, COLUMNS))


def test_output_that_is_not_a_terminal_is_as_wide_as_its_content(terminal: Terminal) -> None:
    rows = [{"id": "x", "note": "ord " * 100}]
    shown = terminal.print(rows, [Column("id", "Id"), Column("note", "Not", wide=True)], "T", width=None)
    assert shown[3] == "x   " + ("ord " * 100).strip()


def test_columns_set_in_the_environment_is_the_width(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "77")
    assert tables.output_width(io.StringIO()) == 77
    assert tables.output_width(Tty()) == 77
    for unset in ("", "0", "bred"):
        monkeypatch.setenv("COLUMNS", unset)
        assert tables.output_width(io.StringIO()) is None
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr("shutil.get_terminal_size", lambda: os.terminal_size((93, 20)))
    assert tables.output_width(Tty()) == 93


def test_layout_gives_way_first_with_headings_then_text_then_short_values() -> None:
    columns = [Column("a", "Säg upp senast"), Column("b", "Text", wide=True), Column("c", "Läge")]
    texts = [["2027-12-31", "ett två tre fyra fem sex sju åtta nio tio elva tolv", "protokoll saknas"]]
    natural = [14, 51, 16]
    assert tables.layout(columns, texts, None) == natural
    assert tables.layout(columns, texts, 81) == natural
    assert tables.layout(columns, texts, 80) == [13, 51, 16]  # the heading wraps: "Säg upp" / "senast"
    assert tables.layout(columns, texts, 77) == [10, 51, 16]
    assert tables.layout(columns, texts, 76) == [10, 50, 16]  # then the text
    assert tables.layout(columns, texts, 42) == [10, 16, 16]
    assert tables.layout(columns, texts, 41) == [10, 16, 15]  # then "protokoll saknas"
    assert tables.layout(columns, texts, 35) == [10, 16, 9]
    assert tables.layout(columns, texts, 34) is None  # "protokoll" is 9 wide: records


def test_layout_shares_the_room_among_the_widest_text_columns() -> None:
    columns = [Column("a", "A", wide=True), Column("b", "B", wide=True), Column("c", "C", wide=True)]
    texts = [["x " * 20, "y " * 30, "kort"]]
    assert tables.layout(columns, texts, 60) == [28, 28, 4]
    assert tables.layout(columns, texts, 61) == [29, 28, 4]


def test_table_text_for_a_file_is_plain_and_without_trailing_spaces() -> None:
    text = tables.table_text([*ROWS, {"id": "z", "state": "expired", "note": "ord " * 40}], COLUMNS, "Titel")
    assert "\x1b" not in text
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert ("ord " * 40).strip() in text


def test_table_without_rows_says_so_on_one_line(terminal: Terminal) -> None:
    assert terminal.print([], COLUMNS, "Beslut (per 2026-03-01)") == [
        "Beslut (per 2026-03-01): inget att rapportera.",
        "",
    ]


def test_table_without_rows_has_a_bold_title(terminal: Terminal) -> None:
    assert terminal.coloured([], COLUMNS, "Beslut") == "\x1b[1mBeslut\x1b[0m: inget att rapportera.\n"


COLOURS = {"red": 31, "green": 32, "yellow": 33, "cyan": 36, "dim": 2}
STATE_COLOURS = {
    "expired": "red",
    "review_overdue": "red",
    "expiring": "yellow",
    "in_force": "green",
    "draft": "dim",
    "repealed": "dim",
    "öppen": "red",
    "tappad": "red",
    "saknas": "red",
    "protokoll saknas": "yellow",
    "väntar": "yellow",
    "pågår": "yellow",
    "inget datum": "dim",
    "uppföljt": "green",
    "uppfyllt": "green",
    "uppsägning": "yellow",
    "förlängs": "cyan",
    "upphör": "red",
    "upphörde": "red",
}


def test_state_styles_colour_every_state() -> None:
    assert tables.STATE_STYLES == STATE_COLOURS


def test_styled_columns_colour_known_states_and_show_their_text(terminal: Terminal) -> None:
    columns = [Column("state", "Läge", styled=True), Column("plain", "Text")]
    rows = [{"state": state, "plain": state} for state in STATE_COLOURS]
    output = terminal.coloured(rows, columns, "Färger").split("\n")
    width = max(len(cell(state)) for state in STATE_COLOURS)
    assert output[0] == "\x1b[1mFärger\x1b[0m"
    assert output[1] == f"\x1b[1m{'Läge':<{width}}\x1b[0m\x1b[1m \x1b[0m \x1b[1m{'Text':<{width}}\x1b[0m\x1b[1m \x1b[0m"
    assert output[2] == "─" * (2 * width + 3)
    body = output[3 : 3 + len(rows)]
    assert body == [
        f"\x1b[{COLOURS[colour]}m{cell(state)}\x1b[0m{' ' * (width - len(cell(state)))}  {cell(state):<{width}} "
        for state, colour in STATE_COLOURS.items()
    ]


def test_records_colour_states_too_and_bold_the_first_value(terminal: Terminal) -> None:
    columns = [Column("id", "Id"), Column("state", "Läge", styled=True), Column("note", "Not", wide=True)]
    rows = [{"id": "x", "state": "expired", "note": "ord " * 30}]
    output = terminal.coloured(rows, columns, "T", width=20).split("\n")
    assert output[2].rstrip() == "\x1b[1mId  \x1b[0m\x1b[1m  \x1b[0m\x1b[1mx\x1b[0m"
    assert output[3].rstrip() == "\x1b[1mLäge\x1b[0m\x1b[1m  \x1b[0m\x1b[31mupphört\x1b[0m"


def test_unknown_states_and_plain_columns_are_text_not_markup(terminal: Terminal) -> None:
    columns = [Column("state", "Läge", styled=True), Column("plain", "Text")]
    rows: list[dict[str, Any]] = [
        {"state": "okänt [red]x", "plain": "[red]y"},
        {"state": ["expired"], "plain": 5},
        {"state": 7, "plain": "draft"},
    ]
    output = terminal.coloured(rows, columns, "T").split("\n")
    assert output[3:6] == [
        "okänt [red]x  [red]y ",
        "upphört       5      ",
        "7             utkast ",
    ]


def test_csv_guards_formulas_by_the_value_and_keeps_line_breaks_inside_lists() -> None:
    rows = [{"id": "=1+1", "count": -3, "notes": ["rad\r\nett", "två"]}]
    columns = [Column("id", "Id"), Column("count", "Antal"), Column("notes", "Noter")]
    assert tables.as_csv(rows, columns, "Titel") == '\ufeffId,Antal,Noter\r\n\'=1+1,-3,"rad\r\nett, två"\r\n'
