"""The editor's memory of file bytes (`FileMemo`): an unchanged file is not read again, a changed
one always is, and a symbolic link is checked on every read."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from sb_cli.io import loader
from sb_cli.io.filememo import FileMemo, remembering
from sb_cli.io.loader import Loaded, read_file


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = loader._read_file

    def counted(root: Path, relpath: str, max_bytes: int) -> bytes | Loaded:
        seen.append(relpath)
        return real(root, relpath, max_bytes)

    monkeypatch.setattr(loader, "_read_file", counted)
    return seen


def test_an_unchanged_file_is_read_once(tmp_path: Path, reads: list[str]) -> None:
    (tmp_path / "a.yaml").write_text("id: a\n", "utf-8")
    with remembering(FileMemo()):
        assert read_file(tmp_path, "a.yaml") == b"id: a\n"
        assert read_file(tmp_path, "a.yaml") == b"id: a\n"
    assert reads == ["a.yaml"]


def test_a_changed_file_is_read_again_even_with_the_same_size_and_time(tmp_path: Path, reads: list[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("id: a\n", "utf-8")
    info = path.stat()
    with remembering(FileMemo()):
        read_file(tmp_path, "a.yaml")
        path.write_text("id: b\n", "utf-8")  # same size
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # same modification time
        assert read_file(tmp_path, "a.yaml") == b"id: b\n"  # the change time (ctime) moved
    assert reads == ["a.yaml", "a.yaml"]


def test_a_file_replaced_by_a_link_out_of_the_repository_is_checked_again(tmp_path: Path, reads: list[str]) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "hemligt.yaml"
    repo.mkdir()
    outside.write_text("id: a\n", "utf-8")
    (repo / "a.yaml").write_text("id: a\n", "utf-8")
    with remembering(FileMemo()):
        read_file(repo, "a.yaml")
        (repo / "a.yaml").unlink()
        (repo / "a.yaml").symlink_to(outside)
        refused = read_file(repo, "a.yaml")
        assert isinstance(refused, Loaded) and refused.finding is not None
        assert "utanför repositoriet" in refused.finding.message


def test_without_a_memo_every_read_reads(tmp_path: Path, reads: list[str]) -> None:
    (tmp_path / "a.yaml").write_text("id: a\n", "utf-8")
    read_file(tmp_path, "a.yaml")
    read_file(tmp_path, "a.yaml")
    assert reads == ["a.yaml", "a.yaml"]


def test_a_memo_chosen_in_one_thread_is_neither_used_nor_left_behind_in_another(
    tmp_path: Path, reads: list[str]
) -> None:
    (tmp_path / "a.yaml").write_text("id: a\n", "utf-8")
    entered, leave = threading.Event(), threading.Event()

    def background() -> None:
        with remembering(FileMemo()):
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=background)
    thread.start()
    assert entered.wait(10)
    read_file(tmp_path, "a.yaml")
    read_file(tmp_path, "a.yaml")
    assert reads == ["a.yaml", "a.yaml"]  # not through the other thread's memo
    with remembering(FileMemo()):
        leave.set()
        thread.join(10)
        read_file(tmp_path, "a.yaml")
        read_file(tmp_path, "a.yaml")
    assert reads == ["a.yaml"] * 3  # this thread's own memo, still chosen after the other ended
    read_file(tmp_path, "a.yaml")
    assert reads == ["a.yaml"] * 4  # and nothing left behind


def test_a_remembered_file_over_a_smaller_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: " + "a" * 100 + "\n", "utf-8")
    with remembering(FileMemo()):
        assert isinstance(read_file(tmp_path, "a.yaml"), bytes)
        assert isinstance(read_file(tmp_path, "a.yaml", max_bytes=10), Loaded)


def test_digests_are_remembered_only_for_the_bytes_of_remembered_files(tmp_path: Path) -> None:
    from sb_cli.io.filememo import derived

    (tmp_path / "a.yaml").write_text("id: a\n", "utf-8")
    made: list[bytes] = []

    def digest(data: bytes) -> bytes:
        made.append(data)
        return data[::-1]

    with remembering(FileMemo()):
        raw = read_file(tmp_path, "a.yaml")
        assert isinstance(raw, bytes)
        assert derived("x", raw, digest) == derived("x", raw, digest) == b"\na :di"
        other = b"id: a\n" + b""  # equal bytes, not the file's own object
        derived("x", bytes(bytearray(other)), digest)
    assert len(made) == 2  # once for the file's bytes, and for the other bytes each time


def test_the_key_of_a_remembered_file_is_the_key_of_its_bytes(tmp_path: Path) -> None:
    from sb_cli.io.cache import key

    path = tmp_path / "a.yaml"
    path.write_text("id: a\n", "utf-8")
    with remembering(FileMemo()):
        raw = read_file(tmp_path, "a.yaml")
        assert isinstance(raw, bytes)
        first = key("prövad", "a.yaml", raw, "True")
        assert key("prövad", "a.yaml", raw, "True") == first
        assert key("prövad", "a.yaml", raw, "False") != first  # the names are part of what is remembered
        path.write_text("id: b\n", "utf-8")
        changed = read_file(tmp_path, "a.yaml")
        assert isinstance(changed, bytes)
        assert key("prövad", "a.yaml", changed, "True") == key("prövad", "a.yaml", b"id: b\n", "True") != first
    assert first == key("prövad", "a.yaml", b"id: a\n", "True")  # the same as without the memory
