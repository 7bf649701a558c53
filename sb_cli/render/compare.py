"""A comparison of two versions of a document (SPEC §13) as a view that every render format writes.

The comparison is itself a `View`: its header names the two versions, its body lists the facts that
changed ("tidigare → ny"), the sections that changed, and then the whole text, section by section,
with each added or removed word marked on its inline (`Inline.change`). Word, PDF, HTML and
Markdown write it from the same outline as `sb render`, so a member reads it on paper, in Word or on
the web alike.

Sections are aligned by heading (a protocol's by §): a section found under the same heading, or with
most of the same words under another, is compared with its earlier self wherever it now stands, and
one that stands in another order among the others is shown as moved, not as removed and added.
Inside a section, blocks are aligned by their text and paragraphs compared word by word; words and
punctuation are separate tokens, so a changed full stop does not replace the word before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from msgspec.structs import replace

from sb_cli.render.markdown import (
    Block,
    Blocks,
    Change,
    Code,
    Heading,
    Inline,
    Inlines,
    ListBlock,
    Paragraph,
    Quote,
    Table,
    inlines_in,
    merged,
    plain,
    text_of,
)
from sb_cli.render.view import HeaderRow, MeetingView, Meta, PointView, View

TYPE_LABEL = "Jämförelse mellan versioner"
FACTS_HEADING = "Ändrade uppgifter"
SECTIONS_HEADING = "Ändrade avsnitt"
TEXT_HEADING = "Texten med ändringar"
PARALLEL_HEADING = "Tidigare lydelse och ny lydelse"
PARALLEL_COLUMNS = ("Tidigare lydelse", "Ny lydelse")
START = "början av dokumentet"
STATES = {
    "changed": "ändrat",
    "added": "tillagt",
    "removed": "borttaget",
    "moved": "flyttat",
}  # "left": where one stood
SIMILAR = 0.5  # share of words two sections under different headings must have in common to be one


@dataclass(frozen=True)
class Side:
    """One of the two versions compared: its view, and how the comparison names it
    ("version 1.0, beslutad 2021-03-05", "arbetskopian")."""

    view: View
    label: str


def comparison(
    old: Side, new: Side, *, date: str | None = None, side_by_side: bool = False, moves_as_changes: bool = False
) -> View:
    """The view that shows what changed from `old` to `new`. `date` (ISO) is the day of the change:
    the later version's decision date, or today. `side_by_side` adds the two columns "Tidigare
    lydelse | Ny lydelse" by section. `moves_as_changes` shows a moved section as removed where it
    stood and added where it stands (for Word, whose "reject all" must then give the old order)."""
    # The text's own headings stand one level under "Texten med ändringar", however deep they begin.
    top = min((b.level for side in (old, new) for b in side.view.body if isinstance(b, Heading)), default=1)
    aligned = align(sections_of(old.view, shift=2 - top), sections_of(new.view, shift=2 - top))
    body: list[Block] = [
        _paragraph(
            f"Jämförelsen visar vad som ändrats från {old.label} till {new.label}. Tillagd text är "
            "understruken och borttagen text är genomstruken."
        ),
        _heading(1, FACTS_HEADING),
        *_facts_table(changed_facts(old.view, new.view)),
        _heading(1, SECTIONS_HEADING),
        *_summary(aligned),
        _heading(1, TEXT_HEADING),
        *(block for pair in aligned for block in pair.blocks(moves_as_changes=moves_as_changes)),
    ]
    if side_by_side:
        body += [_heading(1, PARALLEL_HEADING), *_parallel(aligned)]
    view = new.view
    title = f"Jämförelse: {view.title}"
    versions = " → ".join(v for v in (old.view.meta.version, view.meta.version) if v)
    return View(
        kind="styrdokument",
        lang=view.lang,
        id=view.id,
        type=view.type,
        type_label=TYPE_LABEL,
        title=title,
        running_header=title,
        public_label="",
        meta=Meta(
            title=title,
            author=view.meta.author,
            owner=view.meta.owner,
            version=versions,
            valid_until="",
            diarienummer=view.meta.diarienummer,
            status="",
            date=date,
            keywords=("Jämförelse", f"Tidigare: {old.label}", f"Ny: {new.label}"),
        ),
        footer=f"{view.id} · jämförelse: {old.label} → {new.label}",
        header_rows=tuple(
            HeaderRow(label=label, value=value)
            for label, value in (
                ("Dokument", view.title),
                ("Dokument-id", view.id),
                ("Tidigare version", old.label),
                ("Ny version", new.label),
                ("Datum för ändringen", date or ""),
            )
            if value
        ),
        body=tuple(body),
        public=False,
    )


# ---------------------------------------------------------------- facts


def changed_facts(old: View, new: View) -> list[tuple[str, str, str]]:
    """(label, earlier, new) of every fact of the document header, or of the meeting, that differs;
    "–" stands for a fact one version lacks."""
    before, after = _facts(old), _facts(new)
    labels = list(after) + [label for label in before if label not in after]
    return [
        (label, before.get(label) or "–", after.get(label) or "–")
        for label in labels
        if before.get(label, "") != after.get(label, "")
    ]


def _facts(view: View) -> dict[str, str]:
    facts = {row.label: row.value for row in view.header_rows}
    facts.setdefault("Dokumentnamn", view.title)
    m = view.meeting
    if m is not None:
        facts.update(
            (label, value)
            for label, value in (
                ("Sammanträde", m.date_long),
                ("Tid och plats", m.time_and_place),
                ("Justerat", m.adjusted or ""),
                ("Justerare", ", ".join(s.name for s in m.signatures if s.role == "Justerare")),
            )
            if value
        )
    return facts


def _facts_table(facts: list[tuple[str, str, str]]) -> list[Block]:
    if not facts:
        return [_paragraph("Inga uppgifter har ändrats.")]
    return [
        Table(
            header=(_text("Uppgift"), _text("Tidigare"), _text("Ny")),
            rows=tuple((_text(label), _text(before), _text(after)) for label, before, after in facts),
        )
    ]


# ---------------------------------------------------------------- sections


@dataclass(frozen=True)
class Section:
    """A heading and the blocks under it, up to the next heading; `key` names it for alignment,
    `within` are the titles of the headings it stands under."""

    heading: Heading | None
    blocks: Blocks
    key: str
    within: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return plain(self.heading.inlines).strip() if self.heading else START

    @property
    def place(self) -> str:
        """The title under the heading above it: "6.2 LSVO – Ledningssamverkan vård och omsorg › Mötesformer"."""
        return " › ".join((*self.within[-1:], self.title))

    def same(self, other: Section) -> bool:
        return (self.heading, self.blocks) == (other.heading, other.blocks)

    @property
    def words(self) -> list[str]:
        return _WORD.findall(f"{self.title}\n{text_of(self.blocks)}".lower())


def sections_of(view: View, *, shift: int = 1) -> list[Section]:
    """A styrdokument's text split at its headings (each `shift` levels deeper), or a protocol's or
    kallelse's points by §."""
    if view.meeting is not None:
        return _meeting_sections(view.meeting)
    return _split(view.body, shift=shift)


