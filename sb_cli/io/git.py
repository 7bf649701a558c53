"""Every git call of sb: the history of documents (SB040), the versions of one (sb compare), what
changed since a revision, the stamp of a rendered file, the log of one document.

git runs here on a repository that anyone with commit rights shapes, often in CI with secrets in the
environment, so it runs with nothing the repository could make it run: no fsmonitor, no hooks, no
pager, no external diff, no textconv, no network, and old versions are read as stored blobs (clean
and smudge filters never apply). History is read as committed: replacement objects (`git replace`)
are off, and grafts make it unavailable (SB041). Whether the working tree changed is decided by hashing the files
here, never by asking git to look at them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import subprocess
import threading
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sb_cli.core.model import Document
from sb_cli.core.records import Protocol, Record, RecordError, Styrdokument, to_record
from sb_cli.errors import UsageError
from sb_cli.io.cache import active, key
from sb_cli.io.filememo import derived, remembered_bytes
from sb_cli.io.loader import DOCUMENT_SUFFIXES, parse_bytes

_SAFE = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "core.askPass=",
    "-c", "credential.helper=",
    "-c", "diff.external=",
    "-c", "protocol.allow=never",
    "-c", "core.quotePath=false",
    "--no-pager",
)  # fmt: skip
_UNSET = (
    "GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND",
    "GIT_GRAFT_FILE", "GIT_REPLACE_REF_BASE",
)  # fmt: skip


def _environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in _UNSET}
    # History as it was committed: a replacement object (`git replace`) rewrites what git shows.
    environment.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_NO_LAZY_FETCH": "1",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "LC_ALL": "C",
        }
    )
    return environment


@dataclass(frozen=True)
class Unavailable:
    """Why the history cannot be read (SB041): the cause and what to do about it, in Swedish."""

    cause: str
    fix: str


class GitError(Exception):
    pass


class Git:
    """One repository, and the safe way to ask git about it."""

    def __init__(self, top: Path, root: Path) -> None:
        self.top = top
        self.head = ""  # the commit HEAD names, once open_repository has seen it
        self.prefix = root.resolve().relative_to(top.resolve()).as_posix()  # the sb root inside the repository
        self._environment = _environment()

    def run(self, *args: str, data: bytes | None = None) -> bytes:
        result = subprocess.run(
            ["git", *_SAFE, *args],
            cwd=self.top,
            input=data,
            capture_output=True,
            env=self._environment,
            check=False,
        )
        if result.returncode != 0:
            raise GitError(result.stderr.decode("utf-8", "replace").strip())
        return result.stdout

    def repo_path(self, relpath: str) -> str:
        return relpath if self.prefix in ("", ".") else f"{self.prefix}/{relpath}"

    def rel_path(self, repo_path: str) -> str | None:
        """A repository path relative to the sb root; None when it lies outside it."""
        if self.prefix in ("", "."):
            return repo_path
        return repo_path[len(self.prefix) + 1 :] if repo_path.startswith(self.prefix + "/") else None


def open_repository(root: Path) -> Git | Unavailable:
    """The repository holding `root`, ready to read its history, or why that cannot be done."""
    environment = _environment()
    try:
        result = subprocess.run(
            ["git", *_SAFE, "rev-parse", "--show-toplevel", "--is-shallow-repository"],
            cwd=root,
            capture_output=True,
            env=environment,
            check=False,
        )
    except FileNotFoundError:
        return Unavailable("git finns inte på datorn", "installera git")
    message = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        if "dubious ownership" in message:
            return Unavailable(
                "git vägrar läsa repositoriet: mappen ägs av en annan användare (dubious ownership)",
                f"git config --global --add safe.directory {root.resolve()}",
            )
        return Unavailable("inte ett git-repositorium", "kör sb i en git-klon av dokumentrepositoriet")
    top, shallow = result.stdout.decode("utf-8", "surrogateescape").splitlines()[:2]
    git = Git(Path(top), root)
    if shallow.strip() == "true":
        return Unavailable(
            "en grund klon (shallow clone) saknar den historik som behövs",
            "hämta hela historiken: fetch-depth: 0 i actions/checkout, eller git fetch --unshallow",
        )
    try:
        git.head = git.run("rev-parse", "--verify", "-q", "HEAD").decode().strip()
    except GitError:
        return Unavailable("repositoriet har inga commits ännu", "checka in dokumenten")
    if _grafted(git):
        return Unavailable(
            "historiken är omskriven med grafts (.git/info/grafts), så den visar inte vad som checkades in",
            "ta bort .git/info/grafts, eller gör om dem till ersättningsobjekt med "
            "git replace --convert-graft-file (sb läser historiken utan dem)",
        )
    try:
        partial = git.run("config", "--get-regexp", r"^(extensions\.partialclone|remote\..*\.promisor)$")
    except GitError:  # no such setting: not a partial clone
        partial = b""
    if partial.strip():
        return Unavailable(
            "en partiell klon (partial clone) saknar äldre versioner av filerna",
            "klona utan --filter, eller kör git fetch --refetch",
        )
    return git


def _grafted(git: Git) -> bool:
    """Whether a graft file makes git show parents other than the committed ones."""
    common = git.run("rev-parse", "--git-common-dir").decode("utf-8", "surrogateescape").strip()
    grafts = git.top / common / "info" / "grafts"
    return grafts.exists() and bool((regular_bytes(grafts) or b"-").strip())


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob, computed here: no git filter ever sees the file."""
    return derived("blob", data, _blob_id)


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class Blobs:
    """Old versions of files, read through one `git cat-file --batch` process: by `commit:path` or
    by the blob's own id."""

    def __init__(self, git: Git) -> None:
        self._git = git
        self._process: Any = None

    def read(self, commit: str, repo_path: str) -> bytes | None:
        if "\n" in repo_path:
            return None
        return self.object(f"{commit}:{repo_path}")

    def object(self, name: str) -> bytes | None:
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", *_SAFE, "cat-file", "--batch"],
                cwd=self._git.top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=self._git._environment,
            )
        process = self._process
        process.stdin.write(f"{name}\n".encode("utf-8", "surrogateescape"))
        process.stdin.flush()
        header = process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            return None
        data: bytes = process.stdout.read(int(header[2]))
        process.stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        if self._process is not None:
            self._process.stdin.close()
            self._process.wait()
            self._process = None


