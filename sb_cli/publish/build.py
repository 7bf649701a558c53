"""The stages of publishing (SPEC §8), each a function of one `Build` that holds what they share.

They run in this order, each filling in what the later ones read: load, check, views, pages, search
(started here, it runs in a process of its own beside the rest), feeds, files, leaks (the leak check
of every file, the search index's once it is placed) and swap. Before the files stage only the
search index writes beside `--out`, and the site in place is replaced only by the swap; what a failed
build wrote beside it is removed (site.publish, and the search index when it stops).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sb_cli.core.model import Corpus, Document, Finding, Severity
from sb_cli.core.records import Kallelse, Protocol, Record, Styrdokument
from sb_cli.errors import SbError
from sb_cli.io.cache import Cache, files_key, key
from sb_cli.io.git import Git, Stamp
from sb_cli.io.repo import Settings
from sb_cli.publish import pages
from sb_cli.publish.content import Meeting, Selection, public_corpus, select, withheld_texts
from sb_cli.publish.folder import MARKER, beside, remove_stale, reusable, site_folder, swap
from sb_cli.publish.leaks import check_files, check_views
from sb_cli.publish.search import SearchIndex, take
from sb_cli.render.isolation import Limits
from sb_cli.render.service import Job, approving_meetings, document_view
from sb_cli.render.view import View

if TYPE_CHECKING:
    from sb_cli.corpus import Progress

MANIFEST = MARKER  # marks a site sb built; says what each PDF and Word file was made from, for the next build
SEARCH_INDEX = "pagefind/"  # the manifest's name for the search index as a whole
PUBLISHED = "publicerad:"  # the manifest's names for the day each protocol and kallelse was first published


class Blocked(SbError):
    """Documents that would be published have errors; `findings` says which."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("webbplatsen byggs inte: dokument som skulle publiceras har fel")
        self.findings = findings


@dataclass(frozen=True)
class Built:
    out: Path
    pages: int
    files: int
    documents: int  # the documents with PDF and Word files
    rendered: int  # of those, the ones rendered anew; the rest came from the old site
    left_out: list[tuple[str, str]]  # (path, why) of every document not published, by path


# A document's job, the key of each file it writes (by path), and its extracts (§, path).
FileJob = tuple[Job, dict[str, str], list[tuple[int, Path]]]


@dataclass
class Build:
    """What the stages share: what was asked for, and what each stage made for those after it (a
    field without a default is set by the stage named beside it)."""

    settings: Settings
    out: Path | None  # as asked for; None for site/ in the repository
    as_of: dt.date
    skip_invalid: bool
    draft: bool  # --draft-site: every page says "Utkast"
    timestamp: int
    reproducible: bool  # the timestamp is SOURCE_DATE_EPOCH, so it goes into the files' keys
    cache: Cache
    resources: ExitStack  # what the build holds open (the mallar, the search index) until it ends
    loading: Progress  # told how far the load has come: (files loaded, files in all)
    problems: Callable[[list[Finding]], None]  # told of the files left out of the corpus
    checking: Progress  # told how far the check has come: (files checked, files in all)
    step: Callable[[str, int, int], None]  # told of each PDF and Word job rendered: (id, done, total)
    corpus: Corpus = field(init=False)  # load
    site: Path = field(init=False)  # load: the checked site folder
    old: dict[str, str] = field(init=False)  # load: what the site in place was made from
    stamp_of: Callable[[str], Stamp] = field(init=False)  # load
    history_of: Callable[[str], list[dict[str, Any]] | None] = field(init=False)  # load
    record_at: Callable[[str, str], Record | None] = field(init=False)  # load: a document as a commit held it
    selection: Selection = field(init=False)  # check
    views: dict[str, View] = field(init=False)  # views
    view_of: Callable[[str, int], View] = field(init=False)  # views: a protokollsutdrag's view
    templates: Path = field(init=False)  # pages
    context: pages.Context = field(init=False)  # pages
    texts: dict[str, bytes] = field(default_factory=dict)  # pages, feeds: the site's files but PDF and Word
    index: SearchIndex = field(init=False)  # search
    jobs: list[FileJob] = field(default_factory=list)  # files
    staging: Path | None = None  # files: the new site, beside the old
    rendered: int = 0  # files

    def built(self) -> Built:
        files = sum(len(keys) for _job, keys, _extracts in self.jobs)
        html = len([p for p in self.texts if p.endswith(".html")])
        return Built(self.site, html, files, len(self.jobs), self.rendered, self.selection.left_out)