def _split(blocks: Blocks, *, shift: int) -> list[Section]:
    sections: list[Section] = []
    above: list[tuple[int, str]] = []  # (level, title) of the headings the next section stands under
    heading: Heading | None = None
    current: list[Block] = []
    for block in blocks:
        if not isinstance(block, Heading):
            current.append(block)
            continue
        if heading is not None or current:
            sections.append(_section(heading, current, above))
        if heading is not None:
            above = [
                *[(level, t) for level, t in above if level < heading.level],
                (heading.level, plain(heading.inlines).strip()),
            ]
        heading, current = replace(block, level=min(6, block.level + shift)), []
        above = [(level, t) for level, t in above if level < heading.level]
    if heading is not None or current:
        sections.append(_section(heading, current, above))
    return sections


def _section(heading: Heading | None, blocks: list[Block], above: list[tuple[int, str]]) -> Section:
    key = _key(plain(heading.inlines)) if heading else ""
    return Section(heading, tuple(blocks), key, tuple(title for _, title in above))


_NUMBERING = re.compile(r"^\s*(?:§\s*)?\d+(?:\.\d+)*[.)]?\s+")
_WORD = re.compile(r"\w+")


def _key(title: str) -> str:
    return " ".join(_WORD.findall(title.lower()))


def _meeting_sections(m: MeetingView) -> list[Section]:
    people = [
        (label, [p.line for p in group])
        for label, group in (("Närvarande", m.present), ("Frånvarande", m.absent), ("Övriga", m.others))
        if group
    ]
    opening: list[Block] = [_paragraph(m.time_and_place)] if m.time_and_place else []
    for label, lines in people:
        opening += [_paragraph(label, bold=True), _list(lines)]
    sections = [Section(_heading(2, "Sammanträdet"), tuple(opening), "")]
    for item in m.items:
        title = " ".join(p for p in (item.label, item.heading) if p)
        blocks = [*_point_blocks(item, m)]
        for sub in item.subitems:
            blocks += [_heading(3, " ".join(p for p in (sub.label, sub.heading) if p)), *_point_blocks(sub, m)]
        sections.append(Section(_heading(2, title), tuple(blocks), item.label or _key(item.heading)))
    return sections


