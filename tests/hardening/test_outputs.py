"""Outputs that cannot be turned against their reader: a spreadsheet, a terminal, a CI log, an XML or
JSON consumer, a calendar, a Markdown viewer. Each attack is written into a document as an attacker
with commit rights would write it, and read back the way its reader reads it."""

import csv
import io
import json
import os
import shutil
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import REPO, invoke, sb

AS_OF = ("--as-of", "2026-11-22")


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    return tmp_path


def edit(repo, relpath, old, new):
    path = repo / relpath
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


LEDNINGSSYSTEM = "documents/styrdokument/ledningssystem-2021.md"
PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"


def test_csv_cells_cannot_be_formulas(repo):
    edit(
        repo, LEDNINGSSYSTEM, "title: Samverkan Blekinge – ledningssystem", 'title: "=HYPERLINK(\\"http://x\\")\\rrad"'
    )
    result = invoke("list", "--root", repo, *AS_OF, "--format", "csv")  # in-process: the bytes as written
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    titles = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x")\rrad' in titles
    assert all(not t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in titles)


def test_a_number_stays_a_number_and_every_formula_start_is_neutralised():
    from sb_cli.reporters.escape import csv_cell

    assert csv_cell(-39, "-39") == "-39"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(f"{start}1+1", f"{start}1+1") == f"'{start}1+1"
    assert csv_cell("Region Blekinge", "Region Blekinge") == "Region Blekinge"


@pytest.mark.slow
def test_no_output_line_from_document_content_is_a_workflow_command(repo):
    edit(repo, PROTOCOL, "{name: Martin Åsman,", '{name: "Okänd\\n::add-mask::hemlig\\r::error::x",')
    for output_format in ("text", "github"):
        result = sb("validate", "--root", repo, *AS_OF, "--format", output_format)
        lines = result.stdout.splitlines()
        assert any("Okänd" in line for line in lines)
        assert not [line for line in lines if line.startswith("::") and "Okänd" in line and output_format == "text"]
        assert not [line for line in lines if line.startswith(("::add-mask::", "::error::x"))]


@pytest.mark.slow
def test_terminal_escape_sequences_are_shown_not_run(repo):
    edit(repo, LEDNINGSSYSTEM, "title: Samverkan Blekinge – ledningssystem", 'title: "Titel \\e[2J\\e]0;x\\a \\u202e"')
    for command in (("list",), ("show", "ledningssystem-2021"), ("report", "overdue")):
        result = sb(*command, "--root", repo, *AS_OF, env={**os.environ, "COLUMNS": "200"})
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
        assert "\\x1b[2J" in result.stdout


@pytest.mark.slow
def test_junit_sarif_and_json_stay_well_formed_with_any_bytes_in_names_and_paths(repo):
    edit(repo, PROTOCOL, "{name: Martin Åsman,", '{name: "Kontroll\\x01tecken\\x1b",')
    odd = os.fsdecode(b"documents/\xff\xfe-trasig.yaml")
    (repo / odd).write_bytes(b"id: [\n")
    junit = sb("validate", "--root", repo, *AS_OF, "--format", "junit")
    tree = ET.fromstring(junit.stdout.encode("utf-8"))
    assert "Kontroll\\x01tecken" in ET.tostring(tree, encoding="unicode")
    for output_format in ("json", "sarif"):
        result = sb("validate", "--root", repo, *AS_OF, "--format", output_format)
        raw = result.stdout.encode("utf-8")
        raw.decode("utf-8", "strict")
        payload = json.loads(raw)
        results = payload["findings"] if output_format == "json" else payload["runs"][0]["results"]
        paths = [r.get("path") or r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
        # JSON shows the name readably; a SARIF URI names the file itself, its bytes percent-encoded.
        shown = "documents/\\xff\\xfe-trasig.yaml" if output_format == "json" else "documents/%FF%FE-trasig.yaml"
        assert shown in paths


def test_the_calendar_carries_no_control_characters(repo, tmp_path):
    path = repo / "documents/styrdokument/overenskommelse-malgrupper-2023.md"
    lines = path.read_text("utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[index] = 'title: "Överenskommelse\\x07\\x1b[31m\\x00"'
    path.write_text("\n".join(lines), "utf-8")
    out = tmp_path / "k.ics"
    assert sb("calendar", "--out", out, "--root", repo, *AS_OF).returncode == 0
    text = out.read_text("utf-8")
    assert not [c for c in text if (ord(c) < 32 and c not in "\r\n\t") or 0x7F <= ord(c) <= 0x9F]
    assert "Överenskommelse[31m" in text.replace("\n ", "")


@pytest.mark.slow
def test_literal_text_in_the_source_stays_literal_in_markdown(repo, tmp_path):
    from markdown_it import MarkdownIt

    body = (
        "Texten &lt;script&gt;alert(1)&lt;/script&gt; och \\<b\\>fet\\</b\\> och \\*inte kursiv\\*.\n\n"
        "\\# Ingen rubrik\n"
    )
    path = repo / LEDNINGSSYSTEM
    text = path.read_text("utf-8")
    marker = "\n---\n"
    head_end = text.index(marker, 4) + len(marker)
    path.write_text(text[:head_end] + body + text[head_end:], "utf-8")
    assert sb("render", path, "--to", "md", "--out", tmp_path / "ut", "--root", repo).returncode == 0
    rendered = (tmp_path / "ut" / "ledningssystem-2021.md").read_text("utf-8")
    tokens = MarkdownIt("commonmark", {"html": True}).parse(rendered)
    inline = [child for t in tokens for child in (t.children or [])]
    assert not [t for t in tokens + inline if t.type in ("html_inline", "html_block")]
    html = MarkdownIt("commonmark", {"html": True}).render(rendered)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "<em>inte kursiv</em>" not in html and "*inte kursiv*" in html
    assert "<h1>Ingen rubrik</h1>" not in html
