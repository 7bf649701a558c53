"""Rows as a user gets them from `sb report` and `sb list`: tables that keep every cell whole at 80 and
120 columns and are not cut in a file, CSV for Excel and LibreOffice, xlsx, and `--out`."""

import csv
import datetime as dt
import fcntl
import io
import json
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from sb_cli.cli.app import app
from sb_cli.reporters.tables import cell
from tests.conftest import REPO, invoke, sb

AS_OF = ("--as-of", "2026-11-22")
REPORTS = ["expiring", "overdue", "decisions", "arshjul", "adoption"]
# What each table shows, column by column (the keys of the JSON rows).
SHOWN = {
    ("report", "decisions"): ["reference", "meeting", "item", "text", "responsible", "due", "followed_up_by", "status"],
    ("report", "expiring"): [
        "event_date",
        "days_left",
        "event",
        "id",
        "valid_until",
        "effective_end",
        "next_notice_deadline",
        "state",
        "note",
    ],
    ("list",): ["id", "type", "title", "owner", "version", "date", "state"],
}


def environment(**extra):
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR")}
    return {**base, **extra}


def json_rows(*command):
    result = invoke(*command, *AS_OF, "--root", REPO, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def words(rows, keys):
    return [word for row in rows for key in keys for word in cell(row.get(key)).split()]


# --- tables ------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("command", list(SHOWN), ids=" ".join)
@pytest.mark.parametrize("columns", ["80", "120"])
def test_every_word_of_every_cell_is_shown_whole(command, columns):
    rows = json_rows(*command)
    assert rows
    result = sb(*command, *AS_OF, "--root", REPO, env=environment(COLUMNS=columns))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= int(columns) for line in lines)
    tokens = result.stdout.split()
    missing = [w for w in words(rows, SHOWN[command]) if w not in tokens]
    assert not missing


def test_at_80_columns_the_decisions_show_their_text():
    rows = json_rows("report", "decisions")
    result = sb("report", "decisions", *AS_OF, "--root", REPO, env=environment(COLUMNS="80"))
    squeezed = " ".join(result.stdout.split())
    for row in rows:
        assert " ".join(row["text"].split()) in squeezed


@pytest.mark.slow
def test_output_to_a_file_or_pipe_is_not_cut_or_wrapped():
    rows = json_rows("report", "decisions")
    result = sb("report", "decisions", *AS_OF, "--root", REPO, env=environment())
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) > 200
    for row in rows:
        assert any(row["text"] in line and row["reference"] in line for line in lines), row["text"]
    listed = sb("list", *AS_OF, "--root", REPO, env=environment()).stdout.splitlines()
    for row in json_rows("list"):
        assert any(row["title"] in line and line.startswith(row["id"]) for line in listed)


def test_a_terminal_gets_its_own_width(tmp_path):
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "sb_cli", "list", *AS_OF, "--root", str(REPO)],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=environment(TERM="dumb"),
    )
    os.close(secondary)
    shown = _read_all(primary)
    assert process.wait(timeout=120) == 0
    lines = shown.decode("utf-8").splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 100
    assert "overenskommelse-malgrupper-2023" in shown.decode("utf-8").split()


def _read_all(descriptor):
    chunks = []
    while True:
        try:
            chunk = os.read(descriptor, 65536)
        except OSError:  # the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(descriptor)
    return b"".join(chunks)


# --- csv ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("list",), *(("report", r) for r in REPORTS)], ids=" ".join)
def test_csv_starts_with_a_bom_and_ends_lines_with_crlf(command):
    result = invoke(*command, *AS_OF, "--root", REPO, "--format", "csv")
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") >= len(json_rows(*command)) + 1
    assert b"\n" not in data.replace(b"\r\n", b"")  # the corpus's cells have no line breaks


def test_csv_with_semicolons_is_the_same_table():
    plain = invoke("report", "expiring", *AS_OF, "--root", REPO, "--format", "csv").stdout_bytes.decode("utf-8-sig")
    semi = invoke("report", "expiring", *AS_OF, "--root", REPO, "--format", "csv", "--delimiter", ";")
    assert semi.exit_code == 0
    text = semi.stdout_bytes.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "Datum;Dagar kvar;Händelse;Dokument;Titel;Ägare;Parter;"
        "Avtalstid till;Gäller till;Säg upp senast;Läge;Anmärkning"
    )
    read = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert read == list(csv.reader(io.StringIO(plain, newline="")))
    assert read[1][:4] == ["2026-12-31", "39", "förlängs", "overenskommelse-malgrupper-2023"]


def test_a_delimiter_other_than_comma_or_semicolon_is_a_usage_error():
    result = sb("list", "--format", "csv", "--delimiter", "\t", *AS_OF, "--root", REPO)
    assert result.returncode == 2
    assert "Ogiltigt värde för '--delimiter'" in result.stderr and "',', ';'" in result.stderr


def test_a_delimiter_without_csv_is_a_usage_error():
    result = sb("report", "overdue", "--delimiter", ";", *AS_OF, "--root", REPO)
    assert result.returncode == 2
    assert "sb: fel: --delimiter gäller bara --format csv" in result.stderr