def _point_blocks(point: PointView, m: MeetingView) -> list[Block]:
    blocks: list[Block] = []
    if point.withheld:
        blocks.append(_paragraph(point.withheld, italic=True))
    if point.presenters_label:
        blocks.append(_paragraph(point.presenters_label, italic=True))
    blocks += point.body
    for phrase, clauses in ((m.decision_phrase, point.decisions), ("Förslag till beslut", point.proposed_decisions)):
        if clauses:
            blocks += [_paragraph(phrase), _list([f"att {clause}" for clause in clauses])]
    if point.note:
        blocks.append(_paragraph(point.note, italic=True))
    if point.send_to:
        blocks.append(_paragraph("Skickas till: " + ", ".join(point.send_to)))
    return blocks


@dataclass(frozen=True)
class Pair:
    """A section of either version, or both. `moved_from` is, for a section that moved, the title
    of what it followed before; `moved_to`, for the place it left, the title it now stands under."""

    old: Section | None
    new: Section | None
    moved_from: str | None = None
    moved_to: str | None = None

    @property
    def state(self) -> str:
        if self.moved_to is not None:
            return "left"
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        if self.moved_from is not None:
            return "moved"
        return "same" if self.old.same(self.new) else "changed"

    @property
    def title(self) -> str:
        section = self.new or self.old
        return section.title if section else START

    @property
    def place(self) -> str:
        section = self.new or self.old
        return section.place if section else START

    def blocks(self, *, moves_as_changes: bool) -> list[Block]:
        old, new = self.old, self.new
        if self.moved_to is not None:
            assert old is not None
            left = _paragraph(
                f"Avsnittet ”{old.title}” har flyttats härifrån. Det står nu efter ”{self.moved_to}”.", italic=True
            )
            return [left, *(mark(b, "del") for b in _with_heading(old))] if moves_as_changes else [left]
        if old is None or new is None:
            section = old or new
            assert section is not None
            return [mark(b, "ins" if old is None else "del") for b in _with_heading(section)]
        note = _paragraph(f"Avsnittet har flyttats hit. Det stod tidigare efter ”{self.moved_from}”.", italic=True)
        if self.moved_from is not None and moves_as_changes:
            return [
                *(mark(b, "ins") for b in _with_heading(new)[:1]),
                note,
                *(mark(b, "ins") for b in _with_heading(new)[1:]),
            ]
        note = _paragraph(f"Avsnittet har flyttats hit. Det stod tidigare efter ”{self.moved_from}”.", italic=True)
        heading = compare_blocks(
            _with_heading(old)[: old.heading is not None], _with_heading(new)[: new.heading is not None]
        )
        return [*heading, *([note] if self.moved_from is not None else []), *compare_blocks(old.blocks, new.blocks)]


def _headings(section: Section) -> list[Block]:
    return [section.heading] if section.heading else []


def _with_heading(section: Section) -> list[Block]:
    return [*([section.heading] if section.heading else []), *section.blocks]


