"""Every corpus protocol rendered by sb and read back by sb import gives the same facts: all of them
from Word, at least 99 % from PDF; and at least 95 % from a Word file written as plain paragraphs,
without sb's styles, as a secretary's own file would be."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from sb_cli.core.records import Organisation
from sb_cli.importing import read, recognise
from tests.conftest import REPO, sb
from tests.importing.facts import KINDS, Facts, differences, facts, score, table

PROTOCOLS = sorted((REPO / "documents" / "protokoll").rglob("*.yaml"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("renderat")
    paths = [str(p.relative_to(REPO)) for p in PROTOCOLS]
    result = sb("render", *paths, "--to", "docx", "--to", "pdf", "--out", str(out), cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out


def expected(path: Path) -> Facts:
    return facts(yaml.safe_load(path.read_text("utf-8")))


def overall(want: Facts, got: Facts) -> tuple[float, float]:
    """Recall and precision over all facts of all kinds."""
    hits = sum(len(want[k] & got[k]) for k in KINDS)
    return hits / max(1, sum(len(want[k]) for k in KINDS)), hits / max(1, sum(len(got[k]) for k in KINDS))


def imported(path: Path, organisation: Organisation) -> Facts:
    draft = recognise(read(path), organisation)
    assert draft.type == "protokoll"
    return facts(draft.data)


@pytest.mark.slow
@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.stem)
def test_a_protocol_comes_back_whole_from_its_word_file(protocol, rendered, organisation) -> None:
    ident = yaml.safe_load(protocol.read_text("utf-8"))["id"]
    want, got = expected(protocol), imported(rendered / f"{ident}.docx", organisation)
    print("\n" + table(f"{ident} från DOCX", want, got))  # noqa: T201 (the scores, with -s)
    for kind, (recall, precision) in score(want, got).items():
        assert (recall, precision) == (1.0, 1.0), differences(want, got, kind)


@pytest.mark.slow
@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.stem)
def test_a_protocol_comes_back_from_its_pdf(protocol, rendered, organisation) -> None:
    ident = yaml.safe_load(protocol.read_text("utf-8"))["id"]
    want, got = expected(protocol), imported(rendered / f"{ident}.pdf", organisation)
    print("\n" + table(f"{ident} från PDF", want, got))  # noqa: T201 (the scores, with -s)
    recall, precision = overall(want, got)
    print(f"  alla fakta: recall {recall:.3f}, precision {precision:.3f}")  # noqa: T201 (the scores, with -s)
    missed = [differences(want, got, k) for k in KINDS if want[k] != got[k]]
    assert recall >= 0.99 and precision >= 0.99, missed


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.stem)
def test_a_protocol_comes_back_from_a_plain_word_file(protocol, organisation, tmp_path) -> None:
    data = yaml.safe_load(protocol.read_text("utf-8"))
    path = tmp_path / "protokoll.docx"
    path.write_bytes(plain_docx(data, organisation))
    want, got = expected(protocol), imported(path, organisation)
    print("\n" + table(f"{data['id']} från en Word-fil utan sb:s format", want, got))  # noqa: T201 (the scores, with -s)
    recall, precision = overall(want, got)
    print(f"  alla fakta: recall {recall:.3f}, precision {precision:.3f}")  # noqa: T201 (the scores, with -s)
    missed = [differences(want, got, k) for k in KINDS if want[k] != got[k]]
    assert recall >= 0.95 and precision >= 0.95, missed


def plain_docx(data: dict[str, Any], organisation: Organisation) -> bytes:
    """The protocol as a secretary types it in Word: Normal paragraphs only, bold where a heading
    goes, the bullets and "att" typed by hand; no sb styles, no tables."""
    from docx import Document

    document = Document()
    forum = organisation.forums[data["forum"]]

    def line(text: str, *, bold: bool = False) -> None:
        run = document.add_paragraph().add_run(text)
        run.bold = bold

    numbered = data.get("numbering", "paragraph") == "paragraph"
    label = (lambda n: f"§{n}") if numbered else (lambda n: f"{n}).")
    meeting = data.get("meeting") or {}
    line(forum.protocol.heading or forum.id, bold=True)
    line("Sammanträdesprotokoll", bold=True)
    if meeting.get("date"):
        line(str(meeting["date"]))
    line("Ärendeförteckning", bold=True)
    for item in data["items"]:
        line(f"{label(item['number'])} {item.get('index_title') or item['title']}")
        for sub in item.get("subitems") or []:
            line(f"{sub['letter']}/ {sub['title']}")
    if meeting.get("date"):
        place = f", {meeting['place']}" if meeting.get("place") else ""
        times = (
            f" kl. {meeting['start'].replace(':', '.')} - {meeting['end'].replace(':', '.')}"
            if meeting.get("end")
            else ""
        )
        line(f"Tid och plats: {meeting['date']}{times}{place}")
    attendance = data.get("attendance") or {}
    for key, heading in (("present", "Närvarande ledamöter:"), ("absent", "Frånvarande:")):
        if attendance.get(key):
            line(heading, bold=True)
            for person in attendance[key]:
                line(_person(person, organisation))
    if attendance.get("others"):
        line("Övriga deltagare och föredragande:", bold=True)
        for person in attendance["others"]:
            marks = ", ".join(f"§{n}" for n in person.get("items") or [])
            line(f"{_person(person, organisation)} {marks}".strip())
    if data.get("secretary"):
        line(f"Sekreterare: {data['secretary']}")
    for item in data["items"]:
        kind = f" ({item['kind']})" if item.get("kind") and not numbered else ""
        attached = f" ({', '.join(item['attachments'])})" if item.get("attachments") else ""
        line(f"{label(item['number'])} {item['title']}{kind}{attached}", bold=True)
        _point(line, item, forum.phrase)
        for sub in item.get("subitems") or []:
            line(f"{sub['letter']}/ {sub['title']}", bold=True)
            _point(line, sub, forum.phrase)
    if data.get("distribution"):
        line("Protokollet ska skickas till:")
        for name in data["distribution"]:
            line(name)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _person(person: Any, organisation: Organisation) -> str:
    if isinstance(person, str):
        return person
    party = organisation.parties.get(person.get("party") or "")
    parts = [person["name"], person.get("title"), party.name if party else None]
    return ", ".join(p for p in parts if p)


def _point(line: Any, point: dict[str, Any], phrase: str) -> None:
    if point.get("presenters"):
        line(f"Föredragande: {', '.join(point['presenters'])}")
    for paragraph in (point.get("body") or "").split("\n\n"):
        if paragraph.strip():
            line(" ".join(paragraph.split()))
    if point.get("deferred_to") and "flyttas" not in (point.get("body") or "").lower():
        line(f"Flyttas till sammanträdet den {point['deferred_to']}")
    if point.get("decisions"):
        line(phrase)
        for decision in point["decisions"]:
            line(f"att {decision['text'] if isinstance(decision, dict) else decision}")
    if point.get("send_to"):
        line("Protokollet ska skickas till:")
        for name in point["send_to"]:
            line(name)
