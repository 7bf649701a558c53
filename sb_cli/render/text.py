"""Markdown and HTML writers for view models (the Word and PDF writers live in docx.py and pdf.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sb_cli.core import doctypes
from sb_cli.core.records import Protocol
from sb_cli.errors import SbError
from sb_cli.render.markdown import Block, Code, Divider, Heading, Inline, ListBlock, Paragraph, Quote, Table
from sb_cli.render.view import (
    ItemView,
    MeetingView,
    PersonView,
    PointView,
    Signature,
    View,
    as_data,
    correction_blocks,
)

# Markdown punctuation that could make text into markup (CommonMark lets any of it be escaped), and
# what starts a block when it starts a line.
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~!])")
_BLOCK_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")


def _unblock(match: re.Match[str]) -> str:
    indent, sign, digits, closing = match.groups()
    return f"{indent}\\{sign}" if sign else f"{indent}{digits}\\{closing}"


# CriticMarkup's marks ({++ ++}, {-- --}, {== ==}; the others hold ~ or >, escaped above): in text,
# their second sign is escaped, so that "{++" in a document never opens a change.
_CRITIC_OPEN = re.compile(r"\{([+=-])\1")
_CRITIC_CLOSE = re.compile(r"([+=-])\1\}")


def _escaped(text: str) -> str:
    escaped = _MARKUP.sub(r"\\\1", text)
    return _CRITIC_CLOSE.sub(r"\1\\\1}", _CRITIC_OPEN.sub(r"{\1\\\1", escaped))


def md(text: str, *, line_start: bool = False) -> str:
    """Text that a Markdown reader shows as written: `&lt;script&gt;` in a source stays text. At the
    start of a line, what would begin a block (#, -, 1.) is escaped too."""
    escaped = _escaped(text)
    return _BLOCK_START.sub(_unblock, escaped) if line_start else escaped


def _code(text: str) -> str:
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


# A comparison's changes in CriticMarkup (SPEC §13): a run of inlines with the same change in one mark.
_CHANGE_MARKS = {"ins": ("{++", "++}"), "del": ("{--", "--}")}


def _inline_md(inlines: Sequence[Inline]) -> str:
    out = []
    for index, inline in enumerate(inlines):
        marks = _CHANGE_MARKS.get(inline.change)
        if marks and (index == 0 or inlines[index - 1].change != inline.change):
            out.append(marks[0])
        out.append(_one_inline_md(inline))
        if marks and (index == len(inlines) - 1 or inlines[index + 1].change != inline.change):
            out.append(marks[1])
    return "".join(out)


def _cell_md(inlines: Sequence[Inline]) -> str:
    """A table cell on its one line: a line break in it is HTML's, which GFM tables allow."""
    return _inline_md(inlines).replace("  \n", "<br>")


def _one_inline_md(inline: Inline) -> str:
    if inline.hard_break:
        return "  \n"
    text = _code(inline.text) if inline.code else _escaped(inline.text)
    if (inline.bold or inline.italic) and text.strip():
        # Emphasis must not open or close on a space ("**Samverkansgrupp **" stays as written).
        core = text.strip(" ")
        lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
        marks = ("**" if inline.bold else "") + ("*" if inline.italic else "")
        text = f"{lead}{marks}{core}{marks[::-1]}{trail}"
    if inline.link:
        text = f"[{text}](<{inline.link.replace('>', '%3E').replace('<', '%3C')}>)"
    return text


def blocks_md(blocks: Sequence[Block], depth: int = 0) -> list[str]:
    return [line for block in blocks for line in _BLOCK_WRITERS[type(block)](block, depth)]


def _heading_md(block: Heading, depth: int) -> list[str]:
    return ["#" * min(6, block.level + 1) + " " + _inline_md(block.inlines), ""]


def _paragraph_md(block: Paragraph, depth: int) -> list[str]:
    return ["   " * depth + _BLOCK_START.sub(_unblock, _inline_md(block.inlines)), ""]


def _list_md(block: ListBlock, depth: int) -> list[str]:
    indent = "   " * depth
    lines: list[str] = []
    for number, item in enumerate(block.items, start=block.start):
        marker = f"{number}." if block.ordered else "-"
        inner = blocks_md(item, depth + 1)
        first = inner[0].strip() if inner else ""
        lines.append(f"{indent}{marker} {first}")
        lines += [line for line in inner[1:] if line]
    return [*lines, ""]


def _table_md(block: Table, depth: int) -> list[str]:
    header = [_cell_md(c) for c in block.header]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell_md(c) for c in row) + " |" for row in block.rows]
    return [*lines, ""]


