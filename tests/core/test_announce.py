"""The posting of a justering on the notice board (core/announce.py), the SB028 rule's edge cases,
the schemas' keys, and SB040 letting a posting day be added to a justerat protocol (but not changed)."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from sb_cli.core.announce import Posting, appeal_ends, late_posting, latest_posting, posting, taken_down
from sb_cli.core.records import Forum, Meeting, Protocol
from tests.conftest import findings_json

D = dt.date
NAMND = Forum(id="namnd", name="Testnämnden", announce=True)
SAMVERKAN = Forum(id="LSVO", name="Ledningssamverkan vård och omsorg")


def protocol(adjusted: object = None, announced: D | None = None, forum: str = "namnd") -> Protocol:
    return Protocol(
        id="namnd-2026-06-12",
        type="protokoll",
        title="Protokoll",
        forum=forum,
        meeting=Meeting(date=D(2026, 6, 12)),
        numbering="list",
        items=(),
        adjusted=adjusted,  # type: ignore[arg-type]
        announced=announced,
    )


def test_the_dates_of_a_posting():
    assert latest_posting(D(2026, 6, 15)) == D(2026, 6, 17)
    assert latest_posting(D(2026, 12, 30)) == D(2027, 1, 1)
    assert appeal_ends(D(2026, 12, 10)) == D(2026, 12, 31)  # three weeks from the day posted
    assert taken_down(D(2026, 12, 10)) == D(2027, 1, 1)  # not before the appeal period ran out
    assert taken_down(D(2028, 2, 8)) == D(2028, 3, 1)  # over a leap day


def test_a_posting_is_current_from_its_day_until_the_day_it_is_taken_down():
    notice = Posting(D(2026, 6, 15), D(2026, 6, 16))
    assert not notice.is_current(D(2026, 6, 15))
    assert notice.is_current(D(2026, 6, 16))
    assert notice.is_current(D(2026, 7, 7))  # the appeal period's last day
    assert not notice.is_current(D(2026, 7, 8))


def test_only_a_justerat_posted_protocol_of_an_announcing_forum_has_a_posting():
    assert posting(protocol(D(2026, 6, 15), D(2026, 6, 16)), NAMND) == Posting(D(2026, 6, 15), D(2026, 6, 16))
    assert posting(protocol(True, D(2026, 6, 16)), NAMND) == Posting(None, D(2026, 6, 16))
    assert posting(protocol(D(2026, 6, 15)), NAMND) is None
    assert posting(protocol(D(2026, 6, 15), D(2026, 6, 16)), SAMVERKAN) is None
    assert posting(protocol(None, D(2026, 6, 16)), NAMND) is None


@pytest.mark.parametrize(
    ("adjusted", "announced", "as_of", "key"),
    [
        (D(2026, 6, 15), None, D(2026, 6, 17), None),  # the second day after: still in time
        (D(2026, 6, 15), None, D(2026, 6, 18), "adjusted"),
        (D(2026, 6, 15), D(2026, 6, 17), D(2026, 9, 1), None),
        (D(2026, 6, 15), D(2026, 6, 18), D(2026, 9, 1), "announced"),
        (D(2026, 6, 15), D(2026, 6, 14), D(2026, 9, 1), "announced"),  # before the justering
        (D(2026, 6, 20), None, D(2026, 6, 1), None),  # justerat after the as-of day: not yet
        (True, None, D(2026, 9, 1), None),  # justerat on a day the source does not give: no deadline
        (True, D(2026, 6, 30), D(2026, 9, 1), None),
        (None, D(2026, 6, 16), D(2026, 9, 1), "announced"),  # a draft is never posted
    ],
)
def test_late_posting(adjusted, announced, as_of, key):
    found = late_posting(protocol(adjusted, announced), NAMND, as_of)
    assert (found[1] if found else None) == key


def test_a_forum_that_does_not_announce_is_never_late():
    assert late_posting(protocol(D(2026, 6, 15)), SAMVERKAN, D(2027, 1, 1)) is None
    assert late_posting(protocol(D(2026, 6, 15)), None, D(2027, 1, 1)) is None


ORGANISATION = """parties:
  - {id: testkommunen, name: Testkommunen, kind: kommun}
forums:
  - {id: namnd, name: Testnämnden, numbering: list, announce: %s}
"""
PROTOKOLL = """id: namnd-2026-01-16
type: protokoll
title: Protokoll
forum: namnd
meeting: {date: 2026-01-16}
numbering: list
%sitems:
  - {number: 1, title: Information, kind: I}
"""


def repo_with(root: Path, announce: str, keys: str) -> Path:
    (root / "documents").mkdir(exist_ok=True)
    (root / "documents" / "organisation.yaml").write_text(ORGANISATION % announce, "utf-8")
    (root / "documents" / "protokoll.yaml").write_text(PROTOKOLL % keys, "utf-8")
    return root


def findings(root: Path, as_of: str = "2026-03-01") -> list[tuple[str, str, int]]:
    report = findings_json(root, as_of)
    return [(f["code"], f["path"], f["line"]) for f in report["findings"] if f["code"] != "SB041"]


def test_the_schemas_take_announce_and_announced(tmp_path):
    root = repo_with(tmp_path, "true", "adjusted: 2026-01-20\nannounced: 2026-01-21\n")
    assert findings(root) == []


def test_the_schemas_refuse_a_wrong_announce_or_announced(tmp_path):
    root = repo_with(tmp_path, '"ja"', "adjusted: 2026-01-20\nannounced: igår\n")
    assert ("SB002", "documents/organisation.yaml", 4) in findings(root)
    assert ("SB002", "documents/protokoll.yaml", 8) in findings(root)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.mark.git
def test_a_posting_day_may_be_added_to_a_justerat_protocol_but_not_changed(tmp_path):
    root = repo_with(tmp_path, "true", "adjusted: 2026-01-20\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "sekreterare@example.se")
    git(root, "config", "user.name", "Sekreterare")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "justerat")
    repo_with(root, "true", "adjusted: 2026-01-20\nannounced: 2026-01-21\n")
    assert findings(root) == []
    git(root, "commit", "-qam", "anslaget")
    repo_with(root, "true", "adjusted: 2026-01-20\nannounced: 2026-01-22\n")
    assert ("SB040", "documents/protokoll.yaml", 8) in findings(root)
    repo_with(root, "true", "adjusted: 2026-01-20\n")
    assert ("SB040", "documents/protokoll.yaml", 7) in findings(root)  # removed: at adjusted
