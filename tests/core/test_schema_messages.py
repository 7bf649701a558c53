"""SB002 in Swedish: every kind of schema error that jsonschema-rs reports, fed through the real schemas
as a YAML document, gives exactly one message at the line and column of the key it concerns."""

import jsonschema_rs
import pytest

from sb_cli.core.doctypes import names
from sb_cli.core.model import Document, Position
from sb_cli.core.rules import schema
from sb_cli.core.words import shown
from sb_cli.corpus import typed
from tests.builders import SCHEMAS, avtal, protokoll, rutin, source

ALL_TYPES = "välj en av: " + ", ".join(names())
ID_WORDS = "ett id: bokstäver a–z och A–Z, siffror, punkt, bindestreck och understreck, högst 80 tecken"


def sb002(text, path="documents/d0.yaml"):
    document, problems = typed(source(text, path), SCHEMAS)
    assert document is None
    return [(f.code, f.severity.value, f.path, f.line, f.column, f.message, f.hint, f.document) for f in problems]


def schema_hint(name):
    return f"se {name}.schema.json i schemas/ (finns mappen inte: sb schemas --out schemas)"


def e(line, column, message, schema_name, document="r", path="documents/d0.yaml"):
    hint = (
        f"se {schema_name}.schema.json i schemas/ (finns mappen inte: sb schemas --out schemas)"
        if schema_name
        else ALL_TYPES
    )
    return ("SB002", "error", path, line, column, message, hint, document)


def arsrapport(title):
    return f"id: x\ntype: arsrapport\ntitle: {title}\nyear: 2025\n"


P = "LSVO-2026-01-16"  # the id of protokoll()

