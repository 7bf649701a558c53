"""PDF from a view model with typst and the mallar (templates/<mall>/mall.typ); the årshjul as PNG.

The PDF is tagged and claims PDF/UA-1 and PDF/A-2a; only typst's embedded fonts are used, so the
output does not depend on the machine. Text those fonts cannot show (emoji, rare scripts) becomes
U+FFFD in the PDF, since PDF/UA and PDF/A forbid glyphs that cannot be displayed; the Word file keeps
it. typst is imported inside the functions for a fast CLI start.
"""

from __future__ import annotations

import io
import json
import os
import re
from functools import partial
from pathlib import Path
from typing import Any

from sb_cli.errors import SbError
from sb_cli.render.markdown import Inline, Inlines, inlines_in, merged
from sb_cli.render.view import View, as_data, map_strings
from sb_cli.signing.source import write_claim

PDF_STANDARDS = ["ua-1", "a-2a"]


def render_pdf(view: View, templates: Path, *, timestamp: int | None = None) -> bytes:
    """The document as PDF; the same view and timestamp give the same bytes."""
    import pikepdf

    path = templates / view.kind / "mall.typ"
    pdf: bytes = _compile(path, templates, view, pdf_standards=PDF_STANDARDS, timestamp=timestamp)
    document = pikepdf.open(io.BytesIO(pdf))
    _row_headers(document)
    _label_changes(document, view)
    write_claim(document, view)  # id, version and source digest in the XMP, for sb verify
    if b"\r\nendstream" in pdf:
        _unambiguous_stream_ends(document)
    out = io.BytesIO()
    document.save(out, deterministic_id=True, recompress_flate=False)
    return out.getvalue()


def _row_headers(document: Any) -> None:
    """A table without a header row is a table of labels and values (the document header, time and
    place, attendance): its first column becomes row headers (TH, Scope Row), which typst has no
    way to say yet without its experimental features."""
    import pikepdf

    def children(element: Any) -> list[Any]:
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]

    def walk(element: Any) -> None:
        for child in children(element):
            if child.S == "/Table":
                rows = [r for r in children(child) if r.S == "/TR"]
                rows += [r for group in children(child) if group.S in ("/THead", "/TBody") for r in children(group)]
                cells = [children(r) for r in rows]
                if cells and not any(c.S == "/TH" for row in cells for c in row):
                    for row in cells:
                        if row:
                            _make_row_header(row[0])
            else:
                walk(child)

    walk(document.Root.StructTreeRoot)


# What a screen reader says before a change in a comparison (sb compare), as the HTML's hidden labels.
CHANGE_LABELS = {"ins": "Tillagt: ", "del": "Borttaget: "}
_DECORATIONS = {"/Underline": "ins", "/LineThrough": "del"}
_INLINE_TAGS = ("/Span", "/Strong", "/Em", "/Link", "/Code")  # what sb.typ `inl` makes inside a block


def _label_changes(document: Any, view: View) -> None:
    """In a comparison, typst tags changed text as Spans with their underline (added) or strike-through
    (removed). Each run of change gets an ActualText that says so in words, "Tillagt: …", on its
    first Span (typst splits a run at a page break or a link's line; the others get an empty one).
    The runs are matched to the view's, block by block in document order; a block whose runs do
    not agree in number and kind keeps its Spans as they are rather than being labelled wrongly."""
    import pikepdf

    expected = changed_runs(view)
    if not expected:
        return
    found = _span_runs(document.Root.StructTreeRoot)
    if len(found) != len(expected):
        return
    for runs, span_runs in zip(expected, found, strict=True):
        if [run.change for run in runs] != [change for change, _ in span_runs]:
            continue
        for run, (_, spans) in zip(runs, span_runs, strict=True):
            spans[0].ActualText = pikepdf.String(labelled(run))
            for span in spans[1:]:
                span.ActualText = pikepdf.String("")


def labelled(run: Inline) -> str:
    """ "Tillagt: text", with the run's leading spaces before the label."""
    text = run.text
    words = len(text) - len(text.lstrip())
    return text[:words] + CHANGE_LABELS[run.change] + text[words:]


