"""Build the public site into a folder beside `--out`, check it, and swap it in (SPEC §8).

A failed or killed build leaves the old site whole. A rebuild renders again only the PDF and Word
files whose view, mall or sb version changed, takes the others over from the old site, and leaves
out what is no longer published; the pages are small and are made anew, but a page whose bytes are
the same keeps its old file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sb_cli import __version__
from sb_cli.core.model import Corpus, Finding, Severity
from sb_cli.core.records import Kallelse, Protocol
from sb_cli.errors import SbError
from sb_cli.io.cache import NO_CACHE, Cache, files_key, key
from sb_cli.io.repo import Settings
from sb_cli.publish import pages
from sb_cli.publish.content import Selection, public_corpus, select, withheld_texts
from sb_cli.publish.folder import MARKER, beside, plain_tree, remove_stale, reusable, site_folder, swap
from sb_cli.publish.leaks import check_files, check_views
from sb_cli.render.isolation import Limits
from sb_cli.render.service import Job
from sb_cli.render.view import View, build

MANIFEST = MARKER  # marks a site sb built; says what each PDF and Word file was made from, for the next build
SEARCH_INDEX = "pagefind/"  # the manifest's name for the search index as a whole


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
    rendered: int  # PDF and Word files made anew; the rest came from the old site
    left_out: list[tuple[str, str]]


@dataclass
class _Site:
    """The files of the site being built, by path relative to its root."""

    texts: dict[str, bytes] = field(default_factory=dict)
    # A document's job, the key of each file it writes (by path), and its extracts (§, path).
    jobs: list[tuple[Job, dict[str, str], list[tuple[int, Path]]]] = field(default_factory=list)


def publish(
    settings: Settings,
    corpus: Corpus,
    *,
    out: Path,
    as_of: dt.date,
    skip_invalid: bool,
    timestamp: int,
    reproducible: bool,
    stamp_of: Callable[[str], Any],
    history_of: Callable[[str], list[dict[str, Any]] | None],
    progress: Callable[[str, int, int], None] | None = None,
    cache: Cache = NO_CACHE,
) -> Built:
    from sb_cli.render.service import template_folder
    from sb_cli.validation import validate_repository

    out = site_folder(out, settings)  # before anything is touched
    remove_stale(out)
    report = validate_repository(settings, as_of=as_of)
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    # What would be published, and the files that could not be read as documents at all: nobody can
    # tell whether those would be.
    candidates = {d.path for d in select(corpus, as_of).published()} | {settings.organisation_path}
    unknown = set(corpus.left_out)
    blocking = [f for f in errors if f.path in candidates or f.path in unknown]
    if blocking and (not skip_invalid or any(f.path == settings.organisation_path for f in blocking)):
        raise Blocked(blocking)
    selection = select(corpus, as_of, {f.path for f in errors})
    unread = sorted({f.path for f in blocking if f.path in unknown})
    selection.left_out.extend((path, "kan inte läsas som ett dokument (sb validate)") for path in unread)
    published = public_corpus(corpus, selection)
    views, view_of = _views(corpus, selection, as_of, stamp_of, cache)
    out.parent.mkdir(parents=True, exist_ok=True)
    with template_folder(settings) as templates:
        site = _Site()
        context = pages.Context(
            settings=settings,
            corpus=corpus,
            public=published,
            selection=selection,
            views=views,
            as_of=as_of,
            history_of=history_of,
            wheel_svg=lambda view: _wheel_svg(view, templates, Limits.of(settings)),
            cache=cache,
        )
        site.texts.update((path, text.encode("utf-8")) for path, text in pages.all_pages(context, templates).items())
        old = _manifest(out)  # what the files of the site in place were made from
        indexing = _SearchIndex(site.texts, out, old.get(SEARCH_INDEX))  # runs beside all that follows
        try:
            site.texts["site.css"] = (templates / "site" / "site.css").read_bytes()
            site.texts["feed.atom"] = pages.feed(context, timestamp)
            site.texts["kalender.ics"] = pages.calendar(context, timestamp)
            _plan_files(site, views, selection, _fingerprint(templates), timestamp if reproducible else None)
            check_views(_pdf_texts(site), withheld_texts(selection))
            return _build(site, out, old, templates, timestamp, settings, selection, view_of, progress, cache, indexing)
        finally:
            indexing.stop()


def _views(
    corpus: Corpus, selection: Selection, as_of: dt.date, stamp_of: Callable[[str], Any], cache: Cache
) -> tuple[dict[str, View], Callable[[str, int], View]]:
    """The view of every published document by id (meetings in their public version), and a way to
    the view of one § of a published protocol as a protokollsutdrag (made only when it is rendered).
    A view is made of its record, the organisation and the arguments below, so one made before from
    the same is taken from `cache`."""
    import msgspec

    documents = {d.id: d for d in selection.published()}
    organisation = msgspec.msgpack.encode(corpus.organisation)
    decoder = msgspec.msgpack.Decoder(View)

    def view_of(ident: str, extract: int | None = None) -> View:
        document = documents[ident]
        stamp = stamp_of(document.path)
        public = isinstance(document.record, Protocol | Kallelse)
        made_of = key(
            organisation,
            type(document.record).__name__,
            msgspec.msgpack.encode(document.record),
            f"{as_of}\0{stamp.commit}\0{stamp.changed}\0{public}\0{extract}",
        )
        view: View = cache.remembered(
            "vy",
            made_of,
            lambda: build(
                document,
                corpus.organisation,
                as_of=as_of,
                commit=stamp.commit,
                changed=stamp.changed,
                version=__version__,
                public=public,
                extract=extract,
            ),
            msgspec.msgpack.encode,
            decoder.decode,
        )
        return view

    return {ident: view_of(ident) for ident in documents}, view_of


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


def _plan_files(
    site: _Site, views: dict[str, View], selection: Selection, templates: str, timestamp: int | None
) -> None:
    """A PDF and a Word file of each protocol (public version) and styrdokument, and a PDF
    protokollsutdrag of each public §, made in the same job as its protocol. Each file's key says
    what it is made from: its view, its format, the mallar and the timestamp. An extract is made
    from the points of its protocol's public version, so that version's view stands for it too."""
    import msgspec

    def keyed(view: View, targets: dict[str, Path]) -> dict[str, str]:
        made_of = key(templates, str(timestamp), msgspec.json.encode(view))
        return {path.as_posix(): key(made_of, what) for what, path in targets.items()}

    for meeting in selection.meetings:
        protocol = meeting.protocol
        if protocol is None:
            continue
        view = views[protocol.id]
        folder = meeting.folder
        targets = {fmt: Path(f"{folder}/{pages.protocol_file(protocol)}.{fmt}") for fmt in ("pdf", "docx")}
        extracts = [
            (item.number, Path(f"{folder}/{pages.extract_file(protocol, item.number)}.pdf"))
            for item in protocol.record.items
            if item.public
        ]
        keys = keyed(view, {**targets, **{f"utdrag {number}": path for number, path in extracts}})
        site.jobs.append((Job(view, targets), keys, extracts))
    for document in selection.documents:
        view = views[document.id]
        folder = f"dokument/{document.id}"
        targets = {fmt: Path(f"{folder}/{document.id}.{fmt}") for fmt in ("pdf", "docx")}
        site.jobs.append((Job(view, targets), keyed(view, targets), []))


def _build(
    site: _Site,
    out: Path,
    old: dict[str, str],
    templates: Path,
    timestamp: int,
    settings: Settings,
    selection: Selection,
    view_of: Callable[[str, int], View],
    progress: Callable[[str, int, int], None] | None,
    cache: Cache,
    indexing: _SearchIndex,
) -> Built:
    from sb_cli.io.atomic import write_atomic
    from sb_cli.render.isolation import render_isolated

    staging = beside(out, "bygge")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        for path, data in site.texts.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = out / path
            if reusable(out, path) and _same(previous, data):
                _take(previous, target)
            else:
                write_atomic(target, data)
        manifest: dict[str, str] = {}
        to_render: list[Job] = []
        for job, keys, extracts in site.jobs:
            manifest.update(keys)
            if all(old.get(p) == k and reusable(out, p) for p, k in keys.items()):
                for path in keys:
                    (staging / path).parent.mkdir(parents=True, exist_ok=True)
                    _take(out / path, staging / path)
            else:
                also = tuple((view_of(job.view.id, number), {"pdf": path}) for number, path in extracts)
                to_render.append(_rooted(Job(job.view, job.targets, also), staging))
        limits = Limits.of(settings)
        done = [0]

        def advanced(job: Job) -> None:
            done[0] += 1
            if progress:
                progress(job.view.id, done[0], len(to_render))

        for job in to_render:
            for _view, targets in job.outputs():
                for target in targets.values():
                    target.parent.mkdir(parents=True, exist_ok=True)
        render_isolated(to_render, templates, timestamp, limits, advanced)
        manifest[SEARCH_INDEX] = indexing.key
        write_atomic(staging / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        withheld = withheld_texts(selection)
        everything_else = [p for top in staging.iterdir() if top.name != "pagefind" for p in (top, *top.rglob("*"))]
        check_files(staging, everything_else, withheld, cache)
        indexing.place(staging / "pagefind")  # when it is done; then its files are checked too
        check_files(staging, (staging / "pagefind").rglob("*"), withheld, cache)
        swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sum(len(keys) for _job, keys, _extracts in site.jobs)
    return Built(out, len([p for p in site.texts if p.endswith(".html")]), files, len(to_render), selection.left_out)


def _pdf_texts(site: _Site) -> dict[str, str]:
    """The text each document's PDF is made from: every string of its view. A protokollsutdrag is
    made from the same points as its protocol's public version, so the protocol's text covers it."""
    import msgspec

    texts: dict[str, str] = {}
    for job, _keys, _extracts in site.jobs:
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


def _take(previous: Path, target: Path) -> None:
    """The old site's file, unchanged (a hard link where the file system allows one)."""
    try:
        os.link(previous, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(previous, target, follow_symlinks=False)


class _SearchIndex:
    """Pagefind's static index with the Swedish stemmer, and its search UI, made in a process of its
    own while the build goes on; the old site's index when the pages it is made from are the same.
    Pagefind reads only the pages it indexes: those with data-pagefind-body, as Pagefind itself
    chooses them (all if none has it). `key` says what the index is made from.

    One index, not one per forum: where a word is in no page of an index, Pagefind matches ever
    shorter beginnings of it, so the indexes without the word would answer with unrelated pages."""

    def __init__(self, texts: dict[str, bytes], out: Path, before: str | None) -> None:
        import subprocess
        from importlib.metadata import version

        html = sorted(p for p in texts if p.endswith(".html"))
        indexed = [p for p in html if b"data-pagefind-body" in texts[p]] or html
        self.key = key("sökindex", version("pagefind"), *(part for p in indexed for part in (p, texts[p])))
        self._old = out / "pagefind"
        self._read = beside(out, "sök")  # the pages Pagefind reads
        self._made = beside(out, "sökindex")  # and the index it writes
        self._run: subprocess.Popen[bytes] | None = None
        if before == self.key and plain_tree(self._old) and (self._old / "pagefind-entry.json").is_file():
            return
        try:
            self._start(indexed, texts)
        except BaseException:  # a full disk, say: what it wrote is removed
            self.stop()
            raise

    def _start(self, indexed: list[str], texts: dict[str, bytes]) -> None:
        import subprocess
        import sys

        for folder in (self._read, self._made):
            shutil.rmtree(folder, ignore_errors=True)
        for path in indexed:
            (self._read / path).parent.mkdir(parents=True, exist_ok=True)
            (self._read / path).write_bytes(texts[path])
        command = [sys.executable, "-m", "pagefind", "--site", str(self._read), "--output-path", str(self._made)]
        self._run = subprocess.Popen(
            [*command, "--force-language", "sv", "--keep-index-url", "--silent"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_ended_with_this_process(),
        )

    def place(self, target: Path) -> None:
        """The index, once Pagefind is done, as `target` (the old site's, when it is the same)."""
        import subprocess

        if self._run is None:
            shutil.copytree(self._old, target, copy_function=lambda a, b: _take(Path(a), Path(b)))
            return
        try:
            said, _ = self._run.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            raise SbError("sökindexet kunde inte byggas: Pagefind blev inte klar på tio minuter") from None
        if self._run.returncode != 0:
            why = said.decode("utf-8", "replace").strip()[:500] or f"Pagefind avslutades med {self._run.returncode}"
            raise SbError(f"sökindexet kunde inte byggas: {why}")
        self._made.rename(target)

    def stop(self) -> None:
        """Pagefind ended, and what it read and wrote removed (a placed index is not)."""
        if self._run is not None and self._run.poll() is None:
            self._run.kill()
            self._run.wait()
        for folder in (self._read, self._made):
            shutil.rmtree(folder, ignore_errors=True)


def _ended_with_this_process() -> Callable[[], None] | None:
    """On Linux, what makes a child end when this process ends, even by SIGKILL: a killed build's
    Pagefind would otherwise go on writing its index beside the site after the next build has
    removed the killed one's folders. Prepared here, so that the child only makes one call."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