def load(build: Build) -> None:
    """The documents, the site folder (checked before anything is touched) and the git stamps."""
    from sb_cli.corpus import load_corpus
    from sb_cli.io import git as gitio

    settings = build.settings
    loaded = load_corpus(settings, build.loading)
    build.problems(loaded.problems)
    build.corpus = loaded.corpus
    build.site = site_folder(build.out if build.out is not None else default_folder(settings.root), settings)
    remove_stale(build.site)
    build.old = _manifest(build.site)
    git = gitio.open_repository(settings.root)
    files = {d.path: (settings.root / d.path).read_bytes() for d in loaded.corpus.documents}
    build.stamp_of = gitio.stamps(git, settings.documents, files).__getitem__
    build.history_of = (lambda path: gitio.file_log(git, path)) if isinstance(git, gitio.Git) else (lambda path: None)
    build.record_at = _records_in(build, git) if isinstance(git, gitio.Git) else (lambda path, commit: None)


def _records_in(build: Build, git: Git) -> Callable[[str, str], Record | None]:
    """A document as a commit held it (the versions the "Vad ändrades" pages compare), read through
    one git process that the build closes when it ends."""
    from sb_cli.io import git as gitio

    blobs = gitio.Blobs(git)
    build.resources.callback(blobs.close)

    def record_at(path: str, commit: str) -> Record | None:
        raw = blobs.read(commit, git.repo_path(path))
        return gitio.record_of(path, raw) if raw is not None else None

    return record_at


def default_folder(root: Path) -> Path:
    """site/ in the repository, which must not be a link out of it: whoever can commit to the
    repository must not choose where sb writes (--out, the user's own choice, may be a link)."""
    from sb_cli.io.atomic import check_inside

    check_inside(root, root / "site")
    return root / "site"


def check(build: Build) -> None:
    """Every document validated; one with errors that would be published stops the build (Blocked)
    unless `skip_invalid` leaves it out. So does a file that could not be read as a document at
    all: nobody can tell whether it would be published."""
    from sb_cli.validation import validate_repository

    report = validate_repository(build.settings, as_of=build.as_of, progress=build.checking)
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    blocking = _blocking(build, errors)
    organisation_broken = any(f.path == build.settings.organisation_path for f in blocking)
    if blocking and (organisation_broken or not build.skip_invalid):  # nothing is published without it
        raise Blocked(blocking)
    build.selection = select(build.corpus, build.as_of, {f.path for f in errors})
    unread = sorted({f.path for f in blocking} & set(build.corpus.left_out))
    build.selection.left_out.extend((path, "kan inte läsas som ett dokument (sb validate)") for path in unread)
    build.selection.left_out.extend(not_published(build.corpus, build.selection, build.as_of))
    build.selection.left_out.sort()


def not_published(corpus: Corpus, selection: Selection, as_of: dt.date) -> list[tuple[str, str]]:
    """Why each document of the corpus is not published per `as_of`, but those with errors (the
    selection names them already): (path, why) in words the user knows from the files."""
    shown = {d.path for d in selection.published()} | {path for path, _why in selection.left_out}
    by_meeting = {(m.forum, m.date): m for m in selection.meetings}
    return [(d.path, _why_not(d, by_meeting, as_of)) for d in corpus.documents if d.path not in shown]


def _why_not(document: Document[Any], meetings: dict[tuple[str, Any], Meeting], as_of: dt.date) -> str:
    from sb_cli.core.doctypes import Published, find

    record, entry = document.record, find(document.type)
    if entry is None or entry.published is Published.NEVER:
        return f"{entry.plural if entry else document.type} publiceras inte på webbplatsen"
    if isinstance(record, Styrdokument) and record.status not in ("beslutad", "upphavd"):
        return f"status {record.status}: bara beslutade och upphävda styrdokument publiceras"
    if isinstance(record, Protocol | Kallelse):
        return _meeting_why_not(record, meetings, as_of)
    return "publiceras inte"