def align(old: list[Section], new: list[Section]) -> list[Pair]:
    """The sections of both versions in the new order. A removed section, and the place a moved one
    left, stand after the section they followed before; a pair whose order among the others
    changed is moved."""
    partner = _partners(old, new)  # new index -> old index
    kept = _longest_increasing([partner[j] for j in sorted(partner)])
    new_of = {i: j for j, i in partner.items()}
    behind: dict[int | None, list[Pair]] = {}  # old index of a kept section (None: the start) -> what follows it
    for i, section in enumerate(old):
        if i in kept:
            continue
        anchor = next((k for k in range(i - 1, -1, -1) if k in kept), None)
        if i in new_of:
            j = new_of[i]
            after = new[j - 1].place if j > 0 else START
            behind.setdefault(anchor, []).append(Pair(section, None, moved_to=after))
        else:
            behind.setdefault(anchor, []).append(Pair(section, None))
    pairs = list(behind.get(None, []))
    for j, section in enumerate(new):
        if j not in partner:
            pairs.append(Pair(None, section))
            continue
        i = partner[j]
        if i in kept:
            pairs += [Pair(old[i], section), *behind.get(i, [])]
        else:
            pairs.append(Pair(old[i], section, moved_from=old[i - 1].place if i > 0 else START))
    return pairs


def _partners(old: list[Section], new: list[Section]) -> dict[int, int]:
    """New index → old index of the sections that are one: the same key (heading or §) first, each
    once, then the most alike of the rest."""
    partner: dict[int, int] = {}
    taken: set[int] = set()
    for key_of in (lambda s: s.key, lambda s: _NUMBERING.sub("", s.title.lower())):
        old_keys: dict[str, list[int]] = {}
        for i, s in enumerate(old):
            if i not in taken:
                old_keys.setdefault(key_of(s), []).append(i)
        for j, s in enumerate(new):
            candidates = old_keys.get(key_of(s))
            if j not in partner and candidates:
                partner[j] = candidates.pop(0)
                taken.add(partner[j])
    scored = sorted(
        (
            (-_likeness(old[i], new[j]), j, i)
            for j in range(len(new))
            if j not in partner
            for i in range(len(old))
            if i not in taken
        ),
    )
    for score, j, i in scored:
        if -score >= SIMILAR and j not in partner and i not in taken:
            partner[j] = i
            taken.add(i)
    return partner


def _likeness(a: Section, b: Section) -> float:
    return SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()


def _longest_increasing(values: list[int]) -> set[int]:
    """The values of one longest increasing subsequence of distinct values; of several, the one that
    keeps the earliest values in place, so that a section moved down is the one shown as moved."""
    from bisect import bisect_left

    backwards = [-v for v in reversed(values)]  # patience sorting keeps the latest of equals
    tails: list[int] = []
    tail_at: list[int] = []
    before: list[int | None] = []
    for index, value in enumerate(backwards):
        place = bisect_left(tails, value)
        if place == len(tails):
            tails.append(value)
            tail_at.append(index)
        else:
            tails[place] = value
            tail_at[place] = index
        before.append(tail_at[place - 1] if place else None)
    found: set[int] = set()
    at = tail_at[-1] if tail_at else None
    while at is not None:
        found.add(-backwards[at])
        at = before[at]
    return found


def _summary(pairs: list[Pair]) -> list[Block]:
    changed = [p for p in pairs if p.state in STATES]
    if not changed:
        return [_paragraph("Texten har inte ändrats.")]
    return [_list([f"{p.place}: {STATES[p.state]}" for p in changed])]


def _parallel(pairs: list[Pair]) -> list[Block]:
    """The two columns "Tidigare lydelse | Ny lydelse": for each section whose text changed, its
    heading and the blocks that changed, the earlier wording on the left and the new on the right."""
    rows = []
    for pair in pairs:
        if pair.state not in STATES:
            continue
        old = _with_heading(pair.old) if pair.old else []
        new = _with_heading(pair.new) if pair.new else []
        both = compare_blocks(old, new)
        changed = [b for b in both if _has_changes(b) or (isinstance(b, Heading) and b in new[:1])]
        if not any(_has_changes(b) for b in changed):
            continue  # moved, its words the same: the list of changed sections says so
        rows.append((_cell([_side(b, "del") for b in changed]), _cell([_side(b, "ins") for b in changed])))
    if not rows:
        return [_paragraph("Texten har inte ändrats.")]
    return [Table(header=tuple(_text(c) for c in PARALLEL_COLUMNS), rows=tuple(rows))]


def _has_changes(block: Block) -> bool:
    return any(i.change for inlines in inlines_in((block,)) for i in inlines)


def _cell(blocks: Sequence[Block]) -> Inlines:
    """Blocks as the inlines of one table cell, one line each; a cell of one side keeps only its marks."""
    lines = [inlines for block in blocks for inlines in _lines(block) if any(i.text.strip() for i in inlines)]
    out: list[Inline] = []
    for number, line in enumerate(lines):
        if number:
            out.append(Inline(hard_break=True))
        out += line
    return merged(out) if out else (Inline(text="–"),)


