"""Where every `--out` of every command writes (SPEC §8): a regular file by a rename, a character
device or FIFO as a stream, anything else refused with exit 2; and nothing sb creates goes through a
symbolic link that leads out of the folder it writes in. The rule is one function, `write_atomic`;
its cases come first, then each command that writes, as a user runs it."""

import os
import socket
import stat
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import typer

from sb_cli.cli.app import app
from sb_cli.errors import SbError
from sb_cli.io.atomic import create_atomic, write_atomic
from tests.conftest import sb

AS_OF = ("--as-of", "2026-11-22")
ROOT = os.geteuid() == 0  # device nodes can be made only by root
PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"
RENDERED = "LSVO-2023-06-16.md"


# --- the kinds of thing a name can be --------------------------------------------------------------


def fifo(path: Path) -> None:
    os.mkfifo(path)


def character_device(path: Path) -> None:
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is


def block_device(path: Path) -> None:
    os.mknod(path, stat.S_IFBLK | 0o600, os.makedev(7, 0))  # a loop device's node; never opened


def unix_socket(path: Path) -> None:
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(path))
    listening.close()  # the node stays


def folder(path: Path) -> None:
    path.mkdir()


def kind(path: Path) -> str:
    mode = path.lstat().st_mode
    for name, test in (("fifo", stat.S_ISFIFO), ("chr", stat.S_ISCHR), ("blk", stat.S_ISBLK), ("sock", stat.S_ISSOCK)):
        if test(mode):
            return name
    return "dir" if stat.S_ISDIR(mode) else "link" if stat.S_ISLNK(mode) else "file"


@contextmanager
def reading(path: Path) -> Iterator[list[bytes]]:
    """A reader on the FIFO `path` while the block runs: what it read, once the writer is done."""
    got: list[bytes] = []
    thread = threading.Thread(target=lambda: got.append(path.read_bytes()), daemon=True)
    thread.start()
    try:
        yield got
    finally:
        if thread.is_alive():  # nobody wrote: open it for writing so that the reader ends
            with open(path, "wb"):
                pass
        thread.join(timeout=10)


needs_root = pytest.mark.skipif(not ROOT, reason="bara root kan göra enhetsfiler")


@pytest.fixture
def dev_null() -> Iterator[Path]:
    """/dev/null, made again after the test if a write replaced it (the machine needs it)."""
    yield Path("/dev/null")
    if ROOT and kind(Path("/dev/null")) != "chr":
        os.remove("/dev/null")
        character_device(Path("/dev/null"))
        os.chmod("/dev/null", 0o666)
        pytest.fail("/dev/null byttes mot en vanlig fil")


# --- the rule itself ------------------------------------------------------------------------------

REFUSED_NODES: dict[str, Callable[[Path], None]] = {
    "a socket": unix_socket,
    "a block device": pytest.param(block_device, marks=needs_root),
}


@pytest.mark.parametrize("make", REFUSED_NODES.values(), ids=REFUSED_NODES.keys())
def test_a_socket_or_block_device_is_refused_and_stays_what_it_is(tmp_path, make):
    target = tmp_path / "ut.csv"
    make(target)
    before = kind(target)
    with pytest.raises(SbError, match="sb skriver bara en vanlig fil"):
        write_atomic(target, b"data")
    assert kind(target) == before and sorted(p.name for p in tmp_path.iterdir()) == ["ut.csv"]


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, b"data", within=tmp_path.parent)


def test_a_fifo_is_written_into_as_a_stream(tmp_path):
    target = tmp_path / "rör"
    fifo(target)
    with reading(target) as got:
        write_atomic(target, b"data" * 100_000)  # more than a pipe holds: the reader must take it as it comes
    assert got == [b"data" * 100_000] and kind(target) == "fifo"


@needs_root
def test_a_character_device_is_written_into_and_stays_a_device(tmp_path, dev_null):
    target = tmp_path / "null"
    character_device(target)
    write_atomic(target, b"data")
    assert kind(target) == "chr"
    write_atomic(dev_null, b"data")
    assert kind(dev_null) == "chr"


def test_a_link_to_a_stream_is_followed_wherever_it_leads(tmp_path):
    target = tmp_path / "rör"
    fifo(target)
    (tmp_path / "ut").mkdir()
    (tmp_path / "ut" / "länk").symlink_to(target)
    with reading(target) as got:
        write_atomic(tmp_path / "ut" / "länk", b"data")
    assert got == [b"data"]


def test_create_never_writes_into_a_stream_or_through_a_link(tmp_path):
    fifo(tmp_path / "rör")
    (tmp_path / "länk").symlink_to(tmp_path / "saknas")
    for name in ("rör", "länk"):
        with pytest.raises(FileExistsError):
            create_atomic(tmp_path / name, b"data")
    assert not (tmp_path / "saknas").exists()


