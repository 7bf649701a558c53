"""SB040: decided documents and justerade protocols are records; git shows whether they changed.
SB041: when git cannot show it, say so."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from sb_cli.core.model import Corpus, Document, Finding, Severity
from sb_cli.core.records import Protocol, Record, Styrdokument
from sb_cli.core.rules.base import Context, Rule, Scope

# What a decision fixes: the text and the decided terms (SPEC §5, SB040). An årshjul's events are its text.
DECIDED_FIELDS = ("title", "parties", "decided", "valid_from", "valid_until", "term", "body", "events")


def check(corpus: Corpus, context: Context) -> Iterator[Finding]:
    if context.history is None:  # the caller reports once (SB041) why history was not read
        return
    for document in corpus.documents:
        record = document.record
        if context.wants(document.path) and isinstance(record, Protocol | Styrdokument):
            yield from _changes(document, record, context.history(document))


def _changes(
    document: Document[Record], record: Protocol | Styrdokument, snapshots: list[tuple[str, Record | None]]
) -> Iterator[Finding]:
    found = _baseline(record, snapshots)
    if found is not None:
        commit, baseline = found
        if isinstance(record, Protocol) and record.adjusted is None:
            yield SB040.at(
                document,
                f"protokollet justerades i commit {commit[:7]} men 'adjusted' har tagits bort",
                hint=_hint(record),
            )
            return
        for key in changed_fields(record, baseline):
            yield SB040.at(document, _message(document, commit, key), key, hint=_hint(record))
        return
    if isinstance(record, Styrdokument) and record.status == "beslutad" and record.decided is not None:
        previous = _previous_decision(record, snapshots)
        if previous is not None:
            commit, old = previous
            yield SB040.at(
                document,
                f"version {record.version} har samma beslut som version {old.version} (commit {commit[:7]}): "
                "en ny version kräver ett nytt beslut",
                "decided",
                hint="ange beslutet om den nya versionen i decided (by, date och ref)",
            )


SB040 = Rule(
    "SB040",
    Severity.ERROR,
    "Beslutat dokument eller justerat protokoll har ändrats",
    "Ett beslutat styrdokuments text eller beslutade villkor (titel, parter, beslut, giltighet, "
    "avtalstid), eller ett justerat protokoll, skiljer sig från den commit där det blev beslutat "
    "eller justerat; historiken följer dokumentets id, också när filen flyttas. Administrativa nycklar "
    "(followed_up, adopted, terminated, superseded_by, review_by, status → upphavd) får ändras. Också "
    "SB040: att ta bort adjusted ur ett justerat protokoll, en ny version utan nytt beslut, och (med "
    "--changed-since) ett beslutat dokument eller justerat protokoll som har tagits bort.",
    "Ett beslutat dokument ändras genom en ny version som beslutas på nytt; ett justerat protokoll "
    "rättas genom ett nytt beslut i nästa protokoll.",
    Scope.DOCUMENT,
    check,
)

SB041 = Rule(
    "SB041",
    Severity.WARNING,
    "Historiken kan inte läsas",
    "sb kunde inte läsa dokumentens git-historik, så SB040 kontrollerades inte: mappen är inte ett "
    "git-repositorium, har inga commits, är en grund eller partiell klon, git vägrade läsa den "
    "(dubious ownership), eller git finns inte.",
    "Kör i en fullständig klon (i GitHub Actions: fetch-depth: 0), och lägg vid behov till mappen "
    "med git config --global --add safe.directory MAPP.",
    Scope.FILE,
)


def is_record(record: Record) -> bool:
    if isinstance(record, Protocol):
        return record.adjusted is not None
    return isinstance(record, Styrdokument) and record.status in ("beslutad", "upphavd")


def _baseline(record: Record, snapshots: list[tuple[str, Record | None]]) -> tuple[str, Record] | None:
    """The first commit that held this document as a record: a protocol once justerat, a
    styrdokument once beslutad in the version it has now (whatever its status is now)."""
    for commit, snapshot in snapshots:
        if isinstance(record, Protocol) and isinstance(snapshot, Protocol) and snapshot.adjusted is not None:
            return commit, snapshot
        if (
            isinstance(record, Styrdokument)
            and isinstance(snapshot, Styrdokument)
            and snapshot.status == "beslutad"
            and snapshot.version == record.version
        ):
            return commit, snapshot
    return None


def _previous_decision(
    record: Styrdokument, snapshots: list[tuple[str, Record | None]]
) -> tuple[str, Styrdokument] | None:
    """The latest earlier version that was beslutad by the same decision as this one."""
    decided = record.decided
    for commit, snapshot in reversed(snapshots):
        if isinstance(snapshot, Styrdokument) and snapshot.status == "beslutad" and snapshot.decided is not None:
            old = snapshot.decided
            same = decided is not None and (
                decided.date == old.date or (decided.ref is not None and decided.ref == old.ref)
            )
            return (commit, snapshot) if same and snapshot.version != record.version else None
    return None


def _fields(record: Record) -> dict[str, object]:
    values = msgspec.structs.asdict(record)
    if not isinstance(record, Protocol):
        values = {key: values.get(key) for key in DECIDED_FIELDS}
    if isinstance(values.get("body"), str):
        values["body"] = str(values["body"]).strip()
    return values


def changed_fields(record: Record, baseline: Record) -> list[str]:
    now, then = _fields(record), _fields(baseline)
    return [key for key in sorted(set(now) | set(then)) if now.get(key) != then.get(key)]


def _message(document: Document[Record], commit: str, key: str) -> str:
    what = "texten" if key in ("body", "items", "events") else f"'{key}'"
    record = document.record
    if isinstance(record, Protocol):
        return f"protokollet är justerat (commit {commit[:7]}) men {what} har ändrats sedan dess"
    version = record.version if isinstance(record, Styrdokument) else ""
    if isinstance(record, Styrdokument) and record.status not in ("beslutad", "upphavd"):
        return (
            f"version {version} beslutades i commit {commit[:7]} men {what} har ändrats sedan dess; "
            "ett dokument som arbetas om får en ny version"
        )
    return f"dokumentet är beslutat i version {version} (commit {commit[:7]}) men {what} har ändrats sedan dess"


def _hint(record: Record) -> str:
    if isinstance(record, Protocol):
        return "ett justerat protokoll är en allmän handling: rätta genom ett nytt beslut i nästa protokoll"
    return "ändra 'version' och 'status' (t.ex. till utkast) och låt ändringen beslutas på nytt"


def removed(path: str, record: Record, revision: str) -> Finding | None:
    """SB040 for a record that `revision` held and the corpus no longer has (by its id anywhere)."""
    if not is_record(record):
        return None
    what = (
        f"det justerade protokollet {record.id}"
        if isinstance(record, Protocol)
        else f"det beslutade dokumentet {record.id}"
    )
    return SB040.where(
        path,
        None,
        None,
        f"{what} fanns i {revision} men har tagits bort",
        document=record.id,
        hint="en allmän handling tas inte bort: lägg tillbaka filen; ett styrdokument som inte längre gäller "
        "får status: upphavd",
    )
