"""`sb new kallelse` as a secretary runs it: the forum in any case, no `sent` until it is sent, time
and place as commented placeholders, warnings for deadlines already passed, and SB027 until the
time and place are filled in."""

import datetime as dt
import json
import shutil

import pytest
import yaml

from tests.conftest import REPO, sb


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    return tmp_path


def new_kallelse(repo, *args):
    result = sb("new", "kallelse", "--forum", "lsvo", "--date", "2026-12-04", *args, cwd=repo)
    assert result.returncode == 0, result.stderr
    return repo / result.stdout.strip(), result.stderr


def test_the_forum_in_any_case_and_no_sent_before_it_is_sent(repo):
    path, _ = new_kallelse(repo, "--as-of", "2026-11-01")
    assert path == repo / "documents" / "kallelse" / "LSVO" / "2026-12-04.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["forum"] == "LSVO" and "sent" not in data
    assert data["meeting"] == {"date": dt.date(2026, 12, 4)}
    assert "Kallelsen ska skickas senast 2026-11-27 (7 dagar före mötet)" in path.read_text("utf-8")


def test_time_and_place_are_commented_placeholders_under_meeting(repo):
    path, _ = new_kallelse(repo, "--as-of", "2026-11-01")
    lines = path.read_text("utf-8").splitlines()
    meeting = lines.index("meeting:")
    assert lines[meeting + 1 : meeting + 6] == [
        "  date: 2026-12-04",
        "  # Tid och plats: ta bort # och fyll i (sb validate varnar med SB027 tills start och place finns).",
        '  # start: "TT:MM"',
        '  # end: "TT:MM"',
        '  # place: ""',
    ]


def test_no_warning_while_every_deadline_is_ahead(repo):
    _, stderr = new_kallelse(repo, "--as-of", "2026-11-01")
    assert "varning" not in stderr


def test_a_passed_register_by_is_a_warning_on_stderr(repo):
    _, stderr = new_kallelse(repo, "--as-of", "2026-11-25")
    assert stderr.splitlines() == [
        "sb: varning: sista dag att anmäla ärenden (register_by), 2026-11-20, har redan passerat (per 2026-11-25)"
    ]
    _, later = new_kallelse(repo, "--as-of", "2026-12-01", "--force")
    assert "sista dag att skicka kallelsen, 2026-11-27, har redan passerat (per 2026-12-01)" in later


def test_validate_warns_until_time_and_place_are_filled_in(repo):
    path, _ = new_kallelse(repo, "--as-of", "2026-11-01")

    def sb027():
        report = json.loads(sb("validate", path, "--format", "json", "--as-of", "2026-11-01", cwd=repo).stdout)
        return [f["message"] for f in report["findings"] if f["code"] == "SB027"]

    assert sb027() == ["kallelsen saknar tid och plats för mötet"]
    text = path.read_text("utf-8").replace('  # start: "TT:MM"', '  start: "13:00"')
    path.write_text(text, "utf-8")
    assert sb027() == ["kallelsen saknar plats för mötet"]
    path.write_text(text.replace('  # place: ""', "  place: via Teams"), "utf-8")
    assert sb027() == []


def test_an_unknown_forum_is_still_a_usage_error(repo):
    result = sb("new", "kallelse", "--forum", "lsvx", "--date", "2026-12-04", cwd=repo)
    assert result.returncode == 2 and "okänt forum 'lsvx'" in result.stderr
