"""SB005 inconsistent dates, SB010 review overdue, SB011 expired, SB012 notice window, SB013 adoption."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sb_cli.core.doctypes import is_agreement
from sb_cli.core.meetings import earliest_day
from sb_cli.core.model import Corpus, Document, Finding, Severity
from sb_cli.core.records import Protocol, Styrdokument
from sb_cli.core.rules.base import Context, Rule, Scope
from sb_cli.core.terms import TermStatus, add_days, schedule_of, status
from sb_cli.core.words import days


def _in_force(corpus: Corpus, context: Context) -> Iterator[tuple[Document[Styrdokument], TermStatus | None]]:
    """The decided styrdokument the run asks about, with the status of their term (if any)."""
    for document in corpus.styrdokument():
        if document.record.status == "beslutad":
            schedule = schedule_of(document.record)
            yield document, status(schedule, context.as_of) if schedule else None


def check_order(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.styrdokument():
        yield from _styrdokument_order(document, context.as_of)
    for protocol in corpus.protocols():
        yield from _protocol_order(protocol)


def _styrdokument_order(document: Document[Styrdokument], as_of: dt.date) -> Iterator[Finding]:
    record = document.record
    valid_from, valid_until, review_by = record.valid_from, record.valid_until, record.review_by
    if valid_from and valid_until and valid_from > valid_until:
        yield SB005.at(document, f"giltig från {valid_from} ligger efter giltig till {valid_until}", "valid_from")
    schedule = schedule_of(record)
    if schedule and review_by:
        effective_end = status(schedule, as_of).effective_end
        if review_by > effective_end:
            yield SB005.at(
                document, f"revideras senast {review_by}, efter att dokumentet upphör {effective_end}", "review_by"
            )


def _protocol_order(protocol: Document[Protocol]) -> Iterator[Finding]:
    """Justerat before the meeting; for a month, only before the month began (any later day may be
    the meeting's own), and `adjusted: true` gives no day to compare."""
    held, adjusted = protocol.record.meeting.when, protocol.record.adjusted_on
    if held and adjusted and adjusted < earliest_day(held):
        yield SB005.at(protocol, f"justerat {adjusted} före sammanträdet {held.isoformat()}", "adjusted")


SB005 = Rule(
    "SB005",
    Severity.ERROR,
    "Motstridiga datum",
    "Två datum i samma dokument går inte ihop: giltig från efter giltig till, revision efter att "
    "dokumentet upphör, ett protokoll justerat före sammanträdet, eller ett forums namn i "
    "organisation.yaml som upphör innan det börjar eller överlappar forumets andra namn.",
    "Rätta det datum som är fel.",
    Scope.DOCUMENT,
    check_order,
)


def check_review(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document, _facts in _in_force(corpus, context):
        review_by = document.record.review_by
        if review_by and review_by < context.as_of:
            yield SB010.at(
                document,
                f"revisionen är försenad: skulle ha reviderats senast {review_by} "
                f"({days((context.as_of - review_by).days)} sedan)",
                "review_by",
            )


SB010 = Rule(
    "SB010",
    Severity.WARNING,
    "Revisionen är försenad",
    "Ett beslutat styrdokument har passerat sitt datum för revision (review_by).",
    "Revidera dokumentet och låt den nya versionen beslutas, eller besluta ett nytt revisionsdatum.",
    Scope.DOCUMENT,
    check_review,
)


def check_expired(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document, facts in _in_force(corpus, context):
        if facts and facts.effective_end < context.as_of:
            yield SB011.at(
                document,
                f"status är beslutad men dokumentet upphörde {facts.effective_end}",
                "status",
                hint="förläng, ersätt eller sätt status: upphavd",
            )


SB011 = Rule(
    "SB011",
    Severity.WARNING,
    "Beslutat men upphört",
    "Dokumentet har status beslutad, men avtalstiden är slut och ingen förlängning gäller.",
    "Förläng dokumentet, ersätt det, eller sätt status: upphavd.",
    Scope.DOCUMENT,
    check_expired,
)


def check_notice_window(corpus: Corpus, context: Context) -> Iterator[Finding]:
    as_of = context.as_of
    horizon = add_days(as_of, context.notice_window_days)
    for document, facts in _in_force(corpus, context):
        if facts is None or facts.effective_end < as_of:
            continue
        deadline, effective_end = facts.next_notice_deadline, facts.effective_end
        if deadline is not None and deadline <= horizon:
            yield SB012.at(
                document, f"sista dag att säga upp är {deadline} (om {days((deadline - as_of).days)})", "term"
            )
        elif effective_end <= horizon:
            yield SB012.at(
                document, f"dokumentet upphör {effective_end} (om {days((effective_end - as_of).days)})", "valid_until"
            )


SB012 = Rule(
    "SB012",
    Severity.WARNING,
    "Uppsägning eller slut inom bevakningsfönstret",
    "Sista dag att säga upp avtalet, eller avtalets slut, infaller inom bevakningsfönstret "
    "(notice_window_days i sb.toml, normalt 90 dagar).",
    "Ta ställning till om avtalet ska sägas upp, förlängas eller ersättas, och gör det i tid.",
    Scope.DOCUMENT,
    check_notice_window,
)


def check_adoption(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document, _facts in _in_force(corpus, context):
        record = document.record
        if not is_agreement(record.type):
            continue
        done = {adoption.party for adoption in record.adopted}
        missing = [party for party in record.parties if party not in done]
        if missing:
            names = ", ".join(corpus.organisation.name_of(party) for party in missing)
            yield SB013.at(
                document,
                f"i kraft men antagandet är inte registrerat för: {names}",
                "adopted" if record.adopted else "parties",
                hint="lägg till antagandet under 'adopted' när parten har beslutat",
            )


SB013 = Rule(
    "SB013",
    Severity.INFO,
    "Antagandet inte registrerat för alla parter",
    "En överenskommelse eller ett avtal är i kraft, men det står inte för alla parter att de har antagit det "
    "i sin egen församling (seed 001, 1.3: avtalet binder en part först när den har antagit det).",
    "Lägg till antagandet under 'adopted' när parten har beslutat.",
    Scope.DOCUMENT,
    check_adoption,
)
