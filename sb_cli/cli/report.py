"""`sb report …`: what needs attention, as tables, JSON, CSV or Markdown."""

from __future__ import annotations

from typing import Annotated

import typer

from sb_cli.cli.common import AsOf, Format, Root, RowFormat, emit, open_corpus, parse_as_of

report_app = typer.Typer(
    help=("Rapporter för samordnare: avtal som löper ut, försenade revisioner, öppna beslut, "
          "årshjulet och antaganden.\n\n"
          "Exempel:\n\n"
          "  sb report expiring --within 365\n\n"
          "  sb report decisions --open --format csv > beslut.csv\n\n"
          "  sb report arshjul --year 2026 --format markdown"),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _columns(*spec: tuple[str, str] | tuple[str, str, bool]):  # type: ignore[no-untyped-def]
    from sb_cli.reporters.tables import Column

    return [Column(*s) for s in spec]


@report_app.command(epilog="Exempel:\n\n  sb report expiring\n\n  sb report expiring --within 365 --format json")
def expiring(
    within: Annotated[int | None, typer.Option(
        "--within", metavar="DAGAR", min=0,
        help="Bevakningsfönster i dagar. Standard: notice_window_days i sb.toml (90).")] = None,
    as_of: AsOf = None, root: Root = None, output: Format = RowFormat.table,
) -> None:
    """Uppsägningsfrister, förlängningar och avtalsslut inom fönstret, det närmaste först."""
    from sb_cli.core.reports import expiring as compute

    day = parse_as_of(as_of)
    settings, loaded = open_corpus(root)
    window = settings.notice_window_days if within is None else within
    rows = compute(loaded.corpus, day, window)
    emit(rows, _columns(("event_date", "Datum"), ("days_left", "Dagar kvar"), ("event", "Händelse", True),
                        ("id", "Dokument"), ("valid_until", "Avtalstid till"),
                        ("effective_end", "Gäller till"), ("next_notice_deadline", "Säg upp senast"),
                        ("state", "Läge", True), ("note", "Anmärkning", False, True)),
         f"Löper ut inom {window} dagar (per {day})", output)


@report_app.command(epilog="Exempel:\n\n  sb report overdue\n\n  sb report overdue --format csv")
def overdue(as_of: AsOf = None, root: Root = None, output: Format = RowFormat.table) -> None:
    """Beslutade styrdokument vars revisionsdatum har passerat."""
    from sb_cli.core.reports import overdue as compute

    day = parse_as_of(as_of)
    _, loaded = open_corpus(root)
    emit(compute(loaded.corpus, day),
         _columns(("id", "Dokument"), ("title", "Titel", False, True), ("owner", "Ägare"), ("contact", "Ansvarig"),
                  ("version", "Version"), ("review_by", "Revideras senast"), ("days_overdue", "Dagar sen")),
         f"Försenade revisioner (per {day})", output)


@report_app.command(epilog="Exempel:\n\n  sb report decisions\n\n  sb report decisions --open --format markdown")
def decisions(
    only_open: Annotated[bool, typer.Option("--open", help="Bara öppna beslut och tappade bordläggningar.")] = False,
    as_of: AsOf = None, root: Root = None, output: Format = RowFormat.table,
) -> None:
    """Varje beslut med ansvarig och datum, om det följts upp, och bordlagda punkter."""
    from sb_cli.core.reports import decisions as compute

    day = parse_as_of(as_of)
    _, loaded = open_corpus(root)
    emit(compute(loaded.corpus, day, open_only=only_open),
         _columns(("reference", "Paragraf"), ("meeting", "Möte"), ("item", "Ärende", False, True),
                  ("text", "Beslut", False, True),
                  ("responsible", "Ansvarig"), ("due", "Senast"), ("followed_up_by", "Uppföljt i"),
                  ("status", "Läge", True)),
         f"{'Öppna beslut' if only_open else 'Beslut'} (per {day})", output)


@report_app.command(epilog="Exempel:\n\n  sb report arshjul\n\n  sb report arshjul --year 2024 --format json")
def arshjul(
    year: Annotated[int | None, typer.Option("--year", metavar="ÅR", help="Året. Standard: året för --as-of.")] = None,
    as_of: AsOf = None, root: Root = None, output: Format = RowFormat.table,
) -> None:
    """Årshjulets årliga uppgifter för ett år: uppfyllda eller saknade."""
    from sb_cli.core.arshjul import duties

    day = parse_as_of(as_of)
    _, loaded = open_corpus(root)
    the_year = year or day.year
    emit(duties(loaded.corpus, the_year, day),
         _columns(("month", "Månad"), ("forum", "Forum"), ("title", "Uppgift", False, True), ("status", "Läge", True),
                  ("detail", "Underlag", False, True), ("evidence", "Dokument", False, True)),
         f"Årshjulet {the_year} (per {day})", output)


@report_app.command(epilog="Exempel:\n\n  sb report adoption\n\n  sb report adoption --format csv")
def adoption(as_of: AsOf = None, root: Root = None, output: Format = RowFormat.table) -> None:
    """Vilka parter som antagit varje överenskommelse och avtal i sin egen församling."""
    from sb_cli.core.reports import adoption as compute

    day = parse_as_of(as_of)
    _, loaded = open_corpus(root)
    emit(compute(loaded.corpus, day),
         _columns(("id", "Dokument"), ("party_name", "Part"), ("adopted", "Antagen"), ("by", "Av"),
                  ("date", "Datum"), ("diarienummer", "Diarienummer")),
         f"Antaganden (per {day})", output)
