"""`sb render` as a secretary runs it: Word and PDF files whose text, metadata and claims are checked."""

import re
import zipfile

import pikepdf
import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from sb_cli import __version__
from tests.conftest import REPO, invoke, sb

PROTOCOL = REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
EPOCH = {"SOURCE_DATE_EPOCH": "1686873600"}


def pdf_text(path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    text = re.sub(r"-\n", "", text)  # words hyphenated at line ends
    return re.sub(r"\s+", " ", text)


def docx_text(path) -> str:
    document = WordDocument(path)
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return re.sub(r"\s+", " ", "\n".join(parts))


def assert_pdf_conforms(path) -> None:
    """page-validation, the reference checker: 0 failed rules for PDF/UA-1 and for PDF/A-2a."""
    from page import ValidationProfile, validate_pdf

    for profile in (ValidationProfile.PDF_UA_1, ValidationProfile.PDF_A_2A):
        report = validate_pdf(str(path), profile=profile)
        assert report.rules.failed == 0, (path.name, profile.value, [(f.rule_id, f.message) for f in report.failures])


def assert_word_opens_cleanly(*paths) -> None:
    """openxml-audit (the Open XML SDK's checks): 0 errors in every Word file."""
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    results = [validator.validate(path) for path in paths]
    assert paths and [(r.file_path, r.errors) for r in results if r.error_count] == []


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("ut")
    result = invoke("render", "protocol", PROTOCOL, "--out", out, "--as-of", "2026-11-22", "--root", REPO)
    assert result.exit_code == 0, result.output
    return out


def facts():
    import yaml

    data = yaml.safe_load(PROTOCOL.read_text("utf-8"))
    decisions = [d if isinstance(d, str) else d["text"] for i in data["items"] for d in i.get("decisions", [])]
    people = [p["name"] for group in ("present", "absent", "others") for p in data["attendance"][group]]
    return decisions, people


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_decision_attendee_and_date_is_in_the_file(rendered, fmt):
    path = rendered / f"LSVO-2023-06-16.{fmt}"
    text = pdf_text(path) if fmt == "pdf" else docx_text(path)
    flat = text.replace(" ", "")
    decisions, people = facts()
    for decision in decisions:
        assert squash(decision).replace(" ", "") in flat, decision
    for name in people:
        assert name.replace(" ", "") in flat, name
    for phrase in (
        "Fredagen den 16 juni 2023",
        "kl. 08.15–12.00",
        "LSVO beslutar",
        "Paragrafer §61–§72",
        "Protokollet ska skickas till",
        "Ärendeförteckning",
        "2023-06-16",
    ):
        assert phrase.replace(" ", "") in flat, phrase


def assert_accessible_archivable_swedish(path, title: str, author: str) -> None:
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "sv-SE"
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert meta.get("pdfaid:part") == "2" and meta.get("pdfaid:conformance") == "A"
        assert str(pdf.docinfo["/Title"]) == title
        assert str(pdf.docinfo["/Author"]) == author
        fonts = [f for page in pdf.pages for f in (page.Resources.get("/Font") or {}).values()]
        assert fonts
        for font in fonts:
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), "font not embedded"


@pytest.mark.slow
def test_pdf_is_tagged_accessible_archivable_swedish_and_titled(rendered):
    assert_accessible_archivable_swedish(
        rendered / "LSVO-2023-06-16.pdf", "Sammanträdesprotokoll LSVO 2023-06-16", "Ledningssamverkan vård och omsorg"
    )


@pytest.mark.slow
def test_pdf_pages_read_1_of_n(rendered):
    reader = PdfReader(rendered / "LSVO-2023-06-16.pdf")
    total = len(reader.pages)
    assert f"1 ({total})" in squash(reader.pages[0].extract_text())
    first = squash(reader.pages[0].extract_text())
    assert "commit" in first or "ej incheckad" in first


@pytest.mark.slow
def test_docx_is_real_word_structure_with_properties(rendered):
    path = rendered / "LSVO-2023-06-16.docx"
    document = WordDocument(path)
    styles = {p.style.name for p in document.paragraphs}
    assert "Att-sats" in styles
    props = document.core_properties
    assert props.title == "Sammanträdesprotokoll LSVO 2023-06-16"
    assert props.author == "Ledningssamverkan vård och omsorg"
    with zipfile.ZipFile(path) as archive:
        assert "docProps/custom.xml" in archive.namelist()