# --- xlsx and --out ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("list",), *(("report", r) for r in REPORTS)], ids=" ".join)
def test_xlsx_to_a_pipe_is_a_workbook_with_every_row(command):
    result = invoke(*command, *AS_OF, "--root", REPO, "--format", "xlsx")
    assert result.exit_code == 0
    sheet = load_workbook(io.BytesIO(result.stdout_bytes)).active
    assert sheet.max_row == len(json_rows(*command)) + 1
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")


def test_xlsx_has_real_dates_and_numbers():
    result = invoke("report", "expiring", *AS_OF, "--root", REPO, "--format", "xlsx")
    sheet = load_workbook(io.BytesIO(result.stdout_bytes)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Säg upp senast"].is_date and row["Säg upp senast"].value.date() == dt.date(2027, 12, 31)
    assert row["Säg upp senast"].number_format == "yyyy-mm-dd"
    assert (row["Dagar kvar"].value, row["Dagar kvar"].data_type) == (39, "n")
    assert row["Läge"].value == "gäller"


def test_xlsx_refuses_a_terminal():
    primary, secondary = pty.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "sb_cli", "report", "overdue", "--format", "xlsx", *AS_OF, "--root", str(REPO)],
        stdout=secondary,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        env=environment(),
    )
    os.close(secondary)
    written = _read_all(primary)
    assert process.returncode == 2
    assert "xlsx är ett binärt format och skrivs inte till terminalen" in process.stderr
    assert "--out FIL.xlsx" in process.stderr and "> fil.xlsx" in process.stderr
    assert b"PK" not in written


@pytest.mark.slow
def test_out_takes_the_format_from_the_suffix_and_writes_the_file_whole(tmp_path):
    for name, check in (
        ("beslut.xlsx", lambda data: load_workbook(io.BytesIO(data)).active.max_row == 47),
        ("beslut.csv", lambda data: data.startswith(b"\xef\xbb\xbfParagraf,")),
        ("beslut.json", lambda data: len(json.loads(data)) == 46),
        ("beslut.md", lambda data: data.startswith(b"## Beslut (per 2026-11-22)")),
        ("beslut.txt", lambda data: b"\x1b" not in data and b"LSVO-2023-06-16 \xc2\xa766" in data),
    ):
        out = tmp_path / "ut" / name
        result = sb("report", "decisions", *AS_OF, "--root", REPO, "--out", out)
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        assert result.stderr == f"46 rader skrivna till {out}\n"
        assert check(out.read_bytes()), name
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == [
        "beslut.csv",
        "beslut.json",
        "beslut.md",
        "beslut.txt",
        "beslut.xlsx",
    ]


def test_out_with_a_format_writes_that_format_and_a_delimiter(tmp_path):
    out = tmp_path / "lista.data"
    result = sb("list", *AS_OF, "--root", REPO, "--out", out, "--format", "csv", "--delimiter", ";")
    assert result.returncode == 0
    assert out.read_bytes().startswith("\ufeffId;Typ;Titel;Ägare;Version;Datum;Läge\r\n".encode())


def test_out_with_an_unknown_suffix_and_no_format_is_a_usage_error(tmp_path):
    result = sb("list", *AS_OF, "--root", REPO, "--out", tmp_path / "lista.ods")
    assert result.returncode == 2
    assert "formatet för" in result.stderr and ".txt, .json, .csv, .md, .markdown, .xlsx" in result.stderr
    assert not (tmp_path / "lista.ods").exists()


@pytest.mark.slow
def test_the_table_written_to_a_file_is_the_one_a_pipe_gets(tmp_path):
    out = tmp_path / "lista.txt"
    sb("list", *AS_OF, "--root", REPO, "--out", out)
    piped = sb("list", *AS_OF, "--root", REPO, env=environment()).stdout
    assert out.read_text("utf-8") == "".join(line.rstrip() + "\n" for line in piped.splitlines())


@pytest.mark.slow
def test_xlsx_with_source_date_epoch_is_the_same_bytes_every_time(tmp_path):
    env = environment(SOURCE_DATE_EPOCH="1764000000")
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    sb("report", "decisions", *AS_OF, "--root", REPO, "--out", first, env=env)
    sb("report", "decisions", *AS_OF, "--root", REPO, "--out", second, env=env)
    assert first.read_bytes() == second.read_bytes()
    created = load_workbook(first).properties.created
    assert created is not None and created.isoformat() == "2025-11-24T16:00:00"


# --- formats: each command offers what it writes -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("command", [("list",), *(("report", r) for r in REPORTS)], ids=" ".join)
def test_every_format_a_row_command_offers_is_written(command):
    for output in ("table", "json", "csv", "markdown", "xlsx"):
        result = CliRunner().invoke(app, [*command, *AS_OF, "--root", str(REPO), "--format", output])
        assert result.exit_code == 0, (output, result.output)
        assert result.stdout_bytes
    offered = invoke(*command, "--help").stdout
    assert "xlsx" in offered and "--delimiter" in offered and "--out" in offered
