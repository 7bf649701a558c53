"""`stamps` says for many files at once what `stamp` says for each: the last commit, and whether the
file changed since."""

import subprocess

import pytest

from sb_cli.io import git as gitio

GIT = ["git", "-c", "user.name=S", "-c", "user.email=s@example.org", "-c", "commit.gpgsign=false"]


@pytest.mark.git
def test_stamps_agree_with_stamp_file_by_file(tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    subprocess.run([*GIT, "init", "-q"], cwd=tmp_path, check=True)
    for name in ("a.yaml", "b.yaml"):
        (documents / name).write_text(f"id: {name}\n")
    subprocess.run([*GIT, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "commit", "-qm", "ett"], cwd=tmp_path, check=True)
    (documents / "b.yaml").write_text("id: b2\n")
    subprocess.run([*GIT, "commit", "-qam", "två"], cwd=tmp_path, check=True)
    (documents / "a.yaml").write_text("id: ändrad\n")  # changed since its commit
    (documents / "c.yaml").write_text("id: c\n")  # never committed
    repository = gitio.open_repository(tmp_path)
    files = {f"documents/{n}": (documents / n).read_bytes() for n in ("a.yaml", "b.yaml", "c.yaml")}
    together = gitio.stamps(repository, "documents", files)
    assert together == {path: gitio.stamp(repository, path, data) for path, data in files.items()}
    assert together["documents/a.yaml"].changed and not together["documents/b.yaml"].changed
    assert together["documents/c.yaml"].commit is None
    assert together["documents/a.yaml"].commit != together["documents/b.yaml"].commit


def test_without_git_nothing_is_stamped(tmp_path):
    assert gitio.stamps(gitio.open_repository(tmp_path), "documents", {"documents/a.yaml": b""}) == {
        "documents/a.yaml": gitio.Stamp(None, False)
    }
