"""Saving to git from the editor ("Spara i git"): what changed in the documents folder, a commit of
exactly the files chosen, and a push to the branch's upstream.

Every call has `io/git.py`'s safe options: no hooks, no fsmonitor, no pager, no external diff, no
credential helper, no transport. Hooks stay off for the commit too, as with `git commit --no-verify`:
the hook `sb init` suggests (pre-commit running `sb validate`) would check what the editor has
already checked and shows beside each changed file; a hook is a program the clone's own folder
names; and pre-commit moves unstaged changes out of the working tree while it runs, under a server
that reads and writes those files. CI validates the push again. A commit is not signed: signing runs
a program the configuration names, and may wait for a passphrase no one sees. `git status` and
`git add` do convert the files as the user's own git would (line endings, a clean filter such as
git-lfs or git-crypt that her clone set up): the commit must hold what `git add` would store.

Only `push` needs more: a transport, and the user's own credentials. It gets https, ssh and a
folder on the computer, and the credential helper, askpass program and ssh command of the user's
environment and global or system git configuration, never one that the clone's own `.git/config`
names (such a command would run with her rights); the same for `receivepack`. Never forced.
"""

from __future__ import annotations

import os
import posixpath
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sb_cli.errors import UsageError
from sb_cli.io.git import _SAFE, Git, GitError, _environment

State = Literal["ny", "ändrad", "borttagen"]
PushState = Literal["skickad", "ingen uppströms", "misslyckad"]


@dataclass(frozen=True)
class Change:
    """A file under the documents folder that differs from HEAD, its path relative to the sb root."""

    path: str
    state: State


@dataclass(frozen=True)
class PushResult:
    """What became of a push: `message` is for the secretary, `detail` is git's own stderr."""

    state: PushState
    message: str
    upstream: str | None = None
    detail: str = ""

    @property
    def pushed(self) -> bool:
        return self.state == "skickad"


