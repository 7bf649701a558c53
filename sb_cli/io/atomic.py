"""Writing files so that a reader sees the old file or the complete new one, never half of it."""

from __future__ import annotations

import errno
import glob
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`.

    The temporary file's name carries the writer's process id, so a later write can remove what a
    killed writer left behind."""
    _write_beside(path, data, lambda temporary: os.replace(temporary, path))


def create_atomic(path: Path, data: bytes) -> None:
    """Like write_atomic, but only when `path` does not exist: raises FileExistsError otherwise.

    The complete file is linked into place in one step, so of two writers racing for the same name
    exactly one wins, and nobody ever sees it half written."""
    _write_beside(path, data, lambda temporary: os.link(temporary, path))


def _write_beside(path: Path, data: bytes, put: Callable[[str], None]) -> None:
    for folder in (path.parent, *path.parent.parents):
        if folder.exists():
            if not folder.is_dir():  # mkdir would only say "exists"
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        _write_synced(handle, data, mode)
        put(temporary)
    finally:
        Path(temporary).unlink(missing_ok=True)  # after os.replace it is gone; after os.link, the extra name


def _write_synced(handle: int, data: bytes, mode: int) -> None:
    """Write `data` through `handle` and flush it to disk; the descriptor is closed whatever fails."""
    try:
        stream = os.fdopen(handle, "wb")
    except BaseException:
        os.close(handle)
        raise
    with stream:
        os.fchmod(handle, mode)
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def remove_temporaries(path: Path, pid: int) -> None:
    """What the writer with process id `pid` left beside `path` (it was ended mid-write)."""
    for temporary in path.parent.glob(f".{glob.escape(path.name)}.{pid}-*.tmp"):
        temporary.unlink(missing_ok=True)


def _remove_abandoned(path: Path) -> None:
    for temporary in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = temporary.name[len(path.name) + 2 :].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            temporary.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _default_mode() -> int:
    """What open() would give a new file: 0o666 less the umask (mkstemp would give 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