# Links on the way to a file: each lays them out in `inside` (towards `outside`) and returns the
# path written, relative to `inside`.
def _link(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def folder_on_the_way(inside: Path, outside: Path) -> str:
    _link(inside / "schemas", outside)
    return "schemas/a.json"


def deeper_folder(inside: Path, outside: Path) -> str:
    _link(inside / "a" / "b", outside)
    return "a/b/c/d.json"


def the_file_itself(inside: Path, outside: Path) -> str:
    _link(inside / "a.json", outside / "a.json")
    return "a.json"


def dangling_link(inside: Path, outside: Path) -> str:
    _link(inside / "a.json", outside / "ny.json")
    return "a.json"


def relative_link_with_dots(inside: Path, outside: Path) -> str:
    _link(inside / "s", Path("..") / outside.name)
    return "s/a.json"


def link_inside_to_a_link_out(inside: Path, outside: Path) -> str:
    _link(inside / "ut", outside)
    _link(inside / "via", Path("ut"))
    return "via/a.json"


OUTWARD = [
    folder_on_the_way,
    deeper_folder,
    the_file_itself,
    dangling_link,
    relative_link_with_dots,
    link_inside_to_a_link_out,
]


@pytest.mark.parametrize("lay_out", OUTWARD, ids=[f.__name__ for f in OUTWARD])
@pytest.mark.parametrize("write", [write_atomic, create_atomic], ids=["write", "create"])
def test_nothing_is_written_through_a_link_out_of_the_folder(tmp_path, lay_out, write):
    inside, outside = tmp_path / "mapp", tmp_path / "utanför"
    inside.mkdir()
    outside.mkdir()
    (outside / "a.json").write_bytes(b"orort")
    relative = lay_out(inside, outside)
    with pytest.raises((SbError, FileExistsError)) as refused:
        write(inside / relative, b"data", within=inside)
    if isinstance(refused.value, SbError):
        assert "symbolisk länk som leder ut ur" in refused.value.message
    assert sorted(p.name for p in outside.iterdir()) == ["a.json"] and (outside / "a.json").read_bytes() == b"orort"


def test_a_link_that_stays_inside_is_followed(tmp_path):
    inside = tmp_path / "mapp"
    (inside / "riktig").mkdir(parents=True)
    (inside / "genväg").symlink_to("riktig")
    (inside / "riktig" / "fil.json").write_bytes(b"gammal")
    (inside / "länk.json").symlink_to("riktig/fil.json")
    write_atomic(inside / "genväg" / "ny.json", b"ny", within=inside)
    write_atomic(inside / "länk.json", b"andrad", within=inside)
    assert (inside / "riktig" / "ny.json").read_bytes() == b"ny"
    assert (inside / "riktig" / "fil.json").read_bytes() == b"andrad" and (inside / "länk.json").is_symlink()


# --- every --out of every command -----------------------------------------------------------------

# The commands whose --out is one file, and the arguments that write it.
FILE_COMMANDS = {
    "calendar": ("calendar",),
    "list": ("list", "--format", "json"),
    "report expiring": ("report", "expiring", "--format", "json"),
    "report overdue": ("report", "overdue", "--format", "csv"),
    "report decisions": ("report", "decisions", "--format", "markdown"),
    "report arshjul": ("report", "arshjul", "--format", "json"),
    "report adoption": ("report", "adoption", "--format", "xlsx"),
}
# The commands whose --out is a folder they write files in, tested below one by one.
FOLDER_COMMANDS = {"render", "compare", "schemas", "import", "publish"}
# sb sign writes its one file through write_atomic, as the file commands above do; its input is a
# rendered PDF and a key, so tests/signing runs it (and its refusal to write over the input).
SIGNING_COMMANDS = {"sign"}


def commands_with_out() -> set[str]:
    found: set[str] = set()

    def walk(command, name: str) -> None:
        for sub, inner in getattr(command, "commands", {}).items():
            walk(inner, f"{name} {sub}".strip())
        if any("--out" in getattr(param, "opts", ()) for param in command.params):
            found.add(name)

    walk(typer.main.get_command(app), "")
    return found


def test_every_command_with_out_is_in_the_case_set():
    assert commands_with_out() == set(FILE_COMMANDS) | FOLDER_COMMANDS | SIGNING_COMMANDS


STREAMS: dict[str, Callable[[Path], None]] = {
    "a fifo": fifo,
    "a character device": pytest.param(character_device, marks=needs_root),
}


@pytest.mark.slow
@pytest.mark.parametrize("command", FILE_COMMANDS.values(), ids=FILE_COMMANDS.keys())
def test_out_streams_into_a_fifo_or_device_and_refuses_a_socket(repo, tmp_path_factory, dev_null, command):
    def run(*arguments: object):
        return sb(*arguments, cwd=repo, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})  # xlsx: when made

    where = tmp_path_factory.mktemp("ut")
    regular = where / "vanlig"
    assert run(*command, "--out", regular, "--root", repo, *AS_OF).returncode == 0
    fifo(where / "rör")
    with reading(where / "rör") as got:
        streamed = run(*command, "--out", where / "rör", "--root", repo, *AS_OF)
    assert streamed.returncode == 0, streamed.stderr
    assert got == [regular.read_bytes()] and kind(where / "rör") == "fifo"
    unix_socket(where / "uttag")
    refused = run(*command, "--out", where / "uttag", "--root", repo, *AS_OF)
    assert refused.returncode == 2 and "är en socket" in refused.stderr, refused.stderr
    assert kind(where / "uttag") == "sock"
    if ROOT:  # the example: as root, --out /dev/null stays the device
        assert run(*command, "--out", dev_null, "--root", repo, *AS_OF).returncode == 0
        assert kind(dev_null) == "chr"
        character_device(where / "null")
        assert run(*command, "--out", where / "null", "--root", repo, *AS_OF).returncode == 0
        assert kind(where / "null") == "chr"
    assert sorted(p.name for p in where.iterdir()) == sorted(["vanlig", "rör", "uttag", *(["null"] if ROOT else [])])


