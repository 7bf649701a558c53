"""A forum's pages live in the folder of its id at the top of the site, beside the site's own pages
and files (SPEC §8). A forum id that is one of those names, in any case, is SB006: `sb validate` says
so, and `sb publish` builds nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sb_cli.core.model import Source
from sb_cli.core.rules.site_paths import RESERVED, SITE_FILES, SITE_FOLDERS, reserved_forum_ids
from tests.conftest import CASES, build_repo, invoke, sb
from tests.publish.conftest import AS_OF, EPOCH, case_repository, publish_site

NAMES = [*SITE_FOLDERS, *SITE_FILES]


def _organisation(*forum_ids: str) -> Source:
    forums = [{"id": ident, "name": ident} for ident in forum_ids]
    return Source("documents/organisation.yaml", {"forums": forums}, {})


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("spelt", [str.lower, str.upper, str.title], ids=["små", "stora", "versal"])
def test_every_path_of_the_site_is_refused_as_a_forum_id_in_any_case(name, spelt):
    found = list(reserved_forum_ids(_organisation("LSVO", spelt(name))))
    assert [(f.code, f.severity.value) for f in found] == [("SB006", "error")]
    assert spelt(name) in found[0].message


@pytest.mark.parametrize("ident", ["LSVO", "beslutsgrupp", "dokumenten", "sok-grupp", "arshjulet", "index"])
def test_a_forum_id_that_only_resembles_a_path_is_allowed(ident):
    assert list(reserved_forum_ids(_organisation(ident))) == []


@pytest.mark.slow
@pytest.mark.git
def test_the_reserved_names_are_every_top_level_name_of_a_built_site(tmp_path: Path):
    # A page or file added at the top of the site must be reserved as well.
    case_repo = case_repository(tmp_path / "repo")
    built_site = publish_site(case_repo, tmp_path / "site")
    organisation = (case_repo / "documents" / "organisation.yaml").read_text("utf-8")
    forums = {line.split("id:", 1)[1].strip() for line in organisation.splitlines() if line.startswith("  - id:")}
    built = {entry.name for entry in built_site.iterdir()} - forums
    assert {name.casefold() for name in built} <= RESERVED, built - RESERVED


@pytest.mark.slow
@pytest.mark.parametrize("ident", ["beslut", "Pagefind", "FEED.ATOM", "dokument"])
def test_publish_refuses_a_site_where_a_forum_would_replace_a_page(tmp_path: Path, ident: str):
    root = build_repo(CASES / "publish", tmp_path / "repo")
    registry = root / "documents" / "organisation.yaml"
    registry.write_text(registry.read_text("utf-8").replace("id: att-aldras", f"id: {ident}"), "utf-8")
    for document in (root / "documents").glob("*.yaml"):
        document.write_text(document.read_text("utf-8").replace("att-aldras", ident), "utf-8")
    checked = invoke("validate", "--root", root, "--as-of", AS_OF, "--format", "json")
    codes = [f["code"] for f in json.loads(checked.stdout)["findings"]]
    assert checked.exit_code == 1 and codes.count("SB006") == 1, checked.stdout
    result = sb(
        "publish",
        "--out",
        tmp_path / "site",
        "--as-of",
        AS_OF,
        cwd=root,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.returncode == 1, result.stderr
    assert f"SB006 fel: forumets id '{ident}' är en av webbplatsens egna sökvägar" in result.stdout
    assert "webbplatsen byggs inte" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
