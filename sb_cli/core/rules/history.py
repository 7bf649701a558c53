"""SB040: decided documents and justerade protocols are records; git shows whether they changed.
SB041: when git cannot show it, say so."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import msgspec

from sb_cli.core.model import Corpus, Document, Finding, Severity, Source
from sb_cli.core.records import Protocol, Record, Styrdokument
from sb_cli.core.rules.base import Context, Rule, Scope

# What a decision fixes: the text and the decided terms (SPEC §5, SB040). An årshjul's events are its text.
# Its id and type name what was decided: a record keeps them whatever its file says later.
DECIDED_FIELDS = ("id", "type", "title", "parties", "decided", "valid_from", "valid_until", "term", "body", "events")


def check(corpus: Corpus, context: Context) -> Iterator[Finding]:
    if context.history is None:  # the caller reports once (SB041) why history was not read
        return
    for document in corpus.documents:
        if context.wants(document.path):  # any type: a record stays one whatever its file says now
            yield from _changes(document, document.record, context.history(document), context.descends)


def _changes(
    document: Document[Record],
    record: Record,
    snapshots: list[tuple[str, Record | None]],
    descends: Callable[[str, str], bool] | None,
) -> Iterator[Finding]:
    baselines = _baselines(record, snapshots, descends)
    if baselines:
        commit, baseline = baselines[0]
        if isinstance(record, Protocol) and record.adjusted is None:
            yield SB040.at(
                document,
                f"protokollet justerades i commit {commit[:7]} men 'adjusted' har tagits bort",
                hint=_hint(baseline),
            )
            return
        commit, baseline, keys = _first_difference(record, [_corrected(b, snapshots, descends) for b in baselines])
        for key in keys:
            yield SB040.at(document, _message(document, commit, key, baseline), key, hint=_hint(baseline, key))
        yield from _posting_changed(document, record, snapshots)
        return
    other = _other_kind(record, snapshots)
    if other is not None:
        commit, baseline = other
        yield SB040.at(document, _message(document, commit, "type", baseline), "type", hint=_hint(baseline))
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


# What a correction of the transcription may change: the text. The decided terms stay as decided.
TEXT_FIELDS = ("body", "events")


SB040 = Rule(
    "SB040",
    Severity.ERROR,
    "Beslutat dokument eller justerat protokoll har ändrats",
    "Ett beslutat styrdokuments text eller beslutade villkor (titel, parter, beslut, giltighet, "
    "avtalstid), eller ett justerat protokoll, skiljer sig från den commit där det blev beslutat "
    "eller justerat; historiken följer dokumentets id genom hela repositoriet och alla sammanslagna "
    "grenar, också när filen eller dokumentmappen flyttas, före eller efter commit. Ett beslutat "
    "dokument eller justerat protokoll förblir det vad filen än säger senare: att byta typ eller id "
    "döljer det inte. Administrativa nycklar (followed_up, adopted, terminated, superseded_by, "
    "review_by, status → upphavd) får ändras. Också SB040: att ta bort adjusted ur ett justerat "
    "protokoll, en ny version utan nytt beslut, och (med --changed-since) ett beslutat dokument eller "
    "justerat protokoll som har tagits bort eller skiljer sig från revisionens egen kopia. En felaktig "
    "avskrift av ett beslutat dokument får rättas: texten får ändras när samma ändring lägger till en "
    "ny post under corrections, men en rättelse som redan finns får aldrig ändras eller tas bort.",
    "Ett beslutat dokument ändras genom en ny version som beslutas på nytt; en avskrift som inte "
    "stämmer med källan rättas med en ny post under corrections; ett justerat protokoll rättas genom "
    "ett nytt beslut i nästa protokoll.",
    Scope.DOCUMENT,
    check,
)

SB041 = Rule(
    "SB041",
    Severity.WARNING,
    "Historiken kan inte läsas",
    "sb kunde inte läsa dokumentens git-historik, så SB040 kontrollerades inte: mappen är inte ett "
    "git-repositorium, har inga commits, är en grund eller partiell klon, historiken är omskriven med "
    "grafts (.git/info/grafts), git vägrade läsa den (dubious ownership), eller git finns inte.",
    "Kör i en fullständig klon (i GitHub Actions: fetch-depth: 0) utan grafts, och lägg vid behov till "
    "mappen med git config --global --add safe.directory MAPP.",
    Scope.FILE,
)


def _posting_changed(
    document: Document[Record], record: Record, snapshots: list[tuple[str, Record | None]]
) -> Iterator[Finding]:
    """A justerat protocol's posting day (anslag) may be added after the justering, once: the first
    commit that holds it fixes it."""
    if not isinstance(record, Protocol):
        return
    for commit, snapshot in snapshots:
        if isinstance(snapshot, Protocol) and snapshot.adjusted is not None and snapshot.announced is not None:
            if record.announced != snapshot.announced:
                yield SB040.at(
                    document,
                    f"protokollet anslogs {snapshot.announced} enligt commit {commit[:7]}, men 'announced' "
                    + ("har tagits bort" if record.announced is None else f"säger nu {record.announced}"),
                    "announced" if record.announced is not None else "adjusted",
                    hint="återställ announced: anslagsdagen är en del av protokollets historia",
                )
            return


def is_record(record: Record) -> bool:
    if isinstance(record, Protocol):
        return record.adjusted is not None
    return isinstance(record, Styrdokument) and record.status in ("beslutad", "upphavd")


def _baselines(
    record: Record, snapshots: list[tuple[str, Record | None]], descends: Callable[[str, str], bool] | None
) -> list[tuple[str, Record]]:
    """The commits that made this document the record it is: the first that held it justerat (a
    protocol) or beslutad in the version it has now (a styrdokument, whatever its status is now).
    Two lines of history merged into one can each have decided it; a later version that descends
    from one of them is a change of it, not another decision."""
    found: list[tuple[str, Record]] = []
    for commit, snapshot in snapshots:
        if snapshot is None or not _same_record(record, snapshot):
            continue
        if not found:
            found.append((commit, snapshot))
            continue
        if descends is None or any(not changed_fields(snapshot, b) for _, b in found):
            continue
        if not any(descends(commit, earlier) for earlier, _ in found):
            found.append((commit, snapshot))
    return found


def _first_difference(record: Record, baselines: list[tuple[str, Record]]) -> tuple[str, Record, list[str]]:
    """The first baseline the document differs from, and in what. Decided on two lines of history
    with two texts, a merge keeps one of them and so changes the other."""
    for commit, baseline in baselines:
        keys = changed_fields(record, baseline)
        if keys:
            return commit, baseline, keys
    commit, baseline = baselines[0]
    return commit, baseline, []


def _corrected(
    baseline: tuple[str, Record],
    snapshots: list[tuple[str, Record | None]],
    descends: Callable[[str, str], bool] | None,
) -> tuple[str, Record]:
    """The record as the corrections of its transcription made since `baseline` left it: the latest
    later version (on the same line of history) that kept every earlier correction, added one and
    changed no decided term. A version that changed the text without one is passed over."""
    commit, latest = baseline
    if not isinstance(latest, Styrdokument):
        return baseline
    commits = [c for c, _ in snapshots]
    for candidate, snapshot in snapshots[commits.index(commit) + 1 if commit in commits else len(commits) :]:
        if (
            snapshot is not None
            and _same_record(latest, snapshot)
            and _adds_correction(snapshot, latest)
            and not changed_fields(snapshot, latest)
            and (descends is None or descends(candidate, commit))
        ):
            commit, latest = candidate, snapshot
    return commit, latest


def _corrections(record: Record) -> tuple[object, ...]:
    return record.corrections if isinstance(record, Styrdokument) else ()


def _keeps_corrections(record: Record, baseline: Record) -> bool:
    """Whether every correction the baseline holds is still there, first and unchanged."""
    then = _corrections(baseline)
    return _corrections(record)[: len(then)] == then


def _adds_correction(record: Record, baseline: Record) -> bool:
    """Whether the record keeps the baseline's corrections and adds at least one."""
    return _keeps_corrections(record, baseline) and len(_corrections(record)) > len(_corrections(baseline))