def record_of(relpath: str, raw: bytes) -> Record | None:
    """The typed record of an old version of a file, or None when it cannot be read as one."""
    source = parse_bytes(relpath, raw).source
    if source is None:
        return None
    try:
        return to_record(source.data, source.body)
    except RecordError:
        return None


_NO_BLOB = "0" * 40
DEFAULT_DOCUMENTS = "documents"


def documents_folders(git: Git, documents_dir: str) -> list[str]:
    """Every documents folder the repository has had (repository paths): today's, the default, and
    each one a committed sb.toml named, so a moved documents folder keeps its history."""
    folders = {documents_dir, DEFAULT_DOCUMENTS}
    config = git.repo_path("sb.toml")
    log = git.run("log", "-z", "--format=%H", "--full-history", "HEAD", "--", config)
    reader = Blobs(git)
    try:
        for commit in {c.strip() for c in log.decode().split("\0") if c.strip()}:
            folders.add(_documents_in(reader.read(commit, config)))
    finally:
        reader.close()
    return sorted(git.repo_path(folder.strip("/")) for folder in folders)


def _documents_in(config: bytes | None) -> str:
    try:
        value = tomllib.loads(config.decode()).get("documents") if config is not None else None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        value = None
    return value if isinstance(value, str) and value.strip("/") else DEFAULT_DOCUMENTS


def _is_document(path: str) -> bool:
    return path.endswith(DOCUMENT_SUFFIXES)


def may_be_record(raw: bytes) -> bool:
    """Whether these bytes can be a record (a beslutad document or a justerat protocol). YAML can
    spell "beslutad" or "adjusted" without those bytes only with an escape in a double-quoted
    scalar, so a file with no backslash and neither word is never one, and need not be parsed."""
    return b"beslutad" in raw or b"adjusted" in raw or b"\\" in raw


def is_record_state(record: Record | None) -> bool:
    """A record as its history knows it: a justerat protocol, or a document held as beslutad."""
    if isinstance(record, Protocol):
        return record.adjusted is not None
    return isinstance(record, Styrdokument) and record.status == "beslutad"


def records_of(files: list[tuple[str, bytes]]) -> list[Record | None]:
    """Each file (path, bytes) as the record it holds, None where it holds none."""
    records = (record_of(path, raw) for path, raw in files)
    return [record if is_record_state(record) else None for record in records]


