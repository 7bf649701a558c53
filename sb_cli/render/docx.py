"""Word writer: a view model (view.py) into templates/<kind>/mall.docx with docxtpl.

The mall supplies the page, the named styles, the title block and the footer; the document text is
built here as real Word structure (headings, lists, tables, links, att-clauses, signature lines) in
a subdocument that the mall's `{{p content }}` paragraph receives. Output is byte-for-byte
reproducible for the same view and timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sb_cli.errors import SbError
from sb_cli.render.docx_blocks import Writer, join, keep_together, keep_with_next, text, wheel
from sb_cli.render.markdown import Paragraph
from sb_cli.render.view import (
    ItemView,
    MeetingView,
    PointView,
    Signature,
    View,
    as_data,
    correction_blocks,
    map_strings,
)

CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def render_docx(view: View, templates: Path, *, timestamp: int | None = None, wheel_png: bytes | None = None) -> bytes:
    kind = view.kind
    path = Path(templates) / kind / "mall.docx"
    if not re.fullmatch(r"[a-z_]+", kind) or not path.is_file():
        raise SbError(f"mallen {path} saknas", hint="lägg en mall.docx där eller kör tools/make_mallar.py")
    template, part = _template(path)
    content = _content(view, part, wheel_png, items_on_new_page=items_on_new_page(Path(templates), kind))
    _fill_mall(template, path, view, content)
    _properties(template.docx, view, timestamp)
    buffer = io.BytesIO()
    template.save(buffer)
    return stable_zip(buffer.getvalue(), timestamp)


def _template(path: Path) -> tuple[Any, Any]:
    """The mall and its main document part."""
    from docxtpl import DocxTemplate

    try:
        template = DocxTemplate(str(path))
        template.init_docx()
        return template, template.docx.part
    except Exception as exc:
        raise SbError(f"mallen {path} går inte att läsa som Word-dokument: {exc}") from exc


def items_on_new_page(templates: Path, kind: str) -> bool:
    """The mall's setting (templates/<mall>/mall.toml, read by mall.typ too): whether a protocol's
    items start on a new page after its attendance and signatures."""
    import tomllib

    path = templates / kind / "mall.toml"
    if not path.is_file():
        return False
    try:
        value = tomllib.loads(path.read_text("utf-8")).get("items_on_new_page", False)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SbError(f"mallen templates/{kind}/mall.toml går inte att läsa: {exc}") from None
    if not isinstance(value, bool):
        raise SbError(f"mallen templates/{kind}/mall.toml: items_on_new_page ska vara true eller false")
    return value


def _content(view: View, part: Any, wheel_png: bytes | None, *, items_on_new_page: bool = False) -> _Content:
    content = _Content()
    writer = Writer(content.body, part, items_on_new_page=items_on_new_page, changes_dated=view.meta.date)
    fill(writer, view, wheel_png)
    if len(content.body) and content.body[0].tag.endswith("}tbl"):
        content.body.insert(0, writer.para())  # keep it apart from a table in the mall
    if len(content.body) and content.body[-1].tag.endswith("}tbl"):
        writer.para()  # Word wants a paragraph after a table
    return content


def _fill_mall(template: Any, path: Path, view: View, content: _Content) -> None:
    """The mall's Jinja fields filled in from the view, and its `{{p content }}` with the text."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        # every string made safe for XML: the mall's Jinja fields print them
        fields = as_data(map_strings(view, text))
        template.render({**fields, "content": content}, jinja_env=environment, autoescape=True)
    except jinja2.TemplateError as exc:
        near = " ".join(" ".join(getattr(exc, "docx_context", None) or []).split())[:120]
        raise SbError(
            f"mallen {path} har ett fel i en mallkod: {exc}" + (f" (vid: {near})" if near else ""),
            hint="fälten i mallen skrivs {{ title }}, {{ meta.version }} …",
        ) from exc
    except Exception as exc:
        raise SbError(f"mallen {path} gick inte att fylla i: {exc}") from exc