CASES = [
    ("Required", rutin().replace("title: Rutin\n", ""), [e(1, 1, "'title' saknas", "rutin")]),
    (
        "Required, several at once",
        rutin().replace("type: rutin", "type: avtal"),
        [e(1, 1, "'parties' saknas", "avtal"), e(1, 1, "'valid_until' saknas", "avtal")],
    ),
    (
        "UnevaluatedProperties",
        rutin().replace("title: Rutin\n", "title: Rutin\nfoo: 1\nbar: 2\n"),
        [e(4, 1, "okänd nyckel 'foo'", "rutin"), e(5, 1, "okänd nyckel 'bar'", "rutin")],
    ),
    (
        "AdditionalProperties",
        rutin().replace("date: 2026-01-16}", "date: 2026-01-16, note: x}"),
        [e(7, 39, "okänd nyckel 'note'", "rutin")],
    ),
    (
        "Type text, with the hint to quote",
        rutin().replace('version: "1.0"', "version: 1.0"),
        [e(6, 1, "1.0 ska vara text (sätt citattecken runt värdet)", "rutin")],
    ),
    (
        "Type text, of a boolean",
        rutin().replace("title: Rutin", "title: true"),
        [e(3, 1, "true ska vara text (sätt citattecken runt värdet)", "rutin")],
    ),
    (
        "Type text, of an empty value: nothing to quote",
        protokoll().replace("title: P", "title: null"),
        [e(3, 1, "ett tomt värde ska vara text", "protokoll", P)],
    ),
    (
        "Type text or null",
        protokoll().replace("meeting: {date: 2026-01-16}", "meeting: {date: 5}"),
        [e(5, 11, "5 ska vara tomt eller text (sätt citattecken runt värdet)", "protokoll", P)],
    ),
    (
        "Type mappning",
        protokoll().replace("meeting: {date: 2026-01-16}", "meeting: [1]"),
        [e(5, 1, "en lista med 1 värde ska vara mappning", "protokoll", P)],
    ),
    (
        "Type lista",
        protokoll(numbers=()).replace("items:\n", "items: {a: 1}\n"),
        [e(7, 1, "en mappning (a: …) ska vara lista", "protokoll", P)],
    ),
    (
        "Type sant eller falskt",
        protokoll(item_extra=', public: "ja"'),
        [e(8, 33, "'ja' ska vara sant eller falskt", "protokoll", P)],
    ),
    (
        "Type heltal, of a quoted number",
        protokoll().replace("number: 1", 'number: "1"'),
        [e(8, 6, "'1' ska vara heltal", "protokoll", P)],
    ),
    (
        "Type heltal, of a decimal",
        protokoll().replace("number: 1", "number: 1.5"),
        [e(8, 6, "1.5 ska vara heltal", "protokoll", P)],
    ),
    (
        "Enum",
        rutin().replace("status: beslutad", "status: klar"),
        [e(5, 1, "'klar' är inte tillåtet; välj en av: utkast, remiss, beslutad, upphavd", "rutin")],
    ),
    (
        "Format date",
        rutin().replace("valid_from: 2026-02-01", "valid_from: 2026-02-30"),
        [e(8, 1, "'2026-02-30' är inget giltigt datum (ÅÅÅÅ-MM-DD)", "rutin")],
    ),
    (
        "Format date, deep in a protocol",
        protokoll(item_extra=", kind: B, decisions: [{text: a, due: 2026-13-01}]"),
        [e(8, 64, "'2026-13-01' är inget giltigt datum (ÅÅÅÅ-MM-DD)", "protokoll", P)],
    ),
    (
        "Pattern id",
        rutin().replace("id: r", 'id: "r r"'),
        [e(1, 1, f"'r r' har fel form: ska vara {ID_WORDS}", "rutin", "r r")],
    ),
    (
        "Pattern time",
        protokoll().replace("{date: 2026-01-16}", '{date: 2026-01-16, start: "25:00"}'),
        [
            e(
                5,
                29,
                "'25:00' har fel form: ska vara ett klockslag TT:MM mellan 00:00 och 23:59, t.ex. \"08:15\"",
                "protokoll",
                P,
            )
        ],
    ),
    (
        "Pattern reference",
        protokoll(item_extra=', follows_up: "x y"'),
        [
            e(
                8,
                33,
                "'x y' har fel form: ska vara ett dokument-id, eventuellt med en punkt, "
                "t.ex. 'LSVO-2023-06-16 §64' eller 'att-aldras-2024-02 9'",
                "protokoll",
                P,
            )
        ],
    ),
    (
        "Pattern kind",
        protokoll(item_extra=", kind: X"),
        [e(8, 33, "'X' har fel form: ska vara B, I, D eller kombinationer som I/D", "protokoll", P)],
    ),
    (
        "Pattern letter",
        protokoll(item_extra=", subitems: [{letter: A, title: x}]"),
        [e(8, 45, "'A' har fel form: ska vara en liten bokstav a–z", "protokoll", P)],
    ),
    (
        "Pattern year of a date",
        rutin().replace("valid_from: 2026-02-01", 'valid_from: "1826-02-01"'),
        [e(8, 1, "'1826-02-01' har fel form: ska vara ett datum mellan åren 1900 och 2999", "rutin")],
    ),
    (
        "MinItems",
        avtal().replace("parties: [region-blekinge, karlskrona]", "parties: [karlskrona]"),
        [e(7, 1, "minst 2 värden krävs", "overenskommelse", "a")],
    ),
    (
        "UniqueItems",
        avtal().replace("parties: [region-blekinge, karlskrona]", "parties: [karlskrona, karlskrona]"),
        [e(7, 1, "samma värde står flera gånger", "overenskommelse", "a")],
    ),
    (
        "Minimum",
        avtal().replace("notice_months: 12", "notice_months: -1"),
        [e(12, 8, "-1 är mindre än 0", "overenskommelse", "a")],
    ),
    (
        "Maximum",
        avtal().replace("notice_months: 12", "notice_months: 5000"),
        [e(12, 8, "5000 är större än 1200", "overenskommelse", "a")],
    ),
    ("MinLength", rutin().replace("title: Rutin", 'title: ""'), [e(3, 1, "värdet får inte vara tomt", "rutin")]),
    (
        "AnyOf: the deepest branch speaks",
        rutin().replace("owner: LSVO\n", 'owner: LSVO\nsupersedes: [a, "b c"]\n'),
        [e(5, 17, f"'b c' har fel form: ska vara {ID_WORDS}", "rutin")],
    ),
    (
        "AnyOf: no branch deeper than the value",
        rutin().replace("owner: LSVO\n", "owner: LSVO\nsupersedes: 5\n"),
        [e(5, 1, "5 har fel form", "rutin")],
    ),
    (
        "AnyOf: branches as deep as the value",
        protokoll(present="[{name: Rut, seat: 1}]"),
        [e(7, 24, "en mappning (name: …) har fel form", "protokoll", P)],
    ),
    (
        "AnyOf of the whole document, cut",
        arsrapport("Årsrapport"),
        [
            e(1, 1, "'date' saknas", "arsrapport", "x"),
            e(1, 1, "en mappning (id: …) har fel form", "arsrapport", "x"),
        ],
    ),
    ("unknown type", rutin().replace("type: rutin", "type: nej"), [e(2, 1, "okänd dokumenttyp 'nej'", None)]),
    ("unknown type, not a text", rutin().replace("type: rutin", "type: 5"), [e(2, 1, "okänd dokumenttyp 5", None)]),
    (
        "unknown type, long",
        "id: r\ntitle: T\ntype: " + "x" * 70 + "\n",
        [e(3, 1, "okänd dokumenttyp '" + "x" * 56 + "…", None)],
    ),
    ("missing type", "title: T\nid: r\n", [e(1, 1, "'type' saknas", None)]),
    ("empty type", "title: T\nid: r\ntype:\n", [e(1, 1, "'type' saknas", None)]),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_schema_error_has_its_swedish_message_and_position(name, text, expected):
    assert sb002(text) == expected


def test_a_value_is_shown_whole_up_to_60_characters_and_cut_after():
    fits = "a" * 56 + " b"  # 58 characters, 60 with the quotes
    assert sb002(rutin().replace("id: r", f'id: "{fits}"')) == [
        e(1, 1, f"'{fits}' har fel form: ska vara {ID_WORDS}", "rutin", fits)
    ]
    longer = "a" * 57 + " b"
    assert sb002(rutin().replace("id: r", f'id: "{longer}"')) == [
        e(1, 1, f"'{'a' * 56}… har fel form: ska vara {ID_WORDS}", "rutin", longer)
    ]


def test_show_writes_values_as_the_yaml_does_never_as_python():
    assert shown("abc") == "'abc'"
    assert shown(12) == "12"
    assert shown(None) == "ett tomt värde"
    assert (shown(True), shown(False)) == ("true", "false")
    assert shown({"godkänna x": "y"}) == "en mappning (godkänna x: …)"
    assert (shown({}), shown([])) == ("en tom mappning", "en tom lista")
    assert shown([1] * 30) == "en lista med 30 värden"
    assert shown("x" * 58) == "'" + "x" * 58 + "'"
    assert shown("x" * 59) == "'" + "x" * 56 + "…"
    assert shown("y" * 201, 200) == "y" * 197 + "…"


def own(schema_json):
    return jsonschema_rs.Draft202012Validator(schema_json, validate_formats=True)


def checked(text, schema_json):
    """SB002 findings of `text` against a schema of its own (kinds that sb's schemas do not use)."""
    found = schema.validate(source(text), own({"type": "object", "properties": schema_json}), "prov")
    return [(f.code, f.severity.value, f.path, f.line, f.column, f.message, f.hint, f.document) for f in found]


def p(line, column, message, document=None):
    return (
        "SB002",
        "error",
        "documents/d0.yaml",
        line,
        column,
        message,
        schema_hint("prov"),
        document,
    )


OWN_KINDS = [
    ("Constant", "id: r\nkind: b\n", {"kind": {"const": "a"}}, [p(2, 1, "'b' ska vara 'a'", "r")]),
    ("Constant, not a text", "n: 2\n", {"n": {"const": 1}}, [p(1, 1, "2 ska vara 1")]),
    ("MaxLength", "code: abcd\n", {"code": {"maxLength": 3}}, [p(1, 1, "värdet är längre än 3 tecken")]),
    ("Type tal", "n: x\n", {"n": {"type": "number"}}, [p(1, 1, "'x' ska vara tal")]),
    (
        "Type with several names",
        "n: [1]\n",
        {"n": {"type": ["integer", "boolean", "object"]}},
        [p(1, 1, "en lista med 1 värde ska vara sant eller falskt eller heltal eller mappning")],
    ),
    (
        "Pattern without words",
        "code: b\n",
        {"code": {"pattern": "^a+$"}},
        [p(1, 1, "'b' har fel form")],
    ),
    (
        "OneOf: the deepest branch speaks",
        "v:\n  - 1\n  - x\n",
        {"v": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "integer"}}]}},
        [p(3, 5, "'x' ska vara heltal")],
    ),
    (
        "OneOf: no branch deeper",
        "v: 1\n",
        {"v": {"oneOf": [{"type": "string"}, {"type": "array"}]}},
        [p(1, 1, "1 har fel form")],
    ),
    (
        "another format",
        "mail: nope\n",
        {"mail": {"format": "email"}},
        [p(1, 1, "'nope' är inget giltigt e-postadress")],
    ),
    (
        "another kind: MaxItems",
        "v: [1, 2]\n",
        {"v": {"maxItems": 1}},
        [p(1, 1, "en lista med 2 värden följer inte schemat")],
    ),
    (
        "a key that makes a text a mapping",
        "v: {a: b}\n",
        {"v": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        [p(1, 1, "en mappning (a: …) där en text väntas: ett kolon följt av mellanslag gör texten till en nyckel")],
    ),
]