# How a History reads many files as records: `records_of`, or the same spread over processes.
ReadRecords = Callable[[list[tuple[str, bytes]]], list[Record | None]]


def stream_blobs(git: Git, blobs: list[str]) -> Iterator[bytes | None]:
    """The content of each blob (None: not a blob), through one `git cat-file --batch` that is fed
    while it answers, so no round trip is waited for."""
    process: Any = subprocess.Popen(
        ["git", *_SAFE, "cat-file", "--batch"],
        cwd=git.top,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=git._environment,
    )

    def feed() -> None:
        try:
            process.stdin.write(b"".join(f"{blob}\n".encode() for blob in blobs))
        except OSError:  # git stopped reading: the answers below say what it read
            pass
        finally:
            process.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for _ in blobs:
            header = process.stdout.readline().split()
            if len(header) != 3:
                yield None
                continue
            data: bytes = process.stdout.read(int(header[2]) + 1)[:-1]  # the content and its newline
            yield data if header[1] == b"blob" else None
    finally:
        process.stdout.close()
        writer.join()
        process.wait()


@dataclass(frozen=True)
class Version:
    """A record as one commit held it, at one path."""

    commit: str
    repo_path: str
    record: Record


def _document_changes(git: Git, documents_dir: str) -> list[tuple[str, str, str]]:
    """(commit, path, blob) of each change to a document file, the oldest commit first. The history
    up to a commit never changes, so it is read once per HEAD (the editor checks on every save)."""
    if not git.head:
        return _read_document_changes(git, documents_dir)
    asked = (str(git.top), git.prefix, git.head, documents_dir)
    if asked not in _changes_read:
        _changes_read.clear()  # only the newest HEAD is asked about again
        _changes_read[asked] = _read_document_changes(git, documents_dir)
    return _changes_read[asked]


_changes_read: dict[tuple[str, str, str, str], list[tuple[str, str, str]]] = {}


def _read_document_changes(git: Git, documents_dir: str) -> list[tuple[str, str, str]]:
    log = git.run(
        "log", "-z", "--format=%x01%H", "--raw", "--no-abbrev", "--no-renames",
        "-c", "--date-order", "--full-history", "HEAD", "--",
        *(f":(literal){folder}" for folder in documents_folders(git, documents_dir)),
    )  # fmt: skip
    chunks = [c for c in log.decode("utf-8", "surrogateescape").split("\x01") if c]
    changes: list[tuple[str, str, str]] = []
    for chunk in reversed(chunks):
        commit, *tokens = chunk.split("\0")
        changes.extend((commit, path, blob) for path, blob in _changed(tokens) if _is_document(path))
    return changes


def _record_blobs(git: Git, stored: list[str], paths: dict[str, str]) -> dict[str, tuple[str, bytes]]:
    """The stored blobs that may hold a record, with their path and bytes."""
    return {
        blob: (paths[blob], raw)
        for blob, raw in zip(stored, stream_blobs(git, stored), strict=True)
        if raw is not None and may_be_record(raw)
    }


