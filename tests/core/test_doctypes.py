"""The document-type table: its facts agree with the schemas, the mallar and SPEC §3.2, §7 and §8,
and a type added to it is validated, rendered, listed and created like a shipped one."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sb_cli.core import doctypes, model
from sb_cli.core.doctypes import DocType, Published
from sb_cli.core.records import Kallelse, Paper, Protocol, Styrdokument
from tests.conftest import CASES, REPO, invoke

AS_OF = "2026-03-01"
ENTRIES = list(doctypes.TYPES.values())
BY_NAME = pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])

# SPEC §3.2 and §7, as the specification writes them.
SPEC_STYRDOKUMENT = ("ledningssystem overenskommelse avtal riktlinje rutin processbeskrivning uppdragsbeskrivning "
                     "verksamhetsplan handlingsplan projektplan arshjul").split()  # fmt: skip
SPEC_MEETING = ["kallelse", "protokoll", "foredragning", "tjansteskrivelse", "arsrapport"]
SPEC_ALIASES = {
    "protocol": "protokoll", "agenda": "kallelse", "agreement": "overenskommelse", "contract": "avtal",
    "routine": "rutin", "guideline": "riktlinje", "process": "processbeskrivning",
    "commission": "uppdragsbeskrivning", "operational-plan": "verksamhetsplan", "action-plan": "handlingsplan",
    "project-plan": "projektplan", "annual-report": "arsrapport", "memo": "tjansteskrivelse",
    "decision-paper": "foredragning", "annual-cycle": "arshjul", "management-system": "ledningssystem",
}  # fmt: skip


def test_the_table_holds_the_types_of_spec_3_2_in_its_order() -> None:
    assert doctypes.names() == (*SPEC_STYRDOKUMENT, *SPEC_MEETING)
    assert doctypes.where(header=True) == tuple(SPEC_STYRDOKUMENT)


def test_the_english_names_are_those_of_spec_7() -> None:
    assert doctypes.aliases() == SPEC_ALIASES


@pytest.mark.parametrize("written", ["{}", "{}".upper(), " {} ", "{}".capitalize()])
@BY_NAME
def test_a_type_is_known_by_its_name_and_its_english_name_in_any_case(entry: DocType, written: str) -> None:
    assert doctypes.canonical_type(written.format(entry.name)) == entry.name
    assert doctypes.canonical_type(written.format(entry.alias)) == entry.name


@pytest.mark.parametrize("name", ["", "protokol", "styrdokument", "organisation", "protocols"])
def test_an_unknown_name_is_no_type(name: str) -> None:
    assert doctypes.canonical_type(name) is None and doctypes.find(name) is None


@BY_NAME
def test_each_type_has_its_schema_and_the_editors_schema_names_it(entry: DocType) -> None:
    schema = json.loads((REPO / "schemas" / entry.schema).read_text("utf-8"))
    assert schema["properties"]["type"]["const"] == entry.name
    editors = json.loads((REPO / "schemas" / "document.schema.json").read_text("utf-8"))
    assert entry.name in editors["properties"]["type"]["enum"]
    assert {"$ref": entry.schema} in [part["then"] for part in editors["allOf"]]


def test_the_styrdokument_header_names_the_styrdokument_types() -> None:
    header = json.loads((REPO / "schemas" / "styrdokument.schema.json").read_text("utf-8"))
    assert tuple(header["properties"]["type"]["enum"]) == doctypes.where(header=True)


@BY_NAME
def test_each_type_has_its_mall(entry: DocType) -> None:
    assert (REPO / "templates" / entry.mall / "mall.typ").is_file()
    assert (REPO / "templates" / entry.mall / "mall.docx").is_file()


@BY_NAME
def test_the_header_and_publishing_follow_the_record(entry: DocType) -> None:
    """SPEC §3.3 and §8: the styrdokument header for styrdokument, published once beslutad; protocols
    once justerade, kallelser once sent, papers never."""
    expected = {Styrdokument: Published.DECIDED, Protocol: Published.ADJUSTED, Kallelse: Published.SENT}
    kind = next(k for k in (Protocol, Kallelse, Paper, Styrdokument) if issubclass(entry.record, k))
    assert entry.header is (kind is Styrdokument)
    assert entry.published is expected.get(kind, Published.NEVER)
    assert entry.of_meeting is (kind in (Protocol, Kallelse))
    assert entry.header is (entry.folder == "styrdokument")


def test_what_the_table_says_of_the_shipped_types() -> None:
    assert [e.name for e in ENTRIES if not e.importable] == ["arshjul"]
    assert [e.name for e in ENTRIES if e.agreement] == ["overenskommelse", "avtal"]
    assert [e.name for e in ENTRIES if e.for_meeting] == ["foredragning"]
    assert doctypes.mallar() == (
        "styrdokument", "uppdragsbeskrivning", "projektplan", "arshjul", "kallelse", "protokoll", "foredragning",
    )  # fmt: skip


def test_the_shipped_lists_are_the_tables() -> None:
    assert doctypes.where(record=Paper) == ("foredragning", "tjansteskrivelse", "arsrapport")
    assert tuple(n for n in doctypes.names() if doctypes.is_agreement(n)) == ("overenskommelse", "avtal")
    assert doctypes.aliases() == SPEC_ALIASES
    assert doctypes.canonical_type("Protocol") == "protokoll"


@pytest.mark.parametrize(
    "old_name",
    ["DOCUMENT_TYPES", "STYRDOKUMENT_TYPES", "PAPER_TYPES", "AGREEMENT_TYPES", "TYPE_ALIASES", "canonical_type"],
)
def test_the_type_lists_live_only_in_the_table(old_name: str) -> None:
    assert not hasattr(model, old_name)


# --- a type added to the table ------------------------------------------------------------------

NEW = DocType(
    "delegationsordning", "Delegationsordning", "Delegationsordningar", "delegation-order", Styrdokument,
    header=True, folder="styrdokument", mall="styrdokument", published=Published.DECIDED, importable=True,
)  # fmt: skip
NEW_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Styrdokument: delegationsordning",
    "$ref": "styrdokument.schema.json",
    "properties": {"type": {"const": "delegationsordning"}},
    "unevaluatedProperties": False,
}
NEW_DOCUMENT = """---
id: delegation-2026
type: delegationsordning
title: Delegationsordning för LSVO
owner: LSVO
status: beslutad
version: "1.0"
decided: {by: LSVO, date: 2026-01-16}
valid_from: 2026-02-01
review_by: 2027-01-31
---
# Delegation

