"""Every file sb writes goes through here (SPEC §8), by these rules:

- a regular file, or nothing, is replaced by the complete new file: written beside it, flushed to
  disk, renamed over it, so a reader sees the old file or the new one, never half of it;
- a character device or a FIFO (/dev/null, a named pipe, /dev/stdout in a pipe) is written into as
  a stream, as a shell's `>` would;
- anything else (a socket, a block device, a folder) is refused: sb renames over nothing else;
- a file inside a folder (`within`) is reached through symbolic links only while they stay inside
  that folder. The folders on the way are opened one by one without following links, and the file is
  made and renamed relative to its open folder, so a link put in place after the check is not
  followed either.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sb_cli.errors import SbError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC
# Relative to an open folder where the platform can (POSIX); by path elsewhere.
_AT = {os.open, os.stat, os.mkdir, os.rename, os.link, os.unlink} <= os.supports_dir_fd  # os.replace is os.rename
_MAX_HOPS = 8  # links inside the folder followed from one name before giving up (a loop)


def write_atomic(path: Path, data: bytes, *, within: Path | None = None) -> None:
    """`data` as the file `path` by the rules above. `within` is the folder the file must stay in
    (default: the folder `path` names; the user chose that one, with its links)."""
    _write(path, data, within, create=False)


def create_atomic(path: Path, data: bytes, *, within: Path | None = None) -> None:
    """Like write_atomic, but only when nothing has the name `path`: raises FileExistsError otherwise.

    The complete file is linked into place in one step, so of two writers racing for the same name
    exactly one wins, and nobody ever sees it half written."""
    _write(path, data, within, create=True)


def check_inside(folder: Path, path: Path) -> None:
    """Refuse (SbError) when a symbolic link on the way from `folder` to `path`, `path` itself
    included, leads out of `folder`. Names that do not exist yet are fine."""
    top = Path(os.path.realpath(folder))
    here = top
    for part in path.relative_to(folder).parts:
        step = here / part
        if not step.is_symlink():
            here = step
            continue
        here = Path(os.path.realpath(step))
        if not here.is_relative_to(top):
            raise _outside(step, here, top)


@dataclass
class _Folder:
    """An open folder: its real path, and its descriptor where names can be taken relative to one."""

    path: Path
    fd: int | None

    def name(self, name: str) -> str | Path:
        return name if self.fd is not None else self.path / name

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _write(path: Path, data: bytes, within: Path | None, *, create: bool, hops: int = 0) -> None:
    with _folder_of(path, within) as (folder, name, top):
        found = _lstat(folder, name)
        if found is None or stat.S_ISREG(found.st_mode):
            _replace(folder, name, data, None if found is None else found.st_mode, create=create)
        elif create:
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder.path / name))
        elif stat.S_ISLNK(found.st_mode):
            led_to = _follow(folder, name, top)
            if led_to is None:  # a character device or FIFO: written into where the link leads
                _stream(folder, name, data, follow=True)
            elif hops >= _MAX_HOPS:
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(folder.path / name))
            else:
                _write(led_to, data, top, create=False, hops=hops + 1)
        elif stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode):
            _stream(folder, name, data, follow=False)
        else:
            raise _not_writable(folder.path / name, found.st_mode)


@contextmanager
def _folder_of(path: Path, within: Path | None) -> Iterator[tuple[_Folder, str, Path]]:
    """The open folder the file goes into (folders on the way made as needed), its name in it, and
    the real folder that links must stay inside."""
    named = path.parent if within is None else within
    parts = path.relative_to(named).parts
    if not parts or ".." in parts:
        raise ValueError(f"{path} ligger inte i {named}")
    top = Path(os.path.realpath(named))
    folder = _open_top(top)
    try:
        for part in parts[:-1]:
            inner = _enter(folder, part, top)
            folder.close()
            folder = inner
        yield folder, parts[-1], top
    finally:
        folder.close()


def _open_top(top: Path) -> _Folder:
    for folder in (top, *top.parents):
        if folder.exists():
            if not folder.is_dir():  # mkdir would only say "exists"
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
            break
    top.mkdir(parents=True, exist_ok=True)
    return _Folder(top, os.open(top, _FOLDER_FLAGS) if _AT else None)


def _enter(folder: _Folder, part: str, top: Path) -> _Folder:
    """The folder `part` inside `folder`, made if it is missing; a link is followed only inside `top`."""
    inside = folder.path / part
    try:
        return _Folder(inside, _open_folder(folder, part))
    except FileNotFoundError:
        try:
            os.mkdir(folder.name(part), dir_fd=folder.fd)
        except FileExistsError:  # made by another writer at the same moment
            pass
        return _Folder(inside, _open_folder(folder, part))
    except OSError as error:
        if error.errno not in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):  # EMLINK: BSD's word for a link
            raise
    found = _lstat(folder, part)
    if found is None or not stat.S_ISLNK(found.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(inside))
    real = Path(os.path.realpath(inside))
    if not real.is_relative_to(top):
        raise _outside(inside, real, top)
    return _Folder(real, os.open(real, _FOLDER_FLAGS) if _AT else None)


def _open_folder(folder: _Folder, part: str) -> int | None:
    """The folder `part`, opened without following a link (ELOOP or ENOTDIR when it is one)."""
    if _AT:
        return os.open(part, _FOLDER_FLAGS, dir_fd=folder.fd)
    found = os.stat(folder.path / part, follow_symlinks=False)  # FileNotFoundError when missing
    if not stat.S_ISDIR(found.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder.path / part))
    return None


def _lstat(folder: _Folder, name: str) -> os.stat_result | None:
    try:
        return os.stat(folder.name(name), dir_fd=folder.fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _follow(folder: _Folder, name: str, top: Path) -> Path | None:
    """Where the link `name` leads: None for a character device or FIFO (a stream, wherever it is,
    such as /dev/stdout); else a path inside `top`, or SbError when it leads out."""
    link = folder.path / name
    try:
        target = os.stat(folder.name(name), dir_fd=folder.fd)
    except FileNotFoundError:
        target = None
    if target is not None and (stat.S_ISCHR(target.st_mode) or stat.S_ISFIFO(target.st_mode)):
        return None
    if target is not None and not stat.S_ISREG(target.st_mode):
        raise _not_writable(link, target.st_mode)
    real = Path(os.path.realpath(link))
    if not real.is_relative_to(top):
        raise _outside(link, real, top)
    return real


def _replace(folder: _Folder, name: str, data: bytes, mode: int | None, *, create: bool) -> None:
    """A temporary file beside `name`, flushed to disk, then renamed over it (or, to create, linked)."""
    _remove_abandoned(folder, name)
    temporary, handle = _temporary(folder, name)
    try:
        _write_synced(handle, data, _default_mode() if mode is None else stat.S_IMODE(mode))
        source, target, at = folder.name(temporary), folder.name(name), folder.fd
        if create:
            os.link(source, target, src_dir_fd=at, dst_dir_fd=at, follow_symlinks=False)
        else:
            os.replace(source, target, src_dir_fd=at, dst_dir_fd=at)
    finally:
        try:  # after os.replace it is gone; after os.link, the extra name
            os.unlink(folder.name(temporary), dir_fd=folder.fd)
        except FileNotFoundError:
            pass


def _temporary(folder: _Folder, name: str) -> tuple[str, int]:
    """A new file beside `name`, whose name carries this process's id, so a later write can remove
    what a killed writer left behind."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    while True:
        temporary = f".{name}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
        try:
            return temporary, os.open(folder.name(temporary), flags, 0o600, dir_fd=folder.fd)
        except FileExistsError:
            continue


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


