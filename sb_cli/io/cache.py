"""What sb has worked out before, kept between runs in the user's own cache folder.

A value is stored under a digest of everything it is made from, so it is never stale: what changes
gets a new key. The folder is the user's (never the repository's, which anyone with commit rights
can change), and values are plain bytes that the caller decodes as data, never as code. A cache that
cannot be used, because its folder is not the user's own or its database is broken or locked, is
left aside: sb then works out everything anew, and never fails for it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar, cast

from sb_cli import __version__
from sb_cli.io.filememo import derived

T = TypeVar("T")

KEPT_DAYS = 30  # an entry nobody has asked for in this long is removed
BUSY_SECONDS = 5.0  # how long to wait for another sb that is writing
DATABASE = "sb-cache-1.sqlite3"  # the number changes with the layout of the table


def user_folder() -> Path | None:
    """The user's own cache folder for sb (made if needed), or None when it is not safely theirs:
    another user's folder, a symbolic link, or one others may write to."""
    from platformdirs import user_cache_dir

    folder = Path(os.environ.get("SB_CACHE_DIR") or user_cache_dir("sb", appauthor=False))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    return folder


def key(*parts: bytes | str) -> str:
    """A key made of the parts and of sb itself (other code may compute differently, also within one
    version), in base 32: hexadecimal digits can run together into something that reads as a
    personnummer, and keys are written into the site's manifest. The key of one file's bytes with
    names is worked out once for bytes that `filememo` holds (the editor asks on every save)."""
    held = [part for part in parts if isinstance(part, bytes)]
    if len(held) == 1:
        names = tuple(part if isinstance(part, str) else None for part in parts)
        return derived(("key", names), held[0], lambda _: _key(parts))
    return _key(parts)


def _key(parts: tuple[bytes | str, ...]) -> str:
    digest = _of_sb(_code()).copy()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(derived("sha256", data, _digest))
    return base64.b32encode(digest.digest()).decode("ascii").rstrip("=").lower()


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


@functools.lru_cache(maxsize=4)
def _of_sb(code: bytes) -> Any:
    """The start of every key: sb's version and code, hashed once."""
    return hashlib.sha256(__version__.encode() + code)


def files_key(root: Path, paths: Iterable[Path]) -> str:
    """A key of files (those of `paths` that are files) by their names under `root` and contents."""
    files = sorted(p for p in paths if p.is_file())
    return key(*(part for path in files for part in (path.relative_to(root).as_posix(), path.read_bytes())))


def plain(value: Any) -> bytes:
    """Data (builtins, dates, structs) as bytes for a key: as msgpack, or as its repr when msgpack
    cannot hold it (a file name that is not UTF-8, a markup string that must not pass for text). A
    Later is written as its key."""
    import msgspec

    try:
        return msgspec.msgpack.encode(value, enc_hook=_later_key)
    except (TypeError, ValueError, OverflowError):
        return repr(value).encode("utf-8", "surrogateescape")


class Later:
    """A value that is made only when it is needed, and that stands in data by the key of what it is
    made from: data that holds it has a key (`plain`) without it being made."""

    __slots__ = ("key", "_make")

    def __init__(self, key: str, make: Callable[[], Any]) -> None:
        self.key = key
        self._make = make

    def __repr__(self) -> str:
        return f"Later({self.key})"

    def made(self) -> Any:
        return self._make()