def _meeting_why_not(record: Protocol | Kallelse, meetings: dict[tuple[str, Any], Meeting], as_of: dt.date) -> str:
    """A protocol waits for its justering and its meeting, a kallelse for being sent; of two files
    for one meeting, one is published."""
    after = f"efter {as_of.isoformat()}"
    if isinstance(record, Protocol):
        step, done = "justerat", record.adjusted
        if not done:
            return "utkast: protokollet är inte justerat (adjusted saknas)"
    else:
        step, done = "skickas", record.sent
        if done is None:
            return "kallelsen är inte skickad (sent saknas)"
    day = record.meeting.date
    if isinstance(done, dt.date) and done > as_of:
        return f"{step} {done.isoformat()}, {after}"
    if day is None:
        return "mötet har inget datum"
    if isinstance(record, Protocol) and isinstance(day, dt.date) and day > as_of:
        return f"mötet är {day.isoformat()}, {after}"
    meeting = meetings.get((record.forum, day))
    chosen = meeting and (meeting.protocol if isinstance(record, Protocol) else meeting.kallelse)
    return f"{chosen.path} publiceras för samma möte" if chosen else "publiceras inte"


def _blocking(build: Build, errors: list[Finding]) -> list[Finding]:
    """The errors in what would be published (organisation.yaml included) and in the files that
    could not be read as documents."""
    candidates = {d.path for d in select(build.corpus, build.as_of).published()} | {build.settings.organisation_path}
    unknown = set(build.corpus.left_out)
    return [f for f in errors if f.path in candidates or f.path in unknown]


def views(build: Build) -> None:
    """The view of every published document by id (meetings in their public version), and a way to
    the view of one § of a published protocol as a protokollsutdrag (made only when it is rendered)."""
    documents = {d.id: d for d in build.selection.published()}
    approved = approving_meetings(build.corpus, build.as_of)

    def view_of(ident: str, extract: int | None = None) -> View:
        document = documents[ident]
        return document_view(
            document,
            build.corpus.organisation,
            as_of=build.as_of,
            stamp=build.stamp_of(document.path),
            public=isinstance(document.record, Protocol | Kallelse),
            extract=extract,
            approved=approved(document),
            cache=build.cache,
        )

    build.views = {ident: view_of(ident) for ident in documents}
    build.view_of = view_of


def make_pages(build: Build) -> None:
    """Every HTML page of the site, and its stylesheet, from the site's templates."""
    from sb_cli.render.service import template_folder

    settings = build.settings
    build.site.parent.mkdir(parents=True, exist_ok=True)
    build.templates = templates = build.resources.enter_context(template_folder(settings))
    build.context = pages.Context(
        settings=settings,
        corpus=build.corpus,
        public=public_corpus(build.corpus, build.selection),
        selection=build.selection,
        views=build.views,
        as_of=build.as_of,
        history_of=build.history_of,
        record_at=build.record_at,
        first_published=_first_published(build.old),
        wheel_svg=lambda view: _wheel_svg(view, templates, Limits.of(settings)),
        cache=build.cache,
        draft=build.draft,
    )
    build.texts.update((path, text.encode("utf-8")) for path, text in pages.all_pages(build.context, templates).items())
    build.texts["site.css"] = (templates / "site" / "site.css").read_bytes()
    for meeting in build.context.selection.meetings:  # the justerade protocols' signed PDFs, when public
        copy = build.context.signed.get(meeting.protocol.id) if meeting.protocol else None
        if meeting.protocol and copy and copy.offered:
            build.texts[f"{meeting.folder}/{pages.signed_file(meeting.protocol)}"] = copy.data


def start_search(build: Build) -> None:
    """Pagefind's index of the pages, started now in a process of its own (or the old site's,
    when the pages are the same); the leak check waits for it."""
    build.index = SearchIndex(build.texts, build.site, build.old.get(SEARCH_INDEX))
    build.resources.callback(build.index.stop)


