"""The last check before a site is swapped in: no written file holds a personal identity number or
the text of a withheld point. What a file holds is read as a reader gets it: the text of HTML,
feeds and the calendar, the search index's fragments, the XML of Word files. A PDF holds nothing
but the text of the view it is made from, which is checked before it is rendered (see site.py);
the tests read the PDFs' text back to hold that promise."""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from sb_cli.core import personnummer
from sb_cli.errors import SbError
from sb_cli.io.cache import NO_CACHE, Cache, key
from sb_cli.publish.content import folded

_TAG = re.compile(r"<[^>]+>")
_TEXT_SUFFIXES = {".html", ".atom", ".ics", ".css", ".js", ".json", ".txt", ".xml", ".svg"}
_READ_SUFFIXES = _TEXT_SUFFIXES | {".pf_fragment", ".docx"}  # a PDF's text is checked in its view
_SHOWN = 3  # findings named in the error


def readable_text(path: Path, data: bytes | None = None) -> str:
    """What a reader of the file sees, as one folded text ("" for files without text). `data` is
    the file's bytes when they have been read already."""
    if path.suffix not in _READ_SUFFIXES:
        return ""
    data = path.read_bytes() if data is None else data
    if path.suffix in _TEXT_SUFFIXES:
        text = data.decode("utf-8", "replace")
        text = text.replace("\\n", " ").replace("\\,", ",")  # the calendar's escapes
        return _untagged(text) if path.suffix in (".html", ".atom", ".xml", ".svg") else folded(text)
    if path.suffix == ".pf_fragment":
        try:
            return folded(gzip.decompress(data).decode("utf-8", "replace"))
        except (OSError, EOFError):
            return ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")]
    except (OSError, zipfile.BadZipFile):
        return ""
    return _untagged(" ".join(parts))


def _untagged(markup: str) -> str:
    """The text of markup twice: tags read as spaces (between blocks), and as nothing (inside a word,
    where <b> or a Word run may split a number)."""
    return folded(html.unescape(_TAG.sub(" ", markup))) + " ¶ " + folded(html.unescape(_TAG.sub("", markup)))


def problems_in(text: str, withheld: list[str]) -> list[str]:
    found = ["ett personnummer" for _ in personnummer.find(text)]
    found += [f'texten i en punkt som inte är offentlig ("{w[:40]}…")' for w in withheld if w in text]
    return found


def check_views(texts: dict[str, str], withheld: list[str]) -> None:
    """Raise when the text a PDF is made from (by its path) holds a personnummer or a withheld text."""
    _raise([f"{path}: {p}" for path, text in sorted(texts.items()) for p in problems_in(folded(text), withheld)])


def check_files(root: Path, paths: Iterable[Path], withheld: list[str], cache: Cache = NO_CACHE) -> None:
    """Raise when one of the files (under `root`) holds a personnummer or a withheld text. A file
    whose bytes were found clean before, against the same withheld texts, is not read again."""
    against = key("läckor", *sorted(withheld))
    problems: list[str] = []
    for path in sorted(p for p in paths if p.suffix in _READ_SUFFIXES and p.is_file()):
        data = path.read_bytes()
        made_of = key(against, path.suffix, hashlib.sha256(data).digest())
        if cache.get("ren", made_of) is not None:
            continue
        found = problems_in(readable_text(path, data), withheld)
        problems += [f"{path.relative_to(root).as_posix()}: {problem}" for problem in found]
        if not found:
            cache.put("ren", made_of, b"")
    _raise(problems)


def _raise(problems: list[str]) -> None:
    if problems:
        more = f" och {len(problems) - _SHOWN} till" if len(problems) > _SHOWN else ""
        raise SbError(
            "webbplatsen publiceras inte: " + "; ".join(problems[:_SHOWN]) + more,
            hint="inget har skrivits till utmappen; rätta dokumenten (sb validate) och bygg igen",
        )
