"""`sb calendar` as a user runs it: the shipped documents read alike by icalendar, vobject and ical.js,
reminders from sb.toml (and its mistakes as usage errors), and a SEQUENCE that follows git."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sb_cli.core.calendar import SEQUENCE_EPOCH
from tests.calendars import read_icalendar, read_icaljs, read_vobject
from tests.conftest import REPO, invoke, sb

AS_OF = ("--as-of", "2026-11-22")
DOMAIN = "@samverkan-blekinge.sb"  # the site's name in sb.toml, as a host name
LSVO = "mote-LSVO-2023-06-16" + DOMAIN
WINTER = "mote-LSVO-2026-12-04" + DOMAIN
KALLELSE = """id: kallelse-LSVO-2026-12-04
type: kallelse
title: Kallelse LSVO 2026-12-04
forum: LSVO
meeting: {date: 2026-12-04, start: "09:00", end: "12:00", place: Karlskrona}
numbering: paragraph
sent: 2026-11-27
items:
  - {number: 1, title: Godkännande av dagordning, kind: B}
"""
DEADLINES = {
    "uppsagning-overenskommelse-malgrupper-2023": "Sista dag att säga upp",
    "slut-overenskommelse-malgrupper-2023": "Upphör",
    "revision-overenskommelse-malgrupper-2023": "Revideras senast",
    "revision-ledningssystem-2021": "Revideras senast",
}


def export(root: Path, out: Path, *extra: str) -> bytes:
    result = invoke("calendar", "--out", out, *AS_OF, "--root", root, *extra)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped documents and a winter meeting."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "documents", root / "documents")
    shutil.copy(REPO / "sb.toml", root / "sb.toml")
    (root / "documents" / "kallelse" / "LSVO").mkdir(parents=True)
    (root / "documents" / "kallelse" / "LSVO" / "2026-12-04.yaml").write_text(KALLELSE, "utf-8")
    return root


def test_the_lsvo_meeting_is_at_0615_utc_in_summer_and_the_winter_one_at_0800_for_every_reader(repo, tmp_path):
    out = tmp_path / "k.ics"
    data = export(repo, out)
    by_icalendar = read_icalendar(data)
    assert (by_icalendar[LSVO]["start"], by_icalendar[LSVO]["end"]) == ("2023-06-16T06:15:00Z", "2023-06-16T10:00:00Z")
    assert (by_icalendar[WINTER]["start"], by_icalendar[WINTER]["end"]) == (
        "2026-12-04T08:00:00Z",
        "2026-12-04T11:00:00Z",
    )
    assert read_vobject(data) == by_icalendar
    assert read_icaljs(out) == by_icalendar  # the same times, reminders and sequences, event for event


def test_each_notice_deadline_end_and_review_date_has_a_reminder_90_30_and_7_days_before(repo, tmp_path):
    found = read_icalendar(export(repo, tmp_path / "k.ics"))
    for uid, summary in DEADLINES.items():
        event = found[uid + DOMAIN]
        assert [(a["trigger"], a["related"], a["action"]) for a in event["alarms"]] == [
            ("-P90D", "START", "DISPLAY"),
            ("-P30D", "START", "DISPLAY"),
            ("-P7D", "START", "DISPLAY"),
        ], uid
        descriptions = [a["description"] for a in event["alarms"]]
        assert descriptions == [f"Om {d} dagar: {descriptions[0].split(': ', 1)[1]}" for d in (90, 30, 7)]
        assert descriptions[0].startswith(f"Om 90 dagar: {summary}: ")
    assert found[LSVO]["alarms"] == []
    assert {uid.split("-")[0] for uid in found} == {"uppsagning", "slut", "revision", "mote"}


def test_sb_toml_sets_the_reminder_days(repo, tmp_path):
    (repo / "sb.toml").write_text('site_name = "Samverkan Blekinge"\nreminder_days = [60, 14, 1]\n', "utf-8")
    found = read_icalendar(export(repo, tmp_path / "k.ics"))
    for uid in DEADLINES:
        assert [a["trigger"] for a in found[uid + DOMAIN]["alarms"]] == ["-P60D", "-P14D", "-P1D"]
    assert found["revision-ledningssystem-2021" + DOMAIN]["alarms"][2]["description"].startswith(
        "Om 1 dag: Revideras senast: "
    )
    (repo / "sb.toml").write_text('[sb]\nsite_name = "Samverkan Blekinge"\nreminder_days = []\n', "utf-8")
    assert all(not e["alarms"] for e in read_icalendar(export(repo, tmp_path / "tom.ics")).values())


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("reminder_days = 30", "sb.toml:1: 'reminder_days': värdet ska vara lista, inte heltal"),
        ('reminder_days = ["90", "30"]', "sb.toml:1: 'reminder_days': värdet ska vara heltal, inte text"),
        ("reminder_days = [30, 0]", "sb.toml:1: 'reminder_days': talet ska vara minst 1"),
        ("reminder_days = [-7]", "sb.toml:1: 'reminder_days': talet ska vara minst 1"),
        ("reminder_days = [7.5]", "sb.toml:1: 'reminder_days': värdet ska vara heltal, inte decimaltal"),
        ("reminder_days = [true]", "sb.toml:1: 'reminder_days': värdet ska vara heltal, inte sant eller falskt"),
        ("reminder_days = [[90]]", "sb.toml:1: 'reminder_days': värdet ska vara heltal, inte lista"),
        ("reminder_days = [4000]", "sb.toml:1: 'reminder_days': talet ska vara högst 3650"),
        ("reminder_days = [120, 90, 60, 30, 14, 7]", "sb.toml:1: 'reminder_days': högst 5 påminnelser, inte 6"),
        ("reminder_days = [90, 30, 90, 30]", "sb.toml:1: 'reminder_days': 30 står mer än en gång"),
        ('documents = "documents"\n[sb]\nreminder_days = [1, 1]', "sb.toml:3: 'reminder_days': 1 står mer än en gång"),
    ],
)
def test_a_wrong_reminder_days_is_a_usage_error_in_swedish_naming_sb_toml(repo, tmp_path, setting, message):
    (repo / "sb.toml").write_text(setting + "\n", "utf-8")
    result = sb("calendar", "--out", tmp_path / "k.ics", *AS_OF, "--root", repo)
    assert result.returncode == 2
    assert result.stderr.startswith(f"sb: fel: {message}"), result.stderr
    assert "tips:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "k.ics").exists()


# --- SEQUENCE from the history ------------------------------------------------------------------

T1 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 9, 14, 0, tzinfo=dt.UTC)
T3 = dt.datetime(2026, 11, 16, 8, 30, tzinfo=dt.UTC)
KALLELSE_PATH = "documents/kallelse/LSVO/2026-12-04.yaml"


def seconds(moment: dt.datetime) -> int:
    return int((moment - SEQUENCE_EPOCH).total_seconds())


def commit(root: Path, message: str, at: dt.datetime) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": at.isoformat(), "GIT_COMMITTER_DATE": at.isoformat()}
    for args in (("add", "-A"), ("commit", "-q", "-m", message)):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@pytest.fixture
def history(repo: Path) -> Path:
    for args in (("init", "-q", "-b", "main"), ("config", "user.email", "s@example.se"), ("config", "user.name", "S")):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    commit(repo, "Dokumenten", T1)
    return repo


@pytest.mark.git
def test_sequence_is_the_time_of_the_commit_that_last_changed_the_events_file(history, tmp_path):
    first = export(history, tmp_path / "a.ics")
    assert export(history, tmp_path / "b.ics") == first  # nothing changed: the same file, byte for byte
    found = read_icalendar(first)
    assert found[WINTER]["sequence"] == seconds(T1)
    assert {found[uid + DOMAIN]["sequence"] for uid in DEADLINES} == {seconds(T1)}
    assert "LAST-MODIFIED:20261102T090000Z" in first.decode("utf-8")


@pytest.mark.git
def test_a_committed_change_raises_the_sequence_of_its_events_and_no_other(history, tmp_path):
    path = history / KALLELSE_PATH
    path.write_text(path.read_text("utf-8").replace('start: "09:00"', 'start: "10:00"'), "utf-8")
    commit(history, "Mötet börjar kl. 10", T2)
    found = read_icalendar(export(history, tmp_path / "k.ics"))
    assert (found[WINTER]["start"], found[WINTER]["sequence"]) == ("2026-12-04T09:00:00Z", seconds(T2))
    assert found[LSVO]["sequence"] == seconds(T1)
    assert read_icaljs(tmp_path / "k.ics")[WINTER] == found[WINTER]


@pytest.mark.git
def test_a_change_not_yet_committed_counts_from_the_files_modification_time(history, tmp_path):
    path = history / KALLELSE_PATH
    path.write_text(path.read_text("utf-8").replace("place: Karlskrona", "place: Ronneby"), "utf-8")
    os.utime(path, (T3.timestamp(), T3.timestamp()))
    found = read_icalendar(export(history, tmp_path / "k.ics"))
    assert found[WINTER]["sequence"] == seconds(T3)
    commit(history, "Ronneby", T3 + dt.timedelta(hours=1))
    assert read_icalendar(export(history, tmp_path / "k2.ics"))[WINTER]["sequence"] > seconds(T3)


def test_without_git_the_sequence_follows_the_files_modification_times(repo, tmp_path):
    path = repo / KALLELSE_PATH
    os.utime(path, (T2.timestamp(), T2.timestamp()))
    found = read_icalendar(export(repo, tmp_path / "k.ics"))
    assert found[WINTER]["sequence"] == seconds(T2)
    assert all(isinstance(e["sequence"], int) and e["sequence"] > 0 for e in found.values())
