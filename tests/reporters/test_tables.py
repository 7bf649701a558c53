"""The row reporters (`sb report`, `sb list`) as pure functions: the exact text of every format."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sb_cli.reporters import tables
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
        (("draft",), "('draft',)"),
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


def test_a_column_is_neither_styled_nor_wide_unless_asked() -> None:
    assert Column("id", "Id") == Column("id", "Id", styled=False, wide=False)


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


def test_csv_has_the_headings_then_one_line_per_row_in_cell_text() -> None:
    assert tables.as_csv(ROWS, COLUMNS, "Titel") == lines(
        "Id,Läge,Anmärkning,Klar",
        "a[b],upphört,[bold]inte fet[/bold] och lång text som bryts,ja",
        "x-2026,okänt [x],,nej",
        'y,,kort,"1, utkast"',
    )


def test_csv_quotes_commas_quotes_and_newlines_and_ignores_other_keys() -> None:
    rows = [{"id": 'a,"b"', "note": "rad ett\nrad två", "other": "syns inte"}]
    columns = [Column("id", "Id"), Column("note", "Not, lång")]
    assert tables.as_csv(rows, columns, "Titel") == 'Id,"Not, lång"\n"a,""b""","rad ett\nrad två"\n'


def test_csv_without_rows_is_only_the_headings() -> None:
    assert tables.as_csv([], COLUMNS, "Titel") == "Id,Läge,Anmärkning,Klar\n"


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


def test_writers_by_format() -> None:
    assert tables.WRITERS == {"json": tables.as_json, "csv": tables.as_csv, "markdown": tables.as_markdown}


# table


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Terminal:
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLORTERM", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    return Terminal(monkeypatch, capsys)


class Terminal:
    """What print_table shows on a terminal of a given width, with or without colours."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def print(self, rows: list[dict[str, Any]], columns: list[Column], title: str, *, width: int = 60) -> list[str]:
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


def test_table_shows_title_headings_and_cell_text(terminal: Terminal) -> None:
    assert terminal.print(ROWS, COLUMNS, "Titel") == [
        "Titel",
        "┏━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┓",
        "┃ Id     ┃ Läge      ┃ Anmärkning              ┃ Klar      ┃",
        "┡━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━┩",
        "│ a[b]   │ upphört   │ [bold]inte fet[/bold]   │ ja        │",
        "│        │           │ och lång text som bryts │           │",
        "│ x-2026 │ okänt [x] │                         │ nej       │",
        "│ y      │           │ kort                    │ 1, utkast │",
        "└────────┴───────────┴─────────────────────────┴───────────┘",
        "",
    ]


def test_table_wraps_only_wide_columns_and_keeps_them_at_least_twelve_wide(terminal: Terminal) -> None:
    assert terminal.print(ROWS, COLUMNS, "Titel", width=40) == [
        "Titel",
        "┏━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━",
        "┃ Id     ┃ Läge      ┃ Anmärkning   ┃ Kl",
        "┡━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━",
        "│ a[b]   │ upphört   │ [bold]inte   │ ja",
        "│        │           │ fet[/bold]   │",
        "│        │           │ och lång     │",
        "│        │           │ text som     │",
        "│        │           │ bryts        │",
        "│ x-2026 │ okänt [x] │              │ ne",
        "│ y      │           │ kort         │ 1,",
        "└────────┴───────────┴──────────────┴───",
        "",
    ]


def test_table_wraps_a_wide_column_at_word_boundaries(terminal: Terminal) -> None:
    rows = [{"id": "SB-2026-001", "note": "en lång anmärkning som måste brytas"}, {"id": "x", "note": "kort"}]
    columns = [Column("id", "Id"), Column("note", "Anmärkning", wide=True)]
    assert terminal.print(rows, columns, "Smal", width=30) == [
        "Smal",
        "┏━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┓",
        "┃ Id          ┃ Anmärkning   ┃",
        "┡━━━━━━━━━━━━━╇━━━━━━━━━━━━━━┩",
        "│ SB-2026-001 │ en lång      │",
        "│             │ anmärkning   │",
        "│             │ som måste    │",
        "│             │ brytas       │",
        "│ x           │ kort         │",
        "└─────────────┴──────────────┘",
        "",
    ]


def test_short_columns_keep_their_headings_on_one_line(terminal: Terminal) -> None:
    rows = [{"date": "2026-01-01", "days": "3"}]
    columns = [Column("date", "Säg upp senast"), Column("days", "Dagar kvar")]
    assert terminal.print(rows, columns, "T", width=24) == [
        "T",
        "┏━━━━━━━━━━━━┳━━━━━━━━━┓",
        "┃ Säg upp s… ┃ Dagar … ┃",
        "┡━━━━━━━━━━━━╇━━━━━━━━━┩",
        "│ 2026-01-01 │ 3       │",
        "└────────────┴─────────┘",
        "",
    ]


def test_short_columns_keep_24_characters_of_a_long_value_on_one_line(terminal: Terminal) -> None:
    rows = [{"id": "dokument-med-ett-mycket-langt-id", "days": "3"}, {"id": "kort", "days": "12"}]
    columns = [Column("id", "Dokument"), Column("days", "Dagar kvar")]
    assert terminal.print(rows, columns, "T", width=34) == [
        "T",
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━",
        "┃ Dokument                 ┃ Dag…",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━",
        "│ dokument-med-ett-mycket… │ 3",
        "│ kort                     │ 12",
        "└──────────────────────────┴──────",
        "",
    ]


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
    "förlängning": "cyan",
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
    assert output[0] == "\x1b[3mFärger" + " " * (width * 2 + 1) + "\x1b[0m"
    assert output[2] == f"┃\x1b[1m \x1b[0m\x1b[1m{'Läge':<{width}}\x1b[0m\x1b[1m \x1b[0m┃" + (
        f"\x1b[1m \x1b[0m\x1b[1m{'Text':<{width}}\x1b[0m\x1b[1m \x1b[0m┃"
    )
    body = output[4 : 4 + len(rows)]
    assert body == [
        f"│ \x1b[{COLOURS[colour]}m{cell(state)}\x1b[0m{' ' * (width - len(cell(state)))} │ {cell(state):<{width}} │"
        for state, colour in STATE_COLOURS.items()
    ]


def test_unknown_states_and_plain_columns_are_text_not_markup(terminal: Terminal) -> None:
    columns = [Column("state", "Läge", styled=True), Column("plain", "Text")]
    rows: list[dict[str, Any]] = [
        {"state": "okänt [red]x", "plain": "[red]y"},
        {"state": ["expired"], "plain": 5},
        {"state": 7, "plain": "draft"},
    ]
    output = terminal.coloured(rows, columns, "T").split("\n")
    assert output[4:8] == [
        "│ okänt [red]x │ [red]y │",
        "│ upphört      │ 5      │",
        "│ 7            │ utkast │",
        "└──────────────┴────────┘",
    ]


def test_csv_guards_formulas_by_the_value_and_keeps_line_breaks_inside_lists() -> None:
    rows = [{"id": "=1+1", "count": -3, "notes": ["rad\r\nett", "två"]}]
    columns = [Column("id", "Id"), Column("count", "Antal"), Column("notes", "Noter")]
    assert tables.as_csv(rows, columns, "Titel") == 'Id,Antal,Noter\n\'=1+1,-3,"rad\r\nett, två"\n'
