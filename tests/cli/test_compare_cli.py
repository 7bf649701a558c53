"""`sb compare` (SPEC §13): which two versions are compared, what the files are called, and the
errors, against real git repositories made in a temporary folder."""

import datetime as dt
import re
from pathlib import Path

import pytest

from sb_cli import comparing
from sb_cli.corpus import load_corpus
from sb_cli.errors import UsageError
from sb_cli.io.repo import load_settings
from tests.conftest import CASES, invoke, sb
from tests.io import conftest as git_repository
from tests.io.conftest import git, rutin

AS_OF = "2026-06-01"
DAY = dt.date.fromisoformat(AS_OF)
repo = git_repository.repo  # the fixture: a git repository with the shared organisation.yaml


def save(root: Path, content: str, message: str | None = None, name: str = "rutin.yaml") -> str:
    """The document as the working tree holds it; committed when there is a message (its short id)."""
    (root / "documents" / name).write_text(content, "utf-8")
    if message is None:
        return ""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "--short=7", "HEAD")


def sides(root: Path, given: str = "rutin-a", old: str | None = None, new: str | None = None) -> comparing.Sides:
    settings = load_settings(root, root)
    return comparing.sides(settings, load_corpus(settings), given, old=old, new=new)


@pytest.fixture
def revised(repo: Path) -> dict[str, str]:
    """rutin-a: 1.0 as a draft, 1.0 decided, 1.1 as a committed draft, and 1.1 changed again in the
    working copy. The short commits by name."""
    return {
        "utkast": save(repo, rutin("1.0"), "1.0 utkast"),
        "beslutad": save(repo, rutin("1.0", "beslutad"), "1.0 beslutad"),
        "1.1": save(repo, rutin("1.1", text="varannan månad"), "1.1 utkast"),
        "working": save(repo, rutin("1.1", text="varannan vecka")),
    }


@pytest.mark.git
def test_by_default_the_last_decided_version_against_the_working_copy(repo, revised):
    chosen = sides(repo)
    assert (chosen.old.label, chosen.old.commit[:7]) == ("version 1.0, beslutad 2026-01-16", revised["beslutad"])
    assert (chosen.new.label, chosen.new.commit) == ("version 1.1 (utkast)", None)
    assert "varannan vecka" in chosen.new.document.record.body
    assert chosen.stem() == "rutin-a-1.0-1.1"
    assert chosen.date(DAY) == AS_OF  # a draft has no decision date


@pytest.mark.git
def test_a_version_string_takes_its_last_commit_and_a_decided_one_its_decided_state(repo, revised):
    chosen = sides(repo, old="1.0", new="1.1")
    assert chosen.old.commit[:7] == revised["beslutad"] and chosen.old.document.record.status == "beslutad"
    assert chosen.new.commit[:7] == revised["1.1"] and "varannan månad" in chosen.new.document.record.body
    assert chosen.date(DAY) == AS_OF
    same = sides(repo, old="1.1")  # the committed 1.1 against the working copy of 1.1
    assert (same.old.label, same.new.label) == ("version 1.1 (utkast)", "version 1.1 (utkast), arbetskopian")
    assert same.stem() == "rutin-a-1.1-arbetskopia"


@pytest.mark.git
def test_a_git_revision_is_taken_when_no_version_has_that_name(repo, revised):
    chosen = sides(repo, old="HEAD~2")
    assert chosen.old.commit[:7] == revised["utkast"]
    assert chosen.old.label == f"version 1.0 (utkast) (commit {revised['utkast']})"
    assert chosen.stem() == "rutin-a-1.0-1.1"
    later = sides(repo, old="1.0", new="HEAD")
    assert later.new.commit[:7] == revised["1.1"]


@pytest.mark.git
def test_the_decision_date_of_the_later_version_dates_the_change(repo):
    save(repo, rutin("1.0", "beslutad"), "1.0 beslutad")
    save(repo, rutin("2.0", "beslutad", "varannan månad", day="2026-05-15"), "2.0 beslutad")
    chosen = sides(repo)
    assert (chosen.old.label, chosen.new.label) == (
        "version 1.0, beslutad 2026-01-16",
        "version 2.0, beslutad 2026-05-15",
    )
    assert chosen.date(DAY) == "2026-05-15"


@pytest.mark.git
def test_a_revision_before_any_other_decided_version_has_nothing_to_compare_with(repo, revised):
    with pytest.raises(UsageError, match=r"rutin-a har ingen beslutad version i git före version 1\.0") as refused:
        sides(repo, new="HEAD~1")
    assert "--from" in refused.value.hint


