"""Small corpora built from YAML text, for the tests of the core as pure functions."""

from __future__ import annotations

import datetime as dt

from sb_cli.core.model import Corpus, Document, Source
from sb_cli.core.organisation import organisation_from
from sb_cli.core.records import Record
from sb_cli.corpus import typed
from sb_cli.io.loader import parse_bytes
from sb_cli.io.schemas import validators
from sb_cli.io.yamlpos import parse_yaml
from tests.conftest import CASES, REPO

ORGANISATION = organisation_from(parse_yaml((CASES / "organisation.yaml").read_text("utf-8")).data)
SCHEMAS = validators(REPO / "schemas")
AS_OF = dt.date(2026, 3, 1)


def source(text: str, path: str = "documents/d0.yaml") -> Source:
    loaded = parse_bytes(path, text.encode("utf-8"))
    assert loaded.source is not None, loaded.finding
    return loaded.source


def document(text: str, path: str = "documents/d0.yaml") -> Document[Record]:
    built, problems = typed(source(text, path), SCHEMAS)
    assert built is not None, [f.message for f in problems]
    return built


def corpus(*texts: str) -> Corpus:
    return Corpus.of(tuple(document(t, f"documents/d{i}.yaml") for i, t in enumerate(texts)), ORGANISATION)


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


def rutin(owner: str = "LSVO", review_by: str = "2027-01-01", body: str = "Text.") -> str:
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
term: {{notice_months: 12{renewal}}}
adopted: {adopted}
"""
BOTH = "[{party: region-blekinge, date: 2024-01-20}, {party: karlskrona, date: 2024-01-21}]"


def avtal(
    valid_from: str = "2024-02-01",
    valid_until: str = "2029-12-31",
    review_by: str = "2028-01-01",
    renewal: int | None = 24,
    adopted: str = BOTH,
) -> str:
    return AVTAL.format(
        valid_from=valid_from,
        valid_until=valid_until,
        review_by=review_by,
        renewal=f", renewal_months: {renewal}" if renewal else "",
        adopted=adopted,
    )


def protokoll(
    id_: str = "LSVO-2026-01-16",
    day: str = "2026-01-16",
    numbers: tuple[int, ...] = (1,),
    present: str | None = None,
    extra: str = "",
    item_extra: str = ", kind: I",
) -> str:
    items = "\n".join(f"  - {{number: {n}, title: Punkt {n}{item_extra}}}" for n in numbers)
    attendance = f"attendance: {{present: {present}}}\n" if present is not None else ""
    return (
        f"id: {id_}\ntype: protokoll\ntitle: P\nforum: LSVO\nmeeting: {{date: {day}}}\n"
        f"numbering: paragraph\n{attendance}{extra}items:\n{items}\n"
    )


def wheel(*events: str, id_: str = "w", status: str = "utkast", version: str = "0.1", head: str = "") -> str:
    """An årshjul of LSVO's with these events (each a YAML flow mapping); `head` holds the lines that go
    between its version and its events (decided, supersedes, year …)."""
    lines = "\n".join(f"  - {e}" for e in events)
    return (
        f'id: {id_}\ntype: arshjul\ntitle: Årshjul\nowner: LSVO\nstatus: {status}\nversion: "{version}"\n'
        f"{head}events:\n{lines}\n"
    )