class History:
    """The versions of every record git ever held, in the whole repository and on every branch merged
    into HEAD: a document's history follows its id wherever the file lived (moved, renamed, another
    documents folder), and also shows what its own path held under another id.

    Commits come in git's date order (no parent after its children), merges with what they resolved.
    Only files that can be records are parsed (`may_be_record`), each blob once: all of them at
    once when `read` is given (many documents, spread over processes), else only those that hold
    the bytes of an id asked about (a YAML id is spelt with its own bytes, or with an escape)."""

    def __init__(self, git: Git, documents_dir: str, read: ReadRecords | None = None) -> None:
        self._git = git
        self._documents = (git.top / git.prefix if git.prefix not in ("", ".") else git.top) / documents_dir
        self._ancestry: dict[tuple[str, str], bool] = {}
        self._changes = _document_changes(git, documents_dir)  # commit, path, blob; the oldest commit first
        paths = {blob: path for _, path, blob in self._changes}
        self._where: dict[str, list[int]] = defaultdict(list)  # blob -> its places in _changes
        self._at_path: dict[str, set[str]] = defaultdict(set)  # path -> the blobs it held
        for index, (_, path, blob) in enumerate(self._changes):
            self._where[blob].append(index)
            self._at_path[path].add(blob)
        self._by_id: dict[str, set[str]] = defaultdict(set)  # id -> the blobs read that hold it as a record
        # A blob the working tree still holds at its path is the document checked there: never read here.
        self._current = self._working_blobs()
        held = set(self._current.values())
        stored = [blob for blob in paths if blob not in held]
        # The blobs that may hold a record, until read; then what each holds (None: no record).
        self._unread = _record_blobs(git, stored, paths)
        self._escaped = {blob for blob, (_, raw) in self._unread.items() if b"\\" in raw}
        self._records: dict[str, Record | None] = {blob: None for blob in stored if blob not in self._unread}
        if read is not None:
            self._read(list(self._unread), read)

    def _working_blobs(self) -> dict[str, str]:
        """Path → the blob of the file the working tree holds there, where git has held that blob there."""
        found = {}
        top = str(self._git.top)
        for path, blobs in self._at_path.items():
            data = regular_bytes(os.path.join(top, path))
            blob = blob_id(data) if data is not None else None
            if blob in blobs:
                found[path] = blob
        return found

    def _read(self, blobs: list[str], read: ReadRecords) -> None:
        files = [self._unread.pop(blob) for blob in blobs]
        for blob, record in zip(blobs, read(files), strict=True):
            self._records[blob] = record
            if record is not None:
                self._by_id[record.id].add(blob)

    def _record_versions(self, blobs: set[str], known: dict[str, Record]) -> list[Version]:
        """The versions, oldest first, of the blobs among these that hold a record (`known`: the
        records of blobs the working tree holds)."""
        self._read([blob for blob in blobs if blob in self._unread], records_of)
        places = sorted(
            (index, known.get(blob) or self._records.get(blob)) for blob in blobs for index in self._where.get(blob, ())
        )
        return [Version(*self._changes[index][:2], record) for index, record in places if record is not None]

    def __call__(self, document: Document[Record]) -> list[tuple[str, Record | None]]:
        return self.of(document.path, document.id, document.record)

    def of(self, relpath: str, ident: str, current: Record | None = None) -> list[tuple[str, Record | None]]:
        """Every version of the record with this id, oldest first, and before and among them what the
        file's own path held as a record under an id that no file holds now: the id of a record that
        changed. `current` is the record the file at `relpath` holds now."""
        repo_path = self._git.repo_path(relpath)
        own = self._current.get(repo_path)
        known = {own: current} if own is not None and current is not None and is_record_state(current) else {}
        needle = ident.encode()
        holding = {blob for blob, (_, raw) in self._unread.items() if needle in raw} | self._escaped | set(known)
        holding |= self._by_id.get(ident, set()) | self._at_path.get(repo_path, set())
        versions = self._record_versions(holding, known)
        return [
            (v.commit, v.record)
            for v in versions
            if v.record.id == ident or (v.repo_path == repo_path and not self._present(v.record.id))
        ]

    def descends(self, later: str, earlier: str) -> bool:
        """Whether commit `later` has `earlier` among its ancestors (or is it)."""
        if later == earlier:
            return True
        known = self._ancestry.get((later, earlier))
        if known is None:
            try:
                self._git.run("merge-base", "--is-ancestor", earlier, later)
                known = True
            except GitError:
                known = False
            self._ancestry[(later, earlier)] = known
        return known

    @cache  # noqa: B019 - one History per run
    def _present(self, ident: str) -> bool:
        """Whether a document in the working tree has this id (read only when an id seems lost)."""
        needle = ident.encode()
        for folder, dirs, files in os.walk(self._documents):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = Path(folder, name)
                raw = regular_bytes(path) if name.endswith(DOCUMENT_SUFFIXES) else None
                if raw is not None and (needle in raw or b"\\" in raw):
                    source = parse_bytes(path.as_posix(), raw).source
                    if source is not None and source.id == ident:
                        return True
        return False


def _changed(tokens: list[str]) -> Iterator[tuple[str, str]]:
    """(path, blob) of each file a commit added or changed, from `git log --raw -z` (a merge's
    combined form lists several parents' modes and blobs; the last blob is the merge's own)."""
    meta: str | None = None
    for token in tokens:
        token = token.lstrip("\n")
        if meta is None:
            if token.startswith(":"):
                meta = token
            continue
        fields = meta.lstrip(":").split()
        meta = None
        blob = fields[-2] if len(fields) >= 2 else _NO_BLOB
        if blob != _NO_BLOB and token:
            yield token, blob


