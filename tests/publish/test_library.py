"""`sb publish` as a library call and as named stages: the same site as the command, byte for byte
with SOURCE_DATE_EPOCH, the same refusals, and every stage named, timed and safe to fail in."""

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sb_cli.cli.app import app
from sb_cli.errors import SbError
from sb_cli.io.cache import Cache
from sb_cli.io.repo import load_settings
from sb_cli.publish import site
from sb_cli.reporters.findings import finding_lines
from tests.publish.conftest import AS_OF, EPOCH, case_repository, publish_site
from tests.publish.test_publish import unordered

pytestmark = [pytest.mark.slow, pytest.mark.git]

STAGES = ["load", "check", "views", "pages", "search", "feeds", "files", "leaks", "swap"]
RUTIN = "documents/rutin.md"
ERROR_IN_RUTIN = ("status: beslutad", "status: beslutad\nowner: [inte en ägare]")  # SB002, a published document


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not unordered(p)
    }


def library(root: Path, out: Path, **options) -> site.Built:
    return site.publish(load_settings(root, root), out=out, as_of=dt.date.fromisoformat(AS_OF), **options)


def cli(root: Path, out: Path, *extra: str):
    return CliRunner().invoke(
        app,
        ["publish", "--root", str(root), "--out", str(out), "--as-of", AS_OF, *extra],
        env={"SOURCE_DATE_EPOCH": EPOCH},
        catch_exceptions=False,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return case_repository(tmp_path_factory.mktemp("repo"))


@pytest.fixture(scope="module")
def broken_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The case corpus with an error in a styrdokument that would be published."""
    root = case_repository(tmp_path_factory.mktemp("repo-fel"))
    rutin = root / RUTIN
    text = rutin.read_text("utf-8")
    assert ERROR_IN_RUTIN[0] in text
    rutin.write_text(text.replace(*ERROR_IN_RUTIN, 1), "utf-8")
    return root


@pytest.mark.parametrize("skip_invalid", [False, True], ids=["hela", "--skip-invalid"])
def test_the_library_builds_the_same_site_as_the_command(repo, broken_repo, tmp_path, monkeypatch, skip_invalid):
    root = broken_repo if skip_invalid else repo
    result = cli(root, tmp_path / "kommando", *(["--skip-invalid"] if skip_invalid else []))
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    built = library(root, tmp_path / "bibliotek", skip_invalid=skip_invalid)
    by_command, by_library = files(tmp_path / "kommando"), files(tmp_path / "bibliotek")
    assert len(by_command) > 40 and by_library == by_command
    summary = f"{built.pages} sidor och {built.files} PDF- och Word-filer i {built.out} "
    assert summary.replace("bibliotek", "kommando") in result.stderr
    for path, why in built.left_out:
        assert f"sb: {path} publiceras inte: {why}" in result.stderr
    assert (RUTIN in dict(built.left_out)) is skip_invalid


def test_the_library_stops_where_the_command_stops_with_the_same_findings(broken_repo, tmp_path, monkeypatch):
    result = cli(broken_repo, tmp_path / "kommando")
    assert result.exit_code == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    with pytest.raises(site.Blocked) as blocked:
        library(broken_repo, tmp_path / "bibliotek")
    assert "".join(line + "\n" for f in blocked.value.findings for line in finding_lines(f)) == result.stdout
    assert f"sb: {blocked.value.message} (--skip-invalid lämnar dem utanför)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_stages_run_in_order_each_named_and_timed(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    finished: list[tuple[str, float]] = []
    shown: list[tuple[str, int, int]] = []
    loading: list[tuple[int, int]] = []
    watch = site.Watch(
        loading=lambda *count: loading.append(count),
        progress=lambda *step: shown.append(step),
        finished=lambda s, t: finished.append((s.name, t)),
    )
    library(repo, tmp_path / "site", watch=watch)
    files = len(list((repo / "documents").rglob("*.*"))) - 1  # organisation.yaml is read apart
    assert loading and loading[-1] == (files, files)
    assert [name for name, _seconds in finished] == [s.name for s in site.STAGES] == STAGES
    assert all(seconds >= 0 for _name, seconds in finished)
    stage_steps = [step for step in shown if not step[0].startswith(("filer ", "kontroll "))]
    assert stage_steps == [(s.label, number, len(STAGES)) for number, s in enumerate(site.STAGES)]
    checked = [step for step in shown if step[0].startswith("kontroll ")]
    assert checked[-1] == (f"kontroll {files}/{files}", STAGES.index("check"), len(STAGES))
    rendered = [step for step in shown if step[0].startswith("filer ")]
    assert rendered and all(step[1:] == (STAGES.index("files"), len(STAGES)) for step in rendered)


def test_verbose_prints_each_stage_and_its_time_in_swedish(repo, tmp_path):
    result = cli(repo, tmp_path / "site", "--verbose")
    assert result.exit_code == 0, result.output
    timed = re.findall(r"^sb: (.+) (\d+,\d\d) s$", result.stderr, re.MULTILINE)
    assert [label for label, _ in timed] == [s.label for s in site.STAGES] + ["totalt"]
    quiet = cli(repo, tmp_path / "site")
    assert quiet.exit_code == 0 and not re.search(r"\d,\d\d s$", quiet.stderr, re.MULTILINE)


@pytest.fixture(scope="module")
def old_site(repo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_site(repo, tmp_path_factory.mktemp("gammal") / "site")


class Stopped(SbError):
    pass


@pytest.mark.parametrize("failing", STAGES)
def test_a_build_that_fails_in_any_stage_leaves_the_old_site_whole_and_nothing_beside_it(
    repo, old_site, tmp_path, monkeypatch, failing
):
    out = tmp_path / "webb" / "site"
    shutil.copytree(old_site, out, symlinks=True)
    before = files(out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)

    def stop(build) -> None:
        raise Stopped(f"stoppat i steget {failing}")

    stages = tuple(dataclasses.replace(s, run=stop) if s.name == failing else s for s in site.STAGES)
    monkeypatch.setattr(site, "STAGES", stages)
    with pytest.raises(Stopped), Cache(tmp_path / "cache") as cache:
        library(repo, out, cache=cache)
    assert files(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["site"]
