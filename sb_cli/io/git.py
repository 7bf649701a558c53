"""Every git call of sb: the history of documents (SB040), what changed since a revision, the stamp
of a rendered file, the log of one document.

git runs here on a repository that anyone with commit rights shapes, often in CI with secrets in the
environment, so it runs with nothing the repository could make it run: no fsmonitor, no hooks, no
pager, no external diff, no textconv, no network, and old versions are read as stored blobs (clean
and smudge filters never apply). Whether the working tree changed is decided by hashing the files
here, never by asking git to look at them.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sb_cli.core.model import Document
from sb_cli.core.records import Record, RecordError, Styrdokument, to_record
from sb_cli.errors import UsageError
from sb_cli.io.cache import active, key
from sb_cli.io.loader import parse_bytes

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
_UNSET = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND")


def _environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in _UNSET}
    environment.update({"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1", "LC_ALL": "C"})
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


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob, computed here: no git filter ever sees the file."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class Blobs:
    """Old versions of files, read through one `git cat-file --batch` process."""

    def __init__(self, git: Git) -> None:
        self._git = git
        self._process: Any = None

    def read(self, commit: str, repo_path: str) -> bytes | None:
        if "\n" in repo_path:
            return None
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
        process.stdin.write(f"{commit}:{repo_path}\n".encode("utf-8", "surrogateescape"))
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


class History:
    """Snapshots of documents at each commit that touched them, oldest first, following a document's
    id when it was moved or renamed (a path deleted in one commit and its id written in another)."""

    def __init__(self, git: Git, documents_dir: str) -> None:
        self._git = git
        self._blobs = Blobs(git)
        self._order: dict[str, int] = {}  # commit -> position, 0 the oldest
        self._touched: dict[str, list[tuple[str, str]]] = defaultdict(list)  # path -> (commit, status), oldest first
        log = git.run(
            "log", "-z", "--format=%x01%H", "--name-status", "--no-renames", "--", git.repo_path(documents_dir)
        )
        chunks = [c for c in log.decode("utf-8", "surrogateescape").split("\x01") if c]
        for position, chunk in enumerate(reversed(chunks)):
            commit, _, rest = chunk.partition("\0")
            self._order[commit] = position
            fields = rest.lstrip("\n").split("\0")
            for status, path in zip(fields[0::2], fields[1::2], strict=False):
                if path:
                    self._touched[path].append((commit, status))

    def __call__(self, document: Document[Record]) -> list[tuple[str, Record | None]]:
        return self.of(document.path, document.id)

    def of(self, relpath: str, ident: str) -> list[tuple[str, Record | None]]:
        """Every stored version of the document with this id, at this path and where it lived before."""
        paths = {self._git.repo_path(relpath), *self._moved_away(ident)}
        snapshots = [snapshot for path in sorted(paths) for snapshot in self._snapshots(path)]
        return sorted(snapshots, key=lambda s: self._order.get(s[0], -1))

    @cache  # noqa: B019 - one History per run
    def _snapshots(self, repo_path: str) -> list[tuple[str, Record | None]]:
        result: list[tuple[str, Record | None]] = []
        for commit, status in self._touched.get(repo_path, []):
            if status == "D":
                continue
            raw = self._blobs.read(commit, repo_path)
            result.append((commit, record_of(repo_path, raw) if raw is not None else None))
        return result

    def _moved_away(self, ident: str) -> list[str]:
        return self._deleted_ids().get(ident, [])

    @cache  # noqa: B019 - one History per run
    def _deleted_ids(self) -> dict[str, list[str]]:
        """The id each deleted path last held: where a document lived before it was moved."""
        found: dict[str, list[str]] = defaultdict(list)
        for path, changes in self._touched.items():
            kept = [commit for commit, status in changes if status != "D"]
            if kept and changes[-1][1] == "D":
                raw = self._blobs.read(kept[-1], path)
                source = parse_bytes(path, raw).source if raw is not None else None
                if source is not None and source.id:
                    found[source.id].append(path)
        return found

    def close(self) -> None:
        self._blobs.close()


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
        try:
            data = (root / relpath).read_bytes()
        except OSError:
            changed.add(relpath)
            continue
        if then.get(relpath) != blob_id(data):
            changed.add(relpath)
    removed = sorted(set(then) - set(present))
    return changed | set(removed), removed


def read_at(git: Git, revision: str, relpaths: list[str]) -> dict[str, bytes | None]:
    """The files as `revision` held them (None: not there), read through one git process."""
    blobs = Blobs(git)
    try:
        return {relpath: blobs.read(revision, git.repo_path(relpath)) for relpath in relpaths}
    finally:
        blobs.close()


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
