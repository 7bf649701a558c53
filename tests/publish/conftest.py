"""Built sites for the tests of the public site, each built once per module: the publish case corpus
(in a git repository, so the styrdokument have their versions), the same with its årshjul decided,
and the shipped corpus; and a server for them on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sb_cli.cli.app import app
from tests.conftest import CASES, REPO, build_repo
from tools.golden import commit_all

AS_OF = "2026-11-22"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
CASE_SETTINGS = 'site_name = "Samverkan Test"\naccessibility_contact = "webb@example.se"\n'
DECIDED_WHEEL = [
    ("status: utkast\n", "status: beslutad\n"),
    (
        'version: "0.1"\n',
        'version: "1.0"\ndecided: {by: LSVO, date: 2026-01-16, ref: "LSVO-2026-01-16 §1"}\n'
        "valid_from: 2027-01-01\nreview_by: 2027-12-31\n",
    ),
]


def publish_site(root: Path, out: Path, *extra: str, epoch: str = EPOCH, as_of: str = AS_OF) -> Path:
    """`sb publish` as the secretary runs it, with SOURCE_DATE_EPOCH set; fails the test on any error."""
    result = CliRunner().invoke(
        app,
        ["publish", "--root", str(root), "--out", str(out), "--as-of", as_of, *extra],
        env={"SOURCE_DATE_EPOCH": epoch},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file(), result.output
    return out


# The rutin's version 1.1, decided at the second meeting: one word changed, one paragraph added.
REVISED_RUTIN = [
    ('version: "1.0"', 'version: "1.1"'),
    ('date: 2026-01-16, ref: "LSVO-2026-01-16 §2"', 'date: 2026-02-13, ref: "LSVO-2026-02-13 §4"'),
    ("Se [protokollet]", "Läs [protokollet]"),
    ("(avtal.yaml).\n", "(avtal.yaml).\n\nAvvikelser rapporteras till LSVO inom två veckor.\n"),
]


def revise(path: Path, edits: list[tuple[str, str]]) -> None:
    """The file with each text replaced by its new one; each must be there."""
    text = path.read_text("utf-8")
    for old, new in edits:
        assert old in text, f"{path.name} har inte {old!r}"
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")


def case_repository(destination: Path, *, decided_wheel: bool = False, revised: bool = False) -> Path:
    """The publish case corpus as a git repository with one commit at a fixed time; with
    `decided_wheel` its årshjul is decided, so the site shows the wheel; with `revised` a second
    commit decides the rutin's version 1.1, so the site has a "Vad ändrades" page."""
    root = build_repo(CASES / "publish", destination)
    if not (root / "sb.toml").exists():  # who publishes: sb publish builds no site without it (SPEC §8)
        (root / "sb.toml").write_text(CASE_SETTINGS, "utf-8")
    if decided_wheel:
        wheel = root / "documents" / "arshjul.yaml"
        text = wheel.read_text("utf-8")
        for draft, decided in DECIDED_WHEEL:
            assert draft in text, f"{wheel.name} har inte raden {draft!r}"
            text = text.replace(draft, decided)
        wheel.write_text(text, "utf-8")
    commit_all(root)  # as the goldens were made: one commit at a fixed time and author
    if revised:
        revise(root / "documents" / "rutin.md", REVISED_RUTIN)
        commit_all(root)
    return root


@pytest.fixture(scope="module")
def case_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return case_repository(tmp_path_factory.mktemp("repo"))


@pytest.fixture(scope="module")
def built_site(case_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the publish case corpus, built with SOURCE_DATE_EPOCH=1767225600: its folder."""
    return publish_site(case_repo, tmp_path_factory.mktemp("webb") / "site")


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The case corpus with its årshjul decided: the wheel as SVG on the årshjul page and its own page;
    and its rutin revised to version 1.1, so the site has a "Vad ändrades" page."""
    root = case_repository(tmp_path_factory.mktemp("repo-arshjul"), decided_wheel=True, revised=True)
    return publish_site(root, tmp_path_factory.mktemp("webb-arshjul") / "site")


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the repository's own documents: a draft, as its sb.toml names no accessibility contact."""
    return publish_site(REPO, tmp_path_factory.mktemp("levererad") / "site", "--draft-site")


@pytest.fixture(scope="module")
def anslag_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of a nämnd that posts its justeringar (tests/cases/anslag): an anslagsbevis for each
    posted protocol, and the anslagstavla with one current and one earlier posting on 2026-11-22."""
    root = build_repo(CASES / "anslag", tmp_path_factory.mktemp("repo-anslag"))
    commit_all(root)
    return publish_site(root, tmp_path_factory.mktemp("webb-anslag") / "site")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The folder on http://127.0.0.1:<a free port>/, as `sb publish --serve` shows it."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def sites(built_site: Path, wheel_site: Path, shipped_site: Path, anslag_site: Path) -> Iterator[dict[str, str]]:
    """The base URL of each built site: "fall" (the case corpus), "arshjul" (the same with a decided
    årshjul), "levererad" (the shipped corpus) and "anslag" (a nämnd that posts its justeringar)."""
    with (
        serve(built_site) as cases,
        serve(wheel_site) as wheel,
        serve(shipped_site) as shipped,
        serve(anslag_site) as anslag,
    ):
        yield {"fall": cases, "arshjul": wheel, "levererad": shipped, "anslag": anslag}