class _Content:
    """The document text, inserted by the mall's `{{p content }}`: what docxtpl's Subdoc gives
    (`tpl.new_subdoc()` without a file), minus its import of docxcompose, which is not installed
    and, when it is, rebinds python-docx's "cp" namespace and so spoils the core properties."""

    def __init__(self) -> None:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        self.body = parse_xml(f"<w:body {nsdecls('w')}/>")

    def _xml(self) -> str:
        from lxml import etree

        return re.sub(r"</?w:body[^>]*>", "", etree.tostring(self.body, encoding="unicode"))

    __str__ = __html__ = _xml


# --- the document text -----------------------------------------------------------------------


def fill(w: Writer, view: View, wheel_png: bytes | None) -> None:
    if view.wheel is not None:
        wheel(w, view, wheel_png)
    elif view.meeting is not None:
        _meeting(w, view, view.meeting)
    else:
        w.blocks(view.body)
    if view.proposed_decisions:
        _clauses(w, "Förslag till beslut", view.proposed_decisions)
    w.blocks(correction_blocks(view))


def _labelled(w: Writer, label: str, value: str | None) -> None:
    if value:
        p = w.para("Normal")
        w.run(p, f"{label}: ", bold=True)
        w.run(p, value)


_Rows = list[tuple[str, list[str | None]]]


def _protocol_facts(w: Writer, view: View, m: MeetingView) -> None:
    """Time and place, attendance, secretary, paragraphs and dates as one label table, row for row
    as the PDF's."""
    rows: _Rows = [("Tid och plats:", [m.time_and_place])]
    if not m.extract:
        rows += [
            ("Närvarande ledamöter:", [p.line for p in m.present]),
            ("Frånvarande:", [p.line for p in m.absent]),
            ("Övriga deltagare och föredragande:", [p.line for p in m.others]),
            ("Sekreterare:", _secretary(m)),
            ("Justerare:", [s.line for s in m.signatures if s.role == "Justerare"]),
        ]
    rows += [(m.paragraphs_label, []), ("Justerat:", [m.adjusted])]  # "Paragrafer §61–§72" stands alone
    _fact_table(w, m, rows)


def _notice_facts(w: Writer, view: View, m: MeetingView) -> None:
    """A kallelse's facts: time and place, who is called, and its dates."""
    rows: _Rows = [("Tid och plats:", [m.time_and_place])]
    if not m.extract:
        rows += [
            ("Kallade:", [p.line for p in m.present]),
            ("Övriga deltagare och föredragande:", [p.line for p in m.others]),
            ("Sekreterare:", _secretary(m)),
            ("Skickad:", [m.sent]),
            ("Svar senast:", [m.reply_by]),
            ("Anmälan senast:", [m.register_by]),
        ]
    _fact_table(w, m, rows)


def _secretary(m: MeetingView) -> list[str | None]:
    return [m.secretary.line] if m.secretary else []


def _fact_table(w: Writer, m: MeetingView, rows: _Rows) -> None:
    """The rows that have a label and a line, as a table without borders; the paragraphs label alone."""
    filled = [(label, [line for line in lines if line]) for label, lines in rows if label]
    filled = [(label, lines) for label, lines in filled if lines or label == m.paragraphs_label]

    def cell(lines: list[str], bold: bool = False) -> Callable[[Any], object]:
        return lambda tc: [w.para(into=tc, value=line, bold=bold) for line in lines]

    if filled:
        w.table(
            [[cell([label], True), cell(lines)] for label, lines in filled],
            header=False,
            style=("Layouttabell", "Normal Table"),
            widths=[2552, 6518],
            rows_split=True,
        )


# The space to sign in above a signature line: at least 15 mm on paper (as the PDF's).
SIGNING_SPACE = 964  # twips, 17 mm


def _signature(w: Writer, person: Signature | None, *, last: bool = True) -> None:
    """A signature line of its own, with room above it to sign: an empty paragraph before it keeps Word
    and LibreOffice from merging the top borders of two signatures into one bordered group. The
    signatures are kept on one page (`last`: the one that ends the group)."""
    from docx.shared import Twips

    keep_with_next(w.para("Normal"))
    name = person.line if person else ""
    p = w.para(
        "Underskrift", "Normal", value=join(name or "Namnförtydligande", person.role if person else "", sep="\n")
    )
    p.get_or_add_pPr().get_or_add_spacing().before = Twips(SIGNING_SPACE)
    keep_together(p)
    if not last:
        keep_with_next(p)


