"""Atomic writes: the old file or the complete new one, with its mode, and no litter left behind."""

import os
import stat
import subprocess
import sys

import pytest

from sb_cli.io.atomic import write_atomic


def test_replaces_the_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "ut" / "p.pdf"
    write_atomic(target, b"first")
    os.chmod(target, 0o640)
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["p.pdf"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "p.yaml"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]


def test_removes_what_a_killed_writer_left_and_nothing_a_live_one_is_writing(tmp_path):
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    abandoned = tmp_path / f".p.pdf.{finished.pid}-x1.tmp"
    in_progress = tmp_path / f".p.pdf.{os.getpid()}-x2.tmp"
    other_file = tmp_path / f".q.pdf.{finished.pid}-x3.tmp"
    for path in (abandoned, in_progress, other_file):
        path.write_bytes(b"half")
    write_atomic(tmp_path / "p.pdf", b"new")
    assert not abandoned.exists()
    assert in_progress.exists() and other_file.exists()
