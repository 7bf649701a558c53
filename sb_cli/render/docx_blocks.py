"""Word building blocks for docx.py: paragraphs, runs, links, lists, tables and pictures in the
mall's named styles, written straight into the content subdocument's body (python-docx oxml),
and the årshjul (its picture and the events per month).

Styles are looked up by name once; a style a secretary removed from a mall falls back to the next
name given (finally to no style), so a restyled mall never makes rendering fail.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from msgspec.structs import replace

from sb_cli.errors import SbError
from sb_cli.render.markdown import (
    Block,
    Code,
    Divider,
    Heading,
    Inline,
    Inlines,
    ListBlock,
    Paragraph,
    Quote,
    Table,
    clean,
)
from sb_cli.render.view import View, WheelView

TEXT_WIDTH = 9070  # twips, A4 with 2.5 cm margins (the malls' page)
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_WHEEL_WIDTH = 8504  # twips, 15 cm
Cell = Inlines | Callable[[Any], object] | None


def join(*parts: Any, sep: str = ", ") -> str:
    return sep.join(str(p) for p in parts if p)


def text(value: Any) -> str:
    """A string Word accepts: no XML-illegal control characters, no lone surrogates."""
    return clean(str(value)) if value is not None else ""


def whole_change(inlines: Sequence[Inline]) -> str:
    """ "ins" or "del" when all the text of a paragraph is added or all removed (in a comparison), else ""."""
    changes = {i.change for i in inlines if i.text}
    return changes.pop() if len(changes) == 1 else ""


def keep_with_next(p: Any) -> Any:
    """The paragraph on the same page as the next (Word's "Håll ihop med nästa")."""
    p.get_or_add_pPr().keepNext_val = True
    return p


def keep_together(p: Any) -> Any:
    """The paragraph's lines on one page (Word's "Håll ihop raderna")."""
    p.get_or_add_pPr().keepLines_val = True
    return p


def sub_heading(inlines: Sequence[Inline]) -> bool:
    """A paragraph all in bold ("Bakgrund") is a sub-heading, kept with what follows."""
    words = [i for i in inlines if i.text.strip()]
    return bool(words) and all(i.bold for i in words) and not any(i.hard_break for i in inlines)


class Writer:
    def __init__(
        self, body: Any, part: Any, *, items_on_new_page: bool = False, changes_dated: str | None = None
    ) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.body, self.part = body, part
        self.items_on_new_page = items_on_new_page  # the mall's setting (docx.items_on_new_page)
        # In a comparison (sb compare), changes are tracked changes by "sb" on this day (YYYY-MM-DD).
        self.changes_dated = changes_dated
        self._revisions = 0  # the w:id of the last tracked change
        self._ids: dict[tuple[str, Any], str] = {}
        for style in part.styles:
            self._ids.setdefault((style.name, style.type), style.style_id)
        self._types = WD_STYLE_TYPE
        self._abstract: int | None | bool = False  # "List Number"'s abstractNumId, found lazily

    def sid(self, *names: str, kind: str = "PARAGRAPH") -> str | None:
        """The id of the first named style the mall has."""
        style_type = getattr(self._types, kind)
        for name in names:
            found = self._ids.get((name, style_type))
            if found:
                return found
        return None

    # --- paragraphs and runs ------------------------------------------------------------------
    def para(
        self,
        *styles: str,
        inlines: Sequence[Inline] | None = None,
        value: str | None = None,
        bold: bool = False,
        italic: bool = False,
        into: Any = None,
    ) -> Any:
        """A new paragraph at the end of `into` (the body, or a w:tc) in the first style found."""
        from docx.oxml import OxmlElement

        p: Any = OxmlElement("w:p")  # python-docx types its oxml elements loosely
        style_id = self.sid(*styles) if styles else None
        if style_id:
            p.get_or_add_pPr().style = style_id
        (self.body if into is None else into).append(p)
        if inlines:
            whole = whole_change(inlines)
            if whole:  # its line breaks too, so that rejecting or accepting leaves none behind
                inlines = [replace(i, change=whole) if i.hard_break else i for i in inlines]
            self.runs(p, inlines)
            if whole and into is None:
                self._track_paragraph_mark(p, whole)
        if value:
            self.run(p, value, bold=bold, italic=italic)
        return p

    def run(
        self, parent: Any, value: str, *, bold: bool = False, italic: bool = False, char_style: str | None = None
    ) -> Any:
        from docx.oxml import OxmlElement
        from docx.text.run import Run

        r: Any = OxmlElement("w:r")
        parent.append(r)
        run = Run(r, None)  # type: ignore[arg-type]
        style_id = self.sid(char_style, kind="CHARACTER") if char_style else None
        if style_id:
            r.get_or_add_rPr().style = style_id
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        run.text = text(value)  # "\t" becomes w:tab, "\n" w:br
        return r

    def runs(self, p: Any, inlines: Sequence[Inline]) -> None:
        """Formatted runs; neighbouring inlines with the same link share one w:hyperlink."""
        from urllib.parse import quote

        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn

        link: str | None = None
        holder = p
        for inline in inlines:
            if inline.hard_break:
                link, holder = None, p
                self._tracked_run(p, inline)
                continue
            target = inline.link
            if target != link:
                link, holder = target, p
                if target:
                    holder = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} w:history="1"/>')
                    if target.startswith("#"):
                        holder.set(qn("w:anchor"), text(target[1:]))
                    else:
                        url = quote(text(target), safe=_URL_SAFE)
                        rid = self.part.relate_to(url, _HYPERLINK, is_external=True)
                        holder.set(qn("r:id"), rid)
                    p.append(holder)
            style = "Hyperlink" if target else ("Kod" if inline.code else None)
            self._tracked_run(holder, inline, char_style=style)

    # --- tracked changes (a comparison) -------------------------------------------------------
    def _tracked_run(self, holder: Any, inline: Inline, *, char_style: str | None = None) -> None:
        """The inline's run; an added one inside a w:ins, a removed one inside a w:del with its text
        as w:delText. Neighbouring runs with the same change share one w:ins or w:del."""
        from docx.oxml.ns import qn

        value = "\n" if inline.hard_break else inline.text
        if not inline.change:
            self.run(holder, value, bold=inline.bold, italic=inline.italic, char_style=char_style)
            return
        tag = qn(f"w:{inline.change}")
        last = holder[-1] if len(holder) else None
        revision = last if last is not None and last.tag == tag else self._revision(inline.change)
        holder.append(revision)
        r = self.run(revision, value, bold=inline.bold, italic=inline.italic, char_style=char_style)
        if inline.change == "del":
            for t in r.iterchildren(qn("w:t")):
                t.tag = qn("w:delText")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def _revision(self, change: str) -> Any:
        """An empty w:ins or w:del by "sb", with a w:id of its own in the document."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self._revisions += 1
        element: Any = OxmlElement(f"w:{change}")
        element.set(qn("w:id"), str(self._revisions))
        element.set(qn("w:author"), "sb")
        if self.changes_dated:
            element.set(qn("w:date"), f"{self.changes_dated}T00:00:00Z")
        return element

    def _track_paragraph_mark(self, p: Any, change: str) -> None:
        """A paragraph added or removed as a whole has its mark added or removed too, so that
        accepting or rejecting every change leaves no empty paragraph behind."""
        from docx.oxml import OxmlElement

        mark: Any = OxmlElement("w:rPr")
        mark.append(self._revision(change))
        p.get_or_add_pPr().append(mark)  # the mark's rPr: last of pPr's children here

    # --- Markdown blocks ----------------------------------------------------------------------
    def blocks(self, blocks: Sequence[Block], *, offset: int = 0, style: str | None = None, depth: int = 0) -> None:
        """Parsed Markdown as Word structure; `offset` pushes headings down (inside a §),
        `style` overrides the paragraph style (quotes)."""
        for block in blocks:
            _BLOCK_WRITERS[type(block)](self, block, offset, style, depth)

    def heading_block(self, block: Heading, offset: int, style: str | None, depth: int) -> None:
        level = max(1, min(4, block.level + offset))
        self.para(f"Heading {level}", "Heading 1", inlines=block.inlines)

    def paragraph_block(self, block: Paragraph, offset: int, style: str | None, depth: int) -> None:
        p = self.para(*([style] if style else []), "Normal", inlines=block.inlines)
        if sub_heading(block.inlines):
            keep_with_next(p)

    def any_list_block(self, block: ListBlock, offset: int, style: str | None, depth: int) -> None:
        self.list_block(block, depth, offset)

    def table_block(self, block: Table, offset: int, style: str | None, depth: int) -> None:
        head: list[Sequence[Cell]] = [block.header] if block.header else []
        self.table([*head, *block.rows], header=bool(head))

    def quote_block(self, block: Quote, offset: int, style: str | None, depth: int) -> None:
        self.blocks(block.blocks, offset=offset, style="Quote", depth=depth)

    def code_block(self, block: Code, offset: int, style: str | None, depth: int) -> None:
        self.para("Kodblock", "Normal", value=block.text)

    def divider_block(self, block: Divider, offset: int, style: str | None, depth: int) -> None:
        self.para("Avdelare", "Normal")

    def list_block(self, block: ListBlock, depth: int, offset: int) -> None:
        """List Bullet/Number (2, 3 when nested); each ordered list restarts at its start."""
        styles = _ListStyles.at(depth, ordered=block.ordered)
        num = self._restart(depth, block.start) if block.ordered else None
        for item in block.items:
            self._list_item(item, styles, num, depth, offset)

    def _list_item(self, item: Sequence[Block], styles: _ListStyles, num: int | None, depth: int, offset: int) -> None:
        """The item's first paragraph is the list paragraph; what follows continues under it."""
        first = item[0] if item and isinstance(item[0], Paragraph | Heading) else None
        p = self.para(*styles.item, inlines=first.inlines if first else None)
        if num is not None:
            _number(p, num, depth)
        for inner in item[1:] if first else item:
            self._list_inner(inner, styles.cont, depth, offset)

    def _list_inner(self, inner: Block, cont: tuple[str, ...], depth: int, offset: int) -> None:
        """A block inside a list item after its first paragraph: continued text, a nested list, or other."""
        if isinstance(inner, Paragraph):
            self.para(*cont, "Normal", inlines=inner.inlines)
        elif isinstance(inner, ListBlock):
            self.list_block(inner, depth + 1, offset)
        else:
            self.blocks([inner], offset=offset, depth=depth + 1)

    def _restart(self, depth: int, start: int) -> int | None:
        """A fresh w:num for one ordered list, so each list counts from its own start."""
        numbering = self._numbering()
        if self._abstract is False:
            self._abstract = None
            style_id = self.sid("List Number")
            if style_id and numbering is not None:
                ids = self.part.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]/w:pPr/w:numPr/w:numId/@w:val')
                path = f'w:num[@w:numId="{ids[0]}"]/w:abstractNumId/@w:val' if ids else None
                nums = numbering.xpath(path) if path else []
                self._abstract = int(nums[0]) if nums else None
        if self._abstract is None or numbering is None:
            return None
        num = numbering.add_num(self._abstract)
        num.add_lvlOverride(ilvl=min(depth, 8)).add_startOverride(max(0, start))
        return int(num.numId)

    def _numbering(self) -> Any:
        try:
            return self.part.numbering_part.element
        except Exception:
            return None

    # --- tables and pictures ------------------------------------------------------------------
    def table(
        self,
        rows: Sequence[Sequence[Cell]],
        *,
        header: bool = True,
        widths: list[int] | None = None,
        style: tuple[str, ...] = ("Tabell", "Table Grid"),
        rows_split: bool = False,
    ) -> Any:
        """A real Word table. Each cell is a list of inlines, or a callable that fills the w:tc.
        Rows stay on one page unless `rows_split` (a long attendance list must flow)."""
        columns = max([len(r) for r in rows] + [1])
        widths = widths or [TEXT_WIDTH // columns] * columns
        tbl = _table_element(widths, self.sid(*style, kind="TABLE"), header)
        if len(self.body) and self.body[-1].tag == tbl.tag:
            self.para()  # two tables in a row would merge into one
        self.body.append(tbl)
        for index, row in enumerate(rows):
            tr = _row_element(repeat=header and index == 0, keep=not rows_split)
            tbl.append(tr)
            for column in range(columns):
                self._cell(tr, row[column] if column < len(row) else None, widths[column])
        return tbl

    def _cell(self, tr: Any, content: Cell, width: int) -> None:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        tc: Any = parse_xml(f'<w:tc {nsdecls("w")}><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr></w:tc>')
        tr.append(tc)
        if callable(content):
            content(tc)
        elif content:
            self.para(inlines=content, into=tc)
        if not tc.p_lst:
            self.para(into=tc)  # a cell needs a paragraph

    def picture(self, png: bytes, width_twips: int, description: str, name: str) -> Any:
        """A centred inline picture whose alt text (docPr descr) is `description`."""
        from docx.shared import Twips

        p = self.para("Bild", "Normal")
        inline = self.part.new_pic_inline(io.BytesIO(png), Twips(width_twips), None)
        for key, value in (("descr", description), ("name", name), ("title", name)):
            inline.docPr.set(key, text(value))
        self.run(p, "").add_drawing(inline)
        return p


class _ListStyles(NamedTuple):
    """The paragraph styles of a list at one depth: its items and their continued text."""

    item: tuple[str, ...]
    cont: tuple[str, ...]

    @classmethod
    def at(cls, depth: int, *, ordered: bool) -> _ListStyles:
        base = "List Number" if ordered else "List Bullet"
        level = min(depth, 2)
        if not level:
            return cls((base, base, "Normal"), ("List Continue", "List Continue"))
        return cls((f"{base} {level + 1}", base, "Normal"), (f"List Continue {level + 1}", "List Continue"))


def _table_element(widths: list[int], style_id: str | None, header: bool) -> Any:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    flags = ("04A0", "1") if header else ("0400", "0")
    return parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        + (f'<w:tblStyle w:val="{style_id}"/>' if style_id else "")
        + f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        + f'<w:tblLook w:val="{flags[0]}" w:firstRow="{flags[1]}" w:lastRow="0" '
        + 'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        + "<w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid></w:tbl>"
    )