def _quote_md(block: Quote, depth: int) -> list[str]:
    return ["> " + line for line in blocks_md(block.blocks) if line] + [""]


def _code_md(block: Code, depth: int) -> list[str]:
    return ["```", block.text, "```", ""]


def _divider_md(block: Divider, depth: int) -> list[str]:
    return ["---", ""]


_BLOCK_WRITERS: dict[type[Block], Callable[[Any, int], list[str]]] = {
    Heading: _heading_md,
    Paragraph: _paragraph_md,
    ListBlock: _list_md,
    Table: _table_md,
    Quote: _quote_md,
    Code: _code_md,
    Divider: _divider_md,
}


def to_markdown(view: View) -> str:
    return "\n".join(line for part in _DOCUMENT_PARTS for line in part(view))


def _opening_md(view: View) -> list[str]:
    m, entry = view.meeting, doctypes.find(view.type)
    if m is not None and entry is not None and entry.of_meeting:
        kicker = m.forum_heading if issubclass(entry.record, Protocol) else m.forum_name
        return [f"**{md(kicker)}**", "", f"# {md(m.heading)}", ""] + ([md(m.date), ""] if m.date else [])
    return [md(view.type_label, line_start=True), "", f"# {md(view.title)}", ""]


def _header_md(view: View) -> list[str]:
    lines = [f"**{md(view.public_label)}**", ""] if view.public_label else []
    if view.header_rows:
        lines += ["| | |", "| --- | --- |"]
        lines += [f"| {md(r.label)} | {md(r.value).replace(chr(10), ' ')} |" for r in view.header_rows] + [""]
    return lines


def _meeting_part_md(view: View) -> list[str]:
    return _meeting_md(view.meeting) if view.meeting else []


def _proposed_md(view: View) -> list[str]:
    if not view.proposed_decisions:
        return []
    return ["## Förslag till beslut", ""] + [f"att {md(d)}  " for d in view.proposed_decisions] + [""]


def _wheel_md(view: View) -> list[str]:
    wheel = view.wheel
    lines: list[str] = []
    if wheel and wheel.placed:
        lines += ["## Månad för månad", "", "| Månad | Händelse | Forum |", "| --- | --- | --- |"]
        lines += [f"| {md(e.month_name)} | {md(e.title)} | {md(e.forum)} |" for e in wheel.placed] + [""]
    if wheel and wheel.unplaced:
        lines += ["## Utan bestämd månad", ""]
        lines += [f"- {md(e.label)}" for e in wheel.unplaced] + [""]
    return lines


def _body_md(view: View) -> list[str]:
    return blocks_md(view.body) + blocks_md(correction_blocks(view))


def _footer_md(view: View) -> list[str]:
    return ["---", "", md(view.footer, line_start=True), ""]


# A document's parts in the order they are written; a part the document does not have gives no lines.
_DOCUMENT_PARTS: tuple[Callable[[View], list[str]], ...] = (
    _opening_md,
    _header_md,
    _meeting_part_md,
    _proposed_md,
    _wheel_md,
    _body_md,
    _footer_md,
)


def _signature_md(s: Signature) -> str:
    who = md(s.line)
    return f"……………………………………  \n{who}" + (f"  \n{md(s.role)}" if s.role else "") + "\n"


def _meeting_md(m: MeetingView) -> list[str]:
    return [line for part in _MEETING_PARTS for line in part(m)]


def _index_md(m: MeetingView) -> list[str]:
    if not m.index or m.extract:
        return []
    lines = ["## Ärendeförteckning", ""]
    for entry in m.index:
        lines.append(f"- {md(entry.label)} {md(entry.title)}")
        lines += [f"   - {md(s)}" for s in entry.subitems]
    return [*lines, ""]


def _time_and_place_md(m: MeetingView) -> list[str]:
    return [f"**Tid och plats:** {md(m.time_and_place)}", ""]


def _attendance_md(m: MeetingView) -> list[str]:
    if m.extract:
        return []
    groups = (
        ("Närvarande ledamöter", m.present),
        ("Frånvarande", m.absent),
        ("Övriga deltagare och föredragande", m.others),
    )
    lines: list[str] = []
    for heading, people in groups:
        if people:
            lines += [f"**{heading}:**", ""] + [_person_md(p) for p in people] + [""]
    return lines


def _person_md(p: PersonView) -> str:
    return f"- {md(p.line)}"


def _officers_md(m: MeetingView) -> list[str]:
    if m.extract:
        return []
    adjusters = [s.line for s in m.signatures if s.role == "Justerare"]
    lines = [f"**Sekreterare:** {md(m.secretary.line)}", ""] if m.secretary else []
    return lines + (["**Justerare:**", "", *(f"- {md(a)}" for a in adjusters), ""] if adjusters else [])


