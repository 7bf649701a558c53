"""`sb announce`: writes one line `announced: DAY` after `adjusted`, and refuses what the law or the
record does not allow, in Swedish and without touching the file."""

import shutil

import pytest

from tests.conftest import CASES, sb

ANSLAG = CASES / "anslag"


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(ANSLAG / "documents", tmp_path / "documents")
    shutil.copy(ANSLAG / "sb.toml", tmp_path / "sb.toml")
    return tmp_path


def announce(repo, name, *args):
    return sb("announce", repo / "documents" / f"{name}.yaml", *args, cwd=repo)


def test_announce_writes_one_line_after_adjusted(repo):
    path = repo / "documents" / "nyss.yaml"
    before = path.read_text("utf-8")
    result = announce(repo, "nyss", "--date", "2026-11-22", "--as-of", "2026-11-23")
    assert result.returncode == 0, result.stderr
    assert "anslaget 2026-11-22" in result.stdout
    assert result.stderr == ""
    assert path.read_text("utf-8") == before.replace(
        "adjusted: 2026-11-20\n", "adjusted: 2026-11-20\nannounced: 2026-11-22\n"
    )


def test_without_date_the_as_of_day_is_the_posting_day(repo):
    result = announce(repo, "nyss", "--as-of", "2026-11-21")
    assert result.returncode == 0, result.stderr
    assert "\nannounced: 2026-11-21\n" in (repo / "documents" / "nyss.yaml").read_text("utf-8")


def test_a_late_posting_is_written_with_a_warning(repo):
    result = announce(repo, "nyss", "--date", "2026-11-25", "--as-of", "2026-11-30")
    assert result.returncode == 0, result.stderr
    assert "varning: anslaget 2026-11-25 är senare än andra dagen efter justeringen 2026-11-20" in result.stderr


@pytest.mark.parametrize(
    ("name", "date", "as_of", "message"),
    [
        ("nyss", "2026-11-24", "2026-11-23", "anslagsdagen 2026-11-24 ligger efter 2026-11-23"),
        ("nyss", "2026-11-19", "2026-11-23", "anslagsdagen 2026-11-19 ligger före justeringen 2026-11-20"),
        ("nyss", "2026-11-19", "2026-11-19", "är inte justerat"),  # justerat after the as-of day
        ("november", "2026-11-12", "2026-11-23", "anslogs redan 2026-11-11"),
    ],
)
def test_refused_in_swedish_and_nothing_is_written(repo, name, date, as_of, message):
    path = repo / "documents" / f"{name}.yaml"
    before = path.read_bytes()
    result = announce(repo, name, "--date", date, "--as-of", as_of)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_a_forum_that_is_no_namnd_does_not_announce(repo):
    organisation = repo / "documents" / "organisation.yaml"
    organisation.write_text(organisation.read_text("utf-8").replace("announce: true", "announce: false"), "utf-8")
    result = announce(repo, "nyss", "--as-of", "2026-11-21")
    assert result.returncode == 2
    assert "forumet namnd anslår inte sina protokoll" in result.stderr
    assert "announced" not in (repo / "documents" / "nyss.yaml").read_text("utf-8")


def test_a_file_that_is_no_protocol_is_refused(repo):
    result = sb("announce", repo / "documents" / "organisation.yaml", "--as-of", "2026-11-21", cwd=repo)
    assert result.returncode == 2
    assert "är inget protokoll" in result.stderr
