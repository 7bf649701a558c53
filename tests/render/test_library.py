"""`sb render` as a library call: the same decisions as the command (the check first, the git stamps,
the timestamp), so the same files, byte for byte with SOURCE_DATE_EPOCH, and the same refusals."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sb_cli.cli.app import app
from sb_cli.corpus import load_corpus
from sb_cli.io.repo import load_settings
from sb_cli.render import service
from sb_cli.reporters.findings import finding_lines
from tests.publish.conftest import AS_OF, EPOCH, case_repository

pytestmark = [pytest.mark.slow, pytest.mark.git]

RUTIN = "documents/rutin.md"
WHEEL = "documents/arshjul.yaml"  # a draft, changed after its commit
PROTOCOL = "documents/lsvo-1.yaml"
# What each case renders: the command's arguments, and the same as the library's keywords.
CASES = {
    "alla dokument, med fel": (
        ["--all", "--force", "--to", "md", "--to", "html"],
        [],
        {"formats": ("md", "html"), "force": True},
    ),
    "Word och PDF": ([RUTIN, PROTOCOL], [RUTIN, PROTOCOL], {}),
    "offentlig version": ([PROTOCOL, "--public", "--to", "docx"], [PROTOCOL], {"public": True, "formats": ("docx",)}),
    "protokollsutdrag": ([PROTOCOL, "--extract", "2", "--to", "pdf"], [PROTOCOL], {"extract": 2, "formats": ("pdf",)}),
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = case_repository(tmp_path_factory.mktemp("repo"))
    changed = root / WHEEL  # after its commit: the footer says so, from the library as from the command
    changed.write_text(changed.read_text("utf-8") + "# ändrad efter commit\n", "utf-8")
    return root


def cli(root: Path, out: Path, *args: str):
    """`sb render` with the documents named by their paths in the repository."""
    args = tuple(str(root / a) if a.startswith("documents/") else a for a in args)
    return CliRunner().invoke(
        app,
        ["render", *args, "--out", str(out), "--as-of", AS_OF, "--root", str(root)],
        env={"SOURCE_DATE_EPOCH": EPOCH},
        catch_exceptions=False,
    )


def library(root: Path, out: Path, paths: list[str], **options):
    settings = load_settings(root, root)
    loaded = load_corpus(settings)
    documents = (
        service.documents_at(settings, loaded.corpus, loaded.problems, [root / p for p in paths])
        if paths
        else list(loaded.corpus.documents)
    )
    return service.render(settings, loaded.corpus, documents, as_of=_day(), out=out, **options)


def _day():
    import datetime as dt

    return dt.date.fromisoformat(AS_OF)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_the_library_renders_the_same_files_as_the_command(repo, tmp_path, monkeypatch, case):
    arguments, paths, options = CASES[case]
    result = cli(repo, tmp_path / "kommando", *arguments)
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    written = library(repo, tmp_path / "bibliotek", paths, **options)
    assert sorted(p.name for p in written) == sorted(Path(line).name for line in result.stdout.splitlines())
    by_command, by_library = files(tmp_path / "kommando"), files(tmp_path / "bibliotek")
    assert by_command and by_library == by_command


def test_the_footer_stamp_says_the_source_changed_after_its_commit(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    library(repo, tmp_path, [WHEEL, RUTIN], formats=("md",))
    wheel, rutin = ((tmp_path / name).read_text("utf-8") for name in ("arshjul-test.md", "rutin-avvikelser.md"))
    assert "ändrad efter commit" in wheel and "ändrad" not in rutin and "commit " in rutin


WITHOUT_DECISIONS = ("    decisions: [godkänna dagordningen]\n", "")  # SB025: a kind B item without decisions
BROKEN = {
    "fel i dokumentet": (*WITHOUT_DECISIONS, [], "dokumenten renderas inte: rätta felen först, eller ange --force"),
    "personnummer i offentlig version": (
        "body: Information om uppföljningen.",
        "body: Information om 19121212-1212.",
        ["--public", "--force"],
        "en offentlig version med personnummer renderas aldrig, inte heller med --force",
    ),
    "fil som inte läses som dokument": (
        "chair: Ordf Ordförande",
        "chair: [1]",
        ["--force"],
        f"{PROTOCOL} renderas inte: rätta felen först",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_the_library_refuses_what_the_command_refuses_with_the_same_findings(tmp_path, monkeypatch, case):
    before, after, flags, message = BROKEN[case]
    root = case_repository(tmp_path / "repo")
    document = root / PROTOCOL
    text = document.read_text("utf-8")
    assert before in text
    document.write_text(text.replace(before, after, 1), "utf-8")
    result = cli(root, tmp_path / "kommando", PROTOCOL, "--to", "md", *flags)
    assert result.exit_code == 1
    assert f"sb: {message}" in result.stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    options = {"public": "--public" in flags, "force": "--force" in flags}
    with pytest.raises(service.NotRendered) as refused:
        library(root, tmp_path / "bibliotek", [PROTOCOL], formats=("md",), **options)
    assert refused.value.message == message
    assert "".join(line + "\n" for f in refused.value.findings for line in finding_lines(f)) == result.stdout
    assert not (tmp_path / "kommando").exists() and not (tmp_path / "bibliotek").exists()


def test_force_renders_a_document_with_errors_from_the_library_as_from_the_command(tmp_path, monkeypatch):
    root = case_repository(tmp_path / "repo")
    document = root / PROTOCOL
    document.write_text(document.read_text("utf-8").replace(*WITHOUT_DECISIONS, 1), "utf-8")
    assert cli(root, tmp_path / "kommando", PROTOCOL, "--to", "md", "--force").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    library(root, tmp_path / "bibliotek", [PROTOCOL], formats=("md",), force=True)
    assert files(tmp_path / "bibliotek") == files(tmp_path / "kommando") != {}
