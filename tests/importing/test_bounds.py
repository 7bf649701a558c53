"""`sb import` of a file made to explode: a Word file of millions of paragraphs, a PDF whose stream
unpacks to gigabytes, a text of endless lines. Each is refused before it is unpacked or within the
render workers' limits (render_seconds, render_memory_mb), with a Swedish message naming the file
and the limit, exit 2, no traceback and no draft; and no draft is larger than sb reads
(max_file_bytes)."""

from __future__ import annotations

import binascii
import os
import random
import shutil
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sb_cli.errors import SbError
from sb_cli.importing import bounds
from sb_cli.importing.readers import read_source
from sb_cli.render.isolation import Limits, OverLimit, run_limited
from tests.conftest import REPO, sb

AS_OF = "2026-11-22"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_WORDS = ("beslut", "samverkan", "rutin", "ansvar", "region", "kommun", "uppföljning", "mål", "insats", "plan")


# --- hostile files, made here ----------------------------------------------------------------------


def word_file(path: Path, paragraphs: Iterable[str], *, extra: dict[str, bytes] | None = None) -> Path:
    """A Word file of plain paragraphs, its document part written as a stream."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELATIONSHIPS)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        with archive.open("word/document.xml", "w") as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode())
            for text in paragraphs:
                part.write(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode())
            part.write(b"</w:body></w:document>")
    return path


def same_paragraphs(count: int) -> Iterator[str]:
    """The issue's file: one short paragraph over and over, which packs some 300 times."""
    return ("Detta är ett stycke text." for _ in range(count))


def varied_paragraphs(count: int) -> Iterator[str]:
    """Paragraphs of ordinary words, which pack some ten times, as a real document's do."""
    rng = random.Random(count)
    return (f"{' '.join(rng.choices(_WORDS, k=4))} {n}" for n in range(count))