def _row_element(*, repeat: bool, keep: bool) -> Any:
    """A table row; `repeat` repeats it on each page as the header, `keep` keeps it on one page."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    properties = ("<w:cantSplit/>" if keep else "") + ("<w:tblHeader/>" if repeat else "")
    return parse_xml(f"<w:tr {nsdecls('w')}><w:trPr>{properties}</w:trPr></w:tr>")


def _number(p: Any, num: int, depth: int) -> None:
    """Numbers a list paragraph with the list's own w:num."""
    numpr = p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = min(depth, 8)
    numpr.get_or_add_numId().val = num


# --- the årshjul ------------------------------------------------------------------------------


# One writer per kind of Markdown block: (writer, block, heading offset, paragraph style, list depth).
_BLOCK_WRITERS: dict[type[Block], Callable[[Writer, Any, int, str | None, int], None]] = {
    Heading: Writer.heading_block,
    Paragraph: Writer.paragraph_block,
    ListBlock: Writer.any_list_block,
    Table: Writer.table_block,
    Quote: Writer.quote_block,
    Code: Writer.code_block,
    Divider: Writer.divider_block,
}


def wheel(w: Writer, view: View, png: bytes | None) -> None:
    """The wheel picture (alt text lists every event), the events month by month, those without a month,
    then the text."""
    if view.wheel is None:
        return
    for part in _WHEEL_PARTS:
        part(w, view, view.wheel, png)
    w.blocks(view.body)


