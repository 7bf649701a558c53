"""`sb adjust`: never a day after today (or after --as-of), and a protocol justerat on an unknown day is justerat."""

import shutil

import pytest

from tests.conftest import REPO, sb

PROTOCOL = """\
id: LSVO-2026-12-04
type: protokoll
title: Sammanträdesprotokoll LSVO 2026-12-04
forum: LSVO
meeting: {date: 2026-12-04, start: "09:00", end: "12:00", place: via Teams}
numbering: paragraph
chair: Bodil Sundlöf
secretary: Mats Wennstig
adjusters: []
items:
  - {number: 1, title: Information, kind: I}
"""


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    (tmp_path / "documents" / "protokoll" / "LSVO" / "2026-12-04.yaml").write_text(PROTOCOL, "utf-8")
    return tmp_path


def adjust(repo, path, day, as_of):
    return sb("adjust", path, "--date", day, "--as-of", as_of, cwd=repo)


def test_a_day_after_the_as_of_day_is_refused_in_swedish_and_nothing_is_written(repo):
    path = repo / "documents" / "protokoll" / "LSVO" / "2026-12-04.yaml"
    result = adjust(repo, path, "2026-12-09", "2026-12-08")
    assert result.returncode == 2
    assert "justeringsdatumet 2026-12-09 ligger efter 2026-12-08" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text("utf-8") == PROTOCOL


def test_the_as_of_day_itself_is_a_day_it_may_be_justerat(repo):
    path = repo / "documents" / "protokoll" / "LSVO" / "2026-12-04.yaml"
    result = adjust(repo, path, "2026-12-08", "2026-12-08")
    assert result.returncode == 0, result.stderr
    assert "\nadjusted: 2026-12-08\n" in path.read_text("utf-8")


def test_a_protocol_justerat_on_an_unknown_day_is_not_justerat_again(repo):
    path = repo / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    before = path.read_bytes()
    result = adjust(repo, path, "2023-06-20", "2026-12-08")
    assert result.returncode == 2 and "justerades redan (datum okänt)" in result.stderr
    assert path.read_bytes() == before
