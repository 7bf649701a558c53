"""Reading Word, PDF and text files into blocks: body order, Word's numbering as a reader sees it,
tables kept as cells, page furniture dropped, sb's own rendered files read back in reading order,
and every file sb refuses to read, without writing anything."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from sb_cli.errors import SbError
from sb_cli.importing.readers import decode_text, read_source
from sb_cli.importing.source import Block, Source
from tests.conftest import REPO, sb

LSVO = REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"


def texts(source: Source) -> list[str]:
    return [block.text for block in source.blocks if not block.rows]


# --- text files ---------------------------------------------------------------------------------


def test_a_text_file_is_a_block_per_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffRubrik\r\n\r\n  1. första raden  \nSista".encode())
    source = read_source(path)
    assert source.kind == "txt" and source.name == "a.txt"
    assert texts(source) == ["Rubrik", "", "  1. första raden", "Sista"]


def test_text_that_is_not_utf8_is_read_as_windows_1252() -> None:
    assert decode_text("Överenskommelse – giltig".encode("cp1252")) == "Överenskommelse – giltig"
    assert decode_text(b"\x81\xe5") == "\x81å"  # 0x81 is undefined in Windows-1252
    assert decode_text("å".encode("utf-16")) == "å"
    assert decode_text(b"PK\x03\x04\x00\x00") is None


# --- Word files ---------------------------------------------------------------------------------

_NUMBERING = f"""
<w:abstractNum {nsdecls("w")} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>
</w:abstractNum>|
<w:abstractNum {nsdecls("w")} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2/"/></w:lvl>
</w:abstractNum>|
<w:abstractNum {nsdecls("w")} w:abstractNumId="92">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>|
<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>|
<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>|
<w:num {nsdecls("w")} w:numId="92"><w:abstractNumId w:val="91"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>|
<w:num {nsdecls("w")} w:numId="93"><w:abstractNumId w:val="92"/></w:num>
"""


def _numbered(paragraph: docx.text.paragraph.Paragraph, num_id: int, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


@pytest.fixture(scope="module")
def word_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Word file as people write them: numbered headings, lists, a table, header and footer."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstracts = [parse_xml(xml) for xml in _NUMBERING.split("|")]
    for element in abstracts:  # abstract lists must come before the lists that use them
        if element.tag.endswith("abstractNum"):
            numbering.insert(0, element)
        else:
            numbering.append(element)
    section = document.sections[0]
    section.header.paragraphs[0].text = "Riktlinje för inläsning"
    section.footer.paragraphs[0].text = "Sida 1 av 3"
    document.add_paragraph("Riktlinje för inläsning", style="Title")
    for text, level, ilvl in (("Inledning", 1, 0), ("Syfte", 2, 1), ("Ansvar", 3, 2), ("Uppföljning", 3, 2)):
        _numbered(document.add_heading(text, level), 90, ilvl)
    _numbered(document.add_heading("Genomförande", 1), 90, 0)
    _numbered(document.add_heading("Tillämpning", 2), 90, 1)
    for text, num_id, ilvl in (("Första", 91, 0), ("under", 91, 1), ("under igen", 91, 1), ("Andra", 91, 0),
                               ("Ny lista", 92, 0), ("punkt", 93, 0)):  # fmt: skip
        _numbered(document.add_paragraph(text), num_id, ilvl)
    document.add_paragraph("i stil", style="List Bullet")
    document.add_paragraph("Riktlinje för inläsning")  # the header's text again, as a converter leaves it
    document.add_paragraph("Sida 2")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Närvarande", "Anna Ek"
    table.cell(0, 1).add_paragraph("Bo Ek")
    table.cell(1, 0).text, table.cell(1, 1).text = "Frånvarande", "Cia Ek"
    outlined = document.add_paragraph("Bilagor")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    edited = document.add_paragraph("Kvar ")
    edited._p.append(
        parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="x"><w:r><w:delText>struket</w:delText></w:r></w:del>')
    )
    edited._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:rPr><w:vanish/></w:rPr><w:t>dolt</w:t></w:r>"))
    edited._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="x"><w:r><w:t>tillagt</w:t></w:r></w:ins>'))
    path = tmp_path_factory.mktemp("word") / "riktlinje.docx"
    document.save(str(path))
    return path


@pytest.mark.slow
def test_word_paragraphs_come_in_body_order_with_their_numbering_written_in(word_file: Path) -> None:
    source = read_source(word_file)
    assert source.kind == "docx"
    assert texts(source) == [
        "Riktlinje för inläsning",
        "1 Inledning",
        "1.1 Syfte",
        "1.1.1 Ansvar",
        "1.1.2 Uppföljning",
        "2 Genomförande",
        "2.1 Tillämpning",
        "1). Första",
        "a/ under",
        "b/ under igen",
        "2). Andra",
        "1). Ny lista",  # a list that restarts its numbering
        "punkt",
        "i stil",
        "Bilagor",
        "Kvar tillagt",
    ]


@pytest.mark.slow
def test_word_styles_give_headings_and_bullets(word_file: Path) -> None:
    blocks = {block.text: block for block in read_source(word_file).blocks if not block.rows}
    assert blocks["Riktlinje för inläsning"].style == "Title"
    assert [blocks[t].heading for t in ("1 Inledning", "1.1 Syfte", "1.1.1 Ansvar", "Bilagor")] == [1, 2, 3, 2]
    assert blocks["punkt"].bullet and blocks["i stil"].bullet and blocks["i stil"].style == "List Bullet"
    assert not blocks["1). Första"].bullet and blocks["1). Första"].heading == 0


@pytest.mark.slow
def test_a_word_table_keeps_its_cells_where_it_stands(word_file: Path) -> None:
    blocks = read_source(word_file).blocks
    tables = [i for i, block in enumerate(blocks) if block.rows]
    assert len(tables) == 1
    assert blocks[tables[0]].rows == (("Närvarande", "Anna Ek\nBo Ek"), ("Frånvarande", "Cia Ek"))
    assert blocks[tables[0] - 1].text == "i stil" and blocks[tables[0] + 1].text == "Bilagor"


# --- sb's own files, rendered -------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rendered")
    for fmt in ("docx", "pdf"):
        result = sb("render", LSVO, "--to", fmt, "--out", out)
        assert result.returncode == 0, result.stderr
    return out


def _timed(path: Path) -> Source:
    start = time.perf_counter()
    source = read_source(path)
    print(f"\n{path.name}: {time.perf_counter() - start:.2f} s, {len(source.blocks)} block")  # noqa: T201
    return source


def _order(lines: list[str], *wanted: str) -> list[int]:
    return [next(i for i, line in enumerate(lines) if line.startswith(w)) for w in wanted]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_sbs_own_protocol_reads_back_in_reading_order(rendered: Path, fmt: str) -> None:
    source = _timed(rendered / f"LSVO-2023-06-16.{fmt}")
    lines = [" ".join(line.replace("\t", " ").split()) for line in source.lines()]
    positions = _order(lines, "LSVO", "Ärendeförteckning", "§61 Godkännande", "§72 Övriga", "Tid och plats:",
                       "Närvarande ledamöter:", "Frånvarande:", "Övriga deltagare", "§ 61", "§ 62", "§ 72")  # fmt: skip
    assert positions == sorted(positions)
    assert not any(line.startswith("LSVO-2023-06-16 · commit") for line in lines)  # the running footer
    table = next(block for block in source.blocks if block.rows)
    rows = {row[0]: row[1] for row in table.rows}
    assert rows["Tid och plats:"] == "Fredagen den 16 juni 2023 kl. 08.15–12.00, via Teams"
    others = rows["Övriga deltagare och föredragande:"].split("\n")
    assert (
        others[0] == "Judith Moss Månsson, MAR §64"
        and others[-1] == "Peter Adaktusson, projektledare, Region Blekinge §70"
    )
    present = rows["Närvarande ledamöter:"].split("\n")
    assert present[1] == "Martin Åsman, förvaltningschef Barn- och utbildningsförvaltningen, Sölvesborgs kommun"
    assert len(present) == 17  # the list goes on over the page break


@pytest.mark.slow
def test_sbs_own_pdf_has_pages_headings_and_no_page_numbers(rendered: Path) -> None:
    blocks = read_source(rendered / "LSVO-2023-06-16.pdf").blocks
    assert {b.page for b in blocks} == set(range(1, 9))
    # page 3 begins under the signatures, with the justering
    assert next(b.text for b in blocks if b.page == 3 and b.text) == "Protokollet är justerat (datum okänt)"
    assert not any(b.text.endswith(("(8)", "Sammanträdesprotokoll 2023-06-16")) for b in blocks if b.page > 1)
    heading = next(b for b in blocks if b.text == "§ 63")
    assert heading.heading > 0 and heading.page == 3
    assert next(b for b in blocks if b.text.startswith("Samverkan Blekinges ledningssystem godkändes")).heading == 0


# --- refusals -----------------------------------------------------------------------------------


def _refused(path: Path, *words: str, max_bytes: int | None = None) -> SbError:
    before = sorted(path.parent.iterdir())
    with pytest.raises(SbError) as caught:
        read_source(path) if max_bytes is None else read_source(path, max_bytes=max_bytes)
    assert sorted(path.parent.iterdir()) == before, "a refused file must leave no file behind"
    error = caught.value
    assert str(path) in error.message and error.hint
    for word in words:
        assert word in error.message
    return error


def _pdf_with(tmp_path: Path, name: str, *, encrypted: bool = False) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    path = tmp_path / name
    if encrypted:
        pdf.save(path, encryption=pikepdf.Encryption(owner="ägare", user="hemligt"))
    else:
        pdf.save(path)
    return path


def test_an_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    _refused(_pdf_with(tmp_path, "låst.pdf", encrypted=True), "krypterad")


def test_a_scanned_pdf_without_text_is_refused(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "skannad.pdf"
    Image.new("RGB", (200, 280), "white").save(path)
    _refused(path, "har inget textlager; sb läser inte inskannade dokument")


def test_an_empty_pdf_and_a_damaged_pdf_are_refused(tmp_path: Path) -> None:
    _refused(_pdf_with(tmp_path, "tom.pdf"), "innehåller ingen text")
    damaged = tmp_path / "trasig.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    _refused(damaged, "kan inte läsas som PDF-fil")


@pytest.mark.slow
def test_a_truncated_word_file_is_refused(word_file: Path, tmp_path: Path) -> None:
    data = word_file.read_bytes()
    path = tmp_path / "avbruten.docx"
    path.write_bytes(data[: len(data) // 2])
    _refused(path, "kan inte läsas som Word-fil")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 12_000_000)
    assert path.stat().st_size < 100_000
    _refused(path, "kan inte läsas som Word-fil", "uppackade", max_bytes=1_000_000)


@pytest.mark.slow
def test_a_word_file_with_its_own_xml_entities_is_refused(word_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "entiteter.docx"
    with zipfile.ZipFile(word_file) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>', 1)
            target.writestr(info, data)
    _refused(path, "XML-entiteter")


def test_old_and_encrypted_office_files_are_refused(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    old = tmp_path / "gammal.docx"
    old.write_bytes(ole)
    _refused(old, "äldre Word-fil")
    locked = tmp_path / "låst.docx"
    locked.write_bytes(ole + "EncryptedPackage".encode("utf-16-le"))
    _refused(locked, "krypterad")


def test_files_too_large_of_an_unknown_kind_or_empty_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "stor.txt"
    with big.open("wb") as stream:
        stream.truncate(20_000_001)
    _refused(big, "är större än 20 MB")
    rtf = tmp_path / "gammal.rtf"
    rtf.write_text("{\\rtf1 Hej}")
    _refused(rtf, "filtypen (.rtf)")
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    _refused(empty, "tom")
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  \n")
    _refused(blank, "innehåller ingen text")
    binary = tmp_path / "binär.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    _refused(binary, "ingen textfil")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SbError, match="finns inte"):
        read_source(tmp_path / "saknas.docx")


def test_blocks_are_what_source_expects() -> None:
    block = Block("", rows=(("a", "b\nc"),))
    assert Source("x", "docx", (block,)).lines() == ["a  b\nc"]
