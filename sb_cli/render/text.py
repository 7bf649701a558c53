"""Markdown and HTML writers for view models (the Word and PDF writers live in docx.py and pdf.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from sb_cli.errors import SbError
from sb_cli.render.markdown import Block, Code, Divider, Heading, Inline, ListBlock, Paragraph, Quote, Table
from sb_cli.render.view import ItemView, MeetingView, PointView, Signature, View, as_data

# Markdown punctuation that could make text into markup (CommonMark lets any of it be escaped), and
# what starts a block when it starts a line.
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~!])")
_BLOCK_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")


def _unblock(match: re.Match[str]) -> str:
    indent, sign, digits, closing = match.groups()
    return f"{indent}\\{sign}" if sign else f"{indent}{digits}\\{closing}"


def md(text: str, *, line_start: bool = False) -> str:
    """Text that a Markdown reader shows as written: `&lt;script&gt;` in a source stays text. At the
    start of a line, what would begin a block (#, -, 1.) is escaped too."""
    escaped = _MARKUP.sub(r"\\\1", text)
    return _BLOCK_START.sub(_unblock, escaped) if line_start else escaped


def _code(text: str) -> str:
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _inline_md(inlines: Sequence[Inline]) -> str:
    out = []
    for inline in inlines:
        if inline.hard_break:
            out.append("  \n")
            continue
        text = _code(inline.text) if inline.code else _MARKUP.sub(r"\\\1", inline.text)
        if inline.bold:
            text = f"**{text}**"
        if inline.italic:
            text = f"*{text}*"
        if inline.link:
            text = f"[{text}](<{inline.link.replace('>', '%3E').replace('<', '%3C')}>)"
        out.append(text)
    return "".join(out)


def blocks_md(blocks: Sequence[Block], depth: int = 0) -> list[str]:
    lines: list[str] = []
    indent = "   " * depth
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * min(6, block.level + 1) + " " + _inline_md(block.inlines), ""]
        elif isinstance(block, Paragraph):
            lines += [indent + _BLOCK_START.sub(_unblock, _inline_md(block.inlines)), ""]
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, start=block.start):
                marker = f"{number}." if block.ordered else "-"
                inner = blocks_md(item, depth + 1)
                first = inner[0].strip() if inner else ""
                lines.append(f"{indent}{marker} {first}")
                lines += [line for line in inner[1:] if line]
            lines.append("")
        elif isinstance(block, Table):
            header = [_inline_md(c) for c in block.header]
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join(" --- " for _ in header) + "|")
            lines += ["| " + " | ".join(_inline_md(c) for c in row) + " |" for row in block.rows]
            lines.append("")
        elif isinstance(block, Quote):
            lines += ["> " + line for line in blocks_md(block.blocks) if line] + [""]
        elif isinstance(block, Code):
            lines += ["```", block.text, "```", ""]
        elif isinstance(block, Divider):
            lines += ["---", ""]
    return lines


def to_markdown(view: View) -> str:
    m = view.meeting
    if m is not None and view.type in ("protokoll", "kallelse"):
        kicker = m.forum_heading if view.type == "protokoll" else m.forum_name
        lines = [f"**{md(kicker)}**", "", f"# {md(m.heading)}", ""] + ([md(m.date), ""] if m.date else [])
    else:
        lines = [md(view.type_label, line_start=True), "", f"# {md(view.title)}", ""]
    if view.public_label:
        lines += [f"**{md(view.public_label)}**", ""]
    if view.header_rows:
        lines += ["| | |", "| --- | --- |"]
        lines += [f"| {md(r.label)} | {md(r.value).replace(chr(10), ' ')} |" for r in view.header_rows] + [""]
    if view.meeting:
        lines += _meeting_md(view.meeting)
    if view.proposed_decisions:
        lines += ["## Förslag till beslut", ""] + [f"att {md(d)}  " for d in view.proposed_decisions] + [""]
    wheel = view.wheel
    if wheel and wheel.placed:
        lines += ["## Månad för månad", "", "| Månad | Händelse | Forum |", "| --- | --- | --- |"]
        lines += [f"| {md(e.month_name)} | {md(e.title)} | {md(e.forum)} |" for e in wheel.placed] + [""]
    if wheel and wheel.unplaced:
        lines += ["## Utan bestämd månad", ""]
        lines += [f"- {md(e.label)}" for e in wheel.unplaced] + [""]
    lines += blocks_md(view.body)
    lines += ["---", "", md(view.footer, line_start=True), ""]
    return "\n".join(lines)


