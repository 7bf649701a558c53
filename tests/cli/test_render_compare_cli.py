"""`sb render --compare` (issue 29): a styrdokument in utkast or remiss is rendered together with its
comparison with the last decided version, named as `sb compare` names it; a draft with no decided
version gets a note, and other documents are refused, against real git repositories."""

from pathlib import Path

import pytest

from tests.conftest import CASES, invoke, sb
from tests.io import conftest as git_repository
from tests.io.conftest import git, rutin

AS_OF = "2026-06-01"
repo = git_repository.repo  # the fixture: a git repository with the shared organisation.yaml


def save(root: Path, content: str, commit: bool) -> Path:
    path = root / "documents" / "rutin.yaml"
    path.write_text(content, "utf-8")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "rutin")
    return path


def render(root: Path, path: Path, out: Path, *extra: str):
    return invoke("render", path, "--root", root, "--out", out, "--as-of", AS_OF, "--to", "html", *extra)


@pytest.mark.git
@pytest.mark.parametrize("status", ["utkast", "remiss"])
def test_a_draft_is_rendered_with_its_comparison_with_the_decided_version(repo, tmp_path, status):
    save(repo, rutin("1.0", "beslutad", "varje månad"), commit=True)
    path = save(repo, rutin("1.1", status, "varannan månad"), commit=False)
    out = tmp_path / "ut"
    result = render(repo, path, out, "--compare")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out / "rutin-a.html"), str(out / "rutin-a-1.0-1.1.html")]
    compared = (out / "rutin-a-1.0-1.1.html").read_text("utf-8")
    assert '<ins><span class="visually-hidden">Tillagt: </span>varannan</ins>' in compared
    assert '<del><span class="visually-hidden">Borttaget: </span>varje</del>' in compared


@pytest.mark.git
def test_a_draft_without_a_decided_version_is_rendered_with_a_note(repo, tmp_path):
    path = save(repo, rutin("0.1", "utkast", "varje månad"), commit=True)
    out = tmp_path / "ut"
    result = render(repo, path, out, "--compare")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out / "rutin-a.html")]
    assert "rutin.yaml jämförs inte: rutin-a har ingen tidigare beslutad version i git" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["rutin-a.html"]


@pytest.mark.git
def test_a_decided_document_or_another_type_with_compare_is_a_usage_error(repo, tmp_path):
    path = save(repo, rutin("1.0", "beslutad", "varje månad"), commit=True)
    out = tmp_path / "ut"
    result = sb("render", path, "--root", repo, "--out", out, "--as-of", AS_OF, "--compare", cwd=repo)
    assert result.returncode == 2, result.stderr
    assert "--compare gäller styrdokument i utkast eller remiss, inte status beslutad" in result.stderr
    assert not out.exists()
    protocol = CASES / "publish" / "documents" / "lsvo-1.yaml"
    (repo / "documents" / "lsvo-1.yaml").write_text(protocol.read_text("utf-8"), "utf-8")
    result = sb("render", "documents/lsvo-1.yaml", "--root", repo, "--out", out, "--compare", cwd=repo)
    assert result.returncode == 2, result.stderr
    assert "--compare gäller bara styrdokument, inte protokoll" in result.stderr


def test_the_help_shows_compare_with_an_example():
    result = invoke("render", "--help")
    assert "--compare" in result.stdout and "--to pdf --compare" in result.stdout


@pytest.mark.git
def test_with_all_the_drafts_among_the_documents_are_compared(repo, tmp_path):
    save(repo, rutin("1.0", "beslutad", "varje månad"), commit=True)
    save(repo, rutin("1.1", "remiss", "varannan månad"), commit=False)
    (repo / "documents" / "annan.yaml").write_text(
        rutin("2.0", "beslutad", "varje vecka").replace("id: rutin-a", "id: rutin-b"), "utf-8"
    )
    out = tmp_path / "ut"
    result = invoke("render", "--all", "--root", repo, "--out", out, "--as-of", AS_OF, "--to", "md", "--compare")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["rutin-a-1.0-1.1.md", "rutin-a.md", "rutin-b.md"]
    assert "{--varje--}{++varannan++}" in (out / "rutin-a-1.0-1.1.md").read_text("utf-8")
