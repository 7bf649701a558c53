"""io/gitsave.py ("Spara i git") against a real clone of a local bare repository."""

import subprocess
from pathlib import Path

import pytest

from sb_cli.errors import SbError
from sb_cli.io import gitsave
from sb_cli.io.gitsave import Change, changes, commit, push

pytestmark = pytest.mark.git

DOCUMENT = "id: {name}\ntype: rutin\ntitle: {name}\n"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def write(root: Path, relpath: str, text: str = "x: 1\n") -> None:
    (root / relpath).parent.mkdir(parents=True, exist_ok=True)
    (root / relpath).write_text(text, "utf-8")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git configuration of the test's own: the user's and the system's are never read."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(folder / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    return folder


def clone_of(upstream: Path, destination: Path) -> Path:
    git(upstream.parent, "clone", "-q", str(upstream), str(destination))
    git(destination, "config", "user.name", "Sekreterare Svensson")
    git(destination, "config", "user.email", "sekreterare@example.se")
    return destination


@pytest.fixture
def upstream(tmp_path: Path) -> Path:
    bare = tmp_path / "upstream.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    return bare


@pytest.fixture
def clone(tmp_path: Path, upstream: Path) -> Path:
    """A clone of `upstream` with two committed documents and a README, pushed."""
    work = clone_of(upstream, tmp_path / "work")
    git(work, "checkout", "-q", "-b", "main")
    for name in ("a", "b"):
        write(work, f"documents/{name}.yaml", DOCUMENT.format(name=name))
    write(work, "README.md", "Läs mig\n")
    write(work, ".gitignore", "*.tmp\n")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "start")
    git(work, "push", "-q", "-u", "origin", "main")
    return work


def committed(root: Path, revision: str = "HEAD") -> list[str]:
    return git(root, "show", "-z", "--name-only", "--format=", revision).strip("\0\n").split("\0")


def status(root: Path) -> str:
    return git(root, "status", "--porcelain=v1", "--untracked-files=all")


def test_changes_lists_each_file_under_documents_with_its_state(clone: Path) -> None:
    write(clone, "documents/a.yaml", DOCUMENT.format(name="a ändrad"))
    (clone / "documents" / "b.yaml").unlink()
    write(clone, "documents/möte 2026 å.yaml")
    write(clone, "documents/sub/ny.yaml")
    write(clone, "documents/staged.yaml")
    git(clone, "add", "documents/staged.yaml")
    write(clone, "documents/skräp.tmp")  # ignored
    write(clone, "README.md", "ändrad utanför\n")  # outside the documents folder
    assert changes(clone, "documents") == [
        Change("documents/a.yaml", "ändrad"),
        Change("documents/b.yaml", "borttagen"),
        Change("documents/möte 2026 å.yaml", "ny"),
        Change("documents/staged.yaml", "ny"),
        Change("documents/sub/ny.yaml", "ny"),
    ]


def test_a_moved_file_is_its_old_path_removed_and_its_new_path_new(clone: Path) -> None:
    git(clone, "mv", "documents/a.yaml", "documents/flyttad.yaml")
    assert changes(clone, "documents") == [
        Change("documents/a.yaml", "borttagen"),
        Change("documents/flyttad.yaml", "ny"),
    ]


def test_a_clean_tree_has_no_changes(clone: Path) -> None:
    assert changes(clone, "documents") == []


# File names that git quotes, that a shell or a pathspec would read otherwise, or that split lines.
AWKWARD_NAMES = [
    "möte å ä ö.yaml",
    'sagt "så".yaml',
    "rad\nbrytning.yaml",
    "-börjar med streck.yaml",
    "*.yaml",
    ":(top)magi.yaml",
    "tab\there.yaml",
    "back\\slash.yaml",
]


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_a_file_of_any_name_is_listed_and_committed_alone(clone: Path, name: str) -> None:
    path = f"documents/{name}"
    write(clone, path)
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    assert Change(path, "ny") in changes(clone, "documents")
    commit(clone, [path], "En fil", documents="documents")
    assert committed(clone) == [path]
    assert status(clone) == " M documents/a.yaml\n"  # neither committed nor staged