@pytest.mark.slow
def test_styrdokument_markdown_becomes_word_headings_lists_and_tables(tmp_path):
    source = REPO / "documents" / "styrdokument" / "ledningssystem-2021.md"
    result = invoke("render", source, "--to", "docx", "--out", tmp_path, "--root", REPO, "--as-of", "2026-11-22")
    assert result.exit_code == 0, result.output
    document = WordDocument(tmp_path / "ledningssystem-2021.docx")
    styles = [p.style.name for p in document.paragraphs]
    assert any(s.startswith("Heading") for s in styles)
    assert any(s.startswith("List") for s in styles)
    assert len(document.tables) >= 2  # the dokumenthuvud and the member tables
    text = docx_text(tmp_path / "ledningssystem-2021.docx")
    assert "Revideras senast" in text and "2022-12-31" in text


def test_extract_renders_one_paragraph_with_certification(tmp_path):
    result = invoke(
        "render",
        "protocol",
        PROTOCOL,
        "--extract",
        "64",
        "--to",
        "pdf",
        "--to",
        "docx",
        "--out",
        tmp_path,
        "--root",
        REPO,
    )
    assert result.exit_code == 0, result.output
    for fmt, reader in (("pdf", pdf_text), ("docx", docx_text)):
        text = reader(tmp_path / f"LSVO-2023-06-16-utdrag-64.{fmt}")
        assert "Rätt utdraget intygar" in text
        assert "godkänna framtagen samverkansöverenskommelse" in text
        assert "E-hälsosamordnare" not in text  # § 65 is not part of the extract


@pytest.mark.slow
def test_same_input_and_source_date_epoch_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    for run in ("a", "b"):
        invoke("render", PROTOCOL, "--out", tmp_path / run, "--root", REPO, "--as-of", "2026-11-22")
    for fmt in ("pdf", "docx"):
        assert (tmp_path / "a" / f"LSVO-2023-06-16.{fmt}").read_bytes() == (
            tmp_path / "b" / f"LSVO-2023-06-16.{fmt}"
        ).read_bytes(), fmt


def header(path) -> dict:
    import yaml

    text = path.read_text("utf-8")
    return yaml.safe_load(text.split("\n---\n")[0].removeprefix("---\n") if path.suffix == ".md" else text)


def document_facts(path) -> list[str]:
    """What a reader must find in the rendered file: the title (a protocol's is its heading), every
    header date, every decision and attendee of a protocol, every event of an årshjul."""
    import datetime as dt

    data = header(path)
    facts = ["Sammanträdesprotokoll"] if data["type"] == "protokoll" else [data["title"]]
    dates = [data.get(key) for key in ("valid_from", "valid_until", "review_by")]
    dates.append((data.get("meeting") or {}).get("date"))
    facts += [d.isoformat() for d in dates if isinstance(d, dt.date)]
    for item in data.get("items", []):
        facts += [d if isinstance(d, str) else d["text"] for d in item.get("decisions", [])]
    for group in ("present", "absent", "others"):
        facts += [p["name"] for p in (data.get("attendance") or {}).get(group, [])]
    return facts + [event["title"] for event in data.get("events", [])]


@pytest.mark.slow
def test_render_all_renders_every_document_with_its_facts(tmp_path):
    result = sb("render", "--all", "--out", str(tmp_path), "--to", "pdf", "--to", "docx", "--as-of", "2026-11-22")
    assert result.returncode == 0, result.stderr
    sources = {
        "LSVO-2023-06-16": "protokoll/LSVO/2023-06-16.yaml",
        "att-aldras-2024-02": "protokoll/att-aldras/2024-02.yaml",
        "ledningssystem-2021": "styrdokument/ledningssystem-2021.md",
        "overenskommelse-malgrupper-2023": "styrdokument/overenskommelse-malgrupper-2023.md",
        "tjansteskrivelse-samverkan": "tjansteskrivelser/samverkan-for-utveckling.md",
        "arshjul-samverkan-blekinge": "styrdokument/arshjul.yaml",
    }
    assert {p.name for p in tmp_path.iterdir()} == {f"{i}.{f}" for i in sources for f in ("pdf", "docx")}
    assert_word_opens_cleanly(*sorted(tmp_path.glob("*.docx")))
    for ident, source in sources.items():
        assert_pdf_conforms(tmp_path / f"{ident}.pdf")
        facts = document_facts(REPO / "documents" / source)
        assert_accessible_archivable_swedish(
            tmp_path / f"{ident}.pdf",
            header(REPO / "documents" / source)["title"],
            WordDocument(tmp_path / f"{ident}.docx").core_properties.author,
        )
        for fmt, reader in (("pdf", pdf_text), ("docx", docx_text)):
            flat = reader(tmp_path / f"{ident}.{fmt}").replace(" ", "")
            missing = [fact for fact in facts if squash(fact).replace(" ", "") not in flat]
            assert not missing, (ident, fmt, missing)