@pytest.mark.parametrize(("name", "text", "properties", "expected"), OWN_KINDS, ids=[c[0] for c in OWN_KINDS])
def test_kinds_that_sbs_schemas_do_not_use_have_messages_too(name, text, properties, expected):
    assert checked(text, properties) == expected


def test_a_value_is_shown_in_at_most_60_characters():
    whole = "x" * 58  # with its quotes, 60
    assert checked(f"mail: {whole}\n", {"mail": {"format": "email"}}) == [
        p(1, 1, f"'{whole}' är inget giltigt e-postadress")
    ]
    assert checked(f"mail: {whole}x\n", {"mail": {"format": "email"}}) == [
        p(1, 1, f"'{whole[:56]}… är inget giltigt e-postadress")
    ]


def test_a_valid_document_has_no_findings_and_becomes_its_record():
    text = rutin(body="Se [x](r).")
    loaded = source(text)
    assert list(schema.validate(loaded, SCHEMAS["rutin"], "rutin")) == []
    assert list(schema.findings(loaded, SCHEMAS)) == []
    built = schema.to_document(loaded)
    assert isinstance(built, Document)
    assert (built.path, built.id, built.type, built.record.body) == ("documents/d0.yaml", "r", "rutin", "Se [x](r).")
    assert built.positions == loaded.positions and built.positions[("version",)] == Position(6, 1)
    assert built.links == loaded.links and [link.target for link in built.links] == ["r"]
    assert typed(loaded, SCHEMAS) == (built, [])