def test_commit_commits_exactly_the_chosen_files_and_keeps_what_else_is_staged(clone: Path) -> None:
    write(clone, "documents/a.yaml", DOCUMENT.format(name="a ändrad"))
    write(clone, "documents/möte å.yaml")
    write(clone, "documents/b.yaml", DOCUMENT.format(name="b ändrad"))  # changed, not chosen
    write(clone, "README.md", "staged av användaren\n")
    git(clone, "add", "README.md")
    write(clone, "documents/eget.yaml")
    git(clone, "add", "documents/eget.yaml")  # staged under documents, not chosen
    before = git(clone, "rev-parse", "HEAD").strip()
    made = commit(clone, ["documents/a.yaml", "documents/möte å.yaml"], "Protokoll LSVO")
    assert made == git(clone, "rev-parse", "HEAD").strip() != before
    assert git(clone, "rev-parse", "HEAD~1").strip() == before
    assert sorted(committed(clone)) == ["documents/a.yaml", "documents/möte å.yaml"]
    assert git(clone, "log", "-1", "--format=%B").strip() == "Protokoll LSVO"
    assert status(clone).splitlines() == ["M  README.md", " M documents/b.yaml", "A  documents/eget.yaml"]


def test_the_author_and_committer_are_the_users_git_identity(clone: Path, home: Path) -> None:
    git(home, "config", "--global", "user.name", "Global Person")  # the clone's own setting wins, as in git
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    commit(clone, ["documents/a.yaml"], "Ändrad")
    who = "Sekreterare Svensson <sekreterare@example.se>"
    assert git(clone, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == f"{who}|{who}"


@pytest.mark.parametrize("unset", [["user.name"], ["user.email"], ["user.name", "user.email"]])
def test_a_missing_identity_is_a_swedish_error_that_says_how_to_set_it(clone: Path, unset: list[str]) -> None:
    for key in unset:
        git(clone, "config", "--unset", key)
    write(clone, "documents/ny.yaml")
    before = status(clone)
    with pytest.raises(SbError) as raised:
        commit(clone, ["documents/ny.yaml"], "Ny")
    assert f"{' och '.join(unset)} saknas" in raised.value.message
    assert "git config --global user.name" in (raised.value.hint or "")
    assert status(clone) == before


@pytest.mark.parametrize("message", ["", "   ", "\n\t\n"])
def test_an_empty_message_is_refused(clone: Path, message: str) -> None:
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    with pytest.raises(SbError, match="commit-meddelandet är tomt"):
        commit(clone, ["documents/a.yaml"], message)


@pytest.mark.parametrize(
    "path",
    [
        "README.md",
        "../README.md",
        "/etc/passwd",
        "documents/../README.md",
        "documentsX/a.yaml",
        "documents",
        "documents/",
        ".git/config",
        "",
    ],
)
def test_a_path_outside_the_documents_folder_is_refused(clone: Path, path: str) -> None:
    write(clone, "README.md", "ändrad\n")
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    before = git(clone, "rev-parse", "HEAD")
    with pytest.raises(SbError, match="utanför dokumentmappen"):
        commit(clone, ["documents/a.yaml", path], "Försök")
    assert git(clone, "rev-parse", "HEAD") == before


@pytest.mark.parametrize("path", ["documents/a.yaml", "documents/finns-inte.yaml", "documents/skräp.tmp"])
def test_a_file_without_a_change_is_refused(clone: Path, path: str) -> None:
    write(clone, "documents/skräp.tmp")
    with pytest.raises(SbError, match="ingen ändring att checka in"):
        commit(clone, [path], "Inget")


def test_a_failed_commit_leaves_the_index_as_it_was(clone: Path) -> None:
    write(clone, "documents/ny.yaml")
    git(clone, "config", "user.name", "<>")  # git refuses a name of only such characters
    with pytest.raises(SbError, match="git commit misslyckades"):
        commit(clone, ["documents/ny.yaml"], "Ny")
    assert status(clone) == "?? documents/ny.yaml\n"


def test_a_deleted_file_is_committed_as_deleted(clone: Path) -> None:
    (clone / "documents" / "b.yaml").unlink()
    commit(clone, ["documents/b.yaml"], "Borttagen")
    assert git(clone, "show", "--name-status", "--format=", "HEAD").strip() == "D\tdocuments/b.yaml"


def test_the_documents_folder_comes_from_sb_toml(clone: Path) -> None:
    write(clone, "sb.toml", 'documents = "dokument"\n')
    write(clone, "dokument/ny.yaml")
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    commit(clone, ["dokument/ny.yaml"], "Ny")
    with pytest.raises(SbError, match="utanför dokumentmappen dokument/"):
        commit(clone, ["documents/a.yaml"], "Fel mapp")


def test_the_first_commit_of_a_new_repository(tmp_path: Path) -> None:
    root = tmp_path / "ny"
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    git(root, "config", "user.name", "S")
    git(root, "config", "user.email", "s@example.se")
    write(root, "documents/organisation.yaml")
    assert changes(root, "documents") == [Change("documents/organisation.yaml", "ny")]
    commit(root, ["documents/organisation.yaml"], "Början", documents="documents")
    assert committed(root) == ["documents/organisation.yaml"]
    assert push(root).state == "ingen uppströms"


def test_push_reaches_the_upstream(clone: Path, upstream: Path) -> None:
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    made = commit(clone, ["documents/a.yaml"], "Ändrad")
    result = push(clone)
    assert (result.state, result.pushed, result.upstream) == ("skickad", True, "origin/main")
    assert git(upstream, "log", "-1", "--format=%H").strip() == made


@pytest.mark.parametrize("detach", [False, True])
def test_without_an_upstream_the_result_says_so(clone: Path, upstream: Path, detach: bool) -> None:
    if detach:
        git(clone, "checkout", "-q", "--detach")
    else:
        git(clone, "branch", "--unset-upstream")
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    made = commit(clone, ["documents/a.yaml"], "Ändrad")
    result = push(clone)
    assert (result.state, result.pushed) == ("ingen uppströms", False)
    assert "ingen uppströms" in result.message and "finns kvar" in result.message
    assert git(clone, "rev-parse", "HEAD").strip() == made
    assert made not in git(upstream, "log", "--all", "--format=%H")


def test_a_rejected_push_is_a_clear_result_and_the_commit_stays(tmp_path: Path, clone: Path, upstream: Path) -> None:
    other = clone_of(upstream, tmp_path / "kollega")
    write(other, "documents/b.yaml", "kollegans: ändring\n")
    git(other, "commit", "-q", "-am", "Kollegan först")
    git(other, "push", "-q")
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    made = commit(clone, ["documents/a.yaml"], "Min ändring")
    result = push(clone)
    assert (result.state, result.pushed) == ("misslyckad", False)
    assert "git pull" in result.message and "inget har gått förlorat" in result.message
    assert "rejected" in result.detail
    assert git(clone, "rev-parse", "HEAD").strip() == made
    assert made not in git(upstream, "log", "--all", "--format=%H")


def test_an_unreachable_upstream_is_a_clear_result(clone: Path, tmp_path: Path) -> None:
    git(clone, "remote", "set-url", "origin", str(tmp_path / "borta.git"))
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    commit(clone, ["documents/a.yaml"], "Ändrad")
    result = push(clone)
    assert result.state == "misslyckad"
    assert "Kunde inte nå uppströms" in result.message and result.detail


def test_a_push_that_hangs_stops_at_the_timeout(clone: Path, home: Path) -> None:
    git(home, "config", "--global", "core.sshCommand", "sleep 30; :")
    git(clone, "remote", "set-url", "origin", "ssh://git.example.se/dokument.git")
    result = push(clone, timeout=0.5)
    assert result.state == "misslyckad" and "svarade inte på 0.5 sekunder" in result.message


def hook(folder: Path, name: str, marker: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    (folder / name).chmod(0o755)


@pytest.mark.parametrize("where", ["hooks", "committed"])
def test_no_hook_runs_on_commit_or_push(clone: Path, upstream: Path, tmp_path: Path, where: str) -> None:
    """As `git commit --no-verify` and `git push --no-verify`: the editor has checked the documents
    already, and a hook is a program the clone's folder names."""
    marker = tmp_path / "hook-ran"
    folder = clone / ".git" / "hooks" if where == "hooks" else clone / "krokar"
    if where == "committed":
        git(clone, "config", "core.hooksPath", "krokar")
    for name in ("pre-commit", "commit-msg", "prepare-commit-msg", "post-commit", "pre-push", "reference-transaction"):
        hook(folder, name, marker)
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    made = commit(clone, ["documents/a.yaml"], "Ändrad")
    assert push(clone).pushed
    assert not marker.exists()
    assert git(upstream, "log", "-1", "--format=%H").strip() == made


def test_push_runs_no_program_the_clones_own_config_names(clone: Path, upstream: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    git(clone, "config", "remote.origin.receivepack", f"touch '{marker}'; git-receive-pack")
    git(clone, "config", "credential.helper", f"!touch '{marker}'")
    git(clone, "config", "core.askPass", f"touch '{marker}'")
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    made = commit(clone, ["documents/a.yaml"], "Ändrad")
    assert push(clone).pushed
    assert not marker.exists()
    assert git(upstream, "log", "-1", "--format=%H").strip() == made


def test_a_commit_is_not_signed_and_runs_no_signing_program(clone: Path, tmp_path: Path) -> None:
    marker = tmp_path / "gpg-ran"
    git(clone, "config", "commit.gpgSign", "true")
    git(clone, "config", "gpg.program", str(clone / "gpg.sh"))
    (clone / "gpg.sh").write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    (clone / "gpg.sh").chmod(0o755)
    write(clone, "documents/a.yaml", "ändrad: ja\n")
    commit(clone, ["documents/a.yaml"], "Ändrad")
    assert not marker.exists()
    assert committed(clone) == ["documents/a.yaml"]


@pytest.mark.parametrize("own", [False, True])
def test_the_ssh_command_is_the_users_never_the_clones(clone: Path, home: Path, tmp_path: Path, own: bool) -> None:
    clones, users = tmp_path / "clone-ssh", tmp_path / "user-ssh"
    git(clone, "config", "core.sshCommand", f"touch '{clones}'; false")
    if own:
        git(home, "config", "--global", "core.sshCommand", f"touch '{users}'; false")
    git(clone, "remote", "set-url", "origin", "ssh://git.invalid/dokument.git")
    result = push(clone, timeout=20)
    assert result.state == "misslyckad"
    assert not clones.exists()
    assert users.exists() == own


@pytest.mark.parametrize(
    "url", ["ext::sh -c touch% {marker}", "fd::3", "http://127.0.0.1:9/x.git", "git://127.0.0.1:9/x"]
)
def test_push_uses_only_https_ssh_and_local_folders(clone: Path, tmp_path: Path, url: str) -> None:
    marker = tmp_path / "ext-ran"
    for name in ("ext", "fd", "http", "git"):
        git(clone, "config", f"protocol.{name}.allow", "always")  # the clone's config cannot widen them
    git(clone, "remote", "set-url", "origin", url.format(marker=marker))
    result = push(clone, timeout=20)
    assert result.state == "misslyckad" and "bara över https eller ssh" in result.message
    assert not marker.exists()


def test_the_users_own_credential_helpers_are_kept_and_the_clones_dropped() -> None:
    settings = [
        ("system", "credential.helper", "manager"),
        ("global", "credential.https://dev.example.se.helper", "store"),
        ("local", "credential.helper", "!touch /tmp/x"),
        ("global", "core.askpass", "/usr/bin/ksshaskpass"),
        ("local", "core.sshcommand", "evil"),
        ("command", "credential.helper", ""),
    ]
    options = gitsave._push_config(settings)[1::2]
    assert [o for o in options if o.startswith("credential.")] == [
        "credential.helper=manager",
        "credential.https://dev.example.se.helper=store",
    ]
    assert "core.askpass=/usr/bin/ksshaskpass" in options and "core.sshcommand=ssh" in options
    assert not any("touch" in o or "evil" in o for o in options)
    clones = [("local", "remote.origin.receivepack", "evil")]
    assert gitsave._receive_pack(clones, "origin") == ["--receive-pack=git-receive-pack"]
    assert gitsave._receive_pack([("global", "remote.origin.receivepack", "mine"), *clones], "origin") == []


def test_outside_a_repository_or_without_git_the_errors_are_swedish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "inte-git"
    plain.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for call in (lambda: changes(plain, "documents"), lambda: push(plain), lambda: commit(plain, ["documents/a"], "m")):
        with pytest.raises(SbError, match="inte ett git-repositorium"):
            call()
    monkeypatch.setenv("PATH", str(tmp_path / "tom"))
    with pytest.raises(SbError, match="git finns inte på datorn"):
        changes(plain, "documents")
