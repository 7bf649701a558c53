"""Progress on long work, as a user at a terminal sees it: a bar on stderr that never touches stdout,
and for work counted in files (loading, checking) only once it takes a while."""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sb_cli.cli import common
from sb_cli.io.loader import discover
from sb_cli.io.repo import load_settings
from sb_cli.validation import validate_repository
from tests.benchmarks.bench_publish import build_corpus
from tests.conftest import REPO


def at_a_terminal(args: list[str], cwd: Path) -> tuple[bytes, bytes]:
    """`sb ARGS` with stderr a terminal and stdout a pipe, as in `sb validate > fynd.txt`:
    (stdout, what the terminal was sent). Both are read as they come, so neither fills up. A
    counting bar shows at once, so that a quick machine shows it too."""
    terminal, end = pty.openpty()
    sb = "import sys; from sb_cli.cli import app, common; common.BAR_AFTER_S = 0; sys.argv[0] = 'sb'; app.main()"
    process = subprocess.Popen(
        [sys.executable, "-c", sb, *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=end,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(end)
    assert process.stdout is not None
    out = process.stdout.fileno()
    received = {out: b"", terminal: b""}
    open_ = set(received)
    while open_:
        for fd in select.select(list(open_), [], [], 60)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal's other end closed (Linux says EIO)
                chunk = b""
            received[fd] += chunk
            if not chunk:
                open_.discard(fd)
    os.close(terminal)
    process.stdout.close()
    process.wait(60)
    return received[out], received[terminal]


def test_the_bar_of_sb_publish_is_on_the_terminal_and_stdout_gets_nothing(tmp_path: Path) -> None:
    out, shown = at_a_terminal(
        ["publish", "--root", str(REPO), "--out", str(tmp_path / "site"), "--as-of", "2026-11-22", "--draft-site"],
        tmp_path,
    )
    assert out == b""  # the bar went to stdout (a stray newline in a redirected file) and was never seen
    assert b"Publicerar" in shown
    assert b"dokument renderade" in shown


def test_a_long_check_shows_how_many_files_are_checked(tmp_path: Path) -> None:
    root = build_corpus(tmp_path / "korpus", 40, 0, commit=False).root
    out, shown = at_a_terminal(["validate", "--as-of", "2026-11-22"], root)
    assert b"Kontrollerar" in shown
    assert b"/40" in shown  # the protocols (organisation.yaml is read before them)
    assert b"i 41 filer" in out
    assert b"Kontrollerar" not in out


@pytest.fixture
def bars(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[int, int]]]:
    """Each bar shown, with the counts it was given."""
    shown: list[list[tuple[int, int]]] = []

    @contextmanager
    def recorded(label: str) -> Iterator[Callable[[str, int, int], None]]:
        shown.append([])
        yield lambda name, done, total: shown[-1].append((done, total))

    monkeypatch.setattr(common, "progress_bar", recorded)
    return shown


def test_quick_work_shows_no_bar(bars: list[list[tuple[int, int]]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "BAR_AFTER_S", 3600)
    with common.counting_bar("Läser in") as update:
        for done in range(1, 11):
            update(done, 10)
    assert bars == []


def test_work_that_takes_a_while_shows_the_files_left(
    bars: list[list[tuple[int, int]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "BAR_AFTER_S", 0)
    with common.counting_bar("Läser in") as update:
        update(4, 10)  # the first four came from the cache
        update(5, 10)
        update(10, 10)
    assert bars == [[(4, 10), (5, 10), (10, 10)]]


def test_work_done_at_the_first_count_shows_no_bar(
    bars: list[list[tuple[int, int]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "BAR_AFTER_S", 0)
    with common.counting_bar("Läser in") as update:
        update(10, 10)  # every file from the cache
    assert bars == []


def test_the_check_of_every_file_counts_each_one() -> None:
    settings = load_settings(REPO, REPO)
    counts: list[tuple[int, int]] = []
    validate_repository(settings, as_of=dt.date(2026, 11, 22), progress=lambda *count: counts.append(count))
    files = len(discover(REPO, settings.documents)) - 1  # organisation.yaml is read before them
    assert counts == [(done, files) for done in range(1, files + 1)]