def pdf_file(path: Path, raw: bytes, filters: list[str], *, pages: int = 1) -> Path:
    """A PDF whose first page's content is `raw`, packed with `filters` (as stored, not re-packed)."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    stream = pikepdf.Stream(pdf, raw)
    stream.Filter = pikepdf.Array([pikepdf.Name(name) for name in filters])
    pdf.pages[0].Contents = stream
    pdf.save(path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return path


def zeros_deflated(megabytes: int) -> bytes:
    """`megabytes` of zeros packed with Flate, a megabyte at a time (never held unpacked)."""
    packer = zlib.compressobj(9)
    zeros = bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()


def text_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF of text lines in Helvetica."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))  # fmt: skip
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    shown = " T* ".join(f"({line}) Tj" for line in lines)
    page.Contents = pdf.make_stream(f"BT /F1 10 Tf 14 TL 50 800 Td {shown} ET".encode())
    pdf.save(path)
    return path


# --- sb import as a user runs it ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    name: str
    make: Callable[[Path], Path]
    settings: str  # sb.toml
    says: tuple[str, ...]  # what the Swedish message must name


def _many_same(path: Path) -> Path:
    return word_file(path, same_paragraphs(30_000))


def _many_varied(path: Path) -> Path:
    return word_file(path, varied_paragraphs(20_000))


def _over_element_limit(path: Path) -> Path:
    return word_file(path, (f"s{n}" for n in range(100_001)))


def _slow(path: Path) -> Path:
    return word_file(path, varied_paragraphs(90_000))


def _flate_bomb(path: Path) -> Path:
    return pdf_file(path, zeros_deflated(20), ["/FlateDecode"])


def _double_flate_bomb(path: Path) -> Path:
    return pdf_file(path, zlib.compress(zeros_deflated(20)), ["/FlateDecode", "/FlateDecode"])


def _hidden_flate_bomb(path: Path) -> Path:
    # Hex around Flate: the check before reading leaves it to the child's memory limit.
    return pdf_file(path, binascii.hexlify(zeros_deflated(300)) + b">", ["/ASCIIHexDecode", "/FlateDecode"])


def _endless_lines(path: Path) -> Path:
    path.write_text("a\n" * 100_001, "utf-8")
    return path


HOSTILE = [
    # The Word file (2 million paragraphs in 360 KB) at the smallest size that still wrote a draft
    # larger than max_file_bytes.
    Hostile("stycken.docx", _many_same, "max_file_bytes = 100_000\n", ("packas upp mer än 100 gånger",)),
    Hostile("varierat.docx", _many_varied, "max_file_bytes = 100_000\n", ("utkastet blir för stort", "max_file_bytes")),
    Hostile("gräns.docx", _over_element_limit, "", ("fler än 100 000 stycken, rader och tabellceller",)),
    Hostile("långsam.docx", _slow, "render_seconds = 1\n", ("mer än 1 sekunder", "render_seconds = 1")),
    # The PDF (a stream that unpacks to 2 GB) at a size that shows the check.
    Hostile("bomb.pdf", _flate_bomb, "", ("packas upp mer än 100 gånger",)),
    Hostile("dubbel.pdf", _double_flate_bomb, "", ("packas upp mer än 100 gånger",)),
    Hostile("dold.pdf", _hidden_flate_bomb, "render_memory_mb = 256\n", ("mer minne än 256 MB", "render_memory_mb")),
    Hostile("rader.txt", _endless_lines, "", ("fler än 100 000 stycken, rader och tabellceller",)),
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "documents", root / "documents")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_a_hostile_file_is_refused_in_swedish_and_nothing_is_written(
    hostile: Hostile, repo: Path, tmp_path: Path
) -> None:
    (repo / "sb.toml").write_text(hostile.settings, "utf-8")
    source = hostile.make(tmp_path / hostile.name)
    before = sorted(repo.rglob("*"))
    started = time.monotonic()
    result = sb("import", str(source), "--type", "rutin", "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 2, result.stdout[-500:] + result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    message = result.stderr
    assert f"sb: fel: {source}:" in message
    for words in hostile.says:
        assert words in message, message
    assert sorted(repo.rglob("*")) == before, "a refused file must leave no draft"
    assert time.monotonic() - started < 30


@pytest.mark.slow
def test_a_draft_within_max_file_bytes_is_still_written(repo: Path, tmp_path: Path) -> None:
    (repo / "sb.toml").write_text("max_file_bytes = 100_000\n", "utf-8")
    source = word_file(tmp_path / "lagom.docx", varied_paragraphs(500))
    result = sb("import", str(source), "--type", "rutin", "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / result.stdout.strip()).stat().st_size <= 100_000


# --- the checks before reading -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "refused"),
    [
        (bytes(2_000_000), True),  # zeros: a thousand times
        (bytes(900_000), False),  # as packed, but under a megabyte unpacked
        (random.Random(1).randbytes(2_000_000), False),  # an image: does not pack at all
        (b"<a/>" * 300_000, True),  # repeated markup: some 400 times
    ],
    ids=["nollor", "liten", "bild", "upprepad-xml"],
)
def test_a_word_part_that_unpacks_over_a_hundred_times_its_size_is_refused_before_reading(
    tmp_path: Path, member: bytes, refused: bool
) -> None:
    path = word_file(tmp_path / "del.docx", ["Text"], extra={"word/media/del.bin": member})
    if refused:
        with pytest.raises(SbError, match="word/media/del.bin packas upp mer än 100 gånger"):
            read_source(path)
    else:
        assert [block.text for block in read_source(path).blocks] == ["Text"]


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3_000_000).map(lambda b: b * 2), stages=st.integers(1, 3))
def test_a_pdf_stream_is_unpacked_in_pieces_to_the_same_bytes(data: bytes, stages: int) -> None:
    packed = data
    for _ in range(stages):
        packed = zlib.compress(packed)
    pieces = list(bounds._inflated(packed, stages))
    assert b"".join(pieces) == data
    assert all(len(piece) <= 1 << 20 for piece in pieces)


def test_a_damaged_flate_stream_is_counted_as_far_as_it_goes() -> None:
    assert b"".join(bounds._inflated(b"inte zlib", 1)) == b""
    truncated = zlib.compress(b"abc" * 100_000)[:200]
    assert (b"abc" * 100_000).startswith(b"".join(bounds._inflated(truncated, 1)))


def document_of(kind: str, folder: Path, lines: list[str]) -> Path:
    """A text, Word or PDF file holding `lines`, one paragraph each."""
    path = folder / f"dokument.{kind}"
    if kind == "txt":
        path.write_text("\n".join(lines), "utf-8")
    elif kind == "docx":
        word_file(path, lines)
    else:
        text_pdf(path, lines)
    return path


@pytest.mark.parametrize("kind", ["txt", "docx", "pdf"])
def test_every_reader_counts_paragraphs_lines_and_cells(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_ELEMENTS", 10)
    lines = [f"rad {n}" for n in range(11)]
    path = document_of(kind, tmp_path, lines)
    with pytest.raises(SbError, match="fler än 10 stycken, rader och tabellceller"):
        read_source(path)
    monkeypatch.setattr(bounds, "MAX_ELEMENTS", 11)
    assert len(read_source(path).blocks) >= 11


@pytest.mark.parametrize("kind", ["txt", "docx", "pdf"])
def test_every_reader_counts_characters(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounds, "MAX_CHARACTERS", 100)
    lines = ["x" * 60, "y" * 60]
    path = document_of(kind, tmp_path, lines)
    with pytest.raises(SbError, match="fler än 100 tecken text"):
        read_source(path)


def test_a_pdf_of_too_many_pages_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounds, "MAX_PAGES", 2)
    path = pdf_file(tmp_path / "sidor.pdf", zlib.compress(b"BT ET"), ["/FlateDecode"], pages=3)
    with pytest.raises(SbError, match="fler än 2 sidor"):
        read_source(path)


# --- the child process and its limits ------------------------------------------------------------


def _answer(value: int) -> int:
    return value * 2


def _refuse() -> None:
    raise SbError("nej", hint="tips")


def _spin() -> None:
    while True:
        pass


def _hoard() -> bytes:
    return bytes(2 << 30)


def _abort() -> None:
    os.abort()


@pytest.mark.slow
def test_a_limited_call_returns_its_result_or_its_refusal() -> None:
    assert run_limited(_answer, (21,), Limits(), preload=()) == 42
    with pytest.raises(SbError, match="nej"):
        run_limited(_refuse, (), Limits(), preload=())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("function", "limits", "reason"),
    [
        (_spin, Limits(seconds=1), "time"),
        (_hoard, Limits(memory_mb=256), "memory"),
        (_abort, Limits(), "memory"),  # as a render worker: an allocation that fails aborts pdfium
    ],
    ids=["tid", "minne", "abort"],
)
def test_a_limited_call_over_its_limits_ends_in_over_limit(
    function: Callable[[], object], limits: Limits, reason: str
) -> None:
    started = time.monotonic()
    with pytest.raises(OverLimit) as caught:
        run_limited(function, (), limits, preload=())
    assert caught.value.reason == reason
    assert time.monotonic() - started < limits.seconds + 10