def changed_since(git: Git, revision: str, documents_dir: str, present: list[str]) -> tuple[set[str], list[str]]:
    """The documents (paths relative to the sb root) that differ from `revision`: changed, new, and
    removed since; and separately those removed. Decided by comparing blob ids, so no filter runs."""
    try:
        commit = git.run("rev-parse", "--verify", "-q", f"{revision}^{{commit}}").decode().strip()
    except GitError:
        raise UsageError(f"okänd git-revision '{revision}'", hint="ange t.ex. origin/main eller HEAD~1") from None
    listing = git.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", git.repo_path(documents_dir))
    then: dict[str, str] = {}
    for entry in listing.decode("utf-8", "surrogateescape").split("\0"):
        if "\t" in entry:
            meta, path = entry.split("\t", 1)
            relpath = git.rel_path(path)
            if relpath is not None:
                then[relpath] = meta.split()[2]
    changed: set[str] = set()
    root = git.top / git.prefix if git.prefix not in ("", ".") else git.top
    for relpath in present:
        data = regular_bytes(root / relpath)
        if data is None or then.get(relpath) != blob_id(data):
            changed.add(relpath)
    removed = sorted(set(then) - set(present))
    return changed | set(removed), removed


def records_at(git: Git, revision: str) -> list[tuple[str, Record]]:
    """The records (justerade protocols, beslutade and upphävda documents) `revision` holds in its
    documents folder as its own sb.toml names it (paths relative to the sb root), leaving out each
    file the working tree still holds unchanged."""
    commit = git.run("rev-parse", "--verify", "-q", f"{revision}^{{commit}}").decode().strip()
    reader = Blobs(git)
    found: list[tuple[str, Record]] = []
    try:
        folder = git.repo_path(_documents_in(reader.read(commit, git.repo_path("sb.toml"))).strip("/"))
        listing = git.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", f":(literal){folder}")
        for entry in listing.decode("utf-8", "surrogateescape").split("\0"):
            meta, _, repo_path = entry.partition("\t")
            fields = meta.split()
            relpath = git.rel_path(repo_path)
            if len(fields) != 3 or fields[1] != "blob" or not _is_document(repo_path) or relpath is None:
                continue
            if _unchanged(git.top / repo_path, fields[2]):
                continue
            raw = reader.object(fields[2])
            record = record_of(relpath, raw) if raw is not None and may_be_record(raw) else None
            repealed = isinstance(record, Styrdokument) and record.status == "upphavd"
            if record is not None and (is_record_state(record) or repealed):
                found.append((relpath, record))
    finally:
        reader.close()
    return found


def _unchanged(path: Path, blob: str) -> bool:
    data = regular_bytes(path)
    return data is not None and blob_id(data) == blob


def regular_bytes(path: str | Path) -> bytes | None:
    """The bytes of a regular file; None for anything else (a link, a FIFO that would never end).
    Within `filememo.remembering`, an unchanged file is not read again."""
    return remembered_bytes(path, lambda: _regular_bytes(path))


def _regular_bytes(path: str | Path) -> bytes | None:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return Path(path).read_bytes()
    except OSError:
        return None


def file_log(git: Git, relpath: str) -> list[dict[str, Any]]:
    """The commits that touched one document, newest first, with the version each one held. The
    log of a path in the history up to HEAD never changes, so the run's cache keeps it."""
    repo_path = git.repo_path(relpath)
    if not git.head:
        return _file_log(git, relpath, repo_path)
    return active().remembered(
        "historik",
        key("historik", git.head, repo_path),
        lambda: _file_log(git, relpath, repo_path),
        lambda rows: json.dumps(rows).encode(),
        json.loads,
    )


def _file_log(git: Git, relpath: str, repo_path: str) -> list[dict[str, Any]]:
    log = git.run("log", "-z", "--format=%H%x00%an%x00%ad%x00%s", "--date=short", "--", repo_path)
    fields = log.decode("utf-8", "replace").split("\0")
    blobs = Blobs(git)
    rows = []
    try:
        for index in range(0, len(fields) - 3, 4):
            commit, author, date, message = (f.lstrip("\n") for f in fields[index : index + 4])
            raw = blobs.read(commit, repo_path)
            record = record_of(relpath, raw) if raw is not None else None
            styr = record if isinstance(record, Styrdokument) else None
            rows.append(
                {
                    "commit": commit[:10],
                    "author": author,
                    "date": date,
                    "message": message,
                    "version": styr.version if styr else None,
                    "status": styr.status if styr else None,
                }
            )
    finally:
        blobs.close()
    return rows


