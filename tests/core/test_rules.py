"""Every rule as a pure function, both ways: it fires on the broken input and stays quiet on the mended one."""

import datetime as dt
from pathlib import Path

import pytest

from sb_cli.core.model import Corpus
from sb_cli.core.organisation import organisation_from
from sb_cli.core.rules import Context, dates, meetings, privacy, records, references, schema
from sb_cli.io.loader import parse_bytes
from sb_cli.io.schemas import validators
from sb_cli.io.yamlpos import parse_yaml
from tests.conftest import CASES, REPO

ORGANISATION = organisation_from(parse_yaml((CASES / "organisation.yaml").read_text("utf-8")).data)
AS_OF = dt.date(2026, 3, 1)
SCHEMAS = validators(REPO / "schemas")


def corpus(*texts: str) -> Corpus:
    docs = tuple(parse_bytes(f"documents/d{i}.yaml", t.encode()).document for i, t in enumerate(texts))
    return Corpus.of(docs, ORGANISATION)


def codes(rule, *texts: str, **context) -> list[str]:
    found = rule(corpus(*texts), Context(as_of=AS_OF, schemas=SCHEMAS, **context))
    return [f.code for f in found]


RUTIN = """id: r
type: rutin
title: Rutin
owner: {owner}
status: beslutad
version: "1.0"
decided: {{by: LSVO, date: 2026-01-16}}
valid_from: 2026-02-01
review_by: {review_by}
body: "{body}"
"""


def rutin(owner="LSVO", review_by="2027-01-01", body="Text."):
    return RUTIN.format(owner=owner, review_by=review_by, body=body)


AVTAL = """id: a
type: overenskommelse
title: Avtal
owner: LSVO
status: beslutad
version: "1.0"
parties: [region-blekinge, karlskrona]
decided: {{by: LSVO, date: 2024-01-12}}
valid_from: {valid_from}
valid_until: {valid_until}
review_by: {review_by}
term: {{notice_months: 12, renewal_months: {renewal}}}
adopted: {adopted}
"""
BOTH = "[{party: region-blekinge, date: 2024-01-20}, {party: karlskrona, date: 2024-01-21}]"


def avtal(valid_from="2024-02-01", valid_until="2029-12-31", review_by="2028-01-01", renewal=24,
          adopted=BOTH):
    return AVTAL.format(valid_from=valid_from, valid_until=valid_until, review_by=review_by,
                        renewal=renewal, adopted=adopted)


def protokoll(id_="LSVO-2026-01-16", day="2026-01-16", numbers=(1,), present=None, extra="",
              item_extra=", kind: I"):
    items = "\n".join(f"  - {{number: {n}, title: Punkt {n}{item_extra}}}" for n in numbers)
    attendance = f"attendance: {{present: {present}}}\n" if present is not None else ""
    return (f"id: {id_}\ntype: protokoll\ntitle: P\nforum: LSVO\nmeeting: {{date: {day}}}\n"
            f"numbering: paragraph\n{attendance}{extra}items:\n{items}\n")


CASES_BOTH_WAYS = [
    ("SB002", schema.check, [rutin().replace("owner: LSVO\n", "")], [rutin()]),
    ("SB003", references.check_ids, [rutin(), rutin()], [rutin(), rutin().replace("id: r", "id: r2")]),
    ("SB004", references.check_known, [rutin(owner="PSVO-X")], [rutin()]),
    ("SB004", references.check_references, [rutin().replace("owner: LSVO\n", "owner: LSVO\nsupersedes: finns-inte\n")],
     [rutin().replace("id: r", "id: r2"), rutin().replace("owner: LSVO\n", "owner: LSVO\nsupersedes: r2\n")]),
    ("SB005", dates.check, [avtal(valid_from="2030-01-01")], [avtal()]),
    ("SB010", dates.check, [rutin(review_by="2026-02-28")], [rutin(review_by="2026-03-01")]),
    ("SB011", dates.check, [avtal(valid_until="2026-02-28", review_by="2026-01-01", renewal=0)],
     [avtal()]),
    ("SB012", dates.check, [avtal(valid_until="2027-03-31", review_by="2027-01-01")], [avtal()]),
    ("SB013", dates.check, [avtal(adopted="[]")], [avtal()]),
    ("SB020", meetings.check_numbering,
     [protokoll(numbers=(1, 2)), protokoll("LSVO-2026-02-13", "2026-02-13", (4,))],
     [protokoll(numbers=(1, 2)), protokoll("LSVO-2026-02-13", "2026-02-13", (3,))]),
    ("SB021", meetings.check_quorum,
     [protokoll(present="[Rut Region, Kim Kommun]", item_extra=", kind: B, decisions: [x]")],
     [protokoll(present="[Rut Region, Rolf Region, Kim Kommun, Kajsa Kommun]",
                item_extra=", kind: B, decisions: [x]")]),
    ("SB022", meetings.check_notice,
     ["id: k\ntype: kallelse\ntitle: K\nforum: LSVO\nmeeting: {date: 2026-03-13}\nsent: 2026-03-07\nitems: []\n"],
     ["id: k\ntype: kallelse\ntitle: K\nforum: LSVO\nmeeting: {date: 2026-03-13}\nsent: 2026-03-06\nitems: []\n"]),
    ("SB023", meetings.check_attendance, [protokoll(present="[Rut Region, Okänd]")],
     [protokoll(present="[Rut Region, rolf-region]")]),
    ("SB024", meetings.check_deferrals,
     [protokoll(item_extra=", kind: I, deferred_to: 2026-02-13"),
      protokoll("LSVO-2026-02-13", "2026-02-13", (2,)).replace("Punkt 2", "Annat")],
     [protokoll(item_extra=", kind: I, deferred_to: 2026-02-13"),
      protokoll("LSVO-2026-02-13", "2026-02-13", (2,)).replace("Punkt 2", "Punkt 1")]),
    ("SB025", meetings.check_kinds, [protokoll(item_extra=", kind: B")],
     [protokoll(item_extra=", kind: B, decisions: [godkänna]")]),
    ("SB030", privacy.check, [rutin(body="Gäller 811218-9876.")], [rutin(body="Gäller 811218-9875.")]),
    ("SB031", references.check_links, [rutin(body="Se [x](saknas.md).")], [rutin(body="Se [x](r).")]),
]


@pytest.mark.parametrize(("code", "rule", "fires", "quiet"), CASES_BOTH_WAYS,
                         ids=[c[0] for c in CASES_BOTH_WAYS])
def test_rule_fires_and_stays_quiet(code, rule, fires, quiet):
    context = {"path_exists": lambda p: False}
    assert code in codes(rule, *fires, **context)
    assert code not in codes(rule, *quiet, **context)


def test_sb001_is_the_loader(tmp_path: Path):
    assert parse_bytes("x.yaml", b"a: [\n").finding.code == "SB001"
    assert parse_bytes("x.yaml", b"a: []\n").finding is None


def test_sb040_fires_on_changed_text_and_not_on_administrative_keys():
    before = parse_bytes("documents/d0.yaml", rutin().encode()).document
    history = {"documents/d0.yaml": [("c0ffee", before)]}
    context = {"history": lambda path: history.get(path, [])}
    assert codes(records.check, rutin(body="Ny text."), **context) == ["SB040"]
    assert codes(records.check, rutin(review_by="2028-01-01"), **context) == []


def test_selected_limits_per_document_rules():
    found = codes(schema.check, rutin().replace("owner: LSVO\n", ""), selected=frozenset({"other"}))
    assert found == []
