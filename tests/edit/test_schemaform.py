"""The form ↔ data mapping of the editor as pure functions: every shipped document and generated
records survive record → form → record unchanged, labels are the schemas' Swedish titles, and the
posted texts are read as the schema says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sb_cli.edit.schemaform import LIST_MARK, MAP_MARK, Schemas, from_fields, label, to_fields
from sb_cli.io.loader import parse_bytes
from tests.conftest import REPO

SCHEMAS = Schemas(REPO / "schemas")
SHIPPED = sorted(
    p for p in (REPO / "documents").rglob("*") if p.suffix in (".yaml", ".md") and p.name != "organisation.yaml"
)


def data_of(path: Path) -> dict[str, Any]:
    source = parse_bytes(path.name, path.read_bytes()).source
    assert source is not None
    return dict(source.data)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_document_survives_the_form(path: Path) -> None:
    data = data_of(path)
    assert from_fields(to_fields(data), SCHEMAS, data["type"]) == data


def descriptions(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["description"]] if isinstance(node.get("description"), str) else []
        return own + [text for value in node.values() for text in descriptions(value)]
    return [text for value in node for text in descriptions(value)] if isinstance(node, list) else []


@pytest.mark.parametrize("schema", sorted((REPO / "schemas").glob("*.json")), ids=lambda p: p.name)
def test_a_help_text_says_in_words_what_a_form_shows(schema: Path) -> None:
    """The editor shows each schema description beside its field, where a yes/no field reads Ja/Nej
    and a missing date is an empty field: a YAML word is only ever the parenthesis after those."""
    import json

    texts = descriptions(json.loads(schema.read_text("utf-8")))
    assert texts
    for text in texts:
        bare = re.sub(r"(?i)\b(?:ja|nej|tomt) \((?:true|false|null)\)|announce: true", "", text)
        assert not re.search(r"\b(?:true|false|null)\b", bare), text


@pytest.mark.parametrize(
    ("doc_type", "path", "title"),
    [
        ("protokoll", ("title",), "Dokumentnamn"),
        ("protokoll", ("adjusted",), "Justeringsdatum"),
        ("protokoll", ("attendance", "present"), "Närvarande"),
        ("protokoll", ("items", 0, "decisions", 0, "due"), "Senast"),
        ("protokoll", ("items", 0, "decisions", 0, "responsible"), "Ansvarig"),
        ("protokoll", ("meeting", "start"), "Starttid"),
        ("kallelse", ("items", 2, "title"), "Rubrik"),
        ("rutin", ("owner",), "Dokumentägare"),
    ],
)
def test_a_label_is_the_schema_title_of_its_key(doc_type: str, path: tuple[str | int, ...], title: str) -> None:
    assert label(SCHEMAS, doc_type, path) == title


def test_posted_texts_are_read_as_the_schema_says() -> None:
    fields = [
        ("id", "LSVO-2026-12-11"),
        ("title", "Protokoll"),
        (MAP_MARK, "meeting"),
        ("meeting.date", ""),  # nullable: null
        ("meeting.place", ""),  # optional text: left out
        (LIST_MARK, "items"),
        ("items.0.number", "61"),
        ("items.0.title", "Öppnande"),
        (LIST_MARK, "items.0.decisions"),
        ("items.0.decisions.0.text", "godkänna dagordningen"),  # only its text: written short
        ("items.0.decisions.1.text", "ge LSVO i uppdrag"),
        ("items.0.decisions.1.due", "2027-01-31"),
        (MAP_MARK, "attendance"),
        (LIST_MARK, "adjusters"),
    ]
    assert from_fields(fields, SCHEMAS, "protokoll") == {
        "id": "LSVO-2026-12-11",
        "title": "Protokoll",
        "meeting": {"date": None},
        "items": [
            {
                "number": 61,
                "title": "Öppnande",
                "decisions": ["godkänna dagordningen", {"text": "ge LSVO i uppdrag", "due": "2027-01-31"}],
            }
        ],
        "attendance": {},
        "adjusters": [],
    }


def test_empty_fields_of_a_mapping_the_document_did_not_have_add_nothing() -> None:
    fields = [("title", "T"), ("decided.by", ""), ("decided.date", ""), ("review_by", "")]
    assert from_fields(fields, SCHEMAS, "rutin") == {"title": "T"}
    assert from_fields([*fields, ("decided.date", "2026-01-16")], SCHEMAS, "rutin") == {
        "title": "T",
        "decided": {"date": "2026-01-16"},
    }


def test_the_forms_own_fields_are_not_data() -> None:
    assert from_fields([("_csrf", "x"), ("_version", "y"), ("title", "T")], SCHEMAS, "rutin") == {"title": "T"}


AWKWARD = st.sampled_from(["12:00", "yes", "nej", "null", " lead", "a: b", "- x", "#", "rad 1\nrad 2", "å ä ö", '"'])
TEXTS = st.one_of(AWKWARD, st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30))
DECISION = st.one_of(
    TEXTS,
    st.fixed_dictionaries({"text": TEXTS}, optional={"responsible": TEXTS, "due": st.just("2026-12-31")}).filter(
        lambda d: len(d) > 1
    ),
)
ITEM = st.fixed_dictionaries(
    {"number": st.integers(1, 999), "title": TEXTS},
    optional={
        "kind": st.sampled_from(["B", "I", "D", "I/D"]),
        "body": TEXTS,
        "decisions": st.lists(DECISION, max_size=3),
        "presenters": st.lists(TEXTS, max_size=2),
        "public": st.booleans(),
    },
)
PROTOCOL = st.fixed_dictionaries(
    {
        "id": st.just("LSVO-2026-12-11"),
        "type": st.just("protokoll"),
        "title": TEXTS,
        "forum": st.just("LSVO"),
        "meeting": st.fixed_dictionaries({"date": st.one_of(st.none(), st.just("2026-12-11"))}),
        "numbering": st.sampled_from(["paragraph", "list"]),
        "items": st.lists(ITEM, max_size=4),
    },
    optional={
        "adjusters": st.lists(TEXTS, max_size=2),
        "attendance": st.fixed_dictionaries({}, optional={"present": st.lists(TEXTS, max_size=3)}),
        "distribution": st.lists(TEXTS, max_size=2),
    },
)


@settings(max_examples=150, deadline=None)
@given(PROTOCOL)
def test_a_generated_protocol_survives_the_form(data: dict[str, Any]) -> None:
    assert from_fields(to_fields(data), SCHEMAS, "protokoll") == data