def _span_runs(root: Any) -> list[list[tuple[str, list[Any]]]]:
    """For each block (paragraph, heading, cell, list body) with changes, in document order: its runs
    of change, each ("ins" or "del", its Spans). Spans of the same change with no other text between
    them are one run. The table of contents, which repeats the headings, is not looked at."""
    import pikepdf

    blocks: dict[tuple[int, int], list[tuple[str, list[Any]]]] = {}
    broken: set[tuple[int, int]] = set()  # blocks whose last run has had other text after it

    def walk(element: Any, block: Any) -> None:
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.S in ("/TOC", "/TOCI"):
                    continue
                inner = block if kid.S in _INLINE_TAGS and block is not None else kid
                change = _decoration(kid) if kid.S == "/Span" else None
                if change:
                    runs = blocks.setdefault(inner.objgen, [])
                    if runs and runs[-1][0] == change and inner.objgen not in broken:
                        runs[-1][1].append(kid)
                    else:
                        runs.append((change, [kid]))
                    broken.discard(inner.objgen)
                else:
                    walk(kid, inner)
            elif block is not None and not (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"):
                broken.add(block.objgen)  # text (a marked-content id) outside any changed Span

    walk(root, None)
    return list(blocks.values())


def _decoration(span: Any) -> str | None:
    import pikepdf

    attributes = span.get("/A")
    listed = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    for attribute in listed:
        if isinstance(attribute, pikepdf.Dictionary) and "/TextDecorationType" in attribute:
            return _DECORATIONS.get(str(attribute.TextDecorationType))
    return None


def changed_runs(view: View) -> list[list[Inline]]:
    """For each sequence of inlines with changes, in the order the mallar print them (the text, then
    the items): its runs of change as sb.typ marks them, each as one inline with the run's text and
    change. Neighbours with the same change are one run; a line break does not part them, a change of
    nothing but spaces is not marked (nothing shows) and parts them like unchanged text."""
    sequences = [*inlines_in(view.body)]
    if view.meeting is not None:
        stack = list(reversed(view.meeting.items))
        while stack:
            item = stack.pop()
            sequences += inlines_in(item.body)
            stack += reversed(getattr(item, "subitems", ()))
    return [runs for runs in map(_runs, sequences) if runs]


def _runs(inlines: Inlines) -> list[Inline]:
    runs: list[Inline] = []
    joined = False  # whether the next marked piece continues the last run
    gap = ""  # a line break within a run reads as a space
    for piece in merged(list(inlines)):  # as sb.typ `inl` prints them: neighbours of one format joined
        if piece.hard_break or not piece.text:
            gap = " " if piece.hard_break else gap
            continue
        change = piece.change if piece.text.strip() else ""
        if change and joined and runs[-1].change == change:
            runs[-1] = Inline(text=runs[-1].text + gap + piece.text, change=change)
        elif change:
            runs.append(Inline(text=piece.text, change=change))
        joined, gap = bool(change), ""
    return runs


def _make_row_header(cell: Any) -> None:
    import pikepdf

    cell.S = pikepdf.Name.TH
    attributes = cell.get("/A")
    attributes = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes] if attributes else []
    table = next((a for a in attributes if a.get("/O") == "/Table"), None)
    if table is None:
        table = pikepdf.Dictionary(O=pikepdf.Name.Table)
        attributes.append(table)
    table.Scope = pikepdf.Name.Row
    cell.A = pikepdf.Array(attributes)


def _unambiguous_stream_ends(document: Any) -> None:
    """When a page's compressed content happens to end in CR, the LF that typst writes before
    `endstream` reads as one CRLF end-of-line, the stream looks a byte short, and PDF/A checkers
    fail the file. A line break at the end of that content changes its last bytes (the checksum)
    and nothing that is shown."""
    import zlib

    import pikepdf

    for page in document.pages:
        contents = page.obj.get("/Contents")
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        for stream in streams:
            if isinstance(stream, pikepdf.Stream) and stream.read_raw_bytes().endswith(b"\r"):
                stream.write(zlib.compress(stream.read_bytes() + b"\n"), filter=pikepdf.Name.FlateDecode)


def render_wheel_png(view: View, templates: Path, *, ppi: int = 200) -> bytes:
    """The årshjul drawing alone (templates/arshjul/wheel.typ) as PNG, for the Word writer."""
    return _wheel(view, templates, format="png", ppi=ppi)


def render_wheel_svg(view: View, templates: Path) -> str:
    """The årshjul drawing as SVG, for the HTML page (typst writes its text as paths, so the
    page gives the words in its text alternative and in the list under the wheel)."""
    return _wheel(view, templates, format="svg").decode("utf-8")