def repository(root: Path) -> Git:
    """The git repository holding the sb root, or a Swedish error saying why there is none."""
    try:
        result = subprocess.run(
            ["git", *_SAFE, "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            env=_environment(),
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("git finns inte på datorn", hint="installera git och starta sb edit igen") from None
    except NotADirectoryError:
        raise UsageError(f"{root} är ingen mapp") from None
    if result.returncode != 0:
        if b"dubious ownership" in result.stderr:
            raise UsageError(
                "git vägrar arbeta i repositoriet: mappen ägs av en annan användare (dubious ownership)",
                hint=f"git config --global --add safe.directory {root.resolve()}",
            )
        raise UsageError(f"{root} är inte ett git-repositorium", hint="klona dokumentrepositoriet med git clone")
    return Git(Path(result.stdout.decode("utf-8", "surrogateescape").strip()), root)


def changes(root: Path, documents: str) -> list[Change]:
    """The files under `documents` (relative to the sb root) that differ from HEAD: new (untracked
    included), changed and removed. A moved file is its old path removed and its new path new."""
    return [Change(path, state) for path, (state, _) in sorted(_status(repository(root), documents).items())]


def _status(git: Git, documents: str) -> dict[str, tuple[State, bool]]:
    """Path (relative to the sb root) → its state, and whether git does not track it yet. State is
    the working tree against HEAD, whatever the index holds in between."""
    folder = git.repo_path(_folder(documents))
    listing = git.run(
        "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--ignore-submodules=all",
        "--", f":(literal){folder}",
    )  # fmt: skip
    in_head, untracked = _entries(listing)
    found: dict[str, tuple[State, bool]] = {}
    for repo_path, held in in_head.items():
        relpath = git.rel_path(repo_path)
        if relpath is None:
            continue
        present = os.path.lexists(git.top / repo_path)
        if held:
            found[relpath] = ("ändrad" if present else "borttagen", False)
        elif present:
            found[relpath] = ("ny", repo_path in untracked)
    return found


def _entries(listing: bytes) -> tuple[dict[str, bool], set[str]]:
    """From `git status --porcelain=v1 -z`: each path → whether HEAD holds it, and the untracked paths."""
    in_head: dict[str, bool] = {}
    untracked: set[str] = set()
    tokens = iter(listing.decode("utf-8", "surrogateescape").split("\0"))
    for token in tokens:
        code, repo_path = token[:2], token[3:]
        if code[:1] in ("R", "C"):  # a rename's source follows; renames are off, but never misread one
            next(tokens, None)
        if repo_path:
            in_head[repo_path] = in_head.get(repo_path, False) or code[0] not in "A?"
            if code == "??":
                untracked.add(repo_path)
    return in_head, untracked


def _folder(documents: str) -> str:
    folder = posixpath.normpath(documents.strip()).strip("/")
    if folder in ("", ".") or folder.startswith("../") or folder == "..":
        raise UsageError(f"dokumentmappen '{documents}' ligger inte i repositoriet")
    return folder


def _inside(path: str, folder: str) -> str:
    """The path, normalised, when it names a file under the documents folder."""
    normal = posixpath.normpath(path) if path else ""
    if path.startswith("/") or not normal.startswith(folder + "/") or ".." in normal.split("/"):
        raise UsageError(
            f"'{path}' ligger utanför dokumentmappen {folder}/",
            hint="bara filer under dokumentmappen checkas in från redigeraren",
        )
    return normal


def commit(root: Path, paths: list[str], message: str, *, documents: str | None = None) -> str:
    """Commit exactly `paths` (relative to the sb root, under the documents folder) with `message`
    and the author of the user's git configuration; return the new commit id. What else the user
    has staged stays staged and is not committed."""
    text = _message(message)
    folder = _folder(documents if documents is not None else _documents_setting(root))
    chosen = sorted({_inside(path, folder) for path in paths})
    if not chosen:
        raise UsageError("inga filer är valda", hint="välj de ändrade filer som ska checkas in")
    git = repository(root)
    _require_identity(git)
    status = _status(git, folder)
    unchanged = [path for path in chosen if path not in status]
    if unchanged:
        raise UsageError(
            f"ingen ändring att checka in i {', '.join(unchanged)}",
            hint="filen är som i senaste commit, eller ignoreras av .gitignore",
        )
    untracked = [git.repo_path(path) for path in chosen if status[path][1]]
    try:
        if untracked:  # `commit --only` takes only paths git knows
            git.run("--literal-pathspecs", "add", "--", *untracked)
        git.run(
            "--literal-pathspecs", "commit", "--only", "--quiet", "--no-gpg-sign", f"--message={text}",
            "--", *(git.repo_path(path) for path in chosen),
        )  # fmt: skip
    except GitError as error:
        if untracked:
            _unstage(git, untracked)
        raise _commit_error(str(error)) from None
    return git.run("rev-parse", "HEAD").decode().strip()


def _message(message: str) -> str:
    text = message.strip()
    if not text:
        raise UsageError("commit-meddelandet är tomt", hint="skriv vad ändringen gäller, t.ex. 'Protokoll LSVO'")
    if "\0" in text:
        raise UsageError("commit-meddelandet innehåller ett nolltecken")
    return text


def _documents_setting(root: Path) -> str:
    from sb_cli.io.repo import load_settings  # sb.toml, only when the caller has not read it

    return load_settings(root, root).documents


def _unstage(git: Git, repo_paths: list[str]) -> None:
    """Take back the files this commit staged, so a failed commit leaves the index as it was."""
    try:
        git.run("--literal-pathspecs", "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *repo_paths)
    except GitError:  # the index is locked by another git: what it was asked to stage stays staged
        pass


def _require_identity(git: Git) -> None:
    """user.name and user.email of the user's git configuration, or how to set them."""
    values = {key: _config(git, key) for key in ("user.name", "user.email")}
    missing = [key for key, value in values.items() if not value]
    if missing:
        raise UsageError(
            f"git vet inte vem som checkar in: {' och '.join(missing)} saknas i git-konfigurationen",
            hint='ange dem en gång i en terminal: git config --global user.name "Förnamn Efternamn" '
            "och git config --global user.email namn@exempel.se",
        )


def _config(git: Git, key: str) -> str:
    try:
        return git.run("config", "--get", key).decode("utf-8", "replace").strip()
    except GitError:  # not set
        return ""


# What a failed commit means, by what git says (LC_ALL=C), the first match.
_COMMIT_ERRORS = (
    ("index.lock", "ett annat git-kommando arbetar i repositoriet just nu (index.lock); försök igen om en stund"),
    ("partial commit during", "en sammanslagning, cherry-pick eller rebase pågår i git; gör klart den först"),
    ("nothing", "inget att checka in: filerna är som i senaste commit"),
    ("no changes", "inget att checka in: filerna är som i senaste commit"),
)


def _commit_error(stderr: str) -> UsageError:
    for needle, message in _COMMIT_ERRORS:
        if needle in stderr:
            return UsageError(message, hint=f"git: {stderr}")
    return UsageError("git commit misslyckades", hint=f"git: {stderr}")


_KEPT = "Din commit finns kvar i den lokala historiken; inget har gått förlorat."
# Why a push failed, by what git says (LC_ALL=C), the first match.
_PUSH_ERRORS = (
    (("[rejected]", "fetch first", "non-fast-forward"), "Uppströms har ändringar som inte finns här (någon "
     "annan har skickat först). Hämta dem med git pull och spara sedan igen."),
    (("[remote rejected]",), "Uppströms tog inte emot ändringen (till exempel en skyddad gren)."),
    (("Host key verification failed",), "ssh känner inte igen servern. Kör git push en gång i en terminal "
     "och bekräfta serverns nyckel."),
    (("could not read Username", "could not read Password", "terminal prompts disabled", "Authentication failed",
      "Permission denied", "error: 403", "error: 401"),
     "Inloggningen till uppströms misslyckades. Kör git push en gång i en terminal, så sparas inloggningen "
     "i din git-konfiguration (credential helper eller ssh-nyckel)."),
    (("not allowed",), "Redigeraren skickar bara över https eller ssh, eller till en mapp på datorn."),
    (("Could not resolve host", "unable to access", "Connection refused", "timed out", "unreachable",
      "Could not read from remote", "does not appear to be a git repository", "Connection closed"),
     "Kunde inte nå uppströms (nätverket eller adressen)."),
)  # fmt: skip
_ALLOWED_TRANSPORTS = ("https", "ssh", "file")


def push(root: Path, *, timeout: float = 120.0) -> PushResult:
    """Push the current branch to its upstream, if it has one, without force."""
    git = repository(root)
    try:
        branch = git.run("symbolic-ref", "--quiet", "--short", "HEAD").decode("utf-8", "surrogateescape").strip()
    except GitError:
        return PushResult("ingen uppströms", "Ingen gren är utcheckad, så det finns ingen uppströms gren. " + _KEPT)
    remote, merge = _config(git, f"branch.{branch}.remote"), _config(git, f"branch.{branch}.merge")
    if not remote or not merge or remote == ".":
        return PushResult(
            "ingen uppströms", f"Grenen {branch} har ingen uppströms gren, så ändringen skickades inte vidare. " + _KEPT
        )
    upstream = f"{remote}/{merge.removeprefix('refs/heads/')}"
    settings = _command_settings(git)
    command = ["git", *_SAFE, *_push_config(settings), "push", "--no-signed", "--recurse-submodules=no"]
    command += [*_receive_pack(settings, remote), "--", remote, f"refs/heads/{branch}:{merge}"]
    code, stderr = _run_push(command, git.top, _push_environment(), timeout)
    if code is None:
        return PushResult("misslyckad", f"git push svarade inte på {timeout:g} sekunder. " + _KEPT, upstream, stderr)
    if code == 0:
        return PushResult("skickad", f"Skickad till {upstream}.", upstream, stderr)
    return PushResult("misslyckad", f"{_push_reason(stderr)} {_KEPT}", upstream, stderr)


def _push_reason(stderr: str) -> str:
    for needles, reason in _PUSH_ERRORS:
        if any(needle in stderr for needle in needles):
            return reason
    return "git push misslyckades."


def _command_settings(git: Git) -> list[tuple[str, str, str]]:
    """(scope, key, value) of each setting that names a program git may run for a push, or a transport."""
    pattern = r"^(credential\..*helper|core\.askpass|core\.sshcommand|remote\..*\.receivepack|protocol\..*\.allow)$"
    try:
        listing = git.run("config", "--show-scope", "-z", "--get-regexp", pattern)
    except GitError:  # none set
        return []
    return _settings(listing.decode("utf-8", "surrogateescape"))


def _settings(listing: str) -> list[tuple[str, str, str]]:
    """`git config --show-scope -z` output as (scope, key, value): scope NUL key LF value NUL."""
    fields = listing.split("\0")
    found = []
    for scope, setting in zip(fields[0::2], fields[1::2], strict=False):
        key, _, value = setting.partition("\n")
        found.append((scope, key, value))
    return found


def _push_config(settings: list[tuple[str, str, str]]) -> list[str]:
    """The `-c` options of a push: the transports allowed, and the programs of the user's own
    configuration (system or global scope) in place of any the clone's configuration names."""
    own = [(key, value) for scope, key, value in settings if scope in ("system", "global") and "=" not in key]
    # credential helpers form a list: _SAFE's empty one cleared it; the user's own come back, in order
    helpers = [f"{key}={value}" for key, value in own if key.startswith("credential.")]
    options = [*_transports(settings), *helpers, *_programs(settings, own)]
    return [part for option in options for part in ("-c", option)]


def _transports(settings: list[tuple[str, str, str]]) -> list[str]:
    """https, ssh and a folder; every other transport off, also one the clone's configuration allows
    (a `protocol.<name>.allow` of its own outweighs _SAFE's `protocol.allow=never`)."""
    named = {key.split(".", 1)[1].rsplit(".", 1)[0] for _, key, _ in settings if key.startswith("protocol.")}
    refused = sorted(name for name in named if name not in _ALLOWED_TRANSPORTS and "=" not in name)
    return [f"protocol.{name}.allow=always" for name in _ALLOWED_TRANSPORTS] + [
        f"protocol.{name}.allow=never" for name in refused
    ]


def _programs(settings: list[tuple[str, str, str]], own: list[tuple[str, str]]) -> list[str]:
    """askpass stays as _SAFE blanked it unless the user has her own; the ssh command is the user's,
    or git's `ssh` when only the clone names one."""
    options = []
    for key, default in (("core.askpass", None), ("core.sshcommand", "ssh")):
        values = [value for name, value in own if name == key]
        if values:
            options.append(f"{key}={values[-1]}")
        elif default is not None and any(name == key for _, name, _ in settings):
            options.append(f"{key}={default}")
    return options


def _receive_pack(settings: list[tuple[str, str, str]], remote: str) -> list[str]:
    """git's own receive-pack when only the clone names one (for a remote folder it runs here). The
    first value read wins, so one from the user's own configuration needs nothing."""
    scopes = {scope for scope, key, _ in settings if key == f"remote.{remote}.receivepack"}
    return ["--receive-pack=git-receive-pack"] if scopes and not scopes & {"system", "global"} else []


def _push_environment() -> dict[str, str]:
    """The safe environment, with the user's own askpass and ssh programs back: they come from her
    session, not from the repository."""
    environment = _environment()
    for name in ("GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND"):
        if name in os.environ:
            environment[name] = os.environ[name]
    return environment


def _run_push(command: list[str], top: Path, environment: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """Exit code (None: timed out) and stderr. In its own session, so ssh finds no terminal to ask
    a passphrase on (the server would wait for an answer no one sees) and the whole group can be
    stopped at the timeout."""
    process = subprocess.Popen(
        command,
        cwd=top,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            process.kill()
        _, stderr = process.communicate()
        return None, stderr.decode("utf-8", "replace").strip()
    return process.returncode, stderr.decode("utf-8", "replace").strip()
