"""What ties a rendered PDF to its source: the document id, version and source digest in the PDF's
XMP (written by `sb render`), and the check that a PDF is the rendering of a protocol's YAML."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sb_cli.render.view import View

# Dublin Core and XMP Media Management are schemas PDF/A predefines: no extension schema is needed.
ID_KEY = "dc:identifier"
VERSION_KEY = "xmpMM:VersionID"
DIGEST_KEY = "dc:source"
DIGEST_PREFIX = "sb-sha256:"

# What changes in a protocol's rendering without a change of its text: the footer's commit stamp,
# and the justering and approval lines that are written after the protocol was signed.
_UNSIGNED_MEETING_FIELDS = ("adjusted", "adjusted_note", "approved")


@dataclass(frozen=True)
class SourceClaim:
    """What a PDF says of its source (None where it says nothing)."""

    id: str | None
    version: str | None
    digest: str | None


def source_digest(view: View) -> str:
    """The digest of what a document's rendering is made of, without the footer stamp and the lines
    a protocol gets when it is justerat or approved, so that it stays the same across those steps."""
    from sb_cli.render.view import as_data

    data: dict[str, Any] = as_data(view)
    data.pop("footer", None)
    meeting = data.get("meeting")
    if isinstance(meeting, dict):
        for field in _UNSIGNED_MEETING_FIELDS:
            meeting.pop(field, None)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return DIGEST_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_claim(document: Any, view: View) -> None:
    """The document id, version and source digest into the XMP of the pikepdf `document`; nothing else
    of the metadata changes (no producer, no metadata date), so the PDF stays reproducible."""
    with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta[ID_KEY] = view.id
        if view.meta.version:
            meta[VERSION_KEY] = view.meta.version
        meta[DIGEST_KEY] = source_digest(view)


def read_claim(data: bytes) -> SourceClaim:
    """The claim in a PDF's XMP; every field None when the PDF has none."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            meta = document.open_metadata()
            found = {key: _text(meta.get(key)) for key in (ID_KEY, VERSION_KEY, DIGEST_KEY)}
    except (pikepdf.PdfError, ValueError):
        return SourceClaim(None, None, None)
    digest = found[DIGEST_KEY]
    return SourceClaim(
        found[ID_KEY], found[VERSION_KEY], digest if digest and digest.startswith(DIGEST_PREFIX) else None
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | set | tuple):
        value = next(iter(value), None)
    return str(value) if value else None


def page_text(data: bytes) -> list[str]:
    """The text of each page, as a reader extracts it (PDFium)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n"))
        return pages
    finally:
        document.close()


def footer_line(pages: list[str], ident: str) -> str | None:
    """The footer stamp as printed ("LSVO-2023-06-16 · commit 1234567 · sb 0.2.0", the page number
    after it left out), or None."""
    stamp = re.compile(rf"^{re.escape(ident)} · .*? · sb \S+", re.MULTILINE)
    for text in pages:
        found = stamp.search(text)
        if found:
            return found.group(0)
    return None


def same_text(pdf: bytes, views: list[View], render: Callable[[View], bytes]) -> bool:
    """Whether the PDF's text is that of one of the views, rendered with the PDF's own footer stamp
    (the text, not the bytes: a signature adds objects and no text)."""
    import msgspec

    pages = page_text(pdf)
    for view in views:
        footer = footer_line(pages, view.id) or view.footer
        if page_text(render(msgspec.structs.replace(view, footer=footer))) == pages:
            return True
    return False


def unsigned_variants(view: View) -> list[View]:
    """The view as it is, and as it was before the protocol was justerat and approved."""
    import msgspec

    meeting = view.meeting
    if meeting is None or not (meeting.adjusted or meeting.adjusted_note or meeting.approved):
        return [view]
    before = msgspec.structs.replace(meeting, adjusted=None, adjusted_note="", approved="")
    return [msgspec.structs.replace(view, meeting=before), view]