def _signature_md(s: Signature) -> str:
    who = md(s.name) + (", " + md(s.description) if s.description else "")
    return f"……………………………………  \n{who}" + (f"  \n{md(s.role)}" if s.role else "") + "\n"


def _meeting_md(m: MeetingView) -> list[str]:
    lines: list[str] = []
    if m.index and not m.extract:
        lines += ["## Ärendeförteckning", ""]
        for entry in m.index:
            lines.append(f"- {md(entry.label)} {md(entry.title)}")
            lines += [f"   - {md(s)}" for s in entry.subitems]
        lines.append("")
    lines += [f"**Tid och plats:** {md(m.time_and_place)}", ""]
    groups = (
        ("Närvarande ledamöter", m.present),
        ("Frånvarande", m.absent),
        ("Övriga deltagare och föredragande", m.others),
    )
    for heading, people in groups if not m.extract else ():
        if people:
            lines += [f"**{heading}:**", ""]
            lines += [
                f"- {md(p.name)}{', ' + md(p.description) if p.description else ''}"
                f"{' (' + md(p.role) + ')' if p.role else ''}"
                f"{' ' + md(p.items_label) if p.items_label else ''}"
                for p in people
            ] + [""]
    adjusters = [s.name for s in m.signatures if s.role == "Justerare"]
    if m.secretary and not m.extract:
        lines += [f"**Sekreterare:** {md(m.secretary.name)}", ""]
    if adjusters and not m.extract:
        lines += [f"**Justerare:** {md(', '.join(adjusters))}", ""]
    if m.paragraphs_label:
        lines += [md(m.paragraphs_label, line_start=True), ""]
    if m.adjusted:
        lines += [f"**Justerat:** {m.adjusted}", ""]
    if m.signatures and not m.extract:
        lines += ["## Underskrifter", ""] + [_signature_md(s) for s in m.signatures]
    for item in m.items:
        lines += _item_md(item, m)
    if m.extract:
        lines += [f"**{md(m.extract.certify)}**", ""]
        lines += [_signature_md(m.secretary or Signature(role="", name="", description=""))]
    if m.distribution:
        lines += ["**Protokollet ska skickas till**", ""] + [f"- {md(d)}" for d in m.distribution] + [""]
    return lines


def _item_md(item: PointView, m: MeetingView, level: int = 2) -> list[str]:
    title = " ".join(md(p) for p in (item.label, item.title, item.kind_label, item.attachments_label) if p)
    lines = ["#" * level + " " + title, ""]
    if item.withheld:
        lines += [f"*{md(item.withheld)}*", ""]
    if item.presenters_label:
        lines += [md(item.presenters_label, line_start=True), ""]
    lines += blocks_md(item.body)
    if item.note:
        lines += [md(item.note, line_start=True), ""]
    if item.decisions:
        lines += [f"**{md(m.decision_phrase)}**", ""] + [f"att {md(d)}  " for d in item.decisions] + [""]
    if item.proposed_decisions:
        lines += ["**Förslag till beslut**", ""] + [f"att {md(d)}  " for d in item.proposed_decisions] + [""]
    if item.send_to:
        lines += ["Protokollet ska skickas till", ""] + [f"- {md(s)}" for s in item.send_to] + [""]
    if isinstance(item, ItemView):
        for sub in item.subitems:
            lines += _item_md(sub, m, level + 1)
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
