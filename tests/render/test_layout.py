"""Print-ready protocols, read from the printed page: the PDF that sb writes, and the Word file as
LibreOffice prints it. No heading among the last two lines of a page when its text goes on overleaf, no
att-clause across two pages, at least 15 mm to sign in above each signature line, no page with only the
signatures or only the distribution list, and the items after the signatures without a page break
unless the mall's setting asks for one (templates/protokoll/mall.toml).

Without LibreOffice the Word half is skipped; with SB_REQUIRE_LIBREOFFICE=1 (as in CI) it fails instead."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, invoke
from tests.render.layout import MM, Page, lonely_pages, read, signing_space, split_clauses, stranded_headings

pytestmark = pytest.mark.slow

PROTOCOLS = {
    "LSVO-2023-06-16": REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml",
    "att-aldras-2024-02": REPO / "documents" / "protokoll" / "att-aldras" / "2024-02.yaml",
}
SIGNED = "LSVO-2023-06-16-justerat"
ADJUSTERS = ["Martin Åsman", "Gunilla Råberg"]
SIGNING_SPACE_MM = 15
A4_HEIGHT = 297 * MM


def _repository(folder: Path, protocols: dict[str, dict], *, items_on_new_page: bool | None = None) -> Path:
    """A repository with the organisation, the protocols and, if given, a protokoll mall.toml of its own."""
    documents = folder / "documents"
    (documents / "protokoll").mkdir(parents=True)
    shutil.copy(REPO / "documents" / "organisation.yaml", documents / "organisation.yaml")
    for name, protocol in protocols.items():
        (documents / "protokoll" / f"{name}.yaml").write_text(yaml.safe_dump(protocol, allow_unicode=True), "utf-8")
    if items_on_new_page is not None:
        (folder / "templates" / "protokoll").mkdir(parents=True)
        (folder / "templates" / "protokoll" / "mall.toml").write_text(
            f"items_on_new_page = {str(items_on_new_page).lower()}\n", "utf-8"
        )
    return folder


def _shipped() -> dict[str, dict]:
    return {name: yaml.safe_load(source.read_text("utf-8")) for name, source in PROTOCOLS.items()}


def _signed() -> dict[str, dict]:
    """Seed 003 with two adjusters from the LSVO roster, so that four signatures stand together (a
    repository of its own: it has the same paragraphs)."""
    protocol = yaml.safe_load(PROTOCOLS["LSVO-2023-06-16"].read_text("utf-8"))
    return {SIGNED: {**protocol, "id": SIGNED, "adjusters": ADJUSTERS}}


def _render(root: Path, out: Path) -> dict[str, dict[str, list[Page]]]:
    """Every protocol of the repository as pages: {"pdf": …, "word": …} ("word" without LibreOffice)."""
    sources = sorted((root / "documents" / "protokoll").glob("*.yaml"))
    for source in sources:
        result = invoke(
            "render", source, "--out", out, "--to", "pdf", "--to", "docx", "--as-of", "2026-11-22", "--root", root
        )
        assert result.exit_code == 0, result.output
    word = _libreoffice(sorted(out.glob("*.docx")), out / "word")
    return {
        f.stem: {"pdf": read(f), **({"word": read(word / f.name)} if word else {})} for f in sorted(out.glob("*.pdf"))
    }


def _libreoffice(files: list[Path], out: Path) -> Path | None:
    """The Word files as LibreOffice Writer prints them to PDF, in `out`; None without LibreOffice."""
    if shutil.which("soffice") is None:
        if os.environ.get("SB_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("SB_REQUIRE_LIBREOFFICE=1 men LibreOffice (soffice) saknas", pytrace=False)
        return None
    profile = (out.parent / "lo-profil").as_uri()
    command = ["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf", "--outdir", str(out)]
    result = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, timeout=300)
    assert all((out / f"{f.stem}.pdf").is_file() for f in files), result.stderr
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[Page]]]:
    folder = tmp_path_factory.mktemp("layout")
    shipped = _render(_repository(folder / "repo", _shipped()), folder / "ut")
    return {**shipped, **_render(_repository(folder / "justerat", _signed()), folder / "ut-justerat")}


def _clauses(source: Path) -> list[str]:
    """Every att-clause of a protocol, as its YAML writes it (without a leading "att")."""
    found: list[str] = []

    def walk(point: dict) -> None:
        for d in point.get("decisions", []) + point.get("proposed_decisions", []):
            text = d if isinstance(d, str) else d["text"]
            found.append(text.removeprefix("att "))
        for sub in point.get("subitems", []):
            walk(sub)

    for item in yaml.safe_load(source.read_text("utf-8"))["items"]:
        walk(item)
    return found


NAMES = [*PROTOCOLS, SIGNED]


def _formats(printed: dict[str, dict[str, list[Page]]], name: str) -> dict[str, list[Page]]:
    if "word" not in printed[name]:
        pytest.skip("LibreOffice saknas (paketet libreoffice-writer-nogui): bara PDF:en prövas")
    return printed[name]


@pytest.mark.parametrize("name", NAMES)
def test_no_heading_is_left_at_the_foot_of_a_page(printed, name):
    for fmt, pages in _formats(printed, name).items():
        assert stranded_headings(pages) == [], fmt


@pytest.mark.parametrize("name", NAMES)
def test_no_att_clause_spans_two_pages(printed, name):
    clauses = _clauses(PROTOCOLS.get(name, PROTOCOLS["LSVO-2023-06-16"]))
    assert len(clauses) >= 2
    for fmt, pages in _formats(printed, name).items():
        assert split_clauses(pages, clauses) == [], fmt


@pytest.mark.parametrize(("name", "signers"), [("LSVO-2023-06-16", 2), (SIGNED, 2 + len(ADJUSTERS))])
def test_each_signature_line_has_room_to_sign_above_it(printed, name, signers):
    for fmt, pages in _formats(printed, name).items():
        spaces = signing_space(pages)
        assert len(spaces) == signers, (fmt, spaces)
        assert min(spaces) >= SIGNING_SPACE_MM, (fmt, spaces)


@pytest.mark.parametrize("name", NAMES)
def test_no_page_holds_only_the_signatures_or_only_the_distribution_list(printed, name):
    source = yaml.safe_load(PROTOCOLS.get(name, PROTOCOLS["LSVO-2023-06-16"]).read_text("utf-8"))
    distribution = {"Protokollet ska skickas till", *source.get("distribution", [])}
    for fmt, pages in _formats(printed, name).items():
        signer_lines = set()
        for page in pages:
            for n, line in enumerate(page.lines):
                if line.text in ROLES:  # the role, and the name above it (on one or two lines)
                    signer_lines |= {above.text for above in page.lines[max(0, n - 2) : n + 1]}
                if "Underskrifter" in line.text:
                    signer_lines.add(line.text)
        assert lonely_pages(pages, {"underskrifter": signer_lines, "sändlistan": distribution}) == [], fmt
        assert any(page.lines and page.lines[-1].text in distribution for page in pages[-1:]), fmt


ROLES = {"Ordförande", "Sekreterare", "Justerare"}


def _first_item_starts_a_page(pages: list[Page]) -> bool:
    return any(page.lines and page.lines[0].text == "§ 61" for page in pages)


@pytest.mark.parametrize("name", ["LSVO-2023-06-16", SIGNED])
def test_the_items_follow_the_signatures_on_their_page(printed, name):
    """The page of the last signature goes on with § 61, or is full to its foot (no forced break)."""
    for fmt, pages in _formats(printed, name).items():
        signed = pages[max(n for n, page in enumerate(pages) if "Sekreterare" in page.text)]
        assert "§ 61" in signed.text or signed.lines[-1].bottom > 0.8 * A4_HEIGHT, fmt


def test_the_mall_can_start_the_items_on_a_new_page(tmp_path):
    shipped = {"LSVO-2023-06-16": _shipped()["LSVO-2023-06-16"]}
    printed = _render(_repository(tmp_path / "repo", shipped, items_on_new_page=True), tmp_path / "ut")
    for fmt, pages in printed["LSVO-2023-06-16"].items():
        assert _first_item_starts_a_page(pages), fmt
        first = next(page for page in pages if page.lines and page.lines[0].text == "§ 61")
        assert "Sekreterare" not in first.text and first.lines[0].top < 40 * MM, fmt
