"""A repository's mallar cannot read, write or run anything outside it, nor hang or exhaust sb:
each attack through `sb render` as CI would run it ends in a clear Swedish error, exit 2."""

import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, sb

PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    (tmp_path / "templates" / "_common").mkdir(parents=True)
    return tmp_path


def render(repo, *formats, extra_env=None):
    arguments = [x for f in formats for x in ("--to", f)]
    environment = {**os.environ, **(extra_env or {})}
    started = time.monotonic()
    result = sb("render", PROTOCOL, *arguments, "--out", "ut", cwd=repo, env=environment)
    assert "Traceback" not in result.stderr + result.stdout
    return result, time.monotonic() - started


@pytest.mark.slow
def test_a_symlink_in_the_templates_cannot_bring_in_the_environment(repo):
    (repo / "templates" / "_common" / "env.html").symlink_to("/proc/self/environ")
    (repo / "templates" / "_common" / "dokument.html.j2").write_text('{% include "env.html" %}')
    result, _ = render(repo, "html", extra_env={"SB_HEMLIGHET": "token-123"})
    assert result.returncode == 2
    assert "mallfilen templates/_common/env.html är en symbolisk länk" in result.stderr
    assert not (repo / "ut").exists() or "token-123" not in "".join(p.read_text() for p in (repo / "ut").iterdir())


@pytest.mark.slow
def test_a_symlink_to_a_device_or_a_folder_is_refused(repo):
    (repo / "templates" / "_common" / "noll.typ").symlink_to("/dev/zero")
    result, _ = render(repo, "pdf")
    assert result.returncode == 2 and "templates/_common/noll.typ är en symbolisk länk" in result.stderr
    (repo / "templates" / "_common" / "noll.typ").unlink()
    (repo / "templates" / "protokoll").symlink_to("/etc", target_is_directory=True)
    result, _ = render(repo, "pdf")
    assert result.returncode == 2 and "templates/protokoll är en symbolisk länk" in result.stderr


@pytest.mark.slow
def test_a_fifo_among_the_templates_is_refused_without_hanging(repo):
    os.mkfifo(repo / "templates" / "_common" / "ror.typ")
    result, seconds = render(repo, "md")
    assert result.returncode == 2 and "templates/_common/ror.typ är ingen vanlig fil" in result.stderr
    assert seconds < 30


@pytest.mark.slow
def test_typst_cannot_read_outside_the_template_folder(repo):
    (repo / "templates" / "protokoll").mkdir()
    (repo / "templates" / "protokoll" / "mall.typ").write_text('#read("../../../../../../etc/passwd")\n')
    result, _ = render(repo, "pdf")
    assert result.returncode == 2 and "mallen templates/protokoll/mall.typ kunde inte renderas" in result.stderr
    assert not (repo / "ut" / "LSVO-2023-06-16.pdf").exists()


@pytest.mark.slow
def test_a_typst_package_import_is_refused_and_reaches_no_network(repo):
    (repo / "templates" / "protokoll").mkdir()
    (repo / "templates" / "protokoll" / "mall.typ").write_text('#let p = "@pre" + "view/cetz:0.2.0"\n#import p\n')
    result, _ = render(repo, "pdf")
    assert result.returncode == 2
    assert "mallen templates/protokoll/mall.typ försöker hämta typst-paketet preview/cetz-0.2.0" in result.stderr


@pytest.mark.slow
def test_a_jinja_template_that_never_ends_is_stopped_at_the_time_limit(repo):
    (repo / "sb.toml").write_text("render_seconds = 2\n")
    (repo / "templates" / "_common" / "dokument.html.j2").write_text("{{ 9 ** (9 ** 9) }}")
    result, seconds = render(repo, "html")
    assert result.returncode == 2
    assert "mallen templates/_common/dokument.html.j2 kunde inte rendera LSVO-2023-06-16 (html) inom" in result.stderr
    assert seconds < 20


@pytest.mark.slow
def test_a_typst_template_that_exhausts_memory_is_stopped_at_the_memory_limit(repo):
    (repo / "sb.toml").write_text("render_memory_mb = 512\n")
    (repo / "templates" / "protokoll").mkdir()
    (repo / "templates" / "protokoll" / "mall.typ").write_text("#let a = range(2000000000)\n#a.len()\n")
    result, seconds = render(repo, "pdf")
    assert result.returncode == 2
    assert "mallen templates/protokoll/mall.typ kunde inte rendera LSVO-2023-06-16 (pdf)" in result.stderr
    assert "minne" in result.stderr and seconds < 60


@pytest.mark.slow
def test_each_job_of_a_render_worker_gets_the_whole_cpu_time_limit():
    # A worker renders job after job: the CPU limit counts from the start of each job, not of the worker.
    code = (
        "import resource, time\n"
        "from sb_cli.render.isolation import Limits, limit_time\n"
        "start = time.process_time()\n"
        "while time.process_time() - start < 1.5: pass\n"
        "limit_time(Limits(seconds=2))\n"
        "print(resource.getrlimit(resource.RLIMIT_CPU)[0], time.process_time())\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    soft, used = run.stdout.split()
    assert float(used) + 2 <= int(soft) <= float(used) + 3.5


def test_nothing_to_render_starts_no_render_process(tmp_path, monkeypatch):
    from sb_cli.render import isolation

    def started(*_args):
        raise AssertionError("a render process was started with nothing to render")

    monkeypatch.setattr(isolation, "_start", started)
    assert isolation.render_isolated([], tmp_path, None, isolation.Limits()) == []
