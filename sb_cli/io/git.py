"""Every git call of sb: history of documents (SB040) and what changed since a revision."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from sb_cli.core.model import Document
from sb_cli.core.records import Record, RecordError, Styrdokument, to_record
from sb_cli.errors import UsageError
from sb_cli.io.loader import parse_bytes


def open_repository(root: Path) -> Any | None:
    """The git repository holding `root`, or None outside one (or without git)."""
    try:
        import git
    except ImportError:  # gitpython raises ImportError when no git executable exists
        return None
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def record_of(relpath: str, raw: bytes) -> Record | None:
    """The typed record of an old version of a file, or None when it cannot be read as one."""
    source = parse_bytes(relpath, raw).source
    if source is None:
        return None
    try:
        return to_record(source.data, source.body)
    except RecordError:
        return None


def _prefix(repo: Any, root: Path) -> Path:
    return Path(root).resolve().relative_to(Path(repo.working_tree_dir).resolve())


class History:
    """Snapshots of documents at each commit that touched them, oldest first."""

    def __init__(self, repo: Any, root: Path, documents_dir: str) -> None:
        self._repo = repo
        self._prefix = _prefix(repo, root)
        self._commits: dict[str, list[str]] = defaultdict(list)
        if not repo.head.is_valid():
            return
        log = repo.git.log(
            "--format=%x00%H", "--name-only", "--no-renames", "--", (self._prefix / documents_dir).as_posix()
        )
        commit = ""
        for line in log.splitlines():
            if line.startswith("\x00"):
                commit = line[1:]
            elif line:
                self._commits[line].insert(0, commit)

    def __call__(self, document: Document[Record]) -> list[tuple[str, Record | None]]:
        return self._snapshots(document.path)

    @cache  # noqa: B019 - one History per run
    def _snapshots(self, relpath: str) -> list[tuple[str, Record | None]]:
        repo_path = (self._prefix / relpath).as_posix()
        result: list[tuple[str, Record | None]] = []
        for commit in self._commits.get(repo_path, []):
            try:
                blob = self._repo.commit(commit).tree / repo_path
            except KeyError:  # deleted in that commit
                continue
            result.append((commit, record_of(relpath, blob.data_stream.read())))
        return result


def changed_since(repo: Any, root: Path, revision: str) -> set[str]:
    """Paths (relative to `root`) changed between `revision` and the working tree, untracked included."""
    import git

    try:
        repo.commit(revision)
    except (git.BadName, ValueError):
        raise UsageError(f"okänd git-revision '{revision}'") from None
    prefix = _prefix(repo, root).as_posix()
    names = repo.git.diff("--name-only", "--no-renames", revision, "--").splitlines()
    names += repo.untracked_files
    result: set[str] = set()
    for name in names:
        if prefix in ("", "."):
            result.add(name)
        elif name.startswith(prefix + "/"):
            result.add(name[len(prefix) + 1 :])
    return result


def file_log(repo: Any, root: Path, relpath: str) -> list[dict[str, Any]]:
    """The commits that touched one document, newest first, with the version each one held."""
    repo_path = (_prefix(repo, root) / relpath).as_posix()
    if not repo.head.is_valid():
        return []
    rows = []
    for commit in repo.iter_commits(paths=repo_path):
        try:
            record = record_of(relpath, (commit.tree / repo_path).data_stream.read())
        except KeyError:
            record = None
        styr = record if isinstance(record, Styrdokument) else None
        rows.append(
            {
                "commit": commit.hexsha[:10],
                "author": commit.author.name,
                "date": commit.authored_datetime.date().isoformat(),
                "message": commit.summary,
                "version": styr.version if styr else None,
                "status": styr.status if styr else None,
            }
        )
    return rows


def last_commit(repo: Any, root: Path, relpath: str) -> str | None:
    """The newest commit that touched a file, or None when it was never committed."""
    if repo is None or not repo.head.is_valid():
        return None
    repo_path = (_prefix(repo, root) / relpath).as_posix()
    return str(repo.git.log("-1", "--format=%H", "--", repo_path).strip()) or None
