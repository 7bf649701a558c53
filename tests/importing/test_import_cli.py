"""`sb import` as a user runs it: where the draft goes, what it prints, and that a refused file or a
taken path loses nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
import yaml

from tests.conftest import REPO, sb
from tests.importing.conftest import load_organisation, seed_file
from tests.importing.test_roundtrip import plain_docx

pytestmark = pytest.mark.slow

AS_OF = "2026-11-22"
LSVO = "documents/protokoll/LSVO/2023-06-16.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped repository without its LSVO protocol, which the tests bring in again."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "documents", root / "documents")
    shutil.copytree(REPO / "schemas", root / "schemas")
    (root / LSVO).unlink()
    return root


def seed(prefix: str) -> Path:
    return seed_file(prefix)


def test_a_seed_protocol_becomes_a_draft_where_sb_new_would_put_it(repo: Path) -> None:
    result = sb("import", seed("003"), "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == LSVO
    assert "12 paragrafer, 35 beslut, 17 närvarande" in result.stderr
    assert "justeringsdatum saknas" in result.stderr
    draft = yaml.safe_load((repo / LSVO).read_text("utf-8"))
    assert draft["id"] == "LSVO-2023-06-16" and "adjusted" not in draft
    assert "0 fel" in result.stderr  # the validation of the draft follows


def test_the_draft_says_where_it_came_from_and_what_the_source_lacks(repo: Path) -> None:
    result = sb("import", seed("002"), "--forum", "att-aldras", "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 0, result.stderr
    text = (repo / result.stdout.strip()).read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/document.schema.json\n")
    assert f"från {seed('002').name}" in text
    assert "saknas" in text  # the missing first page is named in a comment, not filled in


def test_the_forum_is_taken_in_any_case(repo: Path) -> None:
    result = sb("import", seed("002"), "--forum", "ATT-ALDRAS", "--dry-run", "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "forum: att-aldras\n" in result.stdout


def test_an_existing_file_is_never_overwritten_without_force(repo: Path) -> None:
    target = repo / LSVO
    target.write_text("# min egen fil\n", "utf-8")
    refused = sb("import", seed("003"), "--as-of", AS_OF, cwd=repo)
    assert refused.returncode == 2 and "finns redan" in refused.stderr and "--force" in refused.stderr
    assert target.read_text("utf-8") == "# min egen fil\n"
    forced = sb("import", seed("003"), "--force", "--as-of", AS_OF, cwd=repo)
    assert forced.returncode == 0, forced.stderr
    assert yaml.safe_load(target.read_text("utf-8"))["id"] == "LSVO-2023-06-16"


def test_an_id_already_in_use_elsewhere_is_refused(repo: Path) -> None:
    shutil.copy(REPO / LSVO, repo / "documents" / "protokoll" / "LSVO" / "annan.yaml")
    result = sb("import", seed("003"), "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 2 and "id 'LSVO-2023-06-16' används redan" in result.stderr
    assert not (repo / LSVO).exists()


def test_dry_run_prints_the_yaml_and_writes_nothing(repo: Path) -> None:
    before = sorted(p for p in repo.rglob("*"))
    result = sb("import", "--dry-run", seed("003"), "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["id"] == "LSVO-2023-06-16"
    assert sorted(p for p in repo.rglob("*")) == before


def test_several_files_go_on_past_a_refused_one(repo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "gammal.rtf"
    bad.write_text("{\\rtf1 hej}", "utf-8")
    result = sb("import", bad, seed("003"), "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 2
    assert "gammal.rtf" in result.stderr and "Traceback" not in result.stderr
    assert (repo / LSVO).is_file()


def test_an_encrypted_pdf_is_refused_and_nothing_is_written(repo: Path, tmp_path: Path) -> None:
    path = tmp_path / "hemligt.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path, encryption=pikepdf.Encryption(owner="a", user="b"))
    before = sorted(p for p in repo.rglob("*"))
    result = sb("import", path, "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 2 and "krypterad" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p for p in repo.rglob("*")) == before


def test_an_unknown_type_or_forum_is_a_usage_error(repo: Path) -> None:
    wrong_type = sb("import", seed("003"), "--type", "brev", cwd=repo)
    assert wrong_type.returncode == 2 and "typerna är" in wrong_type.stderr
    wrong_forum = sb("import", seed("003"), "--forum", "LSV", cwd=repo)
    assert wrong_forum.returncode == 2 and "okänt forum 'LSV'" in wrong_forum.stderr


def test_out_names_the_file_to_write(repo: Path) -> None:
    result = sb("import", seed("001"), "--out", "documents/styrdokument/avtal.md", "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 0, result.stderr
    text = (repo / "documents" / "styrdokument" / "avtal.md").read_text("utf-8")
    assert text.startswith("---\n") and "valid_until: 2026-12-31" in text


def test_an_old_word_protocol_is_imported_validated_adjusted_and_rendered(repo: Path, tmp_path: Path) -> None:
    # The README's path from a secretary's own Word file to a justerat, rendered protocol.
    organisation = load_organisation(repo)
    old = tmp_path / "Protokoll LSVO 16 juni.docx"
    old.write_bytes(plain_docx(yaml.safe_load((REPO / LSVO).read_text("utf-8")), organisation))
    imported = sb("import", old, "--as-of", AS_OF, cwd=repo)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == LSVO
    validated = sb("validate", LSVO, "--as-of", AS_OF, cwd=repo)
    assert validated.returncode == 0, validated.stdout
    assert sb("adjust", LSVO, "--date", "2023-06-20", "--as-of", AS_OF, cwd=repo).returncode == 0
    rendered = sb("render", LSVO, "--to", "pdf", "--out", "ut", cwd=repo)
    assert rendered.returncode == 0, rendered.stderr
    assert (repo / "ut" / "LSVO-2023-06-16.pdf").stat().st_size > 10_000