def feeds(build: Build) -> None:
    """The Atom feed and the calendar, dated by the build's timestamp."""
    build.texts["feed.atom"] = pages.feed(build.context, build.timestamp)
    build.texts.update(pages.forum_feeds(build.context, build.timestamp))
    build.texts["kalender.ics"] = pages.calendar(build.context, build.timestamp)


def files(build: Build) -> None:
    """The new site beside the old: its pages and feeds, and the PDF and Word files, taken over from
    the old site when they are made from the same, else rendered on every core. The views' texts are
    checked for leaks before anything is rendered."""
    from sb_cli.io.atomic import write_atomic
    from sb_cli.render.isolation import render_isolated

    _plan_files(build, _fingerprint(build.templates))
    check_views(_pdf_texts(build.jobs), withheld_texts(build.selection))
    build.staging = staging = beside(build.site, "bygge")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    _write_texts(build, staging)
    to_render = _take_unchanged(build, staging)
    done = [0]

    def advanced(job: Job) -> None:
        done[0] += 1
        build.step(job.view.id, done[0], len(to_render))

    render_isolated(to_render, build.templates, build.timestamp, Limits.of(build.settings), advanced)
    build.rendered = len(to_render)
    manifest = {path: made_of for _job, keys, _extracts in build.jobs for path, made_of in keys.items()}
    manifest[SEARCH_INDEX] = build.index.key
    for document in build.selection.published():
        if isinstance(document.record, Protocol | Kallelse):
            manifest[f"{PUBLISHED}{document.id}"] = build.context.published_on(document.id)
    write_atomic(staging / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())


def _write_texts(build: Build, staging: Path) -> None:
    """The pages, feeds and stylesheet; a file whose bytes are the old site's is taken over."""
    from sb_cli.io.atomic import write_atomic

    for path, data in build.texts.items():
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if reusable(build.site, path) and _same(build.site / path, data):
            take(build.site / path, target)
        else:
            write_atomic(target, data)


def _take_unchanged(build: Build, staging: Path) -> list[Job]:
    """The PDF and Word files of the old site made from the same, taken over; the jobs of the rest
    (a protocol's with its extracts), with their folders made."""
    out, old = build.site, build.old
    to_render: list[Job] = []
    for job, keys, extracts in build.jobs:
        if all(old.get(p) == k and reusable(out, p) for p, k in keys.items()):
            for path in keys:
                (staging / path).parent.mkdir(parents=True, exist_ok=True)
                take(out / path, staging / path)
        else:
            formats = pages.EXTRACT_FORMATS
            also = tuple(
                (build.view_of(job.view.id, number), {fmt: path.with_suffix(f".{fmt}") for fmt in formats})
                for number, path in extracts
            )
            to_render.append(_rooted(Job(job.view, job.targets, also), staging))
    for rooted in to_render:
        for _view, targets in rooted.outputs():
            for target in targets.values():
                target.parent.mkdir(parents=True, exist_ok=True)
    return to_render


def leaks(build: Build) -> None:
    """Every file of the new site read as a reader's software reads it; the search index's once
    Pagefind is done and the index is placed."""
    staging = _staging(build)
    withheld = withheld_texts(build.selection)
    everything_else = [p for top in staging.iterdir() if top.name != "pagefind" for p in (top, *top.rglob("*"))]
    check_files(staging, everything_else, withheld, build.cache)
    build.index.place(staging / "pagefind")
    check_files(staging, (staging / "pagefind").rglob("*"), withheld, build.cache)


def swap_in(build: Build) -> None:
    """The new site for the old, in one rename (folder.swap)."""
    swap(_staging(build), build.site)


def _staging(build: Build) -> Path:
    if build.staging is None:
        raise RuntimeError("the files stage has not run")
    return build.staging


def _wheel_svg(view: View, templates: Path, limits: Limits) -> str:
    """The årshjul drawing for the site, drawn by the repository's typst mall in a child under the
    render workers' limits (a mall is code, and may run without end)."""
    from sb_cli.render.isolation import PRELOADED, OverLimit, run_limited
    from sb_cli.render.pdf import render_wheel_svg
    from sb_cli.render.text import svg_body

    if view.wheel is None:
        return ""
    try:
        return svg_body(run_limited(render_wheel_svg, (view, templates), limits, preload=PRELOADED))
    except OverLimit as over:
        limit = "render_seconds" if over.reason == "time" else "render_memory_mb"
        raise SbError(
            f"mallen templates/arshjul/wheel.typ kunde inte rita årshjulet {view.id}: den gick över gränsen {limit}",
            hint=f"förenkla mallen, eller höj {limit} i sb.toml",
        ) from None