def _same_record(record: Record, snapshot: Record) -> bool:
    if isinstance(record, Protocol):
        return isinstance(snapshot, Protocol) and snapshot.adjusted is not None
    return (
        isinstance(record, Styrdokument)
        and isinstance(snapshot, Styrdokument)
        and snapshot.status == "beslutad"
        and snapshot.version == record.version
    )


def _other_kind(record: Record, snapshots: list[tuple[str, Record | None]]) -> tuple[str, Record] | None:
    """The first version that was a record of another kind than the document is now (a justerat
    protocol that is now a tjänsteskrivelse, a beslutad document that is now a protocol)."""
    for commit, snapshot in snapshots:
        if isinstance(snapshot, Protocol) and snapshot.adjusted is not None and not isinstance(record, Protocol):
            return commit, snapshot
        if (
            isinstance(snapshot, Styrdokument)
            and snapshot.status == "beslutad"
            and not isinstance(record, Styrdokument)
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
    """The decided keys the record changed since the baseline; the text only when no new correction
    of the transcription comes with it, and 'corrections' when an earlier correction was changed or
    removed."""
    now, then = _fields(record), _fields(baseline)
    keys = [key for key in sorted(set(now) | set(then)) if now.get(key) != then.get(key)]
    if isinstance(baseline, Protocol) and baseline.announced is None:
        keys = [key for key in keys if key != "announced"]  # posting a justering after it does not change it
    if _adds_correction(record, baseline):
        keys = [key for key in keys if key not in TEXT_FIELDS]
    if not _keeps_corrections(record, baseline):
        keys.append("corrections")
    return keys


def _message(document: Document[Record], commit: str, key: str, baseline: Record) -> str:
    if key == "corrections":
        return (
            f"en rättelse av avskriften som fanns i commit {commit[:7]} har ändrats eller tagits bort; "
            "en rättelse står kvar som den skrevs"
        )
    what = "texten" if key in ("body", "items", "events") else f"'{key}'"
    if isinstance(baseline, Protocol):
        return f"protokollet är justerat (commit {commit[:7]}) men {what} har ändrats sedan dess"
    version = baseline.version if isinstance(baseline, Styrdokument) else ""
    record = document.record
    if isinstance(record, Styrdokument) and record.status not in ("beslutad", "upphavd") and key != "type":
        return (
            f"version {version} beslutades i commit {commit[:7]} men {what} har ändrats sedan dess; "
            "ett dokument som arbetas om får en ny version"
        )
    if _corrections(baseline):
        return (
            f"dokumentet är beslutat i version {version} och avskriften rättades i commit {commit[:7]}, "
            f"men {what} har ändrats sedan dess utan en ny rättelse"
        )
    return f"dokumentet är beslutat i version {version} (commit {commit[:7]}) men {what} har ändrats sedan dess"


def _hint(record: Record, key: str = "") -> str:
    if isinstance(record, Protocol):
        return "ett justerat protokoll är en allmän handling: rätta genom ett nytt beslut i nästa protokoll"
    redecide = "ändra 'version' och 'status' (t.ex. till utkast) och låt ändringen beslutas på nytt"
    if key == "corrections":
        return "lägg tillbaka rättelsen som den stod; en ny rättelse läggs till sist under corrections"
    if key in TEXT_FIELDS:
        return (
            f"{redecide}; stämmer avskriften inte med källan, lägg i samma ändring till en ny post under "
            "corrections (date, note, source)"
        )
    return redecide


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


def differs_from(source: Source, record: Record, then: Record, revision: str) -> list[Finding]:
    """SB040 for a record that differs from the copy of the same id that `revision` holds as a record
    (whatever history lies between: two branches can each have decided it)."""
    if isinstance(then, Protocol):
        keys = ["type"] if not isinstance(record, Protocol) else changed_fields(record, then)
        if isinstance(record, Protocol) and record.adjusted is None:
            keys = ["adjusted"]
        held = f"protokollet är justerat i {revision}"
    elif isinstance(then, Styrdokument):
        if isinstance(record, Styrdokument) and record.version != then.version:
            return []  # a new version: its decision is checked against the history
        keys = ["type"] if not isinstance(record, Styrdokument) else changed_fields(record, then)
        held = f"dokumentet är beslutat i version {then.version} i {revision}"
    else:
        return []
    findings = []
    for key in keys:
        what = "texten" if key in ("body", "items", "events") else f"'{key}'"
        if key == "corrections":
            what = "en rättelse av avskriften"
        change = "har tagits bort" if key == "adjusted" else "skiljer sig från den versionen"
        findings.append(SB040.at(source, f"{held} men {what} {change}", key, hint=_hint(then, key)))
    return findings