@pytest.mark.slow
def test_arshjul_is_a_picture_in_both_formats(tmp_path):
    source = REPO / "documents" / "styrdokument" / "arshjul.yaml"
    invoke("render", source, "--out", tmp_path, "--root", REPO, "--as-of", "2026-11-22")
    with zipfile.ZipFile(tmp_path / "arshjul-samverkan-blekinge.docx") as archive:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in archive.namelist())
    assert "Januari" in pdf_text(tmp_path / "arshjul-samverkan-blekinge.pdf")


@pytest.mark.slow
def test_type_must_match_and_errors_are_clear(tmp_path):
    result = sb("render", "agreement", str(PROTOCOL), "--out", str(tmp_path))
    assert result.returncode == 2 and "inte overenskommelse" in result.stderr
    result = sb("render", "protocol", str(PROTOCOL), "--extract", "99", "--out", str(tmp_path))
    assert result.returncode == 2 and "ingen punkt 99" in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_repository_templates_override_and_a_broken_mall_loses_nothing(tmp_path):
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(REPO / "documents", repo / "documents")
    (repo / "templates" / "protokoll").mkdir(parents=True)
    (repo / "templates" / "protokoll" / "mall.typ").write_text('#read("/etc/passwd")\n')
    out = tmp_path / "ut"
    out.mkdir()
    (out / "LSVO-2023-06-16.pdf").write_bytes(b"old")
    result = sb(
        "render", "protocol", "documents/protokoll/LSVO/2023-06-16.yaml", "--to", "pdf", "--out", str(out), cwd=repo
    )
    assert result.returncode == 2
    assert "mallen" in result.stderr and "Traceback" not in result.stderr
    assert (out / "LSVO-2023-06-16.pdf").read_bytes() == b"old"
    assert [p.name for p in out.iterdir()] == ["LSVO-2023-06-16.pdf"]


def _copy(tmp_path):
    import shutil

    shutil.copytree(REPO / "documents", tmp_path / "repo" / "documents")
    return tmp_path / "repo"


@pytest.mark.slow
def test_render_checks_first_and_force_renders_anyway(tmp_path):
    repo = _copy(tmp_path)
    protocol = repo / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    protocol.write_text(protocol.read_text("utf-8").replace("    kind: B\n", "    kind: I\n", 1), "utf-8")
    result = sb("render", protocol, "--to", "md", "--out", "ut", cwd=repo)
    assert result.returncode == 1
    assert "SB025 fel: beslut i ett ärende av slag I, inte B" in result.stdout
    assert "renderas inte: rätta felen först, eller ange --force" in result.stderr
    assert not (repo / "ut").exists()
    forced = sb("render", protocol, "--to", "md", "--out", "ut", "--force", cwd=repo)
    assert forced.returncode == 0 and (repo / "ut" / "LSVO-2023-06-16.md").exists()


@pytest.mark.slow
def test_a_personnummer_never_reaches_a_public_version(tmp_path):
    repo = _copy(tmp_path)
    protocol = repo / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    text = protocol.read_text("utf-8")
    protocol.write_text(text.replace("via Teams", "via Teams, 850709-9805", 1), "utf-8")
    for extra in ((), ("--force",)):
        result = sb("render", protocol, "--public", "--to", "md", "--out", "ut", *extra, cwd=repo)
        assert result.returncode == 1 and "SB030" in result.stdout
        assert "en offentlig version med personnummer renderas aldrig, inte heller med --force" in result.stderr
    assert not (repo / "ut").exists()
    internal = sb("render", protocol, "--to", "md", "--out", "ut", "--force", cwd=repo)
    assert internal.returncode == 0