@pytest.mark.slow
@pytest.mark.parametrize("make", STREAMS.values(), ids=STREAMS.keys())
def test_render_streams_into_a_fifo_or_device_among_its_files(repo, make):
    render = ("render", PROTOCOL, "--to", "md", *AS_OF)
    assert sb(*render, "--out", repo / "vanlig", cwd=repo).returncode == 0
    out = repo / "ut"
    out.mkdir()
    make(out / RENDERED)
    if kind(out / RENDERED) == "fifo":
        with reading(out / RENDERED) as got:
            result = sb(*render, "--out", out, cwd=repo)
        assert got == [(repo / "vanlig" / RENDERED).read_bytes()]
    else:
        result = sb(*render, "--out", out, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert kind(out / RENDERED) in ("fifo", "chr") and [p.name for p in out.iterdir()] == [RENDERED]


@pytest.mark.slow
def test_render_schemas_and_import_refuse_a_socket_among_their_files(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("ut")
    unix_socket(out / RENDERED)
    rendered = sb("render", PROTOCOL, "--to", "md", "--out", out, *AS_OF, cwd=repo)
    assert rendered.returncode == 2 and "är en socket" in rendered.stderr, rendered.stderr
    schemas = tmp_path_factory.mktemp("scheman")
    unix_socket(schemas / "document.schema.json")
    written = sb("schemas", "--out", schemas, cwd=repo)
    assert written.returncode == 2 and "är en socket" in written.stderr, written.stderr
    source = tmp_path_factory.mktemp("källa") / "rutin.txt"
    source.write_text("Rutin för avvikelser\n\nSyfte\n\nRutinen beskriver hur avvikelser hanteras.\n", "utf-8")
    drafts = tmp_path_factory.mktemp("utkast")
    unix_socket(drafts / "rutin-for-avvikelser.md")
    imported = sb("import", source, "--type", "rutin", "--out", drafts, "--force", *AS_OF, cwd=repo)
    assert imported.returncode == 2 and "är en socket" in imported.stderr, imported.stderr
    assert kind(out / RENDERED) == kind(schemas / "document.schema.json") == "sock"
    assert kind(drafts / "rutin-for-avvikelser.md") == "sock"


# --- links out of the folder a command writes in, command by command ------------------------------


def _rutin(where: Path) -> Path:
    source = where / "rutin.txt"
    source.write_text("Rutin för avvikelser\n\nSyfte\n\nRutinen beskriver hur avvikelser hanteras.\n", "utf-8")
    return source


# Each case lays out a link from where a command writes to `outside` and returns the command's
# arguments; it runs in `repo` (a copy of the shipped documents); `new` is a folder it may make.
def init_schemas(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    _link(new / "schemas", outside)  # the example
    return ("init", new)


def init_documents(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    _link(new / "documents", outside)
    return ("init", new)


def init_github(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    _link(new / ".github", outside)
    return ("init", new)


def schemas_file(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    _link(new / "document.schema.json", outside / "a.json")
    return ("schemas", "--out", new)


def import_out_file(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    _link(new / "rutin-for-avvikelser.md", outside / "a.json")
    return ("import", _rutin(outside.parent), "--type", "rutin", "--out", new, "--force", *AS_OF)


def import_documents_folder(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    (repo / "documents" / "styrdokument").rename(new)
    _link(repo / "documents" / "styrdokument", outside)
    return ("import", _rutin(outside.parent), "--type", "rutin", *AS_OF)


def render_default_folder(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    _link(repo / "ut", outside)
    return ("render", PROTOCOL, "--to", "md", *AS_OF)


def render_out_file(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    _link(new / RENDERED, outside / "a.json")
    return ("render", PROTOCOL, "--to", "md", "--out", new, *AS_OF)


COMPARED = "ledningssystem-2021-1.0-1.1.md"


def _revised(repo: Path) -> None:
    """The ledningssystem 1.0 committed, and a draft 1.1 in the working copy: what sb compare compares."""
    identity = ["-c", "user.name=S", "-c", "user.email=s@example.se"]
    for arguments in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", "1.0"]):
        subprocess.run(["git", *arguments], cwd=repo, check=True, capture_output=True)
    path = repo / "documents" / "styrdokument" / "ledningssystem-2021.md"
    text = (
        path.read_text("utf-8")
        .replace('version: "1.0"', 'version: "1.1"')
        .replace("status: beslutad", "status: utkast")
    )
    path.write_text(text, "utf-8")


def compare_default_folder(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    _revised(repo)
    _link(repo / "ut", outside)
    return ("compare", "ledningssystem-2021", "--format", "md", *AS_OF)


def compare_out_file(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    _revised(repo)
    _link(new / COMPARED, outside / "a.json")
    return ("compare", "ledningssystem-2021", "--format", "md", "--out", new, *AS_OF)


def publish_default_folder(repo: Path, new: Path, outside: Path) -> tuple[object, ...]:
    (outside / "a.json").unlink()  # an empty folder, which --out could name
    _link(repo / "site", outside)
    return ("publish", "--draft-site", *AS_OF)


LINKED = [
    init_schemas,
    init_documents,
    init_github,
    schemas_file,
    import_out_file,
    import_documents_folder,
    render_default_folder,
    render_out_file,
    compare_default_folder,
    compare_out_file,
    publish_default_folder,
]


def tree(top: Path) -> dict[str, bytes]:
    return {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [pytest.param(f, marks=[pytest.mark.git] if f.__name__.startswith("compare") else []) for f in LINKED],
    ids=[f.__name__ for f in LINKED],
)
def test_no_command_writes_through_a_link_out_of_its_folder(repo, tmp_path_factory, case):
    place = tmp_path_factory.mktemp("plats")
    outside = place / "utanför"
    outside.mkdir()
    (outside / "a.json").write_bytes(b"orort")
    arguments = case(repo, place / "ny", outside)
    result = sb(*arguments, cwd=repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "sb: fel:" in result.stderr and "Traceback" not in result.stderr
    assert "symbolisk länk som leder ut ur" in result.stderr or "hamnar utanför" in result.stderr, result.stderr
    assert tree(outside) == ({} if case is publish_default_folder else {"a.json": b"orort"})
    if arguments[0] == "init":  # nothing at all is written, not even beside the link
        assert len(list((place / "ny").iterdir())) == 1


def test_init_follows_a_link_that_stays_in_the_repository(tmp_path):
    (tmp_path / "ny" / "delat" / "scheman").mkdir(parents=True)
    (tmp_path / "ny" / "schemas").symlink_to(Path("delat") / "scheman")
    result = sb("init", tmp_path / "ny", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "ny" / "delat" / "scheman").glob("*.schema.json"))) == 20


@pytest.mark.slow
def test_a_link_in_the_old_site_is_never_taken_into_the_new_one(tmp_path):
    from tests.conftest import CASES, build_repo

    root = build_repo(CASES / "publish", tmp_path / "repo")
    out, outside = tmp_path / "site", tmp_path / "utanför"
    outside.mkdir()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    publish = ("publish", "--root", root, "--out", out, *AS_OF)
    assert sb(*publish, cwd=root, env=env).returncode == 0
    planted = {"dokument/rutin-avvikelser/rutin-avvikelser.pdf": b"HEMLIG PDF", "pagefind/pagefind.js": b"HEMLIG JS"}
    for name, secret in planted.items():
        (outside / Path(name).name).write_bytes(secret)
        (out / name).unlink()
        (out / name).symlink_to(outside / Path(name).name)
    rebuilt = sb(*publish, cwd=root, env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    for name, secret in planted.items():
        assert kind(out / name) == "file" and (out / name).read_bytes() != secret
        assert (outside / Path(name).name).stat().st_nlink == 1  # not linked into the site either
    assert not [p for p in out.rglob("*") if p.is_symlink()]