def test_a_type_without_schema_is_not_checked_against_one():
    assert list(schema.findings(source(rutin().replace("title: Rutin\n", "")), {})) == []


def test_what_the_schema_let_through_but_the_record_cannot_take_is_sb002_at_its_key():
    # Without sb's schemas (a repository's own may be looser) the typed record says what is wrong.
    document, problems = typed(source(rutin().replace("{by: LSVO,", "{by: 5,")), {})
    assert document is None
    assert [(f.code, f.severity.value, f.path, f.line, f.column, f.message, f.hint, f.document) for f in problems] == [
        ("SB002", "error", "documents/d0.yaml", 7, 11, "värdet ska vara text, inte heltal", None, "r")
    ]
    assert typed(source("id: r\ntype: rutin\n"), {})[1][0].message == "'title' saknas"


def test_a_markdown_body_becomes_the_body_of_the_typed_record():
    header = 'id: r\ntype: rutin\ntitle: T\nowner: LSVO\nstatus: utkast\nversion: "1"\n'
    built = schema.to_document(source(f"---\n{header}---\n# Rubrik\n\nText.\n", "documents/d0.md"))
    assert isinstance(built, Document) and built.record.body == "# Rubrik\n\nText.\n"


# --- suggestions for unknown keys ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the Swedish title of the key where it is written: an item's "Beslut" is `decisions`
            protokoll(item_extra=", kind: I, beslut: [godkänna]"),
            "okänd nyckel 'beslut'; menade du 'decisions'?",
        ),
        (rutin().replace("title: Rutin\n", "title: Rutin\ntitel: x\n"), "okänd nyckel 'titel'; menade du 'title'?"),
        (  # the last part of a compound title: "Dokumentägare"
            rutin().replace("title: Rutin\n", "title: Rutin\nägare: LSVO\n"),
            "okänd nyckel 'ägare'; menade du 'owner'?",
        ),
        (
            rutin().replace("title: Rutin\n", "title: Rutin\ngiltig_till: 2027-01-01\n"),
            "okänd nyckel 'giltig_till'; menade du 'valid_until'?",
        ),
        (  # the styrdokument header's `decided` is "Beslut" at the top of a rutin
            rutin().replace("title: Rutin\n", "title: Rutin\nbeslut: x\n"),
            "okänd nyckel 'beslut'; menade du 'decided'?",
        ),
        (rutin().replace("title: Rutin\n", "title: Rutin\nfoo: 1\n"), "okänd nyckel 'foo'"),
    ],
)
def test_an_unknown_key_suggests_the_known_key_it_most_likely_means(text: str, expected: str) -> None:
    messages = [message for *_, message, _hint, _doc in sb002(text) if "okänd nyckel" in message]
    assert messages == [expected]


