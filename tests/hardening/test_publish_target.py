"""`sb publish --out` replaces only a folder that does not exist, an empty folder, or a site sb built
(SPEC §8). Everything else is refused with exit 2 and a Swedish message naming the folder, before
anything is touched: the repository, a folder that holds it or lies in it outside its output folders,
the home folder, the file system's root, and any other folder with files in it."""

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CASES, build_repo, sb

AS_OF = "2026-11-22"
EPOCH = "1767225600"
MARKER = ".sb-webbplats.json"  # the marker of a site sb built, as the README names it

Tree = dict[str, bytes | str]


def snapshot(top: Path) -> Tree:
    """Every name under `top` with its bytes (a link: where it leads), so any change shows."""
    tree: Tree = {}
    for here, folders, files in os.walk(top):
        for name in folders + files:
            path = Path(here) / name
            shown = path.relative_to(top).as_posix()
            tree[shown] = (
                f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes() if path.is_file() else ""
            )
    return tree


def publish(root: Path, out: str | Path, *, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "HOME": str(home)}
    return sb("publish", "--root", root, "--out", out, "--as-of", AS_OF, cwd=cwd, env=env)


@pytest.fixture
def place(tmp_path) -> Path:
    """tmp/repo (a git repository with uncommitted work), tmp/hemma/anna (the home folder), tmp/annat
    (a folder of someone else's files) and tmp/tom (an empty folder)."""
    root = build_repo(CASES / "publish", tmp_path / "repo")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / "sb.toml").write_text('site_name = "Prov"\naccessibility_contact = "webb@example.se"\n', "utf-8")
    (root / "anteckningar.txt").write_text("inte incheckat\n", "utf-8")
    (tmp_path / "hemma" / "anna").mkdir(parents=True)
    (tmp_path / "annat").mkdir()
    (tmp_path / "annat" / "rapport.docx").write_bytes(b"inte sb:s")
    (tmp_path / "tom").mkdir()
    return tmp_path


# What --out names, from where, and the words of the refusal: each a folder sb must never replace.
REFUSED: dict[str, tuple[Callable[[Path], tuple[str, Path]], str]] = {
    "the repository (the issue's example)": (lambda t: (".", t / "repo"), "det är repositoriets rot"),
    "the documents folder (the issue's example)": (lambda t: ("documents", t / "repo"), "utanför dess utmappar"),
    "the repository's parent": (lambda t: ("..", t / "repo"), "mappen innehåller repositoriet"),
    "a folder inside the repository": (lambda t: ("webb", t / "repo"), "utanför dess utmappar"),
    "a path through ..": (lambda t: ("site/../documents", t / "repo"), "utanför dess utmappar"),
    "a link to the repository": (lambda t: (str(_link(t / "genväg", t / "repo")), t), "det är repositoriets rot"),
    "a link to the documents": (lambda t: (str(_link(t / "dok", t / "repo/documents")), t), "utanför dess utmappar"),
    "the home folder, empty": (lambda t: (str(t / "hemma" / "anna"), t), "det är hemmappen"),
    "a folder holding the home folder": (lambda t: (str(t / "hemma"), t), "mappen innehåller hemmappen"),
    "a folder of other files": (lambda t: (str(t / "annat"), t), "ingen webbplats som sb byggt"),
    "a file": (lambda t: (str(t / "annat" / "rapport.docx"), t), "finns och är ingen mapp"),
    "a marker that is a link": (lambda t: (str(_fake_marker(t / "annat")), t), "ingen webbplats som sb byggt"),
    "the file system's root": (lambda t: ("/", t), "det är filsystemets rot"),
    "an output folder holding the documents": (
        lambda t: (_documents_in_site(t / "repo"), t / "repo"),
        "mappen innehåller dokumentmappen",
    ),
}


def _documents_in_site(root: Path) -> str:
    """sb.toml puts the documents in site/, an output folder's name."""
    (root / "site").mkdir()
    (root / "documents").rename(root / "site" / "dokument")
    (root / "sb.toml").write_text('documents = "site/dokument"\naccessibility_contact = "webb@example.se"\n', "utf-8")
    return "site"


def _link(link: Path, target: Path) -> Path:
    link.symlink_to(target, target_is_directory=True)
    return link


def _fake_marker(folder: Path) -> Path:
    (folder / MARKER).symlink_to(folder / "rapport.docx")
    return folder


@pytest.mark.slow
@pytest.mark.git
@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_a_folder_that_is_not_a_site_is_refused_and_left_untouched(place, case):
    target, said = case
    out, cwd = target(place)
    before = snapshot(place)
    result = publish(place / "repo", out, cwd=cwd, home=place / "hemma" / "anna")
    assert result.returncode == 2, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"sb: fel: --out {out}") and said in first, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(place) == before


# Where a site may be built: (what --out names, from where, what is there before).
ALLOWED: dict[str, Callable[[Path], tuple[str, Path]]] = {
    "a folder that does not exist": lambda t: (str(t / "webb"), t),
    "an empty folder": lambda t: (str(t / "tom"), t),
    "the output folder in the repository": lambda t: ("site", t / "repo"),
    "public/ in the repository (GitLab Pages)": lambda t: ("public", t / "repo"),
}


@pytest.mark.slow
@pytest.mark.git
@pytest.mark.parametrize("case", ALLOWED.values(), ids=ALLOWED.keys())
def test_a_new_or_empty_folder_gets_a_site_and_a_site_sb_built_is_rebuilt(place, case):
    out, cwd = case(place)
    repository = snapshot(place / "repo")
    built = publish(place / "repo", out, cwd=cwd, home=place / "hemma" / "anna")
    assert built.returncode == 0, built.stderr
    site = cwd / out
    assert (site / "index.html").is_file() and (site / MARKER).is_file()
    assert {k: v for k, v in snapshot(place / "repo").items() if not k.startswith(("site", "public"))} == repository
    again = publish(place / "repo", out, cwd=cwd, home=place / "hemma" / "anna")  # a site sb built
    assert again.returncode == 0, again.stderr
    assert (site / "index.html").is_file()


def test_a_folder_that_became_someone_elses_during_the_build_is_put_back_not_replaced(tmp_path):
    from sb_cli.errors import UsageError
    from sb_cli.publish.folder import swap

    staging, out = tmp_path / ".webb.bygge-1", tmp_path / "webb"
    staging.mkdir()
    (staging / MARKER).write_text("{}", "utf-8")
    out.mkdir()  # empty when the build began; then someone's files arrived
    (out / "viktigt.txt").write_text("inte sb:s", "utf-8")
    with pytest.raises(UsageError, match="ingen webbplats som sb byggt"):
        swap(staging, out)
    assert snapshot(out) == {"viktigt.txt": b"inte sb:s"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".webb.bygge-1", "webb"]
