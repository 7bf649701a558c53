"""One outline, four writers: a protocol rendered to Word, PDF, HTML and Markdown shows the same parts in
the same order (heading, index, time and place, attendance, secretary, paragraphs, signatures, each
item, distribution), and so do its extract and its public version. Every other document shows the same
headings, at the same levels, in every format."""

import re

import pytest
from docx import Document as WordDocument
from lxml import html
from pypdf import PdfReader

from tests.conftest import CASES, REPO, build_repo, invoke

pytestmark = pytest.mark.slow

PROTOCOLS = [
    REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml",
    REPO / "documents" / "protokoll" / "att-aldras" / "2024-02.yaml",
]
# The parts, as each format writes their labels, and the items by their numbers.
PARTS = {
    "förteckning": r"Ärendeförteckning",
    "tid och plats": r"Tid och plats",
    "närvarande": r"Närvarande ledamöter",
    "frånvarande": r"Frånvarande",
    "övriga": r"Övriga deltagare och föredragande",
    "sekreterare": r"Sekreterare:",
    "paragrafer": r"Paragrafe?r? §\d+",
    "underskrifter": r"Underskrifter",
    "intygar": r"Rätt utdraget intygar",
    "sändlista": r"Protokollet ska skickas till",
    "offentlig": r"Offentlig version",
}
ITEM = re.compile(r"§ (\d+)|(?<![\d.])(\d+)\)\.")


def text_of(path) -> str:
    if path.suffix == ".md":
        return path.read_text("utf-8")
    if path.suffix == ".html":
        return html.fromstring(path.read_bytes()).body.text_content()
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    body = WordDocument(path).element.body
    lines = []
    for child in body.iterchildren():
        lines += (
            ["".join(t.text or "" for t in child.iter("{*}t"))]
            if child.tag.endswith("}p")
            else ["".join(t.text or "" for t in p.iter("{*}t")) for p in child.iter("{*}p")]
        )
    return "\n".join(lines)


def outline(text: str) -> list[str]:
    """The parts and items in the order the text shows them (a label may wrap across lines)."""
    patterns = {name: pattern.replace(" ", r"\s+") for name, pattern in PARTS.items()}
    found = [(m.start(), name) for name, pattern in patterns.items() for m in re.finditer(pattern, text)]
    found += [(m.start(), f"punkt {m.group(1) or m.group(2)}") for m in ITEM.finditer(text)]
    return [name for _, name in sorted(found)]


@pytest.mark.parametrize("source", PROTOCOLS, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("variant", [(), ("--public",), ("--extract", "first")], ids=["hel", "offentlig", "utdrag"])
def test_every_format_writes_the_same_outline(tmp_path, source, variant):
    if variant and variant[1:] == ("first",):
        import yaml

        variant = ("--extract", str(yaml.safe_load(source.read_text("utf-8"))["items"][0]["number"]))
    formats = [a for f in ("docx", "pdf", "html", "md") for a in ("--to", f)]
    result = invoke("render", source, "--out", tmp_path, *formats, "--as-of", "2026-11-22", "--root", REPO, *variant)
    assert result.exit_code == 0, result.output
    outlines = {path.suffix: outline(text_of(path)) for path in tmp_path.iterdir()}
    assert len(outlines) == 4
    assert outlines[".pdf"] == outlines[".docx"] == outlines[".html"] == outlines[".md"], outlines


# (repository, document): the shipped corpus, and test cases for what it lacks.
DOCUMENTS = [
    (REPO, "styrdokument/ledningssystem-2021.md"),
    (REPO, "styrdokument/overenskommelse-malgrupper-2023.md"),
    (REPO, "styrdokument/arshjul.yaml"),
    (REPO, "tjansteskrivelser/samverkan-for-utveckling.md"),
    (CASES / "valid", "arshjul.yaml"),  # events month by month
    (CASES / "valid", "rutin.md"),
]


def headings_of(path) -> list[tuple[int, str]]:
    """(level, text) of every heading below the title; the PDF's from its bookmarks, which are its
    tagged headings. Levels count from the format's own top heading level."""
    if path.suffix == ".md":
        found = [(len(m[1]), m[2]) for m in re.finditer(r"^(#+) (.+)$", path.read_text("utf-8"), re.M)][1:]
    elif path.suffix == ".html":
        tree = html.fromstring(path.read_bytes())
        found = [(int(h.tag[1]), h.text_content()) for h in tree.iter("h2", "h3", "h4", "h5", "h6")]
    elif path.suffix == ".docx":
        styles = [(p.style.name, p.text) for p in WordDocument(path).paragraphs]
        found = [(int(name.split()[-1]), text) for name, text in styles if name.startswith("Heading")]
    else:
        found = []

        def walk(entries, level):
            for entry in entries:
                walk(entry, level + 1) if isinstance(entry, list) else found.append((level, entry.title))

        walk(PdfReader(path).outline, 1)
    top = min((level for level, _ in found), default=0)
    return [(level - top, " ".join(text.split())) for level, text in found]


@pytest.mark.parametrize(("repository", "document"), DOCUMENTS, ids=[f"{r.name}-{d}" for r, d in DOCUMENTS])
def test_every_format_writes_the_same_headings(tmp_path, repository, document):
    root = REPO if repository == REPO else build_repo(repository, tmp_path / "repo")
    source = root / "documents" / document
    formats = [a for f in ("docx", "pdf", "html", "md") for a in ("--to", f)]
    out = tmp_path / "ut"
    result = invoke("render", source, "--out", out, *formats, "--as-of", "2026-11-22", "--root", root)
    assert result.exit_code == 0, result.output
    headings = {path.suffix: headings_of(path) for path in out.iterdir()}
    assert len(headings) == 4 and headings[".md"], headings
    assert headings[".pdf"] == headings[".docx"] == headings[".html"] == headings[".md"], headings