@dataclass(frozen=True)
class Stamp:
    commit: str | None  # the newest commit that touched the file; None when never committed
    changed: bool  # the file differs from that commit


def stamp(git: Git | Unavailable, relpath: str, data: bytes) -> Stamp:
    """What a rendered file's footer says of its source: its commit, and whether it changed since."""
    if isinstance(git, Unavailable):
        return Stamp(None, False)
    repo_path = git.repo_path(relpath)
    try:
        commit = git.run("log", "-1", "--format=%H", "--", repo_path).decode().strip() or None
        stored = git.run("rev-parse", "-q", "--verify", f"HEAD:{repo_path}").decode().strip() if commit else ""
    except GitError:
        return Stamp(None, False)
    return Stamp(commit, commit is not None and stored != blob_id(data))


def commit_times(repository: Git, folder: str) -> dict[str, int]:
    """Path → committer time of the newest first-parent commit that changed it, in one `git log`."""
    # -m with --first-parent: a merge shows what it changed on the branch, so a change that reached
    # the branch by a merge dates from the merge.
    newest = _newest_per_path(repository, folder, "%ct", "--first-parent", "-m")
    return {path: int(value) for path, value in newest.items()}


def stored_blobs(repository: Git, folder: str) -> dict[str, str]:
    """Path → the blob id HEAD holds for it."""
    prefix = repository.repo_path(folder).rstrip("/") + "/"
    listing = repository.run("ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", prefix)
    blobs = {}
    for entry in listing.split(b"\0"):
        info, _, name = entry.partition(b"\t")
        fields = info.split()
        relative = repository.rel_path(name.decode("utf-8", "surrogateescape")) if name else None
        if len(fields) == 3 and fields[1] == b"blob" and relative is not None:
            blobs[relative] = fields[2].decode()
    return blobs


def last_commits(repository: Git, folder: str) -> dict[str, str]:
    """Path → the newest commit that changed it, in one `git log` (as `git log -1 -- PATH` gives it)."""
    return _newest_per_path(repository, folder, "%H")


def _newest_per_path(repository: Git, folder: str, field: str, *options: str) -> dict[str, str]:
    """Path under `folder` → `field` (a `git log` format) of the newest commit that changed it."""
    prefix = repository.repo_path(folder).rstrip("/") + "/"
    log = repository.run("log", *options, "--no-renames", "-z", f"--format=C{field}", "--name-only", "--", prefix)
    newest: dict[str, str] = {}
    current: str | None = None
    for token in log.split(b"\0"):
        name = token.removeprefix(b"\n")
        if name.startswith(prefix.encode()):
            relative = repository.rel_path(name.decode("utf-8", "surrogateescape"))
            if current is not None and relative is not None:
                newest.setdefault(relative, current)  # the log runs newest first
        elif token.startswith(b"C"):
            current = token[1:].decode()
    return newest


def stamps(git: Git | Unavailable, folder: str, files: dict[str, bytes]) -> dict[str, Stamp]:
    """`stamp` for many files under `folder` with two git processes in all, not two per file."""
    if isinstance(git, Unavailable):
        return {path: Stamp(None, False) for path in files}
    try:
        commits, stored = last_commits(git, folder), stored_blobs(git, folder)
    except GitError:
        return {path: Stamp(None, False) for path in files}
    found = {}
    for path, data in files.items():
        commit = commits.get(path)
        found[path] = Stamp(commit, commit is not None and stored.get(path) != blob_id(data))
    return found


@dataclass(frozen=True)
class Snapshot:
    """A document as one commit held it, in any status (drafts too): the commit, the file's path
    (relative to the sb root; the repository path when it lies outside it), its record and the
    commit's date."""

    commit: str
    path: str
    record: Record
    date: dt.date


