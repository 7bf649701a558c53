"""The site's templates (templates/site/*.j2) are a repository's code, run under the render workers'
limits: a template that recurses without end, loops too long, computes a huge number or fails on
its own ends `sb publish` with exit 2 and a Swedish message naming it, in bounded time, and the
site already published stays exactly as it was."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from tests.conftest import sb
from tests.publish.conftest import AS_OF, EPOCH, case_repository

pytestmark = pytest.mark.slow

RECURSIVE_MACRO = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"
# Nothing written inside the loop: the page never grows, so the time limit (not the memory limit,
# which a fast machine would reach first) is what stops it.
NESTED_RANGE = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
ATTACKS = {
    # template file, its text, what the message says (besides the template and the page)
    "rekursivt makro": ("start.html.j2", RECURSIVE_MACRO, "anropar sig själv"),
    "nästlad range-loop": ("start.html.j2", NESTED_RANGE, "inom 2 sekunder"),
    "nästlad loop i forumets sida": ("forum.html.j2", NESTED_RANGE, "inom 2 sekunder"),
    "stor potens": ("start.html.j2", "{{ 9 ** (9 ** 9) }}", "för stort"),
    "för mycket minne": (
        "start.html.j2",
        '{% set x = "x" * 100000000 %}{% for i in range(100) %}{{ x ~ i }}{% endfor %}',
        "minne",
    ),
    "division med noll": ("start.html.j2", "{{ 1 // 0 }}", "ZeroDivisionError"),
}


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The publish case repository with a site built from it: the repository and the site."""
    root = case_repository(tmp_path_factory.mktemp("repo"))
    site = tmp_path_factory.mktemp("webb") / "site"
    result = sb("publish", "--out", site, "--as-of", AS_OF, cwd=root, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr
    return root, site


@pytest.mark.git
@pytest.mark.parametrize("attack", ATTACKS)
def test_a_site_template_past_the_limits_stops_publish_with_a_swedish_error(published, attack):
    root, site = published
    template, text, said = ATTACKS[attack]
    before = _fingerprint(site)
    limits = 'render_seconds = 2\nrender_memory_mb = 512\naccessibility_contact = "x@example.se"\n'
    (root / "sb.toml").write_text(limits, "utf-8")
    (root / "templates" / "site").mkdir(parents=True, exist_ok=True)
    (root / "templates" / "site" / template).write_text(text, "utf-8")
    try:
        started = time.monotonic()
        result = sb("publish", "--out", site, "--as-of", AS_OF, cwd=root)
        seconds = time.monotonic() - started
    finally:
        (root / "templates" / "site" / template).unlink()
        (root / "sb.toml").unlink()
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout and "internt fel" not in result.stderr
    assert f"sidmallen templates/site/{template}" in result.stderr and said in result.stderr
    assert seconds < 60
    assert _fingerprint(site) == before
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".")]  # no build folder left


@pytest.mark.git
def test_a_macro_in_an_imported_template_is_named_where_it_recurses(published):
    root, site = published
    folder = root / "templates" / "site"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "makron.j2").write_text("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}", "utf-8")
    (folder / "start.html.j2").write_text('{% from "makron.j2" import f %}{{ f(0) }}', "utf-8")
    (root / "sb.toml").write_text('accessibility_contact = "x@example.se"\n', "utf-8")
    try:
        result = sb("publish", "--out", site, "--as-of", AS_OF, cwd=root)
    finally:
        (folder / "makron.j2").unlink()
        (folder / "start.html.j2").unlink()
    assert result.returncode == 2, result.stderr
    assert "sidmallen templates/site/start.html.j2 (i templates/site/makron.j2)" in result.stderr


def test_a_power_a_template_may_compute_still_works():
    from sb_cli.publish.site_templates import _power

    assert _power(2, 10) == 1024 and _power(2.5, 2) == 6.25 and _power(10, 300) == 10**300
    with pytest.raises(Exception, match="för stort"):
        _power(9, 9**9)


WHEEL_ATTACKS = {
    "render_seconds": "#let x = 0\n#for i in range(100000) { for j in range(100000) { x += 1 } }\n#x\n",
    "render_memory_mb": "#let x = 0\n#for i in range(1000000000) { x += 1 }\n#x\n",
}


@pytest.mark.git
@pytest.mark.parametrize("limit", WHEEL_ATTACKS)
def test_a_wheel_mall_past_the_limits_stops_publish(tmp_path, limit):
    """The årshjul drawing on the site comes from the repository's typst mall too (templates/arshjul/wheel.typ)."""
    root = case_repository(tmp_path / "repo", decided_wheel=True)
    (root / "sb.toml").write_text('render_seconds = 2\naccessibility_contact = "x@example.se"\n', "utf-8")
    mall = root / "templates" / "arshjul"
    mall.mkdir(parents=True)
    (mall / "wheel.typ").write_text(WHEEL_ATTACKS[limit], "utf-8")
    started = time.monotonic()
    result = sb("publish", "--out", tmp_path / "site", "--as-of", AS_OF, cwd=root)
    assert result.returncode == 2, result.stderr
    assert "mallen templates/arshjul/wheel.typ kunde inte rita årshjulet" in result.stderr
    assert f"gränsen {limit}" in result.stderr
    assert "Traceback" not in result.stderr and "backtrace" not in result.stderr
    assert time.monotonic() - started < 60
    assert not (tmp_path / "site").exists()