@pytest.mark.slow
@pytest.mark.git
def test_the_footer_says_when_the_source_changed_after_its_commit(tmp_path):
    import subprocess

    repo = _copy(tmp_path)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    commit = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=repo, capture_output=True, text=True)
    short = commit.stdout.strip()
    protocol = repo / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    assert sb("render", protocol, "--to", "md", "--out", "ut", cwd=repo).returncode == 0
    footer = (repo / "ut" / "LSVO-2023-06-16.md").read_text("utf-8").rstrip().splitlines()[-1]
    assert footer == f"LSVO-2023-06-16 · commit {short} · sb {__version__}"
    protocol.write_text(protocol.read_text("utf-8") + "# en kommentar\n", "utf-8")
    assert sb("render", protocol, "--to", "md", "--out", "ut", cwd=repo).returncode == 0
    footer = (repo / "ut" / "LSVO-2023-06-16.md").read_text("utf-8").rstrip().splitlines()[-1]
    assert footer == f"LSVO-2023-06-16 · ändrad efter commit {short} · sb {__version__}"


@pytest.mark.slow
def test_the_extract_and_the_public_version_pass_the_reference_checkers(tmp_path):
    text = PROTOCOL.read_text("utf-8").replace(
        "  - number: 65\n", "  - number: 65\n    public: false\n    public_note: Sekretess enligt 26 kap. 1 § OSL\n", 1
    )
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "organisation.yaml").write_text((REPO / "documents" / "organisation.yaml").read_text())
    (tmp_path / "documents" / "p.yaml").write_text(text)
    source = tmp_path / "documents" / "p.yaml"
    out = tmp_path / "ut"
    common = ("--out", out, "--to", "pdf", "--to", "docx", "--as-of", "2026-11-22", "--root", tmp_path)
    for extra in (("--extract", "64"), ("--public",)):
        result = invoke("render", "protocol", source, *common, *extra)
        assert result.exit_code == 0, result.output
    names = {"LSVO-2023-06-16-utdrag-64", "LSVO-2023-06-16-offentlig"}
    assert {p.stem for p in out.iterdir()} == names
    assert_word_opens_cleanly(*sorted(out.glob("*.docx")))
    for name in names:
        assert_pdf_conforms(out / f"{name}.pdf")
    public = pdf_text(out / "LSVO-2023-06-16-offentlig.pdf")
    assert "Offentlig version" in public and "Sekretess enligt 26 kap. 1 § OSL" in public
    assert (
        "E-hälsosamordnare" not in public and "Åsa Gyberg-Karlsson, e-hälsostrateg, Region Blekinge §65" not in public
    )
    assert "Offentlig version" in docx_text(out / "LSVO-2023-06-16-offentlig.docx")


@pytest.mark.slow
def test_every_pdf_is_dated_by_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # not the meeting date
    other = REPO / "documents" / "protokoll" / "att-aldras" / "2024-02.yaml"
    result = invoke(
        "render", PROTOCOL, other, "--out", tmp_path, "--to", "pdf", "--as-of", "2026-11-22", "--root", REPO
    )
    assert result.exit_code == 0, result.output
    paths = sorted(tmp_path.glob("*.pdf"))
    assert len(paths) == 2
    for path in paths:
        with pikepdf.open(path) as pdf:
            dates = (str(pdf.docinfo["/CreationDate"]), str(pdf.docinfo["/ModDate"]))
        assert dates == ("D:20231114221320Z", "D:20231114221320Z")


def test_the_arshjul_page_shows_the_wheel_with_a_caption_and_the_list(tmp_path):
    wheel = REPO / "documents" / "styrdokument" / "arshjul.yaml"
    result = invoke("render", wheel, "--out", tmp_path, "--to", "html", "--as-of", "2026-11-22", "--root", REPO)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "arshjul-samverkan-blekinge.html").read_text("utf-8")
    figure = page[page.index('<figure class="arshjul">') : page.index("</figure>")]
    assert '<svg aria-hidden="true"' in figure and "<figcaption>Årshjul " in figure
    assert "<script" not in page and page.count("<svg") == 1
    assert '<meta name="viewport"' in page


def test_the_public_version_of_the_case_with_a_withheld_item(tmp_path):
    from tests.conftest import CASES, build_repo

    root = build_repo(CASES / "valid", tmp_path / "repo")
    source = root / "documents" / "lsvo-2.yaml"
    result = invoke(
        "render", source, "--public", "--to", "md", "--out", tmp_path / "ut", "--root", root, "--as-of", "2026-03-01"
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "ut" / "LSVO-2026-02-13-offentlig.md").read_text("utf-8")
    assert "**Offentlig version**" in text and "## § 6\n\n*Sekretess enligt 26 kap. 1 § OSL*" in text
    assert "enskild" not in text and "Ulla Utredare §5\n" in text
