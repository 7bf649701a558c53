"""`sb report …`: what needs attention, as tables, JSON, CSV or Markdown."""

from __future__ import annotations

from typing import Annotated

import typer

from sb_cli.cli.common import AsOf, Delimiting, Format, Out, Root, emit, open_corpus, parse_as_of
from sb_cli.cli.helptext import examples
from sb_cli.reporters.tables import Column

report_app = typer.Typer(
    help="Rapporter för samordnare: avtal som löper ut, försenade revisioner, öppna beslut, "
    "årshjulet och antaganden.\n\n"
    + examples(
        "sb report expiring --within 365",
        "sb report decisions --open --format csv > beslut.csv",
        "sb report decisions --out beslut.xlsx",
        "sb report arshjul --year 2026 --format markdown",
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


@report_app.command(epilog=examples("sb report expiring", "sb report expiring --within 365 --format json"))
def expiring(
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            metavar="DAGAR",
            min=0,
            help="Bevakningsfönster i dagar. Standard: notice_window_days i sb.toml (90).",
        ),
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
    output: Format = None,
    delimiter: Delimiting = None,
    out: Out = None,
) -> None:
    """Uppsägningsfrister, förlängningar och avtalsslut inom fönstret, det närmaste först."""
    from sb_cli.core.reports import expiring as compute
    from sb_cli.core.words import days

    day = parse_as_of(as_of)
    settings, loaded = open_corpus(root)
    window = settings.notice_window_days if within is None else within
    rows = compute(loaded.corpus, day, window)
    emit(
        rows,
        [
            Column("event_date", "Datum", date=True),
            Column("days_left", "Dagar kvar"),
            Column("event", "Händelse", styled=True),
            Column("id", "Dokument"),
            Column("title", "Titel", wide=True),
            Column("owner", "Ägare"),
            Column("parties", "Parter", wide=True),
            Column("valid_until", "Avtalstid till", date=True),
            Column("effective_end", "Gäller till", date=True),
            Column("next_notice_deadline", "Säg upp senast", date=True),
            Column("state", "Läge", styled=True),
            Column("note", "Anmärkning", wide=True),
        ],
        f"Löper ut inom {days(window)} (per {day})",
        output,
        delimiter=delimiter,
        out=out,
    )


@report_app.command(epilog=examples("sb report overdue", "sb report overdue --format csv"))
def overdue(
    as_of: AsOf = None,
    root: Root = None,
    output: Format = None,
    delimiter: Delimiting = None,
    out: Out = None,
) -> None:
    """Beslutade styrdokument vars revisionsdatum har passerat."""
    from sb_cli.core.reports import overdue as compute

    day = parse_as_of(as_of)
    _, loaded = open_corpus(root)
    emit(
        compute(loaded.corpus, day),
        [
            Column("id", "Dokument"),
            Column("title", "Titel", wide=True),
            Column("owner", "Ägare"),
            Column("contact", "Ansvarig"),
            Column("version", "Version"),
            Column("review_by", "Revideras senast", date=True),
            Column("days_overdue", "Dagar sen"),
        ],
        f"Försenade revisioner (per {day})",
        output,
        delimiter=delimiter,
        out=out,
    )


@report_app.command(epilog=examples("sb report decisions", "sb report decisions --open --format markdown"))
def decisions(
    only_open: Annotated[bool, typer.Option("--open", help="Bara öppna beslut och tappade bordläggningar.")] = False,
    as_of: AsOf = None,
    root: Root = None,
    output: Format = None,
    delimiter: Delimiting = None,
    out: Out = None,
) -> None:
    """Varje beslut med ansvarig och datum, om det följts upp, och bordlagda punkter."""
    from sb_cli.core.reports import decisions as compute

    day = parse_as_of(as_of)
    _, loaded = open_corpus(root)
    emit(
        compute(loaded.corpus, day, open_only=only_open),
        [
            Column("reference", "Paragraf"),
            Column("meeting", "Möte", date=True),
            Column("item", "Ärende", wide=True),
            Column("text", "Beslut", wide=True),
            Column("responsible", "Ansvarig"),
            Column("due", "Senast", date=True),
            Column("followed_up_by", "Uppföljt i"),
            Column("status", "Läge", styled=True),
        ],
        f"{'Öppna beslut' if only_open else 'Beslut'} (per {day})",
        output,
        delimiter=delimiter,
        out=out,
    )


@report_app.command(epilog=examples("sb report arshjul", "sb report arshjul --year 2024 --format json"))
def arshjul(
    year: Annotated[
        int | None, typer.Option("--year", metavar="ÅR", min=1900, max=2999, help="Året. Standard: året för --as-of.")
    ] = None,
    as_of: AsOf = None,
    root: Root = None,
    output: Format = None,
    delimiter: Delimiting = None,
    out: Out = None,
) -> None:
    """Årshjulets årliga uppgifter för ett år: uppfyllda eller saknade."""
    from sb_cli.core.arshjul import duties

    day = parse_as_of(as_of)
    _, loaded = open_corpus(root)
    the_year = year or day.year
    emit(
        duties(loaded.corpus, the_year, day),
        [
            Column("month", "Månad"),
            Column("forum", "Forum"),
            Column("title", "Uppgift", wide=True),
            Column("status", "Läge", styled=True),
            Column("detail", "Underlag", wide=True),
            Column("evidence", "Dokument", wide=True),
        ],
        f"Årshjulet {the_year} (per {day})",
        output,
        delimiter=delimiter,
        out=out,
    )


@report_app.command(epilog=examples("sb report adoption", "sb report adoption --format csv"))
def adoption(
    as_of: AsOf = None,
    root: Root = None,
    output: Format = None,
    delimiter: Delimiting = None,
    out: Out = None,
) -> None:
    """Vilka parter som antagit varje överenskommelse och avtal i sin egen församling."""
    from sb_cli.core.reports import adoption as compute

    day = parse_as_of(as_of)
    _, loaded = open_corpus(root)
    emit(
        compute(loaded.corpus, day),
        [
            Column("id", "Dokument"),
            Column("party_name", "Part"),
            Column("adopted", "Antagen"),
            Column("by", "Av"),
            Column("date", "Datum", date=True),
            Column("diarienummer", "Diarienummer"),
        ],
        f"Antaganden (per {day})",
        output,
        delimiter=delimiter,
        out=out,
    )
