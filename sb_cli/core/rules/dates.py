"""SB005 inconsistent dates, SB010 review overdue, SB011 expired, SB012 notice window, SB013 adoption."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sb_cli.core.model import AGREEMENT_TYPES, Corpus, Document, Finding, Severity
from sb_cli.core.rules import Context, finding
from sb_cli.core.terms import status, term_of


def check(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.documents:
        if document.is_styrdokument:
            yield from _styrdokument(document, context, corpus)
        elif document.type == "protokoll":
            meeting, adjusted = document.date("meeting", "date"), document.date("adjusted")
            if meeting and adjusted and adjusted < meeting:
                yield finding(document, "SB005", Severity.ERROR,
                              f"justerat {adjusted} före sammanträdet {meeting}", "adjusted")


def _styrdokument(document: Document, context: Context, corpus: Corpus) -> Iterator[Finding]:
    as_of = context.as_of
    valid_from, valid_until = document.date("valid_from"), document.date("valid_until")
    review_by = document.date("review_by")
    if valid_from and valid_until and valid_from > valid_until:
        yield finding(document, "SB005", Severity.ERROR,
                      f"giltig från {valid_from} ligger efter giltig till {valid_until}", "valid_from")
    term = term_of(document)
    facts = status(term, as_of) if term else None
    if facts and review_by and review_by > facts.effective_end:
        yield finding(document, "SB005", Severity.ERROR,
                      f"revideras senast {review_by}, efter att dokumentet upphör {facts.effective_end}",
                      "review_by")
    if document.get("status") != "beslutad":
        return
    if review_by and review_by < as_of:
        yield finding(document, "SB010", Severity.WARNING,
                      f"revisionen är försenad: skulle ha reviderats senast {review_by} "
                      f"({(as_of - review_by).days} dagar sedan)", "review_by")
    if facts:
        yield from _term_findings(document, facts.effective_end, facts.next_notice_deadline, context)
    if document.type in AGREEMENT_TYPES:
        yield from _adoption(document, corpus)


def _term_findings(document: Document, effective_end: dt.date, deadline: dt.date | None,
                   context: Context) -> Iterator[Finding]:
    as_of = context.as_of
    if effective_end < as_of:
        yield finding(document, "SB011", Severity.WARNING,
                      f"status är beslutad men dokumentet upphörde {effective_end}", "status",
                      hint="förläng, ersätt eller sätt status: upphavd")
        return
    horizon = as_of + dt.timedelta(days=context.notice_window_days)
    if deadline is not None and deadline <= horizon:
        yield finding(document, "SB012", Severity.WARNING,
                      f"sista dag att säga upp är {deadline} (om {(deadline - as_of).days} dagar)",
                      "term")
    elif effective_end <= horizon:
        yield finding(document, "SB012", Severity.WARNING,
                      f"dokumentet upphör {effective_end} (om {(effective_end - as_of).days} dagar)",
                      "valid_until")


def _adoption(document: Document, corpus: Corpus) -> Iterator[Finding]:
    parties = document.get("parties")
    adopted = document.get("adopted")
    if not isinstance(parties, list):
        return
    done = {a.get("party") for a in adopted if isinstance(a, dict)} if isinstance(adopted, list) else set()
    missing = [p for p in parties if isinstance(p, str) and p not in done]
    if missing:
        names = ", ".join(corpus.organisation.name_of(p) for p in missing)
        yield finding(document, "SB013", Severity.INFO,
                      f"i kraft men inte antagen av: {names}", "adopted" if adopted else "parties",
                      hint="lägg till antagandet under 'adopted' när parten har beslutat")
