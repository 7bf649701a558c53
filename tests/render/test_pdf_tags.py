"""The PDF's structure tree, as a screen reader walks it: lists with labels, label tables with row
headers, data tables with column headers."""

import pikepdf
import pytest
import yaml

from tests.conftest import CASES, REPO, build_repo, invoke

PROTOCOL = REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
AGREEMENT = REPO / "documents" / "styrdokument" / "overenskommelse-malgrupper-2023.md"


def elements(node) -> list:
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def all_of(node, kind: str) -> list:
    found = []
    for child in elements(node):
        found += ([child] if child.S == kind else []) + all_of(child, kind)
    return found


def rows(table) -> list[list]:
    trs = [r for r in elements(table) if r.S == "/TR"]
    trs += [r for g in elements(table) if g.S in ("/THead", "/TBody") for r in elements(g) if r.S == "/TR"]
    return [elements(r) for r in trs]


def scope(cell) -> str | None:
    attributes = cell.get("/A")
    attributes = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    return next((str(a.Scope) for a in attributes if isinstance(a, pikepdf.Dictionary) and "/Scope" in a), None)


def render(tmp_path, source, root=REPO) -> pikepdf.Pdf:
    result = invoke("render", source, "--out", tmp_path, "--to", "pdf", "--as-of", "2026-11-22", "--root", root)
    assert result.exit_code == 0, result.output
    return pikepdf.open(next(tmp_path.glob("*.pdf")))


@pytest.fixture(scope="module")
def protocol(tmp_path_factory):
    with render(tmp_path_factory.mktemp("ut"), PROTOCOL) as pdf:
        yield pdf.Root.StructTreeRoot


def test_every_list_label_has_content(protocol):
    labels = all_of(protocol, "/Lbl")
    assert labels
    assert all(label.get("/K") is not None and elements(label) + list(_mcids(label)) for label in labels)


def _mcids(node):
    kids = node.get("/K")
    for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid):
            yield kid


def test_the_att_clauses_and_the_agenda_are_lists(protocol):
    data = yaml.safe_load(PROTOCOL.read_text("utf-8"))
    points = data["items"] + [sub for item in data["items"] for sub in item.get("subitems", [])]
    with_decisions = sum(1 for point in points if point.get("decisions"))
    nested = sum(1 for item in data["items"] if item.get("subitems"))
    lists = all_of(protocol, "/L")
    assert len(lists) == 1 + nested + with_decisions  # the agenda, its sub-lists, one list of att-clauses each
    clauses = sum(len(point.get("decisions", [])) for point in points)
    items = len(all_of(lists[0], "/LI"))
    assert items == len(points)
    assert sum(len([li for li in elements(lst) if li.S == "/LI"]) for lst in lists) == items + clauses


def test_the_meeting_facts_are_a_table_with_row_headers(protocol):
    tables = all_of(protocol, "/Table")
    assert len(tables) == 1
    labels = [row[0] for row in rows(tables[0])]
    assert len(labels) >= 6  # tid och plats, närvarande, frånvarande, övriga, sekreterare, justerare …
    assert all(cell.S == "/TH" and scope(cell) == "/Row" for cell in labels)
    assert all(cell.S == "/TD" for row in rows(tables[0]) for cell in row[1:])


@pytest.mark.slow
def test_the_document_header_has_row_headers(tmp_path):
    pdf = render(tmp_path, AGREEMENT)
    tables = all_of(pdf.Root.StructTreeRoot, "/Table")
    header = rows(tables[0])
    assert len(header) >= 8
    assert all(row[0].S == "/TH" and scope(row[0]) == "/Row" and row[1].S == "/TD" for row in header)


def test_a_data_table_keeps_its_column_headers(tmp_path):
    root = build_repo(CASES / "valid", tmp_path / "repo")
    pdf = render(tmp_path / "ut", root / "documents" / "arshjul.yaml", root)
    months = rows(all_of(pdf.Root.StructTreeRoot, "/Table")[1])
    assert [cell.S for cell in months[0]] == ["/TH"] * 3 and {scope(c) for c in months[0]} == {"/Column"}
    assert all(cell.S == "/TD" for row in months[1:] for cell in row)


def test_every_block_of_text_is_a_paragraph_heading_list_or_table(protocol):
    """ "LSVO beslutar", "Föredragande: …" and the heading's lines are paragraphs, not layout spans."""
    document = elements(protocol)[0]
    kinds = {str(child.S) for child in elements(document)}
    assert kinds <= {"/H1", "/H2", "/H3", "/P", "/L", "/Table"}, kinds
    assert len([c for c in elements(document) if c.S == "/P"]) > 50