def _fingerprint(templates: Path) -> str:
    """What the PDF and Word files are made with: sb and the mallar (the site's own templates and
    stylesheet make no PDF)."""
    return files_key(templates, (p for p in templates.rglob("*") if p.relative_to(templates).parts[0] != "site"))


def _plan_files(build: Build, templates: str) -> None:
    """A PDF and a Word file of each kallelse, protocol (public version) and styrdokument, and a
    protokollsutdrag of each public § in both, made in the same job as its protocol. Each file's key says
    what it is made from: its view, its format, the mallar and the timestamp (only when it is
    SOURCE_DATE_EPOCH: else a rebuild would make every file anew). An extract is made from the
    points of its protocol's public version, so that version's view stands for it too."""
    import msgspec

    timestamp = build.timestamp if build.reproducible else None

    def keyed(view: View, targets: dict[str, Path]) -> dict[str, str]:
        made_of = key(templates, str(timestamp), msgspec.json.encode(view))
        return {path.as_posix(): key(made_of, what) for what, path in targets.items()}

    for meeting in build.selection.meetings:
        kallelse, protocol = meeting.kallelse, meeting.protocol
        if kallelse is not None:  # the kallelse ("Dagordning"), as PDF and Word
            view = build.views[kallelse.id]
            targets = {fmt: Path(f"{meeting.folder}/{pages.kallelse_file(kallelse)}.{fmt}") for fmt in ("pdf", "docx")}
            build.jobs.append((Job(view, targets), keyed(view, targets), []))
        if protocol is None:
            continue
        view = build.views[protocol.id]
        folder = meeting.folder
        targets = {fmt: Path(f"{folder}/{pages.protocol_file(protocol)}.{fmt}") for fmt in ("pdf", "docx")}
        extracts = [
            (item.number, Path(f"{folder}/{pages.extract_file(protocol, item.number)}.pdf"))
            for item in protocol.record.items
            if item.public
        ]
        extract_files = {
            f"utdrag {number} {fmt}": path.with_suffix(f".{fmt}")
            for number, path in extracts
            for fmt in pages.EXTRACT_FORMATS
        }
        build.jobs.append((Job(view, targets), keyed(view, {**targets, **extract_files}), extracts))
    for document in build.selection.documents:
        view = build.views[document.id]
        folder = f"dokument/{document.id}"
        targets = {fmt: Path(f"{folder}/{document.id}.{fmt}") for fmt in ("pdf", "docx")}
        build.jobs.append((Job(view, targets), keyed(view, targets), []))


def _pdf_texts(jobs: list[FileJob]) -> dict[str, str]:
    """The text each document's PDF is made from: every string of its view. A protokollsutdrag is
    made from the same points as its protocol's public version, so the protocol's text covers it."""
    import msgspec

    texts: dict[str, str] = {}
    for job, _keys, _extracts in jobs:
        strings: list[str] = []
        _strings(msgspec.to_builtins(job.view), strings)
        texts[job.targets["pdf"].as_posix()] = " ".join(strings)
    return texts


def _strings(value: Any, into: list[str]) -> None:
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, into)
    elif isinstance(value, list):
        for item in value:
            _strings(item, into)


def _rooted(job: Job, root: Path) -> Job:
    return Job(
        job.view,
        {fmt: root / path for fmt, path in job.targets.items()},
        tuple((view, {fmt: root / path for fmt, path in targets.items()}) for view, targets in job.also),
    )


def _first_published(manifest: dict[str, str]) -> dict[str, str]:
    """The day each protocol and kallelse was first published, by id, as the old site's manifest says."""
    return {name.removeprefix(PUBLISHED): day for name, day in manifest.items() if name.startswith(PUBLISHED)}


def _manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