def made(value: Any) -> Any:
    """The data with each Later in it made."""
    if isinstance(value, Later):
        return value.made()
    if isinstance(value, dict):
        return {k: made(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [made(v) for v in value]
    return value


def _later_key(value: Any) -> Any:
    import msgspec

    if isinstance(value, Later):
        return msgspec.msgpack.Ext(1, value.key.encode("ascii"))
    raise TypeError(f"{type(value).__name__} kan inte bli en nyckel")


@functools.cache
def _code() -> bytes:
    """A digest of sb's own code."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


class Cache:
    """Values by kind and key. `Cache(None)` keeps nothing, and answers every question with None.

    A value is written when it is put, so that worker processes (which inherit the cache) keep
    theirs too; each process opens the database for itself."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._db: sqlite3.Connection | None = None
        self._pid = 0  # the process that opened _db
        self._used: list[tuple[str, str]] = []
        self._batch: list[tuple[str, str, int, bytes]] | None = None

    @classmethod
    def for_user(cls) -> Cache:
        return cls(user_folder())

    def get(self, kind: str, key: str) -> bytes | None:
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        except sqlite3.Error:
            self._give_up()
            return None
        if row is None:
            return None
        self._used.append((kind, key))
        return bytes(row[0])

    def remembered(
        self, kind: str, key: str, make: Callable[[], T], encode: Callable[[T], bytes], decode: Callable[[bytes], T]
    ) -> T:
        """The value stored under the key, or the one `make` gives, kept for the next run. A stored
        value that no longer decodes (a broken disk, another program) is made anew. For values that
        are never None."""
        value = self.stored(kind, key, decode)
        if value is None:
            value = make()
            self.keep(kind, key, value, encode)
        return value

    def stored(self, kind: str, key: str, decode: Callable[[bytes], T]) -> T | None:
        """The value stored under the key, or None when there is none or it no longer decodes."""
        import msgspec

        data = self.get(kind, key)
        if data is None:
            return None
        try:
            return decode(data)
        except (ValueError, msgspec.DecodeError):
            return None

    def keep(self, kind: str, key: str, value: T, encode: Callable[[T], bytes]) -> None:
        """The value stored under the key, unless this cache keeps nothing or the value cannot be
        encoded (a text that is not UTF-8, an integer too large for msgpack): then it is made anew
        the next time."""
        if self.folder is None:
            return
        try:
            data = encode(value)
        except (TypeError, ValueError, OverflowError):  # UnicodeEncodeError is a ValueError
            return
        self.put(kind, key, data)

    def put(self, kind: str, key: str, value: bytes) -> None:
        if self._batch is not None:
            self._batch.append((kind, key, int(time.time()), value))
        else:
            self._write([(kind, key, int(time.time()), value)])

    @contextmanager
    def batched(self) -> Iterator[None]:
        """What is put inside is written at the end, in one transaction: worker processes that each
        keep hundreds of values would otherwise wait hundreds of times for each other's writes."""
        self._batch = []
        try:
            yield
        finally:
            batch, self._batch = self._batch, None
            self._write(batch)

    def _write(self, rows: list[tuple[str, str, int, bytes]]) -> None:
        db = self._connection()
        if db is None or not rows:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO entries (kind, key, used, value) VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error:
            pass  # another sb holds the database, or the disk is full: the values are not kept

    def close(self) -> None:
        """Mark what was used, and forget what nobody has used for KEPT_DAYS."""
        db = self._connection()
        if db is None:
            return
        now = int(time.time())
        try:
            with db:
                # At most once a day: an update writes the whole entry again, value and all.
                db.executemany(
                    "UPDATE entries SET used = ? WHERE kind = ? AND key = ? AND used < ?",
                    [(now, kind, key, now - 86400) for kind, key in self._used],
                )
                db.execute("DELETE FROM entries WHERE used < ?", (now - KEPT_DAYS * 86400,))
        except sqlite3.Error:
            pass
        self._give_up()

    def _connection(self) -> sqlite3.Connection | None:
        if self.folder is None:
            return None
        if self._pid != os.getpid():  # never the connection of the process this one was forked from
            self._db, self._pid, self._used = _open(self.folder / DATABASE), os.getpid(), []
            if self._db is None:
                self.folder = None
        return self._db

    def _give_up(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self.folder, self._used = None, None, []

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class HeldCache(Cache):
    """A cache that also holds each value it gave or kept in memory, decoded, for a process that
    asks again and again (the editor): a value asked for twice is decoded once. Values are
    immutable records, so handing out the same one is safe."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(folder)
        self._held: dict[tuple[str, str], Any] = {}

    def stored(self, kind: str, key: str, decode: Callable[[bytes], T]) -> T | None:
        held = self._held.get((kind, key))
        if held is not None:
            return cast(T, held)
        value = super().stored(kind, key, decode)
        if value is not None:
            self._held[(kind, key)] = value
        return value

    def keep(self, kind: str, key: str, value: T, encode: Callable[[T], bytes]) -> None:
        self._held[(kind, key)] = value
        super().keep(kind, key, value, encode)


NO_CACHE = Cache(None)  # keeps nothing; the same for everyone, since it never holds anything
# A context variable, not a global: each of the editor's threads chooses its own, and a block that
# ends in one thread never puts back what another thread chose.
_active: ContextVar[Cache] = ContextVar("sb_cache", default=NO_CACHE)


def active() -> Cache:
    """The cache of this run (one that keeps nothing unless a command chose one with `using`)."""
    return _active.get()


@contextmanager
def using(cache: Cache) -> Iterator[Cache]:
    """Within this block, and in this thread, `cache` is the one `active` gives."""
    token = _active.set(cache)
    try:
        yield cache
    finally:
        _active.reset(token)


def _open(path: Path) -> sqlite3.Connection | None:
    """The database, made if it does not exist; a file that is not one is replaced."""
    for attempt in range(2):
        db = None
        try:
            # One connection per process, used by one thread at a time (the editor serves requests
            # from several threads, one after another under its lock).
            db = sqlite3.connect(path, timeout=BUSY_SECONDS, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a value lost in a power cut is only made again
            db.execute(
                # `used` before `value`: reading it then needs none of the value's pages.
                "CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, used INTEGER, value BLOB, "
                "PRIMARY KEY (kind, key))"
            )
            return db
        except sqlite3.OperationalError:  # locked, read-only, or no room: not broken
            if db is not None:
                db.close()
            return None
        except sqlite3.DatabaseError:  # not a database
            if db is not None:
                db.close()
            if attempt or not path.is_file() or path.is_symlink():
                return None
            try:
                for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    stale.unlink(missing_ok=True)
            except OSError:
                return None
    return None