LSVO delegerar beslut om arbetsgrupper till ordföranden.
"""


@pytest.fixture
def registered() -> Iterator[DocType]:
    """The new type in the table for the length of one test, and out of it again afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(doctypes.TYPES, NEW.name, NEW)
        yield NEW
    assert NEW.name not in doctypes.TYPES


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository with sb's schemas, the new type's schema and its name in the header's and the
    editor's lists, and one document of the type."""
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    (schemas / NEW.schema).write_text(json.dumps(NEW_SCHEMA), "utf-8")
    header = json.loads((schemas / "styrdokument.schema.json").read_text("utf-8"))
    header["properties"]["type"]["enum"].append(NEW.name)
    (schemas / "styrdokument.schema.json").write_text(json.dumps(header), "utf-8")
    editors = json.loads((schemas / "document.schema.json").read_text("utf-8"))
    editors["properties"]["type"]["enum"].append(NEW.name)
    editors["allOf"].append(
        {"if": {"properties": {"type": {"const": NEW.name}}, "required": ["type"]}, "then": {"$ref": NEW.schema}}
    )
    (schemas / "document.schema.json").write_text(json.dumps(editors), "utf-8")
    folder = tmp_path / "documents" / "styrdokument"
    folder.mkdir(parents=True)
    shutil.copy(CASES / "organisation.yaml", tmp_path / "documents" / "organisation.yaml")
    (folder / "delegation-2026.md").write_text(NEW_DOCUMENT, "utf-8")
    return tmp_path


def _findings(root: Path) -> list[dict[str, object]]:
    """The findings about documents (the folder is no git repository: SB041 on "." is left out)."""
    result = invoke("validate", "--root", root, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return [f for f in findings if f["path"] != "."]


def test_a_type_not_in_the_table_is_a_schema_error(repository: Path) -> None:
    assert [(f["code"], f["path"]) for f in _findings(repository)] == [
        ("SB002", "documents/styrdokument/delegation-2026.md")
    ]


def test_a_registered_type_validates(registered: DocType, repository: Path) -> None:
    assert _findings(repository) == []


def test_a_registered_type_is_checked_against_its_schema(registered: DocType, repository: Path) -> None:
    document = repository / "documents" / "styrdokument" / "delegation-2026.md"
    document.write_text(NEW_DOCUMENT.replace('version: "1.0"\n', ""), "utf-8")
    assert [f["code"] for f in _findings(repository)] == ["SB002"]


def test_a_registered_type_is_listed_by_its_name_and_its_english_name(registered: DocType, repository: Path) -> None:
    for name in (NEW.name, NEW.alias):
        result = invoke("list", "--root", repository, "--as-of", AS_OF, "--type", name, "--format", "json")
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert [(r["id"], r["type"]) for r in rows] == [("delegation-2026", NEW.name)]


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_a_registered_type_renders_with_its_label(
    registered: DocType, repository: Path, tmp_path: Path, fmt: str
) -> None:
    source = repository / "documents" / "styrdokument" / "delegation-2026.md"
    out = tmp_path / "ut"
    result = invoke("render", NEW.alias, source, "--to", fmt, "--out", out, "--root", repository, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    written = out / f"delegation-2026.{fmt}"
    if fmt == "pdf":
        assert written.read_bytes().startswith(b"%PDF")
        return
    text = written.read_text("utf-8")
    assert NEW.label in text and "Delegationsordning för LSVO" in text
    assert "LSVO delegerar beslut om arbetsgrupper till ordföranden." in text


def test_sb_new_creates_a_registered_type_in_its_folder(registered: DocType, repository: Path) -> None:
    result = invoke(
        "new", NEW.alias, "--id", "delegation-2027", "--title", "Ny delegationsordning", "--owner", "LSVO",
        "--root", repository, "--as-of", AS_OF,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = repository / "documents" / NEW.folder / "delegation-2027.md"
    assert "type: delegationsordning" in written.read_text("utf-8")