# A decision shorter than this (in characters) is kept on one page, as in the PDF (sb.typ `decision`).
SHORT_DECISION = 600


def _clauses(w: Writer, phrase: str, clauses: tuple[str, ...]) -> None:
    """The decision phrase and its att-clauses: the phrase with the first two clauses, each clause on
    one page, a short decision whole on one page."""
    keep_with_next(w.para("Beslutsfras", "Normal", value=phrase, bold=w.sid("Beslutsfras") is None))
    short = sum(len(c) for c in clauses) < SHORT_DECISION
    for number, clause in enumerate(clauses, start=1):
        p = keep_together(w.para("Att-sats", "Normal", value=f"att\t{clause}"))
        if number < len(clauses) and (short or number == 1):
            keep_with_next(p)


def _send_list(w: Writer, label: str, names: tuple[str, ...]) -> None:
    """A send list, kept on one page."""
    if names:
        keep_with_next(w.para("Sändlisterubrik", "Normal", value=label, bold=w.sid("Sändlisterubrik") is None))
        for number, name in enumerate(names, start=1):
            p = w.para("Sändlista", "Normal", value=name)
            if number < len(names):
                keep_with_next(p)


def _parts(w: Writer, item: PointView, phrase: str, *, offset: int) -> None:
    if item.withheld:
        keep_with_next(w.para("Normal", value=item.withheld, italic=True))
    if item.presenters_label:
        keep_with_next(w.para("Normal", value=item.presenters_label))
    w.blocks(item.body, offset=offset)
    if item.note:
        w.para("Normal", value=item.note, italic=True)
    if item.decisions:
        _clauses(w, phrase, item.decisions)
    elif item.proposed_decisions:
        _clauses(w, "Förslag till beslut", item.proposed_decisions)
    _send_list(w, "Protokollet ska skickas till", item.send_to)


def _item(w: Writer, item: ItemView, phrase: str, *, page_break: bool) -> None:
    """ "§ 61" and the title on the next line, or "1). Title (B)"; then the item's parts."""
    head = item.heading
    value = f"{item.label}\n{head}" if item.label.startswith("§") and head else join(item.label, head, sep=" ")
    p = w.para("Paragrafrubrik", "Heading 1", value=value)
    if page_break:
        p.get_or_add_pPr().pageBreakBefore_val = True
    _parts(w, item, phrase, offset=1)
    for sub in item.subitems:
        w.para("Underpunkt", "Heading 2", value=join(sub.label, sub.heading, sep=" "))
        _parts(w, sub, phrase, offset=2)


def _meeting(w: Writer, view: View, m: MeetingView) -> None:
    for part in _MEETING_PARTS.get(view.kind, _OTHER_PARTS):
        part(w, view, m)


def _meeting_line(w: Writer, view: View, m: MeetingView) -> None:
    _labelled(w, "Sammanträde", join(m.forum_name, m.date_long))


def _time_and_place(w: Writer, view: View, m: MeetingView) -> None:
    _labelled(w, "Tid och plats", m.time_and_place)


def _index(w: Writer, view: View, m: MeetingView) -> None:
    if m.extract or not m.index:
        return
    w.para("Heading 1", value="Ärendeförteckning")
    for entry in m.index:
        w.para("Förteckning", "Normal", value=f"{entry.label}\t{entry.title}")
        for sub in entry.subitems:
            w.para("Förteckning", "Normal", value=f"\t{sub}")


def _signatures(w: Writer, view: View, m: MeetingView) -> None:
    if m.extract or not m.signatures:
        return
    keep_with_next(w.para("Heading 1", value="Underskrifter"))
    for number, person in enumerate(m.signatures, start=1):
        _signature(w, person, last=number == len(m.signatures))