def _wheel_picture(w: Writer, view: View, data: WheelView, png: bytes | None) -> None:
    if not png:
        return
    name = join("Årshjul", data.year, sep=" ")
    try:
        w.picture(png, _WHEEL_WIDTH, _wheel_description(data, name), name)
    except Exception as exc:
        raise SbError(f"{view.id}: årshjulets bild går inte att lägga in: {exc}") from exc
    w.para("Caption", "Normal", value=name)


def _wheel_description(data: WheelView, name: str) -> str:
    by_month = {e.month_name: [x.title for x in data.placed if x.month == e.month] for e in data.placed}
    parts = [f"{month}: " + "; ".join(titles) for month, titles in by_month.items()]
    return f"{name}: en cirkel med årets tolv månader. " + (". ".join(parts) + "." if parts else "Inga händelser.")


def _wheel_months(w: Writer, view: View, data: WheelView, png: bytes | None) -> None:
    if data.placed:
        w.para("Heading 1", value="Månad för månad")
        rows = [("Månad", "Händelse", "Forum")] + [(e.month_name, e.title, e.forum) for e in data.placed]
        w.table([[(Inline(text=c),) for c in row] for row in rows], widths=[1600, TEXT_WIDTH - 4200, 2600])


def _wheel_unplaced(w: Writer, view: View, data: WheelView, png: bytes | None) -> None:
    if data.unplaced:
        w.para("Heading 1", value="Utan bestämd månad")
        for event in data.unplaced:
            w.para("List Bullet", "Normal", value=event.label)


_WHEEL_PARTS: tuple[Callable[[Writer, View, WheelView, bytes | None], None], ...] = (
    _wheel_picture,
    _wheel_months,
    _wheel_unplaced,
)