def _stream(folder: _Folder, name: str, data: bytes, *, follow: bool) -> None:
    """`data` written into a character device or FIFO (a FIFO waits for its reader, as with `>`).
    Opening creates and truncates nothing, and what was opened is checked before a byte is written."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | _CLOEXEC | (0 if follow else _NOFOLLOW)
    handle = os.open(folder.name(name), flags, dir_fd=folder.fd)
    try:
        mode = os.fstat(handle).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise _not_writable(folder.path / name, mode)
        stream = os.fdopen(handle, "wb")
    except BaseException:
        os.close(handle)
        raise
    with stream:
        stream.write(data)


def _not_writable(path: Path, mode: int) -> OSError | SbError:
    """Why sb writes nothing at `path`, whose node has the given mode."""
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    kind = "en socket" if stat.S_ISSOCK(mode) else "en blockenhet" if stat.S_ISBLK(mode) else "ingen vanlig fil"
    return SbError(
        f"{path} är {kind}; sb skriver bara en vanlig fil, eller strömmar till en teckenenhet eller en FIFO",
        hint="ange en annan sökväg",
    )


def _outside(link: Path, real: Path, top: Path) -> SbError:
    return SbError(
        f"{link} är en symbolisk länk som leder ut ur {top} (till {real}); sb skriver inget genom den",
        hint=f"ange en sökväg som inte går genom en länk ut ur {top}, eller ta bort länken",
    )


def remove_temporaries(path: Path, pid: int) -> None:
    """What the writer with process id `pid` left beside `path` (it was ended mid-write)."""
    folder = Path(os.path.realpath(path.parent))
    prefix = f".{path.name}.{pid}-"
    for entry in _names(folder):
        if entry.startswith(prefix) and entry.endswith(".tmp"):
            (folder / entry).unlink(missing_ok=True)


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _remove_abandoned(folder: _Folder, name: str) -> None:
    prefix = f".{name}."
    for entry in os.listdir(folder.fd if folder.fd is not None else folder.path):
        if not (entry.startswith(prefix) and entry.endswith(".tmp")):
            continue
        pid = entry[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and not running(int(pid)):
            try:
                os.unlink(folder.name(entry), dir_fd=folder.fd)
            except FileNotFoundError:
                pass


def running(pid: int) -> bool:
    """Whether the process `pid` still runs. A process that has ended but is not yet reaped by its
    parent (a zombie: a killed writer's child until init collects it) writes nothing more."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return _state(pid) != "Z"


def _state(pid: int) -> str | None:
    """The process's state letter where the system says (Linux's /proc: R, S, D, Z …)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def started(pid: int) -> float | None:
    """When the process `pid` started (seconds since the epoch), where the system says (Linux's /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(
            float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime")
        )
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError, StopIteration):
        return None


def held(pid: int, since: float) -> bool:
    """Whether a process that has been running since `since` (or before) has the id `pid`: a process
    that started later only took over the id of one that ended."""
    if not running(pid):
        return False
    began = started(pid)
    return began is None or began <= since + 1  # /proc counts in clock ticks, btime in whole seconds


def _default_mode() -> int:
    """What open() would give a new file: 0o666 less the umask (mkstemp would give 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
