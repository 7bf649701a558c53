"""The last check before a site is swapped in: no written file holds a personal identity number or
the text of a withheld point. Each file is read as a reader's software reads it, the file as it
is and not the view it was made from: the text of HTML, feeds, the calendar and the search index's
fragments, and every attribute, comment and URL in them with entities and percent-encoding decoded;
every part of a Word file, its relationships (the targets of its links) and properties included;
the text PDFium extracts from each page of a PDF, and every string of the PDF's objects (link
/URI, annotations, bookmarks, alternative texts, document info) with its XMP metadata and embedded
files. So what a mall adds (a file it reads, a text of its own) is checked as well."""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import itertools
import json
import re
import urllib.parse
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sb_cli.core import personnummer
from sb_cli.errors import SbError
from sb_cli.io.cache import NO_CACHE, Cache, key
from sb_cli.publish.content import folded

_TAG = re.compile(r"<[^>]+>")
_MARKUP_SUFFIXES = {".html", ".atom", ".xml", ".svg"}
_TEXT_SUFFIXES = _MARKUP_SUFFIXES | {".ics", ".css", ".js", ".json", ".txt"}
_READ_SUFFIXES = _TEXT_SUFFIXES | {".pf_fragment", ".docx", ".pdf"}
_WORD_PARTS = (".xml", ".rels")  # every part of a Word file that holds text, links included
_PDF_STREAMS = ("/Metadata", "/EmbeddedFile")  # streams whose bytes are text to a reader
_SEPARATE = " ¶ "  # between texts, so that no number is made of the end of one and the start of the next
_SHOWN = 3  # findings named in the error
_PARALLEL_FROM = 24  # PDFs to read before the reading is shared out over the cores


class UnreadableFile(ValueError):
    """A PDF or Word file that cannot be opened, so nobody can tell what it holds."""


def readable_text(path: Path, data: bytes | None = None) -> str:
    """What a reader of the file gets, as one folded text ("" for files without text). `data` is
    the file's bytes when they have been read already. Raises UnreadableFile for a PDF or Word
    file that cannot be opened."""
    suffix = path.suffix
    if suffix not in _READ_SUFFIXES:
        return ""
    data = path.read_bytes() if data is None else data
    if suffix == ".pdf":
        return _pdf_text(data)
    if suffix == ".docx":
        return _word_text(data)
    if suffix == ".pf_fragment":
        try:
            return _json_text(gzip.decompress(data).decode("utf-8", "replace"))
        except (OSError, EOFError):
            return ""
    text = data.decode("utf-8", "replace")
    if suffix in _MARKUP_SUFFIXES:
        return _markup_text(text)
    if suffix == ".json":
        return _json_text(text)
    if suffix == ".ics":
        return _calendar_text(text)
    return folded(text) + _SEPARATE + folded(urllib.parse.unquote(text))


def _markup_text(markup: str) -> str:
    """The text of markup with tags read as spaces (between blocks) and as nothing (inside a word,
    where <b> or a Word run may split a number); and the markup itself, so every attribute
    (href, src, title, alt, content, data-…), comment and URL, with entities and then
    percent-encoding decoded as a browser does. Markup escaped inside markup (an Atom entry's
    HTML) is read once more as markup."""
    decoded = html.unescape(markup)
    texts = [_untagged(markup), folded(urllib.parse.unquote(decoded))]
    if decoded.count("<") > markup.count("<"):
        texts.append(_untagged(decoded))
    return _SEPARATE.join(texts)


def _untagged(markup: str) -> str:
    # No tag ends past the last ">": the pattern would try each "<" of that tail to its end (quadratic).
    cut = markup.rfind(">") + 1
    tags, tail = markup[:cut], markup[cut:]
    spaced, joined = _TAG.sub(" ", tags) + tail, _TAG.sub("", tags) + tail
    return folded(html.unescape(spaced)) + _SEPARATE + folded(html.unescape(joined))


def _json_text(text: str) -> str:
    """The text of JSON (the search index's fragments): every string in it, escapes decoded, read
    as markup (a fragment holds a page's text, its title and its URL); the text as written when it
    is no JSON."""
    try:
        strings: list[str] = []
        _strings(json.loads(text), strings)
    except ValueError:
        return folded(text)
    return folded(text) + _SEPARATE + _markup_text(_SEPARATE.join(strings))


def _strings(value: Any, into: list[str]) -> None:
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, dict):
        for name, item in value.items():
            into.append(str(name))
            _strings(item, into)
    elif isinstance(value, list):
        for item in value:
            _strings(item, into)


def _calendar_text(text: str) -> str:
    """The calendar as a calendar program shows it: folded lines joined (RFC 5545 breaks a long
    line anywhere, a number too), escapes decoded, URLs percent-decoded."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    shown = re.sub(r"\\([nN,;\\])", lambda m: " " if m.group(1) in "nN" else m.group(1), unfolded)
    return folded(shown) + _SEPARATE + folded(urllib.parse.unquote(shown))


def _word_text(data: bytes) -> str:
    """Every part of a Word file that holds text, read as markup: the document, headers, footers,
    notes, comments, properties (docProps) and relationships (a link's target is only there)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(_WORD_PARTS)
            ]
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as error:
        raise UnreadableFile(str(error)) from None
    return _markup_text(" ".join(parts))


