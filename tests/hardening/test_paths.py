"""`sb new` and `sb adjust` build paths only from validated ids and ISO dates, and never write outside
the documents folder, whatever a document, organisation.yaml or a symbolic link says."""

import shutil

import pytest

from tests.conftest import REPO, sb


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(REPO / "documents", tmp_path / "repo" / "documents")
    return tmp_path / "repo"


def written_outside(repo):
    return sorted(
        p for p in repo.parent.rglob("*") if p.is_file() and "documents" not in p.relative_to(repo.parent).parts
    )


@pytest.mark.slow
def test_a_forum_id_that_is_a_path(repo):
    organisation = repo / "documents" / "organisation.yaml"
    organisation.write_text(organisation.read_text("utf-8").replace("  - id: PSVO", "  - id: ../../.github/workflows"))
    result = sb("new", "kallelse", "--forum", "../../.github/workflows", "--date", "2026-12-04", cwd=repo)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert "organisation.yaml" in result.stdout + result.stderr
    assert written_outside(repo) == [] and not (repo / ".github").exists()


def test_a_kallelse_whose_date_is_a_path(repo):
    kallelse = repo / "documents" / "kallelse" / "k.yaml"
    kallelse.parent.mkdir()
    kallelse.write_text(
        "id: k\ntype: kallelse\ntitle: K\nforum: LSVO\nmeeting: {date: ../../../x}\nitems: []\n", "utf-8"
    )
    result = sb("new", "protokoll", "--from", kallelse, cwd=repo)
    assert result.returncode == 1 and "k.yaml har fel" in result.stderr
    assert written_outside(repo) == [] and not (repo.parent / "x.yaml").exists()


@pytest.mark.slow
def test_a_symbolic_link_out_of_the_documents_folder(repo, tmp_path):
    outside = tmp_path / "utanför"
    outside.mkdir()
    (repo / "documents" / "kallelse").symlink_to(outside, target_is_directory=True)
    result = sb("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", cwd=repo)
    assert result.returncode == 2 and "hamnar utanför" in result.stderr
    assert list(outside.iterdir()) == []


@pytest.mark.slow
def test_an_id_with_a_path_in_it(repo):
    for ident in ("../x", "a/b", ".."):
        result = sb("new", "rutin", "--id", ident, "--title", "T", "--owner", "LSVO", cwd=repo)
        assert result.returncode == 2
    assert written_outside(repo) == []