def _paragraphs_md(m: MeetingView) -> list[str]:
    paragraphs = [md(m.paragraphs_label, line_start=True), ""] if m.paragraphs_label else []
    return paragraphs + ([f"**Justerat:** {m.adjusted}", ""] if m.adjusted else [])


def _notes_md(m: MeetingView) -> list[str]:
    """ "Protokollet är justerat (datum okänt)" and "Godkänt vid sammanträdet den …", after the signatures."""
    return [line for note in (m.adjusted_note, m.approved) if note for line in (md(note, line_start=True), "")]


def _signatures_md(m: MeetingView) -> list[str]:
    if not m.signatures or m.extract:
        return []
    return ["## Underskrifter", ""] + [_signature_md(s) for s in m.signatures]


def _items_md(m: MeetingView) -> list[str]:
    return [line for item in m.items for line in _item_md(item, m)]


def _certify_md(m: MeetingView) -> list[str]:
    if not m.extract:
        return []
    return [
        f"**{md(m.extract.certify)}**",
        "",
        _signature_md(m.secretary or Signature(role="", name="", description="", line="")),
    ]


def _distribution_md(m: MeetingView) -> list[str]:
    if not m.distribution:
        return []
    return ["**Protokollet ska skickas till**", ""] + [f"- {md(d)}" for d in m.distribution] + [""]


# A protocol's or kallelse's parts in the order they are written; an extract leaves out the index,
# the attendance, the officers and the signatures, and ends with the secretary's certification.
_MEETING_PARTS = (
    _index_md,
    _time_and_place_md,
    _attendance_md,
    _officers_md,
    _paragraphs_md,
    _signatures_md,
    _notes_md,
    _items_md,
    _certify_md,
    _distribution_md,
)


def _item_md(item: PointView, m: MeetingView, level: int = 2) -> list[str]:
    title = " ".join(md(p) for p in (item.label, item.heading) if p)
    lines = ["#" * level + " " + title, ""] + _item_lead_md(item) + blocks_md(item.body) + _item_close_md(item, m)
    if isinstance(item, ItemView):
        for sub in item.subitems:
            lines += _item_md(sub, m, level + 1)
    return lines


def _item_lead_md(item: PointView) -> list[str]:
    """What stands above an item's text: why it is withheld, and who presents it."""
    lines = [f"*{md(item.withheld)}*", ""] if item.withheld else []
    return lines + ([md(item.presenters_label, line_start=True), ""] if item.presenters_label else [])


def _item_close_md(item: PointView, m: MeetingView) -> list[str]:
    """What follows an item's text: its note, the decision or the proposal, and the recipients."""
    lines = [md(item.note, line_start=True), ""] if item.note else []
    if item.decisions:
        lines += [f"**{md(m.decision_phrase)}**", ""] + [f"att {md(d)}  " for d in item.decisions] + [""]
    if item.proposed_decisions:
        lines += ["**Förslag till beslut**", ""] + [f"att {md(d)}  " for d in item.proposed_decisions] + [""]
    if item.send_to:
        lines += ["Protokollet ska skickas till", ""] + [f"- {md(s)}" for s in item.send_to] + [""]
    return lines


def to_html(view: View, templates: Path, *, wheel_svg: str = "") -> str:
    """HTML through a sandboxed Jinja template with autoescape and StrictUndefined. `wheel_svg` is
    the årshjul drawing that typst made (markup of its own, so it goes in as it is)."""
    import jinja2
    import markupsafe
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(templates / "_common")), undefined=jinja2.StrictUndefined, autoescape=True
    )
    try:
        drawing = markupsafe.Markup(svg_body(wheel_svg)) if wheel_svg else ""
        return env.get_template("dokument.html.j2").render(view=as_data(view), wheel_svg=drawing)
    except jinja2.TemplateError as exc:
        raise SbError(f"HTML-mallen kunde inte renderas: {exc}") from None


def svg_body(svg: str) -> str:
    """The <svg> element alone (no XML declaration), hidden from screen readers: the figure's
    caption and the list under it say what it shows. HTML allows no namespace prefixes but xlink on
    it, and typst declares an unused one for XHTML."""
    start = svg.find("<svg")
    if start < 0:
        return ""
    tag_end = svg.index(">", start)
    tag = _UNUSED_PREFIX.sub("", svg[start:tag_end]).replace("<svg", '<svg aria-hidden="true" focusable="false"', 1)
    return tag + svg[tag_end:]


_UNUSED_PREFIX = re.compile(r'(?<!\s)\s+xmlns:(?!xlink\b)[\w.-]+="[^"]*"')  # from a run's first space only