def _pdf_text(data: bytes) -> str:
    """The text of every page as PDFium extracts it, and every string of the PDF's objects."""
    import pypdfium2 as pdfium

    pages: list[str] = []
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise UnreadableFile(str(error)) from None
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    return folded(" ".join(pages)) + _SEPARATE + _markup_text(_SEPARATE.join(_pdf_strings(data)))


def _pdf_strings(data: bytes) -> list[str]:
    """Every string of a PDF's objects (link /URI, annotation /Contents, bookmark titles, /Alt and
    /ActualText, document info, form values), and the bytes of its metadata and embedded files."""
    import pikepdf

    found: list[str] = []
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for thing in pdf.objects:
                if isinstance(thing, pikepdf.Stream):
                    if thing.get("/Type") in _PDF_STREAMS:
                        found.append(thing.read_bytes().decode("utf-8", "replace"))
                    _object_strings(thing.stream_dict, found)
                else:
                    _object_strings(thing, found)
    except pikepdf.PdfError as error:
        raise UnreadableFile(str(error)) from None
    return found


def _object_strings(thing: Any, into: list[str]) -> None:
    """The strings of one object and of the objects written inside it (an indirect object is read
    on its own, in pdf.objects)."""
    import pikepdf

    if isinstance(thing, pikepdf.String):
        into.append(str(thing))
    elif isinstance(thing, pikepdf.Dictionary | pikepdf.Array):
        values = thing.values() if isinstance(thing, pikepdf.Dictionary) else thing
        for value in values:
            if isinstance(value, pikepdf.String):
                into.append(str(value))
            elif isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
                _object_strings(value, into)


def problems_in(text: str, withheld: list[str]) -> list[str]:
    """What of the text may not be published, each kind once (a file is read in several ways, so
    one number is often found more than once)."""
    found = ["ett personnummer" for _ in itertools.islice(personnummer.find(text), 1)]
    found += [f'texten i en punkt som inte är offentlig ("{w[:40]}…")' for w in withheld if w in text]
    return found


def check_views(texts: dict[str, str], withheld: list[str]) -> None:
    """Raise when the text a PDF is made from (by its path) holds a personnummer or a withheld text:
    an early stop, before anything is rendered; the PDF itself is read by check_files."""
    _raise([f"{path}: {p}" for path, text in sorted(texts.items()) for p in problems_in(folded(text), withheld)])


def check_files(root: Path, paths: Iterable[Path], withheld: list[str], cache: Cache = NO_CACHE) -> None:
    """Raise when one of the files (under `root`) holds a personnummer or a withheld text, or is a
    PDF or Word file that cannot be read. A file whose bytes were found clean before, against the
    same withheld texts, is not read again."""
    against = key("läckor", *sorted(withheld))
    unread: list[tuple[Path, str]] = []  # each file to read, and the key it is kept clean under
    for path in sorted(p for p in paths if p.suffix in _READ_SUFFIXES and p.is_file()):
        made_of = key(against, path.suffix, hashlib.sha256(path.read_bytes()).digest())
        if cache.get("ren", made_of) is None:
            unread.append((path, made_of))
    problems: list[str] = []
    for (path, made_of), found in zip(unread, _read_all([p for p, _ in unread], withheld), strict=True):
        problems += [f"{path.relative_to(root).as_posix()}: {problem}" for problem in found]
        if not found:
            cache.put("ren", made_of, b"")
    _raise(problems)


def _read_all(paths: list[Path], withheld: list[str]) -> Iterator[list[str]]:
    """What each file holds that may not be published, in order. Reading a PDF takes some 10 ms
    (PDFium lays out each page), so many PDFs are read on all cores."""
    import os

    workers = min(os.cpu_count() or 1, 8)
    if sum(p.suffix == ".pdf" for p in paths) < _PARALLEL_FROM or workers < 2:
        yield from (_problems_of(path, withheld) for path in paths)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Not a fork of this process: it may have run typst (the årshjul's SVG), whose threads a fork
    # would not carry over.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        chunk = max(4, len(paths) // (workers * 8))
        yield from pool.map(_problems_of, paths, [withheld] * len(paths), chunksize=chunk)


def _problems_of(path: Path, withheld: list[str]) -> list[str]:
    try:
        return problems_in(readable_text(path), withheld)
    except UnreadableFile:
        return ["filen går inte att läsa, så den kan inte kontrolleras"]


def _raise(problems: list[str]) -> None:
    if problems:
        more = f" och {len(problems) - _SHOWN} till" if len(problems) > _SHOWN else ""
        raise SbError(
            "webbplatsen publiceras inte: " + "; ".join(problems[:_SHOWN]) + more,
            hint="inget har skrivits till utmappen; rätta dokumenten (sb validate) och bygg igen",
        )
