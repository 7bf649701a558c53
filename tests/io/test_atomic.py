"""Atomic writes: the old file or the complete new one, with its mode, and no litter left behind."""

import builtins
import errno
import os
import resource
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from sb_cli.io.atomic import write_atomic
from tests.conftest import wait_until

OLD = b"old content\n" * 400  # 4.8 kB
NEW = bytes(range(256)) * 1024  # 256 kB, written in several chunks by a chunking writer
TORN_AT = 100_000


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


def test_removes_what_a_killed_writer_left_while_it_is_not_yet_reaped(tmp_path):
    """A writer killed with its parent stays a zombie until its new parent collects it; it writes
    nothing more, so what it left is removed (a zombie still answers kill(pid, 0))."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])  # not waited for: a zombie once it exits
    try:
        wait_until(lambda: state_of(ended.pid) == "Z", 30, "barnprocessen avslutades inte")
        abandoned = tmp_path / f".p.pdf.{ended.pid}-x1.tmp"
        abandoned.write_bytes(b"half")
        write_atomic(tmp_path / "p.pdf", b"new")
        assert not abandoned.exists()
    finally:
        ended.wait()


def state_of(pid: int) -> str:
    return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]


class TornStream:
    """A binary file that takes the first `limit` bytes written to it, then raises `error`."""

    def __init__(self, stream, limit: int, error: BaseException):
        self._stream, self._left, self._error = stream, limit, error

    def write(self, data) -> int:
        data = bytes(data)
        taken = data[: self._left]
        self._stream.write(taken)
        self._stream.flush()  # the torn part really reaches the file
        self._left -= len(taken)
        if len(taken) < len(data):
            raise self._error
        return len(taken)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._stream.close()


def tear_writes(monkeypatch, error: BaseException) -> None:
    """Every file opened for writing by `os.fdopen` or `open`, and every `os.write`, fails after TORN_AT bytes.

    All three are patched so that the fault hits any way of writing, not only the one `write_atomic` uses."""
    real_fdopen, real_open, real_write = os.fdopen, builtins.open, os.write
    left = TORN_AT

    def write(fd, data):
        nonlocal left
        written = real_write(fd, bytes(data)[:left])
        left -= written
        if written < len(data):
            raise error
        return written

    def wrap(opener):
        def opened(file, mode="r", *args, **kwargs):
            stream = opener(file, mode, *args, **kwargs)
            writing = any(flag in mode for flag in "wax+")
            return TornStream(stream, TORN_AT, error) if writing else stream

        return opened

    monkeypatch.setattr(os, "fdopen", wrap(real_fdopen))
    monkeypatch.setattr(builtins, "open", wrap(real_open))
    monkeypatch.setattr(os, "write", write)


def fail_replace(monkeypatch, error: BaseException) -> None:
    def replace(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(os, "replace", replace)


def fail_fsync(monkeypatch, error: BaseException) -> None:
    def fsync(_fd):
        raise error

    monkeypatch.setattr(os, "fsync", fsync)


@contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """The kernel refuses writes past `limit` bytes (EFBIG), a real torn write whatever the writer does.

    Python ignores SIGXFSZ, so the write fails instead of killing the process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


Fault = Callable[[pytest.MonkeyPatch, BaseException], None]
FAULTS: dict[str, tuple[Fault, Callable[[], BaseException]]] = {
    "replace-fails": (fail_replace, lambda: OSError(errno.EXDEV, "replace failed")),
    "fsync-fails": (fail_fsync, lambda: OSError(errno.EIO, "fsync failed")),
    "write-fails-midway": (tear_writes, lambda: OSError(errno.ENOSPC, "disk full")),
    "interrupted-midway": (tear_writes, KeyboardInterrupt),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_fault_leaves_the_old_file_intact_and_no_temporary(tmp_path, monkeypatch, fault):
    inject, make_error = fault
    error = make_error()
    target = tmp_path / "p.yaml"
    target.write_bytes(OLD)
    os.chmod(target, 0o640)
    inject(monkeypatch, error)
    with pytest.raises(type(error)) as raised:
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert raised.value is error
    assert target.read_bytes() == OLD
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_fault_writing_a_new_file_leaves_no_file_at_all(tmp_path, monkeypatch, fault):
    inject, make_error = fault
    error = make_error()
    inject(monkeypatch, error)
    with pytest.raises(type(error)) as raised:
        write_atomic(tmp_path / "p.yaml", NEW)
    monkeypatch.undo()
    assert raised.value is error
    assert list(tmp_path.iterdir()) == []


def test_a_write_past_the_file_size_limit_leaves_the_old_file(tmp_path):
    target = tmp_path / "p.yaml"
    target.write_bytes(OLD)
    with file_size_limit(TORN_AT), pytest.raises(OSError) as raised:
        write_atomic(target, NEW)
    assert raised.value.errno == errno.EFBIG
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW


def test_the_torn_stream_really_tears(tmp_path, monkeypatch):
    """The fault injection itself: a plain write through it leaves a torn file, which the tests above refuse."""
    target = tmp_path / "p.yaml"
    tear_writes(monkeypatch, OSError(errno.ENOSPC, "disk full"))
    with pytest.raises(OSError), open(target, "wb") as stream:
        stream.write(NEW)
    monkeypatch.undo()
    assert target.read_bytes() == NEW[:TORN_AT]


def fail_fdopen(monkeypatch, error: BaseException) -> None:
    def fdopen(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(os, "fdopen", fdopen)


def test_a_failure_does_not_leak_the_temporary_files_descriptor(tmp_path, monkeypatch):
    before = len(os.listdir("/proc/self/fd"))
    for inject, make_error in [*FAULTS.values(), (fail_fdopen, MemoryError)]:
        error = make_error()
        inject(monkeypatch, error)
        with pytest.raises(type(error)):
            write_atomic(tmp_path / "p.yaml", NEW)
        monkeypatch.undo()
    assert len(os.listdir("/proc/self/fd")) == before
    assert list(tmp_path.iterdir()) == []
