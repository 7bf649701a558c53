"""SB040 case by case, each in a real git repository made inside the test: a history of commits,
then the working tree as a user leaves it, and exactly the findings `sb validate` must give."""

from pathlib import Path

import pytest

from tests.conftest import findings_json
from tests.io.conftest import git

pytestmark = pytest.mark.git

RUTIN = """id: rutin-a
type: rutin
title: {title}
owner: LSVO
status: {status}
version: "{version}"
decided: {{by: LSVO, date: {decided}}}
valid_from: 2026-02-01
review_by: {review_by}
body: |
  {text}
"""
PROTOKOLL = """id: LSVO-2026-01-16
type: protokoll
title: {title}
forum: LSVO
meeting: {{date: 2026-01-16}}
numbering: paragraph
{adjusted}items:
  - {{number: 1, title: Information, kind: I}}
"""


def rutin(**values: str) -> str:
    defaults = {
        "title": "Rutin A",
        "status": "beslutad",
        "version": "1.0",
        "decided": "2026-01-16",
        "review_by": "2027-01-01",
        "text": "Text.",
    }
    return RUTIN.format(**{**defaults, **values})


def protokoll(title: str = "Protokoll", adjusted: bool = True) -> str:
    return PROTOKOLL.format(title=title, adjusted="adjusted: 2026-01-20\n" if adjusted else "")


DECIDED = "dokumentet är beslutat i version 1.0 (commit {commit}) men {what} har ändrats sedan dess"
ADJUSTED = "protokollet är justerat (commit {commit}) men {what} har ändrats sedan dess"

# name: (commits as file contents, the working tree, expected (code, line, message) with {commit}
# standing for the commit that made the document a record)
CASES_ = {
    "ändrad text i beslutat dokument": (
        [rutin(status="utkast"), rutin()],
        rutin(text="Ändrad text."),
        [("SB040", 10, DECIDED.format(commit="{commit}", what="texten"))],
    ),
    "ändrad titel i beslutat dokument": (
        [rutin()],
        rutin(title="Ny titel"),
        [("SB040", 3, DECIDED.format(commit="{commit}", what="'title'"))],
    ),
    "ändrat beslutsdatum": (
        [rutin()],
        rutin(decided="2026-01-17"),
        [("SB040", 7, DECIDED.format(commit="{commit}", what="'decided'"))],
    ),
    "administrativ nyckel får ändras": ([rutin()], rutin(review_by="2027-06-30"), []),
    "upphävd får sättas": ([rutin()], rutin(status="upphavd"), []),
    "ny version med nytt beslut": ([rutin()], rutin(version="2.0", decided="2026-03-13", text="Ny."), []),
    "utkast får ändras": ([rutin(status="utkast")], rutin(status="utkast", text="Ny."), []),
    "justerat protokoll ändrat": (
        [protokoll(adjusted=False), protokoll()],
        protokoll(title="Efterhandsändring"),
        [("SB040", 3, ADJUSTED.format(commit="{commit}", what="'title'"))],
    ),
    "protokollsutkast får ändras": ([protokoll(adjusted=False)], protokoll(title="Ändrad", adjusted=False), []),
    "omformaterat utan ändrad betydelse": ([rutin()], rutin().replace('version: "1.0"', "version: '1.0'"), []),
    "justeringen borttagen": (
        [protokoll()],
        protokoll(adjusted=False),
        [("SB040", 1, "protokollet justerades i commit {commit} men 'adjusted' har tagits bort")],
    ),
    "samma version åter som utkast med ny text": (
        [rutin()],
        rutin(status="utkast", text="Omarbetad."),
        [
            (
                "SB040",
                10,
                "version 1.0 beslutades i commit {commit} men texten har ändrats sedan dess; "
                "ett dokument som arbetas om får en ny version",
            )
        ],
    ),
    "ny version utan nytt beslut": (
        [rutin()],
        rutin(version="2.0", text="Ny."),
        [
            (
                "SB040",
                7,
                "version 2.0 har samma beslut som version 1.0 (commit {commit}): en ny version kräver ett nytt beslut",
            )
        ],
    ),
}


@pytest.mark.parametrize("name", list(CASES_))
def test_history_case(repo: Path, name: str):
    commits, working_tree, expected = CASES_[name]
    target = repo / "documents" / "dokument.yaml"
    record_commit = None
    for content in commits:
        target.write_text(content, "utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "ändring")
        if record_commit is None and ("status: beslutad" in content or "adjusted:" in content):
            record_commit = git(repo, "rev-parse", "--short=7", "HEAD")
    target.write_text(working_tree, "utf-8")
    report = findings_json(repo, "2026-03-01")
    got = [(f["code"], f["line"], f["message"]) for f in report["findings"]]
    assert got == [(code, line, message.format(commit=record_commit)) for code, line, message in expected]


def commit_all(repo: Path, message: str = "ändring") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "--short=7", "HEAD")


def test_history_follows_the_id_when_a_decided_document_is_moved(repo: Path):
    (repo / "documents" / "gammal.yaml").write_text(rutin(), "utf-8")
    decided = commit_all(repo)
    (repo / "documents" / "gammal.yaml").rename(repo / "documents" / "ny.yaml")
    commit_all(repo, "flyttad")
    assert findings_json(repo, "2026-03-01")["findings"] == []
    (repo / "documents" / "ny.yaml").write_text(rutin(text="Ändrad efter flytten."), "utf-8")
    got = [(f["code"], f["path"], f["message"]) for f in findings_json(repo, "2026-03-01")["findings"]]
    assert got == [("SB040", "documents/ny.yaml", DECIDED.format(commit=decided, what="texten"))]


def test_a_record_deleted_since_the_base_revision_is_sb040(repo: Path):
    (repo / "documents" / "rutin.yaml").write_text(rutin(), "utf-8")
    (repo / "documents" / "p.yaml").write_text(protokoll(), "utf-8")
    (repo / "documents" / "utkast.yaml").write_text(rutin(status="utkast").replace("rutin-a", "rutin-b"), "utf-8")
    commit_all(repo)
    for name in ("rutin.yaml", "p.yaml", "utkast.yaml"):
        (repo / "documents" / name).unlink()
    got = [
        (f["code"], f["path"], f["line"], f["message"])
        for f in findings_json(repo, "2026-03-01", "--changed-since", "HEAD")["findings"]
    ]
    assert got == [
        (
            "SB040",
            "documents/p.yaml",
            None,
            "det justerade protokollet LSVO-2026-01-16 fanns i HEAD men har tagits bort",
        ),
        ("SB040", "documents/rutin.yaml", None, "det beslutade dokumentet rutin-a fanns i HEAD men har tagits bort"),
    ]


def test_a_moved_record_is_not_deleted(repo: Path):
    (repo / "documents" / "rutin.yaml").write_text(rutin(), "utf-8")
    commit_all(repo)
    (repo / "documents" / "rutin.yaml").rename(repo / "documents" / "flyttad.yaml")
    assert findings_json(repo, "2026-03-01", "--changed-since", "HEAD")["findings"] == []