def test_a_place_in_the_meeting_is_suggested_from_the_meeting_keys_only() -> None:
    text = protokoll().replace("meeting: {date: 2026-01-16}", "meeting: {date: 2026-01-16, plats: Teams}")
    assert [m for *_, m, _h, _d in sb002(text)] == ["okänd nyckel 'plats'; menade du 'place'?"]


def test_nearest_key_by_spelling_title_and_compound_and_none_when_far() -> None:
    known = {"decisions": "Beslut", "owner": "Dokumentägare", "date": "Mötesdatum", "due": "Senast"}
    assert schema.nearest_key("Beslut", known) == "decisions"
    assert schema.nearest_key("ownr", known) == "owner"
    assert schema.nearest_key("ägare", known) == "owner"
    assert schema.nearest_key("xyz", known) is None
    assert schema.nearest_key("datum", {"date": "Mötesdatum", "due": "Slutdatum"}) is None  # two fit
    assert schema.unknown_key("foo", known) == "okänd nyckel 'foo'"


def test_known_keys_follow_refs_and_all_of_into_the_header() -> None:
    schemas = SCHEMAS["rutin"].schemas
    keys = schema.known_keys(schemas, "https://x/schemas/rutin.schema.json#/unevaluatedProperties")
    assert {"type", "owner", "decided", "valid_until"} <= set(keys)
    assert keys["owner"] == "Dokumentägare"
    meeting = schema.known_keys(schemas, "https://x/schemas/common.schema.json#/$defs/meeting/additionalProperties")
    assert {"date", "start", "end", "place"} <= set(meeting)
    assert schema.known_keys(schemas, "https://x/schemas/saknas.schema.json#/additionalProperties") == {}
