"""`sb publish` leaves nothing behind: a build that fails removes its own hidden folders beside the
site (the search index's too) and leaves the old site whole; the folders of a build that was killed
are removed by the next build, when they are older than it and no running process holds them."""

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sb_cli.cli.app import app
from tests.conftest import CASES, REPO, build_repo, processes_with, wait_until

pytestmark = pytest.mark.slow

AS_OF = "2026-11-22"
EPOCH = "1767225600"
MARKER = ".sb-webbplats.json"

Tree = dict[str, bytes]


def files(top: Path) -> Tree:
    return {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


def hidden_beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith("."))


def publish_in_process(root: Path, out: Path) -> None:
    """`sb publish` in this process, so that a test can make the disk full where it chooses."""
    result = CliRunner().invoke(
        app,
        ["publish", "--root", str(root), "--out", str(out), "--as-of", AS_OF],
        env={"SOURCE_DATE_EPOCH": EPOCH},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output


def publish_command(root: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sb_cli", "publish", "--root", str(root), "--out", str(out), "--as-of", AS_OF]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The publish case corpus and its site, built once; each test works on a copy of both."""
    place = tmp_path_factory.mktemp("bygge")
    root = build_repo(CASES / "publish", place / "repo")
    publish_in_process(root, place / "site")
    assert (place / "site" / MARKER).is_file()
    return root, place / "site"


@pytest.fixture
def rebuild(built, tmp_path) -> tuple[Path, Path]:
    """A copy of the repository and its site, with a changed page layout, so that a rebuild makes
    every page and the search index anew."""
    root, site = built
    shutil.copytree(root, tmp_path / "repo")
    shutil.copytree(site, tmp_path / "site")
    own = tmp_path / "repo" / "templates" / "site"
    own.mkdir(parents=True)
    layout = (REPO / "templates" / "site" / "layout.html.j2").read_text("utf-8")
    (own / "layout.html.j2").write_text(layout.replace("</main>", "<p>Ny rad</p></main>"), "utf-8")
    return tmp_path / "repo", tmp_path / "site"


def disk_full(path: object) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def _in(kind: str, path: object) -> bool:
    """Whether `path` is in the build's hidden folder of the given kind (".site.<kind>-<pid>")."""
    return any(part.startswith(f".site.{kind}-") for part in Path(str(path)).parts)


# Where the disk is full, each by wrapping one function the build writes with.
def search_pages(patch: pytest.MonkeyPatch) -> None:  # the example: the pages Pagefind reads
    write_bytes = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if _in("sök", self):
            raise disk_full(self)
        return write_bytes(self, data)

    patch.setattr(Path, "write_bytes", full)


def _failing_write(patch: pytest.MonkeyPatch, when: Callable[[Path], bool]) -> None:
    from sb_cli.io import atomic

    write_atomic = atomic.write_atomic

    def full(path: Path, data: bytes, **kwargs: object) -> None:
        if when(path):
            raise disk_full(path)
        write_atomic(path, data, **kwargs)  # type: ignore[arg-type]

    patch.setattr(atomic, "write_atomic", full)


def a_page(patch: pytest.MonkeyPatch) -> None:
    _failing_write(patch, lambda path: _in("bygge", path) and path.name == "index.html")


def the_manifest(patch: pytest.MonkeyPatch) -> None:
    _failing_write(patch, lambda path: _in("bygge", path) and path.name == MARKER)


def _failing_rename(patch: pytest.MonkeyPatch, kind: str) -> None:
    rename = Path.rename

    def full(self: Path, target: Path) -> Path:
        if self.name.startswith(f".site.{kind}-"):
            raise disk_full(self)
        return rename(self, target)

    patch.setattr(Path, "rename", full)


def placing_the_index(patch: pytest.MonkeyPatch) -> None:
    _failing_rename(patch, "sökindex")


def the_swap(patch: pytest.MonkeyPatch) -> None:
    _failing_rename(patch, "bygge")


FULL_DISK = [search_pages, a_page, the_manifest, placing_the_index, the_swap]


@pytest.mark.parametrize("fault", FULL_DISK, ids=[f.__name__ for f in FULL_DISK])
def test_a_full_disk_leaves_the_old_site_whole_and_nothing_beside_it(rebuild, monkeypatch, fault):
    root, out = rebuild
    before = files(out)
    with monkeypatch.context() as patch:
        fault(patch)
        with pytest.raises(OSError) as raised:
            publish_in_process(root, out)
    assert raised.value.errno == errno.ENOSPC
    assert hidden_beside(out) == []
    assert files(out) == before
    publish_in_process(root, out)  # and the next build is not hindered
    assert "<p>Ny rad</p>" in (out / "index.html").read_text("utf-8")
    assert hidden_beside(out) == []


def dead_pid() -> int:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


def made(folder: Path, seconds_ago: float) -> Path:
    """A hidden folder with a file in it, last changed `seconds_ago` (negative: in the future)."""
    folder.mkdir()
    (folder / "index.html").write_text("halvfärdig", "utf-8")
    when = time.time() - seconds_ago
    os.utime(folder, (when, when))
    return folder


def test_folders_of_killed_builds_are_removed_and_those_of_running_builds_kept(built, tmp_path):
    root, site = built
    out = tmp_path / "site"
    shutil.copytree(site, out)
    dead, also_dead = dead_pid(), dead_pid()
    later = subprocess.Popen(["sleep", "120"])  # a process that took a dead build's id after it ended
    try:
        stale = [
            made(tmp_path / f".site.bygge-{dead}", 60),
            made(tmp_path / f".site.sök-{dead}", 60),
            made(tmp_path / f".site.sökindex-{dead}", 60),
            made(tmp_path / f".site.gammal-{dead}", 60),
            made(tmp_path / f".site.bygge-{later.pid}", 3600),
        ]
        kept = [
            made(tmp_path / ".site.bygge-1", 60),  # a build that is still running
            made(tmp_path / f".site.bygge-{also_dead}", -3600),  # newer than the build that runs
            made(tmp_path / f".annan.bygge-{dead}", 60),  # another site's
            made(tmp_path / f".site.mitt-{dead}", 60),  # not sb's
        ]
        result = subprocess.run(
            publish_command(root, out), capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        )
    finally:
        later.kill()
        later.wait()
    assert result.returncode == 0, result.stderr
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


def test_a_site_left_aside_by_a_killed_swap_is_put_back(built, tmp_path):
    from sb_cli.publish.folder import remove_stale

    _root, site = built
    aside = tmp_path / f".site.gammal-{dead_pid()}"
    shutil.copytree(site, aside)
    os.utime(aside, (time.time() - 60, time.time() - 60))
    before = files(aside)
    remove_stale(tmp_path / "site")
    assert files(tmp_path / "site") == before and hidden_beside(tmp_path / "site") == []


def test_a_build_killed_with_sigkill_leaves_folders_the_next_build_removes(built, tmp_path):
    root, site = built
    out = tmp_path / "site"
    shutil.copytree(site, out)
    (out / "index.html").write_text("förra bygget", "utf-8")  # so that the pages are made anew
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "SB_CACHE_DIR": str(tmp_path / "cache")}
    killed = subprocess.Popen(publish_command(root, out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while f".site.bygge-{killed.pid}" not in hidden_beside(out) and time.monotonic() < deadline:
        time.sleep(0.005)
    killed.send_signal(signal.SIGKILL)  # while it fills the folder it builds in
    killed.wait()
    left = hidden_beside(out)
    assert left, "the killed build had begun its folders beside the site"
    again = subprocess.run(publish_command(root, out), env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    cache = str(tmp_path / "cache")  # in the environment of both builds and of every child of theirs
    wait_until(lambda: processes_with("SB_CACHE_DIR", cache) == [], 10, "det avbrutna byggets Pagefind lever kvar")
    assert hidden_beside(out) == [], left  # and nothing of it can write any more
    assert (out / "index.html").read_text("utf-8") != "förra bygget"
