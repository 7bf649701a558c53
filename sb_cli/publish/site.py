"""`sb publish` as a library call: the public site built beside `--out`, checked, and swapped in (SPEC §8).

`publish` takes every decision the command takes (the git stamps and history, the timestamp, the
site folder), so Python callers get the site `sb publish` builds; the command only parses its
options and prints. The build runs as named stages over one `Build` (build.py).

A failed or killed build leaves the old site whole. A rebuild renders again only the PDF and Word
files whose view, mall or sb version changed, takes the others over from the old site, and leaves
out what is no longer published; the pages are small and are made anew, but a page whose bytes are
the same keeps its old file.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sb_cli.core.model import Finding
from sb_cli.errors import UsageError
from sb_cli.io.cache import NO_CACHE, Cache, using
from sb_cli.io.repo import Settings
from sb_cli.publish import build as stages
from sb_cli.publish.build import Blocked, Build, Built

if TYPE_CHECKING:
    from sb_cli.corpus import Progress

__all__ = ["STAGES", "Blocked", "Built", "Stage", "Watch", "publish"]


@dataclass(frozen=True)
class Stage:
    name: str
    label: str  # what the progress bar and --verbose call it
    run: Callable[[Build], None]


STAGES = (
    Stage("load", "inläsning", stages.load),
    Stage("check", "kontroll", stages.check),
    Stage("views", "vyer", stages.views),
    Stage("pages", "sidor", stages.make_pages),
    Stage("search", "sökindex", stages.start_search),
    Stage("feeds", "flöden", stages.feeds),
    Stage("files", "filer", stages.files),
    Stage("leaks", "läckkontroll", stages.leaks),
    Stage("swap", "byte", stages.swap_in),
)


def _nothing(*_: object) -> None:
    return None


@dataclass(frozen=True)
class Watch:
    """What a caller is told while the site is built; by default nothing."""

    loading: Progress = _nothing  # (files loaded, files in all) while the documents are read
    problems: Callable[[list[Finding]], None] = _nothing  # the files left out of the corpus, once loaded
    progress: Callable[[str, int, int], None] = _nothing  # (what is done now, stages done, stages in all)
    finished: Callable[[Stage, float], None] = _nothing  # a stage and its seconds, when it ends


def publish(
    settings: Settings,
    *,
    out: Path | None = None,
    as_of: dt.date,
    skip_invalid: bool = False,
    draft_site: bool = False,
    cache: Cache = NO_CACHE,
    watch: Watch = Watch(),
) -> Built:
    """`sb publish`: the site of the repository's published documents in `out` (site/ in the
    repository by default). Blocked when a document that would be published has errors (unless
    `skip_invalid`), UsageError when `out` may not be replaced or when sb.toml names no contact
    for the accessibility statement (unless `draft_site`, which marks every page "Utkast"). Files
    say they were made at SOURCE_DATE_EPOCH when it is set; what is computed is kept in `cache`
    for the next build."""
    from sb_cli.io.reproducible import made_at, source_date_epoch

    if not settings.accessibility_contact and not draft_site:
        raise UsageError(
            "sb.toml: accessibility_contact saknas: tillgänglighetsredogörelsen har ingen kontaktuppgift, "
            "så webbplatsen byggs inte",
            hint='ange den i sb.toml, t.ex. accessibility_contact = "webb@example.se, 010-123 45 67", och gärna '
            "site_name, organisation_name, accessibility_report_url och accessibility_compliance; "
            'eller bygg ett utkast med --draft-site (varje sida märks "Utkast")',
        )
    names = [s.name for s in STAGES]
    check, files = names.index("check"), names.index("files")
    with using(cache), ExitStack() as resources:
        build = Build(
            settings=settings,
            out=out,
            as_of=as_of,
            skip_invalid=skip_invalid,
            draft=draft_site,
            timestamp=made_at(),
            reproducible=source_date_epoch() is not None,
            cache=cache,
            resources=resources,
            loading=watch.loading,
            problems=watch.problems,
            checking=lambda done, total: watch.progress(f"kontroll {done}/{total}", check, len(STAGES)),
            step=lambda ident, done, total: watch.progress(f"filer {done}/{total}: {ident}", files, len(STAGES)),
        )
        try:
            for number, stage in enumerate(STAGES):
                watch.progress(stage.label, number, len(STAGES))
                began = time.perf_counter()
                stage.run(build)
                watch.finished(stage, time.perf_counter() - began)
        except BaseException:
            if build.staging is not None:  # what a failed build wrote beside the site
                shutil.rmtree(build.staging, ignore_errors=True)
            raise
    return build.built()