def _wheel(view: View, templates: Path, **options: Any) -> bytes:
    """templates/arshjul/wheel.typ, one page, as an image (typst gives a list for several pages)."""
    image = _compile(templates / "arshjul" / "wheel.typ", templates, view, **options)
    drawing: bytes = image[0] if isinstance(image, list) else image
    return drawing


# Compilers kept by a render worker, by mall: typst then reads the fonts and parses the mall once
# for all the worker's documents. Off elsewhere, where a mall may change between two renderings.
_compilers: dict[tuple[str, str], Any] | None = None


def keep_compilers() -> None:
    global _compilers
    _compilers = {}


def _typst(path: Path, templates: Path) -> Any:
    import typst

    if _compilers is None:
        return typst.Compiler(str(path), root=str(templates), ignore_system_fonts=True)
    key = (str(path), str(templates))
    if key not in _compilers:
        _compilers[key] = typst.Compiler(str(path), root=str(templates), ignore_system_fonts=True)
    return _compilers[key]


def _compile(path: Path, templates: Path, view: View, **options: Any) -> Any:
    import typst

    if not path.is_file():
        raise SbError(f"mallen {_shown(path, templates)} finns inte")
    replaced: set[str] = set()
    while True:
        try:
            return _typst(path, templates).compile(
                sys_inputs={"data": json.dumps(as_data(view), ensure_ascii=False)}, **options
            )
        except typst.TypstError as error:
            missing = _undisplayable(error) - replaced
            if missing and len(replaced) < _MAX_REPLACED:
                replaced |= missing
                view = map_strings(view, partial(_replaced, texts=missing))
                continue
            package = _PACKAGE.search(str(error.message))
            if package:
                raise SbError(
                    f"mallen {_shown(path, templates)} försöker hämta typst-paketet {package.group(1)}; "
                    "en mall får bara använda filer i mallmappen",
                    hint="lägg det som mallen behöver i templates/ och importera det med en relativ sökväg",
                ) from None
            message = _message(error, templates)
            raise SbError(
                f"mallen {_shown(path, templates)} kunde inte renderas: {message}",
                hint="; ".join(error.hints) or None,
            ) from None
        except RuntimeError as error:  # failures without diagnostics (unreadable files …)
            raise SbError(f"mallen {_shown(path, templates)} kunde inte renderas: {error}") from None


_MAX_REPLACED = 500
_PACKAGE = re.compile(r"package \(?(?:https?://\S+/)?(@?[\w.-]+/[\w.:-]+?)(?:\.tar\.gz)?[:)\s]")
_UNDISPLAYABLE = re.compile(r'the text `"((?:[^"\\]|\\.)*)"` could not be displayed')
_TYPST_ESCAPE = re.compile(r"\\(u\{([0-9a-fA-F]+)\}|.)")
_ESCAPED = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}


def _undisplayable(error: Any) -> set[str]:
    """The texts typst could not show with the embedded fonts, decoded from its string literals."""
    found = _UNDISPLAYABLE.findall(f"{error.message}\n{getattr(error, 'diagnostic', '') or ''}")
    return {_TYPST_ESCAPE.sub(_unescape, text) for text in found} - {""}


def _unescape(match: re.Match[str]) -> str:
    code, other = match.group(2), match.group(1)
    return chr(int(code, 16)) if code else _ESCAPED.get(other, other)


def _replaced(value: str, texts: set[str]) -> str:
    for text in sorted(texts, key=len, reverse=True):
        value = value.replace(text, "?" if text == "\ufffd" else "\ufffd")
    return value


def _shown(path: Path, templates: Path) -> str:
    """A mall as the user knows it: templates/protokoll/mall.typ, not the temporary copy."""
    try:
        return f"templates/{path.resolve().relative_to(templates.resolve()).as_posix()}"
    except ValueError:
        return str(path)


def _message(error: Any, templates: Path) -> str:
    """typst's message and where in the mallar it happened: "… (/_common/sb.typ:12:3)"."""
    where = re.search(r"┌─ (\S+):(\d+:\d+)", getattr(error, "diagnostic", "") or "")
    if not where:
        return str(error.message)
    file = Path(os.path.abspath(where.group(1)))
    if file.is_relative_to(templates.resolve()):
        file = Path("/") / file.relative_to(templates.resolve())
    return f"{error.message} ({file}:{where.group(2)})"
