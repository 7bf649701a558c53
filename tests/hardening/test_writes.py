"""sb's own writes keep the meaning and the lines of a document, and never lose one: each attack of
the issue tracker's list, through the command a user runs."""

import subprocess
import sys

import pytest

from sb_cli.io.yamlpos import parse_yaml
from tests.conftest import sb, wait_until

pytestmark = pytest.mark.slow

PROTOCOL = "documents/protokoll/LSVO/2023-06-16.yaml"


def test_adjust_changes_exactly_one_line_and_keeps_the_times(repo):
    before = (repo / PROTOCOL).read_text("utf-8").splitlines()
    assert sb("adjust", PROTOCOL, "--date", "2023-06-20", "--as-of", "2026-11-22", cwd=repo).returncode == 0
    after = (repo / PROTOCOL).read_text("utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert added == ["adjusted: 2023-06-20"] and len(after) == len(before) + 1
    assert [line for line in after if line != "adjusted: 2023-06-20"] == before
    meeting = parse_yaml("\n".join(after)).data["meeting"]
    assert (meeting["start"], meeting["end"]) == ("08:15", "12:00")
    validated = sb("validate", "--as-of", "2026-11-22", cwd=repo)
    assert " fel: " not in validated.stdout, validated.stdout


def test_a_protocol_from_a_kallelse_keeps_its_times_as_times(repo):
    kallelse = repo / "documents" / "kallelse" / "LSVO" / "2026-12-04.yaml"
    assert (
        sb("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", "--as-of", "2026-11-22", cwd=repo).returncode
        == 0
    )
    text = kallelse.read_text("utf-8").replace(
        "  date: 2026-12-04\n", '  date: 2026-12-04\n  start: "13:00"\n  end: "15:30"\n'
    )
    kallelse.write_text(text, "utf-8")
    assert sb("new", "protokoll", "--from", kallelse, "--as-of", "2026-11-22", cwd=repo).returncode == 0
    protocol = (repo / "documents" / "protokoll" / "LSVO" / "2026-12-04.yaml").read_text("utf-8")
    assert "  start: '13:00'\n  end: '15:30'\n" in protocol
    assert parse_yaml(protocol).data["meeting"]["start"] == "13:00"


def test_two_concurrent_new_commands_for_one_file_one_wins_the_other_is_told(repo):
    command = [sys.executable, "-m", "sb_cli", "new", "rutin", "--id", "rutin-x", "--title", "T", "--owner", "LSVO"]
    target = repo / "documents" / "styrdokument" / "rutin-x.md"
    for _ in range(5):
        target.unlink(missing_ok=True)
        started = [
            subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        results = [(p.wait(timeout=60), p.stderr.read()) for p in started]
        assert sorted(code for code, _ in results) == [0, 2]
        told = next(err for code, err in results if code == 2)  # at the same moment, or just after
        assert "rutin-x.md finns redan" in told or "id 'rutin-x' används redan" in told
        assert parse_yaml(target.read_text("utf-8").split("---")[1]).data["id"] == "rutin-x"


def test_killing_render_leaves_no_worker_running(repo, tmp_path_factory):
    import os
    import signal

    from tests.hardening.test_environment import _ours, rendering

    tmp = tmp_path_factory.mktemp("tmp")
    (repo / "templates" / "_common").mkdir(parents=True)
    (repo / "templates" / "_common" / "dokument.html.j2").write_text("{{ 9 ** (9 ** 9) }}")  # busy for a minute
    process = subprocess.Popen(
        [sys.executable, "-m", "sb_cli", "render", "--all", "--to", "html", "--out", "ut"],
        cwd=repo,
        env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(lambda: rendering(tmp), 60, "ingen arbetsprocess tog ett dokument")  # it is in the template now
    process.send_signal(signal.SIGKILL)
    process.wait()
    wait_until(lambda: _ours(tmp) == [], 2, "arbetsprocesser lever kvar efter SIGKILL")