@pytest.mark.git
def test_a_document_removed_from_the_working_copy_is_compared_in_git_only(repo, revised):
    (repo / "documents" / "rutin.yaml").unlink()
    git(repo, "commit", "-q", "-am", "borttagen")
    with pytest.raises(UsageError, match="rutin-a finns inte längre i arbetskopian") as refused:
        sides(repo)
    assert "--to" in refused.value.hint
    chosen = sides(repo, new="1.1")
    assert (chosen.old.label, chosen.new.label) == ("version 1.0, beslutad 2026-01-16", "version 1.1 (utkast)")


PROTOCOL = (CASES / "valid" / "documents" / "lsvo-1.yaml").read_text("utf-8")  # LSVO-2026-01-16


@pytest.mark.git
def test_a_corrected_protocol_is_compared_with_its_justerat_version(repo):
    draft = PROTOCOL.replace("adjusted: 2026-01-20\n", "")
    save(repo, draft, "utkast", name="lsvo.yaml")
    justerat = save(repo, PROTOCOL, "justerat", name="lsvo.yaml")
    corrected = PROTOCOL.replace("godkänna dagordningen", "godkänna dagordningen med ett tillägg")
    save(repo, corrected, name="lsvo.yaml")
    chosen = sides(repo, "LSVO-2026-01-16")
    assert (chosen.old.label, chosen.old.commit[:7]) == ("justerat 2026-01-20", justerat)
    assert (chosen.new.label, chosen.new.commit) == ("arbetskopian", None)
    assert chosen.stem() == f"LSVO-2026-01-16-{justerat}-arbetskopia"
    save(repo, corrected, "rättat efter justering", name="lsvo.yaml")  # still against the justerat text
    assert sides(repo, "LSVO-2026-01-16").old.commit[:7] == justerat


@pytest.mark.git
def test_a_hostile_version_never_reaches_the_file_name(repo):
    first = save(repo, rutin("../../../tmp/x", "beslutad"), "beslutad")
    save(repo, rutin("1.1/../../y\\e[2J"))  # YAML's \e: an escape that would clear the terminal
    chosen = sides(repo)
    assert chosen.stem() == f"rutin-a-{first}-arbetskopia"
    assert chosen.new.label == "version 1.1/../../y\\x1b[2J (utkast)"  # shown, never sent to a terminal
    assert re.fullmatch(r"[A-Za-z0-9._-]+", chosen.stem())


@pytest.mark.git
def test_the_comparison_is_written_in_markdown_and_html_with_its_changes_marked(repo, revised, tmp_path):
    out = tmp_path / "jämförelser"
    result = invoke("compare", "rutin-a", "--root", repo, "--as-of", AS_OF, "-f", "md", "-f", "html", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out / "rutin-a-1.0-1.1.md"), str(out / "rutin-a-1.0-1.1.html")]
    markdown = (out / "rutin-a-1.0-1.1.md").read_text("utf-8")
    assert "Samverkansgruppen möts {--varje månad--}{++varannan vecka++}." in markdown
    html = (out / "rutin-a-1.0-1.1.html").read_text("utf-8")
    hidden = r"<span[^>]*>{}: </span>"
    removed, added = hidden.format("Borttaget"), hidden.format("Tillagt")
    assert re.search(rf"<del>{removed}varje månad</del><ins>{added}varannan vecka</ins>\.", html)
    assert "version 1.0, beslutad 2026-01-16" in markdown and "version 1.1 (utkast)" in markdown
    assert "Tidigare lydelse" not in markdown
    side_by_side = invoke(
        "compare", "rutin-a", "--root", repo, "--as-of", AS_OF, "-f", "md", "--out", out, "--side-by-side"
    )
    assert side_by_side.exit_code == 0, side_by_side.output
    assert "| Tidigare lydelse | Ny lydelse |" in (out / "rutin-a-1.0-1.1.md").read_text("utf-8")


@pytest.mark.git
def test_errors_are_swedish_with_exit_2_and_no_traceback(repo, revised):
    cases = {
        ("rutin-b",): ["inget dokument med id 'rutin-b'", "menade du rutin-a?"],
        ("rutin-a", "--from", "9.9"): ["rutin-a har ingen version 9.9 i git, och revisionen 9.9 finns inte i git"],
        ("rutin-a", "--to", "HEAD~1"): ["rutin-a har ingen beslutad version i git före version 1.0", "--from"],
    }
    for arguments, expected in cases.items():
        result = sb("compare", *arguments, "--root", repo, "--as-of", AS_OF)
        assert result.returncode == 2, result.stderr
        assert all(text in result.stderr for text in expected), result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
