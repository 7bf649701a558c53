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


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def _people_lines(root, ident) -> dict[str, int]:
    """Every person's line as the view model writes it (attendance, secretary, adjusters, signatures),
    with the least number of times a protocol shows it."""
    import datetime as dt

    from sb_cli.corpus import load_corpus
    from sb_cli.io.repo import load_settings
    from sb_cli.render.view import build

    corpus = load_corpus(load_settings(root, root)).corpus
    view = build(corpus.by_id[ident], corpus.organisation, as_of=dt.date(2026, 11, 22), commit=None, version="0")
    m = view.meeting
    assert m is not None
    lines = {p.line: 1 for p in (*m.present, *m.absent, *m.others)}
    for signer in m.signatures:  # a signature, and the row "Sekreterare:" or "Justerare:" for those two
        lines[signer.line] = lines.get(signer.line, 0) + (1 if signer.role == "Ordförande" else 2)
    return lines


def _signed_repository(tmp_path):
    """Seed 003 with two adjusters from the LSVO roster, and its chair without a role in the attendance."""
    import shutil

    import yaml

    protocol = yaml.safe_load(PROTOCOLS[0].read_text("utf-8"))
    protocol["adjusters"] = ["Martin Åsman", "Gunilla Råberg"]
    protocol["attendance"]["present"][0].pop("role")
    folder = tmp_path / "repo" / "documents" / "protokoll"
    folder.mkdir(parents=True)
    shutil.copy(REPO / "documents" / "organisation.yaml", folder.parent / "organisation.yaml")
    (folder / "justerat.yaml").write_text(yaml.safe_dump(protocol, allow_unicode=True), "utf-8")
    return tmp_path / "repo", folder / "justerat.yaml"


def test_every_format_writes_the_same_line_for_each_person(tmp_path):
    """Name, title, organisation and role of every person (attendance, chair, secretary, adjusters), the
    same in Word, PDF, HTML and Markdown, as often as the protocol names them."""
    root, source = _signed_repository(tmp_path)
    formats = [a for f in ("docx", "pdf", "html", "md") for a in ("--to", f)]
    out = tmp_path / "ut"
    result = invoke("render", source, "--out", out, *formats, "--as-of", "2026-11-22", "--root", root)
    assert result.exit_code == 0, result.output
    texts = {path.suffix: _squeezed(re.sub(r"\\(.)", r"\1", text_of(path))) for path in out.iterdir()}
    assert len(texts) == 4
    lines = _people_lines(root, "LSVO-2023-06-16")
    assert "Bodil Sundlöf, Enheten för kvalitet och utveckling, Region Blekinge (ordförande)" in lines
    assert any(line.startswith("Martin Åsman, förvaltningschef") for line in lines)  # an adjuster with title
    for line, least in lines.items():
        counts = {suffix: text.count(_squeezed(line)) for suffix, text in texts.items()}
        assert min(counts.values()) >= least and len(set(counts.values())) == 1, (line, counts)


def test_every_format_dates_a_kallelse_under_its_heading(tmp_path):
    root = build_repo(CASES / "valid", tmp_path / "repo")
    formats = [a for f in ("docx", "pdf", "html", "md") for a in ("--to", f)]
    out = tmp_path / "ut"
    source = root / "documents" / "kallelse.yaml"
    result = invoke("render", source, "--out", out, *formats, "--as-of", "2026-11-22", "--root", root)
    assert result.exit_code == 0, result.output
    for path in out.iterdir():
        text = text_of(path)
        assert "2026-03-13" in text[: text.index("Tid och plats")], path.suffix