def _notes(w: Writer, view: View, m: MeetingView) -> None:
    """ "Protokollet är justerat (datum okänt)" and "Godkänt vid sammanträdet den …", after the signatures."""
    for note in (m.adjusted_note, m.approved):
        if note:
            w.para("Normal", value=note)


def _body(w: Writer, view: View, m: MeetingView) -> None:
    w.blocks(view.body)


def _agenda_heading(w: Writer, view: View, m: MeetingView) -> None:
    if m.items:
        w.para("Heading 1", value="Dagordning")


def _items_heading(w: Writer, view: View, m: MeetingView) -> None:
    if m.items:
        w.para("Heading 1", value="Ärenden")


def _protocol_items(w: Writer, view: View, m: MeetingView) -> None:
    """A protocol's first item starts a page after its index or signatures when the mall says so."""
    _items(w, m, first_page=w.items_on_new_page and not m.extract and bool(m.index or m.signatures))


def _notice_items(w: Writer, view: View, m: MeetingView) -> None:
    _items(w, m, first_page=False)


def _items(w: Writer, m: MeetingView, *, first_page: bool) -> None:
    for number, item in enumerate(m.items):
        _item(w, item, m.decision_phrase or "Beslut", page_break=first_page and number == 0)


def _certify(w: Writer, view: View, m: MeetingView) -> None:
    if m.extract:
        w.para("Beslutsfras", "Normal", value=m.extract.certify or "Rätt utdraget intygar")
        _signature(w, m.secretary or m.chair)


def _protocol_distribution(w: Writer, view: View, m: MeetingView) -> None:
    """The distribution list, kept with the last point when that is short, so that it never stands
    alone on the last page (as in the PDF, sb.typ `item`)."""
    from docx.oxml.ns import qn

    if m.distribution and m.items and _size(_last_point(m.items[-1])) <= SHORT_POINT:
        headings = {w.sid("Paragrafrubrik", "Heading 1"), w.sid("Underpunkt", "Heading 2")} - {None}
        paragraphs = [p for p in w.body.iter(qn("w:p"))]
        starts = [n for n, p in enumerate(paragraphs) if p.pPr is not None and p.pPr.style in headings]
        for p in paragraphs[starts[-1] if starts else len(paragraphs) :]:
            keep_with_next(p)
    _send_list(w, "Protokollet ska skickas till", m.distribution)


# A point shorter than this (about, in characters) goes with the distribution list onto its page.
SHORT_POINT = 700


def _last_point(item: ItemView) -> PointView:
    return item.subitems[-1] if item.subitems else item


def _size(point: PointView) -> int:
    """About how much text a point has, in characters (as sb.typ's `point-size`)."""
    body = sum(sum(len(i.text) for i in b.inlines) if isinstance(b, Paragraph) else 400 for b in point.body)
    return body + sum(len(c) + 40 for c in (*point.decisions, *point.proposed_decisions, *point.send_to))


def _distribution(w: Writer, view: View, m: MeetingView) -> None:
    _send_list(w, "Sändlista", m.distribution)


_Part = Callable[[Writer, View, MeetingView], None]
# A meeting's parts in their order, by mall; a meeting's document with a mall of its own has the last.
_OTHER_PARTS: tuple[_Part, ...] = (
    _notice_facts,
    _body,
    _items_heading,
    _notice_items,
    _certify,
    _distribution,
)
_MEETING_PARTS: dict[str, tuple[_Part, ...]] = {
    "protokoll": (
        _index,
        _protocol_facts,
        _signatures,
        _notes,
        _body,
        _protocol_items,
        _certify,
        _protocol_distribution,
    ),
    "kallelse": (_notice_facts, _body, _agenda_heading, _notice_items, _certify, _distribution),
    "foredragning": (_meeting_line, _time_and_place, _body, _items_heading, _notice_items, _certify, _distribution),
}


# --- metadata and package --------------------------------------------------------------------


