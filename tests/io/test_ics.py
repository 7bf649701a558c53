"""The calendar file: Swedish time as VTIMEZONE rules, SEQUENCE, reminders, read by icalendar, vobject and
ical.js alike; and when the files the events come from last changed, from real git repositories."""

import datetime as dt
import os
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from sb_cli.core.calendar import Event
from sb_cli.io.ics import change_times, to_ics
from tests.calendars import read_icalendar, read_icaljs, read_vobject, unknown_zone

STAMP = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A time on the wall clock in Sweden, as the documents give it."""
    return dt.datetime.combine(day, dt.time(hour, minute))


SUMMER = Event(
    "mote-LSVO-2023-06-16@x",
    "LSVO sammanträde",
    local(dt.date(2023, 6, 16), 8, 15),
    local(dt.date(2023, 6, 16), 12),
    sequence=7,
)
WINTER = Event(
    "mote-LSVO-2024-01-19@x",
    "LSVO sammanträde",
    local(dt.date(2024, 1, 19), 9),
    local(dt.date(2024, 1, 19), 11, 30),
    sequence=0,
)
DEADLINE = Event(
    "uppsagning-a@x",
    "Sista dag att säga upp: Avtal",
    dt.date(2027, 12, 31),
    reminders=(90, 30, 7),
    sequence=851_000_000,
    modified=dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC),
)
REVIEW = Event("revision-a@x", "Revideras senast: Avtal", dt.date(2028, 1, 1), reminders=(1,), sequence=3)
EVENTS = [SUMMER, WINTER, DEADLINE, REVIEW]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ics") / "k.ics"
    path.write_bytes(to_ics(EVENTS, STAMP, name="Samverkan Kronoberg"))
    return path


def test_meetings_are_in_utc_what_the_swedish_clock_said_summer_and_winter(written):
    data = written.read_bytes()
    for read in (read_icalendar(data), read_vobject(data)):
        assert (read[SUMMER.uid]["start"], read[SUMMER.uid]["end"]) == ("2023-06-16T06:15:00Z", "2023-06-16T10:00:00Z")
        assert (read[WINTER.uid]["start"], read[WINTER.uid]["end"]) == ("2024-01-19T08:00:00Z", "2024-01-19T10:30:00Z")


def test_ical_js_reads_the_same_times_reminders_and_sequences_as_icalendar_and_vobject(written):
    by_icaljs = read_icaljs(written)
    assert by_icaljs[SUMMER.uid]["start"] == "2023-06-16T06:15:00Z"  # an hour late from a list of dates
    assert by_icaljs == read_icalendar(written.read_bytes()) == read_vobject(written.read_bytes())


def test_the_time_zone_is_two_yearly_rules_written_once_before_the_events(written):
    text = written.read_text("utf-8")
    calendar = icalendar.Calendar.from_ical(text)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Stockholm"
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    assert "RDATE" not in text
    rules = {
        part.name: (
            part.decoded("DTSTART"),
            part["RRULE"].to_ical().decode(),
            part.decoded("TZOFFSETFROM"),
            part.decoded("TZOFFSETTO"),
            str(part["TZNAME"]),
        )
        for part in zone.subcomponents
    }
    hour = dt.timedelta(hours=1)
    assert rules == {
        "STANDARD": (local(dt.date(1970, 10, 25), 3), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", 2 * hour, hour, "CET"),
        "DAYLIGHT": (local(dt.date(1970, 3, 29), 2), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", hour, 2 * hour, "CEST"),
    }
    assert text.count("DTSTART;TZID=Europe/Stockholm:") == 2 and text.count("DTEND;TZID=Europe/Stockholm:") == 2


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def test_the_rules_agree_with_swedish_time_every_day_from_1996_to_2040(written):
    """Since 1996 Sweden follows the EU rule that the VTIMEZONE writes: every noon and the hours
    either side of each change give the offset the time zone database gives."""
    renamed, name = unknown_zone(written.read_bytes())
    (zone,) = icalendar.Calendar.from_ical(renamed).walk("VTIMEZONE")
    rules = zone.to_tz()
    times = [local(dt.date(1996, 1, 1) + dt.timedelta(days=n), 12) for n in range(45 * 366)]
    for year in range(1996, 2041):
        for month in (3, 10):
            switch = _last_sunday(year, month)
            times += [local(switch, 1, 30), local(switch, 3, 30), local(switch - dt.timedelta(days=1), 23)]
    wrong = [t for t in times if t.replace(tzinfo=rules).utcoffset() != t.replace(tzinfo=STOCKHOLM).utcoffset()]
    assert not wrong, wrong[:5]


def test_dates_stay_dates_without_a_time_zone(written):
    text = written.read_text("utf-8")
    assert "DTSTART;VALUE=DATE:20271231" in text and "DTEND;VALUE=DATE:20280101" in text
    read = read_icalendar(written.read_bytes())
    assert (read[DEADLINE.uid]["start"], read[DEADLINE.uid]["end"]) == ("2027-12-31", "2028-01-01")


def test_a_calendar_of_dates_only_has_no_time_zone():
    text = to_ics([DEADLINE, REVIEW], STAMP, name="Samverkan Kronoberg").decode("utf-8")
    assert "VTIMEZONE" not in text and "TZID" not in text


def test_every_event_has_its_sequence_and_the_changed_one_its_last_modified(written):
    read = read_icalendar(written.read_bytes())
    assert {uid: e["sequence"] for uid, e in read.items()} == {e.uid: e.sequence for e in EVENTS}
    entries = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(written.read_bytes()).walk("VEVENT")}
    assert entries[DEADLINE.uid].decoded("LAST-MODIFIED") == DEADLINE.modified
    assert "LAST-MODIFIED" not in entries[SUMMER.uid]


def test_one_swedish_reminder_per_reminder_day_before_the_start(written):
    read = read_icalendar(written.read_bytes())
    assert read[DEADLINE.uid]["alarms"] == [
        {
            "action": "DISPLAY",
            "trigger": f"-P{days}D",
            "related": "START",
            "description": f"Om {days} dagar: Sista dag att säga upp: Avtal (2027-12-31)",
        }
        for days in (90, 30, 7)
    ]
    assert [a["description"] for a in read[REVIEW.uid]["alarms"]] == ["Om 1 dag: Revideras senast: Avtal (2028-01-01)"]
    assert read[SUMMER.uid]["alarms"] == []
    assert "TRIGGER;RELATED=START:-P90D" in written.read_text("utf-8")


# --- when the files last changed ----------------------------------------------------------------

T1 = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 2, 14, 15, 30, tzinfo=dt.UTC)
T3 = dt.datetime(2026, 3, 20, 8, 0, tzinfo=dt.UTC)


def git(root: Path, *args: str, at: dt.datetime | None = None) -> None:
    env = {**os.environ}
    if at is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = at.isoformat()
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def write(root: Path, name: str, text: str, mtime: dt.datetime) -> None:
    path = root / "documents" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    os.utime(path, (mtime.timestamp(), mtime.timestamp()))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "sekreterare@example.se")
    git(tmp_path, "config", "user.name", "Sekreterare")
    write(tmp_path, "a.yaml", "a: 1\n", T1)
    write(tmp_path, "b.yaml", "b: 1\n", T1)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "a och b", at=T1)
    write(tmp_path, "b.yaml", "b: 2\n", T2)
    git(tmp_path, "commit", "-q", "-am", "b", at=T2)
    return tmp_path


PATHS = ["documents/a.yaml", "documents/b.yaml"]


@pytest.mark.git
def test_a_checked_in_file_changed_when_its_newest_commit_was_made(repo):
    assert change_times(repo, "documents", PATHS) == {"documents/a.yaml": T1, "documents/b.yaml": T2}


@pytest.mark.git
def test_a_file_changed_after_its_commit_dates_from_its_modification_but_never_before_the_commit(repo):
    write(repo, "a.yaml", "a: 2\n", T3)
    write(repo, "b.yaml", "b: 3\n", T1)  # a clock set wrong, or a file restored with its old time
    assert change_times(repo, "documents", PATHS) == {
        "documents/a.yaml": T3,
        "documents/b.yaml": T2 + dt.timedelta(seconds=1),
    }


@pytest.mark.git
def test_a_file_never_checked_in_and_a_folder_without_git_use_the_modification_time(repo, tmp_path_factory):
    write(repo, "ny.yaml", "c: 1\n", T3)
    assert change_times(repo, "documents", ["documents/ny.yaml"]) == {"documents/ny.yaml": T3}
    plain = tmp_path_factory.mktemp("utan-git")
    write(plain, "a.yaml", "a: 1\n", T2)
    assert change_times(plain, "documents", ["documents/a.yaml", "documents/borta.yaml"]) == {"documents/a.yaml": T2}


@pytest.mark.git
def test_a_change_merged_from_a_branch_dates_from_the_merge(repo):
    git(repo, "checkout", "-q", "-b", "andring")
    write(repo, "a.yaml", "a: 2\n", T2)
    git(repo, "commit", "-q", "-am", "a på grenen", at=T2)
    git(repo, "checkout", "-q", "main")
    write(repo, "b.yaml", "b: 3\n", T3)
    git(repo, "commit", "-q", "-am", "b på main", at=T3)  # after the branch's commit
    merged = T3 + dt.timedelta(days=1)
    git(repo, "merge", "-q", "--no-ff", "-m", "in med grenen", "andring", at=merged)
    assert change_times(repo, "documents", PATHS) == {"documents/a.yaml": merged, "documents/b.yaml": T3}


@pytest.mark.git
def test_the_sb_root_may_be_a_folder_inside_the_git_repository(tmp_path):
    root = tmp_path / "styrning"
    root.mkdir()
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "sekreterare@example.se")
    git(tmp_path, "config", "user.name", "Sekreterare")
    write(root, "a.yaml", "a: 1\n", T1)
    write(tmp_path, "a.yaml", "utanför: 1\n", T1)  # documents/ beside the sb root: not the same files
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "a", at=T2)
    assert change_times(root, "documents", ["documents/a.yaml"]) == {"documents/a.yaml": T2}
