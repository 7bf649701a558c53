"""The HTML of every document, its public version and an extract, through the reference checkers:
the Nu Html Checker (vnu-jar on the installed Java) and axe-core in jsdom. Both come from
tests/web/package.json (`npm ci --prefix tests/web`)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CASES, REPO, build_repo, invoke

pytestmark = pytest.mark.slow

WEB = Path(__file__).resolve().parent.parent / "web"
VNU = WEB / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CORPUS = sorted(p for p in (REPO / "documents").rglob("*") if p.suffix in (".md", ".yaml") and p.stem != "organisation")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    assert VNU.is_file() and (WEB / "node_modules" / "axe-core").is_dir(), "kör: npm ci --prefix tests/web"
    out = tmp_path_factory.mktemp("html")
    expected = 0
    cases = build_repo(CASES / "valid", tmp_path_factory.mktemp("repo"))
    protocol = REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    for root, sources, extra in [
        (REPO, CORPUS, ()),
        (REPO, [protocol], ("--public",)),
        (REPO, [protocol], ("--extract", "64")),
        (cases, sorted((cases / "documents").glob("*.*")), ()),
        (cases, [cases / "documents" / "lsvo-2.yaml"], ("--public",)),  # a withheld item
    ]:
        sources = [s for s in sources if s.name != "organisation.yaml"]
        expected += len(sources)
        target = out / f"{root.name}{''.join(extra)}"
        result = invoke(
            "render", *sources, "--out", target, "--to", "html", "--as-of", "2026-11-22", "--root", root, *extra
        )
        assert result.exit_code == 0, result.output
    written = sorted(out.rglob("*.html"))
    assert len(written) == expected
    return written


def test_the_nu_html_checker_finds_nothing(pages):
    java = shutil.which("java")
    assert java, "Nu Html Checker behöver Java"
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--also-check-svg", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr)["messages"]
    assert messages == [], [(m["url"].rsplit("/", 1)[-1], m.get("lastLine"), m["message"]) for m in messages]


def test_axe_core_finds_nothing(pages):
    run = subprocess.run(
        ["node", str(WEB / "axe.mjs"), *map(str, pages)], capture_output=True, text=True, timeout=300, check=True
    )
    violations = {Path(page).name: found for page, found in json.loads(run.stdout).items() if found}
    assert len(json.loads(run.stdout)) == len(pages)
    assert violations == {}, violations


def test_the_checkers_would_see_a_fault(tmp_path):
    bad = tmp_path / "fel.html"
    bad.write_text('<!doctype html><html><head><title>x</title></head><body><img src="a.png"></body></html>')
    vnu = subprocess.run(["java", "-jar", str(VNU), "--format", "json", str(bad)], capture_output=True, text=True)
    assert any(m["type"] == "error" for m in json.loads(vnu.stderr)["messages"])
    axe = subprocess.run(["node", str(WEB / "axe.mjs"), str(bad)], capture_output=True, text=True, check=True)
    assert {v["id"] for v in json.loads(axe.stdout)[str(bad)]} >= {"image-alt", "html-has-lang"}
