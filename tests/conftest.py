import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from sb_cli.cli.app import app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """sb's cache in a folder of the test run, never the user's (subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SB_CACHE_DIR", str(tmp_path_factory.mktemp("sb-cache")))
        yield


@pytest.fixture(autouse=True)
def _background_work_ended() -> Iterator[None]:
    """A test ends when the editor's background load and check it started have ended (threads named
    "sb-…"): a later test must not see their reads, through a reader it replaced or otherwise."""
    yield
    for thread in threading.enumerate():
        if thread.name.startswith("sb-"):
            thread.join(120)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(*args: str):
    """Run `sb` as a user would, in-process. Returns the click Result."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def sb(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `sb` in a subprocess, exactly as a user's shell would (errors and exit codes included)."""
    return subprocess.run(
        [sys.executable, "-m", "sb_cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


SHIPPED_PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"


def as_draft(text: str) -> str:
    """The shipped LSVO protocol as the draft it was before it was recorded justerat (`adjusted:
    true`): the tests that edit, adjust or import it start from the draft."""
    assert "\nadjusted: true\n" in text
    return text.replace("\nadjusted: true\n", "\n")


def build_repo(case: Path, destination: Path) -> Path:
    """A repository made of a case folder, with the shared organisation.yaml unless it has its own."""
    shutil.copytree(case / "documents", destination / "documents", symlinks=True)
    if not (destination / "documents" / "organisation.yaml").exists():
        shutil.copy(CASES / "organisation.yaml", destination / "documents" / "organisation.yaml")
    if (case / "sb.toml").is_file():
        shutil.copy(case / "sb.toml", destination / "sb.toml")
    return destination


def findings_json(root: Path, as_of: str, *extra: str) -> dict:
    result = invoke("validate", "--root", root, "--as-of", as_of, "--format", "json", *extra)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def wait_until(condition: Callable[[], bool], seconds: float, failure: str) -> None:
    """Poll `condition` until it holds; after `seconds` the test fails with `failure` (a test never
    sleeps a guessed while and then asserts)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{failure} (inom {seconds} s)")
        time.sleep(0.02)


def processes_with(variable: str, value: str) -> list[int]:
    """The running processes whose environment holds variable=value: a command a test started with
    it, and every child of that command's."""
    wanted = f"{variable}={value}".encode()
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if wanted in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                found.append(int(pid))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    """Debian's Chromium through Playwright, one per test module, for the site's and the editor's
    browser tests; skipped without it, a failure instead with SB_REQUIRE_BROWSER=1 (as in CI)."""
    from playwright.sync_api import sync_playwright

    from tests.publish.test_browser import AXE, CHROMIUM, CHROMIUM_ARGS, CHROMIUM_LANGUAGE, find_chromium

    path = find_chromium([CHROMIUM, shutil.which("chromium")], required=os.environ.get("SB_REQUIRE_BROWSER") == "1")
    assert AXE.is_file(), "axe-core saknas: kör npm ci --prefix tests/web"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, env={**os.environ, **CHROMIUM_LANGUAGE}, headless=True
        )
        yield launched
        launched.close()