def _lines(block: Block) -> list[Inlines]:
    if isinstance(block, Heading):
        return [tuple(replace(i, bold=True) for i in block.inlines)]
    if isinstance(block, Paragraph):
        return [block.inlines]
    if isinstance(block, ListBlock):
        return [line for item in block.items for inner in item for line in _lines(inner)]
    if isinstance(block, Table):
        return [
            merged([i for cell in row for i in (*cell, Inline(text=" | "))][:-1]) for row in (block.header, *block.rows)
        ]
    if isinstance(block, Quote):
        return [line for inner in block.blocks for line in _lines(inner)]
    if isinstance(block, Code):
        return [(Inline(text=block.text, code=True),)]
    return []


# ---------------------------------------------------------------- blocks and words


def compare_blocks(old: Sequence[Block], new: Sequence[Block]) -> list[Block]:
    """The new blocks with what changed from the old marked: blocks aligned by their text, a changed
    block compared inside (word by word, list item by item, row by row), a removed one kept and
    marked "del", an added one marked "ins"."""
    return _aligned(old, new, _compare_block, mark, key=_signature, comparable=_comparable)


def _signature(block: Block) -> str:
    return f"{type(block).__name__}\0{text_of((block,))}"


def _comparable(a: Block, b: Block) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, ListBlock) and isinstance(b, ListBlock):
        return a.ordered == b.ordered
    if isinstance(a, Table) and isinstance(b, Table):
        return len(a.header) == len(b.header)
    return True


def _compare_block(old: Block, new: Block) -> Block:
    if isinstance(old, Heading) and isinstance(new, Heading):
        return replace(new, inlines=compare_inlines(old.inlines, new.inlines))
    if isinstance(old, Paragraph) and isinstance(new, Paragraph):
        return replace(new, inlines=compare_inlines(old.inlines, new.inlines))
    if isinstance(old, ListBlock) and isinstance(new, ListBlock):
        return replace(new, items=tuple(_compare_items(old.items, new.items)))
    if isinstance(old, Table) and isinstance(new, Table):
        header = tuple(compare_inlines(a, b) for a, b in zip(old.header, new.header, strict=True))
        return replace(new, header=header, rows=tuple(_compare_rows(old.rows, new.rows)))
    if isinstance(old, Quote) and isinstance(new, Quote):
        return replace(new, blocks=tuple(compare_blocks(old.blocks, new.blocks)))
    if isinstance(old, Code) and isinstance(new, Code):
        return Paragraph(
            inlines=compare_inlines((Inline(text=old.text, code=True),), (Inline(text=new.text, code=True),))
        )
    return new


def _compare_items(old: Sequence[Blocks], new: Sequence[Blocks]) -> list[Blocks]:
    return [tuple(b) for b in _aligned(old, new, lambda a, b: tuple(compare_blocks(a, b)), _mark_item)]


def _mark_item(item: Blocks, change: Change) -> Blocks:
    return tuple(mark(b, change) for b in item)


def _compare_rows(old: Sequence[tuple[Inlines, ...]], new: Sequence[tuple[Inlines, ...]]) -> list[tuple[Inlines, ...]]:
    def compared(a: tuple[Inlines, ...], b: tuple[Inlines, ...]) -> tuple[Inlines, ...]:
        if len(a) != len(b):
            return tuple(mark_inlines(c, "ins") for c in b)
        return tuple(compare_inlines(x, y) for x, y in zip(a, b, strict=True))

    return _aligned(old, new, compared, lambda row, change: tuple(mark_inlines(c, change) for c in row))


def _aligned(
    old: Sequence[Any],
    new: Sequence[Any],
    compared: Callable[[Any, Any], Any],
    marked: Callable[[Any, Change], Any],
    *,
    key: Callable[[Any], str] = repr,
    comparable: Callable[[Any, Any], bool] = lambda a, b: True,
) -> list[Any]:
    """The entries of two lists aligned by their text (`key`): equal ones kept, replaced ones
    compared pair by pair while they are `comparable`, the rest marked removed or added."""
    out: list[Any] = []
    matcher = SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += new[j1:j2]
            continue
        removed, added = list(old[i1:i2]), list(new[j1:j2])
        while removed and added and comparable(removed[0], added[0]):
            out.append(compared(removed.pop(0), added.pop(0)))
        out += [marked(x, "del") for x in removed]
        out += [marked(x, "ins") for x in added]
    return out