def _when(timestamp: int | None) -> dt.datetime:
    if timestamp is not None:
        try:
            return dt.datetime.fromtimestamp(int(timestamp), dt.UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _properties(document: Any, view: View, timestamp: int | None) -> None:
    meta = view.meta
    core = document.core_properties
    values = {
        "title": meta.title or view.title,
        "author": meta.author,
        "version": meta.version,
        "identifier": view.id,
        "keywords": "; ".join(meta.keywords),
        "category": view.type_label,
        "language": "sv-SE",
        "comments": "",
        "subject": view.meeting.forum_name if view.meeting else "",
        "content_status": meta.status,
        "last_modified_by": "sb",
    }
    from docx.oxml.ns import nsmap

    # docxtpl imports docxcompose when it is installed, and docxcompose rebinds the "cp" prefix
    # that python-docx uses to make core-property elements; put it back while we write them.
    saved, nsmap["cp"] = nsmap.get("cp"), CORE_NS
    try:
        for key, value in values.items():
            setattr(core, key, text(value or "")[:255])  # python-docx's limit per property
        core.revision = 1
        core.created = core.modified = _when(timestamp)
    finally:
        if saved is not None:
            nsmap["cp"] = saved
    for element in list(core._element):  # a property the document does not have is left out
        if not (element.text or "").strip() and not len(element):
            core._element.remove(element)
    _custom_properties(
        document,
        [
            ("Giltig till", meta.valid_until),
            ("Diarienummer", meta.diarienummer),
            ("Version", meta.version),
            ("Dokumentägare", meta.author),
        ],
    )


def _custom_properties(document: Any, values: list[tuple[str, str]]) -> None:
    """docProps/custom.xml (python-docx has no API for it): ours that have a value, after any the
    mall has."""
    from lxml import etree

    package = document.part.package
    rel = next((r for r in package.rels.values() if r.reltype == CUSTOM_RT and not r.is_external), None)
    root = _custom_root(rel)
    _replace_properties(root, values)
    _store_custom(package, rel, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _custom_root(rel: Any) -> Any:
    """The mall's custom properties, or a new empty set when it has none that can be read."""
    from lxml import etree

    root = None
    if rel is not None:
        try:
            root = etree.fromstring(rel.target_part.blob)
        except etree.XMLSyntaxError:
            root = None
    if root is None or root.tag != f"{{{CUSTOM_NS}}}Properties":
        namespaces: Any = {None: CUSTOM_NS, "vt": VT_NS}
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap=namespaces)
    return root


def _replace_properties(root: Any, values: list[tuple[str, str]]) -> None:
    """Ours in place of the mall's of the same name, numbered after them."""
    names = {name for name, _ in values}
    for old in [p for p in root if p.get("name") in names]:
        root.remove(old)
    for name, value in values:
        if value:
            _custom_property(root, name, value)
    for pid, prop in enumerate(root, start=2):
        prop.set("pid", str(pid))


def _custom_property(root: Any, name: str, value: str) -> None:
    from lxml import etree

    prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=FMTID, name=name)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # a date, typed so that a DMS can sort on it
        etree.SubElement(prop, f"{{{VT_NS}}}filetime").text = f"{value}T00:00:00Z"
    else:
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = text(value)


def _store_custom(package: Any, rel: Any, blob: bytes) -> None:
    """Into the mall's own custom.xml part when it is a plain one, else into a new part."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    target = rel.target_part if rel is not None else None
    if target is not None and hasattr(target, "_blob") and not hasattr(target, "_element"):
        target._blob = blob
        return
    if rel is not None:
        del package.rels[rel.rId]
    custom = Part(PackURI("/docProps/custom.xml"), CUSTOM_CT, blob, package)
    package.relate_to(custom, CUSTOM_RT)


def stable_zip(data: bytes, timestamp: int | None = None) -> bytes:
    """The same package, with fixed entry dates (from timestamp, else 1980-01-01) and order."""
    from sb_cli.io.reproducible import zip_bytes, zip_entries

    first = {"[Content_Types].xml": 0, "_rels/.rels": 1}
    entries = sorted(zip_entries(data), key=lambda entry: (first.get(entry[0], 2), entry[0]))
    return zip_bytes(entries, timestamp=timestamp)