def versions_of(git: Git, documents_dir: str, ident: str) -> list[Snapshot]:
    """Every version of the document with this id that git holds, the oldest commit first, following
    the id wherever the file lived (moved, renamed, another documents folder) as SB040 does. A commit
    that holds the same file as the version before it (a move) adds none. The versions up to a commit
    never change, so they are read once per HEAD (a draft's page in the editor asks on every save)."""
    if not git.head:
        return _read_versions(git, documents_dir, ident)
    asked = (str(git.top), git.prefix, git.head, documents_dir, ident)
    if asked not in _versions_read:
        if any(known[:4] != asked[:4] for known in _versions_read):
            _versions_read.clear()  # only the newest HEAD is asked about again
        _versions_read[asked] = _read_versions(git, documents_dir, ident)
    return list(_versions_read[asked])


_versions_read: dict[tuple[str, str, str, str, str], list[Snapshot]] = {}


def _read_versions(git: Git, documents_dir: str, ident: str) -> list[Snapshot]:
    changes = _document_changes(git, documents_dir)
    paths = {blob: path for _, path, blob in changes}
    records = _records_with_id(git, paths, ident)
    held: list[tuple[str, str, Record]] = []
    last = ""
    for commit, path, blob in changes:
        record = records.get(blob)
        if record is not None and blob != last:
            held.append((commit, path, record))
            last = blob
    dates = _commit_dates(git, [commit for commit, _, _ in held])
    return [Snapshot(commit, git.rel_path(path) or path, record, dates[commit]) for commit, path, record in held]


def _records_with_id(git: Git, paths: dict[str, str], ident: str) -> dict[str, Record]:
    """Blob → the record it holds, for the blobs whose record has this id. Only blobs that hold the
    id's bytes are parsed (or an escape, by which YAML can spell it without them)."""
    needle = ident.encode()
    blobs = list(paths)
    found: dict[str, Record] = {}
    for blob, raw in zip(blobs, stream_blobs(git, blobs), strict=True):
        if raw is None or (needle not in raw and b"\\" not in raw):
            continue
        record = record_of(git.rel_path(paths[blob]) or paths[blob], raw)
        if record is not None and record.id == ident:
            found[blob] = record
    return found


def _commit_dates(git: Git, commits: list[str]) -> dict[str, dt.date]:
    """Commit → its (committer) date, in one `git log`."""
    if not commits:
        return {}
    data = "".join(f"{commit}\n" for commit in dict.fromkeys(commits)).encode()
    log = git.run("log", "--no-walk=unsorted", "--format=%H %cs", "--stdin", data=data)
    dates = {}
    for line in log.decode().splitlines():
        commit, _, day = line.partition(" ")
        dates[commit] = dt.date.fromisoformat(day)
    return dates


def commit_of(git: Git, revision: str) -> str:
    """The commit a revision names (anything git accepts: HEAD~1, a tag, a branch, a short id), or a
    usage error saying that git has no such revision."""
    unknown = UsageError(f"revisionen {revision} finns inte i git", hint="ange en version, en tagg eller en commit")
    if not revision or revision.startswith("-") or any(c in revision for c in "\0\n\r"):
        raise unknown  # never an option to git, never a second line to a batch
    try:
        return git.run("rev-parse", "--verify", "-q", f"{revision}^{{commit}}").decode().strip()
    except GitError:
        raise unknown from None


def is_ancestor(git: Git, earlier: str, later: str) -> bool:
    """Whether commit `earlier` comes before commit `later` in its history (or is it)."""
    try:
        git.run("merge-base", "--is-ancestor", earlier, later)
    except GitError:
        return False
    return True


def document_at(git: Git, documents_dir: str, ident: str, revision: str) -> Snapshot | None:
    """The document with this id as the revision holds it, in any documents folder the repository
    has had; None when the revision holds no such document. An unknown revision is a usage error."""
    commit = commit_of(git, revision)
    folders = [f":(literal){folder}" for folder in documents_folders(git, documents_dir)]
    listing = git.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", *folders)
    paths: dict[str, str] = {}
    for entry in listing.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, repo_path = entry.partition("\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == "blob" and _is_document(repo_path):
            paths.setdefault(fields[2], repo_path)
    records = _records_with_id(git, paths, ident)
    if not records:
        return None
    blob = min(records, key=lambda b: paths[b])
    path = paths[blob]
    return Snapshot(commit, git.rel_path(path) or path, records[blob], _commit_dates(git, [commit])[commit])
