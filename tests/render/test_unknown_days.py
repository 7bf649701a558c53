"""Known facts, unknown days (SPEC §3.5, §7): every format says "justerat (datum okänt)" for `adjusted: true`,
writes a month meeting's month in words, and says at which meeting a protocol was approved."""

import re
import shutil

import pytest

from tests.conftest import CASES, REPO, invoke
from tests.render.test_render_cli import docx_text, pdf_text

FORMATS = ("md", "html", "docx", "pdf")
LSVO = REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
ATT_ALDRAS = REPO / "documents" / "protokoll" / "att-aldras" / "2024-02.yaml"

JANUARY = """id: LSVO-2026-01-16
type: protokoll
title: Sammanträdesprotokoll LSVO 2026-01-16
forum: LSVO
meeting: {date: 2026-01-16, start: "09:00", end: "11:00", place: via Teams}
numbering: paragraph
adjusted: 2026-01-20
items:
  - {number: 1, title: Information, kind: I}
"""
FEBRUARY = """id: LSVO-2026-02-13
type: protokoll
title: Sammanträdesprotokoll LSVO 2026-02-13
forum: LSVO
meeting: {date: 2026-02-13, start: "09:00", end: "11:00", place: via Teams}
numbering: paragraph
adjusted: 2026-02-18
items:
  - number: 2
    title: Föregående sammanträdesprotokoll
    kind: B
    decisions: [godkänna protokollet]
    follows_up: LSVO-2026-01-16
"""


def text_of(path) -> str:
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix == ".docx":
        return docx_text(path)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text("utf-8")))


def render(root, out, *paths, as_of: str = "2026-11-22") -> dict[str, dict[str, str]]:
    formats = [option for fmt in FORMATS for option in ("--to", fmt)]
    result = invoke("render", *paths, *formats, "--out", out, "--as-of", as_of, "--root", root)
    assert result.exit_code == 0, result.output
    return {path.stem: {fmt: text_of(out / f"{path.stem}.{fmt}") for fmt in FORMATS} for path in map(_id_of, paths)}


def _id_of(path):
    ident = re.search(r"^id: (\S+)$", path.read_text("utf-8"), re.MULTILINE)
    assert ident is not None
    return path.with_name(ident.group(1))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[str, dict[str, str]]:
    return render(REPO, tmp_path_factory.mktemp("ut"), LSVO, ATT_ALDRAS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_protocol_justerat_on_an_unknown_day_says_so_in_every_format(shipped, fmt) -> None:
    text = shipped["LSVO-2023-06-16"][fmt]
    assert "justerat (datum okänt)" in text
    assert "Justerat: True" not in text and "Justerat:** True" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_meeting_known_by_its_month_shows_the_month_in_words_and_no_day(shipped, fmt) -> None:
    text = shipped["att-aldras-2024-02"][fmt]
    assert "Tid och plats: Februari 2024" in text.replace("**", "")
    assert "datum saknas" not in text and "den 1 februari" not in text
    assert "justerat (datum okänt)" not in text  # a draft: the source does not show it was issued


@pytest.fixture(scope="module")
def approved(tmp_path_factory) -> dict[str, dict[str, str]]:
    root = tmp_path_factory.mktemp("repo")
    (root / "documents").mkdir()
    shutil.copy(CASES / "organisation.yaml", root / "documents" / "organisation.yaml")
    for name, text in (("januari.yaml", JANUARY), ("februari.yaml", FEBRUARY)):
        (root / "documents" / name).write_text(text, "utf-8")
    return render(
        root, tmp_path_factory.mktemp("ut"), root / "documents" / "januari.yaml", root / "documents" / "februari.yaml"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_protocol_says_at_which_meeting_it_was_approved(approved, fmt) -> None:
    assert "Godkänt vid sammanträdet den 13 februari 2026" in approved["LSVO-2026-01-16"][fmt]
    assert "Godkänt vid" not in approved["LSVO-2026-02-13"][fmt]  # nothing in the corpus approves it yet


def test_no_approval_is_shown_before_the_approving_protocol_is_justerat(tmp_path) -> None:
    (tmp_path / "documents").mkdir()
    shutil.copy(CASES / "organisation.yaml", tmp_path / "documents" / "organisation.yaml")
    (tmp_path / "documents" / "januari.yaml").write_text(JANUARY, "utf-8")
    (tmp_path / "documents" / "februari.yaml").write_text(FEBRUARY, "utf-8")
    out = tmp_path / "ut"
    result = invoke(
        "render",
        tmp_path / "documents" / "januari.yaml",
        "--to",
        "md",
        "--out",
        out,
        "--as-of",
        "2026-02-17",
        "--root",
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    assert "Godkänt vid" not in (out / "LSVO-2026-01-16.md").read_text("utf-8")
