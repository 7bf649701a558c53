"""(Re)generate the Word malls, templates/<mall>/mall.docx, with python-docx.

Run from anywhere:  python tools/make_mallar.py

Each mall is an ordinary A4 .docx with the named styles `sb render --to docx` uses (Normal,
Title, Heading 1–4, List Bullet/Number, Att-sats, Beslutsfras, Sändlista, Paragrafrubrik,
Underskrift, Sidfot, table styles …); a secretary may restyle them in Word. The body holds
docxtpl fields (the title block and the `{{p content }}` paragraph where the document text goes);
the footer holds `{{ footer }}` and the page number "1 (12)". Reruns give identical bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
TEXT_WIDTH = 9070  # twips: A4 (11906) minus 2 × 2.5 cm margins
LABEL_WIDTH = 2552  # 4.5 cm, the label column of the dokumenthuvud
BODY_FONT, HEAD_FONT, CODE_FONT = "Calibri", "Cambria", "Consolas"
SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


# --- styles.xml ------------------------------------------------------------------------------


def fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def attrs(**values: object) -> str:
    return " ".join(f'w:{k}="{v}"' for k, v in values.items() if v is not None)


def ppr(
    *,
    keep=False,
    lines=False,
    border="",
    shade=None,
    tabs=(),
    before=None,
    after=None,
    line=None,
    left=None,
    right=None,
    hanging=None,
    contextual=False,
    jc=None,
    outline=None,
) -> str:
    """Paragraph properties, in schema order."""
    out = ["<w:keepNext/>"] if keep else []
    out += ["<w:keepLines/>"] if lines else []
    out += [f"<w:pBdr>{border}</w:pBdr>"] if border else []
    out += [f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'] if shade else []
    if tabs:
        out.append("<w:tabs>" + "".join(f"<w:tab {attrs(val=k, pos=p)}/>" for k, p in tabs) + "</w:tabs>")
    if before is not None or after is not None or line is not None:
        rule = "auto" if line else None
        out.append(f"<w:spacing {attrs(before=before, after=after, line=line, lineRule=rule)}/>")
    if left is not None or right is not None or hanging is not None:
        out.append(f"<w:ind {attrs(left=left, right=right, hanging=hanging)}/>")
    out += ["<w:contextualSpacing/>"] if contextual else []
    out += [f'<w:jc w:val="{jc}"/>'] if jc else []
    out += [f'<w:outlineLvl w:val="{outline}"/>'] if outline is not None else []
    return f"<w:pPr>{''.join(out)}</w:pPr>" if out else ""


def rpr(*, font=None, bold=False, italic=False, color=None, size=None, underline=False, lang=False) -> str:
    """Run properties, in schema order."""
    out = [fonts(font)] if font else []
    out += ["<w:b/><w:bCs/>"] if bold else []
    out += ["<w:i/><w:iCs/>"] if italic else []
    out += [f'<w:color w:val="{color}"/>'] if color else []
    out += [f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'] if size else []
    out += ['<w:u w:val="single"/>'] if underline else []
    out += ['<w:lang w:val="sv-SE" w:eastAsia="sv-SE" w:bidi="ar-SA"/>'] if lang else []
    return f"<w:rPr>{''.join(out)}</w:rPr>" if out else ""


def style(
    kind: str,
    sid: str,
    name: str,
    *,
    based=None,
    nxt=None,
    default=False,
    priority=None,
    quick=True,
    p="",
    r="",
    extra="",
) -> str:
    head = f'<w:style w:type="{kind}" w:styleId="{sid}"' + (' w:default="1"' if default else "")
    parts = [f'{head}><w:name w:val="{name}"/>']
    parts += [f'<w:basedOn w:val="{based}"/>'] if based else []
    parts += [f'<w:next w:val="{nxt}"/>'] if nxt else []
    parts += [f'<w:uiPriority w:val="{priority}"/>'] if priority is not None else []
    parts += ["<w:qFormat/>"] if quick else []
    return "".join(parts + [p, r, extra, "</w:style>"])


def paragraph(sid: str, name: str, *, based="Normal", nxt=None, priority=20, **kwargs) -> str:
    return style("paragraph", sid, name, based=based, nxt=nxt, priority=priority, **kwargs)


def border(side: str, val: str = "single", size: int = 4, space: int = 0) -> str:
    return f"<w:{side} {attrs(val=val, sz=size, space=space, color='auto')}/>"


def cell_margins(top: int, left: int, bottom: int, right: int) -> str:
    sides = zip(("top", "left", "bottom", "right"), (top, left, bottom, right), strict=True)
    return "<w:tblCellMar>" + "".join(f'<w:{s} w:w="{v}" w:type="dxa"/>' for s, v in sides) + "</w:tblCellMar>"


GRID = "".join(border(s) for s in SIDES)
NO_BORDERS = "".join(f'<w:{s} w:val="nil"/>' for s in SIDES)
CELL_MARGINS = cell_margins(40, 108, 40, 108)
SHADE = '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/></w:tcPr>'


def table_style(
    sid: str,
    name: str,
    *,
    borders: str,
    based="TableNormal",
    conditional="",
    margins=CELL_MARGINS,
    after=0,
    default=False,
) -> str:
    tblpr = (
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        + (f"<w:tblBorders>{borders}</w:tblBorders>" if borders else "")
        + f"{margins}</w:tblPr>"
    )
    return style(
        "table",
        sid,
        name,
        based=based,
        priority=59 if not default else 99,
        quick=False,
        default=default,
        p=ppr(after=after, line=240) if not default else "",
        extra=tblpr + conditional,
    )


def list_styles() -> list[str]:
    out = []
    for name, sid, num in (("List Bullet", "ListBullet", 1), ("List Number", "ListNumber", 2)):
        for level in range(3):
            numpr = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'
            props = ppr(after=60, left=360 * (level + 1), hanging=360)
            out.append(
                paragraph(
                    sid + (str(level + 1) if level else ""),
                    name + (f" {level + 1}" if level else ""),
                    priority=99,
                    p=props.replace("<w:pPr>", "<w:pPr>" + numpr, 1),
                )
            )
    for level in range(3):
        out.append(
            paragraph(
                "ListContinue" + (str(level + 1) if level else ""),
                "List Continue" + (f" {level + 1}" if level else ""),
                priority=99,
                p=ppr(after=60, left=360 * (level + 1)),
            )
        )
    return out


def styles_xml() -> str:
    sizes = {1: (32, 360, 120), 2: (26, 280, 80), 3: (24, 240, 60), 4: (22, 200, 40)}
    page_tabs = (("center", TEXT_WIDTH // 2), ("right", TEXT_WIDTH))
    paragraphs = [
        style("paragraph", "Normal", "Normal", default=True, p=ppr(after=120, line=264), r=rpr(lang=True)),
        paragraph(
            "Title",
            "Title",
            nxt="Subtitle",
            priority=10,
            p=ppr(keep=True, after=120, line=240, contextual=True),
            r=rpr(font=HEAD_FONT, size=44),
        ),
        paragraph(
            "Subtitle",
            "Subtitle",
            nxt="Normal",
            priority=11,
            p=ppr(keep=True, after=240),
            r=rpr(color="404040", size=28),
        ),
        *[
            paragraph(
                f"Heading{n}",
                f"heading {n}",
                nxt="Normal",
                priority=9,
                p=ppr(keep=True, lines=True, before=before, after=after, outline=n - 1),
                r=rpr(font=HEAD_FONT, bold=True, italic=n == 4, size=size),
            )
            for n, (size, before, after) in sizes.items()
        ],
        *list_styles(),
        paragraph(
            "Quote", "Quote", nxt="Normal", priority=29, p=ppr(left=567, right=567), r=rpr(italic=True, color="404040")
        ),
        paragraph(
            "Kodblock",
            "Kodblock",
            priority=99,
            p=ppr(shade="F2F2F2", after=120, line=240, left=113, right=113),
            r=rpr(font=CODE_FONT, size=19),
        ),
        paragraph(
            "Avdelare",
            "Avdelare",
            nxt="Normal",
            priority=99,
            p=ppr(border=border("bottom", size=6, space=1), after=240),
        ),
        paragraph("Att-sats", "Att-sats", p=ppr(tabs=(("left", 794),), after=120, left=794, hanging=794)),
        paragraph(
            "Beslutsfras", "Beslutsfras", nxt="Att-sats", p=ppr(keep=True, before=240, after=120), r=rpr(bold=True)
        ),
        paragraph(
            "Sandlisterubrik",
            "Sändlisterubrik",
            nxt="Sandlista",
            p=ppr(keep=True, before=240, after=40),
            r=rpr(bold=True),
        ),
        paragraph("Sandlista", "Sändlista", p=ppr(after=0, contextual=True)),
        paragraph(
            "Paragrafrubrik",
            "Paragrafrubrik",
            nxt="Normal",
            p=ppr(keep=True, lines=True, before=480, after=120, outline=0),
            r=rpr(font=HEAD_FONT, bold=True, size=26),
        ),
        paragraph(
            "Underpunkt",
            "Underpunkt",
            nxt="Normal",
            p=ppr(keep=True, lines=True, before=240, after=60, outline=1),
            r=rpr(bold=True),
        ),
        paragraph("Forteckning", "Förteckning", p=ppr(tabs=(("left", 1134),), after=40, left=1134, hanging=1134)),
        paragraph(
            "Underskrift",
            "Underskrift",
            nxt="Normal",
            p=ppr(lines=True, border=border("top", "dotted", 8, 4), before=840, after=120, right=4536),
        ),
        paragraph("Bild", "Bild", nxt="Caption", p=ppr(keep=True, before=120, after=60, jc="center")),
        paragraph(
            "Caption", "caption", nxt="Normal", priority=35, p=ppr(after=240, jc="center"), r=rpr(italic=True, size=18)
        ),
        paragraph("Header", "header", priority=99, quick=False, p=ppr(tabs=page_tabs, after=0, line=240)),
        paragraph("Footer", "footer", priority=99, quick=False, p=ppr(tabs=page_tabs, after=0, line=240)),
        paragraph("Sidhuvud", "Sidhuvud", based="Header", r=rpr(color="595959", size=17)),
        paragraph(
            "Sidfot",
            "Sidfot",
            based="Footer",
            p=ppr(tabs=(("clear", TEXT_WIDTH // 2), ("right", TEXT_WIDTH))),
            r=rpr(color="595959", size=16),
        ),
    ]
    characters = [
        style("character", "DefaultParagraphFont", "Default Paragraph Font", default=True, priority=1, quick=False),
        style(
            "character",
            "Hyperlink",
            "Hyperlink",
            based="DefaultParagraphFont",
            priority=99,
            quick=False,
            r=rpr(color="0563C1", underline=True),
        ),
        style("character", "Kod", "Kod", based="DefaultParagraphFont", priority=99, r=rpr(font=CODE_FONT)),
    ]
    first_row = f'<w:tblStylePr w:type="firstRow">{rpr(bold=True)}{SHADE}</w:tblStylePr>'
    first_col = f'<w:tblStylePr w:type="firstCol">{rpr(bold=True)}{SHADE}</w:tblStylePr>'
    tables = [
        table_style(
            "TableNormal", "Normal Table", borders="", based=None, default=True, margins=cell_margins(0, 108, 0, 108)
        ),
        table_style("TableGrid", "Table Grid", borders=GRID),
        table_style("Tabell", "Tabell", based="TableGrid", borders=GRID, conditional=first_row),
        table_style("Dokumenthuvud", "Dokumenthuvud", based="TableGrid", borders=GRID, conditional=first_col),
        table_style("Layouttabell", "Layouttabell", borders=NO_BORDERS, after=40, margins=cell_margins(0, 0, 0, 113)),
    ]
    lists = [style("numbering", "NoList", "No List", default=True, priority=99, quick=False)]
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        + fonts(BODY_FONT)
        + '<w:sz w:val="22"/><w:szCs w:val="22"/>'
        + '<w:lang w:val="sv-SE" w:eastAsia="sv-SE" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        + f"<w:pPrDefault>{ppr(after=120, line=264)}</w:pPrDefault></w:docDefaults>"
    )
    return f"<w:styles {W}>{defaults}{''.join(paragraphs + characters + tables + lists)}</w:styles>"


# --- numbering.xml ---------------------------------------------------------------------------


def numbering_xml() -> str:
    bullets = ("\u2022", "\u2013", "\u25aa")
    numbers = (("decimal", "%{n}."), ("lowerLetter", "%{n})"), ("lowerRoman", "%{n}."))

    def level(i: int, fmt: str, shown: str) -> str:
        return (
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{shown}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{360 * (i + 1)}" w:hanging="360"/></w:pPr>'
            f"{rpr(font=BODY_FONT) if fmt == 'bullet' else ''}</w:lvl>"
        )

    def abstract(ident: int, levels: str) -> str:
        return (
            f'<w:abstractNum w:abstractNumId="{ident}"><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
        )

    bullet = "".join(level(i, "bullet", bullets[i % 3]) for i in range(9))
    number = "".join(level(i, numbers[i % 3][0], numbers[i % 3][1].format(n=i + 1)) for i in range(9))
    return (
        f"<w:numbering {W}>{abstract(0, bullet)}{abstract(1, number)}"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    )


# --- the document ----------------------------------------------------------------------------


def field(instr: str, shown: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def run(shown: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{shown}</w:t></w:r>'


def para(shown: str, style_id: str = "Normal") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{run(shown)}</w:p>'


def header_table() -> str:
    """The dokumenthuvud: one row per header_rows entry (a docxtpl {%tr %} loop), if any."""
    widths = (LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH)

    def row(first: str, second: str) -> str:
        return (
            "<w:tr>"
            + "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p>{run(t)}</w:p></w:tc>'
                for t, w in ((first, widths[0]), (second, widths[1]))
            )
            + "</w:tr>"
        )

    look = attrs(val="0080", firstRow=0, lastRow=0, firstColumn=1, lastColumn=0, noHBand=1, noVBand=1)
    return (
        para("{%p if header_rows %}")
        + '<w:tbl><w:tblPr><w:tblStyle w:val="Dokumenthuvud"/>'
        + f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        + f"<w:tblLook {look}/></w:tblPr><w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid>"
        + row("{%tr for row in header_rows %}", "")
        + row("{{ row[0] }}", "{{ row[1] }}")
        + row("{%tr endfor %}", "")
        + "</w:tbl>"
        + para("{%p endif %}")
    )


TITLE_BLOCKS = {
    "protokoll": [
        ("{{ meeting.forum_heading }}", "Title"),
        ("{{ meeting.heading }}", "Subtitle"),
        ("{{ meeting.date or meeting.date_long }}", "Normal"),
    ],
    "kallelse": [
        ("{{ meeting.heading }}", "Title"),
        ("{{ meeting.forum_name }}", "Subtitle"),
        ("{{ meeting.date or meeting.date_long }}", "Normal"),
    ],
    "foredragning": [("{{ title }}", "Title"), ("{{ type_label }} \u00b7 {{ meeting.forum_name }}", "Subtitle")],
}


def body_xml(mall: str) -> str:
    blocks = TITLE_BLOCKS.get(mall, [("{{ title }}", "Title"), ("{{ type_label }}", "Subtitle")])
    xml = "".join(para(shown, sid) for shown, sid in blocks)
    # "Offentlig version" in the first lines of the public version (SPEC §7)
    xml += para("{%p if public_label %}") + para("{{ public_label }}", "Subtitle") + para("{%p endif %}")
    if mall not in TITLE_BLOCKS:
        xml += header_table()
    return xml + para("{{p content }}")


SECTION = (
    '<w:pgSz w:w="11906" w:h="16838"/>'
    f"<w:pgMar {attrs(top=1418, right=1418, bottom=1418, left=1418, header=709)} "
    'w:footer="567" w:gutter="0"/><w:cols w:space="708"/><w:titlePg/><w:docGrid w:linePitch="360"/>'
)

# The running header, on every page but the first (titlePg), as the PDF has it.
HEADER = (
    f'<w:hdr {W} {R}><w:p><w:pPr><w:pStyle w:val="Sidhuvud"/></w:pPr>' + run("{{ running_header }}") + "</w:p></w:hdr>"
)

FOOTER = (
    f'<w:ftr {W} {R}><w:p><w:pPr><w:pStyle w:val="Sidfot"/></w:pPr>'
    + run("{{ footer }}")
    + "<w:r><w:tab/></w:r>"
    + field("PAGE", "1")
    + run(" (")
    + field("NUMPAGES", "1")
    + run(")")
    + "</w:p></w:ftr>"
)

APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties">'
    "<Template>mall.docx</Template><Application>sb</Application><DocSecurity>0</DocSecurity>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def build(mall: str) -> bytes:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    from sb_cli.render.docx import stable_zip

    document = docx.Document()
    part = document.part
    package = part.package
    # Leave out what python-docx's default document carries but a mall does not need.
    for rels, reltypes in ((package.rels, (RT.THUMBNAIL,)), (part.rels, (RT.CUSTOM_XML, STYLES_WITH_EFFECTS))):
        for rid in [r for r, rel in rels.items() if rel.reltype in reltypes]:
            del rels[rid]
            rels._target_parts_by_rId.pop(rid, None)
    for each in package.parts:
        if each.partname == "/docProps/app.xml":
            each._blob = APP.encode("utf-8")
    part._styles_part._element = parse_xml(styles_xml())
    part.numbering_part._element = parse_xml(numbering_xml())
    settings = document.settings.element
    for tag, value in (("themeFontLang", "sv-SE"), ("decimalSymbol", ","), ("listSeparator", ";")):
        for element in settings.findall(qn(f"w:{tag}")):
            element.attrib.clear()
            element.set(qn("w:val"), value)
    for rsids in settings.findall(qn("w:rsids")):
        settings.remove(rsids)

    section = document.sections[0]
    section.footer.is_linked_to_previous = False  # adds footer1.xml and its reference
    section.footer.part._element = parse_xml(FOOTER)
    section.header.is_linked_to_previous = False  # header1.xml and its reference
    section.header.part._element = parse_xml(HEADER)
    rid = section._sectPr.xpath("w:footerReference")[0].get(qn("r:id"))
    header_rid = section._sectPr.xpath("w:headerReference")[0].get(qn("r:id"))
    body = parse_xml(
        f"<w:body {W} {R}>{body_xml(mall)}<w:sectPr>"
        f'<w:headerReference w:type="default" r:id="{header_rid}"/>'
        f'<w:footerReference w:type="default" r:id="{rid}"/>'
        f'<w:footerReference w:type="first" r:id="{rid}"/>{SECTION}'
        "</w:sectPr></w:body>"
    )
    document.element.replace(document.element.body, body)

    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    core = document.core_properties
    core.title, core.subject, core.keywords, core.category, core.identifier = "", "", "", "", ""
    core.author, core.last_modified_by, core.language, core.revision = "sb", "sb", "sv-SE", 1
    core.comments = (
        f"Mall för sb render ({mall}). Ändra utseendet med formatmallarna; "
        "behåll fälten i klammerparenteser och innehållsstycket."
    )
    core.created = core.modified = fixed
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from sb_cli.core.doctypes import mallar  # every mall the document-type table names

    for mall in mallar():
        target = ROOT / "templates" / mall / "mall.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = build(mall)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
            sys.stdout.write(f"skrev {target.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
