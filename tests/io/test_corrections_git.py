"""A correction of the transcription of a decided document (`corrections`) against real git
repositories made in a temporary folder: SB040 lets the text change only together with a new
correction, and never lets one that was committed change or go."""

from pathlib import Path

import pytest

from tests.conftest import findings_json
from tests.io.conftest import git

RUTIN = """id: rutin-a
type: rutin
title: {title}
owner: LSVO
status: beslutad
version: "1.0"
decided: {{by: LSVO, date: 2026-01-16}}
valid_from: 2026-02-01
review_by: 2027-01-01
{corrections}body: |
  {text}
"""

FIRST = "  - {date: 2026-02-10, note: Stycke 2 återges i sin helhet., source: Originalet sidan 2.}\n"
SECOND = "  - {date: 2026-02-20, note: Tabellen återges som tabell., source: Originalet sidan 3.}\n"


def rutin(text: str = "Text.", *entries: str, title: str = "Rutin A") -> str:
    corrections = "corrections:\n" + "".join(entries) if entries else ""
    return RUTIN.format(title=title, corrections=corrections, text=text)


def save(root: Path, content: str, message: str | None = None) -> None:
    """The document as the working tree holds it; committed when there is a message."""
    (root / "documents" / "rutin.yaml").write_text(content, "utf-8")
    if message is not None:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message)


def sb040(root: Path, *extra: str) -> list[str]:
    report = findings_json(root, "2026-03-01", *extra)
    return [f["message"] for f in report["findings"] if f["code"] == "SB040"]


@pytest.mark.git
def test_a_text_change_without_a_correction_is_sb040(repo):
    save(repo, rutin("Text."), "beslutad")
    save(repo, rutin("Text i sin helhet."))
    assert [m for m in sb040(repo) if "texten har ändrats" in m]


@pytest.mark.git
def test_a_text_change_with_a_new_correction_is_accepted_before_and_after_commit(repo):
    save(repo, rutin("Text."), "beslutad")
    save(repo, rutin("Text i sin helhet.", FIRST))
    assert sb040(repo) == []
    save(repo, rutin("Text i sin helhet.", FIRST), "rättad avskrift")
    assert sb040(repo) == []
    assert sb040(repo, "--changed-since", "HEAD~1") == []


@pytest.mark.git
def test_after_a_correction_the_text_is_held_again(repo):
    save(repo, rutin("Text."), "beslutad")
    save(repo, rutin("Text i sin helhet.", FIRST), "rättad avskrift")
    save(repo, rutin("Text i sin helhet, ändrad igen.", FIRST))
    found = sb040(repo)
    assert len(found) == 1 and "utan en ny rättelse" in found[0]
    save(repo, rutin("Text i sin helhet, ändrad igen.", FIRST, SECOND))
    assert sb040(repo) == []  # a second correction, the first kept


@pytest.mark.git
def test_a_change_committed_without_a_correction_does_not_move_the_baseline(repo):
    save(repo, rutin("Text."), "beslutad")
    save(repo, rutin("Smygändrad text."), "ändrad utan rättelse")
    save(repo, rutin("Smygändrad text."))
    assert sb040(repo)  # still compared with the decided text


@pytest.mark.git
def test_editing_an_earlier_correction_is_sb040(repo):
    save(repo, rutin("Text."), "beslutad")
    save(repo, rutin("Text i sin helhet.", FIRST), "rättad avskrift")
    save(repo, rutin("Text i sin helhet.", FIRST.replace("Stycke 2", "Stycke 3")))
    found = sb040(repo)
    assert len(found) == 1 and "rättelse av avskriften" in found[0]
    # adding a new entry does not excuse the edit of the old one
    save(repo, rutin("Text i sin helhet.", FIRST.replace("Stycke 2", "Stycke 3"), SECOND))
    assert [m for m in sb040(repo) if "rättelse av avskriften" in m]
    assert sb040(repo, "--changed-since", "HEAD")


@pytest.mark.git
def test_removing_a_correction_is_sb040(repo):
    save(repo, rutin("Text."), "beslutad")
    save(repo, rutin("Text i sin helhet.", FIRST), "rättad avskrift")
    save(repo, rutin("Text i sin helhet."))
    assert [m for m in sb040(repo) if "rättelse av avskriften" in m]
    save(repo, rutin("Text i sin helhet.", SECOND))  # replaced by another: still removed
    assert [m for m in sb040(repo) if "rättelse av avskriften" in m]


@pytest.mark.git
def test_decided_terms_stay_guarded_with_a_correction(repo):
    save(repo, rutin("Text."), "beslutad")
    save(repo, rutin("Text i sin helhet.", FIRST, title="Rutin B"))
    found = sb040(repo)
    assert len(found) == 1 and "'title'" in found[0]


@pytest.mark.git
def test_a_correction_that_changed_a_decided_term_is_no_baseline(repo):
    save(repo, rutin("Text."), "beslutad")
    save(repo, rutin("Text i sin helhet.", FIRST, title="Rutin B"), "rättelse som också byter titel")
    save(repo, rutin("Text i sin helhet.", FIRST))
    assert sb040(repo) == []  # the text against the decided text, with the new correction
    save(repo, rutin("Text i sin helhet, igen.", FIRST))
    assert sb040(repo) == []  # the correction in the working tree is still new against the decision