def mark(block: Block, change: Change) -> Block:
    """The block with every inline in it marked as added or removed."""
    return _map_inlines(block, lambda inlines: mark_inlines(inlines, change))


def _side(block: Block, change: Change) -> Block:
    """One side of a compared block: the words of the other side left out, its own marks kept."""
    other = "ins" if change == "del" else "del"
    return _map_inlines(block, lambda inlines: tuple(i for i in inlines if i.change != other))


def _map_inlines(block: Block, change: Callable[[Inlines], Inlines]) -> Block:
    if isinstance(block, Heading | Paragraph):
        return replace(block, inlines=change(block.inlines))
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(tuple(_map_inlines(b, change) for b in item) for item in block.items))
    if isinstance(block, Table):
        return replace(
            block,
            header=tuple(change(c) for c in block.header),
            rows=tuple(tuple(change(c) for c in row) for row in block.rows),
        )
    if isinstance(block, Quote):
        return replace(block, blocks=tuple(_map_inlines(b, change) for b in block.blocks))
    if isinstance(block, Code):
        return Paragraph(inlines=change((Inline(text=block.text, code=True),)))
    return block


def mark_inlines(inlines: Inlines, change: Change) -> Inlines:
    return tuple(i if i.hard_break else replace(i, change=change) for i in inlines)


# Words (with the digits and letters of any script), runs of space, and each other character alone:
# "sjukvård." is two tokens, so a changed full stop leaves the word standing.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def tokens(inlines: Inlines) -> list[Inline]:
    """The inlines cut into words, spaces and punctuation, each keeping its formatting."""
    out: list[Inline] = []
    for inline in inlines:
        if inline.hard_break or not inline.text:
            out.append(inline)
        else:
            out += [replace(inline, text=t) for t in _TOKEN.findall(inline.text)]
    return out


def compare_inlines(old: Inlines, new: Inlines) -> Inlines:
    """The words of both, in order, with those only in `old` marked "del" and those only in `new`
    marked "ins"; removed words come before the words that replace them."""
    a, b = tokens(old), tokens(new)
    out: list[Inline] = []
    matcher = SequenceMatcher(None, [_token_key(t) for t in a], [_token_key(t) for t in b], autojunk=False)
    for tag, i1, i2, j1, j2 in _without_slivers(matcher.get_opcodes(), a):
        if tag == "equal":
            out += b[j1:j2]
        else:
            out += [replace(t, change="del") for t in a[i1:i2] if not t.hard_break]
            out += [t if t.hard_break else replace(t, change="ins") for t in b[j1:j2]]
    return merged(out)


def _token_key(token: Inline) -> tuple[Any, ...]:
    return (token.text, token.bold, token.italic, token.code, token.link, token.hard_break)


Opcode = tuple[str, int, int, int, int]  # as SequenceMatcher.get_opcodes gives them


def _without_slivers(opcodes: Sequence[Opcode], old: list[Inline]) -> list[Opcode]:
    """The opcodes with every equal run of nothing but spaces and punctuation between two changes
    taken into the change: "<del>a b</del><ins>x y</ins>" reads better than "a→x, b→y"."""
    out: list[Opcode] = []
    for index, op in enumerate(opcodes):
        tag, i1, i2, j1, j2 = op
        between = 0 < index < len(opcodes) - 1
        sliver = tag == "equal" and between and all(not _WORD.search(t.text) for t in old[i1:i2])
        if sliver:
            tag = "replace"
        if out and tag != "equal" and out[-1][0] != "equal":
            _, a1, _, b1, _ = out.pop()
            out.append(("replace", a1, i2, b1, j2))
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _text(value: str) -> Inlines:
    return (Inline(text=value),)


def _paragraph(value: str, *, bold: bool = False, italic: bool = False) -> Paragraph:
    return Paragraph(inlines=(Inline(text=value, bold=bold, italic=italic),))


def _heading(level: int, value: str) -> Heading:
    return Heading(level=level, inlines=_text(value))


def _list(lines: Sequence[str]) -> ListBlock:
    return ListBlock(ordered=False, items=tuple((_paragraph(line),) for line in lines))
